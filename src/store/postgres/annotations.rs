//! Claims and "no claim" marks: reading them (a document's, every decision for agreement
//! and export) and importing them outside the undo log; annotator names. As
//! `../sqlite/annotations.rs`, with the same orders (text keys sorted `COLLATE "C"`, by
//! code point, as SQLite's BINARY collation does, whatever the server's locale).
//!
//! Streams read a batch of documents at a time (keyset pagination on `import_seq`) and call
//! the caller back with the connection released, so a callback may read the store and
//! memory stays flat. Imports write many rows per statement (`unnest` of one array per
//! column): a benchmark's million claims take a few hundred round trips, not a million.

use std::collections::{BTreeSet, HashMap};

use postgres::GenericClient;
use postgres::types::Type;

use super::connection::{PgResult, PgStore};
use super::entities::insert_entities;
use super::rows::{CLAIM_COLUMNS, MARK_COLUMNS, claim_from_row, flag, get_claim, mark_from_row};
use crate::domain::{ClaimRow, EntityRow, MarkRow};
use crate::store::error::{StoreError, StoreResult};

/// Documents per batch of [`PgStore::for_each_annotated_document`] (their texts are held
/// until the batch has been handed out).
const DOCUMENT_BATCH: i64 = 200;

/// Rows per statement of an import.
const IMPORT_BATCH: usize = 5_000;

/// One document of a batch of annotated documents: id, text, claims, marks.
type AnnotatedDocument = (String, String, Vec<ClaimRow>, Vec<MarkRow>);

impl PgStore {
    /// Registers an annotator name (idempotent).
    pub fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO annotators (name, created_at) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&name, &now],
            )?;
            Ok(())
        })
    }

    /// All annotator names, sorted.
    pub fn annotators(&self) -> StoreResult<Vec<String>> {
        self.read(|client| {
            let rows = client.query(
                "SELECT name FROM annotators ORDER BY name COLLATE \"C\"",
                &[],
            )?;
            rows.iter()
                .map(|row| Ok(row.try_get(0)?))
                .collect::<PgResult<_>>()
        })
    }

    /// A claim by id (also deleted ones).
    pub fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        self.read(|client| get_claim(client, id))
    }

    /// Live (not deleted) claims of a document, by sentence then creation time; one
    /// annotator's, or everyone's.
    pub fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        let sql = format!(
            "SELECT {CLAIM_COLUMNS} FROM claims
             WHERE doc_id = $1 AND deleted = 0 AND ($2::text IS NULL OR annotator = $2)
             ORDER BY sentence_idx, created_at COLLATE \"C\", id COLLATE \"C\""
        );
        self.read(|client| {
            let rows =
                client.query_typed(&sql, &[(&doc_id, Type::TEXT), (&annotator, Type::TEXT)])?;
            rows.iter().map(claim_from_row).collect()
        })
    }

    /// The live "no claim" marks of a document, for one annotator or everyone.
    pub fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        let sql = format!(
            "SELECT {MARK_COLUMNS} FROM sentence_marks
             WHERE doc_id = $1 AND deleted = 0 AND ($2::text IS NULL OR annotator = $2)
             ORDER BY sentence_idx, annotator COLLATE \"C\""
        );
        self.read(|client| {
            let rows =
                client.query_typed(&sql, &[(&doc_id, Type::TEXT), (&annotator, Type::TEXT)])?;
            rows.iter().map(mark_from_row).collect()
        })
    }

    /// Calls `each` for every document that has confirmed claims or "no claim" marks (of
    /// `annotator`, or of everyone), in import order, with its text, its live confirmed
    /// claims and its live marks (sorted by sentence, annotator, creation).
    pub fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        mut each: impl FnMut(&str, &str, Vec<ClaimRow>, Vec<MarkRow>) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut after = i64::MIN;
        loop {
            let (last, batch) = self.read(|client| annotated_batch(client, annotator, after))?;
            let Some(last) = last else {
                return Ok(());
            };
            after = last;
            for (doc_id, text, claims, marks) in batch {
                each(&doc_id, &text, claims, marks)?;
            }
        }
    }

    /// How many records [`crate::store::Store::for_each_annotated_document`] hands out:
    /// live confirmed claims and live "no claim" marks (of `annotator`, or of everyone).
    /// For progress.
    pub fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT (SELECT count(*) FROM claims WHERE status = 'confirmed' AND deleted = 0
                           AND ($1::text IS NULL OR annotator = $1))
                      + (SELECT count(*) FROM sentence_marks WHERE deleted = 0
                           AND ($1::text IS NULL OR annotator = $1))",
                &[&annotator],
            )?;
            Ok(usize::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0))
        })
    }

    /// Every live confirmed claim and live "no claim" mark on a content (non-boilerplate)
    /// sentence — of one document or all — for agreement and adjudication.
    pub fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        let claim_columns = prefixed("c", CLAIM_COLUMNS);
        let claims_sql = format!(
            "SELECT {claim_columns} FROM claims c
             JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx
             WHERE c.status = 'confirmed' AND c.deleted = 0 AND s.boilerplate = 0
               AND ($1::text IS NULL OR c.doc_id = $1)
             ORDER BY c.doc_id COLLATE \"C\", c.sentence_idx, c.annotator COLLATE \"C\",
                      c.created_at COLLATE \"C\", c.id COLLATE \"C\""
        );
        let mark_columns = prefixed("m", MARK_COLUMNS);
        let marks_sql = format!(
            "SELECT {mark_columns} FROM sentence_marks m
             JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence_idx
             WHERE m.deleted = 0 AND s.boilerplate = 0 AND ($1::text IS NULL OR m.doc_id = $1)
             ORDER BY m.doc_id COLLATE \"C\", m.sentence_idx, m.annotator COLLATE \"C\""
        );
        self.read(|client| {
            let claims = client
                .query(&claims_sql, &[&doc_id])?
                .iter()
                .map(claim_from_row)
                .collect::<PgResult<Vec<_>>>()?;
            let marks = client
                .query(&marks_sql, &[&doc_id])?
                .iter()
                .map(mark_from_row)
                .collect::<PgResult<Vec<_>>>()?;
            Ok((claims, marks))
        })
    }

    /// Writes imported claims (from a file or another tool) in one transaction, outside the
    /// undo log; claims with an existing id are replaced. Entities to create first are
    /// inserted too (in the same transaction). Returns the number of claims written.
    pub fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            insert_entities(tx, entities, &now)?;
            let names: BTreeSet<&str> = claims
                .iter()
                .map(|c| c.annotator.as_str())
                .chain(marks.iter().map(|m| m.annotator.as_str()))
                .collect();
            let names: Vec<&str> = names.into_iter().collect();
            tx.execute(
                "INSERT INTO annotators (name, created_at) SELECT unnest($1::text[]), $2
                 ON CONFLICT DO NOTHING",
                &[&names, &now],
            )?;
            // One statement cannot write a row twice: the last of several rows with one key
            // wins, as it would row by row.
            let claims = last_of_each(claims, |c| c.id.clone());
            for chunk in claims.chunks(IMPORT_BATCH) {
                put_claims(tx, chunk)?;
            }
            let marks = last_of_each(marks, |m| {
                (m.doc_id.clone(), m.sentence_idx, m.annotator.clone())
            });
            for chunk in marks.chunks(IMPORT_BATCH) {
                put_marks(tx, chunk)?;
            }
            Ok(())
        })?;
        Ok(claims.len() + marks.len())
    }
}

