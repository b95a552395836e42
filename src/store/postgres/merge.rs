//! Merge bookkeeping for PostgreSQL: this store as the source of a merge ([`MergeSource`]:
//! every row, the shape and consistency checks) and as its target ([`PgMerge`], one
//! transaction), as `../sqlite/merge.rs` does for SQLite. The algorithm is the
//! backend-neutral one of `crate::store::merge`, so a package (`isnad merge
//! package.isnad.db`) merges into a server project exactly as into a file.
//!
//! Reads of the source are batched by import order (documents) or key (claims) so that
//! memory follows a batch, not the corpus, except where the SQLite backend keeps the same
//! (the sentence bounds of every document while checking spans).

use std::collections::HashMap;

use postgres::types::Type;

use super::connection::{Fail, PgResult, PgStore, classify};
use super::documents::{ColumnBatch, document_batch, text_sha256};
use super::rows::{
    CLAIM_COLUMNS, ENTITY_COLUMNS, GOLD_CLAIM_COLUMNS, GOLD_SENTENCE_COLUMNS, MARK_COLUMNS,
    claim_from_row, entity_from_row, flag, get_claim, get_gold_claim, get_gold_sentence, get_mark,
    gold_claim_from_row, gold_sentence_from_row, mark_from_row, put_claim, put_gold_claim,
    put_gold_sentence, put_mark,
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

/// The tables this Isnad makes on a server and their columns (name, type, `not null`), as
/// [`table_definitions`] describes them: what a source must have to be merged. A new
/// migration that adds or changes a column changes this list too (the conformance merge
/// tests fail until it does: every merge checks its source against it).
const TABLES: &[(&str, &str)] = &[
    (
        "action_log",
        "seq bigint not null, annotator text not null, session_id text not null, \
         at text not null, label text not null, changes text not null, state text not null",
    ),
    (
        "annotator_progress",
        "annotator text not null, doc_id text not null, done bigint not null",
    ),
    ("annotators", "name text not null, created_at text not null"),
    (
        "assignments",
        "doc_id text not null, annotator text not null, overlap bigint not null, \
         assigned_at text not null",
    ),
    (
        "claims",
        "id text not null, doc_id text not null, sentence_idx bigint not null, \
         annotator text not null, status text not null, stance text, claim_type text, \
         speaker_entity text, speaker_start bigint, speaker_end bigint, target_entity text, \
         target_start bigint, target_end bigint, cue_start bigint, cue_end bigint, \
         content_start bigint, content_end bigint, note text not null, \
         lead_time_s double precision not null, schema_version bigint not null, \
         origin text not null, created_at text not null, updated_at text not null, \
         deleted bigint not null",
    ),
    (
        "document_total",
        "only bigint not null, documents bigint not null",
    ),
    (
        "documents",
        "id text not null, title text not null, text text not null, \
         text_sha256 text not null, char_count bigint not null, source text, url text, \
         published text, encoding text not null, metadata text not null, origin text, \
         imported_at text not null, sentence_count bigint not null, import_seq bigint not null",
    ),
    (
        "entities",
        "id text not null, canonical_name text not null, kind text not null, \
         note text not null, created_at text not null, updated_at text not null, \
         created_by text not null",
    ),
    (
        "entity_aliases",
        "entity_id text not null, alias text not null, alias_folded text not null, \
         created_at text not null, created_by text not null",
    ),
    (
        "gold_claims",
        "id text not null, doc_id text not null, sentence_idx bigint not null, \
         stance text not null, claim_type text, speaker_entity text, speaker_start bigint, \
         speaker_end bigint, target_entity text, target_start bigint, target_end bigint, \
         cue_start bigint, cue_end bigint, content_start bigint, content_end bigint, \
         note text not null, decision text not null, source_claims text not null, \
         n_annotators bigint not null, decided_by text not null, decided_at text not null, \
         updated_at text not null, deleted bigint not null",
    ),
    (
        "gold_sentences",
        "doc_id text not null, sentence_idx bigint not null, status text not null, \
         decision text not null, n_annotators bigint not null, decided_by text not null, \
         decided_at text not null, updated_at text not null, deleted bigint not null",
    ),
    (
        "isnad_schema",
        "version bigint not null, name text not null, applied_at text not null, \
         applied_by text not null",
    ),
    (
        "merge_seen",
        "project_id text not null, item_kind text not null, item_key text not null, \
         content_hash text not null",
    ),
    (
        "merge_sources",
        "project_id text not null, last_path text not null, last_merged_at text not null",
    ),
    ("project_meta", "key text not null, value text not null"),
    (
        "project_users",
        "name text not null, role text not null, created_at text not null",
    ),
    (
        "sentence_activity",
        "doc_id text not null, sentence_idx bigint not null, annotator text not null, \
         active_s double precision not null, first_seen_at text not null, \
         last_seen_at text not null",
    ),
    (
        "sentence_marks",
        "doc_id text not null, sentence_idx bigint not null, annotator text not null, \
         mark text not null, lead_time_s double precision not null, created_at text not null, \
         updated_at text not null, deleted bigint not null",
    ),
    (
        "sentences",
        "doc_id text not null, idx bigint not null, start_char bigint not null, \
         end_char bigint not null, text text not null, boilerplate bigint not null, \
         boilerplate_reason text, boilerplate_auto text, boilerplate_updated_at text",
    ),
];

/// Claims (or gold claims) read per round trip while checking their spans.
const CLAIM_BATCH: i64 = 5000;

impl PgStore {
    /// A read error of this store as the source of a merge: named as the source's (a lost
    /// connection stays what it is).
    fn theirs(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Backend { location, source } => {
                StoreError::Invalid(format!("reading {location}: {source}"))
            }
            other => other,
        }
    }

    /// Every row of a query, read as the source of a merge.
    fn source_rows<T>(
        &self,
        sql: &str,
        read: fn(&postgres::Row) -> PgResult<T>,
    ) -> StoreResult<Vec<T>> {
        self.read(|client| client.query(sql, &[])?.iter().map(read).collect())
            .map_err(|e| self.theirs(e))
    }

    /// Starts a merge into this store: one transaction (repeatable read, so that a row
    /// an annotator changes while the merge runs makes the merge fail, and be run again,
    /// rather than be overwritten unseen), refused at once when the store is read-only.
    pub fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly {
                location: self.location.clone(),
            });
        }
        let location = self.location.clone();
        let client = self.client_mut()?;
        let tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .map_err(|e| classify(&location, e))?;
        Ok(Box::new(PgMerge { tx, location }))
    }
}

