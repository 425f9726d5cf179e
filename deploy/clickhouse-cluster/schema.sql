-- The analytics schema on a ClickHouse cluster: the same tables and columns as the single-node migrations
-- in analytics/src/main/resources/db/clickhouse/ (V001-V011), as replicated local tables on every shard and
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

-- Raw rows in time order too (V006): the open days' live pieces, closing a day and month rebuilds.
ALTER TABLE span_reports_local ON CLUSTER megacuration ADD PROJECTION IF NOT EXISTS by_time
(
    SELECT *
    ORDER BY (tenant, bundle, kind, window_start)
);

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

-- Stored aggregates of closed days (V005): sharded like span_reports, so a (tenant, bundle) has its raw rows,
-- pieces and sums on one shard. The builder's INSERT ... SELECT from span_reports into span_pieces runs on
-- every shard at once with parallel_distributed_insert_select = 2 (both tables have the same sharding key).
CREATE TABLE IF NOT EXISTS span_pieces_local ON CLUSTER megacuration
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    day            Date,
    at             DateTime('UTC'),
    level          UInt8,
    version        LowCardinality(String),
    span_id        UInt64,
    reason         LowCardinality(String),
    expands        UInt64,
    collapses      UInt64,
    entries        UInt64,
    devs           AggregateFunction(uniqCombined64(12), String),
    -- the allocator's statistics (V007): sums and counts for averages, a t-digest for ΔNLL quantiles
    residency_sum  Float64,
    residency_n    UInt64,
    swap_sum       Float64,
    swap_n         UInt64,
    nll            AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    published      UInt8,
    retention_days UInt16
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_pieces', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves a span's trend and the distinct deployments of a ranking's spans (as on a single node).
ORDER BY (tenant, bundle, kind, span_id, at, version, reason, level)
TTL day + toIntervalDay(retention_days);

CREATE TABLE IF NOT EXISTS span_daily_local ON CLUSTER megacuration
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    day            Date,
    span_id        UInt64,
    version        LowCardinality(String),
    reason         LowCardinality(String),
    cross_reason   UInt8,
    expands        SimpleAggregateFunction(sum, UInt64),
    collapses      SimpleAggregateFunction(sum, UInt64),
    entries        SimpleAggregateFunction(sum, UInt64),
    devs           AggregateFunction(uniqCombined64(12), String),
    residency_sum  SimpleAggregateFunction(sum, Float64),
    residency_n    SimpleAggregateFunction(sum, UInt64),
    swap_sum       SimpleAggregateFunction(sum, Float64),
    swap_n         SimpleAggregateFunction(sum, UInt64),
    nll            AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_daily', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves rankings over a window of days (as on a single node).
ORDER BY (tenant, bundle, kind, day, span_id, version, reason, cross_reason)
TTL day + toIntervalDay(retention_days);

CREATE TABLE IF NOT EXISTS span_monthly_local ON CLUSTER megacuration
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    month          Date,
    span_id        UInt64,
    version        LowCardinality(String),
    reason         LowCardinality(String),
    cross_reason   UInt8,
    expands        SimpleAggregateFunction(sum, UInt64),
    collapses      SimpleAggregateFunction(sum, UInt64),
    entries        SimpleAggregateFunction(sum, UInt64),
    devs           AggregateFunction(uniqCombined64(12), String),
    residency_sum  SimpleAggregateFunction(sum, Float64),
    residency_n    SimpleAggregateFunction(sum, UInt64),
    swap_sum       SimpleAggregateFunction(sum, Float64),
    swap_n         SimpleAggregateFunction(sum, UInt64),
    nll            AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    last_seen      SimpleAggregateFunction(max, Date),
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_monthly', '{replica}')
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16)
-- Serves rankings over whole months of a long window (as on a single node).
ORDER BY (tenant, bundle, kind, month, span_id, version, reason, cross_reason)
TTL month + toIntervalDay(retention_days);

