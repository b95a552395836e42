//! The action log: every user action is one transaction that can be undone and redone,
//! also after a restart.
//!
//! An action is a list of target [`RowState`]s. [`SqliteStore::apply_action`] reads each
//! row's current state, writes the target, and logs `{before, after}` in the same
//! transaction, so a kill at any moment leaves either the whole action or none of it. Undo
//! writes the `before` states back (as a new edit: timestamps move forward, so merges see
//! it); redo writes the `after` states again. A new action discards the redo stack.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::connection::SqliteStore;
use super::errors::classify;
use super::rows::{
    entity_from_row, get_claim, get_gold_claim, get_gold_sentence, get_mark, put_claim,
    put_gold_claim, put_gold_sentence, put_mark,
};
use crate::domain::{
    ActionEntry, ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, RowChange, RowState,
    SteppedAction,
};
use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// The current state of the row a target state addresses.
fn current_state(tx: &Transaction<'_>, target: &RowState) -> rusqlite::Result<RowState> {
    Ok(match target {
        // A row that does not exist yet is remembered as a tombstone that links to no
        // entity: undoing its creation must not leave a reference that keeps an entity
        // created earlier from being removed by the next undo.
        RowState::Claim(claim) => {
            RowState::Claim(get_claim(tx, &claim.id)?.unwrap_or_else(|| ClaimRow {
                deleted: true,
                speaker_entity: None,
                target_entity: None,
                ..claim.clone()
            }))
        }
        RowState::Mark(mark) => RowState::Mark(
            get_mark(tx, &mark.doc_id, mark.sentence_idx, &mark.annotator)?.unwrap_or_else(|| {
                MarkRow {
                    deleted: true,
                    ..mark.clone()
                }
            }),
        ),
        RowState::Boilerplate {
            doc_id,
            sentence_idx,
            ..
        } => {
            let (boilerplate, reason): (bool, Option<String>) = tx
                .prepare_cached(
                    "SELECT boilerplate, boilerplate_reason FROM sentences WHERE doc_id = ?1 AND idx = ?2",
                )?
                .query_row(params![doc_id, *sentence_idx as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
            RowState::Boilerplate {
                doc_id: doc_id.clone(),
                sentence_idx: *sentence_idx,
                boilerplate,
                reason,
            }
        }
        RowState::Entity { entity, .. } => {
            let found = tx
                .prepare_cached(
                    "SELECT id, canonical_name, kind, note, created_at, updated_at FROM entities WHERE id = ?1",
                )?
                .query_row([&entity.id], entity_from_row)
                .optional()?;
            match found {
                Some(existing) => RowState::Entity {
                    entity: existing,
                    present: true,
                },
                None => RowState::Entity {
                    entity: entity.clone(),
                    present: false,
                },
            }
        }
        RowState::GoldClaim(gold) => RowState::GoldClaim(
            get_gold_claim(tx, &gold.id)?.unwrap_or_else(|| GoldClaimRow {
                deleted: true,
                speaker_entity: None,
                target_entity: None,
                ..gold.clone()
            }),
        ),
        RowState::GoldSentence(gold) => RowState::GoldSentence(
            get_gold_sentence(tx, &gold.doc_id, gold.sentence_idx)?.unwrap_or_else(|| {
                GoldSentenceRow {
                    deleted: true,
                    ..gold.clone()
                }
            }),
        ),
        RowState::Alias {
            entity_id, alias, ..
        } => {
            let present = tx
                .prepare_cached("SELECT 1 FROM entity_aliases WHERE entity_id = ?1 AND alias = ?2")?
                .query_row(params![entity_id, alias], |_| Ok(()))
                .optional()?
                .is_some();
            RowState::Alias {
                entity_id: entity_id.clone(),
                alias: alias.clone(),
                present,
            }
        }
    })
}

/// A failed write of an action: a fault of the database itself (read-only, full, busy,
/// damaged) as such, anything else (a constraint) as a change that cannot be made.
fn write_error(location: &Location, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(failure, _)
            if matches!(
                failure.code,
                ErrorCode::ReadOnly
                    | ErrorCode::DiskFull
                    | ErrorCode::DatabaseBusy
                    | ErrorCode::DatabaseLocked
                    | ErrorCode::DatabaseCorrupt
            ) =>
        {
            classify(location, e)
        }
        _ => StoreError::Invalid(format!("cannot write the change: {e}")),
    }
}

/// Makes a row look like `state`; with `touch`, stamped as edited now ([`RowState::touched`],
/// and the entity by `write_entity`).
fn write_state(
    tx: &Transaction<'_>,
    location: &Location,
    state: &RowState,
    now: &str,
    touch: bool,
) -> Result<(), StoreError> {
    let sql = |e: rusqlite::Error| write_error(location, e);
    let touched;
    let state = if touch {
        touched = state.touched(now);
        &touched
    } else {
        state
    };
    match state {
        RowState::Claim(claim) => put_claim(tx, claim).map_err(sql)?,
        RowState::Mark(mark) => put_mark(tx, mark).map_err(sql)?,
        RowState::GoldClaim(gold) => put_gold_claim(tx, gold).map_err(sql)?,
        RowState::GoldSentence(gold) => put_gold_sentence(tx, gold).map_err(sql)?,
        RowState::Boilerplate {
            doc_id,
            sentence_idx,
            boilerplate,
            reason,
        } => {
            // Every write of a flag is a user's (the action, its undo, its redo): stamped, so
            // that merge can tell it from the flag the rules set at import.
            tx.prepare_cached(
                "UPDATE sentences SET boilerplate = ?3, boilerplate_reason = ?4,
                        boilerplate_updated_at = ?5
                 WHERE doc_id = ?1 AND idx = ?2",
            )
            .and_then(|mut s| {
                s.execute(params![
                    doc_id,
                    *sentence_idx as i64,
                    boilerplate,
                    reason,
                    now
                ])
            })
            .map_err(sql)?;
        }
        RowState::Entity { entity, present } => {
            write_entity(tx, location, entity, *present, now, touch)?
        }
        RowState::Alias {
            entity_id,
            alias,
            present,
        } => {
            if *present {
                let folded = crate::corpus::normalize::fold(alias);
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![entity_id, alias, folded, now]))
                .map_err(sql)?;
            } else {
                tx.prepare_cached("DELETE FROM entity_aliases WHERE entity_id = ?1 AND alias = ?2")
                    .and_then(|mut s| s.execute(params![entity_id, alias]))
                    .map_err(sql)?;
            }
        }
    }
    Ok(())
}

