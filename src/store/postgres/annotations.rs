//! annotations: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{ClaimRow, EntityRow, MarkRow};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// Registers an annotator name (idempotent).
    pub fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// All annotator names, sorted.
    pub fn annotators(&self) -> StoreResult<Vec<String>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// A claim by id (also deleted ones).
    pub fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Live (not deleted) claims of a document, by sentence then creation time; one
    /// annotator's, or everyone's.
    pub fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// The live "no claim" marks of a document, for one annotator or everyone.
    pub fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Calls `each` for every document that has confirmed claims or "no claim" marks (of
    /// `annotator`, or of everyone), in import order, with its text, its live confirmed
    /// claims and its live marks (sorted by sentence, annotator, creation).
    pub fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        mut each: impl FnMut(&str, &str, Vec<ClaimRow>, Vec<MarkRow>) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// How many records [`Store::for_each_annotated_document`] hands out: live confirmed
    /// claims and live "no claim" marks (of `annotator`, or of everyone). For progress.
    pub fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Every live confirmed claim and live "no claim" mark on a content (non-boilerplate)
    /// sentence — of one document or all — for agreement and adjudication.
    pub fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Writes imported claims (from a file or another tool) in one transaction, outside the
    /// undo log; claims with an existing id are replaced. Entities to create first are
    /// inserted too. Returns the number of claims written.
    pub fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
