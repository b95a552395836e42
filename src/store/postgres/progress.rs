//! progress: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{AnnotatorPace, SentenceProgress};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// Per sentence of a document: this annotator's progress.
    pub fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Adds active (non-idle) reading time to a sentence for an annotator.
    pub fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Active seconds an annotator spent on a sentence.
    pub fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Pace per annotator. Proportional to the number of annotations, not to the corpus.
    pub fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
