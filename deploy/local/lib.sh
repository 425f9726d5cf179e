# shellcheck shell=bash
# Helpers sourced by the deploy/local/*.sh server scripts and up/down/status.
#
# Layout:
#   MC_CACHE_DIR  downloads and builds shared by every checkout (Keycloak dist, Kafka jars,
#                 libchdb.so, the compiled chserve launcher). Never inside the repo: these are
#                 hundreds of MB.
#   MC_STATE_DIR  one running instance: logs/, pids/, data dirs and the `env` file with the
#                 servers' addresses. Keyed by the checkout's path so two checkouts (or a test
#                 run with MC_STATE_DIR overridden) never share data or pid files.

MC_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
MC_LOCAL_DIR="$MC_REPO_ROOT/deploy/local"
MC_CACHE_DIR="${MC_CACHE_DIR:-$HOME/.cache/megacuration}"
# /var/tmp, not /root or /tmp: the postgres user must be able to reach the data dir when we run
# as root, and /var/tmp survives reboots (tmpfs /tmp may not).
MC_STATE_DIR="${MC_STATE_DIR:-/var/tmp/megacuration/$(printf '%s' "$MC_REPO_ROOT" | sha256sum | cut -c1-8)}"
# Absolute, because pid checks match it against process command lines.
[[ "$MC_STATE_DIR" == /* ]] || MC_STATE_DIR="$PWD/$MC_STATE_DIR"
export MC_REPO_ROOT MC_LOCAL_DIR MC_CACHE_DIR MC_STATE_DIR

mc_init_dirs() {
  local parent
  parent="$(dirname "$MC_STATE_DIR")"
  if [[ ! -d "$parent" ]]; then
    mkdir -p "$parent"
    # Shared by every user's instances, like /var/tmp itself.
    [[ "$parent" == /var/tmp/megacuration ]] && chmod 1777 "$parent"
  fi
  mkdir -p "$MC_STATE_DIR/logs" "$MC_STATE_DIR/pids" "$MC_CACHE_DIR"
  # World-traversable so the postgres user (runuser) can reach its data dir below it.
  chmod 755 "$MC_STATE_DIR"
  touch "$MC_STATE_DIR/env"
}

mc_say() { printf '[%s] %s\n' "${MC_NAME:-mc}" "$*"; }
mc_die() { printf '[%s] ERROR: %s\n' "${MC_NAME:-mc}" "$*" >&2; exit 1; }

mc_log_file() { printf '%s/logs/%s.log' "$MC_STATE_DIR" "$1"; }
mc_pid_file() { printf '%s/pids/%s.pid' "$MC_STATE_DIR" "$1"; }

# Print the end of a server's log to stderr; called whenever a start fails.
mc_tail_log() {
  local name="$1" lines="${2:-40}" log
  log="$(mc_log_file "$name")"
  if [[ -s "$log" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$log" >&2
    tail -n "$lines" "$log" >&2
    printf -- '----- end of %s -----\n' "$log" >&2
  fi
}

# --- ports -------------------------------------------------------------------------------------

# True when something listens on TCP port $1 on any local address (a listener on 0.0.0.0 blocks
# 127.0.0.1 as well, so checking only loopback would not be enough).
mc_port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# mc_pick_port PREFERRED [EXCLUDED...]: the preferred port if free, else the next free one above
# it. EXCLUDED are ports this server already picked for another listener but has not bound yet.
mc_pick_port() {
  local port="$1" tries=0 ex taken
  shift
  while ((tries < 500)); do
    taken=0
    for ex in "$@"; do [[ "$ex" == "$port" ]] && taken=1; done
    if ((taken == 0)) && ! mc_port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
    port=$((port + 1)); tries=$((tries + 1))
  done
  mc_die "no free port found near $1"
}

# --- processes ---------------------------------------------------------------------------------

# mc_pid_matches PID PATTERN: PID is alive and its command line contains PATTERN. PATTERN always
# includes a path inside MC_STATE_DIR, so a recycled pid or another instance's server never
# matches and is never signalled.
mc_pid_matches() {
  local pid="$1" pattern="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# mc_running NAME PATTERN: prints the pid and succeeds if our pid file names a live matching
# process; removes a stale pid file.
mc_running() {
  local name="$1" pattern="$2" pf pid
  pf="$(mc_pid_file "$name")"
  [[ -f "$pf" ]] || return 1
  pid="$(<"$pf")"
  if mc_pid_matches "$pid" "$pattern"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$pf"
  return 1
}

# mc_spawn NAME CMD...: run CMD detached in its own session (so a Ctrl-C in `up` does not reach
# it and `stop` can signal its whole process group), output appended to the server's log.
# Prints the pid; setsid execs CMD directly, so the pid is the server's (or its wrapper's).
mc_spawn() {
  local name="$1" log pid
  shift
  log="$(mc_log_file "$name")"
  printf '\n===== %s starting %s =====\n' "$(date -Is)" "$name" >>"$log"
  setsid "$@" </dev/null >>"$log" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$(mc_pid_file "$name")"
  printf '%s\n' "$pid"
}

# mc_kill_pid NAME PID: SIGKILL, no grace: a crash, as a fault test wants it (the pid file goes, the
# data stays as the crash left it). Only called with a pid that mc_running validated.
mc_kill_pid() {
  local name="$1" pid="$2" pgid i
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
  if [[ "$pgid" == "$pid" ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$(mc_pid_file "$name")"
  mc_say "killed (SIGKILL, pid $pid)"
}

# mc_stop_pid NAME PID [GRACE_SECONDS]: SIGTERM, then SIGKILL to the process group after the
# grace period. Only called with a pid that mc_running validated.
mc_stop_pid() {
  local name="$1" pid="$2" grace="${3:-15}" i pgid
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    mc_say "$name did not stop in ${grace}s, sending SIGKILL"
    # The group is ours only when the pid leads it (mc_spawn's setsid); otherwise kill just pid.
    if [[ "$pgid" == "$pid" ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.5
  elif [[ "$pgid" == "$pid" ]]; then
    # Children that outlived a clean leader exit (e.g. a JVM forked by a wrapper script).
    kill -TERM -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$(mc_pid_file "$name")"
}

# mc_wait_until NAME PID TIMEOUT_S DESCRIPTION CMD...: poll CMD every second until it succeeds.
# Fails early when PID died (the log then says why) and after TIMEOUT_S.
mc_wait_until() {
  local name="$1" pid="$2" timeout="$3" what="$4" start
  shift 4
  start=$SECONDS
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      mc_tail_log "$name"
      mc_die "$name (pid $pid) exited while waiting for: $what"
    fi
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if ((SECONDS - start >= timeout)); then
      mc_tail_log "$name"
      # We just started it and it never became usable: do not leave it holding ports/locks.
      mc_stop_pid "$name" "$pid" 10
      mc_die "$name not ready after ${timeout}s: $what"
    fi
    sleep 1
  done
}

# --- env file ----------------------------------------------------------------------------------

# The four servers start in parallel and all rewrite the same file: serialise with flock.
mc_env_set() {
  local key="$1" value="$2" env="$MC_STATE_DIR/env"
  (
    flock 9
    { grep -v "^export ${key}=" "$env" 2>/dev/null || true; printf 'export %s=%s\n' "$key" "$value"; } >"$env.tmp.$$"
    mv -f "$env.tmp.$$" "$env"
  ) 9>"$MC_STATE_DIR/env.lock"
}

mc_env_unset() {
  local key env="$MC_STATE_DIR/env"
  [[ -f "$env" ]] || return 0
  (
    flock 9
    for key in "$@"; do
      { grep -v "^export ${key}=" "$env" 2>/dev/null || true; } >"$env.tmp.$$"
      mv -f "$env.tmp.$$" "$env"
    done
  ) 9>"$MC_STATE_DIR/env.lock"
}

mc_env_get() {
  local key="$1"
  sed -n "s/^export ${key}=//p" "$MC_STATE_DIR/env" 2>/dev/null | tail -n 1
}

# --- misc --------------------------------------------------------------------------------------

# curl for readiness probes: short timeouts so a hung server cannot stall the wait loop.
mc_curl() { curl -sS --connect-timeout 2 --max-time 10 "$@"; }

# Maven for fetching server artifacts only (never the project build); batch mode, quiet.
mc_mvn() { mvn -q -B "$@"; }

# Standard start|stop|status dispatch for a server script defining NAME_start/stop/status.
mc_main() {
  local name="$1" action="${2:-}"
  case "$action" in
    start) "${name}_start" ;;
    stop) "${name}_stop" ;;
    status) "${name}_status" ;;
    kill)
      # Only servers a fault test may crash define NAME_kill.
      declare -F "${name}_kill" >/dev/null || { printf '%s has no kill action\n' "$0" >&2; exit 2; }
      "${name}_kill"
      ;;
    *) printf 'usage: %s start|stop|status|kill\n' "$0" >&2; exit 2 ;;
  esac
}
