//! Progress and pace: how far annotators and adjudicators are.

/// How fast an annotator works: decided content sentences and active (non-idle) hours.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatorPace {
    pub name: String,
    pub decided_sentences: usize,
    pub active_hours: f64,
}

impl AnnotatorPace {
    /// Decided sentences per active hour, when there is active time.
    pub fn sentences_per_hour(&self) -> Option<f64> {
        (self.active_hours > 0.0).then(|| self.decided_sentences as f64 / self.active_hours)
    }
}

/// Per-sentence annotation state of one annotator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceProgress {
    pub confirmed_claims: usize,
    pub has_draft: bool,
    pub no_claim: bool,
    pub seen: bool,
}

impl SentenceProgress {
    /// Done = decided: at least one confirmed claim, or marked "no claim".
    pub fn is_done(&self) -> bool {
        self.confirmed_claims > 0 || self.no_claim
    }
}

/// Adjudication progress of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjudicationProgress {
    pub doc_id: String,
    pub title: String,
    pub content_sentences: usize,
    /// Content sentences decided by at least one annotator.
    pub annotated_sentences: usize,
    /// Sentences with a gold decision.
    pub gold_sentences: usize,
}
