//! Merge bookkeeping for SQLite: this store as the source of a merge ([`MergeSource`]:
//! every row, the shape and consistency checks) and as its target ([`SqliteMerge`], one
//! immediate transaction). The algorithm is the backend-neutral one of
//! `crate::store::merge`.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::connection::SqliteStore;
use super::documents::text_sha256;
use super::errors::classify;
use super::rows::{
    CLAIM_COLUMNS, GOLD_CLAIM_COLUMNS, GOLD_SENTENCE_COLUMNS, MARK_COLUMNS, claim_from_row,
    entity_from_row, get_claim, get_gold_claim, get_gold_sentence, get_mark, gold_claim_from_row,
    gold_sentence_from_row, mark_from_row, put_claim, put_gold_claim, put_gold_sentence, put_mark,
};
use crate::domain::{
    ClaimRow, DocumentRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, SentenceRow,
};
use crate::store::error::{StoreError, StoreResult};
use crate::store::interface::Access;
use crate::store::location::Location;
use crate::store::merge_rows::{
    ActivityRow, AliasRow, AnnotatorRow, BoilerplateFlag, DocumentShape, MergeSource, MergeTarget,
    StoredDocument, StoredSentence,
};

impl SqliteStore {
    /// A read error of this store as the source of a merge.
    fn theirs(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Invalid(format!("reading {}: {e}", self.location))
    }

    /// Every row of a query, read as the source of a merge.
    fn source_rows<T>(
        &self,
        sql: &str,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        self.conn
            .prepare(sql)
            .and_then(|mut s| s.query_map([], read)?.collect())
            .map_err(|e| self.theirs(e))
    }

    /// Starts a merge into this store (refused at once when it is read-only: SQLite would
    /// begin the transaction and refuse only the first write).
    pub fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly {
                location: self.location.clone(),
            });
        }
        let location = &self.location;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        Ok(Box::new(SqliteMerge { tx, location }))
    }
}

impl MergeSource for SqliteStore {
    fn schema_difference(&self) -> StoreResult<Option<String>> {
        // This Isnad's tables: those of a database it has just made.
        let fresh = SqliteStore::open(Path::new(":memory:"), Access::ReadWrite)?;
        same_tables(&fresh.conn, &self.conn).map_err(|e| self.theirs(e))
    }

    fn inconsistency(&self) -> StoreResult<Option<String>> {
        inconsistency(&self.conn).map_err(|e| self.theirs(e))
    }

    fn for_each_stored_document(
        &self,
        each: &mut dyn FnMut(StoredDocument) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, title, text, text_sha256, char_count, source, url, published, encoding,
                        metadata, origin, imported_at, sentence_count FROM documents ORDER BY rowid",
            )
            .map_err(|e| self.theirs(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.theirs(e))?;
        while let Some(row) = rows.next().map_err(|e| self.theirs(e))? {
            let mut document = stored_document(row).map_err(|e| self.theirs(e))?;
            document.sentences =
                stored_sentences(&self.conn, &document.row.id).map_err(|e| self.theirs(e))?;
            each(document)?;
        }
        Ok(())
    }

    fn annotator_rows(&self) -> StoreResult<Vec<AnnotatorRow>> {
        self.source_rows("SELECT name, created_at FROM annotators", |r| {
            Ok(AnnotatorRow {
                name: r.get(0)?,
                created_at: r.get(1)?,
            })
        })
    }

    fn entity_rows(&self) -> StoreResult<Vec<EntityRow>> {
        self.source_rows(
            "SELECT id, canonical_name, kind, note, created_at, updated_at FROM entities",
            entity_from_row,
        )
    }

    fn alias_rows(&self) -> StoreResult<Vec<AliasRow>> {
        self.source_rows(
            "SELECT entity_id, alias, alias_folded FROM entity_aliases",
            |r| {
                Ok(AliasRow {
                    entity_id: r.get(0)?,
                    alias: r.get(1)?,
                    alias_folded: r.get(2)?,
                })
            },
        )
    }

