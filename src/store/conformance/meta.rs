//! Opening, reopening (migrations), project settings, read-only access.

use super::backend::Backend;
use super::fixtures::{HALA, act, claim, document, seed};
use crate::domain::{DocumentListQuery, FileImport, RowState, StatusFilter};
use crate::store::error::StoreError;
use crate::store::interface::Access;

pub fn a_new_store_is_sound_and_has_a_project_id(backend: &Backend) {
    let (scratch, store) = backend.fresh();
    assert_eq!(store.location(), &scratch.location);
    assert_eq!(store.access(), Access::ReadWrite);
    assert!(store.project_id().unwrap().len() >= 32);
    assert!(store.integrity_problems().unwrap().is_empty());
    assert_eq!(store.document_count().unwrap(), 0);
    assert_eq!(store.sentence_count().unwrap(), 0);
    assert!(store.annotators().unwrap().is_empty());
    assert!(store.entities().unwrap().is_empty());
    let (other_scratch, other) = backend.fresh();
    assert_ne!(scratch.location, other_scratch.location);
    assert_ne!(store.project_id().unwrap(), other.project_id().unwrap());
}

pub fn reopening_keeps_everything_and_migrates_nothing(backend: &Backend) {
    let (scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "Set speaker",
        vec![RowState::Claim(claim("c1", "d1", 0, HALA))],
    );
    let project = store.project_id().unwrap();
    drop(store);
    for _ in 0..2 {
        let store = scratch.open();
        assert_eq!(store.project_id().unwrap(), project);
        assert_eq!(store.document_count().unwrap(), 3);
        assert_eq!(store.sentences("d1").unwrap().len(), 3);
        assert!(store.claim("c1").unwrap().is_some());
        assert_eq!(
            store.history_labels(HALA).unwrap(),
            (Some("Set speaker".into()), None),
            "the undo log survives a restart"
        );
        assert!(store.integrity_problems().unwrap().is_empty());
    }
}

pub fn meta_values_are_set_replaced_and_kept(backend: &Backend) {
    let (scratch, mut store) = backend.fresh();
    assert_eq!(store.meta("guidelines").unwrap(), None);
    store.set_meta("guidelines", "Read twice.").unwrap();
    store.set_meta("paragraph_direction", "rtl").unwrap();
    store.set_meta("guidelines", "اقرأ مرتين.").unwrap();
    assert_eq!(
        store.meta("guidelines").unwrap().as_deref(),
        Some("اقرأ مرتين.")
    );
    drop(store);
    let store = scratch.open_read_only();
    assert_eq!(
        store.meta("guidelines").unwrap().as_deref(),
        Some("اقرأ مرتين.")
    );
    assert_eq!(
        store.meta("paragraph_direction").unwrap().as_deref(),
        Some("rtl")
    );
}

pub fn a_read_only_store_refuses_every_write_and_changes_nothing(backend: &Backend) {
    let (scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    drop(store);
    let mut store = scratch.open_read_only();
    assert_eq!(store.access(), Access::ReadOnly);
    assert_eq!(store.document_count().unwrap(), 3);
    let refused = |result: Result<(), StoreError>, what: &str| {
        let error = result.expect_err(what);
        assert!(
            matches!(error, StoreError::ReadOnly { .. }),
            "{what}: {error:?}"
        );
        assert!(error.to_string().contains("read-only"), "{what}: {error}");
    };
    refused(store.set_meta("k", "v"), "set_meta");
    refused(store.ensure_annotator("new"), "ensure_annotator");
    refused(
        store
            .apply_action(
                HALA,
                "s",
                "Set speaker",
                &[RowState::Claim(claim("c1", "d1", 0, HALA))],
            )
            .map(|_| ()),
        "apply_action",
    );
    refused(
        store
            .import_files(&[FileImport {
                origin: "new.jsonl".into(),
                documents: vec![document("new", "t", &["نص جديد."], 0)],
            }])
            .map(|_| ()),
        "import_files",
    );
    refused(
        store.add_sentence_activity("d1", 0, HALA, 3.0),
        "add_sentence_activity",
    );
    refused(store.begin_merge().map(|_| ()), "begin_merge");
    drop(store);
    let store = scratch.open();
    assert_eq!(store.meta("k").unwrap(), None);
    assert!(store.claim("c1").unwrap().is_none());
    assert!(store.document("new").unwrap().is_none());
    assert!(!store.annotators().unwrap().contains(&"new".to_owned()));
    let all = store
        .count_documents(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 10,
        })
        .unwrap();
    assert_eq!(all, 3);
}
