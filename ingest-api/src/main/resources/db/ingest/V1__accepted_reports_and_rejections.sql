-- ingest-api's own schema: which reports it accepted (so a retried report_id is answered 202 again and
-- never published twice) and why it refused others (each deployment's "ingestion warnings").

-- One row per (deployment, report) published to Kafka; a report_id is only unique per deployment.
CREATE TABLE accepted_report (
    deployment_id uuid        NOT NULL,
    report_id     uuid        NOT NULL,
    accepted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deployment_id, report_id)
);
-- Retention sweeps (older than the report-id retention) walk this index.
CREATE INDEX accepted_report_age_idx ON accepted_report (accepted_at);

-- Refusals of authenticated deployments: the fact and our reason, never the refused report itself.
CREATE TABLE rejection (
    id            bigserial   PRIMARY KEY,
    deployment_id uuid        NOT NULL,
    report_id     uuid,
    status        integer     NOT NULL,
    reason        text        NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejection_deployment_idx ON rejection (deployment_id, id DESC);
