//! The record types of the claims format, their field lists, and what they need to cut
//! spans out of a document.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// `speaker`/`target`/`cue`/`claim` of a record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRecord {
    pub entity: Option<String>,
    #[serde(default)]
    pub entity_type: Option<String>,
    pub text: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

/// One exported claim or "no claim" sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// `claim` or `no_claim`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub doc_id: String,
    pub sentence_index: usize,
    pub annotator: String,
    pub claim_id: Option<String>,
    pub stance: Option<String>,
    pub claim_type: Option<String>,
    pub speaker: RoleRecord,
    pub target: RoleRecord,
    pub cue: RoleRecord,
    pub claim: RoleRecord,
    pub note: String,
    pub lead_time_s: f64,
    pub created_at: String,
    pub updated_at: String,
    pub schema_version: u32,
    pub schema_hash: String,
}

/// The same record flattened for CSV (one column per role field).
#[derive(Debug, Serialize)]
pub struct ClaimCsvRecord {
    #[serde(rename = "type")]
    pub record_type: String,
    pub doc_id: String,
    pub sentence_index: usize,
    pub annotator: String,
    pub claim_id: Option<String>,
    pub stance: Option<String>,
    pub claim_type: Option<String>,
    pub speaker_entity: Option<String>,
    pub speaker_entity_type: Option<String>,
    pub speaker_text: Option<String>,
    pub speaker_start: Option<usize>,
    pub speaker_end: Option<usize>,
    pub target_entity: Option<String>,
    pub target_entity_type: Option<String>,
    pub target_text: Option<String>,
    pub target_start: Option<usize>,
    pub target_end: Option<usize>,
    pub cue_text: Option<String>,
    pub cue_start: Option<usize>,
    pub cue_end: Option<usize>,
    pub claim_text: Option<String>,
    pub claim_start: Option<usize>,
    pub claim_end: Option<usize>,
    pub note: String,
    pub lead_time_s: f64,
    pub created_at: String,
    pub updated_at: String,
    pub schema_version: u32,
    pub schema_hash: String,
}

/// The fields of a [`ClaimRecord`], in serialisation order (what a JSON Lines record has).
pub const CLAIM_FIELDS: &[&str] = &[
    "type",
    "doc_id",
    "sentence_index",
    "annotator",
    "claim_id",
    "stance",
    "claim_type",
    "speaker",
    "target",
    "cue",
    "claim",
    "note",
    "lead_time_s",
    "created_at",
    "updated_at",
    "schema_version",
    "schema_hash",
];

/// The columns of a [`ClaimCsvRecord`], in serialisation order (the CSV header).
pub const CLAIM_CSV_FIELDS: &[&str] = &[
    "type",
    "doc_id",
    "sentence_index",
    "annotator",
    "claim_id",
    "stance",
    "claim_type",
    "speaker_entity",
    "speaker_entity_type",
    "speaker_text",
    "speaker_start",
    "speaker_end",
    "target_entity",
    "target_entity_type",
    "target_text",
    "target_start",
    "target_end",
    "cue_text",
    "cue_start",
    "cue_end",
    "claim_text",
    "claim_start",
    "claim_end",
    "note",
    "lead_time_s",
    "created_at",
    "updated_at",
    "schema_version",
    "schema_hash",
];

impl From<ClaimRecord> for ClaimCsvRecord {
    fn from(r: ClaimRecord) -> Self {
        ClaimCsvRecord {
            record_type: r.record_type,
            doc_id: r.doc_id,
            sentence_index: r.sentence_index,
            annotator: r.annotator,
            claim_id: r.claim_id,
            stance: r.stance,
            claim_type: r.claim_type,
            speaker_entity: r.speaker.entity,
            speaker_entity_type: r.speaker.entity_type,
            speaker_text: r.speaker.text,
            speaker_start: r.speaker.start,
            speaker_end: r.speaker.end,
            target_entity: r.target.entity,
            target_entity_type: r.target.entity_type,
            target_text: r.target.text,
            target_start: r.target.start,
            target_end: r.target.end,
            cue_text: r.cue.text,
            cue_start: r.cue.start,
            cue_end: r.cue.end,
            claim_text: r.claim.text,
            claim_start: r.claim.start,
            claim_end: r.claim.end,
            note: r.note,
            lead_time_s: r.lead_time_s,
            created_at: r.created_at,
            updated_at: r.updated_at,
            schema_version: r.schema_version,
            schema_hash: r.schema_hash,
        }
    }
}

/// A document's text indexed by code point, to cut spans quickly.
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every code point, plus the end.
    offsets: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        offsets.push(text.len());
        CharIndex { text, offsets }
    }

    /// Number of code points.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `text[start:end]` in code points, if in bounds.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start > end || end >= self.offsets.len() {
            return None;
        }
        self.text.get(self.offsets[start]..self.offsets[end])
    }
}

/// Entity id → (canonical name, type), to name entities in records.
pub type EntityNames = HashMap<String, (String, String)>;

/// The id of `claim_id` re-attributed to `annotator`: stable, so importing twice changes
/// nothing.
pub fn derived_claim_id(annotator: &str, claim_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{annotator}\0{claim_id}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_cuts_like_python() {
        let index = CharIndex::new("قال: «نعم»");
        assert_eq!(index.len(), 10);
        assert_eq!(index.slice(5, 10), Some("«نعم»"));
        assert_eq!(index.slice(0, 11), None);
        assert_eq!(index.slice(3, 3), Some(""));
    }
}
