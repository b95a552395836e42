//! Cohen's κ (two annotators) and Fleiss' κ (two or more annotators), nominal.
//!
//! # Cohen's κ
//!
//! For annotators A and B, only the `N` units that *both* coded are used.
//! With `n_kk` the units both put in category k, `r_k` the units A put in k
//! and `c_k` the units B put in k:
//!
//! ```text
//! p_o = Σ_k n_kk / N            p_e = Σ_k r_k c_k / N²
//! κ   = (p_o − p_e) / (1 − p_e) = 1 − N (N − Σ_k n_kk) / (N² − Σ_k r_k c_k)
//! ```
//!
//! This is `sklearn.metrics.cohen_kappa_score(a, b)` (unweighted, labels
//! = those that occur). κ is **undefined** (`None`) when `N² = Σ_k r_k c_k`,
//! which happens exactly when `N = 0` or when both annotators used one and
//! the same category on every shared unit; scikit-learn then warns and
//! returns `nan`. κ lies in [−1, 1] whenever it is defined.
//!
//! # Fleiss' κ
//!
//! Only the `N` units coded by *every* annotator of the data are used (use
//! [`ReliabilityData::select_annotators`] for a subset), so each has `m`
//! codes. With `n_ik` the number of annotators who put unit i in category k:
//!
//! ```text
//! P_i = (Σ_k n_ik² − m) / (m (m − 1))      P̄  = mean_i P_i
//! p_k = Σ_i n_ik / (N m)                   P_e = Σ_k p_k²
//! κ   = (P̄ − P_e) / (1 − P_e)
//! ```
//!
//! This is `statsmodels.stats.inter_rater.fleiss_kappa(table,
//! method="fleiss")` with `table = aggregate_raters(data)[0]`. κ is
//! **undefined** (`None`) when there are fewer than two annotators, when no
//! unit was coded by all of them, or when every code is the same category
//! (`P_e = 1`; statsmodels returns `nan`). When defined it lies in
//! [−1/(m−1), 1]. `units` is 0 when there are fewer than two annotators.
//!
//! Both are computed from exact integer totals, with the whole fraction put
//! over one integer denominator before the single division.

use serde::Serialize;

use super::confusion::pair_counts;
use super::data::{AgreementError, ReliabilityData, UnitTally};

/// Cohen's κ for one pair of annotators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohenKappa {
    pub annotator_a: String,
    pub annotator_b: String,
    /// `None` when undefined (see the module documentation).
    pub kappa: Option<f64>,
    /// Units coded by both annotators: the units κ was computed on.
    pub units: usize,
    /// p_o, the share of those units on which the two agree; `None` if `units == 0`.
    pub observed_agreement: Option<f64>,
    /// p_e, the chance agreement from the two annotators' own marginals; `None` if `units == 0`.
    pub expected_agreement: Option<f64>,
}

impl CohenKappa {
    /// The report key of this pair, see [`pair_key`].
    pub fn key(&self) -> String {
        pair_key(&self.annotator_a, &self.annotator_b)
    }
}

/// Fleiss' κ over the units coded by every annotator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleissKappa {
    /// `None` when undefined (see the module documentation).
    pub kappa: Option<f64>,
    /// Units coded by every annotator: the units κ was computed on.
    pub units: usize,
    /// Number of annotators m (codes per unit).
    pub annotators: usize,
}

/// The key of an annotator pair in reports: the two names in code-point
/// order joined by `|`, e.g. `"A|B"`, whichever order the columns are in.
pub fn pair_key(first: &str, second: &str) -> String {
    if first <= second {
        format!("{first}|{second}")
    } else {
        format!("{second}|{first}")
    }
}

/// Cohen's κ of annotators `first` and `second` (column indices).
pub fn cohen_kappa(
    data: &ReliabilityData,
    first: usize,
    second: usize,
) -> Result<CohenKappa, AgreementError> {
    data.check_annotator(first)?;
    data.check_annotator(second)?;
    Ok(cohen_kappa_of(data, first, second))
}

/// [`cohen_kappa`] for column indices known to be valid.
fn cohen_kappa_of(data: &ReliabilityData, first: usize, second: usize) -> CohenKappa {
    let categories = data.category_count();
    let (counts, units) = pair_counts(data, first, second);

    let total = units as u128;
    let mut agreeing: u128 = 0;
    let mut row_totals = vec![0u128; categories];
    let mut column_totals = vec![0u128; categories];
    for (row, row_counts) in counts.chunks(categories.max(1)).enumerate() {
        for (column, &count) in row_counts.iter().enumerate() {
            let count = u128::from(count);
            row_totals[row] += count;
            column_totals[column] += count;
            if row == column {
                agreeing += count;
            }
        }
    }
    let chance_products: u128 = row_totals
        .iter()
        .zip(&column_totals)
        .map(|(row, column)| row * column)
        .sum();
    let total_squared = total * total;

    let kappa = (total_squared != chance_products).then(|| {
        let disagreeing = total - agreeing;
        1.0 - (disagreeing * total) as f64 / (total_squared - chance_products) as f64
    });
    let (observed_agreement, expected_agreement) = if total == 0 {
        (None, None)
    } else {
        (
            Some(agreeing as f64 / total as f64),
            Some(chance_products as f64 / total_squared as f64),
        )
    };
    CohenKappa {
        annotator_a: data.annotators()[first].clone(),
        annotator_b: data.annotators()[second].clone(),
        kappa,
        units,
        observed_agreement,
        expected_agreement,
    }
}

/// Cohen's κ for every unordered pair of annotators, `(i, j)` with `i < j`
/// in column order.
pub fn cohen_kappa_pairs(data: &ReliabilityData) -> Vec<CohenKappa> {
    data.annotator_pairs()
        .map(|(first, second)| cohen_kappa_of(data, first, second))
        .collect()
}

