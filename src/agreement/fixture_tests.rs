//! Compares every coefficient with the values the Python reference packages
//! computed for the data sets in `tests/fixtures/agreement/nominal_reference.json`
//! (written by `make_fixtures.py` beside it): Cohen's κ per pair (scikit-learn),
//! Fleiss' κ (statsmodels), Krippendorff's α (krippendorff), to 1e-9, with
//! equal unit counts and `None` exactly where the reference gave `nan` or
//! raised. Percent agreement is compared with the script's own plain
//! implementation of the same definitions.

use serde::Deserialize;

use super::*;

const REFERENCE_JSON: &str = include_str!("../../tests/fixtures/agreement/nominal_reference.json");
const TOLERANCE: f64 = 1e-9;

#[derive(Deserialize)]
struct Reference {
    versions: std::collections::BTreeMap<String, String>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    annotators: Vec<String>,
    categories: Vec<String>,
    units: Vec<Vec<Option<String>>>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    cohen_kappa: Vec<ExpectedCohen>,
    fleiss_kappa: ExpectedFleiss,
    krippendorff_alpha: ExpectedAlpha,
    plain_python: ExpectedPercent,
}

#[derive(Deserialize)]
struct ExpectedCohen {
    a: String,
    b: String,
    kappa: Option<f64>,
    units: usize,
}

#[derive(Deserialize)]
struct ExpectedFleiss {
    kappa: Option<f64>,
    units: usize,
}

#[derive(Deserialize)]
struct ExpectedAlpha {
    alpha: Option<f64>,
    units: usize,
}

#[derive(Deserialize)]
struct ExpectedPercent {
    percent_agreement: Option<f64>,
    mean_pairwise_agreement: Option<f64>,
    units: usize,
}

fn reference() -> Reference {
    serde_json::from_str(REFERENCE_JSON).expect("nominal_reference.json parses")
}

fn data_of(case: &Case) -> ReliabilityData {
    ReliabilityData::from_labels_with_categories(
        case.annotators.clone(),
        case.categories.clone(),
        &case.units,
    )
    .unwrap_or_else(|error| panic!("{}: {error}", case.name))
}

fn assert_close(what: &str, ours: Option<f64>, reference: Option<f64>) {
    match (ours, reference) {
        (None, None) => {}
        (Some(ours), Some(reference)) => assert!(
            (ours - reference).abs() <= TOLERANCE,
            "{what}: ours {ours:?}, reference {reference:?}, difference {:e}",
            (ours - reference).abs()
        ),
        _ => panic!("{what}: ours {ours:?}, reference {reference:?}"),
    }
}

#[test]
fn fixture_file_covers_the_expected_data_sets() {
    let reference = reference();
    let names: Vec<&str> = reference
        .cases
        .iter()
        .map(|case| case.name.as_str())
        .collect();
    for required in [
        "perfect_agreement",
        "chance_agreement",
        "systematic_disagreement",
        "missing_values",
        "two_annotators",
        "three_annotators",
        "four_annotators",
        "skewed_distribution",
        "kappa_undefined_for_one_pair",
        "all_one_category",
        "large_random",
    ] {
        assert!(names.contains(&required), "missing fixture case {required}");
    }
    for package in ["numpy", "scikit-learn", "statsmodels", "krippendorff"] {
        assert!(
            reference.versions.contains_key(package),
            "no version for {package}"
        );
    }
}

#[test]
fn cohen_kappa_matches_scikit_learn() {
    let mut compared = 0;
    for case in reference().cases {
        let data = data_of(&case);
        assert_eq!(
            case.expected.cohen_kappa.len(),
            cohen_kappa_pairs(&data).len(),
            "{}: number of pairs",
            case.name
        );
        for expected in &case.expected.cohen_kappa {
            let first = data.annotator_index(&expected.a).expect("annotator a");
            let second = data.annotator_index(&expected.b).expect("annotator b");
            let what = format!("{}: Cohen {}|{}", case.name, expected.a, expected.b);
            let ours = cohen_kappa(&data, first, second).unwrap();
            assert_close(&what, ours.kappa, expected.kappa);
            assert_eq!(ours.units, expected.units, "{what}: units");
            let swapped = cohen_kappa(&data, second, first).unwrap();
            assert_close(&format!("{what} swapped"), swapped.kappa, expected.kappa);
            compared += 1;
        }
    }
    assert!(compared > 30);
}

#[test]
fn fleiss_kappa_matches_statsmodels() {
    for case in reference().cases {
        let data = data_of(&case);
        let ours = fleiss_kappa(&data);
        let what = format!("{}: Fleiss", case.name);
        assert_close(&what, ours.kappa, case.expected.fleiss_kappa.kappa);
        assert_eq!(
            ours.units, case.expected.fleiss_kappa.units,
            "{what}: units"
        );
    }
}

#[test]
fn krippendorff_alpha_matches_krippendorff_package() {
    for case in reference().cases {
        let data = data_of(&case);
        let ours = krippendorff_alpha_nominal(&data);
        let what = format!("{}: alpha", case.name);
        assert_close(&what, ours.alpha, case.expected.krippendorff_alpha.alpha);
        assert_eq!(
            ours.units, case.expected.krippendorff_alpha.units,
            "{what}: units"
        );
    }
}

#[test]
fn percent_agreement_matches_plain_python() {
    for case in reference().cases {
        let data = data_of(&case);
        let ours = percent_agreement(&data);
        let expected = &case.expected.plain_python;
        let what = format!("{}: percent agreement", case.name);
        assert_close(&what, ours.percent_agreement, expected.percent_agreement);
        assert_close(
            &format!("{}: mean pairwise agreement", case.name),
            ours.mean_pairwise_agreement,
            expected.mean_pairwise_agreement,
        );
        assert_eq!(ours.units, expected.units, "{what}: units");
    }
}

#[test]
fn field_summary_repeats_the_reference_values() {
    for case in reference().cases {
        let data = data_of(&case);
        let summary = field_agreement(&data);
        assert_eq!(summary.units, case.units.len());
        assert_close(
            &case.name,
            summary.krippendorff_alpha,
            case.expected.krippendorff_alpha.alpha,
        );
        assert_close(
            &case.name,
            summary.fleiss_kappa,
            case.expected.fleiss_kappa.kappa,
        );
        for expected in &case.expected.cohen_kappa {
            let key = pair_key(&expected.a, &expected.b);
            assert_close(&key, summary.cohen_kappa[&key], expected.kappa);
            assert_eq!(summary.cohen_kappa_units[&key], expected.units);
        }
        // Undefined values are None, never Some(NaN) (which would also print as null).
        let values = [
            summary.krippendorff_alpha,
            summary.fleiss_kappa,
            summary.percent_agreement,
            summary.mean_pairwise_agreement,
        ];
        for value in values
            .into_iter()
            .chain(summary.cohen_kappa.values().copied())
        {
            assert!(value.is_none_or(f64::is_finite), "{}: {value:?}", case.name);
        }
    }
}