/// Makes an entity present (inserted, or updated in place) or absent (refused while a live
/// claim or gold claim uses it; tombstones let go of it).
fn write_entity(
    tx: &Transaction<'_>,
    location: &Location,
    entity: &EntityRow,
    present: bool,
    now: &str,
    touch: bool,
) -> Result<(), StoreError> {
    let sql = |e: rusqlite::Error| write_error(location, e);
    if present {
        tx.prepare_cached(
            "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET canonical_name = excluded.canonical_name,
                kind = excluded.kind, note = excluded.note, updated_at = excluded.updated_at",
        )
        .and_then(|mut s| {
            s.execute(params![
                entity.id,
                entity.canonical_name,
                entity.kind,
                entity.note,
                entity.created_at,
                if touch {
                    now
                } else {
                    entity.updated_at.as_str()
                },
            ])
        })
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Invalid(format!(
                    "an entity named {:?} already exists",
                    entity.canonical_name
                ))
            }
            other => sql(other),
        })?;
    } else {
        // Only live claims use an entity; deleted ones (tombstones) let go of it.
        let in_use: i64 = tx
            .query_row(
                "SELECT (SELECT count(*) FROM claims
                          WHERE deleted = 0 AND (speaker_entity = ?1 OR target_entity = ?1))
                      + (SELECT count(*) FROM gold_claims
                          WHERE deleted = 0 AND (speaker_entity = ?1 OR target_entity = ?1))",
                [&entity.id],
                |row| row.get(0),
            )
            .map_err(sql)?;
        if in_use > 0 {
            return Err(StoreError::Invalid(format!(
                "the entity {:?} is used by {in_use} claim(s) and cannot be removed",
                entity.canonical_name
            )));
        }
        for statement in [
            "UPDATE claims SET speaker_entity = NULL WHERE deleted = 1 AND speaker_entity = ?1",
            "UPDATE claims SET target_entity = NULL WHERE deleted = 1 AND target_entity = ?1",
            "UPDATE gold_claims SET speaker_entity = NULL WHERE deleted = 1 AND speaker_entity = ?1",
            "UPDATE gold_claims SET target_entity = NULL WHERE deleted = 1 AND target_entity = ?1",
        ] {
            tx.execute(statement, [&entity.id]).map_err(sql)?;
        }
        tx.execute(
            "DELETE FROM entity_aliases WHERE entity_id = ?1",
            [&entity.id],
        )
        .map_err(sql)?;
        tx.execute("DELETE FROM entities WHERE id = ?1", [&entity.id])
            .map_err(sql)?;
    }
    Ok(())
}

