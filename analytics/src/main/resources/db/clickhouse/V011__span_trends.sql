-- A span's day and week trend over closed days from one table read. The trend read span_daily_by_span for the
-- published sums and span_pieces for the days with only unpublished pieces (a bucket of those still existed,
-- shown as below threshold): two tables whose rows also carry versions, reasons and statistics a trend never
-- shows. A year of the benchmark's hottest span took about 40 ms there; here one row per span, day and
-- version carries what a bucket shows (deploy/bench/analytics-results.md).
--
-- Fed by every piece, published or not: the sums and the deployment state are of the published pieces only,
-- and a row whose sums are zero and whose state is empty is a day whose pieces were all unpublished.
CREATE TABLE IF NOT EXISTS span_trend_daily
(
    tenant         LowCardinality(String),
    bundle         LowCardinality(String),
    kind           Enum8('expand' = 1, 'stale' = 2),
    day            Date,
    span_id        UInt64,
    version        LowCardinality(String),
    expands        SimpleAggregateFunction(sum, UInt64),
    entries        SimpleAggregateFunction(sum, UInt64),
    devs           AggregateFunction(uniqCombined64(12), String),
    retention_days SimpleAggregateFunction(min, UInt16)
)
ENGINE = AggregatingMergeTree
-- The grain of the other sums: a rebuild swaps the same (month, tenant slice) partitions of every table.
PARTITION BY (toYYYYMM(day), sipHash64(tenant) % 16)
-- Serves a span's trend in day and week buckets (one span, every day of the window: contiguous rows).
ORDER BY (tenant, bundle, kind, span_id, day, version)
TTL day + toIntervalDay(retention_days)
-- Small granules: a trend reads one span's rows, and a granule's deployment states are read whole.
SETTINGS index_granularity = 256;

-- Rebuilds swap these partitions with the others (RollupRepository.TABLES).
CREATE TABLE IF NOT EXISTS span_trend_daily_rebuild AS span_trend_daily;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_trend_daily_mv TO span_trend_daily AS
SELECT tenant, bundle, kind, day, span_id, version,
       sumIf(expands, published) AS expands, sumIf(entries, published) AS entries,
       uniqCombined64MergeStateIf(12)(devs, published) AS devs, min(retention_days) AS retention_days
FROM span_pieces
GROUP BY tenant, bundle, kind, day, span_id, version;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_trend_daily_rebuild_mv TO span_trend_daily_rebuild AS
SELECT tenant, bundle, kind, day, span_id, version,
       sumIf(expands, published) AS expands, sumIf(entries, published) AS entries,
       uniqCombined64MergeStateIf(12)(devs, published) AS devs, min(retention_days) AS retention_days
FROM span_pieces_rebuild
GROUP BY tenant, bundle, kind, day, span_id, version;

-- The days closed before this file. Only the rollup builder inserts into span_pieces, and it starts after the
-- migrations, so the table holds nothing but a failed earlier run of this file: emptied first, this file can
-- run again.
TRUNCATE TABLE span_trend_daily;
INSERT INTO span_trend_daily
SELECT tenant, bundle, kind, day, span_id, version,
       sumIf(expands, published) AS expands, sumIf(entries, published) AS entries,
       uniqCombined64MergeStateIf(12)(devs, published) AS devs, min(retention_days) AS retention_days
FROM span_pieces
GROUP BY tenant, bundle, kind, day, span_id, version
SETTINGS max_partitions_per_insert_block = 0;

-- The backfill writes several parts per partition (303 for the benchmark's 105), and a trend pays about half a
-- millisecond for every part of its months; background merges had not joined them ten minutes later. Merged once
-- here (17 s for the benchmark's year of 112M pieces); the parts of daily closes are merged as they come.
OPTIMIZE TABLE span_trend_daily FINAL;
