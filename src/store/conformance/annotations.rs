//! Claims and marks, written through the action log (undo, redo, history) and imported.

use super::backend::Backend;
use super::fixtures::{HALA, OMAR, act, claim, confirmed, entity, mark, seed};
use crate::domain::{ClaimStatus, RowState, Span};

pub fn a_claim_is_created_edited_confirmed_and_deleted(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let draft = claim("c1", "d1", 0, HALA);
    let first = act(
        store.as_mut(),
        HALA,
        "Set speaker",
        vec![RowState::Claim(draft.clone())],
    );
    assert_eq!(
        store.claim("c1").unwrap().unwrap(),
        draft,
        "stored as given"
    );
    let mut edited = draft.clone();
    edited.target_span = Some(Span::new(4, 10));
    edited.cue_span = Some(Span::new(0, 3));
    edited.content_span = Some(Span::new(11, 20));
    edited.note = "«ملاحظة» \"quoted\"".into();
    edited.claim_type = Some("prediction".into());
    let second = act(
        store.as_mut(),
        HALA,
        "Set target",
        vec![RowState::Claim(edited.clone())],
    );
    assert!(second > first, "sequence numbers grow");
    let sure = confirmed(edited.clone(), "favor");
    act(
        store.as_mut(),
        HALA,
        "Confirm",
        vec![RowState::Claim(sure.clone())],
    );
    let stored = store.claim("c1").unwrap().unwrap();
    assert_eq!(stored, sure);
    assert_eq!(stored.status, ClaimStatus::Confirmed);
    assert_eq!(
        store.claims_in_document("d1", Some(HALA)).unwrap(),
        vec![sure.clone()]
    );
    assert_eq!(store.claims_in_document("d1", None).unwrap().len(), 1);
    assert!(
        store
            .claims_in_document("d1", Some(OMAR))
            .unwrap()
            .is_empty()
    );
    assert!(store.claims_in_document("d2", None).unwrap().is_empty());
    let mut gone = sure.clone();
    gone.deleted = true;
    act(
        store.as_mut(),
        HALA,
        "Delete claim",
        vec![RowState::Claim(gone)],
    );
    assert!(
        store.claim("c1").unwrap().unwrap().deleted,
        "a deleted claim stays as a tombstone"
    );
    assert!(store.claims_in_document("d1", None).unwrap().is_empty());
    let recent = store.recent_actions(HALA, 10).unwrap();
    assert_eq!(
        recent.iter().map(|a| a.label.as_str()).collect::<Vec<_>>(),
        ["Delete claim", "Confirm", "Set target", "Set speaker"]
    );
    assert!(recent[0].seq > recent[1].seq && !recent[0].at.is_empty());
    assert_eq!(store.recent_actions(HALA, 2).unwrap().len(), 2);
    assert!(store.integrity_problems().unwrap().is_empty());
}

pub fn undo_and_redo_walk_the_history(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let first = claim("c1", "d1", 0, HALA);
    act(
        store.as_mut(),
        HALA,
        "Set speaker",
        vec![RowState::Claim(first.clone())],
    );
    let mut second = first.clone();
    second.stance = Some("favor".into());
    act(
        store.as_mut(),
        HALA,
        "Set stance",
        vec![RowState::Claim(second)],
    );
    assert_eq!(
        store.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("favor")
    );
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (Some("Set stance".into()), None)
    );

    let undone = store.undo(HALA).unwrap().unwrap();
    assert_eq!(undone.label, "Set stance");
    assert_eq!(undone.location, Some(("d1".to_owned(), 0)));
    let reverted = store.claim("c1").unwrap().unwrap();
    assert_eq!(reverted.stance, None);
    assert!(
        reverted.updated_at > first.updated_at,
        "an undo is a new edit (merges see it)"
    );
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (Some("Set speaker".into()), Some("Set stance".into()))
    );
    assert_eq!(store.undo(HALA).unwrap().unwrap().label, "Set speaker");
    assert!(
        store.claim("c1").unwrap().unwrap().deleted,
        "undoing the creation deletes"
    );
    assert!(
        store
            .claims_in_document("d1", Some(HALA))
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.undo(HALA).unwrap(), None);
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (None, Some("Set speaker".into()))
    );

    assert_eq!(store.redo(HALA).unwrap().unwrap().label, "Set speaker");
    assert!(!store.claim("c1").unwrap().unwrap().deleted);
    assert_eq!(store.redo(HALA).unwrap().unwrap().label, "Set stance");
    assert_eq!(
        store.claim("c1").unwrap().unwrap().stance.as_deref(),
        Some("favor")
    );
    assert_eq!(store.redo(HALA).unwrap(), None);
}

