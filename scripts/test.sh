#!/usr/bin/env bash
# The one test command (README "Test it"; .ci/run calls it and nothing else).
# Builds the solution, makes sure a Chromium (for Bff.E2E) and redis-server, PostgreSQL and nginx
# (for the scale-out tests) are there (Debian's packages), starts one Redis and one PostgreSQL on
# free loopback ports in a temporary folder for the whole run (BFF_TEST_REDIS, BFF_TEST_POSTGRES;
# BFF_NGINX names the nginx binary), runs every test project, stops the servers whatever happened,
# and ends with one line "N passed, N failed" summing them all.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK 10 is not on PATH; install it (https://dot.net) and run again."

is_root() { [ "$(id -u)" = "0" ]; }
apt_updated=0
# Installs Debian packages when running as root (CI), once per run for the package lists.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = "0" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt_updated=1
  fi
  apt-get install -y -qq "$@" >/dev/null 2>&1
}
can_install() { is_root && command -v apt-get >/dev/null 2>&1; }

# Chromium for the Playwright journeys. Playwright cannot download its own browser here, so the
# suite drives the system's Chromium (BFF_CHROMIUM overrides the path).
chromium="${BFF_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if can_install; then
    say "installing Chromium from Debian's packages (apt-get install chromium)"
    apt_install chromium || die "apt-get install chromium failed; install Debian's chromium package (or set BFF_CHROMIUM to a Chromium binary) and run again."
  else
    die "no Chromium at $chromium. Install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu) or set BFF_CHROMIUM to a Chromium/Chrome binary, then run again."
  fi
fi
export BFF_CHROMIUM="$chromium"

# Redis, PostgreSQL and nginx for the scale-out tests, from Debian's packages.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
[ -n "$(nginx_bin)" ] || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  if can_install; then
    say "installing ${missing[*]} from Debian's packages (apt-get install ${missing[*]})"
    apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed; install them and run again."
  else
    die "missing ${missing[*]}. Install them with 'sudo apt-get install -y redis-server postgresql nginx' (Debian/Ubuntu), then run again."
  fi
fi

# One Redis and one PostgreSQL for the whole run, in a temporary folder, stopped at exit whatever
# happened. Tests that stop a server to play an outage start private ones of their own
# (Bff.Tests/TestInfra/Servers) under BFF_TEST_SERVERS_DIR; whatever is left there is killed too.
servers=$(mktemp -d "${TMPDIR:-/tmp}/bff-test-servers.XXXXXX")
chmod 755 "$servers" # PostgreSQL runs as postgres when this runs as root
export BFF_TEST_SERVERS_DIR="$servers/private"
mkdir -p "$servers/redis" "$servers/postgres" "$BFF_TEST_SERVERS_DIR"
pg="$(pg_bin)"
as_postgres() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_servers() {
  if [ -f "$servers/redis/redis.pid" ]; then
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$servers/redis/redis.pid")" 2>/dev/null
  fi
  if [ -f "$servers/postgres/data/postmaster.pid" ]; then
    as_postgres "$pg/pg_ctl" -D "$servers/postgres/data" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  for pidfile in $(find "$BFF_TEST_SERVERS_DIR" -name '*.pid' 2>/dev/null); do
    kill -9 "$(head -1 "$pidfile")" 2>/dev/null
  done
  rm -rf "$servers"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return; }
  done
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$servers/redis" --appendonly yes --save "" \
  --daemonize yes --pidfile "$servers/redis/redis.pid" --logfile "$servers/redis/redis.log" >/dev/null \
  || die "redis-server did not start: $(tail -5 "$servers/redis/redis.log" 2>/dev/null)"
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = "PONG" ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = "PONG" ] || die "redis-server on port $redis_port does not answer: $(tail -5 "$servers/redis/redis.log")"
export BFF_TEST_REDIS="127.0.0.1:$redis_port"

postgres_port=$(free_port)
is_root && chown -R postgres "$servers/postgres"
as_postgres "$pg/initdb" -D "$servers/postgres/data" -A trust -U bff -E UTF8 --locale=C --no-sync >"$servers/initdb.log" 2>&1 \
  || die "initdb failed: $(tail -5 "$servers/initdb.log")"
# Test data only: no fsync. Enough connections for two BFF instances' pools and the tests' own.
as_postgres "$pg/pg_ctl" -D "$servers/postgres/data" -l "$servers/postgres/log" -w -t 60 \
  -o "-p $postgres_port -k $servers/postgres -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || die "PostgreSQL did not start: $(tail -5 "$servers/postgres/log")"
export BFF_TEST_POSTGRES="Host=127.0.0.1;Port=$postgres_port;Username=bff;Database=postgres"
BFF_NGINX="$(nginx_bin)"
export BFF_NGINX
say "Redis on $BFF_TEST_REDIS, PostgreSQL on port $postgres_port, nginx at $BFF_NGINX"

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
