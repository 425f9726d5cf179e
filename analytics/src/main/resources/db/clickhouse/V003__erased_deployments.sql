-- Pseudonyms whose deployment was erased. The consumer refuses their records, so replaying the Kafka topic
-- after an erasure cannot bring the data back. Holds pseudonyms only, never deployment ids.
CREATE TABLE IF NOT EXISTS erased_deployments
(
    tenant     LowCardinality(String),
    deployment String,
    erased_at  DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree
-- Serves the consumer's full load of the set at start-up and its refreshes; one row per pseudonym.
ORDER BY (tenant, deployment);
