//! Lists the views show, read through the workspace: the documents list (a count and one
//! page of it) and the annotators' pace. The app calls these when something changed (its
//! generation counter, the filter, a scroll past the loaded rows), never a view mid-frame,
//! and a failure comes back as an error for the status bar, not as an empty list.

use crate::domain::{AnnotatorPace, DocumentListQuery, DocumentSummary, StatusFilter};

use super::{ModelResult, Workspace};

/// Which documents the list shows.
#[derive(Debug, Clone, Copy)]
pub struct DocumentFilter<'a> {
    /// Text the title or id contains ("" for all).
    pub text: &'a str,
    pub status: StatusFilter,
    /// Adjudication progress instead of this annotator's.
    pub gold: bool,
}

impl Workspace {
    fn document_query<'a>(
        &'a self,
        filter: DocumentFilter<'a>,
        offset: usize,
        limit: usize,
    ) -> DocumentListQuery<'a> {
        DocumentListQuery {
            text: filter.text,
            status: filter.status,
            annotator: Some(self.annotator()),
            gold: filter.gold,
            offset,
            limit,
        }
    }

    /// How many documents the list shows with `filter`.
    pub fn document_count(&self, filter: DocumentFilter<'_>) -> ModelResult<usize> {
        Ok(self
            .store()
            .count_documents(&self.document_query(filter, 0, 0))?)
    }

    /// Rows `offset..offset + limit` of the documents list with `filter`.
    pub fn document_page(
        &self,
        filter: DocumentFilter<'_>,
        offset: usize,
        limit: usize,
    ) -> ModelResult<Vec<DocumentSummary>> {
        Ok(self
            .store()
            .document_summaries(&self.document_query(filter, offset, limit))?)
    }

    /// Each annotator's pace (decided sentences per active hour).
    pub fn annotator_pace(&self) -> ModelResult<Vec<AnnotatorPace>> {
        Ok(self.store().annotator_pace()?)
    }
}
