//! From annotations to agreement figures: how units are formed for each field, and the
//! report `isnad agreement` prints and the dashboard charts.
//!
//! Input: for every content (non-boilerplate) sentence, each annotator's *decision* — "no
//! claim", or a list of confirmed claims; a sentence an annotator has not decided is a
//! missing value for them. Units per field:
//!
//! * `has_claim` — unit = sentence; value `claim` (≥ 1 claim) or `no_claim`.
//! * `speaker` — unit = sentence; value = the set of speaker entities of the annotator's
//!   claims there, as one label (canonical names sorted and joined with " + "); missing when
//!   the annotator has no claim in the sentence.
//! * `target` — the same with target entities.
//! * `stance` — unit = (sentence, speaker entity, target entity) for every pair any
//!   annotator used; value = that annotator's stance for the pair (their first claim with
//!   it); missing when the annotator has no claim with that speaker and target.
//!
//! Spans (`speaker`, `target`, `cue`, `claim` content): for each pair of annotators, the
//! spans of the sentences *both* decided, scored by exact match and overlap F1.
//! Everything is computed overall and per document.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{
    AgreementError, AnnotatorSpans, ConfusionMatrix, FieldAgreement, PooledConfusionMatrix,
    ReliabilityData, Span, SpanPairAgreement, field_agreement, pairwise_confusion_matrices,
    pooled_confusion_matrix, span_pair_agreement,
};

/// The fields with nominal agreement figures, in report order.
pub const FIELDS: [&str; 4] = ["has_claim", "speaker", "target", "stance"];
/// The span roles, in report order.
pub const SPAN_ROLES: [&str; 4] = ["speaker", "target", "cue", "claim"];

/// What one annotator said about one claim, with names already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    pub speaker: Option<String>,
    pub target: Option<String>,
    pub stance: Option<String>,
    /// Spans by role (`SPAN_ROLES` order), code points.
    pub spans: [Option<(usize, usize)>; 4],
}

/// One annotator's decision on a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    NoClaim,
    Claims(Vec<ClaimFacts>),
}

/// The decisions of every annotator on one content sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceDecisions {
    pub doc_id: String,
    pub sentence: usize,
    pub decisions: BTreeMap<String, Decision>,
}

/// Nominal figures of one field plus its confusion matrices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldReport {
    #[serde(flatten)]
    pub agreement: FieldAgreement,
    pub confusion: PooledConfusionMatrix,
    pub pairwise_confusion: Vec<ConfusionMatrix>,
}

/// Span agreement of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanReport {
    pub pairs: Vec<SpanPairAgreement>,
    pub mean_exact_f1: Option<f64>,
    pub mean_overlap_f1: Option<f64>,
}

/// Figures over a set of sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Content sentences decided by at least one of the annotators.
    pub sentences: usize,
    pub fields: BTreeMap<String, FieldReport>,
    pub spans: BTreeMap<String, SpanReport>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    pub annotators: Vec<String>,
    pub documents: usize,
    #[serde(flatten)]
    pub overall: Figures,
    pub per_document: BTreeMap<String, Figures>,
}

/// Computes the report for `annotators` (sorted, unique) over the given sentences.
pub fn agreement_report(
    annotators: &[String],
    sentences: &[SentenceDecisions],
) -> Result<AgreementReport, AgreementError> {
    agreement_report_with(annotators, sentences, &mut crate::progress::Monitor::none())
}

/// [`agreement_report`], reporting the documents done to `monitor` (the overall figures
/// count as one more) and stopping when it is cancelled.
pub fn agreement_report_with(
    annotators: &[String],
    sentences: &[SentenceDecisions],
    monitor: &mut crate::progress::Monitor<'_>,
) -> Result<AgreementReport, AgreementError> {
    let mut by_document: BTreeMap<&str, Vec<&SentenceDecisions>> = BTreeMap::new();
    for sentence in sentences {
        by_document
            .entry(&sentence.doc_id)
            .or_default()
            .push(sentence);
    }
    let total = by_document.len() + 1;
    monitor.step(0, total, "documents")?;
    let overall = figures(annotators, sentences.iter())?;
    let mut per_document = BTreeMap::new();
    for (done, (doc_id, doc_sentences)) in by_document.iter().enumerate() {
        monitor.step(done + 1, total, "documents")?;
        per_document.insert(
            (*doc_id).to_owned(),
            figures(annotators, doc_sentences.iter().copied())?,
        );
    }
    monitor.step(total, total, "documents")?;
    Ok(AgreementReport {
        annotators: annotators.to_vec(),
        documents: by_document.len(),
        overall,
        per_document,
    })
}

