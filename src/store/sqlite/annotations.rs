//! Claims and "no claim" marks: reading them (a document's, every decision for agreement
//! and export) and importing them outside the undo log; annotator names.

use rusqlite::{TransactionBehavior, params};

use super::connection::SqliteStore;
use super::errors::classify;
use super::rows::{
    CLAIM_COLUMNS, MARK_COLUMNS, claim_from_row, get_claim, mark_from_row, put_claim, put_mark,
};
use crate::domain::{ClaimRow, EntityRow, MarkRow};
use crate::store::error::{StoreError, StoreResult};

impl SqliteStore {
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
        let location = &self.location;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
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
            .map_err(|e| classify(location, e))?;
        }
        for claim in claims {
            put_claim(&tx, claim).map_err(|e| classify(location, e))?;
        }
        for mark in marks {
            put_mark(&tx, mark).map_err(|e| classify(location, e))?;
        }
        tx.commit().map_err(|e| classify(location, e))?;
        Ok(claims.len() + marks.len())
    }
}
