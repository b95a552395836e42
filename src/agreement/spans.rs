//! Agreement between annotators who mark spans of text.
//!
//! A [`Span`] is `(unit_key, start, end)`: a half-open range `[start, end)`
//! of Unicode code points inside the unit (sentence) named `unit_key`. A span
//! needs `start < end`; an empty or reversed span is an
//! [`AgreementError::InvalidSpan`]. Each annotator's spans are treated as a
//! *set*: an exact duplicate (same unit, start and end) counts once.
//!
//! # Exact match
//!
//! A span of the reference annotator R and a span of the candidate C match
//! when unit, start and end are all equal. With `matched` the number of
//! matching spans (the size of the intersection of the two sets):
//!
//! ```text
//! precision = matched / |C|      recall = matched / |R|
//! F1        = 2 · matched / (|R| + |C|)
//! ```
//!
//! # Overlap match
//!
//! A span of R and a span of C *may* match when they are in the same unit and
//! share at least one code point: `max(start) < min(end)`. Each span may be
//! matched at most once (one-to-one), and `matched` is the size of a
//! **maximum** matching of that bipartite "overlaps" graph, computed per unit
//! with augmenting paths (Kuhn's algorithm). A maximum matching, unlike a
//! greedy one, does not depend on the order of the spans and is the same
//! seen from either side, so overlap F1 is symmetric and reproducible.
//! Precision, recall and F1 follow from `matched` as above. Every exact
//! match is an overlap, so overlap F1 ≥ exact F1.
//!
//! # Undefined values
//!
//! Precision is `None` when C has no spans, recall is `None` when R has no
//! spans, and F1 is `None` only when neither has any (F1 is 0 when exactly
//! one of them is empty). F1 is symmetric in R and C; precision and recall
//! swap when R and C swap.
//!
//! # More than two annotators
//!
//! [`span_agreement`] scores every unordered pair (i, j), i < j in the given
//! order, with annotator i as the reference, and reports the plain mean of
//! the pairs' exact F1 and overlap F1 over the pairs where F1 is defined
//! (`None` if there is none).
//!
//! Units are known only through their spans: a unit one annotator did not
//! look at and a unit they looked at and marked nothing in are the same
//! here, so the caller should pass only spans from units both annotators
//! completed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::data::AgreementError;

/// A half-open range `[start, end)` of code points in one unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub unit_key: String,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(unit_key: impl Into<String>, start: usize, end: usize) -> Self {
        Self {
            unit_key: unit_key.into(),
            start,
            end,
        }
    }
}

/// All spans one annotator marked (for one field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotatorSpans {
    pub annotator: String,
    pub spans: Vec<Span>,
}

/// Precision, recall and F1 of one way of matching spans.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MatchScores {
    /// Number of matched span pairs (one-to-one).
    pub matched: usize,
    /// matched / candidate spans; `None` when the candidate has no spans.
    pub precision: Option<f64>,
    /// matched / reference spans; `None` when the reference has no spans.
    pub recall: Option<f64>,
    /// 2 · matched / (reference + candidate spans); `None` when both have none.
    pub f1: Option<f64>,
}

impl MatchScores {
    fn new(matched: usize, reference_spans: usize, candidate_spans: usize) -> Self {
        let ratio = |numerator: usize, denominator: usize| {
            (denominator != 0).then(|| numerator as f64 / denominator as f64)
        };
        Self {
            matched,
            precision: ratio(matched, candidate_spans),
            recall: ratio(matched, reference_spans),
            f1: ratio(2 * matched, reference_spans + candidate_spans),
        }
    }
}

/// Span agreement of one reference annotator and one candidate annotator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanPairAgreement {
    pub reference: String,
    pub candidate: String,
    /// Distinct spans of the reference annotator.
    pub reference_spans: usize,
    /// Distinct spans of the candidate annotator.
    pub candidate_spans: usize,
    pub exact: MatchScores,
    pub overlap: MatchScores,
}

/// Span agreement of every pair of annotators, and the mean F1s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanAgreement {
    pub pairs: Vec<SpanPairAgreement>,
    /// Mean exact-match F1 over the pairs where it is defined.
    pub mean_exact_f1: Option<f64>,
    /// Mean overlap F1 over the pairs where it is defined.
    pub mean_overlap_f1: Option<f64>,
}

