//! `import-claims`: reading claim records in the format `export --what claims` writes —
//! from another annotator's export, a model's pre-annotations or another tool — checking
//! every record against the document text, and storing the valid ones in one transaction.
//! Records are accepted or rejected one by one; each rejection names its line.

use std::collections::HashMap;
use std::path::Path;

use crate::corpus::decode;
use crate::export::claims::{
    CharIndex, ClaimRecord, DocumentFacts, ImportedRecord, new_entity, record_to_row,
};
use crate::model::registry::Registry;
use crate::store::{ClaimRow, EntityRow, MarkRow, Store, StoreError};

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
}

impl ClaimsImportReport {
    pub fn summary_line(&self) -> String {
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
    #[error("{0}")]
    Decode(#[from] decode::DecodeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports claim records from a JSONL file; `annotator` replaces every record's annotator.
pub fn import_claims_file(
    store: &mut Store,
    path: &Path,
    annotator: Option<&str>,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    let bytes = std::fs::read(path)?;
    let decoded = decode::decode(&bytes, None)?;
    let origin = format!("import:{}", path.display());
    import_claims_text(store, &decoded.text, &origin, annotator)
}

/// Imports claim records from JSONL text.
pub fn import_claims_text(
    store: &mut Store,
    text: &str,
    origin: &str,
    annotator: Option<&str>,
) -> Result<ClaimsImportReport, ClaimsImportError> {
    let registry = Registry::load(store)?;
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
        let record: ClaimRecord = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(e) => {
                reject(format!("not a claim record ({e})"));
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
            Ok(ImportedRecord::Claim(claim)) => claims.push(*claim),
            Ok(ImportedRecord::NoClaim(mark)) => marks.push(mark),
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
    report.claims = claims.len();
    report.no_claim_marks = marks.len();
    if !claims.is_empty() || !marks.is_empty() {
        store.import_claims(&new_entities, &claims, &marks)?;
    }
    Ok(report)
}
