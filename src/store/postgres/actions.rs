//! The action log: every user action is one transaction that can be undone and redone,
//! also after a restart, as in `../sqlite/actions.rs` (the same log, the same JSON).
//!
//! An action is a list of target [`RowState`]s. [`PgStore::apply_action`] reads each
//! row's current state, writes the target, and logs `{before, after}` in the same
//! transaction, so a lost connection at any moment leaves either the whole action or none
//! of it. Undo writes the `before` states back (as a new edit: timestamps move forward, so
//! merges see it); redo writes the `after` states again. A new action discards the redo
//! stack.
//!
//! On a server, row-level security turns an UPDATE or DELETE of a row the login may not
//! change into one that changes nothing, silently. Where a write must change a row (a
//! boilerplate flag, an entity or alias removed, the log's own state) the count is checked,
//! and a write that changed nothing is refused ([`StoreError::Denied`]): an action is never
//! logged as done when its rows were not written. Undo and redo lock the log entry they
//! step (`FOR UPDATE`), so two sessions of one annotator never step the same action twice.
//!
//! The statements of every action take their parameters with their types
//! (`query_typed`, `execute_typed`: one round trip each, where an untyped statement is
//! prepared first): an action is a handful of round trips.

use postgres::Transaction;
use postgres::types::Type;

use super::connection::{Fail, PgResult, PgStore, classify};
use super::rows::{
    ENTITY_COLUMNS, entity_from_row, flag, get_claim, get_gold_claim, get_gold_sentence, get_mark,
    put_claim, put_gold_claim, put_gold_sentence, put_mark,
};
use crate::domain::{
    ActionEntry, ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, RowChange, RowState,
    SteppedAction,
};
use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// The current state of the row a target state addresses.
fn current_state(tx: &mut Transaction<'_>, target: &RowState) -> PgResult<RowState> {
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
            let row = tx.query_typed_one(
                "SELECT boilerplate, boilerplate_reason FROM sentences WHERE doc_id = $1 AND idx = $2",
                &[(doc_id, Type::TEXT), (&(*sentence_idx as i64), Type::INT8)],
            )?;
            RowState::Boilerplate {
                doc_id: doc_id.clone(),
                sentence_idx: *sentence_idx,
                boilerplate: row.try_get::<_, i64>(0)? != 0,
                reason: row.try_get(1)?,
            }
        }
        RowState::Entity { entity, .. } => {
            let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = $1");
            let row = tx.query_opt(&sql, &[&entity.id])?;
            match row {
                Some(row) => RowState::Entity {
                    entity: entity_from_row(&row)?,
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
        } => RowState::Alias {
            entity_id: entity_id.clone(),
            alias: alias.clone(),
            present: alias_exists(tx, entity_id, alias)?,
        },
    })
}

fn alias_exists(tx: &mut Transaction<'_>, entity_id: &str, alias: &str) -> PgResult<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM entity_aliases WHERE entity_id = $1 AND alias = $2",
            &[&entity_id, &alias],
        )?
        .is_some())
}

/// A failed write of an action: a fault of the server or the connection (unreachable,
/// read-only, full, busy, refused by the login's role) as such, anything else (a
/// constraint) as a change that cannot be made.
fn write_error(location: &Location, e: postgres::Error) -> StoreError {
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    };
    match classify(location, e) {
        StoreError::Backend { .. } => {
            StoreError::Invalid(format!("cannot write the change: {detail}"))
        }
        fault => fault,
    }
}

/// A write that had to change a row and changed nothing: row-level security kept it from
/// the login (`table` names the table, `what` the row).
fn denied(location: &Location, table: &str, what: &str) -> StoreError {
    StoreError::Denied {
        location: location.clone(),
        detail: format!("{table}: {what} was not changed by this login"),
    }
}

/// Whether a driver error is a constraint violation (SQLSTATE class 23).
fn is_constraint(e: &postgres::Error) -> bool {
    e.code().is_some_and(|code| code.code().starts_with("23"))
}

/// Makes a row look like `state`; with `touch`, stamped as edited now ([`RowState::touched`],
/// and the entity by `write_entity`).
fn write_state(
    tx: &mut Transaction<'_>,
    location: &Location,
    state: &RowState,
    now: &str,
    touch: bool,
) -> PgResult<()> {
    let sql = |fail: Fail| match fail {
        Fail::Pg(e) => write_error(location, e).into(),
        other => other,
    };
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
            let changed = tx
                .execute_typed(
                    "UPDATE sentences SET boilerplate = $3, boilerplate_reason = $4,
                            boilerplate_updated_at = $5
                     WHERE doc_id = $1 AND idx = $2",
                    &[
                        (doc_id, Type::TEXT),
                        (&(*sentence_idx as i64), Type::INT8),
                        (&flag(*boilerplate), Type::INT8),
                        (reason, Type::TEXT),
                        (&now, Type::TEXT),
                    ],
                )
                .map_err(|e| write_error(location, e))?;
            if changed == 0 {
                let what = format!("the boilerplate flag of sentence {sentence_idx} of {doc_id}");
                return Err(denied(location, "sentences", &what).into());
            }
        }
        RowState::Entity { entity, present } => {
            write_entity(tx, location, entity, *present, now, touch)?
        }
        RowState::Alias {
            entity_id,
            alias,
            present,
        } => write_alias(tx, location, entity_id, alias, *present, now)?,
    }
    Ok(())
}

