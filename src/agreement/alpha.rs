//! Krippendorff's α for nominal data, with missing values.
//!
//! # Definition
//!
//! Let m_u be the number of annotators who coded unit u and n_uc how many
//! of them chose category c. Units with m_u < 2 are *not pairable* and are
//! ignored entirely (they are not in `units`, nor in n). Over the pairable
//! units, the coincidence matrix is
//!
//! ```text
//! o_ck = Σ_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1)
//! ```
//!
//! with margins n_c = Σ_k o_ck = Σ_u n_uc and total n = Σ_c n_c = Σ_u m_u
//! (the pairable values). With the nominal distance (0 on the diagonal, 1
//! off it):
//!
//! ```text
//! D_o = (1/n) Σ_{c≠k} o_ck = (1/n) Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1)
//! D_e = (1/(n(n − 1))) Σ_{c≠k} n_c n_k = (n² − Σ_c n_c²) / (n (n − 1))
//! α   = 1 − D_o / D_e
//! ```
//!
//! This is `krippendorff.alpha(reliability_data, level_of_measurement=
//! "nominal")` with the annotators × units matrix holding `nan` for missing
//! values.
//!
//! # Undefined values
//!
//! α is `None` when no unit is pairable (the reference raises "There has to
//! be at least one unit with values assigned by at least two coders") or
//! when every pairable value is the same category, so `D_e = 0` (the
//! reference raises "There has to be more than one value in the domain" if no
//! other category occurs anywhere, and returns `nan` if other categories
//! occur only in unpairable units).
//!
//! # Range
//!
//! α ≤ 1, with equality exactly when every pairable unit is unanimous (and
//! α is defined). For nominal data α ≥ −1 as well: per unit,
//! m_u² − Σ_c n_uc² ≤ (m_u − M_u)(M_u + m_u − 1) with M_u the largest n_uc,
//! and n² − Σ_c n_c² ≥ Σ_u [m_u² − Σ_c n_uc² + (m_u − M_u)(n − m_u)], which
//! together give (n − 1) n D_o ≤ 2 (n² − Σ_c n_c²). The bound is approached
//! (−1 + 1/N) by N units each coded (a, b) by two annotators.
//!
//! # Cost
//!
//! One pass over the matrix: per unit a running Σ_c n_uc² and per category a
//! running n_c, with the per-unit disagreement m_u² − Σ_c n_uc² summed
//! exactly in integers for each value of m_u; the (at most
//! annotators − 1) group sums are then divided by m_u − 1 in floating point.
//! So the cost is linear in units × annotators and independent of the
//! number of categories (bar one pass over them).

use serde::Serialize;

use super::data::{ReliabilityData, UnitTally};

/// Krippendorff's α (nominal) and the totals it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrippendorffAlpha {
    /// `None` when undefined (see the module documentation).
    pub alpha: Option<f64>,
    /// Pairable units: units coded by at least two annotators.
    pub units: usize,
    /// n, the number of codes in pairable units.
    pub pairable_values: u64,
    /// D_o, the observed disagreement; `None` when no unit is pairable.
    pub observed_disagreement: Option<f64>,
    /// D_e, the disagreement expected by chance; `None` when no unit is pairable.
    pub expected_disagreement: Option<f64>,
}

/// Why α is undefined (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlphaUndefined {
    /// No unit was coded by two or more annotators: nothing to compare.
    NoPairableUnit,
    /// Every code in the pairable units is the same category: no disagreement is expected
    /// by chance (D_e = 0), so agreement beyond chance cannot be measured.
    OneCategory,
}

impl AlphaUndefined {
    /// Why `alpha`, computed over `pairable_units` units, is undefined; `None` when it is
    /// defined.
    pub fn of(alpha: Option<f64>, pairable_units: usize) -> Option<AlphaUndefined> {
        match (alpha, pairable_units) {
            (Some(_), _) => None,
            (None, 0) => Some(AlphaUndefined::NoPairableUnit),
            (None, _) => Some(AlphaUndefined::OneCategory),
        }
    }

    /// The reason in words, for reports and the dashboard.
    pub fn reason(self) -> &'static str {
        match self {
            AlphaUndefined::NoPairableUnit => "fewer than two annotators coded a unit",
            AlphaUndefined::OneCategory => {
                "every annotator chose the same value, so there is no chance agreement to measure against"
            }
        }
    }
}

impl KrippendorffAlpha {
    /// Why α is undefined; `None` when it is defined.
    pub fn undefined(&self) -> Option<AlphaUndefined> {
        AlphaUndefined::of(self.alpha, self.units)
    }
}

