//! Documents and their sentences on a server: bulk import (one multi-row statement per
//! table and batch, each file all-or-nothing), the document list, reading, and streaming in
//! batches for export.
//!
//! Rows are written with `INSERT ... SELECT FROM unnest(array, ...)`: one round trip for
//! every document (or sentence) of a batch, like `COPY`, but unlike `COPY FROM` allowed on
//! tables with row-level security, so that a lead who is not the database's owner can
//! import too (PostgreSQL refuses `COPY FROM` on such tables for anyone it does not exempt).

use std::collections::HashMap;

use postgres::GenericClient;
use postgres::types::{ToSql, Type};
use sha2::{Digest, Sha256};

use super::connection::{Fail, PgResult, PgStore, classify};
use super::rows::flag;
use crate::domain::{
    DocumentListQuery, DocumentOutcome, DocumentRow, DocumentSummary, FileImport, FileImportResult,
    NewDocument, SentenceRow, StatusFilter,
};
use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// SQL for "sentences of document `d` with a gold decision".
const GOLD_DONE_SUBQUERY: &str = "(SELECT count(*) FROM gold_sentences g
    JOIN sentences s ON s.doc_id = g.doc_id AND s.idx = g.sentence_idx
    WHERE g.doc_id = d.id AND g.deleted = 0 AND s.boilerplate = 0)";

/// SQL for "content sentences of document `d` decided by annotator $4" (0 without one),
/// from the counts the triggers of `002_progress.sql` keep.
const DONE_SUBQUERY: &str = "coalesce((SELECT p.done FROM annotator_progress p
    WHERE p.annotator = $4 AND p.doc_id = d.id), 0)";

/// SQL for the sentence count and the content-sentence count of document `d`: content
/// sentences are the sentences less the (few) flagged as boilerplate, counted from the
/// partial index `sentences_boilerplate`.
const COUNT_COLUMNS: &str = "d.sentence_count,
    d.sentence_count - (SELECT count(*) FROM sentences b
                         WHERE b.doc_id = d.id AND b.boilerplate = 1)";

/// SQL for "the title or id of `d` contains $1", as SQLite's `LIKE` matches: `%`, `_` and
/// `\` escaped by [`escape_like`], ASCII letters without case (the pattern is lowered in
/// Rust; `lower` under the "C" collation lowers ASCII only), every other character exactly,
/// whatever the database's collation — which `ILIKE` and a plain `lower` would follow
/// ("É" would match "é"). Every title is read (as on SQLite): 20 ms at 40,000 documents.
const TEXT_FILTER: &str = "(lower(d.title COLLATE \"C\") LIKE $1 ESCAPE '\\'
     OR lower(d.id COLLATE \"C\") LIKE $1 ESCAPE '\\')";

/// The parameters of the document list queries: $1 LIKE pattern, $2 limit, $3 offset,
/// $4 annotator, $5 gold. Typed, so that a query may leave some unused.
const LIST_TYPES: [Type; 5] = [Type::TEXT, Type::INT8, Type::INT8, Type::TEXT, Type::BOOL];

/// Documents and sentences read per round trip when streaming.
pub(super) const DOCUMENT_BATCH: i64 = 200;

/// The common table expressions of a status filter, ending with `chosen(r, done)`: the
/// import order and decided-sentence count of every document in `status` whose title or id
/// matches $1 (when `text` is set). Parameters as [`LIST_TYPES`]; `gold` counts the gold
/// standard's decisions instead of annotator $4's. Only constant fragments are put into the
/// SQL.
fn status_filter_sql(status: StatusFilter, text: bool, gold: bool) -> String {
    let text_filter = if text { TEXT_FILTER } else { "TRUE" };
    // Content sentences of document `p.doc_id`.
    let content = "(d.sentence_count - (SELECT count(*) FROM sentences b
                                         WHERE b.doc_id = p.doc_id AND b.boilerplate = 1))";
    let chosen = match status {
        StatusFilter::All | StatusFilter::NotStarted => format!(
            "SELECT d.import_seq, 0::bigint FROM documents d
             WHERE {text_filter}
               AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.doc_id = d.id)"
        ),
        StatusFilter::InProgress => format!(
            "SELECT d.import_seq, p.done FROM progress p JOIN documents d ON d.id = p.doc_id
             WHERE {text_filter} AND {content} > p.done"
        ),
        StatusFilter::Done => format!(
            "SELECT d.import_seq, p.done FROM progress p JOIN documents d ON d.id = p.doc_id
             WHERE {text_filter} AND {content} <= p.done"
        ),
    };
    let ctes = if gold {
        "decided(doc_id, sentence_idx) AS (
            SELECT doc_id, sentence_idx FROM gold_sentences WHERE $5 AND deleted = 0
         ),
         progress(doc_id, done) AS (
            SELECT x.doc_id, count(*) FROM decided x
              JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx
             WHERE s.boilerplate = 0
             GROUP BY x.doc_id
         )"
    } else {
        "progress(doc_id, done) AS (
            SELECT doc_id, done FROM annotator_progress
             WHERE NOT $5 AND annotator = $4 AND done > 0
         )"
    };
    format!("WITH {ctes}, chosen(r, done) AS ({chosen})")
}