impl MergeSource for PgStore {
    fn schema_difference(&self) -> StoreResult<Option<String>> {
        let theirs = self.read(table_definitions).map_err(|e| self.theirs(e))?;
        for (name, columns) in TABLES {
            match theirs.get(*name) {
                None => return Ok(Some(format!("no table {name}"))),
                Some(found) if found != columns => {
                    return Ok(Some(format!("table {name} is defined differently")));
                }
                Some(_) => {}
            }
        }
        Ok(None)
    }

    fn inconsistency(&self) -> StoreResult<Option<String>> {
        let mut lengths: Shapes = HashMap::new();
        let mut after = 0i64;
        loop {
            let (docs, complete) = self
                .read(|client| checked_documents(client, after))
                .map_err(|e| self.theirs(e))?;
            for doc in docs {
                after = doc.seq;
                match doc.check() {
                    Ok(shape) => lengths.insert(doc.id, shape),
                    Err(problem) => return Ok(Some(problem)),
                };
            }
            if complete {
                break;
            }
        }
        for table in ["claims", "gold_claims"] {
            let mut after = String::new();
            loop {
                let spans = self
                    .read(|client| claim_spans(client, table, &after))
                    .map_err(|e| self.theirs(e))?;
                for span in &spans {
                    if let Some(problem) = span.problem(table, &lengths) {
                        return Ok(Some(problem));
                    }
                }
                match spans.last() {
                    Some(last) if spans.len() == CLAIM_BATCH as usize => after = last.id.clone(),
                    _ => break,
                }
            }
        }
        Ok(None)
    }

    fn for_each_stored_document(
        &self,
        each: &mut dyn FnMut(StoredDocument) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut after = 0i64;
        loop {
            let (last, documents) = self
                .read(|client| stored_documents(client, after))
                .map_err(|e| self.theirs(e))?;
            for document in documents {
                each(document)?;
            }
            match last {
                Some(seq) => after = seq,
                None => return Ok(()),
            }
        }
    }

