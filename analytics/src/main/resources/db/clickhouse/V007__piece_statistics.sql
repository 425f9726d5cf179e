-- The allocator's statistics in the stored aggregates: residency and swap rate averages (as sums and counts,
-- so any union of pieces averages exactly), ΔNLL quantiles (a t-digest state, merged like the deployments),
-- and the last day a span was seen. Like every other number they are summed over published pieces only, so
-- an average or a quantile always rests on k or more deployments. Raw values that a client did not measure
-- are NULL in span_reports and left out here, never averaged in as zero.
ALTER TABLE span_pieces
    ADD COLUMN IF NOT EXISTS residency_sum Float64 AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n UInt64 AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum Float64 AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n UInt64 AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n;
ALTER TABLE span_pieces_rebuild
    ADD COLUMN IF NOT EXISTS residency_sum Float64 AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n UInt64 AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum Float64 AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n UInt64 AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n;

-- The daily sums know their day; a month's row keeps its last day with a published piece.
ALTER TABLE span_daily
    ADD COLUMN IF NOT EXISTS residency_sum SimpleAggregateFunction(sum, Float64) AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n SimpleAggregateFunction(sum, UInt64) AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum SimpleAggregateFunction(sum, Float64) AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n SimpleAggregateFunction(sum, UInt64) AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n;
ALTER TABLE span_daily_rebuild
    ADD COLUMN IF NOT EXISTS residency_sum SimpleAggregateFunction(sum, Float64) AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n SimpleAggregateFunction(sum, UInt64) AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum SimpleAggregateFunction(sum, Float64) AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n SimpleAggregateFunction(sum, UInt64) AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n;
ALTER TABLE span_monthly
    ADD COLUMN IF NOT EXISTS residency_sum SimpleAggregateFunction(sum, Float64) AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n SimpleAggregateFunction(sum, UInt64) AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum SimpleAggregateFunction(sum, Float64) AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n SimpleAggregateFunction(sum, UInt64) AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n,
    ADD COLUMN IF NOT EXISTS last_seen SimpleAggregateFunction(max, Date) AFTER nll;
ALTER TABLE span_monthly_rebuild
    ADD COLUMN IF NOT EXISTS residency_sum SimpleAggregateFunction(sum, Float64) AFTER devs,
    ADD COLUMN IF NOT EXISTS residency_n SimpleAggregateFunction(sum, UInt64) AFTER residency_sum,
    ADD COLUMN IF NOT EXISTS swap_sum SimpleAggregateFunction(sum, Float64) AFTER residency_n,
    ADD COLUMN IF NOT EXISTS swap_n SimpleAggregateFunction(sum, UInt64) AFTER swap_sum,
    ADD COLUMN IF NOT EXISTS nll AggregateFunction(quantilesTDigest(0.5, 0.9), Float32) AFTER swap_n,
    ADD COLUMN IF NOT EXISTS last_seen SimpleAggregateFunction(max, Date) AFTER nll;

-- The views of V005 again, with the new columns. Only the rollup builder inserts into span_pieces, and it
-- starts after the migrations; the pieces cut before this file are emptied below anyway.
DROP VIEW IF EXISTS span_daily_mv;
DROP VIEW IF EXISTS span_monthly_mv;
DROP VIEW IF EXISTS span_daily_rebuild_mv;
DROP VIEW IF EXISTS span_monthly_rebuild_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_mv TO span_daily AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_mv TO span_monthly AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_rebuild_mv TO span_daily_rebuild AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_rebuild_mv TO span_monthly_rebuild AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- Pieces cut before this file lack the new columns: forget them all (as a change of k does, see
-- RollupRepository.reset), bookkeeping first, and the builder closes every day again from the raw rows.
TRUNCATE TABLE IF EXISTS rollup_builds;
TRUNCATE TABLE IF EXISTS rollup_rebuilds;
TRUNCATE TABLE IF EXISTS span_pieces;
TRUNCATE TABLE IF EXISTS span_daily;
TRUNCATE TABLE IF EXISTS span_monthly;
