-- The stored pieces of open days, sorted with the published pieces of a bundle and kind first (V008 had
-- span_id right after kind). A ranking and a page sum only the published pieces; for the benchmark's busiest
-- bundle that is 8k of today's 53k expand pieces (most hourly leaves are below the threshold), and with
-- published in the key ClickHouse reads the 8k only: its two statements took 3-6 ms less
-- (deploy/bench/analytics-results.md, 2026-12-07). A trend reads both values of published: two ranges of
-- the same prefix instead of one.
--
-- The pieces are derived data, so the table is made anew rather than copied: the refresher finds every group
-- missing at its next check and cuts it again. Its checks are forgotten with it (open_day_sweeps), so that no
-- query trusts the empty table meanwhile: until the first check, queries cut the open days' raw rows.
DROP TABLE IF EXISTS span_open_pieces_staging;
DROP TABLE IF EXISTS span_open_pieces;
-- The columns of the pieces (span_pieces, V005 and V007), and the threshold they were cut at (V008), as the
-- cluster schema makes them.
CREATE TABLE IF NOT EXISTS span_open_pieces AS span_pieces
ENGINE = MergeTree
-- As in V008: an open day in 16 slices by (tenant, bundle), each replaced whole by a refresh.
PARTITION BY (day, sipHash64(tenant, bundle) % 16)
-- Serves the open-day part of a ranking (one bundle and kind, its published pieces, all spans), of a page's
-- deployments (published, span_id IN the page) and of a span's trend (both values of published, one span):
-- tenant, bundle and kind prefix all of them, published halves a ranking's read or better, the span narrows
-- a page or a trend to a few granules; the refresher's count per group reads the same prefix.
ORDER BY (tenant, bundle, kind, published, span_id, at, version, reason, level)
-- Small granules: a page reads the deployment states of twenty spans (see V008).
SETTINGS index_granularity = 256;
-- a query at another k ignores pieces cut at this one
ALTER TABLE span_open_pieces ADD COLUMN IF NOT EXISTS k UInt16;

CREATE TABLE IF NOT EXISTS span_open_pieces_staging AS span_open_pieces;

TRUNCATE TABLE IF EXISTS open_day_sweeps;
