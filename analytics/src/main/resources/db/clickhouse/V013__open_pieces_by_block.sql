-- The open-day refresher reads only the raw rows inserted since its last refresh (service/OpenDayRefresher).
-- It used to count each open day's raw rows per hour every second and cut every changed hour again from its
-- raw rows: under a sustained 16k span entries/s into one bundle the check took 4-8 s in the first minute and
-- 15-28 s in the fifth, as the hour grew (deploy/bench/soak-results.md, 2026-12-07).
--
-- Every insert into a MergeTree table gets the next block number, taken under the same lock that makes its
-- part visible, so once the refresher has seen block B every row of a block up to B is visible to it. With
-- enable_block_number_column a row keeps its block number through merges (_block_number; rows merged before
-- this setting read their part's first block, which is only ever lower), so "rows inserted after block W"
-- is a filter on parts (max_block_number > W) and on a column, whatever merges did meanwhile.
ALTER TABLE span_reports MODIFY SETTING enable_block_number_column = 1;

-- The last raw block each partition (day, slice) of the stored open pieces holds: a refresh rewrites a whole
-- partition (REPLACE PARTITION), so its rows and their through_block change together, and a refresh after a
-- crash reads exactly the rows the partition lacks. 0: written before this migration, cut again from raw rows.
ALTER TABLE span_open_pieces ADD COLUMN IF NOT EXISTS through_block UInt64;
ALTER TABLE span_open_pieces_staging ADD COLUMN IF NOT EXISTS through_block UInt64;
