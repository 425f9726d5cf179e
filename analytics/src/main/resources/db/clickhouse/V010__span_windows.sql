-- The closed days of the standard windows (rollup.windows: the default 30 days, a year) summed per span once,
-- when a day closes, instead of at every query: what Thanos does with downsampled totals for long ranges. A
-- ranking then reads one row per span (about 2,000 for the benchmark's busiest bundle) where it read one per
-- span and day or month (58,000 for its 30 days), and a page reads twenty deployment states where it read 600.
--
-- The rows are sums of the same published pieces as span_daily and span_monthly (RollupRepository builds
-- them from those), so every answer is the one those give. Queries use a window only when it covers exactly
-- the closed days of theirs and none of them is dirty; a rebuild of a tenant's month (a late report, an
-- erasure) builds that tenant's windows again before it settles the dirty marks.
CREATE TABLE IF NOT EXISTS span_windows
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    from_day       Date,
    to_day         Date,
    span_id        UInt64,
    version        LowCardinality(String),
    reason         LowCardinality(String),
    cross_reason   UInt8,
    expands        UInt64,
    collapses      UInt64,
    entries        UInt64,
    devs           AggregateFunction(uniqCombined64(12), String),
    residency_sum  Float64,
    residency_n    UInt64,
    swap_sum       Float64,
    swap_n         UInt64,
    nll            AggregateFunction(quantilesTDigest(0.5, 0.9), Float32),
    last_seen      Date,
    k              UInt16
)
ENGINE = MergeTree
-- One window per partition: built whole into the staging table and swapped in (REPLACE PARTITION), so a
-- query sees a window's old rows or its new ones, never half; dropped two days after it stops being current.
PARTITION BY (from_day, to_day)
-- Serves a ranking (one bundle and kind, every span) and its page's deployments (span_id IN the page).
ORDER BY (tenant, bundle, kind, span_id, version, reason, cross_reason)
-- No TTL: a window is built again every day from the sums, which carry the TTL. A query uses a window only
-- while today is its last day (from_day + length - 1), and a tier's longest window is its retention, so no
-- day a tenant can read in a window has expired; windows no longer current are dropped by the builder.
-- Small granules: a page reads twenty deployment states, and a granule's states are read whole.
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS span_windows_staging AS span_windows;

-- Which windows are built, at which k: queries read the list (in the background) to know which they may use.
CREATE TABLE IF NOT EXISTS window_builds
(
    from_day Date,
    to_day   Date,
    k        UInt16,
    built_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
-- Serves "the windows built at this k": one small table, read whole.
ORDER BY (to_day, from_day);
