//! The claims record: the one format for claims outside a database — written by `isnad
//! export --what claims` and read back, in the exact same format, by `isnad import-claims`
//! (so a round trip is lossless and model pre-annotations or another tool's labels can come
//! in as one more annotator).
//!
//! One JSON object per claim (`"type": "claim"`) and one per sentence marked "no claim"
//! (`"type": "no_claim"`, all claim fields null), so a dataset tells negatives from unseen
//! sentences. Each of `speaker`, `target`, `cue`, `claim` is always an object
//! `{entity, entity_type, text, start, end}` — document-relative code-point offsets, `text`
//! = the document text at those offsets, `entity` the canonical name (null for cue/claim
//! content, and `text`/`start`/`end` null for an implicit speaker) — so that every record
//! has the same shape for pandas and Hugging Face `datasets`. The gold standard export
//! (`export::gold`) uses the same role objects.
//!
//! - [`record`]: the record types, their field lists, the CSV form, code-point slicing;
//! - [`write`]: claim and mark rows → records;
//! - [`read`]: one line of an import file → a record, the fields it leaves out defaulted;
//! - [`check`]: a record checked against its document → a claim or mark row.
//!
//! Plain logic on domain rows: no store, no files (the importer and export do those).

pub mod check;
pub mod read;
pub mod record;
pub mod write;

pub use check::{DocumentFacts, EntityResolver, ImportedRecord, record_to_row};
pub use read::{ParsedRecord, RecordDefaults, parse_claim_line};
pub use record::{
    CLAIM_CSV_FIELDS, CLAIM_FIELDS, CharIndex, ClaimCsvRecord, ClaimRecord, EntityNames,
    RoleRecord, derived_claim_id,
};
pub use write::{claim_record, no_claim_record, role_record};