/// `columns` (a list like "a, b") with every column prefixed by `alias.`.
fn prefixed(alias: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows, keeping of several with one key only the last, in the order of the last ones.
fn last_of_each<T, K: std::hash::Hash + Eq>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<&T> {
    let mut last = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        last.insert(key(row), i);
    }
    rows.iter()
        .enumerate()
        .filter(|(i, row)| last.get(&key(row)) == Some(i))
        .map(|(_, row)| row)
        .collect()
}

/// The next batch of annotated documents after import position `after`: the position of
/// its last document (`None` when there are no more) and the documents.
fn annotated_batch(
    client: &mut postgres::Client,
    annotator: Option<&str>,
    after: i64,
) -> PgResult<(Option<i64>, Vec<AnnotatedDocument>)> {
    let docs = client.query(
        "SELECT d.import_seq, d.id, d.text FROM documents d
         WHERE d.import_seq > $2
           AND (EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = d.id AND c.status = 'confirmed'
                          AND c.deleted = 0 AND ($1::text IS NULL OR c.annotator = $1))
                OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = d.id AND m.deleted = 0
                          AND ($1::text IS NULL OR m.annotator = $1)))
         ORDER BY d.import_seq LIMIT $3",
        &[&annotator, &after, &DOCUMENT_BATCH],
    )?;
    let Some(last) = docs.last() else {
        return Ok((None, Vec::new()));
    };
    let last: i64 = last.try_get(0)?;
    let ids = docs
        .iter()
        .map(|row| row.try_get::<_, String>(1))
        .collect::<Result<Vec<_>, _>>()?;
    let claims_sql = format!(
        "SELECT {CLAIM_COLUMNS} FROM claims
         WHERE doc_id = ANY($1) AND status = 'confirmed' AND deleted = 0
           AND ($2::text IS NULL OR annotator = $2)
         ORDER BY sentence_idx, annotator COLLATE \"C\", created_at COLLATE \"C\", id COLLATE \"C\""
    );
    let mut claims: HashMap<String, Vec<ClaimRow>> = HashMap::new();
    for row in client.query(&claims_sql, &[&ids, &annotator])? {
        let claim = claim_from_row(&row)?;
        claims.entry(claim.doc_id.clone()).or_default().push(claim);
    }
    let marks_sql = format!(
        "SELECT {MARK_COLUMNS} FROM sentence_marks
         WHERE doc_id = ANY($1) AND deleted = 0 AND ($2::text IS NULL OR annotator = $2)
         ORDER BY sentence_idx, annotator COLLATE \"C\""
    );
    let mut marks: HashMap<String, Vec<MarkRow>> = HashMap::new();
    for row in client.query(&marks_sql, &[&ids, &annotator])? {
        let mark = mark_from_row(&row)?;
        marks.entry(mark.doc_id.clone()).or_default().push(mark);
    }
    let mut batch = Vec::with_capacity(docs.len());
    for (row, id) in docs.iter().zip(ids) {
        let text: String = row.try_get(2)?;
        let doc_claims = claims.remove(&id).unwrap_or_default();
        let doc_marks = marks.remove(&id).unwrap_or_default();
        batch.push((id, text, doc_claims, doc_marks));
    }
    Ok((Some(last), batch))
}

