-- Raw span telemetry: one row per (report, span, kind). Written by the Kafka consumer, read by the query
-- API. Pseudonymous: `deployment` is the tenant-scoped HMAC pseudonym made at the ingest edge.
CREATE TABLE IF NOT EXISTS span_reports
(
    tenant        LowCardinality(String),
    bundle        LowCardinality(String),
    version       LowCardinality(String),
    span_id       UInt64,
    kind          Enum8('expand' = 1, 'stale' = 2),
    expands       UInt32,
    stale_reason  LowCardinality(String),
    deployment    String,
    report_id     UUID,
    window_start  DateTime('UTC'),
    window_end    DateTime('UTC'),
    received_at   DateTime('UTC')
)
ENGINE = MergeTree
-- Monthly parts: retention and erasure drop or rewrite whole months, never the whole table.
PARTITION BY toYYYYMM(window_start)
-- Serves "top spans of one bundle (and version) over a window": tenant and bundle prefix every query,
-- span_id groups, window_start bounds the time range.
ORDER BY (tenant, bundle, version, span_id, window_start)
-- A redelivered Kafka record repeats its insert with the same deduplication token (its report id);
-- this window makes ClickHouse skip such repeats instead of counting them twice.
SETTINGS non_replicated_deduplication_window = 100000;
