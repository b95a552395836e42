//! Property tests of the agreement statistics on random data.
//!
//! * ranges: α ∈ [−1, 1] (the nominal bound proved in [`super::alpha`]),
//!   Cohen's κ ∈ [−1, 1], Fleiss' κ ∈ [−1/(m−1), 1], raw agreements in
//!   [0, 1], and never NaN;
//! * invariance under permuting annotators, permuting units and relabelling
//!   categories;
//! * perfect agreement gives 1 exactly when at least two categories are
//!   involved, and `None` otherwise;
//! * α and Cohen's κ equal straightforward textbook implementations (the
//!   coincidence-matrix form of α, p_o/p_e form of κ);
//! * span scores: F1 symmetric, overlap ≥ exact, independent of span order,
//!   and the overlap matching equals a brute-force maximum matching.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

const EPSILON: f64 = 1e-12;

fn names(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|index| format!("{prefix}{index}")).collect()
}

fn reliability_data() -> impl Strategy<Value = ReliabilityData> {
    (1usize..=5, 1usize..=5, 0usize..=30, 0.0f64..=0.5).prop_flat_map(
        |(annotators, categories, units, missing)| {
            let cell = prop::option::weighted(1.0 - missing, 0..categories as u32);
            prop::collection::vec(prop::collection::vec(cell, annotators), units).prop_map(
                move |rows| {
                    ReliabilityData::new(
                        names("annotator", annotators),
                        names("category", categories),
                        rows,
                    )
                    .expect("generated data is valid")
                },
            )
        },
    )
}

fn with_permutation(
    size: impl Fn(&ReliabilityData) -> usize,
) -> impl Strategy<Value = (ReliabilityData, Vec<usize>)> {
    reliability_data().prop_flat_map(move |data| {
        let order: Vec<usize> = (0..size(&data)).collect();
        (Just(data), Just(order).prop_shuffle())
    })
}

fn assert_same(what: &str, left: Option<f64>, right: Option<f64>) {
    match (left, right) {
        (None, None) => {}
        (Some(left), Some(right)) => {
            assert!((left - right).abs() <= EPSILON, "{what}: {left} vs {right}");
        }
        _ => panic!("{what}: {left:?} vs {right:?}"),
    }
}

fn assert_same_summary(left: &FieldAgreement, right: &FieldAgreement) {
    assert_same("alpha", left.krippendorff_alpha, right.krippendorff_alpha);
    assert_eq!(
        left.krippendorff_alpha_units,
        right.krippendorff_alpha_units
    );
    assert_same("fleiss", left.fleiss_kappa, right.fleiss_kappa);
    assert_eq!(left.fleiss_kappa_units, right.fleiss_kappa_units);
    assert_same("percent", left.percent_agreement, right.percent_agreement);
    assert_same(
        "pairwise",
        left.mean_pairwise_agreement,
        right.mean_pairwise_agreement,
    );
    assert_eq!(left.percent_agreement_units, right.percent_agreement_units);
    assert_eq!(left.cohen_kappa_units, right.cohen_kappa_units);
    assert_eq!(
        left.cohen_kappa.keys().collect::<Vec<_>>(),
        right.cohen_kappa.keys().collect::<Vec<_>>()
    );
    for (key, value) in &left.cohen_kappa {
        assert_same(key, *value, right.cohen_kappa[key]);
    }
    assert_eq!(left.units, right.units);
}

fn in_range(value: Option<f64>, low: f64, high: f64) -> bool {
    value.is_none_or(|value| value.is_finite() && value >= low - EPSILON && value <= high + EPSILON)
}

/// α from the full coincidence matrix, as in the `krippendorff` package.
fn textbook_alpha(data: &ReliabilityData) -> Option<f64> {
    let k = data.category_count();
    let mut coincidences = vec![vec![0.0f64; k]; k];
    for row in data.units() {
        let mut counts = vec![0.0f64; k];
        for code in row.iter().flatten() {
            counts[*code as usize] += 1.0;
        }
        let coders: f64 = counts.iter().sum();
        if coders < 2.0 {
            continue;
        }
        for c in 0..k {
            for d in 0..k {
                let same = if c == d { counts[c] } else { 0.0 };
                coincidences[c][d] += (counts[c] * counts[d] - same) / (coders - 1.0);
            }
        }
    }
    let margins: Vec<f64> = coincidences.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = margins.iter().sum();
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..k {
        for d in 0..k {
            if c != d {
                observed += coincidences[c][d];
                expected += margins[c] * margins[d] / (n - 1.0);
            }
        }
    }
    (n > 0.0 && expected > 0.0).then(|| 1.0 - observed / expected)
}

