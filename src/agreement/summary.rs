//! The nominal agreement figures of one field, in the flat shape reports use.
//!
//! [`field_agreement`] runs every nominal statistic of this module on one
//! [`ReliabilityData`] and gathers the headline numbers, so that the JSON of
//! a [`FieldAgreement`] reads as `krippendorff_alpha`, `fleiss_kappa`,
//! `cohen_kappa["A|B"]`, `percent_agreement`, `units`, ... Each figure has a
//! companion `*_units` count of the units it was computed on:
//!
//! | key | value | units key: units used |
//! | --- | --- | --- |
//! | `krippendorff_alpha` | [`krippendorff_alpha_nominal`] | `krippendorff_alpha_units`: coded by ≥ 2 annotators |
//! | `fleiss_kappa` | [`fleiss_kappa`] | `fleiss_kappa_units`: coded by every annotator |
//! | `cohen_kappa[key]` | [`cohen_kappa`](super::kappa::cohen_kappa) for each pair | `cohen_kappa_units[key]`: coded by both |
//! | `percent_agreement`, `mean_pairwise_agreement` | [`percent_agreement`] | `percent_agreement_units`: coded by ≥ 2 annotators |
//!
//! `units` is the number of units in the data, coded or not. Pair keys are
//! [`pair_key`]: the two annotator names in code-point order joined by `|`
//! (so the keys do not depend on the column order; names that themselves
//! contain `|` can make two keys look alike). Undefined values are `null`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::alpha::{AlphaUndefined, krippendorff_alpha_nominal};
use super::data::ReliabilityData;
use super::kappa::{cohen_kappa_pairs, fleiss_kappa, pair_key};
use super::percent::percent_agreement;

/// Headline agreement figures of one field (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldAgreement {
    /// Units in the data, whether or not anyone coded them.
    pub units: usize,
    pub annotators: Vec<String>,
    pub categories: Vec<String>,
    pub krippendorff_alpha: Option<f64>,
    pub krippendorff_alpha_units: usize,
    pub fleiss_kappa: Option<f64>,
    pub fleiss_kappa_units: usize,
    pub cohen_kappa: BTreeMap<String, Option<f64>>,
    pub cohen_kappa_units: BTreeMap<String, usize>,
    pub percent_agreement: Option<f64>,
    pub mean_pairwise_agreement: Option<f64>,
    pub percent_agreement_units: usize,
}

impl FieldAgreement {
    /// Why Krippendorff's α is undefined; `None` when it is defined.
    pub fn alpha_undefined(&self) -> Option<AlphaUndefined> {
        AlphaUndefined::of(self.krippendorff_alpha, self.krippendorff_alpha_units)
    }
}

/// All nominal figures of one field.
pub fn field_agreement(data: &ReliabilityData) -> FieldAgreement {
    let alpha = krippendorff_alpha_nominal(data);
    let fleiss = fleiss_kappa(data);
    let percent = percent_agreement(data);
    let mut cohen_kappa = BTreeMap::new();
    let mut cohen_kappa_units = BTreeMap::new();
    for pair in cohen_kappa_pairs(data) {
        let key = pair_key(&pair.annotator_a, &pair.annotator_b);
        cohen_kappa.insert(key.clone(), pair.kappa);
        cohen_kappa_units.insert(key, pair.units);
    }
    FieldAgreement {
        units: data.unit_count(),
        annotators: data.annotators().to_vec(),
        categories: data.categories().to_vec(),
        krippendorff_alpha: alpha.alpha,
        krippendorff_alpha_units: alpha.units,
        fleiss_kappa: fleiss.kappa,
        fleiss_kappa_units: fleiss.units,
        cohen_kappa,
        cohen_kappa_units,
        percent_agreement: percent.percent_agreement,
        mean_pairwise_agreement: percent.mean_pairwise_agreement,
        percent_agreement_units: percent.units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_flat_with_nulls() {
        let data = ReliabilityData::from_labels(
            vec!["B".to_owned(), "A".to_owned(), "C".to_owned()],
            &[
                vec![Some("x"), Some("x"), None],
                vec![Some("y"), Some("y"), None],
                vec![Some("x"), Some("x"), Some("x")],
            ],
        )
        .unwrap();
        let summary = field_agreement(&data);
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["units"], 3);
        assert_eq!(json["krippendorff_alpha"], 1.0);
        assert_eq!(json["krippendorff_alpha_units"], 3);
        // Only unit 3 is coded by all, and it uses a single category.
        assert!(json["fleiss_kappa"].is_null());
        assert_eq!(json["fleiss_kappa_units"], 1);
        assert_eq!(json["cohen_kappa"]["A|B"], 1.0);
        assert_eq!(json["cohen_kappa_units"]["A|B"], 3);
        assert!(json["cohen_kappa"]["A|C"].is_null());
        assert!(json["cohen_kappa"]["B|C"].is_null());
        assert_eq!(json["percent_agreement"], 1.0);
        let keys: Vec<&String> = summary.cohen_kappa.keys().collect();
        assert_eq!(keys, ["A|B", "A|C", "B|C"]);
    }
}
