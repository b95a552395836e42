//! The adjudicated gold standard: gold claims (each saying how it was decided and from which
//! annotators' claims) and per-sentence gold decisions. Written through the action log like
//! annotations, so adjudication is undoable too.

use rusqlite::params;

use super::connection::SqliteStore;
use super::rows::{
    GOLD_CLAIM_COLUMNS, GOLD_SENTENCE_COLUMNS, gold_claim_from_row, gold_sentence_from_row,
};
use crate::domain::{AdjudicationProgress, GoldClaimRow, GoldSentenceRow};
use crate::store::error::StoreResult;

impl SqliteStore {
    /// Gold claims of a document (or of all documents), by sentence; with `deleted` also
    /// the rejected ones (tombstones).
    pub fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims g
                 WHERE (?2 OR deleted = 0) AND (?1 IS NULL OR doc_id = ?1)
                 ORDER BY (SELECT rowid FROM documents d WHERE d.id = g.doc_id), sentence_idx, decided_at, id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc_id, with_deleted], gold_claim_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Live gold sentence decisions of a document (or of all documents).
    pub fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences g
                 WHERE deleted = 0 AND (?1 IS NULL OR doc_id = ?1)
                 ORDER BY (SELECT rowid FROM documents d WHERE d.id = g.doc_id), sentence_idx"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([doc_id], gold_sentence_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Documents that have at least one annotator decision, in import order, with their
    /// adjudication progress.
    pub fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.title,
                    (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0),
                    (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0 AND (
                        EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = s.doc_id AND c.sentence_idx = s.idx
                                AND c.status = 'confirmed' AND c.deleted = 0)
                        OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = s.doc_id
                                AND m.sentence_idx = s.idx AND m.deleted = 0))),
                    (SELECT count(*) FROM gold_sentences g WHERE g.doc_id = d.id AND g.deleted = 0)
                 FROM documents d
                 WHERE EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = d.id AND c.deleted = 0)
                    OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = d.id AND m.deleted = 0)
                 ORDER BY d.rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(AdjudicationProgress {
                    doc_id: row.get(0)?,
                    title: row.get(1)?,
                    content_sentences: row.get::<_, i64>(2)? as usize,
                    annotated_sentences: row.get::<_, i64>(3)? as usize,
                    gold_sentences: row.get::<_, i64>(4)? as usize,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}