/// Makes an alias present or absent.
fn write_alias(
    tx: &mut Transaction<'_>,
    location: &Location,
    entity_id: &str,
    alias: &str,
    present: bool,
    now: &str,
) -> PgResult<()> {
    if present {
        let folded = crate::corpus::normalize::fold(alias);
        tx.execute(
            "INSERT INTO entity_aliases (entity_id, alias, alias_folded, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&entity_id, &alias, &folded, &now],
        )
        .map_err(|e| write_error(location, e))?;
    } else {
        let removed = tx
            .execute(
                "DELETE FROM entity_aliases WHERE entity_id = $1 AND alias = $2",
                &[&entity_id, &alias],
            )
            .map_err(|e| write_error(location, e))?;
        if removed == 0 && alias_exists(tx, entity_id, alias)? {
            let what = format!("the alias {alias:?} of entity {entity_id}");
            return Err(denied(location, "entity_aliases", &what).into());
        }
    }
    Ok(())
}

/// Makes an entity present (inserted, or updated in place) or absent (refused while a live
/// claim or gold claim uses it; tombstones let go of it). `created_by` is left to its
/// default, the login.
fn write_entity(
    tx: &mut Transaction<'_>,
    location: &Location,
    entity: &EntityRow,
    present: bool,
    now: &str,
    touch: bool,
) -> PgResult<()> {
    if present {
        let updated_at = if touch {
            now
        } else {
            entity.updated_at.as_str()
        };
        tx.execute(
            "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET canonical_name = EXCLUDED.canonical_name,
                kind = EXCLUDED.kind, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at",
            &[
                &entity.id,
                &entity.canonical_name,
                &entity.kind,
                &entity.note,
                &entity.created_at,
                &updated_at,
            ],
        )
        .map_err(|e| {
            if is_constraint(&e) {
                StoreError::Invalid(format!(
                    "an entity named {:?} already exists",
                    entity.canonical_name
                ))
            } else {
                write_error(location, e)
            }
        })?;
        return Ok(());
    }
    // Only live claims use an entity; deleted ones (tombstones) let go of it.
    let in_use: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM claims
                      WHERE deleted = 0 AND (speaker_entity = $1 OR target_entity = $1))
                  + (SELECT count(*) FROM gold_claims
                      WHERE deleted = 0 AND (speaker_entity = $1 OR target_entity = $1))",
            &[&entity.id],
        )
        .map_err(|e| write_error(location, e))?
        .try_get(0)?;
    if in_use > 0 {
        return Err(StoreError::Invalid(format!(
            "the entity {:?} is used by {in_use} claim(s) and cannot be removed",
            entity.canonical_name
        ))
        .into());
    }
    for statement in [
        "UPDATE claims SET
            speaker_entity = CASE WHEN speaker_entity = $1 THEN NULL ELSE speaker_entity END,
            target_entity = CASE WHEN target_entity = $1 THEN NULL ELSE target_entity END
          WHERE deleted = 1 AND (speaker_entity = $1 OR target_entity = $1)",
        "UPDATE gold_claims SET
            speaker_entity = CASE WHEN speaker_entity = $1 THEN NULL ELSE speaker_entity END,
            target_entity = CASE WHEN target_entity = $1 THEN NULL ELSE target_entity END
          WHERE deleted = 1 AND (speaker_entity = $1 OR target_entity = $1)",
        "DELETE FROM entity_aliases WHERE entity_id = $1",
    ] {
        tx.execute(statement, &[&entity.id])
            .map_err(|e| write_error(location, e))?;
    }
    // A claim the login cannot see (another annotator's, on a server) still holds it.
    let removed = tx
        .execute("DELETE FROM entities WHERE id = $1", &[&entity.id])
        .map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
                StoreError::Invalid(format!(
                    "the entity {:?} is used by claims and cannot be removed",
                    entity.canonical_name
                ))
            } else {
                write_error(location, e)
            }
        })?;
    if removed == 0
        && tx
            .query_opt("SELECT 1 FROM entities WHERE id = $1", &[&entity.id])?
            .is_some()
    {
        let what = format!("the entity {:?}", entity.canonical_name);
        return Err(denied(location, "entities", &what).into());
    }
    Ok(())
}

