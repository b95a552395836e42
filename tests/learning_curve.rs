//! The learning curve of `isnad::learn` on the hand-labelled evaluation set
//! (`tests/fixtures/proposals/`): the stance model and the target re-ranker trained on the
//! first k claims of the `dev` split that have a target and a stance, measured on the
//! held-out `test` split, against the majority stance of the same k claims and against the
//! proposer's heuristic target (the first known entity in the content that is not the
//! speaker). The claim parts (content, cue, speaker, target) are the gold ones: the curve
//! measures what the model adds on top of a right proposal. `cargo test --release --test
//! learning_curve -- --nocapture` prints the table of BENCHMARKS.md.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use isnad::learn::{self, Candidate, ClaimText, Example, Settings};
use isnad::propose::EntityIndex;
use isnad::propose::entities::ProjectEntity;
use isnad::starter_entities::EntityKind;
use serde_json::Value;

const STANCES: &[&str] = &["favor", "against", "neutral", "unclear"];

/// A gold claim of the fixtures with a target and a stance.
struct Gold {
    sentence: String,
    content: String,
    content_range: Range<usize>,
    cue: String,
    speaker: Option<String>,
    target: String,
    target_range: Range<usize>,
    stance: String,
}

fn split_dir(split: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/proposals/{split}"))
}

/// Code points of the first occurrence of `part` in `text`.
fn locate(text: &str, part: &str) -> Range<usize> {
    let byte = text
        .find(part)
        .unwrap_or_else(|| panic!("{part:?} not in {text:?}"));
    let start = text[..byte].chars().count();
    start..start + part.chars().count()
}

fn string(claim: &Value, key: &str) -> Option<String> {
    claim.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The claims with a stance of a split, in file and sentence order.
fn read_split(split: &str) -> Vec<Gold> {
    let mut paths: Vec<_> = std::fs::read_dir(split_dir(split))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let json: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for sentence in json["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|line| line.as_array().unwrap())
        {
            let t = sentence["t"].as_str().unwrap();
            for claim in sentence
                .get("claims")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(target), Some(stance)) =
                    (string(claim, "target"), string(claim, "stance"))
                else {
                    continue;
                };
                let content = string(claim, "content").unwrap();
                let speaker = string(claim, "name")
                    .or_else(|| string(claim, "speaker"))
                    .or_else(|| string(claim, "implicit"));
                out.push(Gold {
                    sentence: t.to_owned(),
                    content_range: locate(t, &content),
                    content,
                    cue: string(claim, "cue").unwrap(),
                    speaker,
                    target_range: locate(t, &target),
                    target,
                    stance,
                });
            }
        }
    }
    out
}

/// The registry of a project whose annotators created every target they chose (both
/// splits): the candidates are the same for the heuristic and the model.
fn registry(claims: &[&Gold]) -> EntityIndex {
    let names: BTreeSet<String> = claims.iter().map(|c| c.target.clone()).collect();
    EntityIndex::new(names.into_iter().map(|name| ProjectEntity {
        key: name.clone(),
        name,
        kind: EntityKind::Other,
        aliases: Vec::new(),
    }))
}

/// A gold claim as a training example, with its target candidates.
fn example(index: &EntityIndex, gold: &Gold) -> Example {
    let range = &gold.content_range;
    let mentions = index.mentions_in(&gold.sentence, range);
    let candidates: Vec<Candidate> = mentions
        .iter()
        .map(|m| Candidate {
            name: index.proposal(m).name,
            start: m.range.start - range.start,
            end: m.range.end - range.start,
        })
        .collect();
    let chosen = mentions.iter().position(|m| {
        m.range.start < gold.target_range.end && gold.target_range.start < m.range.end
    });
    Example {
        sentence: gold.sentence.clone(),
        content: gold.content.clone(),
        cue: gold.cue.clone(),
        speaker: gold.speaker.clone(),
        target: Some(gold.target.clone()),
        stance: Some(gold.stance.clone()),
        candidates,
        chosen,
    }
}

