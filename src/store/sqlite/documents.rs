//! Documents and their sentences: bulk import (batched, one savepoint per file so that a bad
//! file leaves no trace), listing, reading and streaming for export.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::connection::SqliteStore;
use super::errors::classify;
use crate::domain::{
    DocumentListQuery, DocumentOutcome, DocumentRow, DocumentSummary, FileImport, FileImportResult,
    SentenceRow, StatusFilter,
};
use crate::store::error::{StoreError, StoreResult};

/// SQL for "sentences of document `d` with a gold decision".
const GOLD_DONE_SUBQUERY: &str = "(SELECT count(*) FROM gold_sentences g
    JOIN sentences s ON s.doc_id = g.doc_id AND s.idx = g.sentence_idx
    WHERE g.doc_id = d.id AND g.deleted = 0 AND s.boilerplate = 0)";

/// SQL for "content sentences of document `d` decided by annotator ?4", from the counts
/// the triggers of `schema/003_progress.sql` keep.
const DONE_SUBQUERY: &str = "CASE WHEN ?4 IS NULL THEN 0 ELSE coalesce(
    (SELECT p.done FROM annotator_progress p WHERE p.annotator = ?4 AND p.doc_id = d.id), 0) END";

/// The common table expressions of a status filter, ending with `chosen(r, done)`: the rowid
/// and decided-sentence count of every document in `status` whose title or id matches ?1
/// (when `text` is set). Parameters: ?1 LIKE pattern, ?4 annotator, ?5 (= `gold`) for the
/// adjudication progress instead of the annotator's. Only constant fragments are put into
/// the SQL.
fn status_filter_sql(status: StatusFilter, text: bool, gold: bool) -> String {
    let text_filter = if text {
        "(d.title LIKE ?1 ESCAPE '\\' OR d.id LIKE ?1 ESCAPE '\\')"
    } else {
        "?1 = '%%'"
    };
    // Content sentences of document `p.doc_id`: its sentence count less its boilerplate
    // sentences, both read from indexes (`schema/003_progress.sql`).
    let content = "((SELECT n.sentence_count FROM documents n INDEXED BY documents_sentence_count
                       WHERE n.id = p.doc_id)
                     - (SELECT count(*) FROM sentences b INDEXED BY sentences_boilerplate
                         WHERE b.doc_id = p.doc_id AND b.boilerplate = 1))";
    let chosen = match status {
        StatusFilter::All | StatusFilter::NotStarted if text => format!(
            "SELECT d.rowid, 0 FROM documents d
             WHERE {text_filter} AND d.id NOT IN (SELECT doc_id FROM progress)"
        ),
        // Without a title filter the id index alone gives every id and rowid (the rows
        // themselves are mostly text).
        StatusFilter::All | StatusFilter::NotStarted => format!(
            "SELECT d.rowid, 0 FROM documents d INDEXED BY sqlite_autoindex_documents_1
             WHERE {text_filter} AND d.id NOT IN (SELECT doc_id FROM progress)"
        ),
        StatusFilter::InProgress => format!(
            "SELECT d.rowid, p.done FROM progress p JOIN documents d ON d.id = p.doc_id
             WHERE {text_filter} AND {content} > p.done"
        ),
        StatusFilter::Done => format!(
            "SELECT d.rowid, p.done FROM progress p JOIN documents d ON d.id = p.doc_id
             WHERE {text_filter} AND {content} <= p.done"
        ),
    };
    let ctes = if gold {
        "decided(doc_id, sentence_idx) AS (
            SELECT doc_id, sentence_idx FROM gold_sentences WHERE ?5 AND deleted = 0
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
             WHERE NOT ?5 AND annotator = ?4 AND done > 0
         )"
    };
    format!("WITH {ctes}, chosen(r, done) AS ({chosen})")
}

/// A row of the document list queries: id, title, sentences, content sentences, done.
fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentSummary> {
    Ok(DocumentSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        sentence_count: row.get::<_, i64>(2)? as usize,
        content_sentences: row.get::<_, i64>(3)? as usize,
        done_sentences: row.get::<_, i64>(4)? as usize,
    })
}