    fn annotator_rows(&self) -> StoreResult<Vec<AnnotatorRow>> {
        self.source_rows(
            "SELECT name, created_at FROM annotators
             ORDER BY created_at COLLATE \"C\", name COLLATE \"C\"",
            |r| {
                Ok(AnnotatorRow {
                    name: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                })
            },
        )
    }

    fn entity_rows(&self) -> StoreResult<Vec<EntityRow>> {
        self.source_rows(
            &format!(
                "SELECT {ENTITY_COLUMNS} FROM entities
                 ORDER BY created_at COLLATE \"C\", id COLLATE \"C\""
            ),
            entity_from_row,
        )
    }

    fn alias_rows(&self) -> StoreResult<Vec<AliasRow>> {
        self.source_rows(
            "SELECT entity_id, alias, alias_folded FROM entity_aliases
             ORDER BY created_at COLLATE \"C\", entity_id COLLATE \"C\", alias COLLATE \"C\"",
            |r| {
                Ok(AliasRow {
                    entity_id: r.try_get(0)?,
                    alias: r.try_get(1)?,
                    alias_folded: r.try_get(2)?,
                })
            },
        )
    }

    /// In the order they were made (SQLite's rowid order): by creation time, then id.
    fn all_claims(&self) -> StoreResult<Vec<ClaimRow>> {
        self.source_rows(
            &format!(
                "SELECT {CLAIM_COLUMNS} FROM claims
                 ORDER BY created_at COLLATE \"C\", id COLLATE \"C\""
            ),
            claim_from_row,
        )
    }

    fn all_marks(&self) -> StoreResult<Vec<MarkRow>> {
        self.source_rows(
            &format!(
                "SELECT {MARK_COLUMNS} FROM sentence_marks
                 ORDER BY doc_id COLLATE \"C\", sentence_idx, annotator COLLATE \"C\""
            ),
            mark_from_row,
        )
    }

    fn all_gold_claims(&self) -> StoreResult<Vec<GoldClaimRow>> {
        self.source_rows(
            &format!(
                "SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims
                 ORDER BY decided_at COLLATE \"C\", id COLLATE \"C\""
            ),
            gold_claim_from_row,
        )
    }

    fn all_gold_sentences(&self) -> StoreResult<Vec<GoldSentenceRow>> {
        self.source_rows(
            &format!(
                "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences
                 ORDER BY doc_id COLLATE \"C\", sentence_idx"
            ),
            gold_sentence_from_row,
        )
    }

    fn flipped_flags(&self) -> StoreResult<Vec<BoilerplateFlag>> {
        self.source_rows(
            "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
             FROM sentences WHERE boilerplate_updated_at IS NOT NULL
             ORDER BY doc_id COLLATE \"C\", idx",
            flag_from_row,
        )
    }

    fn activity_rows(&self) -> StoreResult<Vec<ActivityRow>> {
        self.source_rows(
            "SELECT doc_id, sentence_idx, annotator, active_s, first_seen_at, last_seen_at
             FROM sentence_activity
             ORDER BY doc_id COLLATE \"C\", sentence_idx, annotator COLLATE \"C\"",
            |r| {
                Ok(ActivityRow {
                    doc_id: r.try_get(0)?,
                    sentence_idx: r.try_get::<_, i64>(1)? as usize,
                    annotator: r.try_get(2)?,
                    active_s: r.try_get(3)?,
                    first_seen_at: r.try_get(4)?,
                    last_seen_at: r.try_get(5)?,
                })
            },
        )
    }
}

/// Every table of the project's schema and its columns, described as in [`TABLES`]
/// (from the catalog, which every login may read, whatever its privileges).
fn table_definitions(client: &mut postgres::Client) -> PgResult<HashMap<String, String>> {
    client
        .query(
            "SELECT c.relname::text,
                    string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                               ', ' ORDER BY a.attnum)
               FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                AND a.attnum > 0 AND NOT a.attisdropped
              GROUP BY c.relname",
            &[],
        )?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// The next batch of documents after import order `after`, with their sentences; the
