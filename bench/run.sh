#!/usr/bin/env bash
# Runs the benchmark harness (Bff.Bench) in Release; arguments pass through, e.g. --duration 5 --sessions 100000, or --smoke.
# The throughput rows need wrk (Debian's package): installed here when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1 && [[ " $* " != *" --smoke "* ]]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing wrk (apt-get install -y wrk)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
      || { echo "bench: apt-get install wrk failed; install wrk and run again." >&2; exit 1; }
  else
    echo "bench: wrk is missing. Install it (Debian/Ubuntu: sudo apt-get install -y wrk) and run again." >&2
    exit 1
  fi
fi
# Build first so that the child processes (Bff.Web, the bench servers, the peer host) exist in Release.
dotnet build -c Release -nologo -v quiet Bff.Bench/Bff.Bench.csproj >/dev/null
# Row 8 starts the published app: ReadyToRun, as a deployment would publish it (the harness falls back
# to the build output, and says so, when this is missing or older than the build).
case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="" ;; esac
if [ -n "$rid" ] && [[ " $* " != *" --smoke "* ]]; then
  dotnet publish Bff.Web/Bff.Web.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -nologo -v quiet >/dev/null \
    || echo "bench: the ReadyToRun publish failed; row 8 uses the build output" >&2
fi
exec dotnet run -c Release --no-build --project Bff.Bench -- "$@"
