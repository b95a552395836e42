//! Progress and pace: per-sentence state of an annotator's work, reading time, pace; as
//! `../sqlite/progress.rs`. A document's progress is one query, with typed parameters:
//! one round trip, read again after every action.

use postgres::types::Type;

use super::connection::PgStore;
use crate::domain::{AnnotatorPace, SentenceProgress};
use crate::store::error::StoreResult;

impl PgStore {
    /// Per sentence of a document: this annotator's progress.
    pub fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        // Kinds: 0 the document's sentence count, 1 a live claim (and its status), 2 a
        // live mark, 3 reading time.
        self.read(|client| {
            let rows = client.query_typed(
                "SELECT 0::bigint, sentence_count, NULL::text FROM documents WHERE id = $1
                 UNION ALL
                 SELECT 1, sentence_idx, status FROM claims
                  WHERE doc_id = $1 AND annotator = $2 AND deleted = 0
                 UNION ALL
                 SELECT 2, sentence_idx, NULL FROM sentence_marks
                  WHERE doc_id = $1 AND annotator = $2 AND deleted = 0
                 UNION ALL
                 SELECT 3, sentence_idx, NULL FROM sentence_activity
                  WHERE doc_id = $1 AND annotator = $2",
                &[(&doc_id, Type::TEXT), (&annotator, Type::TEXT)],
            )?;
            let mut progress = Vec::new();
            // The count comes first (UNION ALL keeps the order of its parts here, but the
            // rows are sorted out rather than relied on).
            for row in &rows {
                if row.try_get::<_, i64>(0)? == 0 {
                    let count = row.try_get::<_, i64>(1)?;
                    progress =
                        vec![SentenceProgress::default(); usize::try_from(count).unwrap_or(0)];
                }
            }
            for row in &rows {
                let kind: i64 = row.try_get(0)?;
                let Ok(idx) = usize::try_from(row.try_get::<_, i64>(1)?) else {
                    continue;
                };
                if kind == 0 {
                    continue;
                }
                let Some(p) = progress.get_mut(idx) else {
                    continue;
                };
                match kind {
                    1 => {
                        if row.try_get::<_, Option<String>>(2)?.as_deref() == Some("confirmed") {
                            p.confirmed_claims += 1;
                        } else {
                            p.has_draft = true;
                        }
                    }
                    2 => p.no_claim = true,
                    _ => p.seen = true,
                }
            }
            Ok(progress)
        })
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
        self.write(|tx| {
            tx.execute_typed(
                "INSERT INTO sentence_activity (doc_id, sentence_idx, annotator, active_s,
                                                first_seen_at, last_seen_at)
                 VALUES ($1, $2, $3, $4, $5, $5)
                 ON CONFLICT (doc_id, sentence_idx, annotator)
                 DO UPDATE SET active_s = sentence_activity.active_s + EXCLUDED.active_s,
                               last_seen_at = EXCLUDED.last_seen_at",
                &[
                    (&doc_id, Type::TEXT),
                    (&(sentence_idx as i64), Type::INT8),
                    (&annotator, Type::TEXT),
                    (&active_s, Type::FLOAT8),
                    (&now, Type::TEXT),
                ],
            )?;
            Ok(())
        })
    }

    /// Active seconds an annotator spent on a sentence.
    pub fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        self.read(|client| {
            let row = client.query_typed_opt(
                "SELECT active_s FROM sentence_activity
                  WHERE doc_id = $1 AND sentence_idx = $2 AND annotator = $3",
                &[
                    (&doc_id, Type::TEXT),
                    (&(sentence_idx as i64), Type::INT8),
                    (&annotator, Type::TEXT),
                ],
            )?;
            Ok(match row {
                Some(row) => row.try_get(0)?,
                None => 0.0,
            })
        })
    }

    /// Pace per annotator. Proportional to the number of annotations, not to the corpus.
    pub fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        self.read(|client| {
            let rows = client.query(
                "SELECT a.name,
                    (SELECT count(*) FROM (
                        SELECT c.doc_id, c.sentence_idx FROM claims c
                          JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx
                          WHERE c.annotator = a.name AND c.status = 'confirmed' AND c.deleted = 0
                            AND s.boilerplate = 0
                        UNION
                        SELECT m.doc_id, m.sentence_idx FROM sentence_marks m
                          JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence_idx
                          WHERE m.annotator = a.name AND m.deleted = 0 AND s.boilerplate = 0) d),
                    (SELECT coalesce(sum(active_s), 0) FROM sentence_activity x
                      WHERE x.annotator = a.name)
                 FROM annotators a ORDER BY a.name COLLATE \"C\"",
                &[],
            )?;
            let mut pace = Vec::with_capacity(rows.len());
            for row in rows {
                pace.push(AnnotatorPace {
                    name: row.try_get(0)?,
                    decided_sentences: usize::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0),
                    active_hours: row.try_get::<_, f64>(2)? / 3600.0,
                });
            }
            Ok(pace)
        })
    }
}
