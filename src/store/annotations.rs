//! Annotation rows — claims, sentence marks, boilerplate flips, entities and aliases — and the
//! action log that makes every user action one transaction that can be undone and redone,
//! also after a restart.
//!
//! An action is a list of target [`RowState`]s. [`Store::apply_action`] reads each row's
//! current state, writes the target, and logs `{before, after}` in the same transaction, so
//! a kill at any moment leaves either the whole action or none of it. Undo writes the
//! `before` states back (as a new edit: timestamps move forward, so merges see it); redo
//! writes the `after` states again. A new action discards the redo stack.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::gold::{get_gold_claim, get_gold_sentence, put_gold_claim, put_gold_sentence};
use super::{Store, StoreError, StoreResult, classify};
use crate::domain::{
    ActionEntry, AnnotatorPace, ClaimRow, ClaimStatus, EntityRow, EntityWithAliases, GoldClaimRow,
    GoldSentenceRow, MarkRow, RowState, SentenceProgress, Span, SteppedAction,
};

/// One row's change in a logged action: its state before and after.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RowChange {
    before: RowState,
    after: RowState,
}

pub(crate) const CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, annotator, status, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, lead_time_s, schema_version, origin, \
    created_at, updated_at, deleted";

fn span_from(start: Option<i64>, end: Option<i64>) -> Option<Span> {
    match (start, end) {
        (Some(s), Some(e)) => Some(Span::new(s as usize, e as usize)),
        _ => None,
    }
}

pub(crate) fn claim_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
    Ok(ClaimRow {
        id: row.get(0)?,
        doc_id: row.get(1)?,
        sentence_idx: row.get::<_, i64>(2)? as usize,
        annotator: row.get(3)?,
        status: ClaimStatus::from_name(&row.get::<_, String>(4)?),
        stance: row.get(5)?,
        claim_type: row.get(6)?,
        speaker_entity: row.get(7)?,
        speaker_span: span_from(row.get(8)?, row.get(9)?),
        target_entity: row.get(10)?,
        target_span: span_from(row.get(11)?, row.get(12)?),
        cue_span: span_from(row.get(13)?, row.get(14)?),
        content_span: span_from(row.get(15)?, row.get(16)?),
        note: row.get(17)?,
        lead_time_s: row.get(18)?,
        schema_version: row.get::<_, i64>(19)? as u32,
        origin: row.get(20)?,
        created_at: row.get(21)?,
        updated_at: row.get(22)?,
        deleted: row.get(23)?,
    })
}

pub(crate) fn mark_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MarkRow> {
    Ok(MarkRow {
        doc_id: row.get(0)?,
        sentence_idx: row.get::<_, i64>(1)? as usize,
        annotator: row.get(2)?,
        mark: row.get(3)?,
        lead_time_s: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        deleted: row.get(7)?,
    })
}

pub(crate) const MARK_COLUMNS: &str =
    "doc_id, sentence_idx, annotator, mark, lead_time_s, created_at, updated_at, deleted";

fn start_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.start as i64)
}

fn end_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.end as i64)
}

/// Writes a claim row exactly as given (insert or replace by id).
pub(crate) fn put_claim(conn: &rusqlite::Connection, claim: &ClaimRow) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO claims ({CLAIM_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
            ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
         ON CONFLICT (id) DO UPDATE SET doc_id = excluded.doc_id, sentence_idx = excluded.sentence_idx,
            annotator = excluded.annotator, status = excluded.status, stance = excluded.stance,
            claim_type = excluded.claim_type, speaker_entity = excluded.speaker_entity,
            speaker_start = excluded.speaker_start, speaker_end = excluded.speaker_end,
            target_entity = excluded.target_entity, target_start = excluded.target_start,
            target_end = excluded.target_end, cue_start = excluded.cue_start, cue_end = excluded.cue_end,
            content_start = excluded.content_start, content_end = excluded.content_end,
            note = excluded.note, lead_time_s = excluded.lead_time_s,
            schema_version = excluded.schema_version, origin = excluded.origin,
            created_at = excluded.created_at, updated_at = excluded.updated_at, deleted = excluded.deleted"
    ))?
    .execute(params![
        claim.id,
        claim.doc_id,
        claim.sentence_idx as i64,
        claim.annotator,
        claim.status.as_str(),
        claim.stance,
        claim.claim_type,
        claim.speaker_entity,
        start_of(claim.speaker_span),
        end_of(claim.speaker_span),
        claim.target_entity,
        start_of(claim.target_span),
        end_of(claim.target_span),
        start_of(claim.cue_span),
        end_of(claim.cue_span),
        start_of(claim.content_span),
        end_of(claim.content_span),
        claim.note,
        claim.lead_time_s,
        i64::from(claim.schema_version),
        claim.origin,
        claim.created_at,
        claim.updated_at,
        claim.deleted,
    ])?;
    Ok(())
}