/// A row of the document list queries: id, title, sentences, content sentences, done.
fn summary_from_row(row: &postgres::Row) -> PgResult<DocumentSummary> {
    Ok(DocumentSummary {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        sentence_count: count(row.try_get(2)?),
        content_sentences: count(row.try_get(3)?),
        done_sentences: count(row.try_get(4)?),
    })
}

/// A count read from the server (never negative in a sound database).
fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// Hex SHA-256 of a document's exact text (as the SQLite backend computes it).
pub(super) fn text_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl PgStore {
    /// Stores the documents of several files in one transaction, each file all or nothing:
    /// a file whose documents cannot all be stored (an id that already exists with a
    /// different text, a constraint violation) is rolled back entirely and reported, the
    /// others are kept. Returns one result per file, in order.
    ///
    /// Which documents are new is decided from one lookup of every id of the batch; the
    /// new documents of all accepted files are then written in one savepoint, two
    /// statements. Only when the server refuses that (a file breaks a constraint) is the
    /// batch written again file by file, each in a savepoint of its own, to tell which.
    pub fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        let location = self.location.clone();
        let now = crate::clock::now_rfc3339();
        self.write(|tx| {
            let ids: Vec<&str> = files
                .iter()
                .flat_map(|f| f.documents.iter().map(|d| d.id.as_str()))
                .collect();
            let existing = existing_documents(tx, &ids)?;
            // Every file as if all were accepted by the server.
            let mut known = existing.clone();
            let plans: Vec<Result<FilePlan<'_>, String>> = files
                .iter()
                .map(|file| {
                    let plan = plan_file(file, &known)?;
                    plan.remember(&mut known);
                    Ok(plan)
                })
                .collect();
            let mut all = ColumnBatch::default();
            for plan in plans.iter().flatten() {
                all.add(plan, &now);
            }
            let mut savepoint = tx.transaction()?;
            match all.insert(&mut savepoint) {
                Ok(()) => {
                    savepoint.commit()?;
                    return Ok(files
                        .iter()
                        .zip(plans)
                        .map(|(file, plan)| FileImportResult {
                            origin: file.origin.clone(),
                            result: plan.map(|p| p.outcomes),
                        })
                        .collect());
                }
                Err(e) => {
                    savepoint.rollback()?;
                    refusal(&location, e)?;
                }
            }
            import_file_by_file(tx, files, existing, &now, &location)
        })
    }

    /// Number of documents, as kept by `002_progress.sql` (one row read, where counting
    /// reads a whole index).
    pub fn document_count(&self) -> StoreResult<usize> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT documents FROM document_total WHERE \"only\" = 1",
                &[],
            )?;
            Ok(count(row.try_get(0)?))
        })
    }

    /// Number of sentences of all documents: the sum of the documents' sentence counts
    /// (equal to counting the sentences in a sound database — the merge's consistency
    /// check refuses any other — and a tenth of the time at 1 M sentences).
    pub fn sentence_count(&self) -> StoreResult<usize> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT coalesce(sum(sentence_count), 0)::bigint FROM documents",
                &[],
            )?;
            Ok(count(row.try_get(0)?))
        })
    }

    /// A page of the document list in import order: documents whose title or id contains
    /// `query`, with `annotator`'s progress, optionally only those in one status.
    pub fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        // The page's documents are picked by import order first; only they get their
        // counts (and only their rows are read past the index).
        let sql = if list.status != StatusFilter::All {
            let ctes = status_filter_sql(list.status, !list.text.is_empty(), list.gold);
            format!(
                "{ctes} SELECT d.id, d.title, {COUNT_COLUMNS}, c.done
                 FROM (SELECT r, done FROM chosen ORDER BY r LIMIT $2 OFFSET $3) c
                 JOIN documents d ON d.import_seq = c.r
                 ORDER BY c.r"
            )
        } else {
            let rowids = if list.text.is_empty() {
                "SELECT import_seq FROM documents ORDER BY import_seq LIMIT $2 OFFSET $3".to_owned()
            } else {
                format!(
                    "SELECT d.import_seq FROM documents d WHERE {TEXT_FILTER}
                     ORDER BY d.import_seq LIMIT $2 OFFSET $3"
                )
            };
            format!(
                "SELECT d.id, d.title, {COUNT_COLUMNS},
                    CASE WHEN $5 THEN {GOLD_DONE_SUBQUERY} ELSE {DONE_SUBQUERY} END
                 FROM ({rowids}) r JOIN documents d ON d.import_seq = r.import_seq
                 ORDER BY d.import_seq"
            )
        };
        self.read(|client| {
            list_params(list, |params| client.query_typed(&sql, params))?
                .iter()
                .map(summary_from_row)
                .collect()
        })
    }

    /// How many documents [`PgStore::document_summaries`] would list without a limit.
    pub fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        if list.status == StatusFilter::All && list.text.is_empty() {
            return self.document_count();
        }
        let sql = if list.status == StatusFilter::All {
            format!("SELECT count(*) FROM documents d WHERE {TEXT_FILTER}")
        } else {
            let ctes = status_filter_sql(list.status, !list.text.is_empty(), list.gold);
            format!("{ctes} SELECT count(*) FROM chosen")
        };
        self.read(|client| {
            let rows = list_params(list, |params| client.query_typed(&sql, params))?;
            let n: i64 = rows.first().map_or(Ok(0), |row| row.try_get(0))?;
            Ok(count(n))
        })
    }

    /// Records who was given which document (`isnad assign`); a pair given again is
    /// replaced (the last one given wins).
    pub fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        let now = crate::clock::now_rfc3339();
        // One statement may not change a row twice: the last of each pair.
        let mut last: HashMap<(&str, &str), bool> = HashMap::new();
        for (doc_id, annotator, overlap) in rows {
            last.insert((doc_id.as_str(), annotator.as_str()), *overlap);
        }
        let (mut docs, mut annotators, mut overlaps) = (Vec::new(), Vec::new(), Vec::new());
        for ((doc_id, annotator), overlap) in last {
            docs.push(doc_id);
            annotators.push(annotator);
            overlaps.push(flag(overlap));
        }
        self.write(|tx| {
            tx.execute_typed(
                "INSERT INTO assignments (doc_id, annotator, overlap, assigned_at)
                 SELECT doc_id, annotator, overlap, $4 FROM unnest($1, $2, $3)
                     AS u(doc_id, annotator, overlap)
                 ON CONFLICT (doc_id, annotator) DO UPDATE
                    SET overlap = EXCLUDED.overlap, assigned_at = EXCLUDED.assigned_at",
                &[
                    (&docs, Type::TEXT_ARRAY),
                    (&annotators, Type::TEXT_ARRAY),
                    (&overlaps, Type::INT8_ARRAY),
                    (&now, Type::TEXT),
                ],
            )?;
            Ok(())
        })
    }

    /// (document id, annotator, overlap) of every assignment, by annotator and document
    /// (in byte order, as SQLite sorts text).
    pub fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        self.read(|client| {
            client
                .query(
                    "SELECT doc_id, annotator, overlap FROM assignments
                     ORDER BY annotator COLLATE \"C\", doc_id COLLATE \"C\"",
                    &[],
                )?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<_, i64>(2)? != 0)))
                .collect()
        })
    }

    /// One document, if present.
    pub fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        self.read(|client| {
            client
                .query_typed_opt(
                    &format!("{DOCUMENT_SELECT} WHERE id = $1"),
                    &[(&id, Type::TEXT)],
                )?
                .map(|row| document_from_row(&row))
                .transpose()
        })
    }

    /// The sentences of a document, in order.
    pub fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        self.read(|client| {
            client
                .query_typed(
                    &format!("{SENTENCE_SELECT} WHERE doc_id = $1 ORDER BY idx"),
                    &[(&doc_id, Type::TEXT)],
                )?
                .iter()
                .map(sentence_from_row)
                .collect()
        })
    }

    /// Calls `each` for every document in import order (streaming: memory stays flat).
    /// The documents are read a batch at a time, after the last one's import order, and
    /// `each` is called with the connection free (it may read the store).
    pub fn for_each_document(
        &self,
        mut each: impl FnMut(DocumentRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut after = 0i64;
        loop {
            let batch = self.read(|client| {
                client
                    .query_typed(
                        &format!(
                            "{DOCUMENT_SELECT} WHERE import_seq > $1 ORDER BY import_seq LIMIT $2"
                        ),
                        &[(&after, Type::INT8), (&DOCUMENT_BATCH, Type::INT8)],
                    )?
                    .iter()
                    .map(|row| Ok((row.try_get::<_, i64>(11)?, document_from_row(row)?)))
                    .collect::<PgResult<Vec<_>>>()
            })?;
            let complete = batch.len() < DOCUMENT_BATCH as usize;
            for (seq, row) in batch {
                after = seq;
                each(row)?;
            }
            if complete {
                return Ok(());
            }
        }
    }

    /// Calls `each` for every sentence, documents in import order, sentences in order:
    /// the sentences of a batch of documents at a time (see [`PgStore::for_each_document`]).
    pub fn for_each_sentence(
        &self,
        mut each: impl FnMut(SentenceRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut after = 0i64;
        loop {
            let (last, sentences) = self.read(|client| {
                let docs = document_batch(client, after)?;
                let ids: Vec<&str> = docs.iter().map(|(_, id)| id.as_str()).collect();
                let sentences = client
                    .query_typed(
                        "SELECT s.doc_id, s.idx, s.start_char, s.end_char, s.text, s.boilerplate,
                                s.boilerplate_reason
                         FROM unnest($1) WITH ORDINALITY AS u(id, n)
                         JOIN sentences s ON s.doc_id = u.id
                         ORDER BY u.n, s.idx",
                        &[(&ids, Type::TEXT_ARRAY)],
                    )?
                    .iter()
                    .map(sentence_from_row)
                    .collect::<PgResult<Vec<_>>>()?;
                let last = (docs.len() == DOCUMENT_BATCH as usize)
                    .then(|| docs.last().map(|(seq, _)| *seq))
                    .flatten();
                Ok((last, sentences))
            })?;
            for sentence in sentences {
                each(sentence)?;
            }
            match last {
                Some(seq) => after = seq,
                None => return Ok(()),
            }
        }
    }
}

/// (import order, id) of the next [`DOCUMENT_BATCH`] documents after import order `after`.
pub(super) fn document_batch(
    client: &mut impl GenericClient,
    after: i64,
) -> PgResult<Vec<(i64, String)>> {
    client
        .query_typed(
            "SELECT import_seq, id FROM documents WHERE import_seq > $1
             ORDER BY import_seq LIMIT $2",
            &[(&after, Type::INT8), (&DOCUMENT_BATCH, Type::INT8)],
        )?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// Runs a document list query with its parameters ([`LIST_TYPES`]).
fn list_params<T>(
    list: &DocumentListQuery<'_>,
    run: impl FnOnce(&[(&(dyn ToSql + Sync), Type)]) -> Result<T, postgres::Error>,
) -> Result<T, postgres::Error> {
    let pattern = format!("%{}%", escape_like(&list.text.to_ascii_lowercase()));
    let limit = i64::try_from(list.limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(list.offset).unwrap_or(i64::MAX);
    let [t1, t2, t3, t4, t5] = LIST_TYPES;
    run(&[
        (&pattern, t1),
        (&limit, t2),
        (&offset, t3),
        (&list.annotator, t4),
        (&list.gold, t5),
    ])
}

const DOCUMENT_SELECT: &str = "SELECT id, title, text, source, url, published, encoding, metadata, origin, imported_at, sentence_count, import_seq FROM documents";
const SENTENCE_SELECT: &str = "SELECT doc_id, idx, start_char, end_char, text, boilerplate, boilerplate_reason FROM sentences";

fn document_from_row(row: &postgres::Row) -> PgResult<DocumentRow> {
    Ok(DocumentRow {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        text: row.try_get(2)?,
        source: row.try_get(3)?,
        url: row.try_get(4)?,
        published: row.try_get(5)?,
        encoding: row.try_get(6)?,
        metadata: row.try_get(7)?,
        origin: row.try_get(8)?,
        imported_at: row.try_get(9)?,
        sentence_count: count(row.try_get(10)?),
    })
}

fn sentence_from_row(row: &postgres::Row) -> PgResult<SentenceRow> {
    Ok(SentenceRow {
        doc_id: row.try_get(0)?,
        index: count(row.try_get(1)?),
        start: count(row.try_get(2)?),
        end: count(row.try_get(3)?),
        text: row.try_get(4)?,
        boilerplate: row.try_get::<_, i64>(5)? != 0,
        boilerplate_reason: row.try_get(6)?,
    })
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------------------ import

/// A document id as an import knows it: its checksum and where it came from.
#[derive(Debug, Clone)]
struct Known {
    sha: String,
    origin: Option<String>,
}

/// The documents here among `ids`.
fn existing_documents(
    tx: &mut postgres::Transaction<'_>,
    ids: &[&str],
) -> PgResult<HashMap<String, Known>> {
    let rows = tx.query_typed(
        "SELECT id, text_sha256, origin FROM documents WHERE id = ANY($1)",
        &[(&ids, Type::TEXT_ARRAY)],
    )?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get(0)?,
                Known {
                    sha: row.try_get(1)?,
                    origin: row.try_get(2)?,
                },
            ))
        })
        .collect()
}

