//! Agreement on 100,000 units × 3 annotators.
//!
//! * `alpha_nominal`: `krippendorff_alpha_nominal` on a prebuilt matrix — the same
//!   computation as `krippendorff.alpha(data, level_of_measurement="nominal")`, which
//!   `benches/compare.sh` times on the same matrix (written by `gen_corpus matrix`).
//! * `from_labels+alpha`: building the matrix from string labels first (what the report does).
//! * `field_agreement`: α, Fleiss' κ, Cohen's κ per pair and percent agreement.
//! * `report`: the whole `agreement_report` (4 fields, 4 span roles, per document) over
//!   100,000 sentences decided by 3 annotators.
//!
//! `cargo bench --bench agreement`

#![allow(
    clippy::unwrap_used,
    reason = "benchmarks fail loudly on unexpected errors"
)]

#[path = "common/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use isnad::agreement::report::{ClaimFacts, Decision, SentenceDecisions, agreement_report};
use isnad::agreement::{ReliabilityData, field_agreement, krippendorff_alpha_nominal};

const UNITS: usize = 100_000;
const ANNOTATORS: usize = 3;

fn names() -> Vec<String> {
    (0..ANNOTATORS).map(|a| format!("a{}", a + 1)).collect()
}

/// The matrix `gen_corpus matrix` writes with the default arguments.
pub fn default_matrix() -> Vec<Vec<Option<u32>>> {
    corpus::reliability_matrix(corpus::DEFAULT_SEED, UNITS, ANNOTATORS, 4, 0.2, 0.1)
}

fn decisions() -> Vec<SentenceDecisions> {
    let speakers = ["روسيا", "إيران", "الأمم المتحدة", "الائتلاف الوطني"];
    let stances = ["favor", "against", "neutral", "unclear"];
    (0..UNITS)
        .map(|unit| {
            let mut rng = corpus::Rng::for_item(corpus::DEFAULT_SEED, 20, unit as u64);
            let claim = rng.chance(0.35);
            let speaker = rng.below(speakers.len());
            let stance = rng.below(stances.len());
            let mut decisions = BTreeMap::new();
            for name in names() {
                if rng.chance(0.05) {
                    continue; // not decided
                }
                let says_claim = if rng.chance(0.15) { !claim } else { claim };
                let decision = if says_claim {
                    Decision::Claims(vec![ClaimFacts {
                        speaker: Some(speakers[speaker].to_owned()),
                        target: Some("بشار الأسد".to_owned()),
                        stance: Some(
                            stances[if rng.chance(0.2) {
                                rng.below(stances.len())
                            } else {
                                stance
                            }]
                            .to_owned(),
                        ),
                        spans: [Some((10, 20)), None, Some((0, 4)), Some((5, 80))],
                    }])
                } else {
                    Decision::NoClaim
                };
                decisions.insert(name, decision);
            }
            SentenceDecisions {
                doc_id: format!("doc{:05}", unit / 25),
                sentence: unit % 25,
                decisions,
            }
        })
        .collect()
}

fn bench_agreement(c: &mut Criterion) {
    let matrix = default_matrix();
    let categories: Vec<String> = (0..4).map(|k| k.to_string()).collect();
    let data = ReliabilityData::new(names(), categories, matrix.clone()).unwrap();
    let alpha = krippendorff_alpha_nominal(&data);
    eprintln!(
        "alpha_nominal on {UNITS} units × {ANNOTATORS}: α = {:.15} ({} pairable units)",
        alpha.alpha.unwrap_or(f64::NAN),
        alpha.units
    );
    let labels: Vec<Vec<Option<String>>> = matrix
        .iter()
        .map(|row| row.iter().map(|c| c.map(|k| format!("label{k}"))).collect())
        .collect();

    let mut group = c.benchmark_group("agreement_100k_units_x3");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("alpha_nominal", |b| {
        b.iter(|| black_box(krippendorff_alpha_nominal(&data).alpha))
    });
    group.bench_function("from_labels+alpha", |b| {
        b.iter(|| {
            let data = ReliabilityData::from_labels(names(), &labels).unwrap();
            black_box(krippendorff_alpha_nominal(&data).alpha)
        })
    });
    group.bench_function("field_agreement", |b| {
        b.iter(|| black_box(field_agreement(&data).krippendorff_alpha))
    });
    let sentences = decisions();
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("report", |b| {
        b.iter(|| black_box(agreement_report(&names(), &sentences).unwrap().documents))
    });
    group.finish();
}

criterion_group!(benches, bench_agreement);
criterion_main!(benches);
