//! The learners on small made-up projects.

#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use super::*;

const PLACES: &[&str] = &["سوريا", "لبنان", "العراق", "الأردن", "مصر"];

/// A claim "X يدعم/يدين P" with a stance that follows the verb.
fn example(i: usize) -> Example {
    let place = PLACES[i % PLACES.len()];
    let (verb, stance) = match i % 3 {
        0 => ("تدعم بقوة", "favor"),
        1 => ("تدين بشدة", "against"),
        _ => ("تجتمع مع", "neutral"),
    };
    let content = format!("أن الحكومة {verb} {place} في هذه المرحلة");
    Example {
        sentence: format!("وقال الوزير {content}."),
        content,
        cue: "وقال".into(),
        speaker: Some("الوزير".into()),
        target: Some(place.into()),
        stance: Some(stance.into()),
        candidates: Vec::new(),
        chosen: None,
    }
}

/// A claim with two candidates where the speaker always means the second, "إيران".
fn ranked(i: usize) -> Example {
    let first = PLACES[i % PLACES.len()];
    let content = format!("أن {first} تتعرض لضغوط من إيران منذ أشهر");
    let second = content.chars().count() - "إيران منذ أشهر".chars().count();
    Example {
        sentence: format!("وقال المسؤول {content}."),
        content,
        cue: "وقال".into(),
        speaker: Some("المسؤول".into()),
        target: Some("إيران".into()),
        stance: None,
        candidates: vec![
            Candidate {
                name: first.into(),
                start: 3,
                end: 3 + first.chars().count(),
            },
            Candidate {
                name: "إيران".into(),
                start: second,
                end: second + 5,
            },
        ],
        chosen: Some(1),
    }
}

#[test]
fn too_few_claims_give_no_model() {
    let examples: Vec<Example> = (0..29).map(example).collect();
    assert!(train(&examples).is_none());
    let one_stance: Vec<Example> = (0..60).filter(|i| i % 3 == 0).map(example).collect();
    assert!(
        train(&one_stance).is_none(),
        "one stance is nothing to tell apart"
    );
}

#[test]
fn the_stance_follows_the_words_the_annotators_labelled() {
    let examples: Vec<Example> = (0..60).map(example).collect();
    let model = train(&examples).unwrap();
    assert_eq!(model.stance_examples(), 60);
    assert!(model.target.is_none(), "no candidates to learn from");
    let claim = ClaimText {
        sentence: "وأكد الوزير أن الحكومة تدعم بقوة مصر.",
        content: "أن الحكومة تدعم بقوة مصر",
        cue: "وأكد",
        speaker: Some("الوزير"),
        target: Some("مصر"),
    };
    let (stance, p) = model.stance(&claim).unwrap();
    assert_eq!(stance, "favor");
    assert!(p > 0.5, "{p}");
    let against = ClaimText {
        content: "أن الحكومة تدين بشدة مصر",
        ..claim
    };
    assert_eq!(model.stance(&against).unwrap().0, "against");
}

#[test]
fn training_is_deterministic() {
    let examples: Vec<Example> = (0..45).map(example).collect();
    let claim = examples[4].text();
    let a = train(&examples).unwrap().stance(&claim);
    let b = train(&examples).unwrap().stance(&claim);
    assert_eq!(a, b);
}

#[test]
fn the_target_the_annotators_choose_is_ranked_first() {
    let examples: Vec<Example> = (0..40).map(ranked).collect();
    assert!(train(&examples[..20]).is_none(), "20 is too few");
    let model = train(&examples).unwrap();
    assert!(model.stance.is_none());
    assert_eq!(model.target_examples(), 40);
    let query = ranked(3);
    // The heuristic takes the first mention; annotators took the second.
    assert_eq!(model.best_target(&query.text(), &query.candidates), Some(1));
    assert_eq!(model.best_target(&query.text(), &[]), None);
}
