//! Records → rows: each record checked against its document (sentence, offsets, text,
//! entities) before `import-claims` stores it. Messages say what is wrong; the caller adds
//! the file and line.

use crate::domain::{ClaimRow, ClaimStatus, MarkRow, Span};

use super::record::{CharIndex, ClaimRecord, RoleRecord, derived_claim_id};

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