/// What importing one file does: its outcomes, and the documents it adds (with their
/// checksums and metadata text).
struct FilePlan<'a> {
    outcomes: Vec<(String, DocumentOutcome, usize)>,
    added: Vec<(&'a NewDocument, String, String)>,
}

impl FilePlan<'_> {
    /// Counts the file's documents as present (for the files after it).
    fn remember(&self, known: &mut HashMap<String, Known>) {
        for (doc, sha, _) in &self.added {
            known.insert(
                doc.id.clone(),
                Known {
                    sha: sha.clone(),
                    origin: Some(doc.origin.clone()),
                },
            );
        }
    }
}

/// Decides a file against the documents `known` to be here: each document is new or
/// already present, or the file is refused (an id here with another text), as SQLite's
/// import decides it row by row.
fn plan_file<'a>(
    file: &'a FileImport,
    known: &HashMap<String, Known>,
) -> Result<FilePlan<'a>, String> {
    let mut plan = FilePlan {
        outcomes: Vec::with_capacity(file.documents.len()),
        added: Vec::new(),
    };
    // Documents added by this file so far (an id may come twice).
    let mut mine: HashMap<&str, Known> = HashMap::new();
    for doc in &file.documents {
        let sha = text_sha256(&doc.text);
        if let Some(existing) = mine.get(doc.id.as_str()).or_else(|| known.get(&doc.id)) {
            if existing.sha == sha {
                plan.outcomes.push((
                    doc.id.clone(),
                    DocumentOutcome::AlreadyPresent,
                    doc.sentences.len(),
                ));
                continue;
            }
            return Err(format!(
                "document id {:?} (from {}) already exists with a different text (imported from {}); \
                 nothing of this file was imported",
                doc.id,
                doc.origin,
                existing.origin.as_deref().unwrap_or("an earlier import")
            ));
        }
        mine.insert(
            &doc.id,
            Known {
                sha: sha.clone(),
                origin: Some(doc.origin.clone()),
            },
        );
        let metadata = serde_json::Value::Object(doc.metadata.clone()).to_string();
        plan.outcomes
            .push((doc.id.clone(), DocumentOutcome::Added, doc.sentences.len()));
        plan.added.push((doc, sha, metadata));
    }
    Ok(plan)
}

