//! The document list after migration 003 (`schema/003_progress.sql`): a database made at
//! schema version 1 upgrades and lists exactly what the version-1 queries listed, and the
//! progress the triggers keep stays equal to a count of the decisions through every kind of
//! write (claims confirmed, deleted, restored, moved; marks; boilerplate flags; rows deleted).
//!
//! The reference is the version-1 SQL itself (copied from the code that ran before the
//! migration), run on the same database.

use std::path::Path;

use rusqlite::{Connection, params};

use super::connection::SqliteStore;
use super::migrations::{self, SCHEMA_VERSION};
use super::rows::{put_claim, put_gold_sentence, put_mark};
use crate::domain::*;
use crate::store::interface::Access;
use crate::store::location::Location;

/// A store left at schema version `version`.
fn store_at_version(path: &Path, version: i64) -> SqliteStore {
    let conn = Connection::open(path).unwrap();
    let mut store = SqliteStore {
        conn,
        location: Location::from(path),
        path: path.to_path_buf(),
        access: Access::ReadWrite,
    };
    store.configure().unwrap();
    migrations::migrate_to(&mut store.conn, &store.location, version).unwrap();
    assert_eq!(store.user_version().unwrap(), version);
    store
}

// ---------------------------------------------------------------- the version-1 queries

const GOLD_DONE_SUBQUERY: &str = "(SELECT count(*) FROM gold_sentences g
    JOIN sentences s ON s.doc_id = g.doc_id AND s.idx = g.sentence_idx
    WHERE g.doc_id = d.id AND g.deleted = 0 AND s.boilerplate = 0)";

const DONE_SUBQUERY: &str = "CASE WHEN ?4 IS NULL THEN 0 ELSE (
    SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0 AND (
        EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = s.doc_id AND c.sentence_idx = s.idx
                AND c.annotator = ?4 AND c.status = 'confirmed' AND c.deleted = 0)
        OR EXISTS (SELECT 1 FROM sentence_marks m WHERE m.doc_id = s.doc_id
                AND m.sentence_idx = s.idx AND m.annotator = ?4 AND m.deleted = 0))) END";

const COUNT_COLUMNS: &str = "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.id),
    (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0)";

fn v1_status_ctes(status: StatusFilter, text: bool) -> String {
    let text_filter = if text {
        "(d.title LIKE ?1 ESCAPE '\\' OR d.id LIKE ?1 ESCAPE '\\')"
    } else {
        "?1 = '%%'"
    };
    let content = "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.id AND s.boilerplate = 0)";
    let chosen = match status {
        StatusFilter::All | StatusFilter::NotStarted => format!(
            "SELECT d.rowid, 0 FROM documents d
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
    format!(
        "WITH decided(doc_id, sentence_idx) AS (
            SELECT doc_id, sentence_idx FROM gold_sentences WHERE ?5 AND deleted = 0
            UNION
            SELECT doc_id, sentence_idx FROM claims
             WHERE NOT ?5 AND annotator = ?4 AND status = 'confirmed' AND deleted = 0
            UNION
            SELECT doc_id, sentence_idx FROM sentence_marks
             WHERE NOT ?5 AND annotator = ?4 AND deleted = 0
         ),
         progress(doc_id, done) AS (
            SELECT x.doc_id, count(*) FROM decided x
              JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx
             WHERE s.boilerplate = 0
             GROUP BY x.doc_id
         ),
         chosen(r, done) AS ({chosen})"
    )
}

fn like(text: &str) -> String {
    format!("%{}%", super::documents::escape_like(text))
}

/// What the version-1 code listed: (page, count).
fn v1_list(conn: &Connection, q: &DocumentListQuery<'_>) -> (Vec<DocumentSummary>, usize) {
    let row = |r: &rusqlite::Row<'_>| {
        Ok(DocumentSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            sentence_count: r.get::<_, i64>(2)? as usize,
            content_sentences: r.get::<_, i64>(3)? as usize,
            done_sentences: r.get::<_, i64>(4)? as usize,
        })
    };
    let args = params![
        like(q.text),
        q.limit as i64,
        q.offset as i64,
        q.annotator,
        q.gold
    ];
    let (page_sql, count_sql) = if q.status == StatusFilter::All {
        let text_filter = if q.text.is_empty() {
            "?1 = ?1"
        } else {
            "(d.title LIKE ?1 ESCAPE '\\' OR d.id LIKE ?1 ESCAPE '\\')"
        };
        (
            format!(
                "SELECT d.id, d.title, {COUNT_COLUMNS},
                    CASE WHEN ?5 THEN {GOLD_DONE_SUBQUERY} ELSE {DONE_SUBQUERY} END
                 FROM documents d WHERE {text_filter} ORDER BY d.rowid LIMIT ?2 OFFSET ?3"
            ),
            format!(
                "SELECT count(*) FROM documents d
                 WHERE {text_filter} AND ?2 = ?2 AND ?3 = ?3 AND ?4 IS ?4 AND ?5 = ?5"
            ),
        )
    } else {
        let ctes = v1_status_ctes(q.status, !q.text.is_empty());
        (
            format!(
                "{ctes} SELECT d.id, d.title, {COUNT_COLUMNS}, c.done
                 FROM (SELECT r, done FROM chosen ORDER BY r LIMIT ?2 OFFSET ?3) c
                 JOIN documents d ON d.rowid = c.r
                 ORDER BY c.r"
            ),
            format!("{ctes} SELECT count(*) FROM chosen WHERE ?2 = ?2 AND ?3 = ?3"),
        )
    };
    let page = conn
        .prepare(&page_sql)
        .unwrap()
        .query_map(args, row)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let count: i64 = conn.query_row(&count_sql, args, |r| r.get(0)).unwrap();
    (page, count as usize)
}