/// import order to continue after, unless this was the last batch.
fn stored_documents(
    client: &mut postgres::Client,
    after: i64,
) -> PgResult<(Option<i64>, Vec<StoredDocument>)> {
    let ids = document_batch(client, after)?;
    let names: Vec<&str> = ids.iter().map(|(_, id)| id.as_str()).collect();
    let mut documents: Vec<StoredDocument> = client
        .query_typed(
            "SELECT d.id, d.title, d.text, d.text_sha256, d.char_count, d.source, d.url,
                    d.published, d.encoding, d.metadata, d.origin, d.imported_at,
                    d.sentence_count
               FROM unnest($1) WITH ORDINALITY AS u(id, n) JOIN documents d ON d.id = u.id
              ORDER BY u.n",
            &[(&names, Type::TEXT_ARRAY)],
        )?
        .iter()
        .map(stored_document)
        .collect::<PgResult<_>>()?;
    let mut sentences = client
        .query_typed(
            "SELECT s.doc_id, s.idx, s.start_char, s.end_char, s.text, s.boilerplate,
                    s.boilerplate_reason, s.boilerplate_auto, s.boilerplate_updated_at
               FROM unnest($1) WITH ORDINALITY AS u(id, n) JOIN sentences s ON s.doc_id = u.id
              ORDER BY u.n, s.idx",
            &[(&names, Type::TEXT_ARRAY)],
        )?
        .into_iter()
        .peekable();
    for document in &mut documents {
        while let Some(row) = sentences.next_if(|row| {
            row.try_get::<_, &str>(0)
                .is_ok_and(|doc_id| doc_id == document.row.id)
        }) {
            document.sentences.push(stored_sentence(&row)?);
        }
    }
    let last = (ids.len() == super::documents::DOCUMENT_BATCH as usize)
        .then(|| ids.last().map(|(seq, _)| *seq))
        .flatten();
    Ok((last, documents))
}

/// A document row of the source (its sentences are added next).
fn stored_document(row: &postgres::Row) -> PgResult<StoredDocument> {
    Ok(StoredDocument {
        row: DocumentRow {
            id: row.try_get(0)?,
            title: row.try_get(1)?,
            text: row.try_get(2)?,
            source: row.try_get(5)?,
            url: row.try_get(6)?,
            published: row.try_get(7)?,
            encoding: row.try_get(8)?,
            metadata: row.try_get(9)?,
            origin: row.try_get(10)?,
            imported_at: row.try_get(11)?,
            sentence_count: row.try_get::<_, i64>(12)? as usize,
        },
        text_sha256: row.try_get(3)?,
        char_count: row.try_get::<_, i64>(4)? as usize,
        sentences: Vec::new(),
    })
}

fn stored_sentence(r: &postgres::Row) -> PgResult<StoredSentence> {
    Ok(StoredSentence {
        row: SentenceRow {
            doc_id: r.try_get(0)?,
            index: r.try_get::<_, i64>(1)? as usize,
            start: r.try_get::<_, i64>(2)? as usize,
            end: r.try_get::<_, i64>(3)? as usize,
            text: r.try_get(4)?,
            boilerplate: r.try_get::<_, i64>(5)? != 0,
            boilerplate_reason: r.try_get(6)?,
        },
        boilerplate_auto: r.try_get(7)?,
        boilerplate_updated_at: r.try_get(8)?,
    })
}

fn flag_from_row(row: &postgres::Row) -> PgResult<BoilerplateFlag> {
    Ok(BoilerplateFlag {
        doc_id: row.try_get(0)?,
        sentence_idx: row.try_get::<_, i64>(1)? as usize,
        boilerplate: row.try_get::<_, i64>(2)? != 0,
        reason: row.try_get(3)?,
        updated_at: row.try_get(4)?,
    })
}

// ------------------------------------------------------------------ consistency

/// Per document id: its length in code points and its sentences' (start, end).
type Shapes = HashMap<String, (usize, Vec<(usize, usize)>)>;

/// A document as the consistency check reads it, with its sentences
/// (index, start, end, text).
struct CheckedDocument {
    seq: i64,
    id: String,
    text: String,
    sha: String,
    char_count: i64,
    sentence_count: i64,
    sentences: Vec<(i64, i64, i64, String)>,
}