fn figures<'a>(
    annotators: &[String],
    sentences: impl Iterator<Item = &'a SentenceDecisions> + Clone,
) -> Result<Figures, AgreementError> {
    let decided: Vec<&SentenceDecisions> = sentences
        .filter(|s| annotators.iter().any(|a| s.decisions.contains_key(a)))
        .collect();
    let mut fields = BTreeMap::new();
    for field in FIELDS {
        let units = units_of(field, annotators, &decided);
        let data = ReliabilityData::from_labels(annotators.to_vec(), &units)?;
        fields.insert(
            field.to_owned(),
            FieldReport {
                agreement: field_agreement(&data),
                confusion: pooled_confusion_matrix(&data),
                pairwise_confusion: pairwise_confusion_matrices(&data),
            },
        );
    }
    let mut spans = BTreeMap::new();
    for (role_index, role) in SPAN_ROLES.iter().enumerate() {
        spans.insert(
            (*role).to_owned(),
            span_report(annotators, &decided, role_index)?,
        );
    }
    Ok(Figures {
        sentences: decided.len(),
        fields,
        spans,
    })
}

/// The units × annotators labels of one field.
fn units_of(
    field: &str,
    annotators: &[String],
    sentences: &[&SentenceDecisions],
) -> Vec<Vec<Option<String>>> {
    let mut units: Vec<Vec<Option<String>>> = Vec::new();
    for sentence in sentences {
        match field {
            "has_claim" => units.push(
                annotators
                    .iter()
                    .map(|a| {
                        sentence.decisions.get(a).map(|d| match d {
                            Decision::NoClaim => "no_claim".to_owned(),
                            Decision::Claims(_) => "claim".to_owned(),
                        })
                    })
                    .collect(),
            ),
            "speaker" | "target" => units.push(
                annotators
                    .iter()
                    .map(|a| match sentence.decisions.get(a) {
                        Some(Decision::Claims(claims)) if !claims.is_empty() => {
                            let names: BTreeSet<&str> = claims
                                .iter()
                                .map(|c| {
                                    let name = if field == "speaker" {
                                        &c.speaker
                                    } else {
                                        &c.target
                                    };
                                    name.as_deref().unwrap_or("(none)")
                                })
                                .collect();
                            Some(names.into_iter().collect::<Vec<_>>().join(" + "))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
            _ => {
                // stance: one unit per (speaker, target) pair used by anyone here.
                let mut pairs: BTreeSet<(Option<&str>, Option<&str>)> = BTreeSet::new();
                for decision in sentence.decisions.values() {
                    if let Decision::Claims(claims) = decision {
                        for claim in claims {
                            pairs.insert((claim.speaker.as_deref(), claim.target.as_deref()));
                        }
                    }
                }
                for (speaker, target) in pairs {
                    units.push(
                        annotators
                            .iter()
                            .map(|a| match sentence.decisions.get(a) {
                                Some(Decision::Claims(claims)) => claims
                                    .iter()
                                    .find(|c| {
                                        c.speaker.as_deref() == speaker
                                            && c.target.as_deref() == target
                                    })
                                    .and_then(|c| c.stance.clone()),
                                _ => None,
                            })
                            .collect(),
                    );
                }
            }
        }
    }
    // Units nobody coded carry no information (only possible for annotators outside the
    // selection); keep the rest.
    units.retain(|unit| unit.iter().any(Option::is_some));
    units
}

fn span_report(
    annotators: &[String],
    sentences: &[&SentenceDecisions],
    role_index: usize,
) -> Result<SpanReport, AgreementError> {
    let mut pairs = Vec::new();
    for (i, reference) in annotators.iter().enumerate() {
        for candidate in &annotators[i + 1..] {
            let both: Vec<&&SentenceDecisions> = sentences
                .iter()
                .filter(|s| {
                    s.decisions.contains_key(reference) && s.decisions.contains_key(candidate)
                })
                .collect();
            let spans_of = |annotator: &String| AnnotatorSpans {
                annotator: annotator.clone(),
                spans: both
                    .iter()
                    .filter_map(|s| match s.decisions.get(annotator) {
                        Some(Decision::Claims(claims)) => Some((s, claims)),
                        _ => None,
                    })
                    .flat_map(|(s, claims)| {
                        claims.iter().filter_map(move |c| {
                            c.spans[role_index].map(|(start, end)| {
                                Span::new(format!("{}:{}", s.doc_id, s.sentence), start, end)
                            })
                        })
                    })
                    .filter(|span| span.start < span.end)
                    .collect(),
            };
            pairs.push(span_pair_agreement(
                &spans_of(reference),
                &spans_of(candidate),
            )?);
        }
    }
    let mean = |values: Vec<f64>| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    Ok(SpanReport {
        mean_exact_f1: mean(pairs.iter().filter_map(|p| p.exact.f1).collect()),
        mean_overlap_f1: mean(pairs.iter().filter_map(|p| p.overlap.f1).collect()),
        pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(speaker: &str, target: &str, stance: &str, span: (usize, usize)) -> ClaimFacts {
        ClaimFacts {
            speaker: Some(speaker.into()),
            target: Some(target.into()),
            stance: Some(stance.into()),
            spans: [Some(span), None, None, None],
        }
    }

    fn sentence(index: usize, decisions: Vec<(&str, Decision)>) -> SentenceDecisions {
        SentenceDecisions {
            doc_id: "d".into(),
            sentence: index,
            decisions: decisions
                .into_iter()
                .map(|(a, d)| (a.to_owned(), d))
                .collect(),
        }
    }

    #[test]
    fn units_follow_the_documented_definitions() {
        let annotators = vec!["A".to_owned(), "B".to_owned()];
        let sentences = vec![
            sentence(
                0,
                vec![
                    (
                        "A",
                        Decision::Claims(vec![claim("Russia", "Assad", "favor", (0, 5))]),
                    ),
                    (
                        "B",
                        Decision::Claims(vec![
                            claim("Russia", "Assad", "against", (0, 5)),
                            claim("Iran", "Assad", "favor", (10, 14)),
                        ]),
                    ),
                ],
            ),
            sentence(1, vec![("A", Decision::NoClaim), ("B", Decision::NoClaim)]),
            sentence(2, vec![("A", Decision::NoClaim)]),
        ];
        let report = agreement_report(&annotators, &sentences).unwrap();
        let has_claim = &report.overall.fields["has_claim"].agreement;
        assert_eq!(has_claim.units, 3);
        assert_eq!(has_claim.cohen_kappa_units["A|B"], 2);
        assert_eq!(has_claim.percent_agreement, Some(1.0));
        let speaker = &report.overall.fields["speaker"].agreement;
        assert_eq!(speaker.units, 1);
        assert_eq!(speaker.categories, vec!["Iran + Russia", "Russia"]);
        let stance = &report.overall.fields["stance"].agreement;
        assert_eq!(stance.units, 2, "(Russia, Assad) and (Iran, Assad)");
        assert_eq!(
            stance.krippendorff_alpha_units, 1,
            "only Russia→Assad is pairable"
        );
        assert_eq!(stance.percent_agreement, Some(0.0));
        let spans = &report.overall.spans["speaker"];
        assert_eq!(spans.pairs[0].exact.matched, 1);
        assert_eq!(spans.pairs[0].reference_spans, 1);
        assert_eq!(spans.pairs[0].candidate_spans, 2);
        assert_eq!(report.per_document.len(), 1);
    }

    #[test]
    fn report_json_has_the_keys_scripts_rely_on() {
        let annotators = vec!["A".to_owned(), "B".to_owned()];
        let sentences = vec![sentence(
            0,
            vec![("A", Decision::NoClaim), ("B", Decision::NoClaim)],
        )];
        let json =
            serde_json::to_value(agreement_report(&annotators, &sentences).unwrap()).unwrap();
        for field in FIELDS {
            let f = &json["fields"][field];
            for key in [
                "krippendorff_alpha",
                "fleiss_kappa",
                "cohen_kappa",
                "percent_agreement",
                "units",
            ] {
                assert!(f.get(key).is_some(), "fields.{field}.{key}");
            }
            assert!(f["cohen_kappa"].get("A|B").is_some());
        }
    }
}
