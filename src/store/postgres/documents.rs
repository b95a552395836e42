//! documents: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{
    DocumentListQuery, DocumentOutcome, DocumentRow, DocumentSummary, FileImport, FileImportResult,
    SentenceRow, StatusFilter,
};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// Stores the documents of several files in one transaction, each file inside its own
    /// savepoint: a file whose documents cannot all be stored (an id that already exists with
    /// a different text, a constraint violation) is rolled back entirely and reported, the
    /// others are kept. Returns one result per file, in order.
    pub fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Number of documents, as kept by `schema/004_document_total.sql` (one row read, where
    /// counting reads a whole index).
    pub fn document_count(&self) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Number of sentences of all documents.
    pub fn sentence_count(&self) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// A page of the document list in import order: documents whose title or id contains
    /// `query`, with `annotator`'s progress, optionally only those in one status.
    pub fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// How many documents [`SqliteStore::document_summaries`] would list without a limit.
    pub fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Records who was given which document (`isnad assign`).
    pub fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// (document id, annotator, overlap) of every assignment.
    pub fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// One document, if present.
    pub fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// The sentences of a document, in order.
    pub fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Calls `each` for every document in import order (streaming: memory stays flat).
    pub fn for_each_document(
        &self,
        mut each: impl FnMut(DocumentRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Calls `each` for every sentence, documents in import order, sentences in order.
    pub fn for_each_sentence(
        &self,
        mut each: impl FnMut(SentenceRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