/// The next batch of documents to check after import order `after`; true when it is the
/// last.
fn checked_documents(
    client: &mut postgres::Client,
    after: i64,
) -> PgResult<(Vec<CheckedDocument>, bool)> {
    let batch = document_batch(client, after)?;
    let names: Vec<&str> = batch.iter().map(|(_, id)| id.as_str()).collect();
    let mut documents: Vec<CheckedDocument> = client
        .query_typed(
            "SELECT d.import_seq, d.id, d.text, d.text_sha256, d.char_count, d.sentence_count
               FROM unnest($1) WITH ORDINALITY AS u(id, n) JOIN documents d ON d.id = u.id
              ORDER BY u.n",
            &[(&names, Type::TEXT_ARRAY)],
        )?
        .iter()
        .map(|r| {
            Ok(CheckedDocument {
                seq: r.try_get(0)?,
                id: r.try_get(1)?,
                text: r.try_get(2)?,
                sha: r.try_get(3)?,
                char_count: r.try_get(4)?,
                sentence_count: r.try_get(5)?,
                sentences: Vec::new(),
            })
        })
        .collect::<PgResult<_>>()?;
    let mut sentences = client
        .query_typed(
            "SELECT s.doc_id, s.idx, s.start_char, s.end_char, s.text
               FROM unnest($1) WITH ORDINALITY AS u(id, n) JOIN sentences s ON s.doc_id = u.id
              ORDER BY u.n, s.idx",
            &[(&names, Type::TEXT_ARRAY)],
        )?
        .into_iter()
        .peekable();
    for document in &mut documents {
        while let Some(row) = sentences.next_if(|row| {
            row.try_get::<_, &str>(0)
                .is_ok_and(|doc_id| doc_id == document.id)
        }) {
            document.sentences.push((
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
            ));
        }
    }
    let complete = batch.len() < super::documents::DOCUMENT_BATCH as usize;
    Ok((documents, complete))
}

impl CheckedDocument {
    /// The document's length in code points and its sentences' bounds, or what is wrong
    /// with it (as the SQLite backend words it).
    fn check(&self) -> Result<(usize, Vec<(usize, usize)>), String> {
        let id = &self.id;
        if text_sha256(&self.text) != self.sha {
            return Err(format!(
                "document {id:?}: its text does not match its checksum"
            ));
        }
        let offsets: Vec<usize> = self
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(self.text.len()))
            .collect();
        let chars = offsets.len() - 1;
        if usize::try_from(self.char_count).ok() != Some(chars) {
            return Err(format!(
                "document {id:?}: char_count {}, text has {chars}",
                self.char_count
            ));
        }
        let mut bounds = Vec::with_capacity(self.sentences.len());
        for (idx, start, end, text) in &self.sentences {
            let (idx, start, end) = (*idx, *start, *end);
            let fits = usize::try_from(idx).ok() == Some(bounds.len())
                && start >= 0
                && start < end
                && usize::try_from(end).is_ok_and(|e| e <= chars)
                && self
                    .text
                    .get(offsets[start as usize]..offsets[end as usize])
                    == Some(text.as_str());
            if !fits {
                return Err(format!(
                    "document {id:?}: sentence {idx} does not fit the text"
                ));
            }
            bounds.push((start as usize, end as usize));
        }
        if usize::try_from(self.sentence_count).ok() != Some(bounds.len()) {
            return Err(format!(
                "document {id:?}: sentence_count {}, {} sentences",
                self.sentence_count,
                bounds.len()
            ));
        }
        Ok((chars, bounds))
    }
}

/// A claim's (or gold claim's) place and spans, as the consistency check reads them.
struct ClaimSpans {
    id: String,
    doc_id: String,
    sentence: i64,
    /// speaker, target, cue, content: (start, end) when set.
    spans: [(Option<i64>, Option<i64>); 4],
}

/// The next batch of rows of `table` (`claims` or `gold_claims`) after id `after`.
fn claim_spans(
    client: &mut postgres::Client,
    table: &str,
    after: &str,
) -> PgResult<Vec<ClaimSpans>> {
    let sql = format!(
        "SELECT id, doc_id, sentence_idx, speaker_start, speaker_end, target_start, target_end,
                cue_start, cue_end, content_start, content_end FROM {table}
          WHERE id > $1 ORDER BY id LIMIT $2"
    );
    client
        .query_typed(&sql, &[(&after, Type::TEXT), (&CLAIM_BATCH, Type::INT8)])?
        .iter()
        .map(|r| {
            Ok(ClaimSpans {
                id: r.try_get(0)?,
                doc_id: r.try_get(1)?,
                sentence: r.try_get(2)?,
                spans: [
                    (r.try_get(3)?, r.try_get(4)?),
                    (r.try_get(5)?, r.try_get(6)?),
                    (r.try_get(7)?, r.try_get(8)?),
                    (r.try_get(9)?, r.try_get(10)?),
                ],
            })
        })
        .collect()
}