/// Accuracy and macro-F1 (over the stances in the gold or the predictions).
fn scores(gold: &[&str], predicted: &[&str]) -> (f64, f64) {
    let right = gold.iter().zip(predicted).filter(|(g, p)| g == p).count();
    let labels: Vec<&str> = STANCES
        .iter()
        .copied()
        .filter(|s| gold.contains(s) || predicted.contains(s))
        .collect();
    let f1: f64 = labels
        .iter()
        .map(|&label| {
            let tp = gold
                .iter()
                .zip(predicted)
                .filter(|(g, p)| **g == label && **p == label)
                .count();
            let fp = predicted.iter().filter(|p| **p == label).count() - tp;
            let fn_ = gold.iter().filter(|g| **g == label).count() - tp;
            if tp == 0 {
                0.0
            } else {
                2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
            }
        })
        .sum();
    (right as f64 / gold.len() as f64, f1 / labels.len() as f64)
}

/// The most frequent stance of the training claims (the first in schema order of equals).
fn majority(train: &[Example]) -> &'static str {
    let count = |s: &str| {
        train
            .iter()
            .filter(|e| e.stance.as_deref() == Some(s))
            .count()
    };
    STANCES
        .iter()
        .copied()
        .rev()
        .max_by_key(|s| count(s))
        .unwrap_or("unclear")
}

/// One line of the curve.
struct Point {
    k: usize,
    majority: (f64, f64),
    model: Option<(f64, f64)>,
    suggest: (f64, f64, f64),
    target: (usize, usize, usize),
    reranker: bool,
    /// Right targets with the shipped settings' re-ranker, when one was kept.
    shipped_target: Option<usize>,
    train_ms: f64,
}

