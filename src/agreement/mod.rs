//! Inter-annotator agreement mathematics for nominal codes and text spans.
//!
//! This module is pure computation: it takes plain data (annotator names,
//! category labels, a units × annotators matrix of optional codes, or lists
//! of spans) and returns serde-serialisable results. It knows nothing about
//! the database or the user interface.
//!
//! # Data model
//!
//! A *field* (for example "stance") is coded on *units* (sentences) by
//! *annotators*. [`ReliabilityData`] holds one field: the annotator names, the
//! category labels, and for every unit one `Option<u32>` per annotator, where
//! `Some(k)` is an index into the categories and `None` means that annotator
//! did not code that unit (a *missing* value).
//!
//! # Coefficients and their reference implementations
//!
//! | function | statistic | reference it reproduces (to 1e-9) |
//! | --- | --- | --- |
//! | [`cohen_kappa`], [`cohen_kappa_pairs`] | Cohen's κ per pair, on the units both coded | `sklearn.metrics.cohen_kappa_score(a, b)` |
//! | [`fleiss_kappa`] | Fleiss' κ, on the units coded by every annotator | `statsmodels.stats.inter_rater.fleiss_kappa(aggregate_raters(data)[0], method="fleiss")` |
//! | [`krippendorff_alpha_nominal`] | Krippendorff's α, nominal, missing values allowed | `krippendorff.alpha(reliability_data, level_of_measurement="nominal")` |
//! | [`percent_agreement`] | percent agreement and mean pairwise agreement | none (definitions in [`percent`]) |
//! | [`confusion_matrix`], [`pooled_confusion_matrix`] | category × category counts | none (definitions in [`confusion`]) |
//! | [`span_agreement`], [`span_pair_agreement`] | exact and overlap precision/recall/F1 of spans | none (definitions in [`spans`]) |
//!
//! [`field_agreement`] bundles the nominal figures of one field into the flat
//! shape printed in reports (`krippendorff_alpha`, `fleiss_kappa`,
//! `cohen_kappa["A|B"]`, `percent_agreement`, `units`, ...).
//!
//! # Conventions shared by every statistic
//!
//! * An undefined value (a 0/0, where the reference returns `nan` or raises)
//!   is `None`, which serialises as JSON `null`. No result ever holds NaN.
//! * Every result reports how many units it actually used, so a reader can
//!   tell "κ = 0.4 over 3 units" from "κ = 0.4 over 3,000 units".
//! * All counting is done in integers and each coefficient is formed from
//!   exact integer totals with a handful of floating-point operations at
//!   the end, so values do not depend on the order of units, annotators or
//!   categories, and agree with the references to about 1e-16.
//! * Unused categories (declared but never coded) change no coefficient.
//!
//! The fixtures in `tests/fixtures/agreement/` were computed once by
//! `tests/fixtures/agreement/make_fixtures.py` with the Python reference
//! packages; the tests in `fixture_tests.rs` compare against them, so CI does
//! not need Python.

pub mod alpha;
pub mod confusion;
pub mod data;
pub mod kappa;
pub mod percent;
pub mod report;
pub mod spans;
pub mod summary;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod proptests;

pub use alpha::{AlphaUndefined, KrippendorffAlpha, krippendorff_alpha_nominal};
pub use confusion::{
    ConfusionMatrix, PooledConfusionMatrix, confusion_matrix, pairwise_confusion_matrices,
    pooled_confusion_matrix,
};
pub use data::{AgreementError, ReliabilityData};
pub use kappa::{CohenKappa, FleissKappa, cohen_kappa, cohen_kappa_pairs, fleiss_kappa, pair_key};
pub use percent::{PercentAgreement, percent_agreement};
pub use spans::{
    AnnotatorSpans, MatchScores, Span, SpanAgreement, SpanPairAgreement, span_agreement,
    span_pair_agreement,
};
pub use summary::{FieldAgreement, field_agreement};
