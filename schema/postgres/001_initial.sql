-- Isnad on a PostgreSQL server, schema version 1: the tables of the SQLite schema
-- (schema/001_initial.sql to 004), with the same table and column names and the same
-- meaning, so that SQL written for one backend runs on the other.
--
-- Migrations are append-only: never edit a file once it has shipped; add NNN_name.sql
-- instead. Applied migrations are rows of `isnad_schema` (made by the migration runner).
--
-- Dialect
--   * Every integer is BIGINT (the program reads them as 64-bit, as from SQLite); the 0/1
--     flags (`deleted`, `boilerplate`, `overlap`) stay integers, so `deleted = 0` reads the
--     same on both backends. REAL is DOUBLE PRECISION.
--   * Timestamps stay RFC 3339 UTC text, JSON stays text (checked as JSON): exports are
--     byte for byte those of a SQLite project with the same labels.
--   * Offsets are Unicode code points into documents.text, half-open [start, end).
--   * Annotation rows are never physically deleted: `deleted = 1` is a tombstone.
--   * `annotator` columns default to the PostgreSQL login (`current_user`): on a server the
--     annotator is who logged in (003_security.sql enforces it).

CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    text_sha256    TEXT NOT NULL,
    char_count     BIGINT NOT NULL,
    source         TEXT,
    url            TEXT,
    published      TEXT,
    encoding       TEXT NOT NULL,
    metadata       TEXT NOT NULL DEFAULT '{}' CHECK (metadata::jsonb IS NOT NULL),
    origin         TEXT,
    imported_at    TEXT NOT NULL,
    sentence_count BIGINT NOT NULL,
    -- Import order (SQLite's rowid): the document list and every stream follow it.
    import_seq     BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE sentences (
    doc_id                 TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx                    BIGINT NOT NULL CHECK (idx >= 0),
    start_char             BIGINT NOT NULL CHECK (start_char >= 0),
    end_char               BIGINT NOT NULL,
    text                   TEXT NOT NULL,
    boilerplate            BIGINT NOT NULL DEFAULT 0 CHECK (boilerplate IN (0, 1)),
    boilerplate_reason     TEXT,
    boilerplate_auto       TEXT,
    boilerplate_updated_at TEXT,
    PRIMARY KEY (doc_id, idx),
    CHECK (start_char < end_char)
);
CREATE INDEX sentences_boilerplate ON sentences(doc_id) WHERE boilerplate = 1;

CREATE TABLE annotators (
    name       TEXT PRIMARY KEY DEFAULT current_user,
    created_at TEXT NOT NULL
);

CREATE TABLE entities (
    id             TEXT PRIMARY KEY,
    canonical_name TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    -- Server only: the login that created the entity (who may remove it again).
    created_by     TEXT NOT NULL DEFAULT current_user
);

CREATE TABLE entity_aliases (
    entity_id    TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias        TEXT NOT NULL,
    alias_folded TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT current_user,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_by_folded ON entity_aliases(alias_folded);

CREATE TABLE claims (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL,
    sentence_idx   BIGINT NOT NULL,
    annotator      TEXT NOT NULL DEFAULT current_user REFERENCES annotators(name),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'confirmed')),
    stance         TEXT,
    claim_type     TEXT,
    speaker_entity TEXT REFERENCES entities(id),
    speaker_start  BIGINT,
    speaker_end    BIGINT,
    target_entity  TEXT REFERENCES entities(id),
    target_start   BIGINT,
    target_end     BIGINT,
    cue_start      BIGINT,
    cue_end        BIGINT,
    content_start  BIGINT,
    content_end    BIGINT,
    note           TEXT NOT NULL DEFAULT '',
    lead_time_s    DOUBLE PRECISION NOT NULL DEFAULT 0,
    schema_version BIGINT NOT NULL,
    origin         TEXT NOT NULL DEFAULT 'manual',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx),
    CHECK ((speaker_start IS NULL) = (speaker_end IS NULL)),
    CHECK ((target_start IS NULL) = (target_end IS NULL)),
    CHECK ((cue_start IS NULL) = (cue_end IS NULL)),
    CHECK ((content_start IS NULL) = (content_end IS NULL))
);
CREATE INDEX claims_by_sentence ON claims(doc_id, sentence_idx, annotator);
CREATE INDEX claims_by_annotator ON claims(annotator, doc_id);

CREATE TABLE sentence_marks (
    doc_id       TEXT NOT NULL,
    sentence_idx BIGINT NOT NULL,
    annotator    TEXT NOT NULL DEFAULT current_user REFERENCES annotators(name),
    mark         TEXT NOT NULL CHECK (mark IN ('no_claim')),
    lead_time_s  DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted      BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (doc_id, sentence_idx, annotator),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
);
CREATE INDEX sentence_marks_by_annotator ON sentence_marks(annotator, doc_id);

CREATE TABLE sentence_activity (
    doc_id        TEXT NOT NULL,
    sentence_idx  BIGINT NOT NULL,
    annotator     TEXT NOT NULL DEFAULT current_user REFERENCES annotators(name),
    active_s      DOUBLE PRECISION NOT NULL DEFAULT 0,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, sentence_idx, annotator),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
);

CREATE TABLE action_log (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    annotator  TEXT NOT NULL DEFAULT current_user,
    session_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    label      TEXT NOT NULL,
    changes    TEXT NOT NULL CHECK (changes::jsonb IS NOT NULL),
    state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone'))
);
CREATE INDEX action_log_by_annotator ON action_log(annotator, seq);

CREATE TABLE assignments (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL,
    overlap     BIGINT NOT NULL DEFAULT 0 CHECK (overlap IN (0, 1)),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
);
CREATE INDEX assignments_by_annotator ON assignments(annotator, doc_id);

CREATE TABLE gold_claims (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL,
    sentence_idx   BIGINT NOT NULL,
    stance         TEXT NOT NULL,
    claim_type     TEXT,
    speaker_entity TEXT REFERENCES entities(id),
    speaker_start  BIGINT,
    speaker_end    BIGINT,
    target_entity  TEXT REFERENCES entities(id),
    target_start   BIGINT,
    target_end     BIGINT,
    cue_start      BIGINT,
    cue_end        BIGINT,
    content_start  BIGINT,
    content_end    BIGINT,
    note           TEXT NOT NULL DEFAULT '',
    decision       TEXT NOT NULL CHECK (decision IN ('unanimous', 'adopted', 'edited', 'own')),
    source_claims  TEXT NOT NULL DEFAULT '[]' CHECK (source_claims::jsonb IS NOT NULL),
    n_annotators   BIGINT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
);
CREATE INDEX gold_claims_by_sentence ON gold_claims(doc_id, sentence_idx);

CREATE TABLE gold_sentences (
    doc_id       TEXT NOT NULL,
    sentence_idx BIGINT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('claims', 'no_claim')),
    decision     TEXT NOT NULL CHECK (decision IN ('unanimous', 'adjudicated')),
    n_annotators BIGINT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted      BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (doc_id, sentence_idx),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
);

CREATE TABLE merge_sources (
    project_id     TEXT PRIMARY KEY,
    last_path      TEXT NOT NULL,
    last_merged_at TEXT NOT NULL
);

CREATE TABLE merge_seen (
    project_id   TEXT NOT NULL,
    item_kind    TEXT NOT NULL,
    item_key     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (project_id, item_kind, item_key)
);
