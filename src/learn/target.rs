//! The target re-ranker: a binary logistic regression scoring each candidate (a known
//! entity mentioned inside the content) by what annotators chose before and where it
//! stands; the best-scoring candidate is proposed.

use std::collections::BTreeMap;

use linfa::Dataset;
use linfa::traits::Fit;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};

use crate::corpus::normalize::fold;

use super::types::{Candidate, ClaimText, Example, LearnError, Settings};

/// Features per candidate (see [`TargetStats::features`]).
const FEATURES: usize = 12;

/// The feature holding how often this speaker's claims had this target before.
const PAIR: usize = 4;

/// Prepositions that make the entity after them the one acted on ("ضد إسرائيل").
const PREPOSITIONS: &[&str] = &[
    "مع", "على", "ضد", "الى", "إلى", "من", "عن", "حول", "بشأن", "تجاه", "لدى",
];

/// What annotators chose before: speaker→target pairs, entities chosen and passed over.
#[derive(Debug, Clone, Default)]
pub struct TargetStats {
    pairs: BTreeMap<(String, String), usize>,
    chosen: BTreeMap<String, usize>,
    passed: BTreeMap<String, usize>,
}

impl TargetStats {
    /// Counts every example whose target was one of its candidates.
    pub fn from_examples(examples: &[Example]) -> TargetStats {
        let mut stats = TargetStats::default();
        for example in examples {
            stats.count(example, 1);
        }
        stats
    }

    /// Adds (`sign` 1) or takes out (`sign` -1) one example's choices.
    fn count(&mut self, example: &Example, sign: isize) {
        let Some(chosen) = example.chosen.and_then(|c| example.candidates.get(c)) else {
            return;
        };
        let name = fold(&chosen.name);
        if let Some(speaker) = &example.speaker {
            bump(&mut self.pairs, (fold(speaker), name.clone()), sign);
        }
        bump(&mut self.chosen, name.clone(), sign);
        for other in &example.candidates {
            let other = fold(&other.name);
            if other != name {
                bump(&mut self.passed, other, sign);
            }
        }
    }

    /// The feature rows of a claim's candidates.
    fn features(&self, claim: &ClaimText<'_>, candidates: &[Candidate]) -> Vec<[f64; FEATURES]> {
        let speaker = claim.speaker.map(fold);
        let content: Vec<char> = claim.content.chars().collect();
        let length = content.len().max(1) as f64;
        let names: Vec<String> = candidates.iter().map(|c| fold(&c.name)).collect();
        let heuristic = names.iter().position(|n| Some(n) != speaker.as_ref());
        let count = |map: &BTreeMap<String, usize>, key: &String| {
            (map.get(key).copied().unwrap_or(0) as f64).ln_1p()
        };
        candidates
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(index, (candidate, name))| {
                let before: String = content[..candidate.start.min(content.len())]
                    .iter()
                    .collect();
                let words_before: Vec<&str> = before.split_whitespace().collect();
                let preposition = words_before
                    .last()
                    .is_some_and(|w| PREPOSITIONS.contains(&fold(w).as_str()));
                let pair = speaker.as_ref().map_or(0.0, |s| {
                    let n = self.pairs.get(&(s.clone(), name.clone())).copied();
                    (n.unwrap_or(0) as f64).ln_1p()
                });
                [
                    f64::from(index == 0),
                    f64::from(index + 1 == candidates.len()),
                    candidate.start as f64 / length,
                    f64::from(words_before.len() <= 2),
                    pair,
                    count(&self.chosen, name),
                    count(&self.passed, name),
                    f64::from(Some(name) == speaker.as_ref()),
                    1.0 / candidates.len() as f64,
                    f64::from(names.iter().filter(|n| *n == name).count() > 1),
                    f64::from(preposition),
                    f64::from(heuristic == Some(index)),
                ]
            })
            .collect()
    }
}

/// Adds `sign` to a count.
fn bump<K: Ord>(map: &mut BTreeMap<K, usize>, key: K, sign: isize) {
    let value = map.entry(key).or_default();
    *value = value.saturating_add_signed(sign);
}

/// A trained target re-ranker.
#[derive(Debug, Clone)]
pub struct TargetModel {
    stats: TargetStats,
    fitted: FittedLogisticRegression<f64, bool>,
    examples: usize,
}

