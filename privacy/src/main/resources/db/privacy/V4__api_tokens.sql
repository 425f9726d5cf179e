-- Tenants' API tokens for the analytics API (a pro and enterprise feature): stored as SHA-256 only, shown
-- once at creation, revocable. A token works only while its tenant's plan includes API tokens.
CREATE TABLE api_token (
    id          uuid PRIMARY KEY,
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    token_hash  text        NOT NULL UNIQUE,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_token_tenant_idx ON api_token (tenant, created_at);
