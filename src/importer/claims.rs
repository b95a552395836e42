//! `import-claims`: reading claim records in the format `export --what claims` writes (or
//! pre-annotations giving only the required fields, [`crate::claims_record`]) — from another
//! annotator's export, a model's pre-annotations or another tool — checking
//! every record against the document text, and storing the valid ones in one transaction.
//! Records are accepted or rejected one by one; each rejection names its line.

use std::collections::HashMap;
use std::path::Path;

use crate::claims_record::{
    CharIndex, DocumentFacts, ImportedRecord, RecordDefaults, parse_claim_line, record_to_row,
};
use crate::corpus::decode;
use crate::domain::{ClaimRow, EntityRow, MarkRow};
use crate::model::registry::Registry;
use crate::store::{Store, StoreError};

/// A rejected record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub line: usize,
    pub reason: String,
}

/// What an import-claims run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimsImportReport {
    pub claims: usize,
    pub no_claim_marks: usize,
    pub new_entities: Vec<String>,
    pub rejected: Vec<RejectedRecord>,
    /// All or nothing was asked and a record was rejected: nothing was stored.
    pub refused_whole: bool,
}

impl ClaimsImportReport {
    pub fn summary_line(&self) -> String {
        if self.refused_whole {
            return format!(
                "{} records rejected, so nothing was imported (--strict: all or nothing); \
                 fix them and import again",
                self.rejected.len()
            );
        }
        format!(
            "{} claims and {} no-claim marks imported, {} records rejected, {} new entities{}",
            self.claims,
            self.no_claim_marks,
            self.rejected.len(),
            self.new_entities.len(),
            if self.new_entities.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.new_entities.join(", "))
            }
        )
    }
}

/// Why the whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsImportError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot read the file: {0}")]
    Unreadable(super::FileError),
    #[error("{0}")]
    Decode(#[from] decode::DecodeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Project(String),
}

/// Imports claim records from a JSONL file; `annotator` replaces every record's annotator.
pub fn import_claims_file(
    store: &mut dyn Store,
    path: &Path,
    annotator: Option<&str>,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    import_claims_file_with(store, path, annotator, false)
}

/// [`import_claims_file`]; with `all_or_nothing`, one rejected record keeps the whole file out.
pub fn import_claims_file_with(
    store: &mut dyn Store,
    path: &Path,
    annotator: Option<&str>,
    all_or_nothing: bool,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    let bytes = super::read_regular_file(path).map_err(ClaimsImportError::Unreadable)?;
    let decoded = decode::decode(&bytes, None)?;
    let origin = format!("import:{}", path.display());
    import_claims_text_with(store, &decoded.text, &origin, annotator, all_or_nothing)
}

/// Imports claim records from JSONL text.
pub fn import_claims_text(
    store: &mut dyn Store,
    text: &str,
    origin: &str,
    annotator: Option<&str>,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    import_claims_text_with(store, text, origin, annotator, false)
}

