//! Rows and columns: domain types to and from PostgreSQL rows, shared by every file that
//! reads or writes claims, marks, gold rows and entities (the action log, the readers,
//! merge). The column lists are the SQLite backend's, in the same order.
//!
//! Every integer column is BIGINT (read as `i64`); the 0/1 flags are integers too.

use postgres::GenericClient;
use postgres::types::{ToSql, Type};

use super::connection::PgResult;
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

fn start_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.start as i64)
}

fn end_of(span: Option<Span>) -> Option<i64> {
    span.map(|s| s.end as i64)
}

/// A 0/1 flag column.
pub(super) fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub(super) const CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, annotator, status, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, lead_time_s, schema_version, origin, \
    created_at, updated_at, deleted";

pub(super) fn claim_from_row(row: &postgres::Row) -> PgResult<ClaimRow> {
    Ok(ClaimRow {
        id: row.try_get(0)?,
        doc_id: row.try_get(1)?,
        sentence_idx: row.try_get::<_, i64>(2)? as usize,
        annotator: row.try_get(3)?,
        status: ClaimStatus::from_name(&row.try_get::<_, String>(4)?),
        stance: row.try_get(5)?,
        claim_type: row.try_get(6)?,
        speaker_entity: row.try_get(7)?,
        speaker_span: span_from(row.try_get(8)?, row.try_get(9)?),
        target_entity: row.try_get(10)?,
        target_span: span_from(row.try_get(11)?, row.try_get(12)?),
        cue_span: span_from(row.try_get(13)?, row.try_get(14)?),
        content_span: span_from(row.try_get(15)?, row.try_get(16)?),
        note: row.try_get(17)?,
        lead_time_s: row.try_get(18)?,
        schema_version: row.try_get::<_, i64>(19)? as u32,
        origin: row.try_get(20)?,
        created_at: row.try_get(21)?,
        updated_at: row.try_get(22)?,
        deleted: row.try_get::<_, i64>(23)? != 0,
    })
}

pub(super) const MARK_COLUMNS: &str =
    "doc_id, sentence_idx, annotator, mark, lead_time_s, created_at, updated_at, deleted";

pub(super) fn mark_from_row(row: &postgres::Row) -> PgResult<MarkRow> {
    Ok(MarkRow {
        doc_id: row.try_get(0)?,
        sentence_idx: row.try_get::<_, i64>(1)? as usize,
        annotator: row.try_get(2)?,
        mark: row.try_get(3)?,
        lead_time_s: row.try_get(4)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        deleted: row.try_get::<_, i64>(7)? != 0,
    })
}

/// Writes a claim row exactly as given (insert or replace by id).
pub(super) fn put_claim(client: &mut impl GenericClient, claim: &ClaimRow) -> PgResult<()> {
    let sentence_idx = claim.sentence_idx as i64;
    let schema_version = i64::from(claim.schema_version);
    let deleted = flag(claim.deleted);
    let status = claim.status.as_str();
    let speaker_start = start_of(claim.speaker_span);
    let speaker_end = end_of(claim.speaker_span);
    let target_start = start_of(claim.target_span);
    let target_end = end_of(claim.target_span);
    let cue_start = start_of(claim.cue_span);
    let cue_end = end_of(claim.cue_span);
    let content_start = start_of(claim.content_span);
    let content_end = end_of(claim.content_span);
    let params: [(&(dyn ToSql + Sync), Type); 24] = [
        (&claim.id, Type::TEXT),
        (&claim.doc_id, Type::TEXT),
        (&sentence_idx, Type::INT8),
        (&claim.annotator, Type::TEXT),
        (&status, Type::TEXT),
        (&claim.stance, Type::TEXT),
        (&claim.claim_type, Type::TEXT),
        (&claim.speaker_entity, Type::TEXT),
        (&speaker_start, Type::INT8),
        (&speaker_end, Type::INT8),
        (&claim.target_entity, Type::TEXT),
        (&target_start, Type::INT8),
        (&target_end, Type::INT8),
        (&cue_start, Type::INT8),
        (&cue_end, Type::INT8),
        (&content_start, Type::INT8),
        (&content_end, Type::INT8),
        (&claim.note, Type::TEXT),
        (&claim.lead_time_s, Type::FLOAT8),
        (&schema_version, Type::INT8),
        (&claim.origin, Type::TEXT),
        (&claim.created_at, Type::TEXT),
        (&claim.updated_at, Type::TEXT),
        (&deleted, Type::INT8),
    ];
    let sql = format!(
        "INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
            $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
         ON CONFLICT (id) DO UPDATE SET doc_id = EXCLUDED.doc_id,
            sentence_idx = EXCLUDED.sentence_idx, annotator = EXCLUDED.annotator,
            status = EXCLUDED.status, stance = EXCLUDED.stance,
            claim_type = EXCLUDED.claim_type, speaker_entity = EXCLUDED.speaker_entity,
            speaker_start = EXCLUDED.speaker_start, speaker_end = EXCLUDED.speaker_end,
            target_entity = EXCLUDED.target_entity, target_start = EXCLUDED.target_start,
            target_end = EXCLUDED.target_end, cue_start = EXCLUDED.cue_start,
            cue_end = EXCLUDED.cue_end, content_start = EXCLUDED.content_start,
            content_end = EXCLUDED.content_end, note = EXCLUDED.note,
            lead_time_s = EXCLUDED.lead_time_s, schema_version = EXCLUDED.schema_version,
            origin = EXCLUDED.origin, created_at = EXCLUDED.created_at,
            updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted"
    );
    client.execute_typed(&sql, &params)?;
    Ok(())
}

