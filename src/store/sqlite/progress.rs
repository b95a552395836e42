//! Progress and pace: per-sentence state of an annotator's work, reading time, pace.

use rusqlite::{OptionalExtension, params};

use super::connection::SqliteStore;
use crate::domain::{AnnotatorPace, SentenceProgress};
use crate::store::error::StoreResult;

impl SqliteStore {
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
}
