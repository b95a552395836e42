//! Rows → records: what `export --what claims` (and, for the role objects, the gold
//! export) writes.

use crate::domain::{ClaimRow, MarkRow, Span};

use super::record::{CharIndex, ClaimRecord, EntityNames, RoleRecord};

/// The role object of a span and/or an entity (named from `names`; an unknown id stands
/// for itself, without a type).
pub fn role_record(
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