/// Writes a mark row exactly as given (insert or replace by sentence and annotator).
pub(super) fn put_mark(client: &mut impl GenericClient, mark: &MarkRow) -> PgResult<()> {
    let sentence_idx = mark.sentence_idx as i64;
    let deleted = flag(mark.deleted);
    let sql = format!(
        "INSERT INTO sentence_marks ({MARK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET mark = EXCLUDED.mark,
            lead_time_s = EXCLUDED.lead_time_s, created_at = EXCLUDED.created_at,
            updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted"
    );
    client.execute_typed(
        &sql,
        &[
            (&mark.doc_id, Type::TEXT),
            (&sentence_idx, Type::INT8),
            (&mark.annotator, Type::TEXT),
            (&mark.mark, Type::TEXT),
            (&mark.lead_time_s, Type::FLOAT8),
            (&mark.created_at, Type::TEXT),
            (&mark.updated_at, Type::TEXT),
            (&deleted, Type::INT8),
        ],
    )?;
    Ok(())
}

pub(super) fn get_claim(client: &mut impl GenericClient, id: &str) -> PgResult<Option<ClaimRow>> {
    let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = $1");
    client
        .query_typed_opt(&sql, &[(&id, Type::TEXT)])?
        .map(|row| claim_from_row(&row))
        .transpose()
}

pub(super) fn get_mark(
    client: &mut impl GenericClient,
    doc_id: &str,
    sentence_idx: usize,
    annotator: &str,
) -> PgResult<Option<MarkRow>> {
    let sql = format!(
        "SELECT {MARK_COLUMNS} FROM sentence_marks
          WHERE doc_id = $1 AND sentence_idx = $2 AND annotator = $3"
    );
    client
        .query_typed_opt(
            &sql,
            &[
                (&doc_id, Type::TEXT),
                (&(sentence_idx as i64), Type::INT8),
                (&annotator, Type::TEXT),
            ],
        )?
        .map(|row| mark_from_row(&row))
        .transpose()
}

pub(super) const ENTITY_COLUMNS: &str = "id, canonical_name, kind, note, created_at, updated_at";

pub(super) fn entity_from_row(row: &postgres::Row) -> PgResult<EntityRow> {
    Ok(EntityRow {
        id: row.try_get(0)?,
        canonical_name: row.try_get(1)?,
        kind: row.try_get(2)?,
        note: row.try_get(3)?,
        created_at: row.try_get(4)?,
        updated_at: row.try_get(5)?,
    })
}

pub(super) const GOLD_CLAIM_COLUMNS: &str = "id, doc_id, sentence_idx, stance, claim_type, \
    speaker_entity, speaker_start, speaker_end, target_entity, target_start, target_end, \
    cue_start, cue_end, content_start, content_end, note, decision, source_claims, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

pub(super) const GOLD_SENTENCE_COLUMNS: &str = "doc_id, sentence_idx, status, decision, \
    n_annotators, decided_by, decided_at, updated_at, deleted";

pub(super) fn gold_claim_from_row(row: &postgres::Row) -> PgResult<GoldClaimRow> {
    let sources: String = row.try_get(17)?;
    Ok(GoldClaimRow {
        id: row.try_get(0)?,
        doc_id: row.try_get(1)?,
        sentence_idx: row.try_get::<_, i64>(2)? as usize,
        stance: row.try_get(3)?,
        claim_type: row.try_get(4)?,
        speaker_entity: row.try_get(5)?,
        speaker_span: span_from(row.try_get(6)?, row.try_get(7)?),
        target_entity: row.try_get(8)?,
        target_span: span_from(row.try_get(9)?, row.try_get(10)?),
        cue_span: span_from(row.try_get(11)?, row.try_get(12)?),
        content_span: span_from(row.try_get(13)?, row.try_get(14)?),
        note: row.try_get(15)?,
        decision: row.try_get(16)?,
        source_claims: serde_json::from_str(&sources).unwrap_or_default(),
        n_annotators: row.try_get::<_, i64>(18)? as u32,
        decided_by: row.try_get(19)?,
        decided_at: row.try_get(20)?,
        updated_at: row.try_get(21)?,
        deleted: row.try_get::<_, i64>(22)? != 0,
    })
}

