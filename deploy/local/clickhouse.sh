#!/usr/bin/env bash
# Local ClickHouse 26.7 server: start|stop|status|kill (SIGKILL, for the fault tests).
# Debian only packages ClickHouse 18.16, which today's JDBC drivers cannot read, so we run the
# real engine from chDB's libchdb.so (npm package) through a tiny C launcher (clickhouse/chserve.c)
# in clickhouse-local mode with the HTTP and native listeners switched on.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MC_NAME=clickhouse

CHDB_NPM="@chdb/lib-linux-x64-gnu@26.7.3-stable.1"
CHDB_DIR="$MC_CACHE_DIR/chdb-26.7.3-stable.1"
CHDB_LIB="$CHDB_DIR/libchdb.so"
CHSERVE="$MC_CACHE_DIR/chserve"
CHSERVE_SRC="$MC_LOCAL_DIR/clickhouse/chserve.c"
CH_DATA="$MC_STATE_DIR/clickhouse"
# The listeners live only while the last statement runs: a SELECT that sleeps one second per row
# for 10 years. max_block_size=1 makes it one row per block, and the per-block sleep cap
# (function_sleep_max_microseconds_per_block, 3 s by default) must be lifted or it throws.
KEEPALIVE="SELECT sleepEachRow(1) FROM numbers(315360000) SETTINGS max_block_size=1, function_sleep_max_microseconds_per_block=0, max_execution_time=0 FORMAT Null"

ensure_lib() {
  [[ -s "$CHDB_LIB" ]] && return 0
  command -v npm >/dev/null || mc_die "npm is needed once to fetch $CHDB_NPM (apt-get install -y npm)"
  mc_say "fetching $CHDB_NPM (~170 MB) from the npm registry into $CHDB_DIR"
  local tmp
  mkdir -p "$CHDB_DIR"
  tmp="$(mktemp -d "$CHDB_DIR/.fetch.XXXXXX")"
  # npm pack only downloads the tarball (no install scripts run); we need just libchdb.so from it.
  (cd "$tmp" && npm pack --silent "$CHDB_NPM" >/dev/null) || { rm -rf "$tmp"; mc_die "npm pack $CHDB_NPM failed"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/libchdb.so || { rm -rf "$tmp"; mc_die "libchdb.so not in $CHDB_NPM"; }
  mv -f "$tmp/package/libchdb.so" "$CHDB_LIB"
  rm -rf "$tmp"
}

ensure_launcher() {
  if [[ -x "$CHSERVE" && ! "$CHSERVE_SRC" -nt "$CHSERVE" ]]; then
    return 0
  fi
  command -v gcc >/dev/null || mc_die "gcc is needed to build the launcher (apt-get install -y gcc)"
  mc_say "building $CHSERVE"
  gcc -O2 -o "$CHSERVE.tmp.$$" "$CHSERVE_SRC" -ldl || mc_die "building chserve failed"
  mv -f "$CHSERVE.tmp.$$" "$CHSERVE"
}

ch_running() { mc_running clickhouse "--path=$CH_DATA"; }

ping_ok() { [[ "$(mc_curl "http://127.0.0.1:$1/ping")" == "Ok." ]]; }

# Ready = /ping answers AND it is our 26.7 engine (a failed listen is only logged by chDB, so a
# bare ping could be someone else's server).
ready() {
  ping_ok "$1" && [[ "$(mc_curl "http://127.0.0.1:$1/" --data-binary 'SELECT version()')" == 26.7.* ]]
}

clickhouse_start() {
  local pid http tcp t0=$SECONDS
  mc_init_dirs
  if pid="$(ch_running)"; then
    http="$(mc_env_get MC_CLICKHOUSE_HTTP_PORT)"
    if [[ -n "$http" ]] && ready "$http"; then
      mc_say "already running (pid $pid, http $http)"
      return 0
    fi
    mc_die "running (pid $pid) but not answering on port '${http}'; run: $0 stop"
  fi
  ensure_lib
  ensure_launcher
  mkdir -p "$CH_DATA"

  # A restart takes the previous ports again when they are free, so running services reconnect.
  http="$(mc_pick_port "$(cat "$CH_DATA.last-http-port" 2>/dev/null || echo 8123)")"
  tcp="$(mc_pick_port "$(cat "$CH_DATA.last-tcp-port" 2>/dev/null || echo 9000)" "$http")"
  pid="$(CHSERVE_LIB="$CHDB_LIB" mc_spawn clickhouse "$CHSERVE" --path="$CH_DATA" \
    --http_port="$http" --tcp_port="$tcp" --listen_host=127.0.0.1 --multiquery \
    --query "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; $KEEPALIVE")"
  mc_wait_until clickhouse "$pid" 60 "SELECT version() over http://127.0.0.1:$http" ready "$http"
  mc_wait_until clickhouse "$pid" 10 "native port 127.0.0.1:$tcp" mc_port_in_use "$tcp"
  mc_env_set MC_CLICKHOUSE_HTTP_PORT "$http"
  mc_env_set MC_CLICKHOUSE_TCP_PORT "$tcp"
  mc_env_set MC_CLICKHOUSE_URL "http://127.0.0.1:$http"
  printf '%s\n' "$http" >"$CH_DATA.last-http-port"
  printf '%s\n' "$tcp" >"$CH_DATA.last-tcp-port"
  mc_say "ready on http 127.0.0.1:$http, native $tcp (pid $pid) in $((SECONDS - t0))s"
}

clickhouse_stop() {
  local pid
  if pid="$(ch_running)"; then
    mc_stop_pid clickhouse "$pid" 15
    mc_say "stopped (pid $pid)"
  else
    mc_say "not running"
  fi
  mc_env_unset MC_CLICKHOUSE_HTTP_PORT MC_CLICKHOUSE_TCP_PORT MC_CLICKHOUSE_URL
}

# A crash (SIGKILL) for the fault tests; the address stays in the env file, as a crashed server's would.
clickhouse_kill() {
  local pid
  if pid="$(ch_running)"; then
    mc_kill_pid clickhouse "$pid"
  else
    mc_say "not running"
  fi
}

clickhouse_status() {
  local pid
  if pid="$(ch_running)"; then
    printf '%-10s running  port=%s (native %s) pid=%s\n' clickhouse \
      "$(mc_env_get MC_CLICKHOUSE_HTTP_PORT)" "$(mc_env_get MC_CLICKHOUSE_TCP_PORT)" "$pid"
  else
    printf '%-10s stopped\n' clickhouse
    return 3
  fi
}

mc_main clickhouse "${1:-}"