/// The batch written again one file at a time, each in a savepoint: a file the server
/// refuses is rolled back alone and reported with the server's reason.
fn import_file_by_file(
    tx: &mut postgres::Transaction<'_>,
    files: &[FileImport],
    mut known: HashMap<String, Known>,
    now: &str,
    location: &Location,
) -> PgResult<Vec<FileImportResult>> {
    let mut results = Vec::with_capacity(files.len());
    for file in files {
        let result = match plan_file(file, &known) {
            Err(reason) => Err(reason),
            Ok(plan) => {
                let mut columns = ColumnBatch::default();
                columns.add(&plan, now);
                let mut savepoint = tx.transaction()?;
                match columns.insert(&mut savepoint) {
                    Ok(()) => {
                        savepoint.commit()?;
                        plan.remember(&mut known);
                        Ok(plan.outcomes)
                    }
                    Err(e) => {
                        savepoint.rollback()?;
                        Err(refusal(location, e)?)
                    }
                }
            }
        };
        results.push(FileImportResult {
            origin: file.origin.clone(),
            result,
        });
    }
    Ok(results)
}

/// Why the server refused a file's rows (worded as SQLite's refusals: "database error:
/// the server's message: location"), or — for faults of the server or the connection
/// rather than of the file — the error that aborts the whole batch (rolled back).
fn refusal(location: &Location, e: postgres::Error) -> PgResult<String> {
    let message = e.as_db_error().map(|db| db.message().to_owned());
    match classify(location, e) {
        err @ (StoreError::DiskFull { .. }
        | StoreError::Busy { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::Corrupt { .. }
        | StoreError::Unreachable { .. }
        | StoreError::Denied { .. }) => Err(Fail::Store(err)),
        other => Ok(match message {
            Some(message) => format!("database error: {message}: {location}"),
            None => other.to_string(),
        }),
    }
}

/// Documents and sentences to insert, column by column: one array parameter per column,
/// one statement per table.
#[derive(Default)]
pub(super) struct ColumnBatch<'a> {
    pub(super) documents: DocumentColumns<'a>,
    pub(super) sentences: SentenceColumns<'a>,
}