impl ClaimSpans {
    /// What is wrong with the row (its document, sentence or a span), if anything.
    fn problem(&self, table: &str, lengths: &Shapes) -> Option<String> {
        let (id, doc_id, sentence) = (&self.id, &self.doc_id, self.sentence);
        let Some((chars, sentences)) = lengths.get(doc_id) else {
            return Some(format!("{table} {id:?}: no document {doc_id:?}"));
        };
        let Some(&(sentence_start, sentence_end)) = usize::try_from(sentence)
            .ok()
            .and_then(|i| sentences.get(i))
        else {
            return Some(format!("{table} {id:?}: no sentence {sentence}"));
        };
        let roles = [
            ("speaker", false),
            ("target", false),
            ("cue", true),
            ("content", true),
        ];
        for ((role, within_sentence), span) in roles.into_iter().zip(self.spans) {
            let (Some(start), Some(end)) = span else {
                continue;
            };
            let (lo, hi) = if within_sentence {
                (sentence_start as i64, sentence_end as i64)
            } else {
                (0, *chars as i64)
            };
            if start < lo || start >= end || end > hi {
                return Some(format!(
                    "{table} {id:?}: the {role} span {start}..{end} is outside its {}",
                    if within_sentence {
                        "sentence"
                    } else {
                        "document"
                    }
                ));
            }
        }
        None
    }
}

// ------------------------------------------------------------------ the target

/// A merge into a server project: one transaction on the store's connection (borrowed
/// for as long as the merge lives), rolled back when dropped uncommitted.
pub struct PgMerge<'a> {
    tx: postgres::Transaction<'a>,
    location: Location,
}

impl PgMerge<'_> {
    fn db(&self, fail: impl Into<Fail>) -> StoreError {
        match fail.into() {
            Fail::Pg(e) => classify(&self.location, e),
            Fail::Store(e) => e,
        }
    }
}

