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

/// One row's change in a logged action: its state before and after — an entry of the
/// action log's `changes` JSON, the same on every backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowChange {
    pub before: RowState,
    pub after: RowState,
}

/// An action that undo or redo just reverted or replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteppedAction {
    pub label: String,
    /// The sentence the action touched first, to show it to the user.
    pub location: Option<(String, usize)>,
}

impl RowState {
    /// This state with `updated_at = now` for the rows that carry their own edit time
    /// (claims, marks, gold rows); the others as they are (an entity's time is its
    /// backend's business: it is stamped only when it changes).
    pub fn touched(&self, now: &str) -> RowState {
        let mut state = self.clone();
        match &mut state {
            RowState::Claim(row) => row.updated_at = now.to_owned(),
            RowState::Mark(row) => row.updated_at = now.to_owned(),
            RowState::GoldClaim(row) => row.updated_at = now.to_owned(),
            RowState::GoldSentence(row) => row.updated_at = now.to_owned(),
            RowState::Boilerplate { .. } | RowState::Entity { .. } | RowState::Alias { .. } => {}
        }
        state
    }

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