/// The columns of new `documents` rows.
#[derive(Default)]
pub(super) struct DocumentColumns<'a> {
    pub(super) id: Vec<&'a str>,
    pub(super) title: Vec<&'a str>,
    pub(super) text: Vec<&'a str>,
    pub(super) text_sha256: Vec<&'a str>,
    pub(super) char_count: Vec<i64>,
    pub(super) source: Vec<Option<&'a str>>,
    pub(super) url: Vec<Option<&'a str>>,
    pub(super) published: Vec<Option<&'a str>>,
    pub(super) encoding: Vec<&'a str>,
    pub(super) metadata: Vec<&'a str>,
    pub(super) origin: Vec<Option<&'a str>>,
    pub(super) imported_at: Vec<&'a str>,
    pub(super) sentence_count: Vec<i64>,
}

/// The columns of new `sentences` rows.
#[derive(Default)]
pub(super) struct SentenceColumns<'a> {
    pub(super) doc_id: Vec<&'a str>,
    pub(super) idx: Vec<i64>,
    pub(super) start_char: Vec<i64>,
    pub(super) end_char: Vec<i64>,
    pub(super) text: Vec<&'a str>,
    pub(super) boilerplate: Vec<i64>,
    pub(super) boilerplate_reason: Vec<Option<&'a str>>,
    pub(super) boilerplate_auto: Vec<Option<&'a str>>,
    pub(super) boilerplate_updated_at: Vec<Option<&'a str>>,
}

