-- The daily and monthly sums again, in span order, for one question: the distinct deployments and statistics
-- of one page of a ranking (twenty spans) over the window's closed days. span_daily and span_monthly are in
-- day order, which a ranking needs (one bundle's days are contiguous), so a page's twenty spans were spread
-- over every granule of the window, and reading a deployment state costs as much whether its row is wanted
-- or not: 20-30 ms for a busy bundle's 30 days (deploy/bench/analytics-results.md). Here a page's rows are
-- contiguous per span, in granules of 256 rows.
CREATE TABLE IF NOT EXISTS span_daily_by_span AS span_daily
ENGINE = AggregatingMergeTree
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves the deployments and statistics of a ranking's page (span_id IN the page) over a window of days.
ORDER BY (tenant, bundle, kind, span_id, day, version, reason, cross_reason)
TTL day + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS span_monthly_by_span AS span_monthly
ENGINE = AggregatingMergeTree
PARTITION BY (toYYYYMM(month), sipHash64(tenant) % 16)
-- Serves the deployments and statistics of a ranking's page over the whole months of a long window.
ORDER BY (tenant, bundle, kind, span_id, month, version, reason, cross_reason)
TTL month + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;

-- Rebuilds swap these partitions with the others (RollupRepository.TABLES).
CREATE TABLE IF NOT EXISTS span_daily_by_span_rebuild AS span_daily_by_span;
CREATE TABLE IF NOT EXISTS span_monthly_by_span_rebuild AS span_monthly_by_span;

-- The same sums as span_daily_mv and span_monthly_mv (V007), from the same published pieces.
CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_by_span_mv TO span_daily_by_span AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_by_span_mv TO span_monthly_by_span AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_daily_by_span_rebuild_mv TO span_daily_by_span_rebuild AS
SELECT tenant, bundle, kind, day, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, day, span_id, version, reason, cross_reason;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_monthly_by_span_rebuild_mv TO span_monthly_by_span_rebuild AS
SELECT tenant, bundle, kind, toStartOfMonth(day) AS month, span_id, version, reason, level = 2 AS cross_reason,
       sum(expands) AS expands, sum(collapses) AS collapses, sum(entries) AS entries,
       uniqCombined64MergeState(12)(devs) AS devs, sum(residency_sum) AS residency_sum,
       sum(residency_n) AS residency_n, sum(swap_sum) AS swap_sum, sum(swap_n) AS swap_n,
       quantilesTDigestMergeState(0.5, 0.9)(nll) AS nll, max(day) AS last_seen, min(retention_days) AS retention_days
FROM span_pieces_rebuild
WHERE published
GROUP BY tenant, bundle, kind, month, span_id, version, reason, cross_reason;

-- The days closed before this file. Only the rollup builder inserts into span_pieces, and it starts after the
-- migrations, so nothing reaches the new tables through their views meanwhile. A year of days is over 100
-- partitions (months times tenant slices), more than one insert may write by default.
INSERT INTO span_daily_by_span SELECT * FROM span_daily SETTINGS max_partitions_per_insert_block = 0;
INSERT INTO span_monthly_by_span SELECT * FROM span_monthly SETTINGS max_partitions_per_insert_block = 0;
