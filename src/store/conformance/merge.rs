//! Merging two stores of the backend: what is copied, what is kept, conflicts, refusals.

use super::backend::{Backend, Scratch};
use super::fixtures::{
    HALA, OMAR, act, claim, confirmed, document, entity, gold_sentence, mark, seed,
};
use crate::domain::{FileImport, RowState};
use crate::store::interface::Store;

/// The lead's store (the corpus) and an annotator's (the corpus and omar's work).
fn lead_and_annotator(backend: &Backend) -> ((Scratch, Box<dyn Store>), Scratch) {
    let (lead_scratch, mut lead) = backend.fresh();
    seed(lead.as_mut());
    let (scratch, mut other) = backend.fresh();
    seed(other.as_mut());
    act(
        other.as_mut(),
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
    act(
        other.as_mut(),
        OMAR,
        "Confirm",
        vec![RowState::Claim(with_entity)],
    );
    act(
        other.as_mut(),
        OMAR,
        "No claim",
        vec![RowState::Mark(mark("d1", 1, OMAR))],
    );
    act(
        other.as_mut(),
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
        other.as_mut(),
        "lead",
        "Gold",
        vec![RowState::GoldSentence(gold_sentence("d1", 1, "no_claim"))],
    );
    other.add_sentence_activity("d1", 0, OMAR, 12.0).unwrap();
    other
        .import_files(&[FileImport {
            origin: "c.jsonl".into(),
            documents: vec![document("d4", "جديد", &["خبر جديد.", "تفاصيل."], 0)],
        }])
        .unwrap();
    ((lead_scratch, lead), scratch)
}

pub fn a_merge_copies_documents_annotations_and_entities(backend: &Backend) {
    let ((_lead_scratch, mut lead), other_scratch) = lead_and_annotator(backend);
    // The lead has their own entity of the same name under another id.
    lead.add_entities(&[(entity("e-lead", "Cairo"), vec![])])
        .unwrap();
    let source = other_scratch.open_read_only();
    let report = lead.merge_from(&*source).unwrap();
    assert_eq!(report.source, other_scratch.location.to_string());
    assert_eq!(report.source_project, source.project_id().unwrap());
    assert_eq!((report.documents_added, report.documents_same), (1, 3));
    assert!(report.documents_refused.is_empty());
    assert_eq!((report.entities_added, report.entities_matched), (0, 1));
    assert_eq!(report.aliases_added, 1);
    assert_eq!(report.rows_added, 3, "a claim, a mark, a gold sentence");
    assert_eq!(
        report.rows_updated, 1,
        "the boilerplate flag the rules set here"
    );
    assert!(report.conflicts.is_empty());
    assert!(!report.changed_nothing());
    // Entities are matched by name: the claim now points at ours.
    let merged = lead.claim("c1").unwrap().unwrap();
    assert_eq!(merged.target_entity.as_deref(), Some("e-lead"));
    assert_eq!(merged.stance.as_deref(), Some("favor"));
    let registry = lead.entities().unwrap();
    assert_eq!(registry.len(), 1);
    assert_eq!(registry[0].aliases, vec!["القاهرة".to_owned()]);
    assert_eq!(lead.marks_in_document("d1", Some(OMAR)).unwrap().len(), 1);
    assert_eq!(lead.gold_sentences(Some("d1")).unwrap().len(), 1);
    assert!(lead.sentences("d2").unwrap()[1].boilerplate);
    assert_eq!(lead.sentence_active_seconds("d1", 0, OMAR).unwrap(), 12.0);
    let copied = lead.document("d4").unwrap().unwrap();
    assert_eq!(copied.text, "خبر جديد. تفاصيل.");
    assert_eq!(lead.sentences("d4").unwrap().len(), 2);
    assert_eq!(lead.document_count().unwrap(), 4);
    assert!(lead.annotators().unwrap().contains(&OMAR.to_owned()));
    assert!(lead.integrity_problems().unwrap().is_empty());
    // Nothing of the merge is in the lead's undo log.
    assert_eq!(lead.history_labels(OMAR).unwrap(), (None, None));
}

pub fn merging_again_changes_nothing_and_later_edits_travel(backend: &Backend) {
    let ((_lead_scratch, mut lead), other_scratch) = lead_and_annotator(backend);
    let source = other_scratch.open_read_only();
    lead.merge_from(&*source).unwrap();
    let again = lead.merge_from(&*source).unwrap();
    assert!(again.changed_nothing(), "{again:?}");
    assert_eq!(again.rows_unchanged, 4);
    drop(source);
    // Omar edits his claim; hala annotates here. The next merge takes his edit, keeps hers.
    let mut other = other_scratch.open();
    let mut edited = confirmed(claim("c1", "d1", 0, OMAR), "against");
    edited.target_entity = Some("e-omar".into());
    act(
        other.as_mut(),
        OMAR,
        "Set stance",
        vec![RowState::Claim(edited)],
    );
    drop(other);
    act(
        lead.as_mut(),
        HALA,
        "Confirm",
        vec![RowState::Claim(confirmed(
            claim("h1", "d2", 0, HALA),
            "favor",
        ))],
    );
    let source = other_scratch.open_read_only();
    let report = lead.merge_from(&*source).unwrap();
    assert_eq!(report.rows_updated, 1, "{report:?}");
    assert!(report.conflicts.is_empty());
    assert_eq!(
        lead.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("against")
    );
    assert!(lead.claim("h1").unwrap().is_some());
    // An edit made here since, of a row unchanged there since, is kept.
    let mut mine = lead.claim("c1").unwrap().unwrap();
    mine.stance = Some("none".into());
    act(lead.as_mut(), HALA, "Edit", vec![RowState::Claim(mine)]);
    let report = lead.merge_from(&*source).unwrap();
    assert_eq!(report.rows_kept_here, 1, "{report:?}");
    assert!(report.conflicts.is_empty());
    assert_eq!(
        lead.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("none")
    );
}

pub fn edits_on_both_sides_are_conflicts_the_later_wins(backend: &Backend) {
    let ((_lead_scratch, mut lead), other_scratch) = lead_and_annotator(backend);
    lead.merge_from(&*other_scratch.open_read_only()).unwrap();
    // Both edit the same claim; the lead's edit comes later.
    let mut other = other_scratch.open();
    let mut theirs = confirmed(claim("c1", "d1", 0, OMAR), "against");
    theirs.target_entity = Some("e-omar".into());
    theirs.updated_at = "2021-01-01T00:00:00.000Z".into();
    act(
        other.as_mut(),
        OMAR,
        "Set stance",
        vec![RowState::Claim(theirs)],
    );
    drop(other);
    let mut ours = lead.claim("c1").unwrap().unwrap();
    ours.stance = Some("none".into());
    ours.updated_at = "2022-01-01T00:00:00.000Z".into();
    act(
        lead.as_mut(),
        HALA,
        "Set stance",
        vec![RowState::Claim(ours)],
    );
    let report = lead.merge_from(&*other_scratch.open_read_only()).unwrap();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    let conflict = &report.conflicts[0];
    assert_eq!(
        (
            conflict.kind.as_str(),
            conflict.key.as_str(),
            conflict.doc_id.as_str(),
            conflict.sentence
        ),
        ("claim", "c1", "d1", 0)
    );
    assert_eq!(conflict.winner, "here");
    assert_eq!(conflict.here_updated_at, "2022-01-01T00:00:00.000Z");
    assert_eq!(conflict.there_updated_at, "2021-01-01T00:00:00.000Z");
    assert_eq!(
        lead.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("none")
    );
    // Their later edit wins the next conflict.
    let mut other = other_scratch.open();
    let mut theirs = other.claim("c1").unwrap().unwrap();
    theirs.stance = Some("favor".into());
    theirs.updated_at = "2024-01-01T00:00:00.000Z".into();
    act(
        other.as_mut(),
        OMAR,
        "Set stance",
        vec![RowState::Claim(theirs)],
    );
    drop(other);
    let mut ours = lead.claim("c1").unwrap().unwrap();
    ours.note = "checked".into();
    ours.updated_at = "2023-01-01T00:00:00.000Z".into();
    act(lead.as_mut(), HALA, "Note", vec![RowState::Claim(ours)]);
    let report = lead.merge_from(&*other_scratch.open_read_only()).unwrap();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert_eq!(report.conflicts[0].winner, "there");
    assert_eq!(report.rows_updated, 1);
    let merged = lead.claim("c1").unwrap().unwrap();
    assert_eq!(merged.stance.as_deref(), Some("favor"));
    assert_eq!(merged.target_entity.as_deref(), Some("e-omar"));
}

pub fn a_document_with_another_text_is_refused_alone(backend: &Backend) {
    let (_lead_scratch, mut lead) = backend.fresh();
    seed(lead.as_mut());
    let (other_scratch, mut other) = backend.fresh();
    other
        .import_files(&[FileImport {
            origin: "x.jsonl".into(),
            documents: vec![
                document("d1", "another d1", &["نص آخر تماما."], 0),
                document("d9", "new", &["خبر."], 0),
            ],
        }])
        .unwrap();
    other.ensure_annotator(OMAR).unwrap();
    act(
        other.as_mut(),
        OMAR,
        "Confirm",
        vec![RowState::Claim(confirmed(
            claim("x1", "d1", 0, OMAR),
            "favor",
        ))],
    );
    act(
        other.as_mut(),
        OMAR,
        "Mark",
        vec![RowState::Mark(mark("d9", 0, OMAR))],
    );
    drop(other);
    let report = lead.merge_from(&*other_scratch.open_read_only()).unwrap();
    assert_eq!(report.documents_refused.len(), 1);
    assert_eq!(report.documents_refused[0].0, "d1");
    assert!(
        report.documents_refused[0].1.contains("different text"),
        "{report:?}"
    );
    assert_eq!(report.documents_added, 1);
    assert!(lead.claim("x1").unwrap().is_none(), "nothing of d1 merged");
    assert_eq!(lead.marks_in_document("d9", Some(OMAR)).unwrap().len(), 1);
    assert_eq!(
        lead.document("d1").unwrap().unwrap().title,
        "قمة الرياض",
        "ours untouched"
    );
}

pub fn the_same_database_is_refused(backend: &Backend) {
    let (scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let itself = scratch.open_read_only();
    let error = store.merge_from(&*itself).unwrap_err();
    assert!(
        error.to_string().contains("same database") && error.to_string().contains("nothing"),
        "{error}"
    );
    assert_eq!(store.document_count().unwrap(), 3);
}