/// The annotator's action undo (`undo`) or redo would step, locked for this transaction:
/// (seq, label, changes). A row another session stepped while this one waited for its lock
/// drops out of the locked read; the read is then made again on the committed log.
fn lock_next_step(
    tx: &mut Transaction<'_>,
    annotator: &str,
    undo: bool,
) -> PgResult<Option<(i64, String, String)>> {
    let (query, state) = if undo {
        (
            "SELECT seq, label, changes FROM action_log WHERE annotator = $1 AND state = 'done'
             ORDER BY seq DESC LIMIT 1 FOR UPDATE",
            "done",
        )
    } else {
        (
            "SELECT seq, label, changes FROM action_log WHERE annotator = $1 AND state = 'undone'
             ORDER BY seq ASC LIMIT 1 FOR UPDATE",
            "undone",
        )
    };
    for _ in 0..3 {
        if let Some(row) = tx.query_typed_opt(query, &[(&annotator, Type::TEXT)])? {
            return Ok(Some((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)));
        }
        let any: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM action_log WHERE annotator = $1 AND state = $2)",
                &[&annotator, &state],
            )?
            .try_get(0)?;
        if !any {
            return Ok(None);
        }
    }
    Ok(None)
}

impl PgStore {
    /// Applies one user action atomically and logs it for undo. Returns its sequence number.
    pub fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        let location = self.location.clone();
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            let mut changes = Vec::with_capacity(targets.len());
            for target in targets {
                let before = current_state(tx, target)?;
                write_state(tx, &location, target, &now, false)?;
                changes.push(RowChange {
                    before,
                    after: target.clone(),
                });
            }
            let changes_json = serde_json::to_string(&changes)
                .map_err(|e| StoreError::Invalid(format!("cannot log the action: {e}")))?;
            // The redo stack goes in the same statement as the new entry.
            let row = tx.query_typed_one(
                "WITH cleared AS (
                     DELETE FROM action_log WHERE annotator = $1 AND state = 'undone')
                 INSERT INTO action_log (annotator, session_id, at, label, changes)
                 VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                &[
                    (&annotator, Type::TEXT),
                    (&session_id, Type::TEXT),
                    (&now, Type::TEXT),
                    (&label, Type::TEXT),
                    (&changes_json, Type::TEXT),
                ],
            )?;
            Ok(row.try_get(0)?)
        })
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
        let location = self.location.clone();
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            let Some((seq, label, changes_json)) = lock_next_step(tx, annotator, undo)? else {
                return Ok(None);
            };
            let changes: Vec<RowChange> = serde_json::from_str(&changes_json).map_err(|e| {
                StoreError::Invalid(format!("action {seq} in the undo log is unreadable: {e}"))
            })?;
            if undo {
                for change in changes.iter().rev() {
                    write_state(tx, &location, &change.before, &now, true)?;
                }
            } else {
                for change in &changes {
                    write_state(tx, &location, &change.after, &now, true)?;
                }
            }
            let state = if undo { "undone" } else { "done" };
            let changed = tx.execute_typed(
                "UPDATE action_log SET state = $2 WHERE seq = $1",
                &[(&seq, Type::INT8), (&state, Type::TEXT)],
            )?;
            if changed != 1 {
                let what = format!("the state of action {seq}");
                return Err(denied(&location, "action_log", &what).into());
            }
            let shown = changes.iter().find_map(|change| change.after.location());
            Ok(Some(SteppedAction {
                label,
                location: shown,
            }))
        })
    }

    /// The label of the action Ctrl+Z would undo and the one Ctrl+Shift+Z would redo.
    pub fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        self.read(|client| {
            let row = client.query_typed_one(
                "SELECT (SELECT label FROM action_log WHERE annotator = $1 AND state = 'done'
                          ORDER BY seq DESC LIMIT 1),
                        (SELECT label FROM action_log WHERE annotator = $1 AND state = 'undone'
                          ORDER BY seq ASC LIMIT 1)",
                &[(&annotator, Type::TEXT)],
            )?;
            Ok((row.try_get(0)?, row.try_get(1)?))
        })
    }

    /// The most recent actions of an annotator, newest first.
    pub fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|client| {
            let rows = client.query_typed(
                "SELECT seq, label, at FROM action_log WHERE annotator = $1 AND state = 'done'
                 ORDER BY seq DESC LIMIT $2",
                &[(&annotator, Type::TEXT), (&limit, Type::INT8)],
            )?;
            let mut entries = Vec::with_capacity(rows.len());
            for row in rows {
                entries.push(ActionEntry {
                    seq: row.try_get(0)?,
                    label: row.try_get(1)?,
                    at: row.try_get(2)?,
                });
            }
            Ok(entries)
        })
    }
}
