//! The input of every nominal agreement statistic: one coded field.
//!
//! [`ReliabilityData`] is a units × annotators matrix of `Option<u32>`:
//! `units()[u][a]` is `Some(k)` when annotator `a` gave unit `u` the category
//! `categories()[k]`, and `None` when annotator `a` did not code unit `u`
//! (a missing value). The matrix is validated once, at construction:
//!
//! * annotator names are distinct, and so are category labels;
//! * every unit row has exactly one entry per annotator;
//! * every code is a valid index into the categories.
//!
//! Units nobody coded, and categories nobody used, are allowed; they change no
//! coefficient (they only appear in unit totals and in confusion matrices).
//!
//! [`ReliabilityData::from_labels`] builds the matrix from string labels and
//! orders the categories by Unicode code point, the order `numpy.unique` and
//! scikit-learn use; [`ReliabilityData::from_labels_with_categories`] keeps a
//! category order of the caller's choosing (for example the schema's) and
//! rejects labels outside it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

/// Everything that can be wrong with the input of this module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// The computation was stopped ([`crate::progress::Monitor`]).
    #[error(transparent)]
    Cancelled(#[from] crate::progress::Cancelled),
    #[error("annotator name {0:?} appears more than once")]
    DuplicateAnnotator(String),
    #[error("category label {0:?} appears more than once")]
    DuplicateCategory(String),
    #[error("unit {unit} has {found} entries but there are {expected} annotators")]
    RowLength {
        unit: usize,
        found: usize,
        expected: usize,
    },
    #[error(
        "unit {unit}, annotator {annotator}: category index {code} is out of range \
         (there are {categories} categories)"
    )]
    CodeOutOfRange {
        unit: usize,
        annotator: usize,
        code: u32,
        categories: usize,
    },
    #[error("unit {unit}, annotator {annotator}: label {label:?} is not a declared category")]
    UnknownLabel {
        unit: usize,
        annotator: usize,
        label: String,
    },
    #[error("there are {0} categories; at most u32::MAX are supported")]
    TooManyCategories(usize),
    #[error("no annotator is named {0:?}")]
    UnknownAnnotator(String),
    #[error("annotator index {index} is out of range (there are {count} annotators)")]
    AnnotatorIndexOutOfRange { index: usize, count: usize },
    #[error(
        "annotator {annotator:?}: span [{start}, {end}) in unit {unit_key:?} is empty or reversed \
         (a span needs start < end)"
    )]
    InvalidSpan {
        annotator: String,
        unit_key: String,
        start: usize,
        end: usize,
    },
}

/// One field coded by several annotators: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReliabilityData {
    annotators: Vec<String>,
    categories: Vec<String>,
    units: Vec<Vec<Option<u32>>>,
}

impl ReliabilityData {
    /// Builds the data from category indices, validating them.
    pub fn new(
        annotators: Vec<String>,
        categories: Vec<String>,
        units: Vec<Vec<Option<u32>>>,
    ) -> Result<Self, AgreementError> {
        check_distinct(&annotators, AgreementError::DuplicateAnnotator)?;
        check_distinct(&categories, AgreementError::DuplicateCategory)?;
        if u32::try_from(categories.len()).is_err() {
            return Err(AgreementError::TooManyCategories(categories.len()));
        }
        for (unit, row) in units.iter().enumerate() {
            if row.len() != annotators.len() {
                return Err(AgreementError::RowLength {
                    unit,
                    found: row.len(),
                    expected: annotators.len(),
                });
            }
            for (annotator, code) in row.iter().enumerate() {
                if let Some(code) = *code
                    && code as usize >= categories.len()
                {
                    return Err(AgreementError::CodeOutOfRange {
                        unit,
                        annotator,
                        code,
                        categories: categories.len(),
                    });
                }
            }
        }
        Ok(Self {
            annotators,
            categories,
            units,
        })
    }

