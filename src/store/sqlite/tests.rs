//! Tests of the SQLite backend (the backend-neutral ones move to the conformance suite).

use std::path::Path;

use super::connection::SqliteStore;
use super::migrations::SCHEMA_VERSION;
use crate::domain::{
    ClaimRow, ClaimStatus, DocumentOutcome, EntityRow, FileImport, MarkRow, NewDocument,
    NewSentence, RowState, Span,
};
use crate::store::{Access, Store, open_in_memory};

#[test]
fn fresh_database_reaches_the_current_version() {
    let store = SqliteStore::open(Path::new(":memory:"), Access::ReadWrite).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    assert!(store.project_id().unwrap().len() >= 32);
    assert!(store.integrity_problems().unwrap().is_empty());
}

#[test]
fn migrating_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let first = SqliteStore::open(&path, Access::ReadWrite)
        .unwrap()
        .project_id()
        .unwrap();
    let second = SqliteStore::open(&path, Access::ReadWrite)
        .unwrap()
        .project_id()
        .unwrap();
    assert_eq!(first, second);
}

fn doc(id: &str, text: &str) -> NewDocument {
    NewDocument {
        id: id.into(),
        title: "t".into(),
        text: text.into(),
        source: None,
        url: None,
        published: None,
        encoding: "utf-8".into(),
        metadata: serde_json::Map::new(),
        origin: format!("{id}.txt"),
        sentences: vec![NewSentence {
            start: 0,
            end: text.chars().count(),
            text: text.into(),
            boilerplate: None,
        }],
    }
}

#[test]
fn a_refused_file_leaves_no_trace_and_others_are_kept() {
    let mut store = open_in_memory().unwrap();
    let first = FileImport {
        origin: "a".into(),
        documents: vec![doc("x", "نص أول")],
    };
    store.import_files(&[first]).unwrap();
    let bad = FileImport {
        origin: "b".into(),
        documents: vec![doc("y", "نص ثان"), doc("x", "نص مختلف")],
    };
    let good = FileImport {
        origin: "c".into(),
        documents: vec![doc("z", "نص ثالث")],
    };
    let results = store.import_files(&[bad, good]).unwrap();
    assert!(results[0].result.is_err());
    assert!(results[1].result.is_ok());
    assert!(
        store.document("y").unwrap().is_none(),
        "y was in the refused file"
    );
    assert!(store.document("z").unwrap().is_some());
    assert_eq!(store.document_count().unwrap(), 2);
}

#[test]
fn reimport_is_already_present() {
    let mut store = open_in_memory().unwrap();
    let file = FileImport {
        origin: "a".into(),
        documents: vec![doc("x", "نص")],
    };
    store.import_files(std::slice::from_ref(&file)).unwrap();
    let again = store.import_files(&[file]).unwrap();
    let outcomes = again[0].result.as_ref().unwrap();
    assert_eq!(outcomes[0].1, DocumentOutcome::AlreadyPresent);
}

fn store_with_document() -> Box<dyn Store> {
    let mut store = open_in_memory().unwrap();
    let text = "قال الرئيس. وأضاف الوزير.";
    let doc = NewDocument {
        id: "d1".into(),
        title: "t".into(),
        text: text.into(),
        source: None,
        url: None,
        published: None,
        encoding: "utf-8".into(),
        metadata: serde_json::Map::new(),
        origin: "t".into(),
        sentences: vec![
            NewSentence {
                start: 0,
                end: 11,
                text: "قال الرئيس.".into(),
                boilerplate: None,
            },
            NewSentence {
                start: 12,
                end: 25,
                text: "وأضاف الوزير.".into(),
                boilerplate: None,
            },
        ],
    };
    store
        .import_files(&[FileImport {
            origin: "t".into(),
            documents: vec![doc],
        }])
        .unwrap();
    store.ensure_annotator("ann").unwrap();
    store
}