/// Every list the app or the CLI can ask for, from both the current code and the
/// version-1 SQL: they must agree.
fn assert_lists_match_version_1(store: &SqliteStore, context: &str) {
    for annotator in [Some("a1"), Some("a2"), Some("a3"), Some("nobody"), None] {
        for gold in [false, true] {
            for status in [
                StatusFilter::All,
                StatusFilter::NotStarted,
                StatusFilter::InProgress,
                StatusFilter::Done,
            ] {
                for text in ["", "خبر 1", "%"] {
                    for (offset, limit) in [(0, 100), (1, 3), (7, 2)] {
                        let query = DocumentListQuery {
                            text,
                            status,
                            annotator,
                            gold,
                            offset,
                            limit,
                        };
                        let (page, count) = v1_list(&store.conn, &query);
                        assert_eq!(
                            store.document_summaries(&query).unwrap(),
                            page,
                            "{context}: {query:?}"
                        );
                        assert_eq!(
                            store.count_documents(&query).unwrap(),
                            count,
                            "{context}: {query:?}"
                        );
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- data

/// SplitMix64, so that the sequence of writes is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const DOCUMENTS: usize = 12;

fn sentence_count(doc: usize) -> usize {
    3 + doc % 4
}

fn doc_id(doc: usize) -> String {
    format!("d{doc:02}")
}

fn fill_documents(store: &mut SqliteStore) {
    let files: Vec<FileImport> = (0..DOCUMENTS)
        .map(|doc| {
            let n = sentence_count(doc);
            let sentences: Vec<String> =
                (0..n).map(|i| format!("جملة {i} من خبر {doc}.")).collect();
            let text = sentences.join(" ");
            let mut start = 0;
            let rows = sentences
                .iter()
                .enumerate()
                .map(|(i, sentence)| {
                    let len = sentence.chars().count();
                    let row = NewSentence {
                        start,
                        end: start + len,
                        text: sentence.clone(),
                        // Some sentences are boilerplate from the start.
                        boilerplate: ((doc + i) % 5 == 0).then(|| "read_also".to_owned()),
                    };
                    start += len + 1;
                    row
                })
                .collect();
            FileImport {
                origin: format!("{doc}.txt"),
                documents: vec![NewDocument {
                    id: doc_id(doc),
                    title: format!("خبر {doc}"),
                    text,
                    source: None,
                    url: None,
                    published: None,
                    encoding: "utf-8".into(),
                    metadata: serde_json::Map::new(),
                    origin: format!("{doc}.txt"),
                    sentences: rows,
                }],
            }
        })
        .collect();
    for result in store.import_files(&files).unwrap() {
        result.result.unwrap();
    }
}

fn claim(id: usize, doc: usize, sentence: usize, annotator: &str, confirmed: bool) -> ClaimRow {
    ClaimRow {
        id: format!("c{id}"),
        doc_id: doc_id(doc),
        sentence_idx: sentence,
        annotator: annotator.to_owned(),
        status: if confirmed {
            ClaimStatus::Confirmed
        } else {
            ClaimStatus::Draft
        },
        stance: Some("favor".into()),
        claim_type: None,
        speaker_entity: None,
        speaker_span: None,
        target_entity: None,
        target_span: None,
        cue_span: None,
        content_span: None,
        note: String::new(),
        lead_time_s: 1.0,
        schema_version: 1,
        origin: "manual".into(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        deleted: false,
    }
}

fn mark(doc: usize, sentence: usize, annotator: &str, deleted: bool) -> MarkRow {
    MarkRow {
        doc_id: doc_id(doc),
        sentence_idx: sentence,
        annotator: annotator.to_owned(),
        mark: "no_claim".into(),
        lead_time_s: 1.0,
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        deleted,
    }
}

const ANNOTATORS: [&str; 3] = ["a1", "a2", "a3"];

/// One random write of any kind the store makes (or another SQLite client could make),
/// in its own transaction.
fn random_write(store: &mut SqliteStore, rng: &mut Rng, claims: &mut Vec<ClaimRow>) {
    let doc = rng.below(DOCUMENTS);
    let sentence = rng.below(sentence_count(doc));
    let annotator = ANNOTATORS[rng.below(ANNOTATORS.len())];
    let tx = store.conn.transaction().unwrap();
    match rng.below(9) {
        // A new claim, draft or confirmed.
        0 | 1 => {
            let new = claim(claims.len(), doc, sentence, annotator, rng.below(3) > 0);
            put_claim(&tx, &new).unwrap();
            claims.push(new);
        }
        // An existing claim confirmed, made a draft again, deleted or restored.
        2 | 3 if !claims.is_empty() => {
            let index = rng.below(claims.len());
            let changed = &mut claims[index];
            match rng.below(3) {
                0 => changed.status = ClaimStatus::Confirmed,
                1 => changed.status = ClaimStatus::Draft,
                _ => changed.deleted = !changed.deleted,
            }
            put_claim(&tx, changed).unwrap();
        }
        // A claim moved to another sentence (or annotator) of the same document.
        4 if !claims.is_empty() => {
            let index = rng.below(claims.len());
            let moved = &mut claims[index];
            let doc: usize = moved.doc_id[1..].parse().unwrap();
            moved.sentence_idx = rng.below(sentence_count(doc));
            if rng.below(2) == 0 {
                moved.annotator = annotator.to_owned();
            }
            put_claim(&tx, moved).unwrap();
        }
        // A claim row deleted outright.
        5 if !claims.is_empty() => {
            let index = rng.below(claims.len());
            let gone = claims.swap_remove(index);
            tx.execute("DELETE FROM claims WHERE id = ?1", [&gone.id])
                .unwrap();
        }
        // A "no claim" mark made, deleted, restored, or its row removed.
        6 => match rng.below(3) {
            0 => tx
                .execute(
                    "DELETE FROM sentence_marks
                     WHERE doc_id = ?1 AND sentence_idx = ?2 AND annotator = ?3",
                    params![doc_id(doc), sentence as i64, annotator],
                )
                .map(|_| ())
                .unwrap(),
            deleted => put_mark(&tx, &mark(doc, sentence, annotator, deleted == 1)).unwrap(),
        },
        // A boilerplate flag set or cleared.
        7 => {
            tx.execute(
                "UPDATE sentences SET boilerplate = 1 - boilerplate WHERE doc_id = ?1 AND idx = ?2",
                params![doc_id(doc), sentence as i64],
            )
            .unwrap();
        }
        // A gold decision (the adjudication progress is listed too).
        _ => put_gold_sentence(
            &tx,
            &GoldSentenceRow {
                doc_id: doc_id(doc),
                sentence_idx: sentence,
                status: "no_claim".into(),
                decision: "adjudicated".into(),
                n_annotators: 2,
                decided_by: "lead".into(),
                decided_at: "2026-01-01T00:00:00.000Z".into(),
                updated_at: "2026-01-01T00:00:00.000Z".into(),
                deleted: rng.below(3) == 0,
            },
        )
        .unwrap(),
    }
    tx.commit().unwrap();
}

fn register_annotators(store: &mut SqliteStore) {
    for name in ANNOTATORS {
        store.ensure_annotator(name).unwrap();
    }
}

#[test]
fn a_version_1_database_upgrades_and_lists_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let mut rng = Rng(2026);
    let mut claims = Vec::new();
    let queries: Vec<DocumentListQuery<'static>> = [Some("a1"), Some("a2"), None]
        .into_iter()
        .flat_map(|annotator| {
            [
                StatusFilter::All,
                StatusFilter::NotStarted,
                StatusFilter::InProgress,
                StatusFilter::Done,
            ]
            .into_iter()
            .flat_map(move |status| {
                [false, true]
                    .into_iter()
                    .map(move |gold| DocumentListQuery {
                        text: "",
                        status,
                        annotator,
                        gold,
                        offset: 0,
                        limit: 100,
                    })
            })
        })
        .collect();
    let before: Vec<_> = {
        let mut store = store_at_version(&path, 1);
        fill_documents(&mut store);
        register_annotators(&mut store);
        for _ in 0..400 {
            random_write(&mut store, &mut rng, &mut claims);
        }
        // Two documents decided whole by a1 (one with marks, one with claims).
        let tx = store.conn.transaction().unwrap();
        for sentence in 0..sentence_count(0) {
            put_mark(&tx, &mark(0, sentence, "a1", false)).unwrap();
            put_claim(
                &tx,
                &claim(
                    1000 + sentence,
                    1,
                    sentence.min(sentence_count(1) - 1),
                    "a1",
                    true,
                ),
            )
            .unwrap();
        }
        tx.commit().unwrap();
        // The lists as version 1 gave them.
        queries.iter().map(|q| v1_list(&store.conn, q)).collect()
    };
    // Every status occurs, so the comparison means something.
    for wanted in [
        StatusFilter::NotStarted,
        StatusFilter::InProgress,
        StatusFilter::Done,
    ] {
        assert!(
            queries
                .iter()
                .zip(&before)
                .any(|(q, (page, _))| q.status == wanted && !q.gold && !page.is_empty()),
            "no {wanted:?} document"
        );
    }

    let store = SqliteStore::open(&path, Access::ReadWrite).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_problems().unwrap().is_empty());
    for (query, (page, count)) in queries.iter().zip(&before) {
        assert_eq!(store.document_summaries(query).unwrap(), *page, "{query:?}");
        assert_eq!(store.count_documents(query).unwrap(), *count, "{query:?}");
    }
    assert_lists_match_version_1(&store, "after the upgrade");
}

#[test]
fn progress_stays_exact_through_every_kind_of_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let mut store = SqliteStore::open(&path, Access::ReadWrite).unwrap();
    fill_documents(&mut store);
    register_annotators(&mut store);
    let mut rng = Rng(6);
    let mut claims = Vec::new();
    for step in 0..1500 {
        random_write(&mut store, &mut rng, &mut claims);
        let problems = store.progress_problems().unwrap();
        assert!(problems.is_empty(), "after write {step}: {problems:?}");
        if step % 250 == 249 {
            assert_lists_match_version_1(&store, &format!("after write {step}"));
        }
    }
    // A checker that cannot fail proves nothing: a count made behind the triggers' back is
    // caught.
    store
        .conn
        .execute(
            "INSERT INTO annotator_progress (annotator, doc_id, done) VALUES ('a9', 'd00', 2)",
            [],
        )
        .unwrap();
    assert_eq!(store.progress_problems().unwrap().len(), 1);
}

#[test]
fn the_document_total_follows_every_insert_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    // A database made before version 4 gets its total from the documents it already holds.
    let mut store = store_at_version(&dir.path().join("v3.db"), 3);
    fill_documents(&mut store);
    store.migrate().unwrap();
    assert_eq!(store.document_count().unwrap(), DOCUMENTS);
    assert!(store.integrity_problems().unwrap().is_empty());
    // Another SQLite client deletes a document; a merge-like insert adds one back.
    store
        .conn
        .execute("DELETE FROM documents WHERE id = 'd03'", [])
        .unwrap();
    assert_eq!(store.document_count().unwrap(), DOCUMENTS - 1);
    let all = DocumentListQuery {
        text: "",
        status: StatusFilter::All,
        annotator: None,
        gold: false,
        offset: 0,
        limit: 100,
    };
    assert_eq!(store.count_documents(&all).unwrap(), DOCUMENTS - 1);
    assert_eq!(store.document_summaries(&all).unwrap().len(), DOCUMENTS - 1);
    assert!(store.integrity_problems().unwrap().is_empty());
    // A total changed behind the triggers' back is caught by the integrity check.
    store
        .conn
        .execute("UPDATE document_total SET documents = 99", [])
        .unwrap();
    let problems = store.integrity_problems().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("document_total says 99"),
        "{problems:?}"
    );
}