    /// Builds the data from string labels (`None` = not coded). The
    /// categories are the distinct labels that occur, sorted by code point.
    pub fn from_labels<S: AsRef<str>>(
        annotators: Vec<String>,
        units: &[Vec<Option<S>>],
    ) -> Result<Self, AgreementError> {
        let categories: Vec<String> = units
            .iter()
            .flatten()
            .flatten()
            .map(|label| label.as_ref())
            .collect::<BTreeSet<&str>>()
            .into_iter()
            .map(str::to_owned)
            .collect();
        Self::from_labels_with_categories(annotators, categories, units)
    }

    /// Builds the data from string labels with a fixed list of categories,
    /// in the given order; a label that is not in `categories` is an error.
    pub fn from_labels_with_categories<S: AsRef<str>>(
        annotators: Vec<String>,
        categories: Vec<String>,
        units: &[Vec<Option<S>>],
    ) -> Result<Self, AgreementError> {
        check_distinct(&categories, AgreementError::DuplicateCategory)?;
        let mut index_of: HashMap<&str, u32> = HashMap::with_capacity(categories.len());
        for (index, label) in categories.iter().enumerate() {
            let index = u32::try_from(index)
                .map_err(|_| AgreementError::TooManyCategories(categories.len()))?;
            index_of.insert(label.as_str(), index);
        }
        let mut coded = Vec::with_capacity(units.len());
        for (unit, row) in units.iter().enumerate() {
            let mut coded_row = Vec::with_capacity(row.len());
            for (annotator, label) in row.iter().enumerate() {
                let code = match label {
                    None => None,
                    Some(label) => {
                        let label = label.as_ref();
                        let code = index_of.get(label).copied().ok_or_else(|| {
                            AgreementError::UnknownLabel {
                                unit,
                                annotator,
                                label: label.to_owned(),
                            }
                        })?;
                        Some(code)
                    }
                };
                coded_row.push(code);
            }
            coded.push(coded_row);
        }
        Self::new(annotators, categories, coded)
    }

    /// A copy restricted to the named annotators, in the order given (for
    /// example to compute Fleiss' κ for a subset of annotators).
    pub fn select_annotators(&self, names: &[&str]) -> Result<Self, AgreementError> {
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            let column = self
                .annotator_index(name)
                .ok_or_else(|| AgreementError::UnknownAnnotator((*name).to_owned()))?;
            columns.push(column);
        }
        let annotators = columns
            .iter()
            .map(|&column| self.annotators[column].clone())
            .collect();
        let units = self
            .units
            .iter()
            .map(|row| columns.iter().map(|&column| row[column]).collect())
            .collect();
        Self::new(annotators, self.categories.clone(), units)
    }

    /// Annotator names, in column order.
    pub fn annotators(&self) -> &[String] {
        &self.annotators
    }

    /// Category labels; a code `k` means `categories()[k]`.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The matrix: one row per unit, one entry per annotator.
    pub fn units(&self) -> &[Vec<Option<u32>>] {
        &self.units
    }

    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    pub fn annotator_count(&self) -> usize {
        self.annotators.len()
    }

    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    /// Column index of the annotator with this name.
    pub fn annotator_index(&self, name: &str) -> Option<usize> {
        self.annotators
            .iter()
            .position(|annotator| annotator == name)
    }

    /// Errors unless `index` is a valid annotator column.
    pub(crate) fn check_annotator(&self, index: usize) -> Result<(), AgreementError> {
        if index < self.annotators.len() {
            Ok(())
        } else {
            Err(AgreementError::AnnotatorIndexOutOfRange {
                index,
                count: self.annotators.len(),
            })
        }
    }

    /// All unordered annotator pairs `(i, j)` with `i < j`, in column order.
    pub(crate) fn annotator_pairs(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        let count = self.annotators.len();
        (0..count).flat_map(move |first| (first + 1..count).map(move |second| (first, second)))
    }
}

fn check_distinct(
    names: &[String],
    error: impl Fn(String) -> AgreementError,
) -> Result<(), AgreementError> {
    let mut seen = HashSet::with_capacity(names.len());
    for name in names {
        if !seen.insert(name.as_str()) {
            return Err(error(name.clone()));
        }
    }
    Ok(())
}

