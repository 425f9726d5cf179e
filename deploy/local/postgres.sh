#!/usr/bin/env bash
# Local PostgreSQL (Debian's package) for development and tests: start|stop|status.
# Own cluster under $MC_STATE_DIR/postgres, loopback TCP only, socket inside the state dir, so it
# never touches a system cluster (which may hold port 5432).
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MC_NAME=postgres

PG_DB=megacuration
PG_USER=megacuration
PG_PASSWORD=megacuration
PG_ROOT="$MC_STATE_DIR/postgres"
PG_DATA="$PG_ROOT/data"
PG_SOCK="$PG_ROOT/run"
LOG="$(mc_log_file postgres)"

pg_bindir() {
  local dir
  # Newest installed major version (sort -V so 9.x < 10+).
  dir="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$dir" || ! -x "$dir/bin/postgres" ]]; then
    return 1
  fi
  printf '%s/bin\n' "$dir"
}

ensure_installed() {
  if ! pg_bindir >/dev/null; then
    mc_say "PostgreSQL not installed; installing Debian's postgresql package"
    [[ $EUID -eq 0 ]] || mc_die "run as root once, or: sudo apt-get install -y postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
    # The package creates and starts a system cluster on 5432; we leave it alone and use our own.
  fi
  BIN="$(pg_bindir)" || mc_die "no /usr/lib/postgresql/*/bin/postgres after install"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running() { mc_running postgres "$PG_DATA"; }

record_env() {
  local port="$1"
  mc_env_set MC_PG_HOST 127.0.0.1
  mc_env_set MC_PG_PORT "$port"
  mc_env_set MC_PG_USER "$PG_USER"
  mc_env_set MC_PG_PASSWORD "$PG_PASSWORD"
  mc_env_set MC_PG_DB "$PG_DB"
}

ready() {
  local port="$1"
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 &&
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=3 "$BIN/psql" -X -q -h 127.0.0.1 -p "$port" \
      -U "$PG_USER" -d "$PG_DB" -tAc 'select 1' | grep -qx 1
}

postgres_start() {
  local pid port t0=$SECONDS
  mc_init_dirs
  ensure_installed
  if pid="$(pg_running)"; then
    port="$(mc_env_get MC_PG_PORT)"
    if [[ -n "$port" ]] && ready "$port"; then
      mc_say "already running (pid $pid, port $port)"
      return 0
    fi
    mc_die "running (pid $pid) but not answering on port '${port}'; run: $0 stop"
  fi

  if [[ $EUID -eq 0 ]] && ! runuser -u postgres -- test -x "$MC_STATE_DIR"; then
    mc_die "user postgres cannot reach $MC_STATE_DIR (e.g. under /root); choose an MC_STATE_DIR it can traverse"
  fi
  mkdir -p "$PG_ROOT" "$PG_SOCK"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_ROOT" "$PG_SOCK"
  # The server writes the log itself (pg_ctl -l), so the postgres user must own it.
  touch "$LOG"
  [[ $EUID -eq 0 ]] && chown postgres "$LOG"

  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    mc_say "initdb $PG_DATA"
    # trust on loopback/socket only: a throwaway local cluster; the role still has a password so
    # clients configured with one work unchanged. --no-sync: nothing here needs crash safety.
    as_pg "$BIN/initdb" -D "$PG_DATA" --no-sync -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=trust >>"$LOG" 2>&1 || { mc_tail_log postgres; mc_die "initdb failed"; }
  fi

  port="$(mc_pick_port 5432)"
  # listen_addresses/port/socket on the command line so a changed port needs no config edit.
  as_pg "$BIN/pg_ctl" -D "$PG_DATA" -l "$LOG" -w -t 60 -s \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_SOCK -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
    start || { mc_tail_log postgres; mc_die "pg_ctl start failed"; }
  pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
  printf '%s\n' "$pid" >"$(mc_pid_file postgres)"

  # Role and database, idempotently (\gexec runs the CREATE only when the SELECT yields it).
  as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$port" -U postgres -d postgres >>"$LOG" 2>&1 <<SQL ||
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$PG_USER', '$PG_PASSWORD')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') \gexec
ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_USER')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
    { mc_tail_log postgres; mc_die "creating role/database failed"; }

  mc_wait_until postgres "$pid" 30 "select 1 as $PG_USER on 127.0.0.1:$port" ready "$port"
  record_env "$port"
  mc_say "ready on 127.0.0.1:$port (pid $pid) in $((SECONDS - t0))s"
}

postgres_stop() {
  local pid
  if pid="$(pg_running)"; then
    BIN="$(pg_bindir)"
    # Fast shutdown (disconnect clients) via pg_ctl; fall back to signals if it hangs.
    as_pg "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 15 -s stop >/dev/null 2>&1 || mc_stop_pid postgres "$pid" 5
    rm -f "$(mc_pid_file postgres)"
    mc_say "stopped (pid $pid)"
  else
    mc_say "not running"
  fi
  mc_env_unset MC_PG_HOST MC_PG_PORT MC_PG_USER MC_PG_PASSWORD MC_PG_DB
}

postgres_status() {
  local pid
  if pid="$(pg_running)"; then
    printf '%-10s running  port=%s pid=%s\n' postgres "$(mc_env_get MC_PG_PORT)" "$pid"
  else
    printf '%-10s stopped\n' postgres
    return 3
  fi
}

mc_main postgres "${1:-}"
