-- Each tenant's plan (tier) and its own k. No row means the free tier at the platform k.
CREATE TABLE tenant_plan (
    tenant          text PRIMARY KEY,
    tier            text        NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    -- A tenant may raise k above the platform minimum; the library never lets it lower it.
    min_deployments integer     CHECK (min_deployments IS NULL OR min_deployments >= 3),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text        NOT NULL
);

-- A consumer's request to remove everything one deployment contributed. analytics carries it out and
-- moves it through requested -> completed (or failed, retried); the consumer reads its status.
CREATE TABLE erasure_request (
    id             uuid PRIMARY KEY,
    deployment_id  uuid        NOT NULL REFERENCES deployment (id),
    requested_by   text        NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    status         text        NOT NULL CHECK (status IN ('requested', 'completed', 'failed')),
    completed_at   timestamptz,
    rows_erased    bigint,
    detail         text
);
CREATE UNIQUE INDEX erasure_request_one_per_deployment ON erasure_request (deployment_id);
CREATE INDEX erasure_request_open_idx ON erasure_request (requested_at) WHERE status <> 'completed';

-- An erased deployment can no longer send: its credential stops working at once.
ALTER TABLE deployment ADD COLUMN erased_at timestamptz;

-- Privacy-relevant events (consent changes live in their own ledger): erasure requested and completed,
-- plan changes. Append-only; subject is a deployment id or tenant, never a pseudonym.
CREATE TABLE audit_event (
    id          bigserial PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    subject     text        NOT NULL,
    detail      text
);
CREATE INDEX audit_event_subject_idx ON audit_event (subject, id);