fn claim(id: &str) -> ClaimRow {
    ClaimRow {
        id: id.into(),
        doc_id: "d1".into(),
        sentence_idx: 0,
        annotator: "ann".into(),
        status: ClaimStatus::Draft,
        stance: None,
        claim_type: None,
        speaker_entity: None,
        speaker_span: Some(Span::new(4, 10)),
        target_entity: None,
        target_span: None,
        cue_span: None,
        content_span: None,
        note: String::new(),
        lead_time_s: 0.0,
        schema_version: 1,
        origin: "manual".into(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        deleted: false,
    }
}

#[test]
fn undo_and_redo_walk_the_history() {
    let mut store = store_with_document();
    let first = claim("c1");
    store
        .apply_action("ann", "s", "Set speaker", &[RowState::Claim(first.clone())])
        .unwrap();
    let mut second = first.clone();
    second.stance = Some("favor".into());
    store
        .apply_action("ann", "s", "Set stance", &[RowState::Claim(second)])
        .unwrap();
    assert_eq!(
        store.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("favor")
    );

    let undone = store.undo("ann").unwrap().unwrap();
    assert_eq!(undone.label, "Set stance");
    assert_eq!(undone.location, Some(("d1".to_owned(), 0)));
    assert_eq!(store.claim("c1").unwrap().unwrap().stance, None);
    assert_eq!(store.undo("ann").unwrap().unwrap().label, "Set speaker");
    assert!(
        store.claim("c1").unwrap().unwrap().deleted,
        "undoing the creation deletes"
    );
    assert!(
        store
            .claims_in_document("d1", Some("ann"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.undo("ann").unwrap(), None);

    assert_eq!(store.redo("ann").unwrap().unwrap().label, "Set speaker");
    assert!(!store.claim("c1").unwrap().unwrap().deleted);
    assert_eq!(store.redo("ann").unwrap().unwrap().label, "Set stance");
    assert_eq!(
        store.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("favor")
    );
    assert_eq!(store.redo("ann").unwrap(), None);
}

#[test]
fn a_new_action_clears_the_redo_stack() {
    let mut store = store_with_document();
    store
        .apply_action("ann", "s", "a", &[RowState::Claim(claim("c1"))])
        .unwrap();
    store.undo("ann").unwrap();
    store
        .apply_action("ann", "s", "b", &[RowState::Claim(claim("c2"))])
        .unwrap();
    assert_eq!(store.redo("ann").unwrap(), None);
    assert_eq!(
        store.history_labels("ann").unwrap(),
        (Some("b".into()), None)
    );
}

#[test]
fn progress_counts_confirmed_claims_and_marks() {
    let mut store = store_with_document();
    let mut confirmed = claim("c1");
    confirmed.status = ClaimStatus::Confirmed;
    store
        .apply_action("ann", "s", "a", &[RowState::Claim(confirmed)])
        .unwrap();
    let mark = MarkRow {
        doc_id: "d1".into(),
        sentence_idx: 1,
        annotator: "ann".into(),
        mark: "no_claim".into(),
        lead_time_s: 1.0,
        created_at: "x".into(),
        updated_at: "x".into(),
        deleted: false,
    };
    store
        .apply_action("ann", "s", "x", &[RowState::Mark(mark)])
        .unwrap();
    let progress = store.sentence_progress("d1", "ann").unwrap();
    assert!(progress[0].is_done() && progress[0].confirmed_claims == 1);
    assert!(progress[1].is_done() && progress[1].no_claim);
}

#[test]
fn entity_in_use_cannot_be_removed_by_undo() {
    let mut store = store_with_document();
    let entity = EntityRow {
        id: "e1".into(),
        canonical_name: "Russia".into(),
        kind: "state".into(),
        note: String::new(),
        created_at: "x".into(),
        updated_at: "x".into(),
    };
    store
        .apply_action(
            "ann",
            "s",
            "new entity",
            &[RowState::Entity {
                entity,
                present: true,
            }],
        )
        .unwrap();
    let mut with_entity = claim("c1");
    with_entity.speaker_entity = Some("e1".into());
    // Written by someone else's action (another annotator), so not undone first.
    store.ensure_annotator("other").unwrap();
    with_entity.annotator = "other".into();
    store
        .apply_action("other", "s", "use", &[RowState::Claim(with_entity)])
        .unwrap();
    let error = store.undo("ann").unwrap_err();
    assert!(error.to_string().contains("used by 1 claim"), "{error}");
    assert_eq!(
        store.entities().unwrap().len(),
        1,
        "the failed undo changed nothing"
    );
}
