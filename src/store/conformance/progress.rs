//! Progress per sentence, reading time and pace.

use super::backend::Backend;
use super::fixtures::{HALA, OMAR, act, claim, confirmed, mark, seed};
use crate::domain::{RowState, SentenceProgress};

pub fn progress_counts_confirmed_claims_marks_and_reading(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    assert_eq!(
        store.sentence_progress("d1", HALA).unwrap(),
        vec![SentenceProgress::default(); 3]
    );
    act(
        store.as_mut(),
        HALA,
        "a",
        vec![
            RowState::Claim(confirmed(claim("c1", "d1", 0, HALA), "favor")),
            RowState::Claim(confirmed(claim("c2", "d1", 0, HALA), "against")),
            RowState::Claim(claim("c3", "d1", 2, HALA)),
        ],
    );
    act(
        store.as_mut(),
        HALA,
        "x",
        vec![RowState::Mark(mark("d1", 1, HALA))],
    );
    store.add_sentence_activity("d1", 2, HALA, 1.25).unwrap();
    store.add_sentence_activity("d1", 2, HALA, 2.5).unwrap();
    let progress = store.sentence_progress("d1", HALA).unwrap();
    assert_eq!(progress.len(), 3);
    assert!(progress[0].is_done() && progress[0].confirmed_claims == 2);
    assert!(progress[1].is_done() && progress[1].no_claim);
    assert!(!progress[2].is_done() && progress[2].has_draft && progress[2].seen);
    assert!(!progress[0].seen);
    assert_eq!(store.sentence_active_seconds("d1", 2, HALA).unwrap(), 3.75);
    assert_eq!(store.sentence_active_seconds("d1", 2, OMAR).unwrap(), 0.0);
    assert_eq!(
        store.sentence_progress("d1", OMAR).unwrap(),
        vec![SentenceProgress::default(); 3],
        "another annotator's progress is their own"
    );
    assert!(store.sentence_progress("nope", HALA).unwrap().is_empty());
}

pub fn pace_counts_decided_content_sentences_and_active_time(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "a",
        vec![
            RowState::Claim(confirmed(claim("c1", "d1", 0, HALA), "favor")),
            RowState::Claim(confirmed(claim("c2", "d1", 0, HALA), "favor")),
            RowState::Mark(mark("d2", 0, HALA)),
            // On a boilerplate sentence: not a content sentence decided.
            RowState::Mark(mark("d1", 2, HALA)),
        ],
    );
    store.add_sentence_activity("d1", 0, HALA, 1800.0).unwrap();
    store.add_sentence_activity("d2", 0, HALA, 1800.0).unwrap();
    let pace = store.annotator_pace().unwrap();
    assert_eq!(
        pace.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        [HALA, OMAR]
    );
    assert_eq!(pace[0].decided_sentences, 2);
    assert!((pace[0].active_hours - 1.0).abs() < 1e-9);
    assert_eq!(pace[0].sentences_per_hour(), Some(2.0));
    assert_eq!(pace[1].decided_sentences, 0);
    assert_eq!(pace[1].sentences_per_hour(), None);
}
