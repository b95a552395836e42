//! Confusion matrices: which categories annotators give the same units.
//!
//! # Per pair
//!
//! [`confusion_matrix`] for annotators A (rows) and B (columns) counts, over
//! the units both coded, `counts[i][j]` = number of units A put in category
//! i and B put in category j. Rows and columns follow
//! [`ReliabilityData::categories`], unused categories included, so the
//! matrix is always categories × categories. Its sum is `units`; its
//! diagonal holds the agreements. It is the matrix Cohen's κ is computed
//! from.
//!
//! # Pooled over all pairs
//!
//! [`pooled_confusion_matrix`] adds up the per-pair matrices of every
//! *ordered* pair of distinct annotators (A, B) and (B, A). It is therefore
//! symmetric and independent of the column order: a pair of coders who
//! disagree on a unit (i, j) adds 1 to `[i][j]` and 1 to `[j][i]`, and a pair
//! who agree on i adds 2 to `[i][i]`. Its sum, `coder_pairs`, is twice the
//! number of (unit, unordered coder pair) combinations. This is the
//! unnormalised coincidence matrix of Krippendorff's α (before each unit's
//! entries are divided by m_u − 1).

use serde::Serialize;

use super::data::{AgreementError, ReliabilityData};

/// Category × category counts for one pair of annotators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfusionMatrix {
    /// The annotator whose categories index the rows.
    pub row_annotator: String,
    /// The annotator whose categories index the columns.
    pub column_annotator: String,
    /// Labels of the rows and of the columns.
    pub categories: Vec<String>,
    /// `counts[row][column]`, categories × categories.
    pub counts: Vec<Vec<u64>>,
    /// Units coded by both annotators (the sum of `counts`).
    pub units: usize,
}

/// Category × category counts pooled over every ordered pair of annotators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PooledConfusionMatrix {
    pub categories: Vec<String>,
    /// Symmetric, categories × categories.
    pub counts: Vec<Vec<u64>>,
    /// The sum of `counts`: ordered coder pairs over all units.
    pub coder_pairs: u64,
}

/// Joint counts of two annotators as a flat row-major categories ×
/// categories vector, and the number of units both coded.
pub(crate) fn pair_counts(
    data: &ReliabilityData,
    first: usize,
    second: usize,
) -> (Vec<u64>, usize) {
    let categories = data.category_count();
    let mut counts = vec![0u64; categories * categories];
    let mut units = 0;
    for row in data.units() {
        if let (Some(row_code), Some(column_code)) = (row[first], row[second]) {
            counts[row_code as usize * categories + column_code as usize] += 1;
            units += 1;
        }
    }
    (counts, units)
}

fn to_rows(flat: &[u64], categories: usize) -> Vec<Vec<u64>> {
    if categories == 0 {
        return Vec::new();
    }
    flat.chunks(categories).map(<[u64]>::to_vec).collect()
}

/// The confusion matrix of annotators `rows` and `columns` (column indices).
pub fn confusion_matrix(
    data: &ReliabilityData,
    rows: usize,
    columns: usize,
) -> Result<ConfusionMatrix, AgreementError> {
    data.check_annotator(rows)?;
    data.check_annotator(columns)?;
    Ok(confusion_matrix_of(data, rows, columns))
}

fn confusion_matrix_of(data: &ReliabilityData, rows: usize, columns: usize) -> ConfusionMatrix {
    let (flat, units) = pair_counts(data, rows, columns);
    ConfusionMatrix {
        row_annotator: data.annotators()[rows].clone(),
        column_annotator: data.annotators()[columns].clone(),
        categories: data.categories().to_vec(),
        counts: to_rows(&flat, data.category_count()),
        units,
    }
}

/// The confusion matrix of every unordered pair `(i, j)`, `i < j` in column
/// order, with annotator i on the rows.
pub fn pairwise_confusion_matrices(data: &ReliabilityData) -> Vec<ConfusionMatrix> {
    data.annotator_pairs()
        .map(|(rows, columns)| confusion_matrix_of(data, rows, columns))
        .collect()
}

/// The symmetric matrix pooled over all ordered pairs of annotators.
///
/// Each unit adds one count per ordered pair of its coders, so the cost is
/// units × annotators², plus categories² once.
pub fn pooled_confusion_matrix(data: &ReliabilityData) -> PooledConfusionMatrix {
    let categories = data.category_count();
    let mut flat = vec![0u64; categories * categories];
    let mut present: Vec<u32> = Vec::with_capacity(data.annotator_count());
    for row in data.units() {
        present.clear();
        present.extend(row.iter().flatten().copied());
        for (position, &code) in present.iter().enumerate() {
            for (other_position, &other) in present.iter().enumerate() {
                if position != other_position {
                    flat[code as usize * categories + other as usize] += 1;
                }
            }
        }
    }
    let coder_pairs = flat.iter().sum();
    PooledConfusionMatrix {
        categories: data.categories().to_vec(),
        counts: to_rows(&flat, categories),
        coder_pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    fn sample() -> ReliabilityData {
        ReliabilityData::from_labels_with_categories(
            names(&["A", "B", "C"]),
            names(&["x", "y", "z"]),
            &[
                vec![Some("x"), Some("x"), Some("y")],
                vec![Some("y"), Some("x"), None],
                vec![None, Some("y"), Some("y")],
                vec![Some("x"), None, None],
            ],
        )
        .unwrap()
    }

    #[test]
    fn pair_matrix_counts_jointly_coded_units() {
        let matrix = confusion_matrix(&sample(), 0, 1).unwrap();
        assert_eq!(
            matrix.counts,
            vec![vec![1, 0, 0], vec![1, 0, 0], vec![0, 0, 0]]
        );
        assert_eq!(matrix.units, 2);
        assert_eq!(
            (
                matrix.row_annotator.as_str(),
                matrix.column_annotator.as_str()
            ),
            ("A", "B")
        );
        let transposed = confusion_matrix(&sample(), 1, 0).unwrap();
        assert_eq!(
            transposed.counts,
            vec![vec![1, 1, 0], vec![0, 0, 0], vec![0, 0, 0]]
        );
        assert!(confusion_matrix(&sample(), 0, 3).is_err());
    }

    #[test]
    fn pooled_matrix_sums_ordered_pairs() {
        let data = sample();
        let pooled = pooled_confusion_matrix(&data);
        // Unit 1 (x, x, y): pairs xx, xy, xy → [x][x] += 2, [x][y] += 2, [y][x] += 2.
        // Unit 2 (y, x): [y][x] += 1, [x][y] += 1. Unit 3 (y, y): [y][y] += 2.
        assert_eq!(
            pooled.counts,
            vec![vec![2, 3, 0], vec![3, 2, 0], vec![0, 0, 0]]
        );
        assert_eq!(pooled.coder_pairs, 10);
        // Equal to the sum of each pair matrix plus its transpose.
        let mut expected = vec![vec![0u64; 3]; 3];
        for matrix in pairwise_confusion_matrices(&data) {
            for (i, row) in matrix.counts.iter().enumerate() {
                for (j, count) in row.iter().enumerate() {
                    expected[i][j] += count;
                    expected[j][i] += count;
                }
            }
        }
        assert_eq!(pooled.counts, expected);
    }
}