/// [`import_claims_text`]; with `all_or_nothing`, one rejected record keeps everything out.
pub fn import_claims_text_with(
    store: &mut dyn Store,
    text: &str,
    origin: &str,
    annotator: Option<&str>,
    all_or_nothing: bool,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    let registry = Registry::load(store)?;
    let schema = crate::model::project::label_schema(store)
        .map_err(|e| ClaimsImportError::Project(e.to_string()))?;
    let now = crate::clock::now_rfc3339();
    let defaults = RecordDefaults {
        annotator,
        schema_version: schema.version,
        schema_hash: &schema.hash,
        now: &now,
    };
    // Claim id → annotator, for the claims of this file (ids are unique across annotators).
    let mut ids_in_file: HashMap<String, String> = HashMap::new();
    let mut report = ClaimsImportReport::default();
    // Document id → its text and sentence bounds (None: not in this database).
    type Known = Option<(String, Vec<(usize, usize)>)>;
    let mut documents: HashMap<String, Known> = HashMap::new();
    let mut new_entities: Vec<(EntityRow, Vec<String>)> = Vec::new();
    let mut new_entity_ids: HashMap<String, String> = HashMap::new();
    let mut claims: Vec<ClaimRow> = Vec::new();
    let mut marks: Vec<MarkRow> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line_number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut reject = |reason: String| {
            report.rejected.push(RejectedRecord {
                line: line_number,
                reason,
            });
        };
        let (record, times_defaulted) = match parse_claim_line(line, &defaults) {
            Ok(parsed) => (parsed.record, parsed.times_defaulted),
            Err(reason) => {
                reject(reason);
                continue;
            }
        };
        let facts = documents.entry(record.doc_id.clone()).or_insert_with(|| {
            let row = store.document(&record.doc_id).ok().flatten()?;
            let sentences = store
                .sentences(&record.doc_id)
                .ok()?
                .into_iter()
                .map(|s| (s.start, s.end))
                .collect();
            Some((row.text, sentences))
        });
        let Some((doc_text, sentences)) = facts else {
            reject(format!("no document {:?} in this database", record.doc_id));
            continue;
        };
        let doc = DocumentFacts {
            index: CharIndex::new(doc_text),
            sentences: sentences.clone(),
        };
        let mut resolve = |name: &str, kind: Option<&str>| -> Result<String, String> {
            if let Some(entity) = registry.by_name(name) {
                return Ok(entity.entity.id.clone());
            }
            let folded = crate::corpus::normalize::fold(name);
            if folded.is_empty() {
                return Err("an entity name is empty".into());
            }
            if let Some(id) = new_entity_ids.get(&folded) {
                return Ok(id.clone());
            }
            let row = new_entity(name.trim(), kind);
            new_entity_ids.insert(folded, row.id.clone());
            let id = row.id.clone();
            new_entities.push((row, Vec::new()));
            Ok(id)
        };
        match record_to_row(&record, &doc, annotator, origin, &mut resolve) {
            Ok(ImportedRecord::Claim(mut claim)) => {
                if let Some(reason) = claim_conflict(store, &schema, &claim, &ids_in_file) {
                    reject(reason);
                    continue;
                }
                if times_defaulted {
                    keep_stored_claim_times(store, &mut claim);
                }
                ids_in_file.insert(claim.id.clone(), claim.annotator.clone());
                claims.push(*claim);
            }
            Ok(ImportedRecord::NoClaim(mut mark)) => {
                if times_defaulted {
                    keep_stored_mark_times(store, &mut mark);
                }
                marks.push(mark);
            }
            Err(reason) => reject(reason),
        }
    }
    // Entities created for records that were all rejected are not needed.
    let used: std::collections::HashSet<&String> = claims
        .iter()
        .flat_map(|c| [c.speaker_entity.as_ref(), c.target_entity.as_ref()])
        .flatten()
        .collect();
    new_entities.retain(|(row, _)| used.contains(&row.id));
    report.new_entities = new_entities
        .iter()
        .map(|(row, _)| row.canonical_name.clone())
        .collect();
    if all_or_nothing && !report.rejected.is_empty() {
        report.refused_whole = true;
        report.new_entities.clear();
        return Ok(report);
    }
    report.claims = claims.len();
    report.no_claim_marks = marks.len();
    if !claims.is_empty() || !marks.is_empty() {
        store.import_claims(&new_entities, &claims, &marks)?;
    }
    Ok(report)
}

/// A record without timestamps that matches a stored claim in everything else keeps the
/// stored times (importing the same pre-annotations twice changes nothing); one that changes
/// it keeps its creation time.
fn keep_stored_claim_times(store: &dyn Store, claim: &mut ClaimRow) {
    let Ok(Some(stored)) = store.claim(&claim.id) else {
        return;
    };
    let same = ClaimRow {
        created_at: claim.created_at.clone(),
        updated_at: claim.updated_at.clone(),
        origin: claim.origin.clone(),
        ..stored.clone()
    } == *claim;
    claim.created_at = stored.created_at;
    if same {
        claim.updated_at = stored.updated_at;
    }
}

/// [`keep_stored_claim_times`] for a "no claim" mark.
fn keep_stored_mark_times(store: &dyn Store, mark: &mut MarkRow) {
    let stored = store
        .marks_in_document(&mark.doc_id, Some(&mark.annotator))
        .ok()
        .and_then(|marks| {
            marks
                .into_iter()
                .find(|m| m.sentence_idx == mark.sentence_idx && m.annotator == mark.annotator)
        });
    let Some(stored) = stored else {
        return;
    };
    let same = !stored.deleted && stored.lead_time_s == mark.lead_time_s;
    mark.created_at = stored.created_at;
    if same {
        mark.updated_at = stored.updated_at;
    }
}

/// Why a well-formed claim record must still not be stored: labels outside the project's
/// schema, or an id that is another annotator's claim (storing it would overwrite that
/// annotator's label).
fn claim_conflict(
    store: &dyn Store,
    schema: &crate::labels::LabelSchema,
    claim: &ClaimRow,
    ids_in_file: &HashMap<String, String>,
) -> Option<String> {
    if let Some(stance) = &claim.stance
        && schema.stance(stance).is_none()
    {
        let known: Vec<&str> = schema.stances.iter().map(|s| s.id.as_str()).collect();
        return Some(format!(
            "stance {stance:?} is not in this project's label schema ({})",
            known.join(", ")
        ));
    }
    if let Some(claim_type) = &claim.claim_type
        && schema.claim_type(claim_type).is_none()
    {
        return Some(format!(
            "claim_type {claim_type:?} is not in this project's label schema"
        ));
    }
    let owner = match ids_in_file.get(&claim.id) {
        Some(owner) => Some(owner.clone()),
        None => store.claim(&claim.id).ok().flatten().map(|c| c.annotator),
    };
    match owner {
        Some(owner) if owner != claim.annotator => Some(format!(
            "claim_id {:?} is a claim of annotator {owner:?}, not {:?}: importing it would \
             overwrite that annotator's label; give the record a claim_id of its own",
            claim.id, claim.annotator
        )),
        _ => None,
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
