#!/usr/bin/env bash
# The one test command (README "Test it"; .ci/run calls it and nothing else).
# Builds the solution, makes sure a Chromium is there for Bff.E2E (Debian's package), runs every
# test project and ends with one line "N passed, N failed" summing them all.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK 10 is not on PATH; install it (https://dot.net) and run again."

# Chromium for the Playwright journeys. Playwright cannot download its own browser here, so the
# suite drives the system's Chromium (BFF_CHROMIUM overrides the path).
chromium="${BFF_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Chromium from Debian's packages (apt-get install chromium)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq chromium >/dev/null 2>&1 || die "apt-get install chromium failed; install Debian's chromium package (or set BFF_CHROMIUM to a Chromium binary) and run again."
  else
    die "no Chromium at $chromium. Install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu) or set BFF_CHROMIUM to a Chromium/Chrome binary, then run again."
  fi
fi
export BFF_CHROMIUM="$chromium"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

say "dotnet build"
if ! dotnet build Bff.sln -c Debug -nologo -v quiet >"$results/build.log" 2>&1; then
  tail -60 "$results/build.log"
  die "the build failed (see above)."
fi

status=0
for project in Bff.Tests Bff.E2E; do
  say "dotnet test $project"
  dotnet test "$project/$project.csproj" --no-build -nologo \
    --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
    --results-directory "$results/$project" \
    --blame-hang --blame-hang-timeout 10m \
    || status=1
done

passed=0; failed=0; found=0
for trx in "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  e=$(printf '%s' "$counters" | sed -n 's/.* error="\([0-9]*\)".*/\1/p')
  t=$(printf '%s' "$counters" | sed -n 's/.* timeout="\([0-9]*\)".*/\1/p')
  a=$(printf '%s' "$counters" | sed -n 's/.* aborted="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
[ "$found" = "1" ] || { status=1; failed=$((failed + 1)); }
if [ "$status" != "0" ] && [ "$failed" = "0" ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" = "0" ] && [ "$failed" = "0" ] && [ "$passed" -gt 0 ]