/// Cohen's κ as (p_o − p_e) / (1 − p_e).
fn textbook_cohen(data: &ReliabilityData, first: usize, second: usize) -> Option<f64> {
    let k = data.category_count();
    let (mut first_counts, mut second_counts) = (vec![0.0f64; k], vec![0.0f64; k]);
    let (mut agreeing, mut total) = (0.0f64, 0.0f64);
    for row in data.units() {
        if let (Some(a), Some(b)) = (row[first], row[second]) {
            first_counts[a as usize] += 1.0;
            second_counts[b as usize] += 1.0;
            total += 1.0;
            if a == b {
                agreeing += 1.0;
            }
        }
    }
    let chance: f64 = first_counts
        .iter()
        .zip(&second_counts)
        .map(|(a, b)| a * b / (total * total))
        .sum();
    (total > 0.0 && chance < 1.0).then(|| (agreeing / total - chance) / (1.0 - chance))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn coefficients_stay_in_their_ranges(data in reliability_data()) {
        let alpha = krippendorff_alpha_nominal(&data);
        prop_assert!(in_range(alpha.alpha, -1.0, 1.0), "alpha {:?}", alpha.alpha);
        for pair in cohen_kappa_pairs(&data) {
            prop_assert!(in_range(pair.kappa, -1.0, 1.0), "cohen {:?}", pair.kappa);
        }
        let fleiss = fleiss_kappa(&data);
        if data.annotator_count() >= 2 {
            let low = -1.0 / (data.annotator_count() - 1) as f64;
            prop_assert!(in_range(fleiss.kappa, low, 1.0), "fleiss {:?}", fleiss.kappa);
        } else {
            prop_assert_eq!(fleiss.kappa, None);
        }
        let percent = percent_agreement(&data);
        prop_assert!(in_range(percent.percent_agreement, 0.0, 1.0));
        prop_assert!(in_range(percent.mean_pairwise_agreement, 0.0, 1.0));
        // A unanimous unit has pairwise agreement 1, so percent ≤ pairwise.
        if let (Some(all), Some(pairwise)) = (percent.percent_agreement, percent.mean_pairwise_agreement) {
            prop_assert!(all <= pairwise + EPSILON);
        }
        prop_assert_eq!(alpha.units, percent.units);
    }

    #[test]
    fn alpha_and_cohen_equal_textbook_formulas(data in reliability_data()) {
        let ours = krippendorff_alpha_nominal(&data).alpha;
        let textbook = textbook_alpha(&data);
        match (ours, textbook) {
            (Some(ours), Some(textbook)) => prop_assert!((ours - textbook).abs() < 1e-9),
            (None, None) => {}
            other => prop_assert!(false, "alpha {:?}", other),
        }
        for (first, second) in data.annotator_pairs() {
            let ours = cohen_kappa(&data, first, second).unwrap().kappa;
            match (ours, textbook_cohen(&data, first, second)) {
                (Some(ours), Some(textbook)) => prop_assert!((ours - textbook).abs() < 1e-9),
                (None, None) => {}
                other => prop_assert!(false, "cohen {:?}", other),
            }
        }
    }

    #[test]
    fn permuting_annotators_changes_nothing(
        (data, order) in with_permutation(ReliabilityData::annotator_count)
    ) {
        let annotators = order.iter().map(|&a| data.annotators()[a].clone()).collect();
        let units = data
            .units()
            .iter()
            .map(|row| order.iter().map(|&a| row[a]).collect())
            .collect();
        let permuted = ReliabilityData::new(annotators, data.categories().to_vec(), units).unwrap();
        assert_same_summary(&field_agreement(&data), &field_agreement(&permuted));
        prop_assert_eq!(pooled_confusion_matrix(&data), pooled_confusion_matrix(&permuted));
    }

    #[test]
    fn permuting_units_changes_nothing(
        (data, order) in with_permutation(ReliabilityData::unit_count)
    ) {
        let units = order.iter().map(|&u| data.units()[u].clone()).collect();
        let permuted =
            ReliabilityData::new(data.annotators().to_vec(), data.categories().to_vec(), units).unwrap();
        assert_same_summary(&field_agreement(&data), &field_agreement(&permuted));
        prop_assert_eq!(
            pairwise_confusion_matrices(&data),
            pairwise_confusion_matrices(&permuted)
        );
    }

    #[test]
    fn relabelling_categories_changes_nothing(
        (data, relabel) in with_permutation(ReliabilityData::category_count)
    ) {
        // Old category k becomes new category relabel[k], with the same name.
        let mut categories = vec![String::new(); data.category_count()];
        for (old, &new) in relabel.iter().enumerate() {
            categories[new].clone_from(&data.categories()[old]);
        }
        let units = data
            .units()
            .iter()
            .map(|row| row.iter().map(|code| code.map(|k| relabel[k as usize] as u32)).collect())
            .collect();
        let relabelled =
            ReliabilityData::new(data.annotators().to_vec(), categories, units).unwrap();
        assert_same_summary(&field_agreement(&data), &field_agreement(&relabelled));
    }

    #[test]
    fn perfect_agreement_gives_one_when_two_categories_are_involved(
        rows in prop::collection::vec(
            (0u32..4, prop::collection::vec(any::<bool>(), 4)),
            0..25,
        )
    ) {
        let units: Vec<Vec<Option<u32>>> = rows
            .iter()
            .map(|(truth, coded)| coded.iter().map(|&c| c.then_some(*truth)).collect())
            .collect();
        let data = ReliabilityData::new(names("a", 4), names("c", 4), units).unwrap();
        let categories_where = |keep: &dyn Fn(&[Option<u32>]) -> bool| {
            data.units()
                .iter()
                .filter(|row| keep(row))
                .filter_map(|row| row.iter().flatten().next().copied())
                .collect::<BTreeSet<u32>>()
                .len()
        };
        let expect_one = |categories: usize| (categories >= 2).then_some(1.0);

        let pairable = categories_where(&|row| row.iter().flatten().count() >= 2);
        prop_assert_eq!(krippendorff_alpha_nominal(&data).alpha, expect_one(pairable));
        let complete = categories_where(&|row| row.iter().all(Option::is_some));
        prop_assert_eq!(fleiss_kappa(&data).kappa, expect_one(complete));
        for (first, second) in data.annotator_pairs() {
            let shared = categories_where(&|row| row[first].is_some() && row[second].is_some());
            prop_assert_eq!(cohen_kappa(&data, first, second).unwrap().kappa, expect_one(shared));
        }
        let percent = percent_agreement(&data);
        if percent.units > 0 {
            prop_assert_eq!(percent.percent_agreement, Some(1.0));
            prop_assert_eq!(percent.mean_pairwise_agreement, Some(1.0));
        }
    }

    #[test]
    fn pooled_matrix_is_the_sum_of_pair_matrices_both_ways(data in reliability_data()) {
        let pooled = pooled_confusion_matrix(&data);
        let k = data.category_count();
        let mut expected = vec![vec![0u64; k]; k];
        for matrix in pairwise_confusion_matrices(&data) {
            for (i, row) in matrix.counts.iter().enumerate() {
                for (j, count) in row.iter().enumerate() {
                    expected[i][j] += count;
                    expected[j][i] += count;
                }
            }
        }
        prop_assert_eq!(&pooled.counts, &expected);
    }
}