impl TargetModel {
    /// The index of the best candidate (the first of equals); `None` without candidates, or
    /// when the annotators never chose any of them for this speaker before (then the
    /// proposer's heuristic stands: what positions and counts alone teach does not carry
    /// over to new speakers, as the held-out split of the learning curve shows).
    pub fn best(&self, claim: &ClaimText<'_>, candidates: &[Candidate]) -> Option<usize> {
        let rows = self.stats.features(claim, candidates);
        if rows.iter().all(|row| row[PAIR] == 0.0) {
            return None;
        }
        let scores = self.scores(claim, candidates);
        scores
            .iter()
            .enumerate()
            .rev()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(index, _)| index)
    }

    /// Each candidate's probability of being the one annotators would choose.
    pub fn scores(&self, claim: &ClaimText<'_>, candidates: &[Candidate]) -> Vec<f64> {
        if candidates.is_empty() {
            return Vec::new();
        }
        let rows = self.stats.features(claim, candidates);
        let records = to_matrix(&rows);
        let p = self.fitted.predict_probabilities(&records);
        if self.fitted.labels().pos.class {
            p.to_vec()
        } else {
            p.iter().map(|x| 1.0 - x).collect()
        }
    }

    /// How many claims it learnt from.
    pub fn examples(&self) -> usize {
        self.examples
    }
}

fn to_matrix(rows: &[[f64; FEATURES]]) -> Array2<f64> {
    let mut records = Array2::zeros((rows.len(), FEATURES));
    for (mut out, row) in records.rows_mut().into_iter().zip(rows) {
        out.assign(&Array1::from(row.to_vec()));
    }
    records
}

/// How many folds the re-ranker is cross-validated on before it replaces the heuristic.
const FOLDS: usize = 5;

/// Fits the re-ranker on the examples whose target was one of two or more candidates, each
/// seen with the counts of all the others (leave one out); `None` below
/// [`Settings::min_target_examples`], or when, cross-validated on those examples, it does
/// not choose better than the proposer's heuristic (the first candidate that is not the
/// speaker).
pub fn train(examples: &[Example], settings: &Settings) -> Result<Option<TargetModel>, LearnError> {
    let ranked: Vec<&Example> = examples
        .iter()
        .filter(|e| e.chosen.is_some_and(|c| c < e.candidates.len()) && e.candidates.len() >= 2)
        .collect();
    if ranked.len() < settings.min_target_examples.max(1) {
        return Ok(None);
    }
    let stats = TargetStats::from_examples(examples);
    let (mut by_model, mut by_heuristic) = (0, 0);
    for fold in 0..FOLDS.min(ranked.len()) {
        let (held, kept): (Vec<_>, Vec<_>) = ranked
            .iter()
            .enumerate()
            .partition(|(i, _)| i % FOLDS == fold);
        let kept: Vec<&Example> = kept.into_iter().map(|(_, e)| *e).collect();
        let mut fold_stats = stats.clone();
        for (_, example) in &held {
            fold_stats.count(example, -1);
        }
        let Some(model) = fit(&kept, fold_stats, settings)? else {
            continue;
        };
        for (_, example) in held {
            let claim = example.text();
            by_model += usize::from(model.best(&claim, &example.candidates) == example.chosen);
            by_heuristic += usize::from(heuristic(&claim, &example.candidates) == example.chosen);
        }
    }
    if by_model <= by_heuristic {
        return Ok(None);
    }
    fit(&ranked, stats, settings)
}

/// The proposer's choice: the first candidate that is not the speaker.
pub fn heuristic(claim: &ClaimText<'_>, candidates: &[Candidate]) -> Option<usize> {
    let speaker = claim.speaker.map(fold);
    candidates
        .iter()
        .position(|c| Some(fold(&c.name)) != speaker)
}

/// Fits on `ranked` with counts `stats` (which include them: each is left out of its own
/// row); `None` when the rows hold one class only.
fn fit(
    ranked: &[&Example],
    stats: TargetStats,
    settings: &Settings,
) -> Result<Option<TargetModel>, LearnError> {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut left_out = stats.clone();
    for example in ranked {
        left_out.count(example, -1);
        let features = left_out.features(&example.text(), &example.candidates);
        left_out.count(example, 1);
        for (index, row) in features.into_iter().enumerate() {
            rows.push(row);
            labels.push(example.chosen == Some(index));
        }
    }
    if !labels.contains(&true) || !labels.contains(&false) {
        return Ok(None);
    }
    let fitted = LogisticRegression::default()
        .alpha(settings.alpha)
        .max_iterations(settings.max_iterations)
        .fit(&Dataset::new(to_matrix(&rows), Array1::from(labels)))
        .map_err(|e| LearnError {
            part: "target",
            reason: e.to_string(),
        })?;
    Ok(Some(TargetModel {
        stats,
        fitted,
        examples: ranked.len(),
    }))
}