impl MergeTarget for PgMerge<'_> {
    fn document_shape(&mut self, id: &str) -> StoreResult<Option<DocumentShape>> {
        let row = self
            .tx
            .query_typed_opt(
                "SELECT d.text_sha256,
                        array_agg(s.start_char ORDER BY s.idx) FILTER (WHERE s.idx IS NOT NULL),
                        array_agg(s.end_char ORDER BY s.idx) FILTER (WHERE s.idx IS NOT NULL)
                   FROM documents d LEFT JOIN sentences s ON s.doc_id = d.id
                  WHERE d.id = $1
                  GROUP BY d.text_sha256",
                &[(&id, Type::TEXT)],
            )
            .map_err(|e| self.db(e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let read = || -> Result<DocumentShape, postgres::Error> {
            let starts: Option<Vec<i64>> = row.try_get(1)?;
            let ends: Option<Vec<i64>> = row.try_get(2)?;
            Ok(DocumentShape {
                text_sha256: row.try_get(0)?,
                sentence_bounds: starts
                    .unwrap_or_default()
                    .into_iter()
                    .zip(ends.unwrap_or_default())
                    .map(|(s, e)| (s as usize, e as usize))
                    .collect(),
            })
        };
        read().map(Some).map_err(|e| self.db(e))
    }

    fn insert_document(&mut self, document: &StoredDocument) -> StoreResult<()> {
        let doc = &document.row;
        let mut batch = ColumnBatch::default();
        let d = &mut batch.documents;
        d.id.push(&doc.id);
        d.title.push(&doc.title);
        d.text.push(&doc.text);
        d.text_sha256.push(&document.text_sha256);
        d.char_count.push(document.char_count as i64);
        d.source.push(doc.source.as_deref());
        d.url.push(doc.url.as_deref());
        d.published.push(doc.published.as_deref());
        d.encoding.push(&doc.encoding);
        d.metadata.push(&doc.metadata);
        d.origin.push(doc.origin.as_deref());
        d.imported_at.push(&doc.imported_at);
        d.sentence_count.push(doc.sentence_count as i64);
        let s = &mut batch.sentences;
        for sentence in &document.sentences {
            let row = &sentence.row;
            s.doc_id.push(&doc.id);
            s.idx.push(row.index as i64);
            s.start_char.push(row.start as i64);
            s.end_char.push(row.end as i64);
            s.text.push(&row.text);
            s.boilerplate.push(flag(row.boilerplate));
            s.boilerplate_reason.push(row.boilerplate_reason.as_deref());
            s.boilerplate_auto
                .push(sentence.boilerplate_auto.as_deref());
            s.boilerplate_updated_at
                .push(sentence.boilerplate_updated_at.as_deref());
        }
        batch.insert(&mut self.tx).map_err(|e| self.db(e))
    }

    fn add_annotator(&mut self, annotator: &AnnotatorRow) -> StoreResult<bool> {
        self.tx
            .execute_typed(
                "INSERT INTO annotators (name, created_at) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[
                    (&annotator.name, Type::TEXT),
                    (&annotator.created_at, Type::TEXT),
                ],
            )
            .map(|n| n > 0)
            .map_err(|e| self.db(e))
    }

    fn entity_named(&mut self, canonical_name: &str) -> StoreResult<Option<String>> {
        self.tx
            .query_typed_opt(
                "SELECT id FROM entities WHERE canonical_name = $1",
                &[(&canonical_name, Type::TEXT)],
            )
            .and_then(|row| row.map(|r| r.try_get(0)).transpose())
            .map_err(|e| self.db(e))
    }

    fn entity_exists(&mut self, id: &str) -> StoreResult<bool> {
        self.tx
            .query_typed_opt("SELECT 1 FROM entities WHERE id = $1", &[(&id, Type::TEXT)])
            .map(|row| row.is_some())
            .map_err(|e| self.db(e))
    }

    fn insert_entity(&mut self, entity: &EntityRow) -> StoreResult<()> {
        self.tx
            .execute_typed(
                "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    (&entity.id, Type::TEXT),
                    (&entity.canonical_name, Type::TEXT),
                    (&entity.kind, Type::TEXT),
                    (&entity.note, Type::TEXT),
                    (&entity.created_at, Type::TEXT),
                    (&entity.updated_at, Type::TEXT),
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn add_alias(&mut self, alias: &AliasRow, at: &str) -> StoreResult<bool> {
        self.tx
            .execute_typed(
                "INSERT INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
                &[
                    (&alias.entity_id, Type::TEXT),
                    (&alias.alias, Type::TEXT),
                    (&alias.alias_folded, Type::TEXT),
                    (&at, Type::TEXT),
                ],
            )
            .map(|n| n > 0)
            .map_err(|e| self.db(e))
    }

    fn claim(&mut self, id: &str) -> StoreResult<Option<ClaimRow>> {
        get_claim(&mut self.tx, id).map_err(|e| self.db(e))
    }

    fn put_claim(&mut self, claim: &ClaimRow) -> StoreResult<()> {
        put_claim(&mut self.tx, claim).map_err(|e| self.db(e))
    }

    fn mark(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<Option<MarkRow>> {
        get_mark(&mut self.tx, doc_id, sentence_idx, annotator).map_err(|e| self.db(e))
    }

    fn put_mark(&mut self, mark: &MarkRow) -> StoreResult<()> {
        put_mark(&mut self.tx, mark).map_err(|e| self.db(e))
    }

    fn gold_claim(&mut self, id: &str) -> StoreResult<Option<GoldClaimRow>> {
        get_gold_claim(&mut self.tx, id).map_err(|e| self.db(e))
    }

    fn put_gold_claim(&mut self, gold: &GoldClaimRow) -> StoreResult<()> {
        put_gold_claim(&mut self.tx, gold).map_err(|e| self.db(e))
    }

    fn gold_sentence(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<GoldSentenceRow>> {
        get_gold_sentence(&mut self.tx, doc_id, sentence_idx).map_err(|e| self.db(e))
    }

    fn put_gold_sentence(&mut self, gold: &GoldSentenceRow) -> StoreResult<()> {
        put_gold_sentence(&mut self.tx, gold).map_err(|e| self.db(e))
    }

    fn boilerplate_flag(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<BoilerplateFlag>> {
        let idx = sentence_idx as i64;
        let row = self
            .tx
            .query_typed_opt(
                "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
                 FROM sentences WHERE doc_id = $1 AND idx = $2",
                &[(&doc_id, Type::TEXT), (&idx, Type::INT8)],
            )
            .map_err(|e| self.db(e))?;
        row.map(|r| flag_from_row(&r))
            .transpose()
            .map_err(|e| self.db(e))
    }

    /// Row-level security hides a sentence from a login that may not change it: the
    /// update then changes nothing, which is refused rather than reported as merged.
    fn put_boilerplate_flag(&mut self, flag: &BoilerplateFlag) -> StoreResult<()> {
        let idx = flag.sentence_idx as i64;
        let boilerplate = super::rows::flag(flag.boilerplate);
        let changed = self
            .tx
            .execute_typed(
                "UPDATE sentences SET boilerplate = $3, boilerplate_reason = $4,
                        boilerplate_updated_at = $5
                 WHERE doc_id = $1 AND idx = $2",
                &[
                    (&flag.doc_id, Type::TEXT),
                    (&idx, Type::INT8),
                    (&boilerplate, Type::INT8),
                    (&flag.reason, Type::TEXT),
                    (&flag.updated_at, Type::TEXT),
                ],
            )
            .map_err(|e| self.db(e))?;
        if changed == 0 {
            return Err(StoreError::Denied {
                location: self.location.clone(),
                detail: format!(
                    "the boilerplate flag of sentence {} of {:?} was not changed",
                    flag.sentence_idx, flag.doc_id
                ),
            });
        }
        Ok(())
    }

    fn merge_activity(&mut self, activity: &ActivityRow) -> StoreResult<()> {
        let idx = activity.sentence_idx as i64;
        self.tx
            .execute_typed(
                "INSERT INTO sentence_activity (doc_id, sentence_idx, annotator, active_s,
                    first_seen_at, last_seen_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET
                    active_s = greatest(sentence_activity.active_s, EXCLUDED.active_s),
                    first_seen_at = least(sentence_activity.first_seen_at COLLATE \"C\",
                                          EXCLUDED.first_seen_at COLLATE \"C\"),
                    last_seen_at = greatest(sentence_activity.last_seen_at COLLATE \"C\",
                                            EXCLUDED.last_seen_at COLLATE \"C\")",
                &[
                    (&activity.doc_id, Type::TEXT),
                    (&idx, Type::INT8),
                    (&activity.annotator, Type::TEXT),
                    (&activity.active_s, Type::FLOAT8),
                    (&activity.first_seen_at, Type::TEXT),
                    (&activity.last_seen_at, Type::TEXT),
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
            .query_typed_opt(
                "SELECT content_hash FROM merge_seen
                 WHERE project_id = $1 AND item_kind = $2 AND item_key = $3",
                &[
                    (&source_project, Type::TEXT),
                    (&kind, Type::TEXT),
                    (&key, Type::TEXT),
                ],
            )
            .and_then(|row| row.map(|r| r.try_get(0)).transpose())
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
            .execute_typed(
                "INSERT INTO merge_seen (project_id, item_kind, item_key, content_hash)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (project_id, item_kind, item_key)
                 DO UPDATE SET content_hash = EXCLUDED.content_hash",
                &[
                    (&source_project, Type::TEXT),
                    (&kind, Type::TEXT),
                    (&key, Type::TEXT),
                    (&hash, Type::TEXT),
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn record_source(&mut self, source_project: &str, location: &str, at: &str) -> StoreResult<()> {
        self.tx
            .execute_typed(
                "INSERT INTO merge_sources (project_id, last_path, last_merged_at)
                 VALUES ($1, $2, $3)
                 ON CONFLICT (project_id) DO UPDATE
                 SET last_path = EXCLUDED.last_path, last_merged_at = EXCLUDED.last_merged_at",
                &[
                    (&source_project, Type::TEXT),
                    (&location, Type::TEXT),
                    (&at, Type::TEXT),
                ],
            )
            .map(|_| ())
            .map_err(|e| self.db(e))
    }

    fn commit(self: Box<Self>) -> StoreResult<()> {
        let PgMerge { tx, location } = *self;
        tx.commit().map_err(|e| classify(&location, e))
    }
}
