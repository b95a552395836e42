//! Annotators' claims and sentence marks.

use serde::{Deserialize, Serialize};

use super::span::Span;

/// Draft (being built) or confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Draft,
    Confirmed,
}

impl ClaimStatus {
    /// The stored (and serialised) name: `draft` or `confirmed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Confirmed => "confirmed",
        }
    }

    /// The status a stored name stands for; anything but `confirmed` is a draft.
    pub fn from_name(text: &str) -> ClaimStatus {
        if text == "confirmed" {
            ClaimStatus::Confirmed
        } else {
            ClaimStatus::Draft
        }
    }
}

/// One claim row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub id: String,
    pub doc_id: String,
    pub sentence_idx: usize,
    pub annotator: String,
    pub status: ClaimStatus,
    pub stance: Option<String>,
    pub claim_type: Option<String>,
    pub speaker_entity: Option<String>,
    pub speaker_span: Option<Span>,
    pub target_entity: Option<String>,
    pub target_span: Option<Span>,
    pub cue_span: Option<Span>,
    pub content_span: Option<Span>,
    pub note: String,
    pub lead_time_s: f64,
    pub schema_version: u32,
    pub origin: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted: bool,
}

/// A sentence decision without a claim ("no claim here").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkRow {
    pub doc_id: String,
    pub sentence_idx: usize,
    pub annotator: String,
    pub mark: String,
    pub lead_time_s: f64,
    pub created_at: String,
    pub updated_at: String,
    pub deleted: bool,
}
