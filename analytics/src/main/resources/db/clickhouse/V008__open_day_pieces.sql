-- The pieces of open days, kept current by the open-day refresher (service/OpenDayRefresher) so that a query
-- about today reads stored pieces instead of cutting the day's raw rows again. Cutting a busy bundle's open
-- day took 40-45 ms of every ranking on its own (deploy/bench/analytics-results.md), more than the query
-- target; stored, the same pieces take a few milliseconds to read.
--
-- The pieces are exactly those PieceSql cuts from span_reports (same grid, same columns), for whole groups:
-- a group is one (tenant, bundle) on one open day, both kinds. About once a second the refresher compares
-- each group's raw row count with the rows its stored leaves count (sum(entries) of level 0) and cuts again
-- every group that differs: new reports, an erasure, a group not stored yet. Queries trust the pieces only
-- while the refresher's last check is recent (open_day_sweeps); otherwise they cut the raw rows as before.
CREATE TABLE IF NOT EXISTS span_open_pieces
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
    residency_sum  Float64,
    residency_n    UInt64,
    swap_sum       Float64,
    swap_n         UInt64,
    nll            AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    published      UInt8,
    retention_days UInt16,
    -- the threshold the pieces were cut at: a query at another k ignores them
    k              UInt16
)
ENGINE = MergeTree
-- An open day in 16 slices by (tenant, bundle): a refresh replaces one slice at a time (REPLACE PARTITION),
-- copying the other groups of the slice as they are, so a query sees a group's old pieces or its new ones,
-- never half. Partitions of days closed since are dropped by the refresher.
PARTITION BY (day, sipHash64(tenant, bundle) % 16)
-- Serves the open-day part of a ranking (one bundle and kind, all spans), of a page's deployments (span_id IN
-- the page) and of a span's trend: tenant, bundle and kind prefix all of them, the span narrows to a few
-- granules; the refresher's count per group reads the same prefix.
ORDER BY (tenant, bundle, kind, span_id, at, version, reason, level)
-- Small granules: a page reads the deployment states of twenty spans, and a state is read whole for every
-- row of a granule (8,192 rows of states cost 20-30 ms to read, 256 about 4).
SETTINGS index_granularity = 256;

-- A refresh cuts a slice here, then swaps it in.
CREATE TABLE IF NOT EXISTS span_open_pieces_staging AS span_open_pieces;

-- The refresher's checks: after one, every group of the days from first_day on held the pieces of all the raw
-- rows it had when the check began (checked_at).
CREATE TABLE IF NOT EXISTS open_day_sweeps
(
    checked_at DateTime64(3, 'UTC'),
    first_day  Date,
    k          UInt16
)
ENGINE = MergeTree
-- Serves "the last check": one small table, read whole (an hour of checks at most).
ORDER BY checked_at
TTL toDateTime(checked_at) + toIntervalHour(1);
