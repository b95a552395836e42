//! The stance model: multinomial logistic regression over the hashed features of a claim.

use std::collections::{BTreeSet, HashSet};

use linfa::Dataset;
use linfa::traits::Fit;
use linfa_logistic::{MultiFittedLogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};

use super::features::{Columns, MIN_DOCUMENT_COUNT, stance_features};
use super::types::{ClaimText, Example, LearnError, Settings};

/// A trained stance model.
#[derive(Debug, Clone)]
pub struct StanceModel {
    columns: Columns,
    fitted: MultiFittedLogisticRegression<f64, String>,
    examples: usize,
}

impl StanceModel {
    /// The most likely stance and its probability.
    pub fn predict(&self, claim: &ClaimText<'_>) -> Option<(String, f32)> {
        let mut row = Array2::zeros((1, self.columns.len()));
        if let Some(slice) = row.as_slice_mut() {
            self.columns.fill(&stance_features(claim), slice);
        }
        let probabilities = self.fitted.predict_probabilities(&row);
        let classes = self.fitted.classes();
        probabilities
            .row(0)
            .iter()
            .zip(classes)
            .max_by(|a, b| a.0.total_cmp(b.0))
            .map(|(&p, class)| (class.clone(), p as f32))
    }

    /// The stances it can propose.
    pub fn stances(&self) -> &[String] {
        self.fitted.classes()
    }

    /// How many claims it learnt from.
    pub fn examples(&self) -> usize {
        self.examples
    }
}

/// Fits the stance model on the examples that have a stance; `None` below
/// [`Settings::min_stance_examples`] or [`Settings::min_stances`].
pub fn train(examples: &[Example], settings: &Settings) -> Result<Option<StanceModel>, LearnError> {
    let labelled: Vec<&Example> = examples.iter().filter(|e| e.stance.is_some()).collect();
    let stances: HashSet<&str> = labelled
        .iter()
        .filter_map(|e| e.stance.as_deref())
        .collect();
    if labelled.len() < settings.min_stance_examples || stances.len() < settings.min_stances.max(2)
    {
        return Ok(None);
    }
    let rows: Vec<BTreeSet<u64>> = labelled
        .iter()
        .map(|e| stance_features(&e.text()))
        .collect();
    let columns = Columns::from_rows(&rows, MIN_DOCUMENT_COUNT);
    if columns.is_empty() {
        return Ok(None);
    }
    let mut records = Array2::zeros((rows.len(), columns.len()));
    for (mut out, row) in records.rows_mut().into_iter().zip(&rows) {
        if let Some(slice) = out.as_slice_mut() {
            columns.fill(row, slice);
        }
    }
    let targets: Array1<String> = labelled
        .iter()
        .map(|e| e.stance.clone().unwrap_or_default())
        .collect();
    let fitted = MultiLogisticRegression::default()
        .alpha(settings.alpha)
        .max_iterations(settings.max_iterations)
        .fit(&Dataset::new(records, targets))
        .map_err(|e| LearnError {
            part: "stance",
            reason: e.to_string(),
        })?;
    Ok(Some(StanceModel {
        columns,
        fitted,
        examples: labelled.len(),
    }))
}
