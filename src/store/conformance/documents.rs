//! Documents and sentences: import, reading, the document list's filters and pages,
//! streaming, assignments.

use super::backend::Backend;
use super::fixtures::{
    HALA, OMAR, act, claim, confirmed, corpus, document, gold_sentence, mark, seed,
};
use crate::domain::{DocumentListQuery, DocumentOutcome, FileImport, RowState, StatusFilter};
use crate::store::interface::Store;

fn list<'a>(
    text: &'a str,
    status: StatusFilter,
    annotator: Option<&'a str>,
) -> DocumentListQuery<'a> {
    DocumentListQuery {
        text,
        status,
        annotator,
        gold: false,
        offset: 0,
        limit: 100,
    }
}

/// (id, sentences, content sentences, done) of a page; checks that `count_documents`
/// counts what the list holds without a limit.
fn page(store: &dyn Store, query: &DocumentListQuery<'_>) -> Vec<(String, usize, usize, usize)> {
    let everything = DocumentListQuery {
        offset: 0,
        limit: usize::MAX >> 1,
        ..*query
    };
    assert_eq!(
        store.count_documents(query).unwrap(),
        store.document_summaries(&everything).unwrap().len(),
        "{query:?}"
    );
    store
        .document_summaries(query)
        .unwrap()
        .into_iter()
        .map(|d| {
            (
                d.id,
                d.sentence_count,
                d.content_sentences,
                d.done_sentences,
            )
        })
        .collect()
}

/// (id, done) of the documents in `status` for `annotator`.
fn ids(store: &dyn Store, status: StatusFilter, annotator: Option<&str>) -> Vec<(String, usize)> {
    page(store, &list("", status, annotator))
        .into_iter()
        .map(|(id, _, _, done)| (id, done))
        .collect()
}

/// The ids of the documents in `status` by the gold standard's progress.
fn gold(store: &dyn Store, status: StatusFilter) -> Vec<String> {
    let query = DocumentListQuery {
        gold: true,
        ..list("", status, None)
    };
    page(store, &query).into_iter().map(|(id, ..)| id).collect()
}

pub fn imported_documents_and_sentences_read_back(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    let results = store.import_files(&corpus()).unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].origin, "a.jsonl");
    assert_eq!(
        results[0].result.as_ref().unwrap(),
        &vec![
            ("d1".to_owned(), DocumentOutcome::Added, 3),
            ("d2".to_owned(), DocumentOutcome::Added, 2)
        ]
    );
    assert_eq!(store.document_count().unwrap(), 3);
    assert_eq!(store.sentence_count().unwrap(), 6);
    let expected = &corpus()[0].documents[0];
    let row = store.document("d1").unwrap().unwrap();
    assert_eq!(row.title, expected.title);
    assert_eq!(row.text, expected.text);
    assert_eq!(row.source.as_deref(), Some("conformance"));
    assert_eq!(row.published.as_deref(), Some("2026-01-01"));
    assert_eq!(row.url, None);
    assert_eq!(row.encoding, "utf-8");
    assert_eq!(row.origin.as_deref(), Some("d1.txt"));
    assert_eq!(row.sentence_count, 3);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&row.metadata).unwrap(),
        serde_json::json!({})
    );
    assert!(store.document("nope").unwrap().is_none());
    let sentences = store.sentences("d1").unwrap();
    assert_eq!(sentences.len(), 3);
    for (index, (got, want)) in sentences.iter().zip(&expected.sentences).enumerate() {
        assert_eq!(got.doc_id, "d1");
        assert_eq!(got.index, index);
        assert_eq!((got.start, got.end), (want.start, want.end));
        assert_eq!(got.text, want.text);
        assert_eq!(got.boilerplate, want.boilerplate.is_some());
        assert_eq!(got.boilerplate_reason, want.boilerplate);
    }
    assert!(store.sentences("nope").unwrap().is_empty());
}