/// SQL for the sentence count and the content-sentence count of document `d`, from
/// indexes (`schema/003_progress.sql`): the document's own `sentence_count` lies past its
/// text in the record, so reading it from the row walks the text's overflow pages; content
/// sentences are the sentences less the (few) flagged as boilerplate.
const COUNT_COLUMNS: &str =
    "(SELECT n.sentence_count FROM documents n INDEXED BY documents_sentence_count
      WHERE n.id = d.id),
    (SELECT n.sentence_count FROM documents n INDEXED BY documents_sentence_count
      WHERE n.id = d.id)
    - (SELECT count(*) FROM sentences b INDEXED BY sentences_boilerplate
        WHERE b.doc_id = d.id AND b.boilerplate = 1)";

/// Hex SHA-256 of a document's exact text.
pub(super) fn text_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl SqliteStore {
    /// Stores the documents of several files in one transaction, each file inside its own
    /// savepoint: a file whose documents cannot all be stored (an id that already exists with
    /// a different text, a constraint violation) is rolled back entirely and reported, the
    /// others are kept. Returns one result per file, in order.
    pub fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let mut tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        let mut results = Vec::with_capacity(files.len());
        for file in files {
            let savepoint = tx.savepoint().map_err(|e| classify(location, e))?;
            match insert_file(&savepoint, file, &now) {
                Ok(outcomes) => {
                    savepoint.commit().map_err(|e| classify(location, e))?;
                    results.push(FileImportResult {
                        origin: file.origin.clone(),
                        result: Ok(outcomes),
                    });
                }
                Err(FileError::Refused(reason)) => {
                    // Dropping the savepoint rolls the file back.
                    drop(savepoint);
                    results.push(FileImportResult {
                        origin: file.origin.clone(),
                        result: Err(reason),
                    });
                }
                Err(FileError::Database(e)) => {
                    let err = classify(location, e);
                    match err {
                        // Faults of the database itself abort the whole batch (rolled back).
                        StoreError::DiskFull { .. }
                        | StoreError::Busy { .. }
                        | StoreError::ReadOnly { .. }
                        | StoreError::Corrupt { .. } => return Err(err),
                        other => {
                            drop(savepoint);
                            results.push(FileImportResult {
                                origin: file.origin.clone(),
                                result: Err(other.to_string()),
                            });
                        }
                    }
                }
            }
        }
        tx.commit().map_err(|e| classify(location, e))?;
        Ok(results)
    }

    /// Number of documents, as kept by `schema/004_document_total.sql` (one row read, where
    /// counting reads a whole index).
    pub fn document_count(&self) -> StoreResult<usize> {
        self.conn
            .prepare_cached("SELECT documents FROM document_total WHERE only = 1")
            .and_then(|mut s| s.query_row([], |row| row.get::<_, i64>(0)))
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// Number of sentences of all documents.
    pub fn sentence_count(&self) -> StoreResult<usize> {
        self.conn
            .query_row("SELECT count(*) FROM sentences", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// A page of the document list in import order: documents whose title or id contains
    /// `query`, with `annotator`'s progress, optionally only those in one status.
    pub fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        if list.status != StatusFilter::All {
            return self.documents_by_status(list);
        }
        if list.text.is_empty() {
            return self.all_documents_page(list);
        }
        // A title or id filter: every title is read, the page's rows only get their counts.
        let sql = format!(
            "SELECT d.id, d.title, {COUNT_COLUMNS},
                CASE WHEN ?5 THEN {GOLD_DONE_SUBQUERY} ELSE {DONE_SUBQUERY} END
             FROM documents d
             WHERE d.title LIKE ?1 ESCAPE '\\' OR d.id LIKE ?1 ESCAPE '\\'
             ORDER BY d.rowid LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![
                    format!("%{}%", escape_like(list.text)),
                    list.limit as i64,
                    list.offset as i64,
                    list.annotator,
                    list.gold
                ],
                summary_from_row,
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// How many documents [`SqliteStore::document_summaries`] would list without a limit.
    pub fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        if list.status == StatusFilter::All && list.text.is_empty() {
            return self.document_count();
        }
        if list.status == StatusFilter::All {
            let pattern = format!("%{}%", escape_like(list.text));
            return self
                .conn
                .prepare_cached(
                    "SELECT count(*) FROM documents d
                     WHERE d.title LIKE ?1 ESCAPE '\\' OR d.id LIKE ?1 ESCAPE '\\'",
                )
                .and_then(|mut s| s.query_row([pattern], |r| r.get::<_, i64>(0)))
                .map(|n| n as usize)
                .map_err(|e| self.err(e));
        }
        let ctes = status_filter_sql(list.status, !list.text.is_empty(), list.gold);
        let sql = format!("{ctes} SELECT count(*) FROM chosen");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(
                    params![
                        format!("%{}%", escape_like(list.text)),
                        0i64,
                        0i64,
                        list.annotator,
                        list.gold
                    ],
                    |r| r.get::<_, i64>(0),
                )
            })
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// A page of the whole list. The page's rowids come from whichever of two walks reads
    /// fewer pages. Near the top (the first frame's page, the start document) the table is
    /// walked in rowid order: the rows before the page and on it, about 0.7 pages each, and
    /// nothing else. Deeper, the rowids are picked from the id index (a few bytes per
    /// document, all of it read and sorted by rowid, 277 pages at 40,000 documents) so that a
    /// page deep in a large corpus does not step through every earlier document's row (and
    /// text) to get there. On the 1 M-sentence database the walk reads 59 pages for the
    /// first 70 rows where the index reads 277, which is most of a cold start.
    fn all_documents_page(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        /// Rows (offset + limit) up to which walking the table reads fewer pages than the
        /// index: about 350 rows break even at 40,000 documents, fewer in a smaller corpus
        /// (whose index is smaller too), so the bound stays below both.
        const TABLE_WALK_ROWS: usize = 256;
        let rowids = if list.offset.saturating_add(list.limit) <= TABLE_WALK_ROWS {
            "SELECT rowid FROM documents NOT INDEXED ORDER BY rowid LIMIT ?2 OFFSET ?3"
        } else {
            "SELECT rowid FROM documents INDEXED BY sqlite_autoindex_documents_1
             ORDER BY rowid LIMIT ?2 OFFSET ?3"
        };
        let sql = format!(
            "SELECT d.id, d.title, {COUNT_COLUMNS},
                CASE WHEN ?5 THEN {GOLD_DONE_SUBQUERY} ELSE {DONE_SUBQUERY} END
             FROM documents d
             WHERE d.rowid IN ({rowids})
             ORDER BY d.rowid"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![
                    // ?1 (the title filter) is not used by this query.
                    rusqlite::types::Null,
                    list.limit as i64,
                    list.offset as i64,
                    list.annotator,
                    list.gold
                ],
                summary_from_row,
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// A page of the documents in one status. The annotator's (or the gold standard's)
    /// decisions are counted per document once; only the page's rows read their title, so
    /// no document text is touched and the cost follows the decisions, not the corpus.
    fn documents_by_status(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        let ctes = status_filter_sql(list.status, !list.text.is_empty(), list.gold);
        let sql = format!(
            "{ctes} SELECT d.id, d.title, {COUNT_COLUMNS}, c.done
             FROM (SELECT r, done FROM chosen ORDER BY r LIMIT ?2 OFFSET ?3) c
             JOIN documents d ON d.rowid = c.r
             ORDER BY c.r"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![
                    format!("%{}%", escape_like(list.text)),
                    list.limit as i64,
                    list.offset as i64,
                    list.annotator,
                    list.gold
                ],
                summary_from_row,
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Records who was given which document (`isnad assign`).
    pub fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        for (doc_id, annotator, overlap) in rows {
            tx.execute(
                "INSERT OR REPLACE INTO assignments (doc_id, annotator, overlap, assigned_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![doc_id, annotator, overlap, now],
            )
            .map_err(|e| classify(location, e))?;
        }
        tx.commit().map_err(|e| classify(location, e))?;
        Ok(())
    }

    /// (document id, annotator, overlap) of every assignment.
    pub fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT doc_id, annotator, overlap FROM assignments ORDER BY annotator, doc_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// One document, if present.
    pub fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        self.conn
            .prepare_cached(&format!("{DOCUMENT_SELECT} WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id], document_from_row).optional())
            .map_err(|e| self.err(e))
    }

    /// The sentences of a document, in order.
    pub fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SENTENCE_SELECT} WHERE doc_id = ?1 ORDER BY idx"))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([doc_id], sentence_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Calls `each` for every document in import order (streaming: memory stays flat).
    pub fn for_each_document(
        &self,
        mut each: impl FnMut(DocumentRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut stmt = self
            .conn
            .prepare(&format!("{DOCUMENT_SELECT} ORDER BY rowid"))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            each(document_from_row(row).map_err(|e| self.err(e))?)?;
        }
        Ok(())
    }

    /// Calls `each` for every sentence, documents in import order, sentences in order.
    pub fn for_each_sentence(
        &self,
        mut each: impl FnMut(SentenceRow) -> Result<(), StoreError>,
    ) -> StoreResult<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.doc_id, s.idx, s.start_char, s.end_char, s.text, s.boilerplate, s.boilerplate_reason
                 FROM documents d JOIN sentences s ON s.doc_id = d.id
                 ORDER BY d.rowid, s.idx",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            each(sentence_from_row(row).map_err(|e| self.err(e))?)?;
        }
        Ok(())
    }
}

