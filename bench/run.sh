#!/usr/bin/env bash
# Runs the benchmark harness (Bff.Bench) in Release; arguments pass through, e.g. --duration 5 --sessions 100000, or --smoke.
# The throughput rows need wrk (Debian's package): installed here when missing and running as root.
# The Redis rows need redis-server (the same): a private one is started here on a free loopback port,
# data in a temporary folder, and stopped at the end (unless --redis host:port names one).
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
# Quiet when it works; on a failure the compiler's errors, which set -e would otherwise swallow.
if ! build_log=$(dotnet build -c Release -nologo -v quiet Bff.Bench/Bff.Bench.csproj 2>&1); then
  printf '%s\n' "$build_log" | grep -E ' error |rror\(s\)' | awk '!seen[$0]++' >&2 || printf '%s\n' "$build_log" >&2
  echo "bench: the Release build failed (dotnet build -c Release Bff.Bench/Bff.Bench.csproj)" >&2
  exit 1
fi
# Row 8 starts the published app: ReadyToRun, as a deployment would publish it (the harness falls back
# to the build output, and says so, when this is missing or older than the build).
case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="" ;; esac
if [ -n "$rid" ] && [[ " $* " != *" --smoke "* ]]; then
  # The harness is told which publish this run made: comparing file times with the build output
  # misleads it when the build touches its copy of Bff.Core.dll after an earlier, unchanged publish.
  if dotnet publish Bff.Web/Bff.Web.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -nologo -v quiet >/dev/null; then
    export BFF_BENCH_PUBLISHED_WEB="$PWD/Bff.Web/bin/Release/net10.0/$rid/publish/Bff.Web.dll"
  else
    echo "bench: the ReadyToRun publish failed; row 8 uses the build output" >&2
  fi
fi
redis=()
if [[ " $* " != *" --redis "* ]]; then
  if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing redis-server (apt-get install -y redis-server)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || true
  fi
  if command -v redis-server >/dev/null 2>&1; then
    redis_dir=$(mktemp -d -t bff-bench-redis.XXXXXX)
    for _ in $(seq 1 50); do
      port=$((20000 + RANDOM % 40000))
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    redis-server --port "$port" --bind 127.0.0.1 --dir "$redis_dir" --save "" --appendonly no \
      --daemonize no --logfile "$redis_dir/redis.log" &
    redis_pid=$!
    trap 'kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; rm -rf "$redis_dir"' EXIT
    for _ in $(seq 1 100); do
      if { exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && read -r -t 2 pong <&3 && [ "${pong%$'\r'}" = "+PONG" ]; } 2>/dev/null; then
        exec 3>&-
        break
      fi
      sleep 0.1
    done
    redis=(--redis "127.0.0.1:$port")
  else
    echo "bench: redis-server is missing, so the Redis rows are left out (Debian/Ubuntu: sudo apt-get install -y redis-server)." >&2
  fi
fi
dotnet run -c Release --no-build --project Bff.Bench -- "${redis[@]}" "$@"
