-- Aggregates for closed days. A day is closed once no report about it is expected any more
-- (megacuration.analytics.rollup.lateness after its end); RollupBuilder then computes its piece grid (see
-- privacy/README.md) from span_reports once, and the materialized views below sum the published pieces
-- into daily and monthly totals. Open days, and closed days that received a late report or lost rows to an
-- erasure since ("dirty" days), are computed from span_reports at query time until they are rebuilt.
--
-- Why pieces and not an hourly rollup of raw counts: the published numbers are sums of pieces (an hour leaf
-- with k deployments, then day residuals), and whether a residual exists depends on the whole day, so a
-- piece is only final when its day is. Every table below holds pieces or sums of published pieces only, so
-- nothing read from it can be finer than what the privacy method allows.
--
-- Distinct deployments are uniqCombined64(12) states (at most 3 KB): exact, up to 64-bit hash collisions,
-- below 144 distinct values, and within about 2% above. A tenant's k is at most 100, so every comparison
-- with k is exact; only the larger counts that are shown can be off by a little.

-- Every piece of every closed day, published or not (an unpublished piece still says "below threshold"
-- rather than "none" in the curation feed), with its deployments as a state so that unions can be counted.
CREATE TABLE IF NOT EXISTS span_pieces
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    day            Date,
    -- the hour of a leaf (level 0), the day of a residual (levels 1 and 2)
    at             DateTime('UTC'),
    -- 0: hour leaf; 1: a day's residual per stale reason; 2: a day's residual across reasons
    level          UInt8,
    version        LowCardinality(String),
    span_id        UInt64,
    reason         LowCardinality(String),
    expands        UInt64,
    collapses      UInt64,
    entries        UInt64,
    devs           AggregateFunction(uniqCombined64(12), String),
    published      UInt8,
    retention_days UInt16
)
ENGINE = MergeTree
-- A month in 16 slices by tenant: a rebuild (a late report, an erasure) replaces one slice of one month,
-- copying a sixteenth of the other tenants' pieces instead of all of them.
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves a span's trend (one span of a bundle over a time range, hourly for enterprise) and the distinct
-- deployments of one page of a ranking (span_id IN the page): tenant, bundle and kind prefix both, the span
-- narrows to a few granules, `at` bounds the window.
ORDER BY (tenant, bundle, kind, span_id, at, version, reason, level)
TTL day + toIntervalDay(retention_days);

-- Published pieces summed per day: rankings (top expanded, stale) over recent windows.
CREATE TABLE IF NOT EXISTS span_daily
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    day            Date,
    span_id        UInt64,
    version        LowCardinality(String),
    reason         LowCardinality(String),
    -- a level-2 piece: counted in totals, left out of per-reason rankings
    cross_reason   UInt8,
    expands        SimpleAggregateFunction(sum, UInt64),
    collapses      SimpleAggregateFunction(sum, UInt64),
    entries        SimpleAggregateFunction(sum, UInt64),
    devs           AggregateFunction(uniqCombined64(12), String),
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves rankings over a window of days: one bundle's rows for a day range are contiguous, then summed
-- per span; daily trends of one span filter on span_id within that range.
ORDER BY (tenant, bundle, kind, day, span_id, version, reason, cross_reason)
TTL day + toIntervalDay(retention_days);

-- Published pieces summed per calendar month: rankings over long windows (a 365-day window reads twelve
-- rows per span instead of 365). A month's row only counts days already closed.
CREATE TABLE IF NOT EXISTS span_monthly
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
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16)
-- Serves rankings over whole months of a long window: one bundle's months are contiguous, summed per span.
ORDER BY (tenant, bundle, kind, month, span_id, version, reason, cross_reason)
-- Dropped when the month's first day expires: an aggregate never outlives a raw row it counted.
TTL month + toIntervalDay(retention_days);

CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_mv TO span_daily AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_mv TO span_monthly AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- Rebuilds (a late report, an erasure) compute a month here, fed by the same views, and then swap each
-- table's slice of the month in one step (REPLACE PARTITION), so a query sees the old month or the new, never half.
CREATE TABLE IF NOT EXISTS span_pieces_rebuild AS span_pieces;
CREATE TABLE IF NOT EXISTS span_daily_rebuild AS span_daily;
CREATE TABLE IF NOT EXISTS span_monthly_rebuild AS span_monthly;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_rebuild_mv TO span_daily_rebuild AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_rebuild_mv TO span_monthly_rebuild AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- Which days are closed, and at which k their pieces were cut: queries read stored pieces only below the
-- first day not built at the running k (a change of k rebuilds everything).
CREATE TABLE IF NOT EXISTS rollup_builds
(
    day      Date,
    k        UInt16,
    built_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
-- Serves "the last day built at this k": one small table, read whole.
ORDER BY (k, day);

-- A closed day that received rows after it was built (a late report) or lost rows (an erasure). Written by
-- the consumer before the rows it announces, so a mark can be early, never missing.
CREATE TABLE IF NOT EXISTS rollup_dirty
(
    tenant    LowCardinality(String),
    day       Date,
    marked_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
-- Serves "the dirty days of this tenant" on every query and the builder's "which months to rebuild".
ORDER BY (tenant, day)
TTL toDateTime(marked_at) + toIntervalDay(30);

-- A rebuild of one tenant's month settles every mark of that month written before `resolved_until`.
CREATE TABLE IF NOT EXISTS rollup_rebuilds
(
    tenant         LowCardinality(String),
    month          Date,
    resolved_until DateTime64(3, 'UTC')
)
ENGINE = MergeTree
-- Serves the dirty-day lookup, joined per (tenant, month).
ORDER BY (tenant, month)
TTL toDateTime(resolved_until) + toIntervalDay(40);