/// Scores `candidate` against `reference` (see the module documentation).
pub fn span_pair_agreement(
    reference: &AnnotatorSpans,
    candidate: &AnnotatorSpans,
) -> Result<SpanPairAgreement, AgreementError> {
    let reference_by_unit = spans_by_unit(reference)?;
    let candidate_by_unit = spans_by_unit(candidate)?;
    let reference_spans = reference_by_unit.values().map(BTreeSet::len).sum();
    let candidate_spans = candidate_by_unit.values().map(BTreeSet::len).sum();

    let mut exact = 0;
    let mut overlap = 0;
    for (unit, reference_ranges) in &reference_by_unit {
        let Some(candidate_ranges) = candidate_by_unit.get(unit) else {
            continue;
        };
        exact += reference_ranges.intersection(candidate_ranges).count();
        overlap += maximum_overlap_matching(reference_ranges, candidate_ranges);
    }
    Ok(SpanPairAgreement {
        reference: reference.annotator.clone(),
        candidate: candidate.annotator.clone(),
        reference_spans,
        candidate_spans,
        exact: MatchScores::new(exact, reference_spans, candidate_spans),
        overlap: MatchScores::new(overlap, reference_spans, candidate_spans),
    })
}

/// Scores every unordered pair of annotators and averages their F1s.
pub fn span_agreement(annotators: &[AnnotatorSpans]) -> Result<SpanAgreement, AgreementError> {
    let mut pairs = Vec::new();
    for (position, reference) in annotators.iter().enumerate() {
        for candidate in &annotators[position + 1..] {
            pairs.push(span_pair_agreement(reference, candidate)?);
        }
    }
    let mean = |f1: fn(&SpanPairAgreement) -> Option<f64>| {
        let defined: Vec<f64> = pairs.iter().filter_map(f1).collect();
        (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
    };
    let mean_exact_f1 = mean(|pair| pair.exact.f1);
    let mean_overlap_f1 = mean(|pair| pair.overlap.f1);
    Ok(SpanAgreement {
        pairs,
        mean_exact_f1,
        mean_overlap_f1,
    })
}

/// Distinct `(start, end)` ranges of one annotator, by unit key.
type RangesByUnit<'a> = BTreeMap<&'a str, BTreeSet<(usize, usize)>>;

/// An annotator's distinct spans, grouped by unit, as `(start, end)` sets.
fn spans_by_unit(annotator: &AnnotatorSpans) -> Result<RangesByUnit<'_>, AgreementError> {
    let mut by_unit = RangesByUnit::new();
    for span in &annotator.spans {
        if span.start >= span.end {
            return Err(AgreementError::InvalidSpan {
                annotator: annotator.annotator.clone(),
                unit_key: span.unit_key.clone(),
                start: span.start,
                end: span.end,
            });
        }
        by_unit
            .entry(span.unit_key.as_str())
            .or_default()
            .insert((span.start, span.end));
    }
    Ok(by_unit)
}

/// Size of a maximum one-to-one matching between two sets of ranges of one
/// unit, where two ranges may be matched when they share a code point.
fn maximum_overlap_matching(
    left: &BTreeSet<(usize, usize)>,
    right: &BTreeSet<(usize, usize)>,
) -> usize {
    let right: Vec<(usize, usize)> = right.iter().copied().collect();
    let adjacency: Vec<Vec<usize>> = left
        .iter()
        .map(|&(start, end)| {
            right
                .iter()
                .enumerate()
                .filter(|(_, (other_start, other_end))| {
                    start.max(*other_start) < end.min(*other_end)
                })
                .map(|(index, _)| index)
                .collect()
        })
        .collect();

    let mut owner: Vec<Option<usize>> = vec![None; right.len()];
    let mut visited = vec![false; right.len()];
    let mut matched = 0;
    for start in 0..adjacency.len() {
        if adjacency[start].is_empty() {
            continue;
        }
        visited.fill(false);
        if augment(start, &adjacency, &mut owner, &mut visited) {
            matched += 1;
        }
    }
    matched
}

