#!/usr/bin/env bash
# The Java services of one local instance (analytics, ingest-api, author-portal), run from their
# Quarkus builds against the servers that up/postgres.sh/kafka.sh/... started, plus the demo data.
#   services.sh build    build every module (skipping tests) when a service build is missing
#   services.sh start    build if needed, start the services, wait until each is ready
#   services.sh demo     load the demo data (harmless when already loaded)
#   services.sh stop     stop the services this instance started
#   services.sh status
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MC_NAME=services

# Start order: analytics first (the portal's pages read it); every URL is known before any starts.
SERVICES=(analytics ingest-api author-portal)
declare -A PREFERRED_PORT=([ingest-api]=8081 [analytics]=8082 [author-portal]=8080)
declare -A PORT_KEY=([ingest-api]=MC_INGEST_PORT [analytics]=MC_ANALYTICS_PORT [author-portal]=MC_PORTAL_PORT)
declare -A URL_KEY=([ingest-api]=MC_INGEST_URL [analytics]=MC_ANALYTICS_URL [author-portal]=MC_PORTAL_URL)
# Options of one service: analytics' code is compiled by C1 alone, for its RSS (why: analytics/README.md, "Run").
declare -A JVM_OPTS=([ingest-api]="" [analytics]="-XX:TieredStopAtLevel=1" [author-portal]="")

jar_of() { printf '%s/%s/target/quarkus-app/quarkus-run.jar' "$MC_REPO_ROOT" "$1"; }
deploy_jar() { printf '%s/deploy/target/megacuration-deploy-0.1.0-SNAPSHOT.jar' "$MC_REPO_ROOT"; }

# The pid check matches this marker, so only this instance's services are ever signalled.
instance_marker() { printf -- '-Dmegacuration.instance=%s' "$MC_STATE_DIR"; }

services_build() {
  local missing=0 s
  # Only the services' own builds: the demo loader's jar is checked by `demo`, which alone needs it (in
  # the test run the services start before Maven has packaged the deploy module).
  for s in "${SERVICES[@]}" curation-runner; do [[ -f "$(jar_of "$s")" ]] || missing=1; done
  if ((missing == 0)) && [[ "${1:-}" != --force ]]; then
    return 0
  fi
  mc_say "building the services (mvn install -DskipTests; a first build downloads ~300 MB)"
  (cd "$MC_REPO_ROOT" && mvn -B -q install -DskipTests)
}

load_env() {
  # shellcheck source=/dev/null
  source "$MC_STATE_DIR/env"
}

# Every service's port is chosen before any starts, so each one is started knowing all the others'
# URLs (analytics and ingest call the portal, the portal calls analytics). A service that comes back
# after a crash keeps its previous port, so the others still reach it.
assign_ports() {
  local s previous port taken=()
  for s in "${SERVICES[@]}"; do
    previous="$(mc_env_get "${PORT_KEY[$s]}")"
    if [[ -n "$previous" ]] && mc_running "$s" "$(instance_marker)" >/dev/null; then
      port="$previous"
    else
      port="$(mc_pick_port "${previous:-${PREFERRED_PORT[$s]}}" "${taken[@]}")"
    fi
    taken+=("$port")
    mc_env_set "${PORT_KEY[$s]}" "$port"
    mc_env_set "${URL_KEY[$s]}" "http://127.0.0.1:$port"
  done
}

start_one() {
  local name="$1" pid port url
  if pid="$(mc_running "$name" "$(instance_marker)")"; then
    mc_say "$name already running (pid $pid) at $(mc_env_get "${URL_KEY[$name]}")"
    return 0
  fi
  load_env
  port="$(mc_env_get "${PORT_KEY[$name]}")"
  url="http://127.0.0.1:$port"
  # MC_JAVA_OPTS_<SERVICE> (e.g. MC_JAVA_OPTS_INGEST_API) adds JVM options to one service, e.g. a JFR
  # recording while a benchmark runs.
  local extra_var="MC_JAVA_OPTS_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')"
  local -a extra=()
  read -r -a extra <<<"${JVM_OPTS[$name]} ${!extra_var:-}"
  # Two malloc arenas instead of glibc's eight per core: the JVM's own allocations do not need more, and
  # each arena holds freed memory as resident (tens of MB per service). Every 5 s the JVM hands what malloc
  # holds free back to the system (the JIT's arenas peak and shrink): 20-35 MB less RSS for the edge in the
  # ingest benchmark (deploy/bench/ingest-results.md).
  pid="$(MALLOC_ARENA_MAX=2 mc_spawn "$name" java -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 \
    -Duser.timezone=UTC "$(instance_marker)" \
    "${extra[@]}" -jar "$(jar_of "$name")")"
  mc_wait_until "$name" "$pid" 120 "$url/q/health/ready" mc_curl -fo /dev/null "$url/q/health/ready"
  mc_say "$name ready at $url (pid $pid)"
}

services_start() {
  mc_init_dirs
  [[ -n "$(mc_env_get MC_PG_PORT)" && -n "$(mc_env_get MC_KEYCLOAK_URL)" ]] \
    || mc_die "servers are not up for $MC_STATE_DIR: run deploy/local/up first"
  services_build
  # The portal's release store lives with the instance's other data.
  export MC_RELEASE_STORE="${MC_RELEASE_STORE:-$MC_STATE_DIR/store}"
  local s
  assign_ports
  for s in "${SERVICES[@]}"; do start_one "$s"; done
}

services_demo() {
  load_env
  [[ -f "$(deploy_jar)" && -f "$MC_REPO_ROOT/deploy/target/classpath.txt" ]] || services_build --force
  java -Duser.timezone=UTC -cp "$(deploy_jar):$(<"$MC_REPO_ROOT/deploy/target/classpath.txt")" \
    dev.megacuration.deploy.DemoData
}

services_stop() {
  local s pid i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    s="${SERVICES[$i]}"
    if pid="$(mc_running "$s" "$(instance_marker)")"; then
      mc_say "stopping $s (pid $pid)"
      mc_stop_pid "$s" "$pid" 20
    fi
    mc_env_unset "${URL_KEY[$s]}" "${PORT_KEY[$s]}"
  done
}

# Kills one service without letting it shut down (a crash), for fault tests; `start` brings it back.
services_kill() {
  local name="${1:?usage: services.sh kill <service>}" pid
  if pid="$(mc_running "$name" "$(instance_marker)")"; then
    kill -9 "$pid"
    mc_say "killed $name (pid $pid)"
  fi
}

services_status() {
  local s pid
  for s in "${SERVICES[@]}"; do
    if pid="$(mc_running "$s" "$(instance_marker)")"; then
      printf '%-14s running  %s  pid %s\n' "$s" "$(mc_env_get "${URL_KEY[$s]}")" "$pid"
    else
      printf '%-14s stopped\n' "$s"
    fi
  done
}

case "${1:-}" in
  build) services_build --force ;;
  start) services_start ;;
  demo) services_demo ;;
  stop) services_stop ;;
  kill) services_kill "${2:-}" ;;
  status) services_status ;;
  *) printf 'usage: %s build|start|demo|stop|kill <service>|status\n' "$0" >&2; exit 2 ;;
esac
