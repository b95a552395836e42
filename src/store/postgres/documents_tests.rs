//! Documents on a server against the same on SQLite: what the conformance suite does not
//! reach — a file the server itself refuses (the import's file-by-file path), the title
//! filter's case rules, streams longer than one batch — and the import's speed.

use super::scratch::ScratchDatabase;
use crate::domain::{DocumentListQuery, FileImport, FileImportResult, StatusFilter};
use crate::store::conformance::fixtures::document;
use crate::store::interface::{Access, Store};
use crate::store::open::{open, open_in_memory};

/// A server project and a SQLite store, both empty.
fn both() -> (ScratchDatabase, Box<dyn Store>, Box<dyn Store>) {
    let server = ScratchDatabase::project();
    let pg = open(&server.location, Access::ReadWrite).unwrap();
    (server, pg, open_in_memory().unwrap())
}

/// An import's results with the refusals' reasons reduced to whether there was one
/// (the database's own words differ between backends).
fn outcomes(results: &[FileImportResult]) -> Vec<(String, Result<Vec<String>, ()>)> {
    results
        .iter()
        .map(|r| {
            let result = match &r.result {
                Ok(docs) => Ok(docs
                    .iter()
                    .map(|(id, outcome, n)| format!("{id} {outcome:?} {n}"))
                    .collect()),
                Err(_) => Err(()),
            };
            (r.origin.clone(), result)
        })
        .collect()
}

fn file(origin: &str, documents: Vec<crate::domain::NewDocument>) -> FileImport {
    FileImport {
        origin: origin.into(),
        documents,
    }
}

#[test]
fn a_file_the_server_refuses_is_rolled_back_alone_as_on_sqlite() {
    let (_server, mut pg, mut sqlite) = both();
    let mut broken = document("b2", "broken", &["نص.", "آخر."], 0);
    broken.sentences[1].end = broken.sentences[1].start; // an empty sentence: a CHECK fails
    let batch = vec![
        file("a", vec![document("a1", "t", &["أول."], 0)]),
        file(
            "b",
            vec![
                document("b1", "t", &["ثان."], 0),
                broken,
                document("a1", "t", &["أول."], 0),
            ],
        ),
        // b1 again: new, since the file that had it was rolled back.
        file("c", vec![document("b1", "t", &["ثان."], 0)]),
        // An id twice in one file, the second time with another text.
        file(
            "d",
            vec![
                document("d1", "t", &["س."], 0),
                document("d1", "t", &["ص."], 0),
            ],
        ),
        file(
            "e",
            vec![
                document("e1", "t", &["ع."], 0),
                document("e1", "t", &["ع."], 0),
            ],
        ),
    ];
    let on_pg = pg.import_files(&batch).unwrap();
    let on_sqlite = sqlite.import_files(&batch).unwrap();
    assert_eq!(outcomes(&on_pg), outcomes(&on_sqlite));
    assert!(
        on_pg[1].result.as_ref().unwrap_err().contains("check"),
        "{on_pg:?}"
    );
    assert_eq!(
        on_pg[3].result, on_sqlite[3].result,
        "the same words for another text"
    );
    for store in [&pg, &sqlite] {
        assert!(store.document("b2").unwrap().is_none());
        assert!(store.sentences("b2").unwrap().is_empty());
        assert_eq!(store.document_count().unwrap(), 3, "a1, b1, e1");
        assert!(store.integrity_problems().unwrap().is_empty());
    }
    // The same batch again: everything present or refused as before.
    assert_eq!(
        outcomes(&pg.import_files(&batch).unwrap()),
        outcomes(&sqlite.import_files(&batch).unwrap())
    );
}