/// Fleiss' κ over the units coded by every annotator of `data`.
pub fn fleiss_kappa(data: &ReliabilityData) -> FleissKappa {
    let raters = data.annotator_count();
    if raters < 2 {
        return FleissKappa {
            kappa: None,
            units: 0,
            annotators: raters,
        };
    }
    let mut tally = UnitTally::new(data.category_count());
    let mut category_totals = vec![0u128; data.category_count()];
    let mut units = 0usize;
    let mut sum_of_squares: u128 = 0;
    for row in data.units() {
        if row.iter().any(Option::is_none) {
            continue;
        }
        let summary = tally.summarise(row, |code| category_totals[code as usize] += 1);
        sum_of_squares += u128::from(summary.sum_of_squares);
        units += 1;
    }

    let m = raters as i128;
    let codes = units as i128 * m; // N m
    let squared_category_totals: i128 = category_totals
        .iter()
        .map(|&total| (total * total) as i128)
        .sum();
    let codes_squared = codes * codes;
    // κ = [(S − Nm)·Nm − C·(m − 1)] / [((Nm)² − C)·(m − 1)],
    // S = Σ_i Σ_k n_ik², C = Σ_k (Σ_i n_ik)².
    let kappa = (codes_squared != squared_category_totals).then(|| {
        let numerator =
            (sum_of_squares as i128 - codes) * codes - squared_category_totals * (m - 1);
        let denominator = (codes_squared - squared_category_totals) * (m - 1);
        numerator as f64 / denominator as f64
    });
    FleissKappa {
        kappa,
        units,
        annotators: raters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn cohen_matches_sklearn_docstring_example() {
        // sklearn's docstring: cohen_kappa_score(y1, y2) == 0.6875
        let y1 = ["negative", "positive", "negative", "neutral", "positive"];
        let y2 = ["negative", "positive", "negative", "neutral", "negative"];
        let rows: Vec<Vec<Option<&str>>> = y1
            .iter()
            .zip(y2)
            .map(|(a, b)| vec![Some(*a), Some(b)])
            .collect();
        let data = ReliabilityData::from_labels(names(&["A", "B"]), &rows).unwrap();
        let kappa = cohen_kappa(&data, 0, 1).unwrap();
        assert!((kappa.kappa.unwrap() - 0.6875).abs() < 1e-15);
        assert_eq!(kappa.units, 5);
        assert_eq!(kappa.observed_agreement, Some(0.8));
        assert_eq!(kappa.key(), "A|B");
    }

    #[test]
    fn cohen_uses_only_jointly_coded_units_and_is_undefined_on_one_shared_category() {
        let data = ReliabilityData::from_labels(
            names(&["B", "A"]),
            &[
                vec![Some("x"), Some("x")],
                vec![Some("x"), Some("x")],
                vec![Some("y"), None],
                vec![None, Some("y")],
            ],
        )
        .unwrap();
        let kappa = cohen_kappa(&data, 0, 1).unwrap();
        assert_eq!(kappa.kappa, None);
        assert_eq!(kappa.units, 2);
        assert_eq!(kappa.observed_agreement, Some(1.0));
        assert_eq!(kappa.key(), "A|B");
        assert!(cohen_kappa(&data, 0, 2).is_err());
    }

    #[test]
    fn cohen_with_no_shared_units_is_undefined() {
        let data = ReliabilityData::from_labels(
            names(&["A", "B"]),
            &[vec![Some("x"), None], vec![None, Some("y")]],
        )
        .unwrap();
        let kappa = cohen_kappa(&data, 0, 1).unwrap();
        assert_eq!(
            (kappa.kappa, kappa.units, kappa.observed_agreement),
            (None, 0, None)
        );
    }

    #[test]
    fn fleiss_hand_computed() {
        // Two units, three raters: (x, x, y) and (y, y, y).
        // P_1 = (4 + 1 − 3)/6 = 1/3, P_2 = (9 − 3)/6 = 1, P̄ = 2/3.
        // p_x = 2/6, p_y = 4/6, P_e = 20/36 = 5/9.
        // κ = (2/3 − 5/9)/(4/9) = 1/4.
        let data = ReliabilityData::from_labels(
            names(&["A", "B", "C"]),
            &[
                vec![Some("x"), Some("x"), Some("y")],
                vec![Some("y"), Some("y"), Some("y")],
                vec![Some("y"), None, Some("x")],
            ],
        )
        .unwrap();
        let fleiss = fleiss_kappa(&data);
        assert_eq!(fleiss.kappa, Some(0.25));
        assert_eq!((fleiss.units, fleiss.annotators), (2, 3));
    }

    #[test]
    fn fleiss_undefined_cases() {
        let single = ReliabilityData::from_labels(names(&["A"]), &[vec![Some("x")]]).unwrap();
        assert_eq!(fleiss_kappa(&single).kappa, None);
        let one_category = ReliabilityData::from_labels(
            names(&["A", "B"]),
            &[vec![Some("x"), Some("x")], vec![Some("x"), Some("x")]],
        )
        .unwrap();
        let fleiss = fleiss_kappa(&one_category);
        assert_eq!((fleiss.kappa, fleiss.units), (None, 2));
        let no_complete_unit = ReliabilityData::from_labels(
            names(&["A", "B"]),
            &[vec![Some("x"), None], vec![None, Some("y")]],
        )
        .unwrap();
        let fleiss = fleiss_kappa(&no_complete_unit);
        assert_eq!((fleiss.kappa, fleiss.units), (None, 0));
    }
}