fn spans() -> impl Strategy<Value = Vec<Span>> {
    prop::collection::vec(
        (0usize..3, 0usize..20, 1usize..8)
            .prop_map(|(unit, start, length)| Span::new(format!("u{unit}"), start, start + length)),
        0..7,
    )
}

/// Maximum one-to-one overlap matching by exhaustive search.
fn brute_force_overlap(left: &[Span], right: &[Span]) -> usize {
    fn best(left: &[Span], right: &[Span], used: &mut Vec<bool>) -> usize {
        let Some((first, rest)) = left.split_first() else {
            return 0;
        };
        let mut result = best(rest, right, used);
        for (index, other) in right.iter().enumerate() {
            let overlaps = first.unit_key == other.unit_key
                && first.start.max(other.start) < first.end.min(other.end);
            if overlaps && !used[index] {
                used[index] = true;
                result = result.max(1 + best(rest, right, used));
                used[index] = false;
            }
        }
        result
    }
    let dedup = |spans: &[Span]| {
        spans
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    let (left, right) = (dedup(left), dedup(right));
    best(&left, &right, &mut vec![false; right.len()])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn span_scores_are_symmetric_and_ordered(
        first in spans(),
        (second, shuffled_second) in spans().prop_flat_map(|spans| (Just(spans.clone()), Just(spans).prop_shuffle())),
    ) {
        let a = AnnotatorSpans { annotator: "A".to_owned(), spans: first.clone() };
        let b = AnnotatorSpans { annotator: "B".to_owned(), spans: second.clone() };
        let b_shuffled = AnnotatorSpans { annotator: "B".to_owned(), spans: shuffled_second };
        let forward = span_pair_agreement(&a, &b).unwrap();
        let backward = span_pair_agreement(&b, &a).unwrap();
        prop_assert_eq!(forward.exact.f1, backward.exact.f1);
        prop_assert_eq!(forward.overlap.f1, backward.overlap.f1);
        prop_assert_eq!(forward.exact.precision, backward.exact.recall);
        prop_assert_eq!(forward.overlap.precision, backward.overlap.recall);
        prop_assert_eq!(&forward, &span_pair_agreement(&a, &b_shuffled).unwrap());
        prop_assert!(forward.overlap.matched >= forward.exact.matched);
        prop_assert_eq!(forward.overlap.matched, brute_force_overlap(&first, &second));
        for score in [forward.exact, forward.overlap] {
            prop_assert!(in_range(score.f1, 0.0, 1.0));
            prop_assert!(in_range(score.precision, 0.0, 1.0));
            prop_assert!(in_range(score.recall, 0.0, 1.0));
        }
    }
}
