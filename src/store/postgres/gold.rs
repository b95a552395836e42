//! The adjudicated gold standard: gold claims (each saying how it was decided and from which
//! annotators' claims) and per-sentence gold decisions, as `../sqlite/gold.rs`. Written
//! through the action log like annotations, so adjudication is undoable too.

use super::connection::{PgResult, PgStore};
use super::rows::{
    GOLD_CLAIM_COLUMNS, GOLD_SENTENCE_COLUMNS, gold_claim_from_row, gold_sentence_from_row,
};
use crate::domain::{AdjudicationProgress, GoldClaimRow, GoldSentenceRow};
use crate::store::error::StoreResult;

impl PgStore {
    /// Gold claims of a document (or of all documents), by sentence; with `deleted` also
    /// the rejected ones (tombstones).
    pub fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        let sql = format!(
            "SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims g
             WHERE ($2 OR deleted = 0) AND ($1::text IS NULL OR doc_id = $1)
             ORDER BY (SELECT import_seq FROM documents d WHERE d.id = g.doc_id), sentence_idx,
                      decided_at COLLATE \"C\", id COLLATE \"C\""
        );
        self.read(|client| {
            let rows = client.query(&sql, &[&doc_id, &with_deleted])?;
            rows.iter().map(gold_claim_from_row).collect()
        })
    }

    /// Live gold sentence decisions of a document (or of all documents).
    pub fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        let sql = format!(
            "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences g
             WHERE deleted = 0 AND ($1::text IS NULL OR doc_id = $1)
             ORDER BY (SELECT import_seq FROM documents d WHERE d.id = g.doc_id), sentence_idx"
        );
        self.read(|client| {
            let rows = client.query(&sql, &[&doc_id])?;
            rows.iter().map(gold_sentence_from_row).collect()
        })
    }

    /// Documents that have at least one annotator decision, in import order, with their
    /// adjudication progress.
    pub fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        self.read(|client| {
            let rows = client.query(
                "SELECT d.id, d.title,
                    (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0),
                    (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0 AND (
                        EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = s.doc_id
                                AND c.sentence_idx = s.idx AND c.status = 'confirmed' AND c.deleted = 0)
                        OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = s.doc_id
                                AND m.sentence_idx = s.idx AND m.deleted = 0))),
                    (SELECT count(*) FROM gold_sentences g WHERE g.doc_id = d.id AND g.deleted = 0)
                 FROM documents d
                 WHERE EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = d.id AND c.deleted = 0)
                    OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = d.id AND m.deleted = 0)
                 ORDER BY d.import_seq",
                &[],
            )?;
            rows.iter()
                .map(|row| {
                    let count = |i: usize| -> PgResult<usize> {
                        Ok(usize::try_from(row.try_get::<_, i64>(i)?).unwrap_or(0))
                    };
                    Ok(AdjudicationProgress {
                        doc_id: row.try_get(0)?,
                        title: row.try_get(1)?,
                        content_sentences: count(2)?,
                        annotated_sentences: count(3)?,
                        gold_sentences: count(4)?,
                    })
                })
                .collect()
        })
    }
}
