//! Merge for PostgreSQL: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow};
use crate::store::error::{StoreError, StoreResult};
use crate::store::merge_rows::{
    ActivityRow, AliasRow, AnnotatorRow, BoilerplateFlag, MergeSource, MergeTarget, StoredDocument,
};

impl PgStore {
    /// Starts a merge into this store.
    pub fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}

impl MergeSource for PgStore {
    fn schema_difference(&self) -> StoreResult<Option<String>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn inconsistency(&self) -> StoreResult<Option<String>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn for_each_stored_document(
        &self,
        each: &mut dyn FnMut(StoredDocument) -> StoreResult<()>,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn annotator_rows(&self) -> StoreResult<Vec<AnnotatorRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn entity_rows(&self) -> StoreResult<Vec<EntityRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn alias_rows(&self) -> StoreResult<Vec<AliasRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn all_claims(&self) -> StoreResult<Vec<ClaimRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn all_marks(&self) -> StoreResult<Vec<MarkRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn all_gold_claims(&self) -> StoreResult<Vec<GoldClaimRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn all_gold_sentences(&self) -> StoreResult<Vec<GoldSentenceRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn flipped_flags(&self) -> StoreResult<Vec<BoilerplateFlag>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    fn activity_rows(&self) -> StoreResult<Vec<ActivityRow>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
