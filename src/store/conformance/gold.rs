//! The gold standard: gold claims and sentence decisions through the log, listed and
//! undone; adjudication progress.

use super::backend::Backend;
use super::fixtures::{HALA, OMAR, act, claim, confirmed, gold_claim, gold_sentence, mark, seed};
use crate::domain::{GoldClaimRow, RowState};

pub fn gold_claims_and_sentences_are_written_listed_and_undone(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    assert!(store.adjudication_overview().unwrap().is_empty());
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
        OMAR,
        "No claim",
        vec![RowState::Mark(mark("d2", 0, OMAR))],
    );
    let accepted = gold_claim("g1", "d1", 0);
    let mut rejected = gold_claim("g0", "d1", 0);
    rejected.deleted = true;
    act(
        store.as_mut(),
        "lead",
        "Accept",
        vec![
            RowState::GoldClaim(accepted.clone()),
            RowState::GoldClaim(rejected.clone()),
            RowState::GoldSentence(gold_sentence("d1", 0, "claims")),
        ],
    );
    act(
        store.as_mut(),
        "lead",
        "No claim",
        vec![RowState::GoldSentence(gold_sentence("d2", 0, "no_claim"))],
    );
    assert_eq!(
        store.gold_claims(Some("d1"), false).unwrap(),
        vec![accepted.clone()]
    );
    assert_eq!(store.gold_claims(None, true).unwrap().len(), 2);
    assert!(store.gold_claims(Some("d2"), true).unwrap().is_empty());
    let sentences = store.gold_sentences(None).unwrap();
    assert_eq!(
        sentences
            .iter()
            .map(|g| (g.doc_id.as_str(), g.status.as_str()))
            .collect::<Vec<_>>(),
        [("d1", "claims"), ("d2", "no_claim")],
        "in import order"
    );
    assert_eq!(store.gold_sentences(Some("d2")).unwrap().len(), 1);
    let overview = store.adjudication_overview().unwrap();
    assert_eq!(
        overview
            .iter()
            .map(|p| (
                p.doc_id.as_str(),
                p.content_sentences,
                p.annotated_sentences,
                p.gold_sentences
            ))
            .collect::<Vec<_>>(),
        [("d1", 2, 1, 1), ("d2", 2, 1, 1)]
    );
    assert_eq!(overview[0].title, "قمة الرياض");
    // Undo takes the last gold decision back; redo brings it again.
    let undone = store.undo("lead").unwrap().unwrap();
    assert_eq!(undone.location, Some(("d2".to_owned(), 0)));
    assert!(store.gold_sentences(Some("d2")).unwrap().is_empty());
    store.undo("lead").unwrap();
    assert!(store.gold_claims(None, false).unwrap().is_empty());
    assert!(store.gold_sentences(None).unwrap().is_empty());
    store.redo("lead").unwrap();
    let redone = store.gold_claims(None, false).unwrap();
    assert_eq!(redone.len(), 1);
    assert!(
        redone[0].updated_at > accepted.updated_at,
        "a redo is a new edit"
    );
    assert_eq!(
        GoldClaimRow {
            updated_at: accepted.updated_at.clone(),
            ..redone[0].clone()
        },
        accepted
    );
    assert!(store.integrity_problems().unwrap().is_empty());
}