#[test]
fn the_title_filter_matches_as_sqlite_like() {
    let (_server, mut pg, mut sqlite) = both();
    let titles = [
        "Talks in CAIRO",
        "École d'été",
        "école",
        "ÉCOLE",
        "100% sure_thing",
        "back\\slash",
        "قمة الرياض",
        "İstanbul",
    ];
    let docs = titles
        .iter()
        .enumerate()
        .map(|(i, title)| document(&format!("Doc{i}"), title, &["نص."], 0))
        .collect();
    let batch = [file("f", docs)];
    pg.import_files(&batch).unwrap();
    sqlite.import_files(&batch).unwrap();
    for text in [
        "cairo",
        "CaIrO",
        "école",
        "ÉCOLE",
        "cole",
        "%",
        "_",
        "0% s",
        "\\",
        "الرياض",
        "istanbul",
        "doc1",
        "DOC",
        "nothing",
    ] {
        let list = DocumentListQuery {
            text,
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 100,
        };
        let ids = |store: &dyn Store| -> Vec<String> {
            store
                .document_summaries(&list)
                .unwrap()
                .into_iter()
                .map(|d| d.id)
                .collect()
        };
        assert_eq!(ids(&*pg), ids(&*sqlite), "{text:?}");
        assert_eq!(
            pg.count_documents(&list).unwrap(),
            sqlite.count_documents(&list).unwrap(),
            "{text:?}"
        );
        let not_started = DocumentListQuery {
            status: StatusFilter::NotStarted,
            ..list
        };
        assert_eq!(
            pg.count_documents(&not_started).unwrap(),
            sqlite.count_documents(&not_started).unwrap(),
            "{text:?}"
        );
    }
}

#[test]
fn streams_longer_than_a_batch_keep_import_order() {
    let (_server, mut pg, mut sqlite) = both();
    // Ids out of their sorted order, some documents without sentences.
    let docs: Vec<_> = (0..450)
        .map(|i| {
            let id = format!("n{}", (i * 7919) % 450);
            let sentences: &[&str] = match i % 3 {
                0 => &[],
                1 => &["أ."],
                _ => &["ب.", "ج."],
            };
            document(&id, "t", sentences, 0)
        })
        .collect();
    let batch = [file("f", docs)];
    pg.import_files(&batch).unwrap();
    sqlite.import_files(&batch).unwrap();
    let stream = |store: &dyn Store| {
        let mut documents = Vec::new();
        store
            .for_each_document(&mut |d| {
                documents.push(d.id);
                Ok(())
            })
            .unwrap();
        let mut sentences = Vec::new();
        store
            .for_each_sentence(&mut |s| {
                sentences.push((s.doc_id, s.index));
                Ok(())
            })
            .unwrap();
        (documents, sentences)
    };
    let (pg_docs, pg_sentences) = stream(&*pg);
    assert_eq!(pg_docs.len(), 450);
    assert_eq!(pg_sentences.len(), 450);
    assert_eq!((pg_docs, pg_sentences), stream(&*sqlite));
    // Pages deep in the list, as on SQLite.
    for (offset, limit) in [(0, 10), (195, 10), (440, 20), (450, 5)] {
        let list = DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset,
            limit,
        };
        let ids = |store: &dyn Store| -> Vec<String> {
            store
                .document_summaries(&list)
                .unwrap()
                .into_iter()
                .map(|d| d.id)
                .collect()
        };
        assert_eq!(ids(&*pg), ids(&*sqlite), "{offset} {limit}");
    }
}

/// 50,000 sentences (500 documents of 100) in one batch, as the importer sends them.
/// `cargo test --lib import_speed -- --ignored --nocapture`; compare with `psql \copy` of
/// the same rows.
#[test]
#[ignore = "a measurement, not a check"]
fn import_speed() {
    let server = ScratchDatabase::project();
    let mut pg = open(&server.location, Access::ReadWrite).unwrap();
    let sentence = "قال الرئيس إن المحادثات مثمرة وإن الحل قريب.";
    let sentences = vec![sentence; 100];
    let docs = (0..500)
        .map(|i| document(&format!("doc{i}"), "عنوان", &sentences, 2))
        .collect();
    let batch = [file("f", docs)];
    let started = std::time::Instant::now();
    pg.import_files(&batch).unwrap();
    eprintln!(
        "50,000 sentences imported in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(pg.sentence_count().unwrap(), 50_000);
}
