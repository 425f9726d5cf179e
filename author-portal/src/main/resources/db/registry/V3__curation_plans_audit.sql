-- Curation plans, their review, and the audit log of everything curation did (curation-runner issue).
-- The runner proposes and applies; people approve, reject and roll back through this API or the pages.

CREATE TABLE curation_plan (
    id              uuid        PRIMARY KEY,            -- the runner's plan id (plan.json "planId")
    bundle_id       bigint      NOT NULL REFERENCES bundle (id),
    base_release_id bigint      NOT NULL REFERENCES bundle_release (id),
    kind            text        NOT NULL CHECK (kind IN ('curation', 'restore')),
    status          text        NOT NULL CHECK (status IN
                        ('proposed', 'approved', 'rejected', 'applying', 'applied', 'rolled_back')),
    document        text        NOT NULL,               -- plan.json as submitted (JSON)
    document_sha256 char(64)    NOT NULL,               -- apply refuses a plan file that differs
    spans_changed   bigint      NOT NULL,
    bytes_saved     bigint      NOT NULL,
    has_deletes     boolean     NOT NULL,
    paranoia        boolean     NOT NULL,
    proposed_by     text        NOT NULL,
    proposed_at     timestamptz NOT NULL,
    decided_by      text,                               -- a person, or 'policy' for automatic approval
    decided_by_person boolean,
    decided_at      timestamptz,
    decision_comment text,
    result_release_id bigint    REFERENCES bundle_release (id),
    result_version  text,
    applied_at      timestamptz,
    rolled_back_by  text,
    rolled_back_at  timestamptz
);
CREATE INDEX curation_plan_bundle_idx ON curation_plan (bundle_id, proposed_at DESC);

-- A withdrawn release (its plan was rolled back) stays stored for the audit trail but is no longer current.
ALTER TABLE bundle_release
    ADD COLUMN withdrawn_at   timestamptz,
    ADD COLUMN archive_sha256 char(64);

-- Append-only: one row per thing that happened, per span where a span changed state.
CREATE TABLE curation_event (
    id          bigserial   PRIMARY KEY,
    bundle_id   bigint      NOT NULL REFERENCES bundle (id),
    plan_id     uuid        REFERENCES curation_plan (id),
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,                   -- person, service account, or 'policy'
    action      text        NOT NULL,                   -- proposed, approved, rejected, apply_started, span_*, release_published, rolled_back
    span_id     bigint,
    old_state   text,
    new_state   text,
    release_version text,
    old_sha256  text,                                   -- LOD0/1/2 checksums of the release before (span events: of the base)
    new_sha256  text,                                   -- ... and after; archive checksum for archived runs
    detail      text
);
CREATE INDEX curation_event_bundle_idx ON curation_event (bundle_id, id);
CREATE INDEX curation_event_span_idx ON curation_event (bundle_id, span_id) WHERE span_id IS NOT NULL;
