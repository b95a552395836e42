//! The adjudicated gold standard: gold claims (each saying how it was decided and from which
//! annotators' claims) and per-sentence gold decisions. Written through the action log like
//! annotations, so adjudication is undoable too.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult};
use crate::domain::{AdjudicationProgress, GoldClaimRow, GoldSentenceRow, Span};

pub(crate) const GOLD_CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, decision, source_claims, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

pub(crate) const GOLD_SENTENCE_COLUMNS: &str = "doc_id, sentence_idx, status, decision, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

fn span_from(start: Option<i64>, end: Option<i64>) -> Option<Span> {
    match (start, end) {
        (Some(s), Some(e)) => Some(Span::new(s as usize, e as usize)),
        _ => None,
    }
}

pub(crate) fn gold_claim_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<GoldClaimRow> {
    let sources: String = row.get(17)?;
    Ok(GoldClaimRow {
        id: row.get(0)?,
        doc_id: row.get(1)?,
        sentence_idx: row.get::<_, i64>(2)? as usize,
        stance: row.get(3)?,
        claim_type: row.get(4)?,
        speaker_entity: row.get(5)?,
        speaker_span: span_from(row.get(6)?, row.get(7)?),
        target_entity: row.get(8)?,
        target_span: span_from(row.get(9)?, row.get(10)?),
        cue_span: span_from(row.get(11)?, row.get(12)?),
        content_span: span_from(row.get(13)?, row.get(14)?),
        note: row.get(15)?,
        decision: row.get(16)?,
        source_claims: serde_json::from_str(&sources).unwrap_or_default(),
        n_annotators: row.get::<_, i64>(18)? as u32,
        decided_by: row.get(19)?,
        decided_at: row.get(20)?,
        updated_at: row.get(21)?,
        deleted: row.get(22)?,
    })
}

pub(crate) fn gold_sentence_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<GoldSentenceRow> {
    Ok(GoldSentenceRow {
        doc_id: row.get(0)?,
        sentence_idx: row.get::<_, i64>(1)? as usize,
        status: row.get(2)?,
        decision: row.get(3)?,
        n_annotators: row.get::<_, i64>(4)? as u32,
        decided_by: row.get(5)?,
        decided_at: row.get(6)?,
        updated_at: row.get(7)?,
        deleted: row.get(8)?,
    })
}

pub(crate) fn put_gold_claim(
    conn: &rusqlite::Connection,
    gold: &GoldClaimRow,
) -> rusqlite::Result<()> {
    let start = |s: Option<Span>| s.map(|s| s.start as i64);
    let end = |s: Option<Span>| s.map(|s| s.end as i64);
    let sources = serde_json::to_string(&gold.source_claims).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO gold_claims ({GOLD_CLAIM_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23)"
    ))?
    .execute(params![
        gold.id,
        gold.doc_id,
        gold.sentence_idx as i64,
        gold.stance,
        gold.claim_type,
        gold.speaker_entity,
        start(gold.speaker_span),
        end(gold.speaker_span),
        gold.target_entity,
        start(gold.target_span),
        end(gold.target_span),
        start(gold.cue_span),
        end(gold.cue_span),
        start(gold.content_span),
        end(gold.content_span),
        gold.note,
        gold.decision,
        sources,
        i64::from(gold.n_annotators),
        gold.decided_by,
        gold.decided_at,
        gold.updated_at,
        gold.deleted,
    ])?;
    Ok(())
}

pub(crate) fn put_gold_sentence(
    conn: &rusqlite::Connection,
    gold: &GoldSentenceRow,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO gold_sentences ({GOLD_SENTENCE_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?
    .execute(params![
        gold.doc_id,
        gold.sentence_idx as i64,
        gold.status,
        gold.decision,
        i64::from(gold.n_annotators),
        gold.decided_by,
        gold.decided_at,
        gold.updated_at,
        gold.deleted,
    ])?;
    Ok(())
}

pub(crate) fn get_gold_claim(
    conn: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<GoldClaimRow>> {
    conn.prepare_cached(&format!(
        "SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims WHERE id = ?1"
    ))?
    .query_row([id], gold_claim_from_row)
    .optional()
}

pub(crate) fn get_gold_sentence(
    conn: &rusqlite::Connection,
    doc_id: &str,
    sentence_idx: usize,
) -> rusqlite::Result<Option<GoldSentenceRow>> {
    conn.prepare_cached(&format!(
        "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences WHERE doc_id = ?1 AND sentence_idx = ?2"
    ))?
    .query_row(params![doc_id, sentence_idx as i64], gold_sentence_from_row)
    .optional()
}

impl Store {
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