/// Writes claims exactly as given (inserted or replaced by id), in one statement; no two
/// with one id.
fn put_claims(client: &mut impl GenericClient, claims: &[&ClaimRow]) -> PgResult<()> {
    let span = |f: fn(&ClaimRow) -> Option<crate::domain::Span>, end: bool| {
        claims
            .iter()
            .map(|c| f(c).map(|s| if end { s.end as i64 } else { s.start as i64 }))
            .collect::<Vec<Option<i64>>>()
    };
    let text = |f: fn(&ClaimRow) -> &str| claims.iter().map(|c| f(c)).collect::<Vec<&str>>();
    let maybe = |f: fn(&ClaimRow) -> Option<&str>| claims.iter().map(|c| f(c)).collect::<Vec<_>>();
    let ids = text(|c| &c.id);
    let doc_ids = text(|c| &c.doc_id);
    let sentence_idx: Vec<i64> = claims.iter().map(|c| c.sentence_idx as i64).collect();
    let annotators = text(|c| &c.annotator);
    let statuses = text(|c| c.status.as_str());
    let stances = maybe(|c| c.stance.as_deref());
    let claim_types = maybe(|c| c.claim_type.as_deref());
    let speakers = maybe(|c| c.speaker_entity.as_deref());
    let targets = maybe(|c| c.target_entity.as_deref());
    let notes = text(|c| &c.note);
    let lead_times: Vec<f64> = claims.iter().map(|c| c.lead_time_s).collect();
    let versions: Vec<i64> = claims.iter().map(|c| i64::from(c.schema_version)).collect();
    let origins = text(|c| &c.origin);
    let created = text(|c| &c.created_at);
    let updated = text(|c| &c.updated_at);
    let deleted: Vec<i64> = claims.iter().map(|c| flag(c.deleted)).collect();
    let sql = format!(
        "INSERT INTO claims ({CLAIM_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
            $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[],
            $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],
            $17::bigint[], $18::text[], $19::float8[], $20::bigint[], $21::text[], $22::text[],
            $23::text[], $24::bigint[])
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
    client.execute(
        &sql,
        &[
            &ids,
            &doc_ids,
            &sentence_idx,
            &annotators,
            &statuses,
            &stances,
            &claim_types,
            &speakers,
            &span(|c| c.speaker_span, false),
            &span(|c| c.speaker_span, true),
            &targets,
            &span(|c| c.target_span, false),
            &span(|c| c.target_span, true),
            &span(|c| c.cue_span, false),
            &span(|c| c.cue_span, true),
            &span(|c| c.content_span, false),
            &span(|c| c.content_span, true),
            &notes,
            &lead_times,
            &versions,
            &origins,
            &created,
            &updated,
            &deleted,
        ],
    )?;
    Ok(())
}

/// Writes marks exactly as given (inserted or replaced by sentence and annotator), in one
/// statement; no two with one key.
fn put_marks(client: &mut impl GenericClient, marks: &[&MarkRow]) -> PgResult<()> {
    let text = |f: fn(&MarkRow) -> &str| marks.iter().map(|m| f(m)).collect::<Vec<&str>>();
    let sentence_idx: Vec<i64> = marks.iter().map(|m| m.sentence_idx as i64).collect();
    let lead_times: Vec<f64> = marks.iter().map(|m| m.lead_time_s).collect();
    let deleted: Vec<i64> = marks.iter().map(|m| flag(m.deleted)).collect();
    let sql = format!(
        "INSERT INTO sentence_marks ({MARK_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::float8[],
            $6::text[], $7::text[], $8::bigint[])
         ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET mark = EXCLUDED.mark,
            lead_time_s = EXCLUDED.lead_time_s, created_at = EXCLUDED.created_at,
            updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted"
    );
    client.execute(
        &sql,
        &[
            &text(|m| &m.doc_id),
            &sentence_idx,
            &text(|m| &m.annotator),
            &text(|m| &m.mark),
            &lead_times,
            &text(|m| &m.created_at),
            &text(|m| &m.updated_at),
            &deleted,
        ],
    )?;
    Ok(())
}
