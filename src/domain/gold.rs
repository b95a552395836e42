//! The adjudicated gold standard: gold claims and per-sentence gold decisions.

use serde::{Deserialize, Serialize};

use super::span::Span;

/// A claim of the gold standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldClaimRow {
    pub id: String,
    pub doc_id: String,
    pub sentence_idx: usize,
    pub stance: String,
    pub claim_type: Option<String>,
    pub speaker_entity: Option<String>,
    pub speaker_span: Option<Span>,
    pub target_entity: Option<String>,
    pub target_span: Option<Span>,
    pub cue_span: Option<Span>,
    pub content_span: Option<Span>,
    pub note: String,
    /// `unanimous` (accepted automatically), `adopted` (one annotator's version taken),
    /// `edited` (a version changed by the adjudicator), `own` (written by the adjudicator).
    pub decision: String,
    /// Ids of the annotators' claims this gold claim came from.
    pub source_claims: Vec<String>,
    /// How many annotators decided the sentence.
    pub n_annotators: u32,
    pub decided_by: String,
    pub decided_at: String,
    pub updated_at: String,
    pub deleted: bool,
}

/// The gold decision on a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldSentenceRow {
    pub doc_id: String,
    pub sentence_idx: usize,
    /// `claims` or `no_claim`.
    pub status: String,
    /// `unanimous` or `adjudicated`.
    pub decision: String,
    pub n_annotators: u32,
    pub decided_by: String,
    pub decided_at: String,
    pub updated_at: String,
    pub deleted: bool,
}