impl<'a> ColumnBatch<'a> {
    /// Adds the documents a file adds, imported at `now`, their flags as the rules set them.
    fn add(&mut self, plan: &'a FilePlan<'a>, now: &'a str) {
        for (doc, sha, metadata) in &plan.added {
            let d = &mut self.documents;
            d.id.push(&doc.id);
            d.title.push(&doc.title);
            d.text.push(&doc.text);
            d.text_sha256.push(sha);
            d.char_count.push(doc.text.chars().count() as i64);
            d.source.push(doc.source.as_deref());
            d.url.push(doc.url.as_deref());
            d.published.push(doc.published.as_deref());
            d.encoding.push(&doc.encoding);
            d.metadata.push(metadata);
            d.origin.push(Some(&doc.origin));
            d.imported_at.push(now);
            d.sentence_count.push(doc.sentences.len() as i64);
            let s = &mut self.sentences;
            for (index, sentence) in doc.sentences.iter().enumerate() {
                s.doc_id.push(&doc.id);
                s.idx.push(index as i64);
                s.start_char.push(sentence.start as i64);
                s.end_char.push(sentence.end as i64);
                s.text.push(&sentence.text);
                s.boilerplate.push(flag(sentence.boilerplate.is_some()));
                s.boilerplate_reason.push(sentence.boilerplate.as_deref());
                s.boilerplate_auto.push(sentence.boilerplate.as_deref());
                s.boilerplate_updated_at.push(None);
            }
        }
    }