/// Krippendorff's α for nominal data; missing values allowed.
pub fn krippendorff_alpha_nominal(data: &ReliabilityData) -> KrippendorffAlpha {
    let mut tally = UnitTally::new(data.category_count());
    let mut category_totals = vec![0u64; data.category_count()];
    // disagreement_by_coders[m] = Σ over units with m coders of (m² − Σ_c n_uc²).
    let mut disagreement_by_coders = vec![0u128; data.annotator_count() + 1];
    let mut units = 0usize;
    let mut pairable_values = 0u64;
    let mut scratch: Vec<u32> = Vec::with_capacity(data.annotator_count());

    for row in data.units() {
        scratch.clear();
        let summary = tally.summarise(row, |code| scratch.push(code));
        if summary.coders < 2 {
            continue;
        }
        for &code in &scratch {
            category_totals[code as usize] += 1;
        }
        units += 1;
        pairable_values += summary.coders;
        let coders = summary.coders as usize;
        disagreement_by_coders[coders] +=
            u128::from(summary.coders * summary.coders - summary.sum_of_squares);
    }

    if units == 0 {
        return KrippendorffAlpha {
            alpha: None,
            units,
            pairable_values,
            observed_disagreement: None,
            expected_disagreement: None,
        };
    }

    // Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1) = n · D_o
    let scaled_observed: f64 = disagreement_by_coders
        .iter()
        .enumerate()
        .skip(2)
        .filter(|(_, sum)| **sum != 0)
        .map(|(coders, &sum)| sum as f64 / (coders - 1) as f64)
        .sum();
    let n = u128::from(pairable_values);
    let squared_totals: u128 = category_totals
        .iter()
        .map(|&total| u128::from(total) * u128::from(total))
        .sum();
    // n² − Σ_c n_c² = n (n − 1) · D_e
    let scaled_expected = n * n - squared_totals;

    let alpha = (scaled_expected != 0)
        .then(|| 1.0 - (n - 1) as f64 * scaled_observed / scaled_expected as f64);
    let n_float = n as f64;
    KrippendorffAlpha {
        alpha,
        units,
        pairable_values,
        observed_disagreement: Some(scaled_observed / n_float),
        expected_disagreement: Some(scaled_expected as f64 / (n_float * (n_float - 1.0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    /// The example of the `krippendorff` package's docstring (Krippendorff
    /// 2011, "Computing Krippendorff's alpha-reliability"): nominal α = 0.691358.
    #[test]
    fn krippendorff_docstring_example() {
        let coder_rows: [[Option<u32>; 15]; 3] = [
            [
                None,
                None,
                None,
                None,
                None,
                Some(3),
                Some(4),
                Some(1),
                Some(2),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                None,
                Some(3),
            ],
            [
                Some(1),
                None,
                Some(2),
                Some(1),
                Some(3),
                Some(3),
                Some(4),
                Some(3),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                None,
                None,
                Some(2),
                Some(1),
                Some(3),
                Some(4),
                Some(4),
                None,
                Some(2),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                None,
                Some(4),
            ],
        ];
        let units = (0..15)
            .map(|unit| coder_rows.iter().map(|coder| coder[unit]).collect())
            .collect();
        let data = ReliabilityData::new(
            names(&["A", "B", "C"]),
            names(&["0", "1", "2", "3", "4"]),
            units,
        )
        .unwrap();
        let alpha = krippendorff_alpha_nominal(&data);
        // 0.691358… = 56/81 exactly.
        assert!((alpha.alpha.unwrap() - 56.0 / 81.0).abs() < 1e-15);
        assert_eq!(alpha.units, 12);
        assert_eq!(alpha.pairable_values, 26);
    }

    #[test]
    fn two_coders_always_disagreeing_approach_minus_one() {
        // N units coded (a, b): α = −1 + 1/N.
        let units = vec![vec![Some(0), Some(1)]; 4];
        let data = ReliabilityData::new(names(&["A", "B"]), names(&["a", "b"]), units).unwrap();
        assert_eq!(krippendorff_alpha_nominal(&data).alpha, Some(-0.75));
    }

    #[test]
    fn undefined_without_pairable_units_or_with_one_pairable_category() {
        let lonely = ReliabilityData::new(
            names(&["A", "B"]),
            names(&["a", "b"]),
            vec![vec![Some(0), None], vec![None, Some(1)]],
        )
        .unwrap();
        let alpha = krippendorff_alpha_nominal(&lonely);
        assert_eq!((alpha.alpha, alpha.units), (None, 0));
        assert_eq!(alpha.observed_disagreement, None);
        assert_eq!(alpha.undefined(), Some(AlphaUndefined::NoPairableUnit));

        let one_category = ReliabilityData::new(
            names(&["A", "B"]),
            names(&["a", "b"]),
            vec![
                vec![Some(0), Some(0)],
                vec![Some(0), Some(0)],
                vec![Some(1), None],
            ],
        )
        .unwrap();
        let alpha = krippendorff_alpha_nominal(&one_category);
        assert_eq!((alpha.alpha, alpha.units), (None, 2));
        assert_eq!(alpha.expected_disagreement, Some(0.0));
        assert_eq!(alpha.undefined(), Some(AlphaUndefined::OneCategory));

        let defined = krippendorff_alpha_nominal(
            &ReliabilityData::new(
                names(&["A", "B"]),
                names(&["a", "b"]),
                vec![vec![Some(0), Some(0)], vec![Some(1), Some(1)]],
            )
            .unwrap(),
        );
        assert_eq!((defined.alpha, defined.undefined()), (Some(1.0), None));
    }
}
