//! actions: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{
    ActionEntry, ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, RowState,
    SteppedAction,
};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// Applies one user action atomically and logs it for undo. Returns its sequence number.
    pub fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Undoes the annotator's last action; `None` when there is none.
    pub fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Redoes the annotator's last undone action; `None` when there is none.
    pub fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// The label of the action Ctrl+Z would undo and the one Ctrl+Shift+Z would redo.
    pub fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// The most recent actions of an annotator, newest first.
    pub fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
