//! gold: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{AdjudicationProgress, GoldClaimRow, GoldSentenceRow};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// Gold claims of a document (or of all documents), by sentence; with `deleted` also
    /// the rejected ones (tombstones).
    pub fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Live gold sentence decisions of a document (or of all documents).
    pub fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Documents that have at least one annotator decision, in import order, with their
    /// adjudication progress.
    pub fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
