#!/usr/bin/env bash
# Installs the Debian packages the local stack needs, when any is missing: a JDK 17+, Maven, gcc
# (the ClickHouse launcher), npm (fetches the ClickHouse engine), PostgreSQL, curl, unzip, ss and
# flock. Everything else (Kafka, Keycloak, chDB, Maven dependencies) is fetched by the scripts into
# the cache. Runs in well under a second when nothing is missing. With --browser (the test run) also
# Debian's chromium and chromedriver, for the portal's real-browser test.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MC_NAME=prereqs

declare -A PACKAGE_OF=(
  [java]=openjdk-17-jdk-headless [javac]=openjdk-17-jdk-headless [mvn]=maven [gcc]=gcc [npm]=npm
  [curl]=curl [unzip]=unzip [ss]=iproute2 [flock]=util-linux [runuser]=util-linux [setsid]=util-linux
)
missing=()
for tool in "${!PACKAGE_OF[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$tool]}")
done
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)

if ((${#missing[@]} > 0)); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [[ $EUID -eq 0 ]] || mc_die "missing packages: ${missing[*]} (run once as root, or: sudo apt-get install -y ${missing[*]})"
  mc_say "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == --browser ]] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || mc_die "missing packages: chromium chromium-driver (sudo apt-get install -y chromium chromium-driver)"
  mc_say "installing chromium chromium-driver (the portal's browser test)"
  apt-get update -q >/dev/null
  # Without recommends: a headless browser needs no desktop services.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
fi

java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
((${java_major:-0} >= 17)) || mc_die "Java 17 or newer is needed, found ${java_major:-none}"