/// Trains on `train` and measures on `test`.
fn point(train: &[Example], test: &[Example]) -> Point {
    let gold: Vec<&str> = test.iter().map(|e| e.stance.as_deref().unwrap()).collect();
    let base = majority(train);
    let majority = scores(&gold, &vec![base; gold.len()]);
    // The raw learner: no minimum of examples, its most likely stance always.
    let raw = Settings {
        min_stance_examples: 1,
        min_target_examples: 1,
        min_confidence: 0.0,
        ..Settings::default()
    };
    let started = Instant::now();
    let model = learn::try_train(train, &raw).unwrap();
    let train_ms = started.elapsed().as_secs_f64() * 1000.0;
    let predicted: Option<Vec<String>> = model.as_ref().and_then(|m| {
        test.iter()
            .map(|e| m.stance(&e.text()).map(|s| s.0))
            .collect()
    });
    let model_scores =
        predicted.map(|p| scores(&gold, &p.iter().map(String::as_str).collect::<Vec<_>>()));
    // What `isnad suggest` writes: the default settings, "unclear" when not confident.
    let shipped = learn::train(train);
    let written: Vec<String> = test
        .iter()
        .map(|e| {
            shipped
                .as_ref()
                .and_then(|m| m.stance(&e.text()))
                .map_or("unclear".into(), |s| s.0)
        })
        .collect();
    let covered = shipped.as_ref().map_or(0, |m| {
        test.iter()
            .filter(|e| m.stance(&e.text()).is_some())
            .count()
    });
    let (acc, f1) = scores(
        &gold,
        &written.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let suggest = (acc, f1, covered as f64 / test.len() as f64);
    let target = target_accuracy(model.as_ref(), test);
    let shipped_target = target_accuracy(shipped.as_ref(), test).2;
    let reranker = model.as_ref().is_some_and(|m| m.target.is_some());
    let shipped_reranker = shipped.as_ref().is_some_and(|m| m.target.is_some());
    Point {
        k: train.len(),
        majority,
        model: model_scores,
        suggest,
        target,
        reranker,
        shipped_target: shipped_reranker.then_some(shipped_target),
        train_ms,
    }
}

/// Over the test claims whose target is one of two or more candidates: (claims, right by the
/// heuristic, right by the re-ranker where one was trained, else the heuristic).
fn target_accuracy(model: Option<&learn::Model>, test: &[Example]) -> (usize, usize, usize) {
    let ranked: Vec<&Example> = test
        .iter()
        .filter(|e| e.chosen.is_some() && e.candidates.len() >= 2)
        .collect();
    let heuristic = |e: &Example| learn::target::heuristic(&e.text(), &e.candidates);
    let by_heuristic = ranked.iter().filter(|e| heuristic(e) == e.chosen).count();
    let learnt = ranked
        .iter()
        .filter(|e| {
            let claim = ClaimText {
                target: None,
                ..e.text()
            };
            let best = model.and_then(|m| m.best_target(&claim, &e.candidates));
            best.or_else(|| heuristic(e)) == e.chosen
        })
        .count();
    (ranked.len(), by_heuristic, learnt)
}

fn print_curve(points: &[Point], test: usize) {
    println!("stance on the test split ({test} claims): accuracy / macro-F1");
    println!(
        "| k dev claims | majority of the k | model (most likely) | `suggest` (p ≥ 0.5, else unclear) | written | target: heuristic / raw re-ranker / shipped | training |"
    );
    println!("|---|---|---|---|---|---|---|");
    for p in points {
        let model = p
            .model
            .map_or("—".into(), |(a, f)| format!("{a:.2} / {f:.2}"));
        let (n, h, m) = p.target;
        let raw = if p.reranker {
            format!("{m}/{n}")
        } else {
            "—".into()
        };
        let shipped = p
            .shipped_target
            .map_or("heuristic kept".into(), |r| format!("{r}/{n}"));
        let target = format!("{h}/{n} / {raw} / {shipped}");
        println!(
            "| {} | {:.2} / {:.2} | {model} | {:.2} / {:.2} | {:.0} % | {target} | {:.1} ms |",
            p.k,
            p.majority.0,
            p.majority.1,
            p.suggest.0,
            p.suggest.1,
            p.suggest.2 * 100.0,
            p.train_ms
        );
    }
}

#[test]
fn the_learnt_stance_beats_the_majority_on_the_held_out_split() {
    let dev = read_split("dev");
    let test = read_split("test");
    assert!(
        dev.len() >= 60 && test.len() >= 60,
        "{} dev, {} test",
        dev.len(),
        test.len()
    );
    let index = registry(&dev.iter().chain(&test).collect::<Vec<_>>());
    let dev: Vec<Example> = dev.iter().map(|g| example(&index, g)).collect();
    let test: Vec<Example> = test.iter().map(|g| example(&index, g)).collect();
    let mut ks: Vec<usize> = [10, 20, 40, 80]
        .into_iter()
        .filter(|&k| k < dev.len())
        .collect();
    ks.push(dev.len());
    let points: Vec<Point> = ks.iter().map(|&k| point(&dev[..k], &test)).collect();
    print_curve(&points, test.len());
    let all = points.last().unwrap();
    let (accuracy, f1) = all.model.unwrap();
    assert!(
        accuracy > all.majority.0,
        "accuracy {accuracy:.2} vs majority {:.2}",
        all.majority.0
    );
    assert!(
        f1 > all.majority.1,
        "macro-F1 {f1:.2} vs majority {:.2}",
        all.majority.1
    );
    assert!(
        all.suggest.2 > 0.0,
        "with every dev claim the shipped model proposes stances"
    );
    for p in &points {
        let (n, heuristic, _) = p.target;
        if let Some(right) = p.shipped_target {
            assert!(
                right >= heuristic,
                "k = {}: the shipped re-ranker chose {right}/{n} held-out targets right, the heuristic {heuristic}/{n}",
                p.k
            );
        }
    }
    for p in &points[..2] {
        assert_eq!(
            p.suggest.2, 0.0,
            "below 30 claims nothing is proposed (k = {})",
            p.k
        );
    }
}

/// Training stays cheap at project scale: 2 000 claims (the dev claims again and again, each
/// copy with words of its own so the features keep growing) are fitted in one call.
#[test]
fn two_thousand_claims_train_in_one_go() {
    let dev = read_split("dev");
    let index = registry(&dev.iter().collect::<Vec<_>>());
    let base: Vec<Example> = dev.iter().map(|g| example(&index, g)).collect();
    let many: Vec<Example> = (0..2000)
        .map(|i| {
            let mut e = base[i % base.len()].clone();
            e.content = format!("{} كلمة{} رقم{}", e.content, i % 97, i % 13);
            e
        })
        .collect();
    let started = Instant::now();
    let model = learn::train(&many).unwrap();
    let elapsed = started.elapsed();
    println!(
        "2000 claims: trained in {:.0} ms ({} stance examples, {} target examples)",
        elapsed.as_secs_f64() * 1000.0,
        model.stance_examples(),
        model.target_examples()
    );
    assert_eq!(model.stance_examples(), 2000);
}