/// Looks for an augmenting path from the unmatched left vertex `start` by
/// depth-first search (iterative, so deep paths cannot overflow the stack)
/// and flips it if found.
fn augment(
    start: usize,
    adjacency: &[Vec<usize>],
    owner: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    // Each frame: a left vertex and how many of its edges have been tried;
    // the edge it descended through is the last one tried.
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    while let Some((left, tried)) = stack.last_mut() {
        let Some(&right) = adjacency[*left].get(*tried) else {
            stack.pop();
            continue;
        };
        *tried += 1;
        if visited[right] {
            continue;
        }
        visited[right] = true;
        match owner[right] {
            Some(next_left) => stack.push((next_left, 0)),
            None => {
                for &(left, tried) in &stack {
                    owner[adjacency[left][tried - 1]] = Some(left);
                }
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotator(name: &str, spans: &[(&str, usize, usize)]) -> AnnotatorSpans {
        AnnotatorSpans {
            annotator: name.to_owned(),
            spans: spans
                .iter()
                .map(|&(unit, start, end)| Span::new(unit, start, end))
                .collect(),
        }
    }

    #[test]
    fn exact_and_overlap_scores_by_hand() {
        let reference = annotator(
            "A",
            &[("s1", 0, 5), ("s1", 10, 20), ("s2", 0, 3), ("s3", 4, 8)],
        );
        let candidate = annotator(
            "B",
            &[
                ("s1", 0, 5),   // exact match of (s1, 0, 5)
                ("s1", 15, 25), // overlaps (s1, 10, 20)
                ("s2", 3, 6),   // touches (s2, 0, 3) without sharing a code point
                ("s4", 4, 8),   // same range, other unit
                ("s1", 0, 5),   // duplicate: counted once
            ],
        );
        let pair = span_pair_agreement(&reference, &candidate).unwrap();
        assert_eq!((pair.reference_spans, pair.candidate_spans), (4, 4));
        assert_eq!(pair.exact.matched, 1);
        assert_eq!(pair.exact.precision, Some(0.25));
        assert_eq!(pair.exact.recall, Some(0.25));
        assert_eq!(pair.exact.f1, Some(0.25));
        assert_eq!(pair.overlap.matched, 2);
        assert_eq!(pair.overlap.f1, Some(0.5));
    }

    #[test]
    fn overlap_matching_is_maximum_not_greedy() {
        // (0, 10) overlaps both candidates, (1, 3) only (2, 4). Taking the
        // first free overlap in order would pair (0, 10)–(2, 4) and leave
        // (1, 3) unmatched; the maximum matching re-routes (0, 10) to (5, 7).
        let reference = annotator("A", &[("u", 0, 10), ("u", 1, 3)]);
        let candidate = annotator("B", &[("u", 5, 7), ("u", 2, 4)]);
        let pair = span_pair_agreement(&reference, &candidate).unwrap();
        assert_eq!(pair.overlap.matched, 2);
        assert_eq!(pair.overlap.f1, Some(1.0));
        assert_eq!(pair.exact.matched, 0);
        // One long span against two short ones: only one of them is matched.
        let long = annotator("A", &[("u", 0, 100)]);
        let short = annotator("B", &[("u", 0, 10), ("u", 50, 60)]);
        let pair = span_pair_agreement(&long, &short).unwrap();
        assert_eq!(pair.overlap.matched, 1);
        assert_eq!(pair.overlap.precision, Some(0.5));
        assert_eq!(pair.overlap.recall, Some(1.0));
        assert_eq!(pair.overlap.f1, Some(2.0 / 3.0));
    }

    #[test]
    fn empty_sides() {
        let empty = annotator("A", &[]);
        let some = annotator("B", &[("u", 0, 1)]);
        let both_empty = span_pair_agreement(&empty, &empty).unwrap();
        assert_eq!(
            (
                both_empty.exact.precision,
                both_empty.exact.recall,
                both_empty.exact.f1
            ),
            (None, None, None)
        );
        let one_empty = span_pair_agreement(&empty, &some).unwrap();
        assert_eq!(
            (
                one_empty.exact.precision,
                one_empty.exact.recall,
                one_empty.exact.f1
            ),
            (Some(0.0), None, Some(0.0))
        );
    }

    #[test]
    fn invalid_spans_are_rejected() {
        let reversed = annotator("A", &[("u", 5, 2)]);
        let empty_range = annotator("B", &[("u", 3, 3)]);
        let fine = annotator("C", &[("u", 0, 1)]);
        assert!(matches!(
            span_pair_agreement(&reversed, &fine),
            Err(AgreementError::InvalidSpan {
                start: 5,
                end: 2,
                ..
            })
        ));
        assert!(span_pair_agreement(&fine, &empty_range).is_err());
    }

    #[test]
    fn three_annotators_average_defined_pairs() {
        let a = annotator("A", &[("u", 0, 4)]);
        let b = annotator("B", &[("u", 0, 4)]);
        let c = annotator("C", &[("u", 2, 6)]);
        let all = span_agreement(&[a, b, c]).unwrap();
        assert_eq!(all.pairs.len(), 3);
        let names: Vec<(&str, &str)> = all
            .pairs
            .iter()
            .map(|pair| (pair.reference.as_str(), pair.candidate.as_str()))
            .collect();
        assert_eq!(names, [("A", "B"), ("A", "C"), ("B", "C")]);
        // exact F1: 1, 0, 0; overlap F1: 1, 1, 1.
        assert_eq!(all.mean_exact_f1, Some(1.0 / 3.0));
        assert_eq!(all.mean_overlap_f1, Some(1.0));

        let nobody = span_agreement(&[annotator("A", &[]), annotator("B", &[])]).unwrap();
        assert_eq!((nobody.mean_exact_f1, nobody.mean_overlap_f1), (None, None));
    }
}