pub fn a_refused_file_leaves_no_trace_and_others_are_kept(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    let first = FileImport {
        origin: "a".into(),
        documents: vec![document("x", "t", &["نص أول"], 0)],
    };
    store.import_files(&[first]).unwrap();
    let bad = FileImport {
        origin: "b".into(),
        documents: vec![
            document("y", "t", &["نص ثان"], 0),
            document("x", "t", &["نص مختلف"], 0),
        ],
    };
    let good = FileImport {
        origin: "c".into(),
        documents: vec![document("z", "t", &["نص ثالث"], 0)],
    };
    let results = store.import_files(&[bad, good]).unwrap();
    let reason = results[0].result.as_ref().unwrap_err();
    assert!(
        reason.contains("\"x\"") && reason.contains("different text"),
        "{reason}"
    );
    assert!(results[1].result.is_ok());
    assert!(
        store.document("y").unwrap().is_none(),
        "y was in the refused file"
    );
    assert!(store.sentences("y").unwrap().is_empty());
    assert!(store.document("z").unwrap().is_some());
    assert_eq!(store.document("x").unwrap().unwrap().text, "نص أول");
    assert_eq!(store.document_count().unwrap(), 2);
}

pub fn reimporting_is_already_present(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    store.import_files(&corpus()).unwrap();
    let again = store.import_files(&corpus()).unwrap();
    for file in &again {
        for (_, outcome, _) in file.result.as_ref().unwrap() {
            assert_eq!(*outcome, DocumentOutcome::AlreadyPresent);
        }
    }
    assert_eq!(store.document_count().unwrap(), 3);
    assert_eq!(store.sentence_count().unwrap(), 6);
}

pub fn the_document_list_filters_and_pages(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let all = page(&*store, &list("", StatusFilter::All, None));
    assert_eq!(
        all,
        vec![
            ("d1".to_owned(), 3, 2, 0),
            ("d2".to_owned(), 2, 2, 0),
            ("d3".to_owned(), 1, 1, 0)
        ],
        "import order, boilerplate not counted as content"
    );
    // Title and id filters; LIKE wildcards in the filter are literal.
    assert_eq!(
        page(&*store, &list("Cairo", StatusFilter::All, None))[0].0,
        "d2"
    );
    assert_eq!(
        page(&*store, &list("d3", StatusFilter::All, None))[0].0,
        "d3"
    );
    assert_eq!(
        page(&*store, &list("الرياض", StatusFilter::All, None))[0].0,
        "d1"
    );
    assert_eq!(
        page(&*store, &list("50%_", StatusFilter::All, None)).len(),
        1
    );
    assert_eq!(page(&*store, &list("\\", StatusFilter::All, None)).len(), 1);
    assert_eq!(
        page(&*store, &list("%", StatusFilter::All, Some(HALA))).len(),
        1
    );
    assert!(page(&*store, &list("nothing like it", StatusFilter::All, None)).is_empty());
    // Pages.
    let second = DocumentListQuery {
        offset: 1,
        limit: 1,
        ..list("", StatusFilter::All, None)
    };
    assert_eq!(page(&*store, &second), vec![("d2".to_owned(), 2, 2, 0)]);
    let past = DocumentListQuery {
        offset: 3,
        limit: 10,
        ..list("", StatusFilter::All, None)
    };
    assert!(page(&*store, &past).is_empty());
}