    /// Inserts the rows: the documents in the order added (their import order), then the
    /// sentences.
    pub(super) fn insert(&self, client: &mut impl GenericClient) -> Result<(), postgres::Error> {
        if self.documents.id.is_empty() {
            return Ok(());
        }
        let d = &self.documents;
        client.execute_typed(
            "INSERT INTO documents (id, title, text, text_sha256, char_count, source, url,
                 published, encoding, metadata, origin, imported_at, sentence_count)
             SELECT id, title, text, text_sha256, char_count, source, url, published, encoding,
                 metadata, origin, imported_at, sentence_count
             FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 WITH ORDINALITY AS u(id, title, text, text_sha256, char_count, source, url,
                     published, encoding, metadata, origin, imported_at, sentence_count, n)
             ORDER BY n",
            &[
                (&d.id, Type::TEXT_ARRAY),
                (&d.title, Type::TEXT_ARRAY),
                (&d.text, Type::TEXT_ARRAY),
                (&d.text_sha256, Type::TEXT_ARRAY),
                (&d.char_count, Type::INT8_ARRAY),
                (&d.source, Type::TEXT_ARRAY),
                (&d.url, Type::TEXT_ARRAY),
                (&d.published, Type::TEXT_ARRAY),
                (&d.encoding, Type::TEXT_ARRAY),
                (&d.metadata, Type::TEXT_ARRAY),
                (&d.origin, Type::TEXT_ARRAY),
                (&d.imported_at, Type::TEXT_ARRAY),
                (&d.sentence_count, Type::INT8_ARRAY),
            ],
        )?;
        if self.sentences.doc_id.is_empty() {
            return Ok(());
        }
        let s = &self.sentences;
        client.execute_typed(
            "INSERT INTO sentences (doc_id, idx, start_char, end_char, text, boilerplate,
                 boilerplate_reason, boilerplate_auto, boilerplate_updated_at)
             SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                (&s.doc_id, Type::TEXT_ARRAY),
                (&s.idx, Type::INT8_ARRAY),
                (&s.start_char, Type::INT8_ARRAY),
                (&s.end_char, Type::INT8_ARRAY),
                (&s.text, Type::TEXT_ARRAY),
                (&s.boilerplate, Type::INT8_ARRAY),
                (&s.boilerplate_reason, Type::TEXT_ARRAY),
                (&s.boilerplate_auto, Type::TEXT_ARRAY),
                (&s.boilerplate_updated_at, Type::TEXT_ARRAY),
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_filter_is_escaped() {
        assert_eq!(escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }

    #[test]
    fn the_checksum_is_hex_sha256() {
        assert_eq!(
            text_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
