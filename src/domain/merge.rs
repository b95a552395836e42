//! What merging another annotator's database did.

use serde::Serialize;

/// A row edited both here and in the other database since they last met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeConflict {
    /// `claim`, `no_claim`, `gold_claim`, `gold_sentence`.
    pub kind: String,
    pub key: String,
    pub doc_id: String,
    pub sentence: usize,
    /// `here` or `there`: whose edit was later and was kept.
    pub winner: String,
    pub here_updated_at: String,
    pub there_updated_at: String,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub source: String,
    pub source_project: String,
    pub documents_added: usize,
    pub documents_same: usize,
    /// (document id, reason): refused, nothing of them merged.
    pub documents_refused: Vec<(String, String)>,
    pub annotators_added: usize,
    pub entities_added: usize,
    pub entities_matched: usize,
    pub aliases_added: usize,
    pub rows_added: usize,
    pub rows_updated: usize,
    pub rows_unchanged: usize,
    pub rows_kept_here: usize,
    pub conflicts: Vec<MergeConflict>,
}

impl MergeReport {
    /// One line for the terminal.
    pub fn summary_line(&self) -> String {
        format!(
            "{}: documents {} added, {} same, {} refused; entities {} added, {} matched, {} aliases added; \
             annotations {} added, {} updated, {} unchanged, {} newer here; {} conflicts",
            self.source,
            self.documents_added,
            self.documents_same,
            self.documents_refused.len(),
            self.entities_added,
            self.entities_matched,
            self.aliases_added,
            self.rows_added,
            self.rows_updated,
            self.rows_unchanged,
            self.rows_kept_here,
            self.conflicts.len()
        )
    }

    /// True when nothing changed.
    pub fn changed_nothing(&self) -> bool {
        self.documents_added == 0
            && self.annotators_added == 0
            && self.entities_added == 0
            && self.aliases_added == 0
            && self.rows_added == 0
            && self.rows_updated == 0
    }
}