pub(super) fn gold_sentence_from_row(row: &postgres::Row) -> PgResult<GoldSentenceRow> {
    Ok(GoldSentenceRow {
        doc_id: row.try_get(0)?,
        sentence_idx: row.try_get::<_, i64>(1)? as usize,
        status: row.try_get(2)?,
        decision: row.try_get(3)?,
        n_annotators: row.try_get::<_, i64>(4)? as u32,
        decided_by: row.try_get(5)?,
        decided_at: row.try_get(6)?,
        updated_at: row.try_get(7)?,
        deleted: row.try_get::<_, i64>(8)? != 0,
    })
}

/// Writes a gold claim exactly as given (insert or replace by id).
pub(super) fn put_gold_claim(client: &mut impl GenericClient, gold: &GoldClaimRow) -> PgResult<()> {
    let sources = serde_json::to_string(&gold.source_claims).unwrap_or_else(|_| "[]".into());
    let sentence_idx = gold.sentence_idx as i64;
    let n_annotators = i64::from(gold.n_annotators);
    let deleted = flag(gold.deleted);
    let params: [&(dyn ToSql + Sync); 23] = [
        &gold.id,
        &gold.doc_id,
        &sentence_idx,
        &gold.stance,
        &gold.claim_type,
        &gold.speaker_entity,
        &start_of(gold.speaker_span),
        &end_of(gold.speaker_span),
        &gold.target_entity,
        &start_of(gold.target_span),
        &end_of(gold.target_span),
        &start_of(gold.cue_span),
        &end_of(gold.cue_span),
        &start_of(gold.content_span),
        &end_of(gold.content_span),
        &gold.note,
        &gold.decision,
        &sources,
        &n_annotators,
        &gold.decided_by,
        &gold.decided_at,
        &gold.updated_at,
        &deleted,
    ];
    let sql = format!(
        "INSERT INTO gold_claims ({GOLD_CLAIM_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21, $22, $23)
         ON CONFLICT (id) DO UPDATE SET doc_id = EXCLUDED.doc_id,
            sentence_idx = EXCLUDED.sentence_idx, stance = EXCLUDED.stance,
            claim_type = EXCLUDED.claim_type, speaker_entity = EXCLUDED.speaker_entity,
            speaker_start = EXCLUDED.speaker_start, speaker_end = EXCLUDED.speaker_end,
            target_entity = EXCLUDED.target_entity, target_start = EXCLUDED.target_start,
            target_end = EXCLUDED.target_end, cue_start = EXCLUDED.cue_start,
            cue_end = EXCLUDED.cue_end, content_start = EXCLUDED.content_start,
            content_end = EXCLUDED.content_end, note = EXCLUDED.note,
            decision = EXCLUDED.decision, source_claims = EXCLUDED.source_claims,
            n_annotators = EXCLUDED.n_annotators, decided_by = EXCLUDED.decided_by,
            decided_at = EXCLUDED.decided_at, updated_at = EXCLUDED.updated_at,
            deleted = EXCLUDED.deleted"
    );
    client.execute(&sql, &params)?;
    Ok(())
}

/// Writes a gold sentence decision exactly as given (insert or replace by sentence).
pub(super) fn put_gold_sentence(
    client: &mut impl GenericClient,
    gold: &GoldSentenceRow,
) -> PgResult<()> {
    let sentence_idx = gold.sentence_idx as i64;
    let n_annotators = i64::from(gold.n_annotators);
    let deleted = flag(gold.deleted);
    let sql = format!(
        "INSERT INTO gold_sentences ({GOLD_SENTENCE_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (doc_id, sentence_idx) DO UPDATE SET status = EXCLUDED.status,
            decision = EXCLUDED.decision, n_annotators = EXCLUDED.n_annotators,
            decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at,
            updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted"
    );
    client.execute(
        &sql,
        &[
            &gold.doc_id,
            &sentence_idx,
            &gold.status,
            &gold.decision,
            &n_annotators,
            &gold.decided_by,
            &gold.decided_at,
            &gold.updated_at,
            &deleted,
        ],
    )?;
    Ok(())
}

pub(super) fn get_gold_claim(
    client: &mut impl GenericClient,
    id: &str,
) -> PgResult<Option<GoldClaimRow>> {
    let sql = format!("SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims WHERE id = $1");
    client
        .query_opt(&sql, &[&id])?
        .map(|row| gold_claim_from_row(&row))
        .transpose()
}

pub(super) fn get_gold_sentence(
    client: &mut impl GenericClient,
    doc_id: &str,
    sentence_idx: usize,
) -> PgResult<Option<GoldSentenceRow>> {
    let sql = format!(
        "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences WHERE doc_id = $1 AND sentence_idx = $2"
    );
    client
        .query_opt(&sql, &[&doc_id, &(sentence_idx as i64)])?
        .map(|row| gold_sentence_from_row(&row))
        .transpose()
}