pub fn a_new_action_clears_the_redo_stack(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "a",
        vec![RowState::Claim(claim("c1", "d1", 0, HALA))],
    );
    store.undo(HALA).unwrap();
    act(
        store.as_mut(),
        HALA,
        "b",
        vec![RowState::Claim(claim("c2", "d1", 1, HALA))],
    );
    assert_eq!(store.redo(HALA).unwrap(), None);
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (Some("b".into()), None)
    );
    assert!(store.claim("c1").unwrap().unwrap().deleted);
}

pub fn every_annotator_has_their_own_history(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "hala's",
        vec![RowState::Claim(claim("c1", "d1", 0, HALA))],
    );
    act(
        store.as_mut(),
        OMAR,
        "omar's",
        vec![RowState::Claim(claim("c2", "d1", 0, OMAR))],
    );
    assert_eq!(store.undo(HALA).unwrap().unwrap().label, "hala's");
    assert!(store.claim("c1").unwrap().unwrap().deleted);
    assert!(
        !store.claim("c2").unwrap().unwrap().deleted,
        "omar's claim untouched"
    );
    assert_eq!(
        store.history_labels(OMAR).unwrap(),
        (Some("omar's".into()), None)
    );
    // One action, several rows: undone and redone together.
    act(
        store.as_mut(),
        HALA,
        "two rows",
        vec![
            RowState::Claim(claim("c3", "d2", 0, HALA)),
            RowState::Mark(mark("d2", 1, HALA)),
        ],
    );
    let undone = store.undo(HALA).unwrap().unwrap();
    assert_eq!(undone.location, Some(("d2".to_owned(), 0)));
    assert!(store.claim("c3").unwrap().unwrap().deleted);
    assert!(
        store
            .marks_in_document("d2", Some(HALA))
            .unwrap()
            .is_empty()
    );
    store.redo(HALA).unwrap();
    assert!(!store.claim("c3").unwrap().unwrap().deleted);
    assert_eq!(store.marks_in_document("d2", Some(HALA)).unwrap().len(), 1);
}

pub fn marks_are_set_read_and_undone(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let no_claim = mark("d1", 1, HALA);
    act(
        store.as_mut(),
        HALA,
        "No claim",
        vec![RowState::Mark(no_claim.clone())],
    );
    act(
        store.as_mut(),
        OMAR,
        "No claim",
        vec![RowState::Mark(mark("d1", 0, OMAR))],
    );
    assert_eq!(
        store.marks_in_document("d1", Some(HALA)).unwrap(),
        vec![no_claim.clone()]
    );
    let everyone = store.marks_in_document("d1", None).unwrap();
    assert_eq!(
        everyone
            .iter()
            .map(|m| (m.sentence_idx, m.annotator.as_str()))
            .collect::<Vec<_>>(),
        [(0, OMAR), (1, HALA)],
        "by sentence, then annotator"
    );
    let mut cleared = no_claim.clone();
    cleared.deleted = true;
    act(store.as_mut(), HALA, "Clear", vec![RowState::Mark(cleared)]);
    assert!(
        store
            .marks_in_document("d1", Some(HALA))
            .unwrap()
            .is_empty()
    );
    store.undo(HALA).unwrap();
    assert_eq!(store.marks_in_document("d1", Some(HALA)).unwrap().len(), 1);
    store.undo(HALA).unwrap();
    assert!(
        store
            .marks_in_document("d1", Some(HALA))
            .unwrap()
            .is_empty()
    );
}