pub(crate) fn put_mark(conn: &rusqlite::Connection, mark: &MarkRow) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO sentence_marks ({MARK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET mark = excluded.mark,
            lead_time_s = excluded.lead_time_s, created_at = excluded.created_at,
            updated_at = excluded.updated_at, deleted = excluded.deleted"
    ))?
    .execute(params![
        mark.doc_id,
        mark.sentence_idx as i64,
        mark.annotator,
        mark.mark,
        mark.lead_time_s,
        mark.created_at,
        mark.updated_at,
        mark.deleted,
    ])?;
    Ok(())
}

pub(crate) fn get_claim(
    conn: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<ClaimRow>> {
    conn.prepare_cached(&format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?1"))?
        .query_row([id], claim_from_row)
        .optional()
}

pub(crate) fn get_mark(
    conn: &rusqlite::Connection,
    doc_id: &str,
    sentence_idx: usize,
    annotator: &str,
) -> rusqlite::Result<Option<MarkRow>> {
    conn.prepare_cached(&format!(
        "SELECT {MARK_COLUMNS} FROM sentence_marks WHERE doc_id = ?1 AND sentence_idx = ?2 AND annotator = ?3"
    ))?
    .query_row(params![doc_id, sentence_idx as i64, annotator], mark_from_row)
    .optional()
}

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

pub(crate) fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRow> {
    Ok(EntityRow {
        id: row.get(0)?,
        canonical_name: row.get(1)?,
        kind: row.get(2)?,
        note: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

/// Makes a row look like `state`. Claims and marks get `updated_at = now` when `touch`.
fn write_state(
    tx: &Transaction<'_>,
    state: &RowState,
    now: &str,
    touch: bool,
) -> Result<(), StoreError> {
    let sql = |e: rusqlite::Error| StoreError::Invalid(format!("cannot write the change: {e}"));
    match state {
        RowState::Claim(claim) => {
            let mut claim = claim.clone();
            if touch {
                claim.updated_at = now.to_owned();
            }
            put_claim(tx, &claim).map_err(sql)?;
        }
        RowState::Mark(mark) => {
            let mut mark = mark.clone();
            if touch {
                mark.updated_at = now.to_owned();
            }
            put_mark(tx, &mark).map_err(sql)?;
        }
        RowState::GoldClaim(gold) => {
            let mut gold = gold.clone();
            if touch {
                gold.updated_at = now.to_owned();
            }
            put_gold_claim(tx, &gold).map_err(sql)?;
        }
        RowState::GoldSentence(gold) => {
            let mut gold = gold.clone();
            if touch {
                gold.updated_at = now.to_owned();
            }
            put_gold_sentence(tx, &gold).map_err(sql)?;
        }
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
            if *present {
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
                        if touch { now } else { entity.updated_at.as_str() },
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

impl Store {
    /// Registers an annotator name (idempotent).
    pub fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        let now = crate::clock::now_rfc3339();
        self.conn
            .execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?1, ?2)",
                [name, &now],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// All annotator names, sorted.
    pub fn annotators(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM annotators ORDER BY name")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| row.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Applies one user action atomically and logs it for undo. Returns its sequence number.
    pub fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        let path = self.path.clone();
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let mut changes = Vec::with_capacity(targets.len());
        for target in targets {
            let before = current_state(&tx, target).map_err(|e| classify(&path, e))?;
            write_state(&tx, target, &now, false)?;
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
        .map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO action_log (annotator, session_id, at, label, changes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![annotator, session_id, now, label, changes_json],
        )
        .map_err(|e| classify(&path, e))?;
        let seq = tx.last_insert_rowid();
        tx.commit().map_err(|e| classify(&path, e))?;
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
        let path = self.path.clone();
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
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
            .map_err(|e| classify(&path, e))?;
        let Some((seq, label, changes_json)) = entry else {
            return Ok(None);
        };
        let changes: Vec<RowChange> = serde_json::from_str(&changes_json).map_err(|e| {
            StoreError::Invalid(format!("action {seq} in the undo log is unreadable: {e}"))
        })?;
        if undo {
            for change in changes.iter().rev() {
                write_state(&tx, &change.before, &now, true)?;
            }
        } else {
            for change in &changes {
                write_state(&tx, &change.after, &now, true)?;
            }
        }
        tx.execute(
            "UPDATE action_log SET state = ?2 WHERE seq = ?1",
            params![seq, if undo { "undone" } else { "done" }],
        )
        .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
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

    /// A claim by id (also deleted ones).
    pub fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        get_claim(&self.conn, id).map_err(|e| self.err(e))
    }

    /// Live (not deleted) claims of a document, by sentence then creation time; one
    /// annotator's, or everyone's.
    pub fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CLAIM_COLUMNS} FROM claims
                 WHERE doc_id = ?1 AND deleted = 0 AND (?2 IS NULL OR annotator = ?2)
                 ORDER BY sentence_idx, created_at, id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, annotator], claim_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The live "no claim" marks of a document, for one annotator or everyone.
    pub fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MARK_COLUMNS} FROM sentence_marks
                 WHERE doc_id = ?1 AND deleted = 0 AND (?2 IS NULL OR annotator = ?2)
                 ORDER BY sentence_idx, annotator"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, annotator], mark_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Per sentence of a document: this annotator's progress.
    pub fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        let count: i64 = self
            .conn
            .query_row(
                "SELECT sentence_count FROM documents INDEXED BY documents_sentence_count WHERE id = ?1",
                [doc_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .unwrap_or(0);
        let mut progress = vec![SentenceProgress::default(); count as usize];
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sentence_idx, status FROM claims WHERE doc_id = ?1 AND annotator = ?2 AND deleted = 0",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, annotator], |row| {
                Ok((row.get::<_, i64>(0)? as usize, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (idx, status) = row.map_err(|e| self.err(e))?;
            if let Some(p) = progress.get_mut(idx) {
                if status == "confirmed" {
                    p.confirmed_claims += 1;
                } else {
                    p.has_draft = true;
                }
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sentence_idx FROM sentence_marks WHERE doc_id = ?1 AND annotator = ?2 AND deleted = 0",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, annotator], |row| {
                Ok(row.get::<_, i64>(0)? as usize)
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            if let Some(p) = progress.get_mut(row.map_err(|e| self.err(e))?) {
                p.no_claim = true;
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sentence_idx FROM sentence_activity WHERE doc_id = ?1 AND annotator = ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, annotator], |row| {
                Ok(row.get::<_, i64>(0)? as usize)
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            if let Some(p) = progress.get_mut(row.map_err(|e| self.err(e))?) {
                p.seen = true;
            }
        }
        Ok(progress)
    }

    /// Adds active (non-idle) reading time to a sentence for an annotator.
    pub fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()> {
        let now = crate::clock::now_rfc3339();
        self.conn
            .prepare_cached(
                "INSERT INTO sentence_activity (doc_id, sentence_idx, annotator, active_s, first_seen_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (doc_id, sentence_idx, annotator)
                 DO UPDATE SET active_s = active_s + excluded.active_s, last_seen_at = excluded.last_seen_at",
            )
            .and_then(|mut s| s.execute(params![doc_id, sentence_idx as i64, annotator, active_s, now]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Active seconds an annotator spent on a sentence.
    pub fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        Ok(self
            .conn
            .query_row(
                "SELECT active_s FROM sentence_activity WHERE doc_id = ?1 AND sentence_idx = ?2 AND annotator = ?3",
                params![doc_id, sentence_idx as i64, annotator],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .unwrap_or(0.0))
    }

    /// Pace per annotator. Proportional to the number of annotations, not to the corpus.
    pub fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.name,
                    (SELECT count(*) FROM (
                        SELECT c.doc_id, c.sentence_idx FROM claims c
                          JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx
                          WHERE c.annotator = a.name AND c.status = 'confirmed' AND c.deleted = 0
                            AND s.boilerplate = 0
                        UNION
                        SELECT m.doc_id, m.sentence_idx FROM sentence_marks m
                          JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence_idx
                          WHERE m.annotator = a.name AND m.deleted = 0 AND s.boilerplate = 0)),
                    (SELECT coalesce(sum(active_s), 0) FROM sentence_activity x WHERE x.annotator = a.name)
                 FROM annotators a ORDER BY a.name",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(AnnotatorPace {
                    name: row.get(0)?,
                    decided_sentences: row.get::<_, i64>(1)? as usize,
                    active_hours: row.get::<_, f64>(2)? / 3600.0,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Adds entities with their aliases in one transaction, outside the undo log (project
    /// set-up: the starter registry). Entities whose canonical name exists are extended with
    /// the new aliases. Returns the number of entities created.
    pub fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        let path = self.path.clone();
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let mut created = 0;
        for (entity, aliases) in entities {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM entities WHERE canonical_name = ?1",
                    [&entity.canonical_name],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| classify(&path, e))?;
            let id = match existing {
                Some(id) => id,
                None => {
                    tx.execute(
                        "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            entity.id,
                            entity.canonical_name,
                            entity.kind,
                            entity.note,
                            entity.created_at,
                            entity.updated_at
                        ],
                    )
                    .map_err(|e| classify(&path, e))?;
                    created += 1;
                    entity.id.clone()
                }
            };
            for alias in aliases {
                tx.execute(
                    "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, alias, crate::corpus::normalize::fold(alias), now],
                )
                .map_err(|e| classify(&path, e))?;
            }
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(created)
    }

    /// Calls `each` for every document that has confirmed claims or "no claim" marks (of
    /// `annotator`, or of everyone), in import order, with its text, its live confirmed
    /// claims and its live marks (sorted by sentence, annotator, creation).
    pub fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        mut each: impl FnMut(&str, &str, Vec<ClaimRow>, Vec<MarkRow>) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut docs = self
            .conn
            .prepare(
                "SELECT d.id, d.text FROM documents d
                 WHERE EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = d.id AND c.status = 'confirmed'
                                 AND c.deleted = 0 AND (?1 IS NULL OR c.annotator = ?1))
                    OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = d.id AND m.deleted = 0
                                 AND (?1 IS NULL OR m.annotator = ?1))
                 ORDER BY d.rowid",
            )
            .map_err(|e| self.err(e))?;
        let mut claims_stmt = self
            .conn
            .prepare(&format!(
                "SELECT {CLAIM_COLUMNS} FROM claims
                 WHERE doc_id = ?1 AND status = 'confirmed' AND deleted = 0 AND (?2 IS NULL OR annotator = ?2)
                 ORDER BY sentence_idx, annotator, created_at, id"
            ))
            .map_err(|e| self.err(e))?;
        let mut marks_stmt = self
            .conn
            .prepare(&format!(
                "SELECT {MARK_COLUMNS} FROM sentence_marks
                 WHERE doc_id = ?1 AND deleted = 0 AND (?2 IS NULL OR annotator = ?2)
                 ORDER BY sentence_idx, annotator"
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = docs.query([annotator]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let doc_id: String = row.get(0).map_err(|e| self.err(e))?;
            let text: String = row.get(1).map_err(|e| self.err(e))?;
            let claims = claims_stmt
                .query_map(params![doc_id, annotator], claim_from_row)
                .and_then(|r| r.collect::<Result<Vec<_>, _>>())
                .map_err(|e| self.err(e))?;
            let marks = marks_stmt
                .query_map(params![doc_id, annotator], mark_from_row)
                .and_then(|r| r.collect::<Result<Vec<_>, _>>())
                .map_err(|e| self.err(e))?;
            each(&doc_id, &text, claims, marks)?;
        }
        Ok(())
    }

    /// How many records [`Store::for_each_annotated_document`] hands out: live confirmed
    /// claims and live "no claim" marks (of `annotator`, or of everyone). For progress.
    pub fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM claims WHERE status = 'confirmed' AND deleted = 0
                           AND (?1 IS NULL OR annotator = ?1))
                      + (SELECT count(*) FROM sentence_marks WHERE deleted = 0
                           AND (?1 IS NULL OR annotator = ?1))",
                [annotator],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// Number of sentences of all documents. For progress.
    pub fn sentence_count(&self) -> StoreResult<usize> {
        self.conn
            .query_row("SELECT count(*) FROM sentences", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// Every live confirmed claim and live "no claim" mark on a content (non-boilerplate)
    /// sentence — of one document or all — for agreement and adjudication.
    pub fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        let claim_columns = CLAIM_COLUMNS
            .split(", ")
            .map(|c| format!("c.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {claim_columns} FROM claims c
                 JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx
                 WHERE c.status = 'confirmed' AND c.deleted = 0 AND s.boilerplate = 0
                   AND (?1 IS NULL OR c.doc_id = ?1)
                 ORDER BY c.doc_id, c.sentence_idx, c.annotator, c.created_at, c.id"
            ))
            .map_err(|e| self.err(e))?;
        let claims = stmt
            .query_map([doc_id], claim_from_row)
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let mark_columns = MARK_COLUMNS
            .split(", ")
            .map(|c| format!("m.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {mark_columns} FROM sentence_marks m
                 JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence_idx
                 WHERE m.deleted = 0 AND s.boilerplate = 0 AND (?1 IS NULL OR m.doc_id = ?1)
                 ORDER BY m.doc_id, m.sentence_idx, m.annotator"
            ))
            .map_err(|e| self.err(e))?;
        let marks = stmt
            .query_map([doc_id], mark_from_row)
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok((claims, marks))
    }

    /// Writes imported claims (from a file or another tool) in one transaction, outside the
    /// undo log; claims with an existing id are replaced. Entities to create first are
    /// inserted too. Returns the number of claims written.
    pub fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        self.add_entities(entities)?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let now = crate::clock::now_rfc3339();
        let mut annotators = std::collections::BTreeSet::new();
        for claim in claims {
            annotators.insert(claim.annotator.as_str());
        }
        for mark in marks {
            annotators.insert(mark.annotator.as_str());
        }
        for name in annotators {
            tx.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?1, ?2)",
                [name, &now],
            )
            .map_err(|e| classify(&path, e))?;
        }
        for claim in claims {
            put_claim(&tx, claim).map_err(|e| classify(&path, e))?;
        }
        for mark in marks {
            put_mark(&tx, mark).map_err(|e| classify(&path, e))?;
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(claims.len() + marks.len())
    }

    /// The whole entity registry with aliases, sorted by canonical name.
    pub fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, canonical_name, kind, note, created_at, updated_at FROM entities ORDER BY canonical_name",
            )
            .map_err(|e| self.err(e))?;
        let entities: Vec<EntityRow> = stmt
            .query_map([], entity_from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity_id, alias FROM entity_aliases ORDER BY entity_id, alias")
            .map_err(|e| self.err(e))?;
        let mut aliases: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (entity_id, alias) = row.map_err(|e| self.err(e))?;
            aliases.entry(entity_id).or_default().push(alias);
        }
        Ok(entities
            .into_iter()
            .map(|entity| EntityWithAliases {
                aliases: aliases.remove(&entity.id).unwrap_or_default(),
                entity,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FileImport, NewDocument, NewSentence};

    fn store_with_document() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let text = "قال الرئيس. وأضاف الوزير.";
        let doc = NewDocument {
            id: "d1".into(),
            title: "t".into(),
            text: text.into(),
            source: None,
            url: None,
            published: None,
            encoding: "utf-8".into(),
            metadata: serde_json::Map::new(),
            origin: "t".into(),
            sentences: vec![
                NewSentence {
                    start: 0,
                    end: 11,
                    text: "قال الرئيس.".into(),
                    boilerplate: None,
                },
                NewSentence {
                    start: 12,
                    end: 25,
                    text: "وأضاف الوزير.".into(),
                    boilerplate: None,
                },
            ],
        };
        store
            .import_files(&[FileImport {
                origin: "t".into(),
                documents: vec![doc],
            }])
            .unwrap();
        store.ensure_annotator("ann").unwrap();
        store
    }

    fn claim(id: &str) -> ClaimRow {
        ClaimRow {
            id: id.into(),
            doc_id: "d1".into(),
            sentence_idx: 0,
            annotator: "ann".into(),
            status: ClaimStatus::Draft,
            stance: None,
            claim_type: None,
            speaker_entity: None,
            speaker_span: Some(Span::new(4, 10)),
            target_entity: None,
            target_span: None,
            cue_span: None,
            content_span: None,
            note: String::new(),
            lead_time_s: 0.0,
            schema_version: 1,
            origin: "manual".into(),
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: "2026-01-01T00:00:00.000Z".into(),
            deleted: false,
        }
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut store = store_with_document();
        let first = claim("c1");
        store
            .apply_action("ann", "s", "Set speaker", &[RowState::Claim(first.clone())])
            .unwrap();
        let mut second = first.clone();
        second.stance = Some("favor".into());
        store
            .apply_action("ann", "s", "Set stance", &[RowState::Claim(second)])
            .unwrap();
        assert_eq!(
            store.claim("c1").unwrap().unwrap().stance.as_deref(),
            Some("favor")
        );

        let undone = store.undo("ann").unwrap().unwrap();
        assert_eq!(undone.label, "Set stance");
        assert_eq!(undone.location, Some(("d1".to_owned(), 0)));
        assert_eq!(store.claim("c1").unwrap().unwrap().stance, None);
        assert_eq!(store.undo("ann").unwrap().unwrap().label, "Set speaker");
        assert!(
            store.claim("c1").unwrap().unwrap().deleted,
            "undoing the creation deletes"
        );
        assert!(
            store
                .claims_in_document("d1", Some("ann"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.undo("ann").unwrap(), None);

        assert_eq!(store.redo("ann").unwrap().unwrap().label, "Set speaker");
        assert!(!store.claim("c1").unwrap().unwrap().deleted);
        assert_eq!(store.redo("ann").unwrap().unwrap().label, "Set stance");
        assert_eq!(
            store.claim("c1").unwrap().unwrap().stance.as_deref(),
            Some("favor")
        );
        assert_eq!(store.redo("ann").unwrap(), None);
    }

    #[test]
    fn a_new_action_clears_the_redo_stack() {
        let mut store = store_with_document();
        store
            .apply_action("ann", "s", "a", &[RowState::Claim(claim("c1"))])
            .unwrap();
        store.undo("ann").unwrap();
        store
            .apply_action("ann", "s", "b", &[RowState::Claim(claim("c2"))])
            .unwrap();
        assert_eq!(store.redo("ann").unwrap(), None);
        assert_eq!(
            store.history_labels("ann").unwrap(),
            (Some("b".into()), None)
        );
    }

    #[test]
    fn progress_counts_confirmed_claims_and_marks() {
        let mut store = store_with_document();
        let mut confirmed = claim("c1");
        confirmed.status = ClaimStatus::Confirmed;
        store
            .apply_action("ann", "s", "a", &[RowState::Claim(confirmed)])
            .unwrap();
        let mark = MarkRow {
            doc_id: "d1".into(),
            sentence_idx: 1,
            annotator: "ann".into(),
            mark: "no_claim".into(),
            lead_time_s: 1.0,
            created_at: "x".into(),
            updated_at: "x".into(),
            deleted: false,
        };
        store
            .apply_action("ann", "s", "x", &[RowState::Mark(mark)])
            .unwrap();
        let progress = store.sentence_progress("d1", "ann").unwrap();
        assert!(progress[0].is_done() && progress[0].confirmed_claims == 1);
        assert!(progress[1].is_done() && progress[1].no_claim);
    }

    #[test]
    fn entity_in_use_cannot_be_removed_by_undo() {
        let mut store = store_with_document();
        let entity = EntityRow {
            id: "e1".into(),
            canonical_name: "Russia".into(),
            kind: "state".into(),
            note: String::new(),
            created_at: "x".into(),
            updated_at: "x".into(),
        };
        store
            .apply_action(
                "ann",
                "s",
                "new entity",
                &[RowState::Entity {
                    entity,
                    present: true,
                }],
            )
            .unwrap();
        let mut with_entity = claim("c1");
        with_entity.speaker_entity = Some("e1".into());
        // Written by someone else's action (another annotator), so not undone first.
        store.ensure_annotator("other").unwrap();
        with_entity.annotator = "other".into();
        store
            .apply_action("other", "s", "use", &[RowState::Claim(with_entity)])
            .unwrap();
        let error = store.undo("ann").unwrap_err();
        assert!(error.to_string().contains("used by 1 claim"), "{error}");
        assert_eq!(
            store.entities().unwrap().len(),
            1,
            "the failed undo changed nothing"
        );
    }
}