pub fn status_filters_follow_the_annotators_decisions(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    // hala: d1 half done (one of two content sentences), d2 done (a claim and a mark).
    act(
        store.as_mut(),
        HALA,
        "Confirm",
        vec![RowState::Claim(confirmed(
            claim("c1", "d1", 0, HALA),
            "favor",
        ))],
    );
    act(
        store.as_mut(),
        HALA,
        "Confirm",
        vec![RowState::Claim(confirmed(
            claim("c2", "d2", 0, HALA),
            "against",
        ))],
    );
    act(
        store.as_mut(),
        HALA,
        "No claim",
        vec![RowState::Mark(mark("d2", 1, HALA))],
    );
    // A decision on a boilerplate sentence and a draft count for nothing.
    act(
        store.as_mut(),
        HALA,
        "No claim",
        vec![RowState::Mark(mark("d1", 2, HALA))],
    );
    act(
        store.as_mut(),
        HALA,
        "Draft",
        vec![RowState::Claim(claim("c3", "d3", 0, HALA))],
    );
    assert_eq!(
        ids(&*store, StatusFilter::All, Some(HALA)),
        vec![("d1".into(), 1), ("d2".into(), 2), ("d3".into(), 0)]
    );
    assert_eq!(
        ids(&*store, StatusFilter::InProgress, Some(HALA)),
        vec![("d1".into(), 1)]
    );
    assert_eq!(
        ids(&*store, StatusFilter::Done, Some(HALA)),
        vec![("d2".into(), 2)]
    );
    assert_eq!(
        ids(&*store, StatusFilter::NotStarted, Some(HALA)),
        vec![("d3".into(), 0)]
    );
    assert_eq!(ids(&*store, StatusFilter::NotStarted, Some(OMAR)).len(), 3);
    assert!(ids(&*store, StatusFilter::Done, Some(OMAR)).is_empty());
    assert_eq!(
        page(&*store, &list("Cairo", StatusFilter::Done, Some(HALA))).len(),
        1
    );
    assert!(page(&*store, &list("الرياض", StatusFilter::Done, Some(HALA))).is_empty());
    // Gold progress instead of an annotator's.
    act(
        store.as_mut(),
        "lead",
        "Gold",
        vec![RowState::GoldSentence(gold_sentence("d3", 0, "no_claim"))],
    );
    assert_eq!(gold(&*store, StatusFilter::Done), vec!["d3".to_owned()]);
    assert_eq!(
        gold(&*store, StatusFilter::NotStarted),
        vec!["d1".to_owned(), "d2".to_owned()]
    );
    // Deleting the claim takes d2 back to in progress.
    let mut deleted = confirmed(claim("c2", "d2", 0, HALA), "against");
    deleted.deleted = true;
    act(
        store.as_mut(),
        HALA,
        "Delete",
        vec![RowState::Claim(deleted)],
    );
    assert_eq!(
        ids(&*store, StatusFilter::InProgress, Some(HALA)),
        vec![("d1".into(), 1), ("d2".into(), 1)]
    );
    assert!(store.integrity_problems().unwrap().is_empty());
}

pub fn documents_and_sentences_stream_in_import_order(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let mut ids = Vec::new();
    store
        .for_each_document(&mut |row| {
            ids.push(row.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(ids, ["d1", "d2", "d3"]);
    let mut sentences = Vec::new();
    store
        .for_each_sentence(&mut |row| {
            sentences.push((row.doc_id, row.index));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        sentences,
        [
            ("d1", 0),
            ("d1", 1),
            ("d1", 2),
            ("d2", 0),
            ("d2", 1),
            ("d3", 0)
        ]
        .map(|(d, i)| (d.to_owned(), i))
    );
    // A callback's error stops the stream and comes back.
    let mut seen = 0;
    let error = store
        .for_each_document(&mut |_| {
            seen += 1;
            Err(crate::store::StoreError::Invalid("stop".into()))
        })
        .unwrap_err();
    assert_eq!(error.to_string(), "stop");
    assert_eq!(seen, 1);
}

pub fn assignments_are_recorded_and_replaced(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    assert!(store.assignments().unwrap().is_empty());
    store
        .record_assignments(&[
            ("d2".into(), OMAR.into(), false),
            ("d1".into(), HALA.into(), true),
            ("d1".into(), OMAR.into(), true),
        ])
        .unwrap();
    store
        .record_assignments(&[("d2".into(), OMAR.into(), true)])
        .unwrap();
    assert_eq!(
        store.assignments().unwrap(),
        vec![
            ("d1".to_owned(), HALA.to_owned(), true),
            ("d1".to_owned(), OMAR.to_owned(), true),
            ("d2".to_owned(), OMAR.to_owned(), true),
        ]
    );
}
