-- The consumer asks "which of these report ids are stored already?" before every batch, so a report id that
-- arrives again at any later time (a redelivery, a replay, a retry days later) is never counted twice.
-- A bloom filter on report_id lets that lookup skip almost every granule.
ALTER TABLE span_reports ADD INDEX IF NOT EXISTS report_id_bloom report_id TYPE bloom_filter(0.001) GRANULARITY 1;
ALTER TABLE span_reports MATERIALIZE INDEX report_id_bloom;
-- Each row keeps its tenant's retention at the time it was written (30 days free, 365 pro, 3 years
-- enterprise), and ClickHouse drops it after that. Aggregates, when added, carry the same TTL.
ALTER TABLE span_reports ADD COLUMN IF NOT EXISTS retention_days UInt16 DEFAULT 1095;
ALTER TABLE span_reports MODIFY TTL window_start + toIntervalDay(retention_days);
