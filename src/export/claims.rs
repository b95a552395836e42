//! Claims as dataset records — written by `isnad export --what claims` and read back, in the
//! exact same format, by `isnad import-claims` (so a round trip is lossless and model
//! pre-annotations or another tool's labels can come in as one more annotator).
//!
//! One JSON object per claim (`"type": "claim"`) and one per sentence marked "no claim"
//! (`"type": "no_claim"`, all claim fields null), so a dataset tells negatives from unseen
//! sentences. Each of `speaker`, `target`, `cue`, `claim` is always an object
//! `{entity, entity_type, text, start, end}` — document-relative code-point offsets, `text`
//! = the document text at those offsets, `entity` the canonical name (null for cue/claim
//! content, and `text`/`start`/`end` null for an implicit speaker) — so that every record
//! has the same shape for pandas and Hugging Face `datasets`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::{ClaimRow, ClaimStatus, EntityRow, MarkRow, Span};

use super::RecordFields;

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

impl RecordFields for ClaimRecord {
    const FIELDS: &'static [&'static str] = &[
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
}

impl RecordFields for ClaimCsvRecord {
    const FIELDS: &'static [&'static str] = &[
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
}

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

fn role_record(
    index: &CharIndex<'_>,
    span: Option<Span>,
    entity: Option<&String>,
    names: &EntityNames,
) -> RoleRecord {
    let (entity, entity_type) = match entity {
        Some(id) => match names.get(id) {
            Some((name, kind)) => (Some(name.clone()), Some(kind.clone())),
            None => (Some(id.clone()), None),
        },
        None => (None, None),
    };
    RoleRecord {
        entity,
        entity_type,
        text: span.and_then(|s| index.slice(s.start, s.end).map(str::to_owned)),
        start: span.map(|s| s.start),
        end: span.map(|s| s.end),
    }
}

/// The record of a confirmed claim.
pub fn claim_record(
    claim: &ClaimRow,
    index: &CharIndex<'_>,
    names: &EntityNames,
    schema_hash: &str,
) -> ClaimRecord {
    ClaimRecord {
        record_type: "claim".into(),
        doc_id: claim.doc_id.clone(),
        sentence_index: claim.sentence_idx,
        annotator: claim.annotator.clone(),
        claim_id: Some(claim.id.clone()),
        stance: claim.stance.clone(),
        claim_type: claim.claim_type.clone(),
        speaker: role_record(
            index,
            claim.speaker_span,
            claim.speaker_entity.as_ref(),
            names,
        ),
        target: role_record(
            index,
            claim.target_span,
            claim.target_entity.as_ref(),
            names,
        ),
        cue: role_record(index, claim.cue_span, None, names),
        claim: role_record(index, claim.content_span, None, names),
        note: claim.note.clone(),
        lead_time_s: claim.lead_time_s,
        created_at: claim.created_at.clone(),
        updated_at: claim.updated_at.clone(),
        schema_version: claim.schema_version,
        schema_hash: schema_hash.to_owned(),
    }
}

/// The record of a sentence marked "no claim".
pub fn no_claim_record(mark: &MarkRow, schema_version: u32, schema_hash: &str) -> ClaimRecord {
    ClaimRecord {
        record_type: "no_claim".into(),
        doc_id: mark.doc_id.clone(),
        sentence_index: mark.sentence_idx,
        annotator: mark.annotator.clone(),
        claim_id: None,
        stance: None,
        claim_type: None,
        speaker: RoleRecord::default(),
        target: RoleRecord::default(),
        cue: RoleRecord::default(),
        claim: RoleRecord::default(),
        note: String::new(),
        lead_time_s: mark.lead_time_s,
        created_at: mark.created_at.clone(),
        updated_at: mark.updated_at.clone(),
        schema_version,
        schema_hash: schema_hash.to_owned(),
    }
}

/// What a record becomes in the database.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportedRecord {
    Claim(Box<ClaimRow>),
    NoClaim(MarkRow),
}

/// Maps an entity's canonical name (and type, if known) to its id, creating it if needed.
pub type EntityResolver<'a> = dyn FnMut(&str, Option<&str>) -> Result<String, String> + 'a;

/// What the importer needs to know about a document.
pub struct DocumentFacts<'a> {
    pub index: CharIndex<'a>,
    /// (start, end) of each sentence, code points.
    pub sentences: Vec<(usize, usize)>,
}

