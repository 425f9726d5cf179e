-- The analytics schema on a ClickHouse cluster: the same tables and columns as the single-node migrations
-- in analytics/src/main/resources/db/clickhouse/ (V001-V004), as replicated local tables on every shard and
-- Distributed tables in front of them. Cluster name: megacuration (see README.md). Apply once, as a
-- migration user, with: clickhouse-client --multiquery < schema.sql

-- Raw span telemetry, one shard per (tenant, bundle): every query of the API names one bundle, so with
-- optimize_skip_unused_shards it reads one shard, and a report's rows (one bundle) never span shards, which
-- keeps the consumer's report-id check exact.
CREATE TABLE IF NOT EXISTS span_reports_local ON CLUSTER megacuration
(
    tenant            LowCardinality(String),
    bundle            LowCardinality(String),
    version           LowCardinality(String),
    span_id           UInt64,
    kind              Enum8('expand' = 1, 'stale' = 2),
    expands           UInt32,
    collapses         UInt32 DEFAULT 0,
    residency         Nullable(Float32),
    swap_rate         Nullable(Float32),
    delta_nll         Nullable(Float32),
    delta_nll_horizon Nullable(UInt8),
    last_access_step  Nullable(UInt64),
    access_count      Nullable(UInt64),
    stale_reason      LowCardinality(String),
    deployment        String,
    report_id         UUID,
    window_start      DateTime('UTC'),
    window_end        DateTime('UTC'),
    received_at       DateTime('UTC'),
    retention_days    UInt16 DEFAULT 1095,
    INDEX report_id_bloom report_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_reports', '{replica}')
PARTITION BY toYYYYMM(window_start)
-- Serves every API query: tenant and bundle prefix them all, version and span_id group the rankings and
-- the curation feed, window_start bounds the time range (as on a single node).
ORDER BY (tenant, bundle, version, span_id, window_start)
TTL window_start + toIntervalDay(retention_days);

CREATE TABLE IF NOT EXISTS span_reports ON CLUSTER megacuration AS span_reports_local
ENGINE = Distributed(megacuration, currentDatabase(), span_reports_local, sipHash64(tenant, bundle));

-- Erased pseudonyms: small, read whole by every consumer, so one copy on every node (a single shard
-- replicated everywhere) rather than sharded.
CREATE TABLE IF NOT EXISTS erased_deployments ON CLUSTER megacuration
(
    tenant     LowCardinality(String),
    deployment String,
    erased_at  DateTime('UTC') DEFAULT now()
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/erased_deployments', '{replica}')
-- Serves the consumer's full load of the set; one row per pseudonym.
ORDER BY (tenant, deployment);

CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER megacuration
(name String, applied_at DateTime('UTC') DEFAULT now())
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/schema_migrations', '{replica}')
-- One row per applied file, read whole at start-up.
ORDER BY name;

-- Record the single-node files as applied, so analytics (megacuration.analytics.migrate-at-start=false on a
-- cluster) and a later look at the table agree on what the schema is.
INSERT INTO schema_migrations (name) VALUES ('V001__span_reports.sql'), ('V002__span_statistics.sql'),
    ('V003__erased_deployments.sql'), ('V004__report_ledger_and_retention.sql');
