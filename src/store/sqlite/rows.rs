//! Rows and columns: domain types to and from SQLite rows, shared by every file that reads
//! or writes claims, marks, gold rows and entities (the action log, the readers, merge).

use rusqlite::{OptionalExtension, params};

use crate::domain::{
    ClaimRow, ClaimStatus, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, Span,
};

/// A span from its two nullable columns.
pub(super) fn span_from(start: Option<i64>, end: Option<i64>) -> Option<Span> {
    match (start, end) {
        (Some(s), Some(e)) => Some(Span::new(s as usize, e as usize)),
        _ => None,
    }
}

pub(super) const CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, annotator, status, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, lead_time_s, schema_version, origin, \
    created_at, updated_at, deleted";

pub(super) fn claim_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
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

pub(super) fn mark_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MarkRow> {
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

pub(super) const MARK_COLUMNS: &str =
    "doc_id, sentence_idx, annotator, mark, lead_time_s, created_at, updated_at, deleted";

fn start_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.start as i64)
}

fn end_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.end as i64)
}

/// Writes a claim row exactly as given (insert or replace by id).
pub(super) fn put_claim(conn: &rusqlite::Connection, claim: &ClaimRow) -> rusqlite::Result<()> {
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

pub(super) fn put_mark(conn: &rusqlite::Connection, mark: &MarkRow) -> rusqlite::Result<()> {
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

pub(super) fn get_claim(
    conn: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<ClaimRow>> {
    conn.prepare_cached(&format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?1"))?
        .query_row([id], claim_from_row)
        .optional()
}

pub(super) fn get_mark(
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

pub(super) fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRow> {
    Ok(EntityRow {
        id: row.get(0)?,
        canonical_name: row.get(1)?,
        kind: row.get(2)?,
        note: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

pub(super) const GOLD_CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, decision, source_claims, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

pub(super) const GOLD_SENTENCE_COLUMNS: &str = "doc_id, sentence_idx, status, decision, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

pub(super) fn gold_claim_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<GoldClaimRow> {
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

pub(super) fn gold_sentence_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<GoldSentenceRow> {
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

pub(super) fn put_gold_claim(
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

pub(super) fn put_gold_sentence(
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

pub(super) fn get_gold_claim(
    conn: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<GoldClaimRow>> {
    conn.prepare_cached(&format!(
        "SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims WHERE id = ?1"
    ))?
    .query_row([id], gold_claim_from_row)
    .optional()
}

pub(super) fn get_gold_sentence(
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
