#!/usr/bin/env bash
# Local Keycloak 26.7.3 (dev mode, dev-file H2 db) with the megacuration realm: start|stop|status.
#
# The distribution is unzipped once into $MC_CACHE_DIR. Keycloak keeps its data (H2 db, import
# dir, tmp) under <home>/data, and home is the directory above the kc.sh that runs. So each state
# dir gets a small "home" of its own: a copy of bin/kc.sh plus symlinks to the shared conf/, lib/,
# providers/, themes/. Several instances can run beside each other; the one-time dev-mode build
# (lib/quarkus, ~50-90 s on first start) lands in the shared dist and is reused by all of them.
# (Two instances doing that very first build at the same moment could race; start one first.)
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MC_NAME=keycloak

KC_VERSION=26.7.3
KC_DIST="$MC_CACHE_DIR/keycloak-$KC_VERSION"
KC_HOME="$MC_STATE_DIR/keycloak/home"
REALM_FILE="$MC_REPO_ROOT/deploy/keycloak/megacuration-realm.json"
REALM=megacuration
# Keycloak runs on 17 (the default here) but documents 21+: prefer the newer JDK when installed.
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64

ensure_dist() {
  [[ -f "$KC_DIST/.complete" ]] && return 0
  local tmp zip
  mc_say "fetching keycloak-quarkus-dist $KC_VERSION (~170 MB) from Maven Central"
  mkdir -p "$MC_CACHE_DIR"
  tmp="$(mktemp -d "$MC_CACHE_DIR/.keycloak-fetch.XXXXXX")"
  mc_mvn org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$tmp" \
    >>"$(mc_log_file keycloak)" 2>&1 || { rm -rf "$tmp"; mc_tail_log keycloak; mc_die "mvn dependency:copy failed"; }
  zip="$tmp/keycloak-quarkus-dist-$KC_VERSION.zip"
  unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; mc_die "unzip $zip failed"; }
  rm -rf "$KC_DIST"
  mv "$tmp/keycloak-$KC_VERSION" "$KC_DIST"
  rm -rf "$tmp" # the zip also stays in ~/.m2, no need for a second copy
  touch "$KC_DIST/.complete"
}

ensure_home() {
  local d
  mkdir -p "$KC_HOME/bin" "$KC_HOME/data"
  # A real copy: kc.sh derives the home dir from its own resolved path (readlink -f).
  cp -f "$KC_DIST/bin/kc.sh" "$KC_HOME/bin/kc.sh"
  for d in conf lib providers themes version.txt; do
    ln -sfn "$KC_DIST/$d" "$KC_HOME/$d"
  done
}

kc_running() { mc_running keycloak "$KC_HOME/"; }

discovery_ok() {
  [[ "$(mc_curl -o /dev/null -w '%{http_code}' "$1/realms/$REALM/.well-known/openid-configuration")" == 200 ]]
}

# The realm is usable end to end: a password grant for alice via the public test client.
token_ok() {
  mc_curl -f -o /dev/null "$1/realms/$REALM/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=megacuration-cli -d username=alice -d password=alice
}

ready() { discovery_ok "$1" && token_ok "$1"; }

keycloak_start() {
  local pid port mgmt url admin_password java_home="" t0=$SECONDS
  mc_init_dirs
  if pid="$(kc_running)"; then
    url="$(mc_env_get MC_KEYCLOAK_URL)"
    if [[ -n "$url" ]] && ready "$url"; then
      mc_say "already running (pid $pid, $url)"
      return 0
    fi
    mc_die "running (pid $pid) but not answering at '${url}'; run: $0 stop"
  fi
  [[ -f "$REALM_FILE" ]] || mc_die "missing $REALM_FILE"
  ensure_dist
  ensure_home

  # --import-realm never overwrites an existing realm: start from an empty dev db every time so
  # edits to the realm file always apply (the dev db holds nothing else worth keeping).
  # MC_KEYCLOAK_KEEP_DATA=1 restarts on the same db instead (users, keys and sessions kept), as a
  # production Keycloak restarts: the outage tests use it.
  if [[ "${MC_KEYCLOAK_KEEP_DATA:-}" == 1 && -d "$KC_HOME/data/h2" ]]; then
    mc_say "restarting on the existing dev db"
  else
    rm -rf "$KC_HOME/data/h2" "$KC_HOME/data/transaction-logs" "$KC_HOME/data/import" "$KC_HOME/data/tmp"
    mkdir -p "$KC_HOME/data/import"
    cp "$REALM_FILE" "$KC_HOME/data/import/"
  fi

  port="$(mc_pick_port 8180)"
  # Health/metrics are off in dev mode, but pin the management port anyway: its default 9000 is
  # ClickHouse's native port.
  mgmt="$(mc_pick_port 9190 "$port")"
  url="http://127.0.0.1:$port"
  [[ -x "$JDK25/bin/java" ]] && java_home="$JDK25"

  # A master-realm admin for this instance only (the dev db is recreated at every start, so the
  # bootstrap admin is created every time): tests use it to end sessions and shorten lifespans.
  admin_password="$(mc_env_get MC_KEYCLOAK_ADMIN_PASSWORD)"
  [[ -n "$admin_password" ]] || admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  mc_env_set MC_KEYCLOAK_ADMIN_USER mc-admin
  mc_env_set MC_KEYCLOAK_ADMIN_PASSWORD "$admin_password"

  # --cache=local: no clustering, so no non-loopback cluster ports. --hostname fixes the token
  # issuer to the URL clients use.
  pid="$(JAVA_HOME="${java_home:-${JAVA_HOME:-}}" JAVA_OPTS_KC_HEAP="-Xms64m -Xmx384m" \
    KC_BOOTSTRAP_ADMIN_USERNAME=mc-admin KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
    mc_spawn keycloak "$KC_HOME/bin/kc.sh" start-dev --http-port="$port" --http-host=127.0.0.1 \
    --hostname="$url" --cache=local --http-management-port="$mgmt" --import-realm)"
  # First start of a fresh dist rebuilds (~50-90 s on 2 cores); later starts take 10-20 s.
  mc_wait_until keycloak "$pid" 240 "GET $url/realms/$REALM/.well-known/openid-configuration = 200" discovery_ok "$url"
  mc_wait_until keycloak "$pid" 30 "password grant for alice at $url" token_ok "$url"
  mc_env_set MC_KEYCLOAK_URL "$url"
  mc_say "ready at $url (realm $REALM, pid $pid) in $((SECONDS - t0))s"
}

keycloak_stop() {
  local pid
  if pid="$(kc_running)"; then
    # kc.sh forwards SIGTERM to its JVM; mc_stop_pid then cleans up the process group.
    mc_stop_pid keycloak "$pid" 15
    mc_say "stopped (pid $pid)"
  else
    mc_say "not running"
  fi
  mc_env_unset MC_KEYCLOAK_URL
}

keycloak_status() {
  local pid
  if pid="$(kc_running)"; then
    printf '%-10s running  port=%s pid=%s\n' keycloak "$(mc_env_get MC_KEYCLOAK_URL | sed 's/.*://')" "$pid"
  else
    printf '%-10s stopped\n' keycloak
    return 3
  fi
}

mc_main keycloak "${1:-}"
