-- The bundle registry: tenants (author organisations), their bundles and immutable releases.
-- Owned by author-portal; other services reach it only through the portal's API.

CREATE TABLE tenant (
    id         text PRIMARY KEY,        -- the `tenant` claim of the organisation's tokens
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bundle (
    id         bigserial PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenant (id),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- Releases are immutable: a version is registered once, with the checksums of its files.
CREATE TABLE bundle_release (
    id             bigserial PRIMARY KEY,
    bundle_id      bigint      NOT NULL REFERENCES bundle (id),
    version        text        NOT NULL,
    model_name     text        NOT NULL,
    embedding_dim  integer     NOT NULL,
    num_tokens     bigint      NOT NULL,
    lod0_sha256    char(64)    NOT NULL,
    lod1_sha256    char(64)    NOT NULL,
    lod2_sha256    char(64)    NOT NULL,
    provenance     text        NOT NULL,  -- 'imported', or the curation plan that produced it
    registered_by  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bundle_id, version)
);
