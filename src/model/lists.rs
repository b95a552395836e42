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

/// One document's progress for every annotator it is assigned to (or, without assignments,
/// every annotator): `isnad docs --team`, the lead's view of a team at work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamProgressRow {
    pub id: String,
    pub title: String,
    pub content_sentences: usize,
    /// (annotator, decided content sentences), by annotator.
    pub done: Vec<(String, usize)>,
}

/// Every document's progress per annotator (see [`TeamProgressRow`]), in import order.
pub fn team_progress(store: &dyn crate::store::Store) -> ModelResult<Vec<TeamProgressRow>> {
    use std::collections::{BTreeMap, BTreeSet};
    let assignments = store.assignments()?;
    let mut assigned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (doc, annotator, _) in &assignments {
        assigned
            .entry(doc.clone())
            .or_default()
            .insert(annotator.clone());
    }
    let annotators: Vec<String> = if assignments.is_empty() {
        store.annotators()?
    } else {
        let names: BTreeSet<&String> = assignments.iter().map(|(_, a, _)| a).collect();
        names.into_iter().cloned().collect()
    };
    let mut rows: Vec<TeamProgressRow> = Vec::new();
    let mut position: BTreeMap<String, usize> = BTreeMap::new();
    for (pass, annotator) in std::iter::once(None)
        .chain(annotators.iter().map(Some))
        .enumerate()
    {
        let mut offset = 0;
        loop {
            let page = store.document_summaries(&crate::domain::DocumentListQuery {
                text: "",
                status: crate::domain::StatusFilter::All,
                annotator: annotator.map(String::as_str),
                gold: false,
                offset,
                limit: 1000,
            })?;
            for doc in &page {
                if pass == 0 {
                    position.insert(doc.id.clone(), rows.len());
                    rows.push(TeamProgressRow {
                        id: doc.id.clone(),
                        title: doc.title.clone(),
                        content_sentences: doc.content_sentences,
                        done: Vec::new(),
                    });
                } else if let (Some(annotator), Some(&at)) = (annotator, position.get(&doc.id)) {
                    let counts = assignments.is_empty()
                        || assigned
                            .get(&doc.id)
                            .is_some_and(|set| set.contains(annotator));
                    if counts {
                        rows[at].done.push((annotator.clone(), doc.done_sentences));
                    }
                }
            }
            offset += page.len();
            if page.len() < 1000 {
                break;
            }
        }
    }
    Ok(rows)
}
