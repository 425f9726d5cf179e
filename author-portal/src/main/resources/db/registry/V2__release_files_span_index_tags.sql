-- Releases become real files in the release store, with a span index and tags.

-- What the store holds for a release, and where it came from. Existing rows (registered before files
-- were uploaded) keep NULL counts; every release uploaded from now on fills them.
ALTER TABLE bundle_release
    ADD COLUMN format_version   integer,
    ADD COLUMN num_lod1         bigint,
    ADD COLUMN num_lod2         bigint,
    ADD COLUMN gist_bytes       integer,          -- bytes of one LOD1/LOD2 entry: d * dtype size
    ADD COLUMN metadata_sha256  char(64),
    ADD COLUMN source_release_id bigint REFERENCES bundle_release (id),  -- set for curated releases
    ADD COLUMN curation_plan    text;             -- the plan that produced a curated release

-- The span index: one row per LOD1 and LOD2 span of a release (LOD0 spans are single tokens and are
-- addressed through their LOD1 parent). Bytes are what the span holds at each level of the tree:
-- an LOD1 span holds 32 tokens and its gist; an LOD2 span 1,024 tokens, 32 LOD1 gists and its own.
CREATE TABLE release_span (
    release_id  bigint   NOT NULL REFERENCES bundle_release (id),
    span_id     bigint   NOT NULL,   -- (level << 56) | index; level <= 2 keeps it positive
    level       smallint NOT NULL CHECK (level IN (1, 2)),
    idx         bigint   NOT NULL,
    token_start bigint   NOT NULL,
    token_end   bigint   NOT NULL,   -- exclusive
    lod0_bytes  bigint   NOT NULL,
    lod1_bytes  bigint   NOT NULL,
    lod2_bytes  bigint   NOT NULL,
    state       text     NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'compacted', 'archived')),
    PRIMARY KEY (release_id, span_id)
);

-- Tags belong to the bundle, not to one release, so they carry over to every later release.
-- A subtree tag also covers every descendant of the span.
CREATE TABLE span_tag (
    bundle_id  bigint      NOT NULL REFERENCES bundle (id),
    span_id    bigint      NOT NULL,
    tag        text        NOT NULL,
    subtree    boolean     NOT NULL,
    tagged_by  text        NOT NULL,
    tagged_at  timestamptz NOT NULL,
    PRIMARY KEY (bundle_id, span_id, tag)
);

-- Who changed which tag and when; never updated.
CREATE TABLE span_tag_event (
    id         bigserial   PRIMARY KEY,
    bundle_id  bigint      NOT NULL REFERENCES bundle (id),
    span_id    bigint      NOT NULL,
    tag        text        NOT NULL,
    action     text        NOT NULL CHECK (action IN ('added', 'removed')),
    subtree    boolean     NOT NULL,
    actor      text        NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX span_tag_event_bundle_idx ON span_tag_event (bundle_id, id);
