//! Measuring agreement on the project: gathers the annotators' decisions from the store
//! and computes the agreement report (the statistics are [`crate::agreement`]'s; the
//! definitions of units are in [`crate::agreement::report`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::agreement::AgreementError;
use crate::agreement::report::{
    AgreementReport, ClaimFacts, Decision, SentenceDecisions, agreement_report_with,
};
use crate::domain::ClaimRow;
use crate::progress::Monitor;
use crate::store::Store;

use super::ModelError;
use super::registry::Registry;

/// Which data the report covers.
#[derive(Debug, Clone, Default)]
pub struct AgreementScope {
    /// Only these annotators (default: everyone with a decision).
    pub annotators: Option<Vec<String>>,
    /// Only this document.
    pub doc_id: Option<String>,
}

/// The sentences' decisions, grouped, with entity names resolved.
pub fn sentence_decisions(
    store: &dyn Store,
    doc_id: Option<&str>,
) -> Result<(Vec<String>, Vec<SentenceDecisions>), ModelError> {
    let registry = Registry::load(store)?;
    let (claims, marks) = store.content_decisions(doc_id)?;
    let mut everyone = BTreeSet::new();
    let mut grouped: BTreeMap<(String, usize), BTreeMap<String, Decision>> = BTreeMap::new();
    for mark in marks {
        everyone.insert(mark.annotator.clone());
        grouped
            .entry((mark.doc_id, mark.sentence_idx))
            .or_default()
            .insert(mark.annotator, Decision::NoClaim);
    }
    for claim in claims {
        everyone.insert(claim.annotator.clone());
        let facts = claim_facts(&claim, &registry);
        let decisions = grouped
            .entry((claim.doc_id.clone(), claim.sentence_idx))
            .or_default();
        match decisions.get_mut(&claim.annotator) {
            Some(Decision::Claims(list)) => list.push(facts),
            _ => {
                decisions.insert(claim.annotator.clone(), Decision::Claims(vec![facts]));
            }
        }
    }
    let sentences = grouped
        .into_iter()
        .map(|((doc_id, sentence), decisions)| SentenceDecisions {
            doc_id,
            sentence,
            decisions,
        })
        .collect();
    Ok((everyone.into_iter().collect(), sentences))
}

fn claim_facts(claim: &ClaimRow, registry: &Registry) -> ClaimFacts {
    let span = |s: Option<crate::domain::Span>| s.map(|s| (s.start, s.end));
    ClaimFacts {
        speaker: claim
            .speaker_entity
            .as_deref()
            .map(|id| registry.name(id).to_owned()),
        target: claim
            .target_entity
            .as_deref()
            .map(|id| registry.name(id).to_owned()),
        stance: claim.stance.clone(),
        spans: [
            span(claim.speaker_span),
            span(claim.target_span),
            span(claim.cue_span),
            span(claim.content_span),
        ],
    }
}

/// Computes the agreement report.
pub fn compute_agreement(
    store: &dyn Store,
    scope: &AgreementScope,
) -> Result<AgreementReport, ModelError> {
    compute_agreement_with(store, scope, &mut Monitor::none())
}

/// [`compute_agreement`], reporting progress to `monitor` and stopping when it is cancelled.
pub fn compute_agreement_with(
    store: &dyn Store,
    scope: &AgreementScope,
    monitor: &mut Monitor<'_>,
) -> Result<AgreementReport, ModelError> {
    monitor.step(0, 1, "reading annotations")?;
    let (everyone, sentences) = sentence_decisions(store, scope.doc_id.as_deref())?;
    monitor.check()?;
    let mut annotators = match &scope.annotators {
        Some(list) => list.clone(),
        None => everyone,
    };
    annotators.sort();
    annotators.dedup();
    if annotators.len() < 2 {
        return Err(ModelError::Invalid(format!(
            "agreement needs at least two annotators with decisions; found {}",
            if annotators.is_empty() {
                "none".to_owned()
            } else {
                annotators.join(", ")
            }
        )));
    }
    agreement_report_with(&annotators, &sentences, monitor).map_err(|e| match e {
        AgreementError::Cancelled(cancelled) => ModelError::Cancelled(cancelled),
        other => ModelError::Invalid(other.to_string()),
    })
}