pub fn imported_claims_and_decisions_read_back(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    let mut with_entity = confirmed(claim("i1", "d1", 0, "newcomer"), "favor");
    with_entity.speaker_entity = Some("e-x".into());
    with_entity.origin = "import".into();
    let on_boilerplate = confirmed(claim("i2", "d1", 2, HALA), "none");
    let draft = claim("i3", "d2", 0, HALA);
    let marks = vec![mark("d2", 1, OMAR), mark("d1", 1, HALA)];
    let written = store
        .import_claims(
            &[(entity("e-x", "X"), vec!["إكس".into()])],
            &[with_entity.clone(), on_boilerplate.clone(), draft.clone()],
            &marks,
        )
        .unwrap();
    assert_eq!(written, 5);
    assert!(store.annotators().unwrap().contains(&"newcomer".to_owned()));
    assert_eq!(store.claim("i1").unwrap().unwrap(), with_entity);
    assert_eq!(store.entities().unwrap()[0].aliases, vec!["إكس".to_owned()]);
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (None, None),
        "imports are outside the undo log"
    );
    // Decisions: confirmed claims and marks, boilerplate sentences left out.
    let (claims, decided_marks) = store.content_decisions(None).unwrap();
    assert_eq!(
        claims.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["i1"]
    );
    assert_eq!(decided_marks.len(), 2);
    let (claims, decided_marks) = store.content_decisions(Some("d2")).unwrap();
    assert!(claims.is_empty());
    assert_eq!(decided_marks.len(), 1);
    assert_eq!(
        store.decision_count(None).unwrap(),
        4,
        "i1, i2 and two marks"
    );
    assert_eq!(store.decision_count(Some(HALA)).unwrap(), 2);
    let mut seen = Vec::new();
    store
        .for_each_annotated_document(None, &mut |doc_id, text, claims, marks| {
            assert_eq!(
                text,
                store_text(doc_id),
                "the document's text comes with it"
            );
            seen.push((doc_id.to_owned(), claims.len(), marks.len()));
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, [("d1".to_owned(), 2, 1), ("d2".to_owned(), 0, 1)]);
    let mut hala = Vec::new();
    store
        .for_each_annotated_document(Some(HALA), &mut |doc_id, _, claims, marks| {
            hala.push((doc_id.to_owned(), claims.len(), marks.len()));
            Ok(())
        })
        .unwrap();
    assert_eq!(hala, [("d1".to_owned(), 1, 1)]);
    // Replacing by id.
    let mut again = with_entity.clone();
    again.stance = Some("against".into());
    store.import_claims(&[], &[again], &[]).unwrap();
    assert_eq!(
        store.claim("i1").unwrap().unwrap().stance.as_deref(),
        Some("against")
    );
}

/// The text of a corpus document.
fn store_text(doc_id: &str) -> String {
    super::fixtures::corpus()
        .into_iter()
        .flat_map(|file| file.documents)
        .find(|d| d.id == doc_id)
        .map(|d| d.text)
        .unwrap_or_default()
}

pub fn boilerplate_flips_are_undoable_and_leave_the_decisions(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "Confirm",
        vec![RowState::Claim(confirmed(
            claim("c1", "d1", 1, HALA),
            "favor",
        ))],
    );
    act(
        store.as_mut(),
        HALA,
        "Flag",
        vec![RowState::Boilerplate {
            doc_id: "d1".into(),
            sentence_idx: 1,
            boilerplate: true,
            reason: Some("by hand".into()),
        }],
    );
    let sentence = &store.sentences("d1").unwrap()[1];
    assert!(sentence.boilerplate);
    assert_eq!(sentence.boilerplate_reason.as_deref(), Some("by hand"));
    assert!(store.content_decisions(Some("d1")).unwrap().0.is_empty());
    assert!(store.claim("c1").unwrap().is_some_and(|c| !c.deleted));
    let undone = store.undo(HALA).unwrap().unwrap();
    assert_eq!(undone.location, Some(("d1".to_owned(), 1)));
    let sentence = &store.sentences("d1").unwrap()[1];
    assert!(!sentence.boilerplate);
    assert_eq!(sentence.boilerplate_reason, None);
    assert_eq!(store.content_decisions(Some("d1")).unwrap().0.len(), 1);
    assert!(store.integrity_problems().unwrap().is_empty());
}
