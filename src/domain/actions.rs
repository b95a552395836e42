//! The vocabulary of the action log: the target state of each row an action writes, and
//! what undo, redo and the history report.

use serde::{Deserialize, Serialize};

use super::claims::{ClaimRow, MarkRow};
use super::entities::EntityRow;
use super::gold::{GoldClaimRow, GoldSentenceRow};

/// The state of one row, as an action writes it and the log remembers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "row", rename_all = "snake_case")]
pub enum RowState {
    Claim(ClaimRow),
    Mark(MarkRow),
    Boilerplate {
        doc_id: String,
        sentence_idx: usize,
        boilerplate: bool,
        reason: Option<String>,
    },
    Entity {
        entity: EntityRow,
        present: bool,
    },
    Alias {
        entity_id: String,
        alias: String,
        present: bool,
    },
    GoldClaim(GoldClaimRow),
    GoldSentence(GoldSentenceRow),
}

/// An action that undo or redo just reverted or replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteppedAction {
    pub label: String,
    /// The sentence the action touched first, to show it to the user.
    pub location: Option<(String, usize)>,
}

impl RowState {
    /// The sentence a row belongs to, if it belongs to one.
    pub fn location(&self) -> Option<(String, usize)> {
        match self {
            RowState::Claim(c) => Some((c.doc_id.clone(), c.sentence_idx)),
            RowState::Mark(m) => Some((m.doc_id.clone(), m.sentence_idx)),
            RowState::Boilerplate {
                doc_id,
                sentence_idx,
                ..
            } => Some((doc_id.clone(), *sentence_idx)),
            RowState::GoldClaim(g) => Some((g.doc_id.clone(), g.sentence_idx)),
            RowState::GoldSentence(g) => Some((g.doc_id.clone(), g.sentence_idx)),
            RowState::Entity { .. } | RowState::Alias { .. } => None,
        }
    }
}

/// A logged action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionEntry {
    pub seq: i64,
    pub label: String,
    pub at: String,
}
