//! Documents and their sentences: import (one savepoint per file so that a bad file leaves
//! no trace), counting and reading.
//!
//! TEMPORARY minimal port (one INSERT per row), so that the tests of the other files can
//! import a corpus; the full port (bulk import, the document list, streaming) replaces it.

use sha2::{Digest, Sha256};

use super::connection::PgStore;
use crate::domain::{
    DocumentListQuery, DocumentOutcome, DocumentRow, DocumentSummary, FileImport, FileImportResult,
    SentenceRow, StatusFilter,
};
use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// Hex SHA-256 of a document's exact text.
fn text_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl PgStore {
    /// Stores the documents of several files in one transaction, each file inside its own
    /// savepoint: a file whose documents cannot all be stored (an id that already exists with
    /// a different text, a constraint violation) is rolled back entirely and reported, the
    /// others are kept. Returns one result per file, in order.
    pub fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        let location = self.location.clone();
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            let mut results = Vec::with_capacity(files.len());
            for file in files {
                let mut savepoint = tx.transaction()?;
                let result = match insert_file(&mut savepoint, file, &now) {
                    Ok(outcomes) => {
                        savepoint.commit()?;
                        Ok(outcomes)
                    }
                    // Dropping the savepoint rolls the file back.
                    Err(FileError::Refused(reason)) => Err(reason),
                    Err(FileError::Database(e)) => match refused_file(&location, e) {
                        Ok(reason) => Err(reason),
                        Err(fault) => return Err(fault.into()),
                    },
                };
                results.push(FileImportResult {
                    origin: file.origin.clone(),
                    result,
                });
            }
            Ok(results)
        })
    }

    /// Number of documents, as kept by the statement triggers of `002_progress.sql`.
    pub fn document_count(&self) -> StoreResult<usize> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT documents FROM document_total WHERE \"only\" = 1",
                &[],
            )?;
            Ok(usize::try_from(row.get::<_, i64>(0)).unwrap_or(0))
        })
    }

    /// Number of sentences of all documents.
    pub fn sentence_count(&self) -> StoreResult<usize> {
        self.read(|client| {
            let row = client.query_one("SELECT count(*) FROM sentences", &[])?;
            Ok(usize::try_from(row.get::<_, i64>(0)).unwrap_or(0))
        })
    }

    /// A page of the document list in import order: documents whose title or id contains
    /// `query`, with `annotator`'s progress, optionally only those in one status.
    pub fn document_summaries(
        &self,
        _list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// How many documents [`PgStore::document_summaries`] would list without a limit.
    pub fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        if list.status == StatusFilter::All && list.text.is_empty() {
            return self.document_count();
        }
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Records who was given which document (`isnad assign`).
    pub fn record_assignments(&mut self, _rows: &[(String, String, bool)]) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// (document id, annotator, overlap) of every assignment.
    pub fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// One document, if present.
    pub fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        self.read(|client| {
            let row = client.query_opt(
                "SELECT id, title, text, source, url, published, encoding, metadata, origin,
                        imported_at, sentence_count
                   FROM documents WHERE id = $1",
                &[&id],
            )?;
            Ok(match row {
                Some(row) => Some(DocumentRow {
                    id: row.try_get(0)?,
                    title: row.try_get(1)?,
                    text: row.try_get(2)?,
                    source: row.try_get(3)?,
                    url: row.try_get(4)?,
                    published: row.try_get(5)?,
                    encoding: row.try_get(6)?,
                    metadata: row.try_get(7)?,
                    origin: row.try_get(8)?,
                    imported_at: row.try_get(9)?,
                    sentence_count: row.try_get::<_, i64>(10)? as usize,
                }),
                None => None,
            })
        })
    }

    /// The sentences of a document, in order.
    pub fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        self.read(|client| {
            let rows = client.query(
                "SELECT doc_id, idx, start_char, end_char, text, boilerplate, boilerplate_reason
                   FROM sentences WHERE doc_id = $1 ORDER BY idx",
                &[&doc_id],
            )?;
            let mut sentences = Vec::with_capacity(rows.len());
            for row in rows {
                sentences.push(SentenceRow {
                    doc_id: row.try_get(0)?,
                    index: row.try_get::<_, i64>(1)? as usize,
                    start: row.try_get::<_, i64>(2)? as usize,
                    end: row.try_get::<_, i64>(3)? as usize,
                    text: row.try_get(4)?,
                    boilerplate: row.try_get::<_, i64>(5)? != 0,
                    boilerplate_reason: row.try_get(6)?,
                });
            }
            Ok(sentences)
        })
    }

    /// Calls `each` for every document in import order (streaming: memory stays flat).
    pub fn for_each_document(
        &self,
        _each: impl FnMut(DocumentRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Calls `each` for every sentence, documents in import order, sentences in order.
    pub fn for_each_sentence(
        &self,
        _each: impl FnMut(SentenceRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}

/// A file's failed statement: the reason to report for the file, or a fault of the
/// database itself that aborts the whole batch.
fn refused_file(location: &Location, e: postgres::Error) -> Result<String, StoreError> {
    match super::connection::classify(location, e) {
        fault @ (StoreError::DiskFull { .. }
        | StoreError::Busy { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::Unreachable { .. }
        | StoreError::Denied { .. }) => Err(fault),
        other => Ok(other.to_string()),
    }
}

enum FileError {
    Refused(String),
    Database(postgres::Error),
}

impl From<postgres::Error> for FileError {
    fn from(e: postgres::Error) -> Self {
        FileError::Database(e)
    }
}

fn insert_file(
    tx: &mut postgres::Transaction<'_>,
    file: &FileImport,
    now: &str,
) -> Result<Vec<(String, DocumentOutcome, usize)>, FileError> {
    let mut outcomes = Vec::with_capacity(file.documents.len());
    for doc in &file.documents {
        let sha = text_sha256(&doc.text);
        let existing = tx.query_opt(
            "SELECT text_sha256, origin FROM documents WHERE id = $1",
            &[&doc.id],
        )?;
        if let Some(row) = existing {
            let existing_sha: String = row.try_get(0)?;
            let existing_origin: Option<String> = row.try_get(1)?;
            if existing_sha == sha {
                outcomes.push((
                    doc.id.clone(),
                    DocumentOutcome::AlreadyPresent,
                    doc.sentences.len(),
                ));
                continue;
            }
            return Err(FileError::Refused(format!(
                "document id {:?} (from {}) already exists with a different text (imported from {}); \
                 nothing of this file was imported",
                doc.id,
                doc.origin,
                existing_origin.as_deref().unwrap_or("an earlier import")
            )));
        }
        let metadata = serde_json::Value::Object(doc.metadata.clone()).to_string();
        tx.execute(
            "INSERT INTO documents (id, title, text, text_sha256, char_count, source, url,
                                    published, encoding, metadata, origin, imported_at,
                                    sentence_count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &doc.id,
                &doc.title,
                &doc.text,
                &sha,
                &(doc.text.chars().count() as i64),
                &doc.source,
                &doc.url,
                &doc.published,
                &doc.encoding,
                &metadata,
                &doc.origin,
                &now,
                &(doc.sentences.len() as i64),
            ],
        )?;
        for (index, sentence) in doc.sentences.iter().enumerate() {
            tx.execute(
                "INSERT INTO sentences (doc_id, idx, start_char, end_char, text, boilerplate,
                                        boilerplate_reason, boilerplate_auto)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                &[
                    &doc.id,
                    &(index as i64),
                    &(sentence.start as i64),
                    &(sentence.end as i64),
                    &sentence.text,
                    &i64::from(sentence.boilerplate.is_some()),
                    &sentence.boilerplate,
                ],
            )?;
        }
        outcomes.push((doc.id.clone(), DocumentOutcome::Added, doc.sentences.len()));
    }
    Ok(outcomes)
}