const DOCUMENT_SELECT: &str = "SELECT id, title, text, source, url, published, encoding, metadata, origin, imported_at, sentence_count FROM documents";
const SENTENCE_SELECT: &str = "SELECT doc_id, idx, start_char, end_char, text, boilerplate, boilerplate_reason FROM sentences";

fn document_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: row.get(0)?,
        title: row.get(1)?,
        text: row.get(2)?,
        source: row.get(3)?,
        url: row.get(4)?,
        published: row.get(5)?,
        encoding: row.get(6)?,
        metadata: row.get(7)?,
        origin: row.get(8)?,
        imported_at: row.get(9)?,
        sentence_count: row.get::<_, i64>(10)? as usize,
    })
}

fn sentence_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SentenceRow> {
    Ok(SentenceRow {
        doc_id: row.get(0)?,
        index: row.get::<_, i64>(1)? as usize,
        start: row.get::<_, i64>(2)? as usize,
        end: row.get::<_, i64>(3)? as usize,
        text: row.get(4)?,
        boilerplate: row.get(5)?,
        boilerplate_reason: row.get(6)?,
    })
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

enum FileError {
    Refused(String),
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for FileError {
    fn from(e: rusqlite::Error) -> Self {
        FileError::Database(e)
    }
}

fn insert_file(
    conn: &rusqlite::Connection,
    file: &FileImport,
    now: &str,
) -> Result<Vec<(String, DocumentOutcome, usize)>, FileError> {
    let mut outcomes = Vec::with_capacity(file.documents.len());
    let mut find =
        conn.prepare_cached("SELECT text_sha256, origin FROM documents WHERE id = ?1")?;
    let mut insert_doc = conn.prepare_cached(
        "INSERT INTO documents (id, title, text, text_sha256, char_count, source, url, published,
                                encoding, metadata, origin, imported_at, sentence_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    let mut insert_sentence = conn.prepare_cached(
        "INSERT INTO sentences (doc_id, idx, start_char, end_char, text, boilerplate,
                                boilerplate_reason, boilerplate_auto)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;
    for doc in &file.documents {
        let sha = text_sha256(&doc.text);
        let existing: Option<(String, Option<String>)> = find
            .query_row([&doc.id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        if let Some((existing_sha, existing_origin)) = existing {
            if existing_sha == sha {
                outcomes.push((
                    doc.id.clone(),
                    DocumentOutcome::AlreadyPresent,
                    doc.sentences.len(),
                ));
                continue;
            }
            return Err(FileError::Refused(format!(
                "document id {:?} (from {}) already exists with a different text (imported from {}); \
                 nothing of this file was imported",
                doc.id,
                doc.origin,
                existing_origin.as_deref().unwrap_or("an earlier import")
            )));
        }
        let metadata = serde_json::Value::Object(doc.metadata.clone()).to_string();
        insert_doc.execute(params![
            doc.id,
            doc.title,
            doc.text,
            sha,
            doc.text.chars().count() as i64,
            doc.source,
            doc.url,
            doc.published,
            doc.encoding,
            metadata,
            doc.origin,
            now,
            doc.sentences.len() as i64,
        ])?;
        for (index, sentence) in doc.sentences.iter().enumerate() {
            insert_sentence.execute(params![
                doc.id,
                index as i64,
                sentence.start as i64,
                sentence.end as i64,
                sentence.text,
                sentence.boilerplate.is_some(),
                sentence.boilerplate,
            ])?;
        }
        outcomes.push((doc.id.clone(), DocumentOutcome::Added, doc.sentences.len()));
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_filter_is_escaped() {
        assert_eq!(escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }
}
