#!/usr/bin/env bash
# The topics of a production Kafka cluster (three or more brokers). Idempotent: run it at every deploy.
#   KAFKA_HOME=/opt/kafka BOOTSTRAP=kafka-0.kafka:9092 deploy/kafka/topics.sh [--command-config client.properties]
# Replication 3 with min.insync.replicas=2: ingest produces with acks=all, so a 202 means two brokers
# hold the report, and one broker can be lost (or restarted for an upgrade) without refusing reports.
set -euo pipefail
: "${KAFKA_HOME:?set KAFKA_HOME to a Kafka 4.x distribution}" "${BOOTSTRAP:?set BOOTSTRAP to the brokers}"

topic() {
  local name="$1" partitions="$2" retention_ms="$3"
  "$KAFKA_HOME/bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" "${@:4}" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 3 \
    --config min.insync.replicas=2 --config retention.ms="$retention_ms" \
    --config cleanup.policy=delete --config unclean.leader.election.enable=false \
    --config max.message.bytes=2097152
  # A topic created before the 2 MiB records gets them too.
  "$KAFKA_HOME/bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" "${@:4}" --alter --entity-type topics \
    --entity-name "$name" --add-config max.message.bytes=2097152
}

# A record may be 2 MiB (ingest-api's max.request.size: a report of up to 1 MiB, written as JSON).
# usage-reports: accepted reports, keyed by tenant/bundle (one bundle stays on one partition, in order).
# 12 partitions: up to 12 analytics consumers; raising it later re-keys bundles (order breaks only across
# the change). 7 days of retention is how long ClickHouse may be down before reports are lost; the
# analytics consumer drops re-read report ids and erased pseudonyms, so replaying it is safe.
topic usage-reports 12 $((7 * 24 * 3600 * 1000)) "$@"
# usage-reports-dlq: records analytics could never parse, with the reason in headers; kept 30 days for
# an operator to read.
topic usage-reports-dlq 3 $((30 * 24 * 3600 * 1000)) "$@"