-- The views live next to the local tables: each shard sums the pieces it stores.
CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_mv ON CLUSTER megacuration TO span_daily_local AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_local WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_mv ON CLUSTER megacuration TO span_monthly_local AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_local WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- Rebuild staging, per shard, with the same views; REPLACE PARTITION ... ON CLUSTER swaps each shard's month
-- (megacuration.analytics.cluster=megacuration makes analytics address the _local tables ON CLUSTER).
-- REPLACE PARTITION needs the same engine family, so the staging tables are replicated too.
CREATE TABLE IF NOT EXISTS span_pieces_rebuild_local ON CLUSTER megacuration AS span_pieces_local
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_pieces_rebuild', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16) ORDER BY (tenant, bundle, kind, span_id, at, version, reason, level);
CREATE TABLE IF NOT EXISTS span_daily_rebuild_local ON CLUSTER megacuration AS span_daily_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_daily_rebuild', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16) ORDER BY (tenant, bundle, kind, day, span_id, version, reason, cross_reason);
CREATE TABLE IF NOT EXISTS span_monthly_rebuild_local ON CLUSTER megacuration AS span_monthly_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_monthly_rebuild', '{replica}')
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16) ORDER BY (tenant, bundle, kind, month, span_id, version, reason, cross_reason);
CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_rebuild_mv ON CLUSTER megacuration TO span_daily_rebuild_local AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_rebuild_local WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;
CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_rebuild_mv ON CLUSTER megacuration TO span_monthly_rebuild_local AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_rebuild_local WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- The names analytics queries and inserts into.
CREATE TABLE IF NOT EXISTS span_pieces ON CLUSTER megacuration AS span_pieces_local
ENGINE = Distributed(megacuration, currentDatabase(), span_pieces_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_daily ON CLUSTER megacuration AS span_daily_local
ENGINE = Distributed(megacuration, currentDatabase(), span_daily_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_monthly ON CLUSTER megacuration AS span_monthly_local
ENGINE = Distributed(megacuration, currentDatabase(), span_monthly_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_pieces_rebuild ON CLUSTER megacuration AS span_pieces_rebuild_local
ENGINE = Distributed(megacuration, currentDatabase(), span_pieces_rebuild_local, sipHash64(tenant, bundle));

-- Stored pieces of open days (V008): sharded like span_reports, so the refresher's cut of a group reads and
-- writes one shard. REPLACE PARTITION goes to the local tables ON CLUSTER (repository/MaintenanceTarget).
CREATE TABLE IF NOT EXISTS span_open_pieces_local ON CLUSTER megacuration AS span_pieces_local
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_open_pieces', '{replica}')
PARTITION BY (day, sipHash64(tenant, bundle) % 16)
-- Serves the open-day part of rankings, pages and trends (as on a single node, V012: published pieces first).
ORDER BY (tenant, bundle, kind, published, span_id, at, version, reason, level)
SETTINGS index_granularity = 256;
ALTER TABLE span_open_pieces_local ON CLUSTER megacuration ADD COLUMN IF NOT EXISTS k UInt16;
-- The raw block a partition holds every row through (V013). The refresher on a cluster compares counts instead
-- (each shard numbers its own blocks), and leaves it 0.
ALTER TABLE span_open_pieces_local ON CLUSTER megacuration ADD COLUMN IF NOT EXISTS through_block UInt64;
CREATE TABLE IF NOT EXISTS span_open_pieces_staging_local ON CLUSTER megacuration AS span_open_pieces_local
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_open_pieces_staging', '{replica}')
PARTITION BY (day, sipHash64(tenant, bundle) % 16)
ORDER BY (tenant, bundle, kind, published, span_id, at, version, reason, level)
SETTINGS index_granularity = 256;
CREATE TABLE IF NOT EXISTS span_open_pieces ON CLUSTER megacuration AS span_open_pieces_local
ENGINE = Distributed(megacuration, currentDatabase(), span_open_pieces_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_open_pieces_staging ON CLUSTER megacuration AS span_open_pieces_staging_local
ENGINE = Distributed(megacuration, currentDatabase(), span_open_pieces_staging_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS open_day_sweeps ON CLUSTER megacuration
(checked_at DateTime64(3, 'UTC'), first_day Date, k UInt16)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/open_day_sweeps', '{replica}')
-- Serves "the last check", read in the background by every instance.
ORDER BY checked_at
TTL toDateTime(checked_at) + toIntervalHour(1);

-- Span-ordered sums (V009) and standard windows (V010), sharded like the sums they copy.
CREATE TABLE IF NOT EXISTS span_daily_by_span_local ON CLUSTER megacuration AS span_daily_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_daily_by_span', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves the deployments and statistics of a ranking's page over a window of days.
ORDER BY (tenant, bundle, kind, span_id, day, version, reason, cross_reason)
TTL day + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;
CREATE TABLE IF NOT EXISTS span_monthly_by_span_local ON CLUSTER megacuration AS span_monthly_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_monthly_by_span', '{replica}')
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16)
-- Serves the deployments and statistics of a ranking's page over the whole months of a long window.
ORDER BY (tenant, bundle, kind, span_id, month, version, reason, cross_reason)
TTL month + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;
-- Their views and _rebuild twins, as those of span_daily_local and span_monthly_local (V009 on one node).
-- Upgrading a cluster that has data: fill each from the table it copies once, as V009 does.
CREATE TABLE IF NOT EXISTS span_daily_by_span_rebuild_local ON CLUSTER megacuration AS span_daily_by_span_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_daily_by_span_rebuild', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
ORDER BY (tenant, bundle, kind, span_id, day, version, reason, cross_reason);
CREATE TABLE IF NOT EXISTS span_monthly_by_span_rebuild_local ON CLUSTER megacuration AS span_monthly_by_span_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_monthly_by_span_rebuild', '{replica}')
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16)
ORDER BY (tenant, bundle, kind, span_id, month, version, reason, cross_reason);
CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_by_span_mv ON CLUSTER megacuration TO span_daily_by_span_local AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_local WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;
CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_by_span_mv ON CLUSTER megacuration TO span_monthly_by_span_local AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_local WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;
CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_by_span_rebuild_mv ON CLUSTER megacuration TO span_daily_by_span_rebuild_local AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_rebuild_local WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;
CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_by_span_rebuild_mv ON CLUSTER megacuration TO span_monthly_by_span_rebuild_local AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_rebuild_local WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;
CREATE TABLE IF NOT EXISTS span_daily_by_span ON CLUSTER megacuration AS span_daily_by_span_local
ENGINE = Distributed(megacuration, currentDatabase(), span_daily_by_span_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_monthly_by_span ON CLUSTER megacuration AS span_monthly_by_span_local
ENGINE = Distributed(megacuration, currentDatabase(), span_monthly_by_span_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_windows_local ON CLUSTER megacuration
(
    tenant LowCardinality(String), bundle LowCardinality(String), kind Enum8('expand' = 1, 'stale' = 2),
    from_day Date, to_day Date, span_id UInt64, version LowCardinality(String), reason LowCardinality(String),
    cross_reason UInt8, expands UInt64, collapses UInt64, entries UInt64,
    devs AggregateFunction(uniqCombined64(12), String), residency_sum Float64, residency_n UInt64,
    swap_sum Float64, swap_n UInt64, nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    last_seen Date, k UInt16
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_windows', '{replica}')
PARTITION BY (from_day, to_day)
-- Serves a ranking over a standard window and its page's deployments (as on a single node).
ORDER BY (tenant, bundle, kind, span_id, version, reason, cross_reason)
SETTINGS index_granularity = 256;
CREATE TABLE IF NOT EXISTS span_windows_staging_local ON CLUSTER megacuration AS span_windows_local
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/span_windows_staging', '{replica}')
PARTITION BY (from_day, to_day)
ORDER BY (tenant, bundle, kind, span_id, version, reason, cross_reason)
SETTINGS index_granularity = 256;
CREATE TABLE IF NOT EXISTS span_windows ON CLUSTER megacuration AS span_windows_local
ENGINE = Distributed(megacuration, currentDatabase(), span_windows_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS span_windows_staging ON CLUSTER megacuration AS span_windows_staging_local
ENGINE = Distributed(megacuration, currentDatabase(), span_windows_staging_local, sipHash64(tenant, bundle));
CREATE TABLE IF NOT EXISTS window_builds ON CLUSTER megacuration
(from_day Date, to_day Date, k UInt16, built_at DateTime64(3, 'UTC') DEFAULT now64(3))
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/window_builds', '{replica}')
-- Serves "the windows built at this k", read in the background by every instance.
ORDER BY (to_day, from_day);

-- A span's day and week trend over closed days (V011), sharded like the sums; fed by every piece (the sums and
-- states of the published ones only), with a _rebuild twin for the month rebuilds.
CREATE TABLE IF NOT EXISTS span_trend_daily_local ON CLUSTER megacuration
(
    tenant LowCardinality(String), bundle LowCardinality(String), kind Enum8('expand' = 1, 'stale' = 2),
    day Date, span_id UInt64, version LowCardinality(String), expands SimpleAggregateFunction(sum, UInt64),
    entries SimpleAggregateFunction(sum, UInt64), devs AggregateFunction(uniqCombined64(12), String),
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_trend_daily', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves a span's trend in day and week buckets (as on a single node).
ORDER BY (tenant, bundle, kind, span_id, day, version)
TTL day + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;
CREATE TABLE IF NOT EXISTS span_trend_daily_rebuild_local ON CLUSTER megacuration AS span_trend_daily_local
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/span_trend_daily_rebuild', '{replica}')
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16) ORDER BY (tenant, bundle, kind, span_id, day, version);
CREATE MATERIALIZED VIEW IF NOT EXISTS span_trend_daily_mv ON CLUSTER megacuration TO span_trend_daily_local AS
SELECT tenant, bundle, kind, day, span_id, version, sumIf(expands, published) AS expands,
       sumIf(entries, published) AS entries, uniqCombined64MergeStateIf(12)(devs, published) AS devs,
       min(retention_days) AS retention_days
FROM span_pieces_local GROUP BY tenant, bundle, kind, day, span_id, version;
CREATE MATERIALIZED VIEW IF NOT EXISTS span_trend_daily_rebuild_mv ON CLUSTER megacuration TO span_trend_daily_rebuild_local AS
SELECT tenant, bundle, kind, day, span_id, version, sumIf(expands, published) AS expands,
       sumIf(entries, published) AS entries, uniqCombined64MergeStateIf(12)(devs, published) AS devs,
       min(retention_days) AS retention_days
FROM span_pieces_rebuild_local GROUP BY tenant, bundle, kind, day, span_id, version;
CREATE TABLE IF NOT EXISTS span_trend_daily ON CLUSTER megacuration AS span_trend_daily_local
ENGINE = Distributed(megacuration, currentDatabase(), span_trend_daily_local, sipHash64(tenant, bundle));

-- Bookkeeping: small, read on every query, one copy on every node.
CREATE TABLE IF NOT EXISTS rollup_builds ON CLUSTER megacuration
(day Date, k UInt16, built_at DateTime64(3, 'UTC') DEFAULT now64(3))
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/rollup_builds', '{replica}')
-- Serves "the last day built at this k".
ORDER BY (k, day);
CREATE TABLE IF NOT EXISTS rollup_dirty ON CLUSTER megacuration
(tenant LowCardinality(String), day Date, marked_at DateTime64(3, 'UTC'))
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/rollup_dirty', '{replica}')
-- Serves "the dirty days of this tenant" and the builder's months to rebuild.
ORDER BY (tenant, day)
TTL toDateTime(marked_at) + toIntervalDay(30);
CREATE TABLE IF NOT EXISTS rollup_rebuilds ON CLUSTER megacuration
(tenant LowCardinality(String), month Date, resolved_until DateTime64(3, 'UTC'))
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/rollup_rebuilds', '{replica}')
-- Serves the dirty-day lookup, joined per (tenant, month).
ORDER BY (tenant, month)
TTL toDateTime(resolved_until) + toIntervalDay(40);

CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER megacuration
(name String, applied_at DateTime('UTC') DEFAULT now())
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/schema_migrations', '{replica}')
-- One row per applied file, read whole at start-up.
ORDER BY name;

-- Record the single-node files as applied, so analytics (megacuration.analytics.migrate-at-start=false on a
-- cluster) and a later look at the table agree on what the schema is.
INSERT INTO schema_migrations (name) VALUES ('V001__span_reports.sql'), ('V002__span_statistics.sql'),
    ('V003__erased_deployments.sql'), ('V004__report_ledger_and_retention.sql'), ('V005__published_pieces.sql'),
    ('V006__span_reports_by_time.sql'), ('V007__piece_statistics.sql'), ('V008__open_day_pieces.sql'),
    ('V009__sums_by_span.sql'), ('V010__span_windows.sql'), ('V011__span_trends.sql'),
    ('V012__open_pieces_published_first.sql'), ('V013__open_pieces_by_block.sql');