impl SqliteStore {
    /// Applies one user action atomically and logs it for undo. Returns its sequence number.
    pub fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        let mut changes = Vec::with_capacity(targets.len());
        for target in targets {
            let before = current_state(&tx, target).map_err(|e| classify(location, e))?;
            write_state(&tx, location, target, &now, false)?;
            changes.push(RowChange {
                before,
                after: target.clone(),
            });
        }
        let changes_json = serde_json::to_string(&changes)
            .map_err(|e| StoreError::Invalid(format!("cannot log the action: {e}")))?;
        tx.execute(
            "DELETE FROM action_log WHERE annotator = ?1 AND state = 'undone'",
            [annotator],
        )
        .map_err(|e| classify(location, e))?;
        tx.execute(
            "INSERT INTO action_log (annotator, session_id, at, label, changes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![annotator, session_id, now, label, changes_json],
        )
        .map_err(|e| classify(location, e))?;
        let seq = tx.last_insert_rowid();
        tx.commit().map_err(|e| classify(location, e))?;
        Ok(seq)
    }

    /// Undoes the annotator's last action; `None` when there is none.
    pub fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        self.step_history(annotator, true)
    }

    /// Redoes the annotator's last undone action; `None` when there is none.
    pub fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        self.step_history(annotator, false)
    }

    fn step_history(&mut self, annotator: &str, undo: bool) -> StoreResult<Option<SteppedAction>> {
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        let query = if undo {
            "SELECT seq, label, changes FROM action_log WHERE annotator = ?1 AND state = 'done' ORDER BY seq DESC LIMIT 1"
        } else {
            "SELECT seq, label, changes FROM action_log WHERE annotator = ?1 AND state = 'undone' ORDER BY seq ASC LIMIT 1"
        };
        let entry: Option<(i64, String, String)> = tx
            .query_row(query, [annotator], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(|e| classify(location, e))?;
        let Some((seq, label, changes_json)) = entry else {
            return Ok(None);
        };
        let changes: Vec<RowChange> = serde_json::from_str(&changes_json).map_err(|e| {
            StoreError::Invalid(format!("action {seq} in the undo log is unreadable: {e}"))
        })?;
        if undo {
            for change in changes.iter().rev() {
                write_state(&tx, location, &change.before, &now, true)?;
            }
        } else {
            for change in &changes {
                write_state(&tx, location, &change.after, &now, true)?;
            }
        }
        tx.execute(
            "UPDATE action_log SET state = ?2 WHERE seq = ?1",
            params![seq, if undo { "undone" } else { "done" }],
        )
        .map_err(|e| classify(location, e))?;
        tx.commit().map_err(|e| classify(location, e))?;
        let location = changes.iter().find_map(|change| change.after.location());
        Ok(Some(SteppedAction { label, location }))
    }

    /// The label of the action Ctrl+Z would undo and the one Ctrl+Shift+Z would redo.
    pub fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        let undo = self
            .conn
            .query_row(
                "SELECT label FROM action_log WHERE annotator = ?1 AND state = 'done' ORDER BY seq DESC LIMIT 1",
                [annotator],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let redo = self
            .conn
            .query_row(
                "SELECT label FROM action_log WHERE annotator = ?1 AND state = 'undone' ORDER BY seq ASC LIMIT 1",
                [annotator],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok((undo, redo))
    }

    /// The most recent actions of an annotator, newest first.
    pub fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, label, at FROM action_log WHERE annotator = ?1 AND state = 'done'
                 ORDER BY seq DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![annotator, limit as i64], |row| {
                Ok(ActionEntry {
                    seq: row.get(0)?,
                    label: row.get(1)?,
                    at: row.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}