    fn all_claims(&self) -> StoreResult<Vec<ClaimRow>> {
        self.source_rows(
            &format!("SELECT {CLAIM_COLUMNS} FROM claims ORDER BY rowid"),
            claim_from_row,
        )
    }

    fn all_marks(&self) -> StoreResult<Vec<MarkRow>> {
        self.source_rows(
            &format!("SELECT {MARK_COLUMNS} FROM sentence_marks"),
            mark_from_row,
        )
    }

    fn all_gold_claims(&self) -> StoreResult<Vec<GoldClaimRow>> {
        self.source_rows(
            &format!("SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims"),
            gold_claim_from_row,
        )
    }

    fn all_gold_sentences(&self) -> StoreResult<Vec<GoldSentenceRow>> {
        self.source_rows(
            &format!("SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences"),
            gold_sentence_from_row,
        )
    }

    fn flipped_flags(&self) -> StoreResult<Vec<BoilerplateFlag>> {
        self.source_rows(
            "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
             FROM sentences WHERE boilerplate_updated_at IS NOT NULL ORDER BY doc_id, idx",
            flag_from_row,
        )
    }

    fn activity_rows(&self) -> StoreResult<Vec<ActivityRow>> {
        self.source_rows(
            "SELECT doc_id, sentence_idx, annotator, active_s, first_seen_at, last_seen_at
             FROM sentence_activity",
            |r| {
                Ok(ActivityRow {
                    doc_id: r.get(0)?,
                    sentence_idx: r.get::<_, i64>(1)? as usize,
                    annotator: r.get(2)?,
                    active_s: r.get(3)?,
                    first_seen_at: r.get(4)?,
                    last_seen_at: r.get(5)?,
                })
            },
        )
    }
}

