-- Isnad database, schema version 1.
--
-- Migrations are append-only: never edit a file once it has shipped; add NNN_name.sql instead.
-- The database's `PRAGMA user_version` is the number of the last migration applied.
--
-- Conventions
--   * Offsets (start_char/end_char, *_start/*_end) are Unicode code points into documents.text,
--     half-open [start, end) — what Python's str indexes.
--   * Timestamps are RFC 3339 UTC strings ("2026-11-23T10:15:00.123Z"); they sort as text.
--   * Annotation rows (claims, sentence marks, gold) are never physically deleted: `deleted = 1`
--     is a tombstone, so that deletions travel through `isnad merge` and undo like any edit
--     ("the later edit wins", compared on updated_at).

-- Key/value facts about this project: project_id (random, identifies the database in merges),
-- created_at, label schema text/version/hash, guidelines, paragraph direction override.
CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,          -- given id, else hash of the normalised text
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,             -- the stored text every offset indexes
    text_sha256    TEXT NOT NULL,             -- of `text` exactly (merge compares it)
    char_count     INTEGER NOT NULL,
    source         TEXT,
    url            TEXT,
    published      TEXT,
    encoding       TEXT NOT NULL,             -- encoding the file was decoded from
    metadata       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    origin         TEXT,                      -- file (and line) it was imported from
    imported_at    TEXT NOT NULL,
    sentence_count INTEGER NOT NULL
);

CREATE TABLE sentences (
    doc_id             TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx                INTEGER NOT NULL CHECK (idx >= 0),
    start_char         INTEGER NOT NULL CHECK (start_char >= 0),
    end_char           INTEGER NOT NULL,
    text               TEXT NOT NULL,
    boilerplate        INTEGER NOT NULL DEFAULT 0 CHECK (boilerplate IN (0, 1)),
    boilerplate_reason TEXT,                  -- rule id, or "manual" when a user set the flag
    boilerplate_auto   TEXT,                  -- what the rules said at import (NULL: content)
    PRIMARY KEY (doc_id, idx),
    CHECK (start_char < end_char)
) WITHOUT ROWID;

CREATE TABLE annotators (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- The project-wide entity registry: speakers and targets link here.
CREATE TABLE entities (
    id             TEXT PRIMARY KEY,          -- stable: derived from the canonical name at creation
    canonical_name TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,             -- person, state, organisation, group, other
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE entity_aliases (
    entity_id    TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias        TEXT NOT NULL,
    alias_folded TEXT NOT NULL,               -- corpus::normalize::fold(alias), for look-up
    created_at   TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_by_folded ON entity_aliases(alias_folded);

-- One claim = speaker -> target -> stance, by one annotator, anchored in one sentence.
-- status 'draft' is a claim being built (kept so a crash loses nothing); exports and agreement
-- use 'confirmed' claims only.
CREATE TABLE claims (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL,
    sentence_idx   INTEGER NOT NULL,
    annotator      TEXT NOT NULL REFERENCES annotators(name),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'confirmed')),
    stance         TEXT,                      -- label id from the label schema
    claim_type     TEXT,
    speaker_entity TEXT REFERENCES entities(id),
    speaker_start  INTEGER,                   -- NULL span + entity = implicit speaker
    speaker_end    INTEGER,
    target_entity  TEXT REFERENCES entities(id),
    target_start   INTEGER,
    target_end     INTEGER,
    cue_start      INTEGER,
    cue_end        INTEGER,
    content_start  INTEGER,
    content_end    INTEGER,
    note           TEXT NOT NULL DEFAULT '',
    lead_time_s    REAL NOT NULL DEFAULT 0,   -- active seconds spent on the claim
    schema_version INTEGER NOT NULL,          -- label schema version it was made with
    origin         TEXT NOT NULL DEFAULT 'manual',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx),
    CHECK ((speaker_start IS NULL) = (speaker_end IS NULL)),
    CHECK ((target_start IS NULL) = (target_end IS NULL)),
    CHECK ((cue_start IS NULL) = (cue_end IS NULL)),
    CHECK ((content_start IS NULL) = (content_end IS NULL))
);
CREATE INDEX claims_by_sentence ON claims(doc_id, sentence_idx, annotator);
CREATE INDEX claims_by_annotator ON claims(annotator, doc_id);

-- A sentence decision without a claim: "no claim here" (done, different from unseen).
CREATE TABLE sentence_marks (
    doc_id       TEXT NOT NULL,
    sentence_idx INTEGER NOT NULL,
    annotator    TEXT NOT NULL REFERENCES annotators(name),
    mark         TEXT NOT NULL CHECK (mark IN ('no_claim')),
    lead_time_s  REAL NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (doc_id, sentence_idx, annotator),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX sentence_marks_by_annotator ON sentence_marks(annotator, doc_id);

-- Active (non-idle) time an annotator spent reading each sentence; first/last time seen.
CREATE TABLE sentence_activity (
    doc_id        TEXT NOT NULL,
    sentence_idx  INTEGER NOT NULL,
    annotator     TEXT NOT NULL REFERENCES annotators(name),
    active_s      REAL NOT NULL DEFAULT 0,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, sentence_idx, annotator),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
) WITHOUT ROWID;

-- Undo/redo log: every annotation action with the rows it changed (JSON snapshots before and
-- after), so undo and redo work across restarts. state: 'done' or 'undone'.
CREATE TABLE action_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    annotator  TEXT NOT NULL,
    session_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    label      TEXT NOT NULL,
    changes    TEXT NOT NULL CHECK (json_valid(changes)),
    state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone'))
);
CREATE INDEX action_log_by_annotator ON action_log(annotator, seq);

-- Work handed out by `isnad assign`.
CREATE TABLE assignments (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL,
    overlap     INTEGER NOT NULL DEFAULT 0 CHECK (overlap IN (0, 1)),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
) WITHOUT ROWID;

-- Adjudicated gold standard.
CREATE TABLE gold_claims (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL,
    sentence_idx   INTEGER NOT NULL,
    stance         TEXT NOT NULL,
    claim_type     TEXT,
    speaker_entity TEXT REFERENCES entities(id),
    speaker_start  INTEGER,
    speaker_end    INTEGER,
    target_entity  TEXT REFERENCES entities(id),
    target_start   INTEGER,
    target_end     INTEGER,
    cue_start      INTEGER,
    cue_end        INTEGER,
    content_start  INTEGER,
    content_end    INTEGER,
    note           TEXT NOT NULL DEFAULT '',
    decision       TEXT NOT NULL CHECK (decision IN ('unanimous', 'adopted', 'edited', 'own')),
    source_claims  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(source_claims)),
    n_annotators   INTEGER NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
);
CREATE INDEX gold_claims_by_sentence ON gold_claims(doc_id, sentence_idx);

-- Per-sentence adjudication state: decided as having claims, or as no-claim.
CREATE TABLE gold_sentences (
    doc_id       TEXT NOT NULL,
    sentence_idx INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('claims', 'no_claim')),
    decision     TEXT NOT NULL CHECK (decision IN ('unanimous', 'adjudicated')),
    n_annotators INTEGER NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (doc_id, sentence_idx),
    FOREIGN KEY (doc_id, sentence_idx) REFERENCES sentences(doc_id, idx)
) WITHOUT ROWID;

-- Merge bookkeeping: what was last seen from each other database, to tell "changed there"
-- from "changed here" and report conflicts.
CREATE TABLE merge_sources (
    project_id     TEXT PRIMARY KEY,
    last_path      TEXT NOT NULL,
    last_merged_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE merge_seen (
    project_id   TEXT NOT NULL,
    item_kind    TEXT NOT NULL,
    item_key     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (project_id, item_kind, item_key)
) WITHOUT ROWID;