/// Per-unit category tallies without an O(categories) reset per unit: the
/// counts are cleared by walking the unit's own codes again.
pub(crate) struct UnitTally {
    counts: Vec<u64>,
}

/// What one unit's codes add up to.
pub(crate) struct UnitSummary {
    /// Number of annotators who coded the unit (m_u).
    pub coders: u64,
    /// Σ_c n_uc², the sum over categories of the squared per-unit counts.
    pub sum_of_squares: u64,
}

impl UnitTally {
    pub fn new(category_count: usize) -> Self {
        Self {
            counts: vec![0; category_count],
        }
    }

    /// Tallies one unit row; `on_code` sees every code present.
    pub fn summarise(&mut self, row: &[Option<u32>], mut on_code: impl FnMut(u32)) -> UnitSummary {
        let mut coders = 0;
        let mut sum_of_squares = 0;
        for code in row.iter().flatten() {
            let count = &mut self.counts[*code as usize];
            // (x + 1)² = x² + 2x + 1
            sum_of_squares += 2 * *count + 1;
            *count += 1;
            coders += 1;
            on_code(*code);
        }
        for code in row.iter().flatten() {
            self.counts[*code as usize] = 0;
        }
        UnitSummary {
            coders,
            sum_of_squares,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn from_labels_sorts_categories_by_code_point() {
        let data = ReliabilityData::from_labels(
            names(&["A", "B"]),
            &[
                vec![Some("محايد"), Some("مؤيد")],
                vec![Some("b"), None],
                vec![None, Some("a")],
            ],
        )
        .unwrap();
        // ؤ (U+0624) sorts before ح (U+062D).
        assert_eq!(data.categories(), ["a", "b", "مؤيد", "محايد"]);
        assert_eq!(data.units()[0], vec![Some(3), Some(2)]);
        assert_eq!(data.units()[1], vec![Some(1), None]);
    }

    #[test]
    fn rejects_bad_input() {
        let ragged = ReliabilityData::new(names(&["A", "B"]), names(&["x"]), vec![vec![Some(0)]]);
        assert_eq!(
            ragged,
            Err(AgreementError::RowLength {
                unit: 0,
                found: 1,
                expected: 2
            })
        );
        let out_of_range = ReliabilityData::new(names(&["A"]), names(&["x"]), vec![vec![Some(1)]]);
        assert!(matches!(
            out_of_range,
            Err(AgreementError::CodeOutOfRange { code: 1, .. })
        ));
        let duplicate = ReliabilityData::new(names(&["A", "A"]), names(&["x"]), vec![]);
        assert_eq!(
            duplicate,
            Err(AgreementError::DuplicateAnnotator("A".to_owned()))
        );
        let unknown = ReliabilityData::from_labels_with_categories(
            names(&["A"]),
            names(&["x"]),
            &[vec![Some("y")]],
        );
        assert!(matches!(unknown, Err(AgreementError::UnknownLabel { .. })));
    }

    #[test]
    fn select_annotators_reorders_columns() {
        let data = ReliabilityData::from_labels(
            names(&["A", "B", "C"]),
            &[vec![Some("x"), Some("y"), None]],
        )
        .unwrap();
        let picked = data.select_annotators(&["C", "A"]).unwrap();
        assert_eq!(picked.annotators(), ["C", "A"]);
        assert_eq!(picked.units()[0], vec![None, Some(0)]);
        assert!(data.select_annotators(&["Z"]).is_err());
    }

    #[test]
    fn tally_counts_and_resets() {
        let mut tally = UnitTally::new(3);
        let first = tally.summarise(&[Some(0), Some(0), Some(2), None], |_| {});
        assert_eq!((first.coders, first.sum_of_squares), (3, 5));
        let second = tally.summarise(&[Some(0), None, None, None], |_| {});
        assert_eq!((second.coders, second.sum_of_squares), (1, 1));
    }
}