/// A document row of the source (its sentences are read next).
fn stored_document(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredDocument> {
    Ok(StoredDocument {
        row: DocumentRow {
            id: row.get(0)?,
            title: row.get(1)?,
            text: row.get(2)?,
            source: row.get(5)?,
            url: row.get(6)?,
            published: row.get(7)?,
            encoding: row.get(8)?,
            metadata: row.get(9)?,
            origin: row.get(10)?,
            imported_at: row.get(11)?,
            sentence_count: row.get::<_, i64>(12)? as usize,
        },
        text_sha256: row.get(3)?,
        char_count: row.get::<_, i64>(4)? as usize,
        sentences: Vec::new(),
    })
}

fn stored_sentences(
    conn: &rusqlite::Connection,
    doc_id: &str,
) -> rusqlite::Result<Vec<StoredSentence>> {
    conn.prepare_cached(
        "SELECT idx, start_char, end_char, text, boilerplate, boilerplate_reason, boilerplate_auto,
                boilerplate_updated_at
         FROM sentences WHERE doc_id = ?1 ORDER BY idx",
    )?
    .query_map([doc_id], |r| {
        Ok(StoredSentence {
            row: SentenceRow {
                doc_id: doc_id.to_owned(),
                index: r.get::<_, i64>(0)? as usize,
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                text: r.get(3)?,
                boilerplate: r.get(4)?,
                boilerplate_reason: r.get(5)?,
            },
            boilerplate_auto: r.get(6)?,
            boilerplate_updated_at: r.get(7)?,
        })
    })?
    .collect()
}

fn flag_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BoilerplateFlag> {
    Ok(BoilerplateFlag {
        doc_id: row.get(0)?,
        sentence_idx: row.get::<_, i64>(1)? as usize,
        boilerplate: row.get(2)?,
        reason: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

/// A merge into a SQLite store: one immediate transaction, rolled back when dropped
/// uncommitted.
pub struct SqliteMerge<'a> {
    tx: Transaction<'a>,
    location: &'a Location,
}

impl SqliteMerge<'_> {
    fn db(&self, e: rusqlite::Error) -> StoreError {
        classify(self.location, e)
    }
}

impl MergeTarget for SqliteMerge<'_> {
    fn document_shape(&mut self, id: &str) -> StoreResult<Option<DocumentShape>> {
        let sha: Option<String> = self
            .tx
            .query_row(
                "SELECT text_sha256 FROM documents WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some(text_sha256) = sha else {
            return Ok(None);
        };
        let sentence_bounds = self
            .tx
            .prepare_cached(
                "SELECT start_char, end_char FROM sentences WHERE doc_id = ?1 ORDER BY idx",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize))
                })?
                .collect()
            })
            .map_err(|e| self.db(e))?;
        Ok(Some(DocumentShape {
            text_sha256,
            sentence_bounds,
        }))
    }

    fn insert_document(&mut self, document: &StoredDocument) -> StoreResult<()> {
        let doc = &document.row;
        self.tx
            .execute(
                "INSERT INTO documents (id, title, text, text_sha256, char_count, source, url,
                    published, encoding, metadata, origin, imported_at, sentence_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    doc.id,
                    doc.title,
                    doc.text,
                    document.text_sha256,
                    document.char_count as i64,
                    doc.source,
                    doc.url,
                    doc.published,
                    doc.encoding,
                    doc.metadata,
                    doc.origin,
                    doc.imported_at,
                    doc.sentence_count as i64,
                ],
            )
            .map_err(|e| self.db(e))?;
        let mut write = self
            .tx
            .prepare_cached(
                "INSERT INTO sentences (doc_id, idx, start_char, end_char, text, boilerplate,
                    boilerplate_reason, boilerplate_auto, boilerplate_updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(|e| classify(self.location, e))?;
        for sentence in &document.sentences {
            let row = &sentence.row;
            write
                .execute(params![
                    doc.id,
                    row.index as i64,
                    row.start as i64,
                    row.end as i64,
                    row.text,
                    row.boilerplate,
                    row.boilerplate_reason,
                    sentence.boilerplate_auto,
                    sentence.boilerplate_updated_at,
                ])
                .map_err(|e| classify(self.location, e))?;
        }
        Ok(())
    }

    fn add_annotator(&mut self, annotator: &AnnotatorRow) -> StoreResult<bool> {
        self.tx
            .execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?1, ?2)",
                params![annotator.name, annotator.created_at],
            )
            .map(|n| n > 0)
            .map_err(|e| self.db(e))
    }

    fn entity_named(&mut self, canonical_name: &str) -> StoreResult<Option<String>> {
        self.tx
            .query_row(
                "SELECT id FROM entities WHERE canonical_name = ?1",
                [canonical_name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db(e))
    }

    fn entity_exists(&mut self, id: &str) -> StoreResult<bool> {
        self.tx
            .query_row("SELECT 1 FROM entities WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
            .map_err(|e| self.db(e))
    }

    fn insert_entity(&mut self, entity: &EntityRow) -> StoreResult<()> {
        self.tx
            .execute(
                "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    entity.id,
                    entity.canonical_name,
                    entity.kind,
                    entity.note,
                    entity.created_at,
                    entity.updated_at
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn add_alias(&mut self, alias: &AliasRow, at: &str) -> StoreResult<bool> {
        self.tx
            .execute(
                "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![alias.entity_id, alias.alias, alias.alias_folded, at],
            )
            .map(|n| n > 0)
            .map_err(|e| self.db(e))
    }

    fn claim(&mut self, id: &str) -> StoreResult<Option<ClaimRow>> {
        get_claim(&self.tx, id).map_err(|e| self.db(e))
    }

    fn put_claim(&mut self, claim: &ClaimRow) -> StoreResult<()> {
        put_claim(&self.tx, claim).map_err(|e| self.db(e))
    }

    fn mark(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<Option<MarkRow>> {
        get_mark(&self.tx, doc_id, sentence_idx, annotator).map_err(|e| self.db(e))
    }

    fn put_mark(&mut self, mark: &MarkRow) -> StoreResult<()> {
        put_mark(&self.tx, mark).map_err(|e| self.db(e))
    }

    fn gold_claim(&mut self, id: &str) -> StoreResult<Option<GoldClaimRow>> {
        get_gold_claim(&self.tx, id).map_err(|e| self.db(e))
    }

    fn put_gold_claim(&mut self, gold: &GoldClaimRow) -> StoreResult<()> {
        put_gold_claim(&self.tx, gold).map_err(|e| self.db(e))
    }

    fn gold_sentence(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<GoldSentenceRow>> {
        get_gold_sentence(&self.tx, doc_id, sentence_idx).map_err(|e| self.db(e))
    }

    fn put_gold_sentence(&mut self, gold: &GoldSentenceRow) -> StoreResult<()> {
        put_gold_sentence(&self.tx, gold).map_err(|e| self.db(e))
    }

    fn boilerplate_flag(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<BoilerplateFlag>> {
        self.tx
            .prepare_cached(
                "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
                 FROM sentences WHERE doc_id = ?1 AND idx = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![doc_id, sentence_idx as i64], flag_from_row)
                    .optional()
            })
            .map_err(|e| self.db(e))
    }

    fn put_boilerplate_flag(&mut self, flag: &BoilerplateFlag) -> StoreResult<()> {
        self.tx
            .execute(
                "UPDATE sentences SET boilerplate = ?3, boilerplate_reason = ?4,
                        boilerplate_updated_at = ?5
                 WHERE doc_id = ?1 AND idx = ?2",
                params![
                    flag.doc_id,
                    flag.sentence_idx as i64,
                    flag.boilerplate,
                    flag.reason,
                    flag.updated_at
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn merge_activity(&mut self, activity: &ActivityRow) -> StoreResult<()> {
        self.tx
            .execute(
                "INSERT INTO sentence_activity (doc_id, sentence_idx, annotator, active_s,
                    first_seen_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET
                    active_s = max(active_s, excluded.active_s),
                    first_seen_at = min(first_seen_at, excluded.first_seen_at),
                    last_seen_at = max(last_seen_at, excluded.last_seen_at)",
                params![
                    activity.doc_id,
                    activity.sentence_idx as i64,
                    activity.annotator,
                    activity.active_s,
                    activity.first_seen_at,
                    activity.last_seen_at
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn seen_hash(
        &mut self,
        source_project: &str,
        kind: &str,
        key: &str,
    ) -> StoreResult<Option<String>> {
        self.tx
            .prepare_cached(
                "SELECT content_hash FROM merge_seen
                 WHERE project_id = ?1 AND item_kind = ?2 AND item_key = ?3",
            )
            .and_then(|mut s| {
                s.query_row(params![source_project, kind, key], |r| r.get(0))
                    .optional()
            })
            .map_err(|e| self.db(e))
    }

    fn set_seen_hash(
        &mut self,
        source_project: &str,
        kind: &str,
        key: &str,
        hash: &str,
    ) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO merge_seen (project_id, item_kind, item_key, content_hash)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![source_project, kind, key, hash]))
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn record_source(&mut self, source_project: &str, location: &str, at: &str) -> StoreResult<()> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO merge_sources (project_id, last_path, last_merged_at)
                 VALUES (?1, ?2, ?3)",
                params![source_project, location, at],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn commit(self: Box<Self>) -> StoreResult<()> {
        let location = self.location;
        self.tx.commit().map_err(|e| classify(location, e))
    }
}

/// The first table whose definition differs between the two databases (both at this
/// schema version, so the same `CREATE TABLE` text is expected), if any.
fn same_tables(
    ours: &rusqlite::Connection,
    theirs: &rusqlite::Connection,
) -> rusqlite::Result<Option<String>> {
    let tables = |conn: &rusqlite::Connection| -> rusqlite::Result<HashMap<String, String>> {
        conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    };
    let theirs = tables(theirs)?;
    let mut ours: Vec<(String, String)> = tables(ours)?.into_iter().collect();
    ours.sort();
    for (name, sql) in ours {
        match theirs.get(&name) {
            None => return Ok(Some(format!("no table {name}"))),
            Some(their_sql) if their_sql != &sql => {
                return Ok(Some(format!("table {name} is defined differently")));
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

/// What a sound Isnad database never holds, and the checks of SQLite cannot see: a text that
/// does not match its checksum or its length, sentences that do not fit their document,
/// spans outside their document or sentence. The first one found, if any.
fn inconsistency(conn: &rusqlite::Connection) -> rusqlite::Result<Option<String>> {
    let mut lengths: HashMap<String, (usize, Vec<(usize, usize)>)> = HashMap::new();
    {
        let mut docs = conn
            .prepare("SELECT id, text, text_sha256, char_count, sentence_count FROM documents")?;
        let mut rows = docs.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let text: String = row.get(1)?;
            let sha: String = row.get(2)?;
            let char_count: i64 = row.get(3)?;
            let sentence_count: i64 = row.get(4)?;
            if text_sha256(&text) != sha {
                return Ok(Some(format!(
                    "document {id:?}: its text does not match its checksum"
                )));
            }
            let offsets: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect();
            let chars = offsets.len() - 1;
            if usize::try_from(char_count).ok() != Some(chars) {
                return Ok(Some(format!(
                    "document {id:?}: char_count {char_count}, text has {chars}"
                )));
            }
            let mut sentences = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT idx, start_char, end_char, text FROM sentences WHERE doc_id = ?1 ORDER BY idx",
            )?;
            let mut srows = stmt.query([&id])?;
            while let Some(s) = srows.next()? {
                let idx: i64 = s.get(0)?;
                let (start, end): (i64, i64) = (s.get(1)?, s.get(2)?);
                let stext: String = s.get(3)?;
                let fits = usize::try_from(idx).ok() == Some(sentences.len())
                    && start >= 0
                    && start < end
                    && usize::try_from(end).is_ok_and(|e| e <= chars)
                    && text.get(offsets[start as usize]..offsets[end as usize])
                        == Some(stext.as_str());
                if !fits {
                    return Ok(Some(format!(
                        "document {id:?}: sentence {idx} does not fit the text"
                    )));
                }
                sentences.push((start as usize, end as usize));
            }
            if usize::try_from(sentence_count).ok() != Some(sentences.len()) {
                return Ok(Some(format!(
                    "document {id:?}: sentence_count {sentence_count}, {} sentences",
                    sentences.len()
                )));
            }
            lengths.insert(id, (chars, sentences));
        }
    }
    for table in ["claims", "gold_claims"] {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, doc_id, sentence_idx, speaker_start, speaker_end, target_start, target_end,
                    cue_start, cue_end, content_start, content_end FROM {table}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let doc_id: String = row.get(1)?;
            let sentence: i64 = row.get(2)?;
            let Some((chars, sentences)) = lengths.get(&doc_id) else {
                return Ok(Some(format!("{table} {id:?}: no document {doc_id:?}")));
            };
            let Some(&(sentence_start, sentence_end)) = usize::try_from(sentence)
                .ok()
                .and_then(|i| sentences.get(i))
            else {
                return Ok(Some(format!("{table} {id:?}: no sentence {sentence}")));
            };
            for (role, column, within_sentence) in [
                ("speaker", 3, false),
                ("target", 5, false),
                ("cue", 7, true),
                ("content", 9, true),
            ] {
                let (start, end): (Option<i64>, Option<i64>) =
                    (row.get(column)?, row.get(column + 1)?);
                let (Some(start), Some(end)) = (start, end) else {
                    continue;
                };
                let (lo, hi) = if within_sentence {
                    (sentence_start as i64, sentence_end as i64)
                } else {
                    (0, *chars as i64)
                };
                if start < lo || start >= end || end > hi {
                    return Ok(Some(format!(
                        "{table} {id:?}: the {role} span {start}..{end} is outside its {}",
                        if within_sentence {
                            "sentence"
                        } else {
                            "document"
                        }
                    )));
                }
            }
        }
    }
    Ok(None)
}