/// Checks one record against its document and turns it into a row. `resolve_entity` maps a
/// canonical name (and type) to an entity id, creating it if needed. Messages say what is
/// wrong; the caller adds file and line.
pub fn record_to_row(
    record: &ClaimRecord,
    doc: &DocumentFacts<'_>,
    annotator_override: Option<&str>,
    origin: &str,
    resolve_entity: &mut EntityResolver<'_>,
) -> Result<ImportedRecord, String> {
    let sentence = doc.sentences.get(record.sentence_index).ok_or_else(|| {
        format!(
            "document {:?} has {} sentences, there is no sentence_index {}",
            record.doc_id,
            doc.sentences.len(),
            record.sentence_index
        )
    })?;
    let annotator = annotator_override
        .unwrap_or(&record.annotator)
        .trim()
        .to_owned();
    if annotator.is_empty() {
        return Err("\"annotator\" is empty (or pass --annotator)".into());
    }
    match record.record_type.as_str() {
        "no_claim" => Ok(ImportedRecord::NoClaim(MarkRow {
            doc_id: record.doc_id.clone(),
            sentence_idx: record.sentence_index,
            annotator,
            mark: "no_claim".into(),
            lead_time_s: record.lead_time_s,
            created_at: record.created_at.clone(),
            updated_at: record.updated_at.clone(),
            deleted: false,
        })),
        "claim" => {
            let mut claim_id = record
                .claim_id
                .clone()
                .filter(|id| !id.trim().is_empty())
                .ok_or("a claim record needs a \"claim_id\"")?;
            if annotator != record.annotator {
                // Another annotator's copy of the claim (e.g. a model's pre-annotations
                // imported under a new name): a new id, the same one on every import.
                claim_id = derived_claim_id(&annotator, &claim_id);
            }
            let stance = record
                .stance
                .clone()
                .ok_or("a claim record needs a \"stance\"")?;
            let speaker_span = check_span("speaker", &record.speaker, doc, None)?;
            let target_span = check_span("target", &record.target, doc, None)?;
            let cue_span = check_span("cue", &record.cue, doc, Some(*sentence))?;
            let content_span = check_span("claim", &record.claim, doc, Some(*sentence))?;
            let speaker_entity = match &record.speaker.entity {
                Some(name) => Some(resolve_entity(name, record.speaker.entity_type.as_deref())?),
                None => None,
            };
            let target_entity = match &record.target.entity {
                Some(name) => Some(resolve_entity(name, record.target.entity_type.as_deref())?),
                None => None,
            };
            if speaker_entity.is_none() && speaker_span.is_none() {
                return Err("the speaker has neither an entity nor a span".into());
            }
            if target_entity.is_none() && target_span.is_none() {
                return Err("the target has neither an entity nor a span".into());
            }
            Ok(ImportedRecord::Claim(Box::new(ClaimRow {
                id: claim_id,
                doc_id: record.doc_id.clone(),
                sentence_idx: record.sentence_index,
                annotator,
                status: ClaimStatus::Confirmed,
                stance: Some(stance),
                claim_type: record.claim_type.clone(),
                speaker_entity,
                speaker_span,
                target_entity,
                target_span,
                cue_span,
                content_span,
                note: record.note.clone(),
                lead_time_s: record.lead_time_s,
                schema_version: record.schema_version,
                origin: origin.to_owned(),
                created_at: record.created_at.clone(),
                updated_at: record.updated_at.clone(),
                deleted: false,
            })))
        }
        other => Err(format!(
            "\"type\" must be \"claim\" or \"no_claim\", found {other:?}"
        )),
    }
}

/// The id of `claim_id` re-attributed to `annotator`: stable, so importing twice changes
/// nothing.
pub fn derived_claim_id(annotator: &str, claim_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{annotator}\0{claim_id}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn check_span(
    role: &str,
    record: &RoleRecord,
    doc: &DocumentFacts<'_>,
    within: Option<(usize, usize)>,
) -> Result<Option<Span>, String> {
    match (record.start, record.end) {
        (None, None) => {
            if record.text.is_some() {
                return Err(format!("{role}: \"text\" given without \"start\"/\"end\""));
            }
            Ok(None)
        }
        (Some(start), Some(end)) => {
            if start >= end {
                return Err(format!("{role}: start {start} is not before end {end}"));
            }
            let actual = doc.index.slice(start, end).ok_or_else(|| {
                format!(
                    "{role}: offsets {start}..{end} are outside the document ({} characters)",
                    doc.index.len()
                )
            })?;
            match &record.text {
                Some(text) if text != actual => {
                    return Err(format!(
                        "{role}: offsets {start}..{end} hold {actual:?} in the document, not {text:?}"
                    ));
                }
                _ => {}
            }
            if let Some((sentence_start, sentence_end)) = within
                && (start < sentence_start || end > sentence_end)
            {
                return Err(format!(
                    "{role}: offsets {start}..{end} are outside the sentence ({sentence_start}..{sentence_end})"
                ));
            }
            Ok(Some(Span::new(start, end)))
        }
        _ => Err(format!("{role}: \"start\" and \"end\" go together")),
    }
}

/// Entity rows to create for names that are not in the registry yet.
pub fn new_entity(name: &str, kind: Option<&str>) -> EntityRow {
    let now = crate::clock::now_rfc3339();
    EntityRow {
        id: crate::model::registry::entity_id_for(name),
        canonical_name: name.to_owned(),
        kind: kind
            .filter(|k| crate::starter_entities::EntityKind::from_id(k).is_some())
            .unwrap_or("other")
            .to_owned(),
        note: String::new(),
        created_at: now.clone(),
        updated_at: now,
    }
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
