-- Consent of consumer deployments. Owned by the privacy library; every service that reads or writes
-- consent runs these migrations (Flyway's advisory lock makes concurrent starts safe).

CREATE TABLE deployment (
    id              uuid PRIMARY KEY,
    owner_subject   text        NOT NULL,  -- Keycloak subject of the consumer who registered it
    name            text        NOT NULL,
    ingest_key_hash text        NOT NULL UNIQUE,  -- SHA-256 of the ingest credential, shown once
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployment_owner_idx ON deployment (owner_subject);

-- Append-only ledger: the current consent of (deployment, tenant, bundle) is its newest row.
CREATE TABLE consent_event (
    id               bigserial PRIMARY KEY,
    deployment_id    uuid        NOT NULL REFERENCES deployment (id),
    tenant           text        NOT NULL,
    bundle           text        NOT NULL,
    opted_in         boolean     NOT NULL,
    contract_version text        NOT NULL,
    actor_subject    text        NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_event_current_idx ON consent_event (deployment_id, tenant, bundle, id DESC);
