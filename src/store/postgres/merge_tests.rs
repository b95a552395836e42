//! Merges between the two backends: an annotator's SQLite package into a server project
//! (`isnad merge package.isnad.db` with the project on a server), and a server project
//! into a SQLite file. The conformance suite merges within one backend only.

use super::scratch::ScratchDatabase;
use crate::domain::{FileImport, RowState};
use crate::store::conformance::fixtures::{
    OMAR, act, claim, confirmed, document, entity, gold_sentence, mark, seed,
};
use crate::store::interface::{Access, Store};
use crate::store::location::Location;
use crate::store::open::open;

/// An annotator's work on the suite's corpus: a new entity with an alias, a confirmed
/// claim pointing at it, a "no claim" mark, a boilerplate flip, a gold decision, reading
/// time, and a document the other store lacks.
fn annotate(store: &mut dyn Store) {
    act(
        store,
        OMAR,
        "New entity",
        vec![
            RowState::Entity {
                entity: entity("e-omar", "Cairo"),
                present: true,
            },
            RowState::Alias {
                entity_id: "e-omar".into(),
                alias: "القاهرة".into(),
                present: true,
            },
        ],
    );
    let mut with_entity = confirmed(claim("c1", "d1", 0, OMAR), "favor");
    with_entity.target_entity = Some("e-omar".into());
    act(store, OMAR, "Confirm", vec![RowState::Claim(with_entity)]);
    act(
        store,
        OMAR,
        "No claim",
        vec![RowState::Mark(mark("d1", 1, OMAR))],
    );
    act(
        store,
        OMAR,
        "Flag",
        vec![RowState::Boilerplate {
            doc_id: "d2".into(),
            sentence_idx: 1,
            boilerplate: true,
            reason: Some("by hand".into()),
        }],
    );
    act(
        store,
        "lead",
        "Gold",
        vec![RowState::GoldSentence(gold_sentence("d1", 1, "no_claim"))],
    );
    store.add_sentence_activity("d1", 0, OMAR, 12.0).unwrap();
    store
        .import_files(&[FileImport {
            origin: "c.jsonl".into(),
            documents: vec![document("d4", "جديد", &["خبر جديد.", "تفاصيل."], 0)],
        }])
        .unwrap();
}

/// Checks that `target` holds everything [`annotate`] made (merged from another store).
fn check_merged(target: &dyn Store) {
    let merged = target.claim("c1").unwrap().unwrap();
    assert_eq!(merged.stance.as_deref(), Some("favor"));
    assert_eq!(merged.target_entity.as_deref(), Some("e-omar"));
    let registry = target.entities().unwrap();
    assert_eq!(registry.len(), 1);
    assert_eq!(registry[0].entity.canonical_name, "Cairo");
    assert_eq!(registry[0].aliases, vec!["القاهرة".to_owned()]);
    assert_eq!(target.marks_in_document("d1", Some(OMAR)).unwrap().len(), 1);
    assert_eq!(target.gold_sentences(Some("d1")).unwrap().len(), 1);
    assert!(target.sentences("d2").unwrap()[1].boilerplate);
    assert_eq!(target.sentence_active_seconds("d1", 0, OMAR).unwrap(), 12.0);
    assert_eq!(
        target.document("d4").unwrap().unwrap().text,
        "خبر جديد. تفاصيل."
    );
    assert_eq!(target.sentences("d4").unwrap().len(), 2);
    assert_eq!(target.document_count().unwrap(), 4);
    assert!(target.annotators().unwrap().contains(&OMAR.to_owned()));
    assert!(target.integrity_problems().unwrap().is_empty());
}

#[test]
fn a_sqlite_package_merges_into_a_server_project_once() {
    let server = ScratchDatabase::project();
    let mut lead = open(&server.location, Access::ReadWrite).unwrap();
    seed(lead.as_mut());
    let dir = tempfile::tempdir().unwrap();
    let package = Location::from(dir.path().join("package.isnad.db"));
    let mut annotator = open(&package, Access::ReadWrite).unwrap();
    seed(annotator.as_mut());
    annotate(annotator.as_mut());
    drop(annotator);

    let source = open(&package, Access::ReadOnly).unwrap();
    let report = lead.merge_from(&*source).unwrap();
    assert_eq!(report.source, package.to_string());
    assert_eq!((report.documents_added, report.documents_same), (1, 3));
    assert!(report.documents_refused.is_empty());
    assert_eq!((report.entities_added, report.aliases_added), (1, 1));
    assert_eq!(report.rows_added, 3, "a claim, a mark, a gold sentence");
    assert_eq!(report.rows_updated, 1, "the boilerplate flag");
    assert!(report.conflicts.is_empty(), "{report:?}");
    check_merged(&*lead);
    // Nothing of the merge is in the server's undo log.
    assert_eq!(lead.history_labels(OMAR).unwrap(), (None, None));

    let again = lead.merge_from(&*source).unwrap();
    assert!(again.changed_nothing(), "{again:?}");
    assert_eq!(again.rows_unchanged, 4);
    assert_eq!(again.documents_same, 4);
    check_merged(&*lead);
}

#[test]
fn a_server_project_merges_into_a_sqlite_file() {
    let server = ScratchDatabase::project();
    let mut project = open(&server.location, Access::ReadWrite).unwrap();
    seed(project.as_mut());
    annotate(project.as_mut());
    drop(project);
    let dir = tempfile::tempdir().unwrap();
    let file = Location::from(dir.path().join("copy.isnad.db"));
    let mut target = open(&file, Access::ReadWrite).unwrap();
    seed(target.as_mut());

    let source = open(&server.location, Access::ReadOnly).unwrap();
    let report = target.merge_from(&*source).unwrap();
    assert_eq!((report.documents_added, report.documents_same), (1, 3));
    assert_eq!(report.rows_added, 3, "{report:?}");
    assert!(report.conflicts.is_empty(), "{report:?}");
    check_merged(&*target);
    assert!(target.merge_from(&*source).unwrap().changed_nothing());
}

#[test]
fn a_lead_who_is_not_the_owner_imports_and_merges() {
    // Row-level security applies to a member (not to the owner or a superuser): the
    // import's and the merge's writes must pass its policies (`COPY FROM` would not).
    let server = ScratchDatabase::project();
    let mut owner = super::PgStore::open(&server.location, Access::ReadWrite, None).unwrap();
    super::server::add_user(
        &mut owner,
        "isnad_merge_lead",
        crate::domain::Role::Lead,
        Some("lead-pw"),
    )
    .unwrap();
    drop(owner);
    let member = Location::Postgres(server.url_for("isnad_merge_lead", "lead-pw"));
    let mut lead = open(&member, Access::ReadWrite).unwrap();
    seed(lead.as_mut());
    assert_eq!(lead.document_count().unwrap(), 3);
    let dir = tempfile::tempdir().unwrap();
    let package = Location::from(dir.path().join("package.isnad.db"));
    let mut annotator = open(&package, Access::ReadWrite).unwrap();
    seed(annotator.as_mut());
    annotate(annotator.as_mut());
    drop(annotator);
    let source = open(&package, Access::ReadOnly).unwrap();
    let report = lead.merge_from(&*source).unwrap();
    assert_eq!(report.rows_added, 3, "{report:?}");
    check_merged(&*lead);
    assert!(lead.merge_from(&*source).unwrap().changed_nothing());
}
