//! Raw (chance-uncorrected) agreement: percent agreement and mean pairwise
//! agreement. No reference library defines these, so the definitions are
//! fixed here.
//!
//! Only units coded by at least two annotators count (the same units as
//! Krippendorff's α uses); call their number U and let m_u be the number of
//! annotators who coded unit u and n_uc how many of them chose category c.
//!
//! * **Percent agreement** = (number of those units on which *all* their
//!   coders chose the same category) / U. A unit coded by three annotators
//!   as (x, x, y) counts as a disagreement; missing codes are ignored, so
//!   (x, x, missing) counts as agreement.
//! * **Mean pairwise agreement** = (1/U) Σ_u [Σ_c n_uc (n_uc − 1)] /
//!   [m_u (m_u − 1)]: within each unit, the share of the m_u (m_u − 1) / 2
//!   unordered coder pairs that agree, then the plain (unweighted) mean of
//!   that share over units. (x, x, y) scores 1/3. With no missing values this
//!   equals Fleiss' P̄.
//!
//! Both are proportions in [0, 1] (not multiplied by 100), and both are
//! `None` when U = 0. With exactly two coders per unit they coincide.

use serde::Serialize;

use super::data::{ReliabilityData, UnitTally};

/// Raw agreement over the units coded by at least two annotators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PercentAgreement {
    /// Share of units on which all coders agree, in [0, 1]; `None` when `units == 0`.
    pub percent_agreement: Option<f64>,
    /// Mean over units of the share of agreeing coder pairs; `None` when `units == 0`.
    pub mean_pairwise_agreement: Option<f64>,
    /// Units coded by at least two annotators.
    pub units: usize,
}

/// Percent agreement and mean pairwise agreement (see the module documentation).
pub fn percent_agreement(data: &ReliabilityData) -> PercentAgreement {
    let mut tally = UnitTally::new(data.category_count());
    let mut units = 0usize;
    let mut unanimous = 0usize;
    // agreeing_pairs_by_coders[m] = Σ over units with m coders of Σ_c n_uc (n_uc − 1).
    let mut agreeing_pairs_by_coders = vec![0u64; data.annotator_count() + 1];
    for row in data.units() {
        let summary = tally.summarise(row, |_| {});
        if summary.coders < 2 {
            continue;
        }
        units += 1;
        let agreeing_ordered_pairs = summary.sum_of_squares - summary.coders;
        let all_ordered_pairs = summary.coders * (summary.coders - 1);
        if agreeing_ordered_pairs == all_ordered_pairs {
            unanimous += 1;
        }
        agreeing_pairs_by_coders[summary.coders as usize] += agreeing_ordered_pairs;
    }
    if units == 0 {
        return PercentAgreement {
            percent_agreement: None,
            mean_pairwise_agreement: None,
            units,
        };
    }
    let pairwise_sum: f64 = agreeing_pairs_by_coders
        .iter()
        .enumerate()
        .skip(2)
        .filter(|(_, sum)| **sum != 0)
        .map(|(coders, &sum)| sum as f64 / (coders * (coders - 1)) as f64)
        .sum();
    PercentAgreement {
        percent_agreement: Some(unanimous as f64 / units as f64),
        mean_pairwise_agreement: Some(pairwise_sum / units as f64),
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn hand_computed_three_annotators_with_missing() {
        let data = ReliabilityData::from_labels(
            names(&["A", "B", "C"]),
            &[
                // unanimous: percent 1, pairwise 1
                vec![Some("x"), Some("x"), Some("x")],
                // two against one: percent 0, pairwise 1/3
                vec![Some("x"), Some("x"), Some("y")],
                // all different: percent 0, pairwise 0
                vec![Some("x"), Some("y"), Some("z")],
                // two coders agree, one missing: percent 1, pairwise 1
                vec![Some("y"), None, Some("y")],
                // two coders disagree: percent 0, pairwise 0
                vec![None, Some("y"), Some("z")],
                // one coder only: not counted
                vec![Some("z"), None, None],
                // nobody: not counted
                vec![None, None, None],
            ],
        )
        .unwrap();
        let agreement = percent_agreement(&data);
        assert_eq!(agreement.units, 5);
        assert_eq!(agreement.percent_agreement, Some(2.0 / 5.0));
        let expected_pairwise = (1.0 + 1.0 / 3.0 + 0.0 + 1.0 + 0.0) / 5.0;
        assert!((agreement.mean_pairwise_agreement.unwrap() - expected_pairwise).abs() < 1e-15);
    }

    #[test]
    fn four_annotators_two_against_two() {
        // (x, x, y, y): 2 of 6 pairs agree → 1/3; (x, x, x, y): 3 of 6 → 1/2.
        let data = ReliabilityData::from_labels(
            names(&["A", "B", "C", "D"]),
            &[
                vec![Some("x"), Some("x"), Some("y"), Some("y")],
                vec![Some("x"), Some("x"), Some("x"), Some("y")],
            ],
        )
        .unwrap();
        let agreement = percent_agreement(&data);
        assert_eq!(agreement.percent_agreement, Some(0.0));
        let expected = (1.0 / 3.0 + 1.0 / 2.0) / 2.0;
        assert!((agreement.mean_pairwise_agreement.unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn two_annotators_both_measures_coincide() {
        let data = ReliabilityData::from_labels(
            names(&["A", "B"]),
            &[
                vec![Some("x"), Some("x")],
                vec![Some("x"), Some("y")],
                vec![Some("y"), Some("y")],
                vec![Some("y"), None],
            ],
        )
        .unwrap();
        let agreement = percent_agreement(&data);
        assert_eq!(agreement.units, 3);
        assert_eq!(agreement.percent_agreement, Some(2.0 / 3.0));
        assert_eq!(agreement.mean_pairwise_agreement, Some(2.0 / 3.0));
    }

    #[test]
    fn undefined_without_units_coded_twice() {
        let data =
            ReliabilityData::from_labels(names(&["A", "B"]), &[vec![Some("x"), None]]).unwrap();
        let agreement = percent_agreement(&data);
        assert_eq!(
            (
                agreement.percent_agreement,
                agreement.mean_pairwise_agreement,
                agreement.units
            ),
            (None, None, 0)
        );
    }
}
