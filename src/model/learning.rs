//! Learning from the project's confirmed claims ([`crate::learn`]) as the model uses it:
//! training examples read from a store, and a proposal's stance and target taken from what
//! was learnt.
//!
//! Training reads every live confirmed claim (`Store::content_decisions`), its sentence and
//! the registry's names; it is cheap enough to run again in a background thread whenever
//! labels change. [`Learned`] is plain data (`Send + Sync`), so a trained one can be handed
//! to the thread that proposes.

use std::collections::HashMap;
use std::ops::Range;

use crate::domain::{ClaimRow, ClaimStatus, SentenceRow, Span};
use crate::learn::{self, Candidate, ClaimText, Example, Settings};
use crate::propose::{EntityIndex, Proposal, StanceProposal, part_text};
use crate::store::Store;

use super::error::{ModelError, ModelResult};
use super::registry::{Registry, entity_index};

/// What was learnt from a project, with how much it learnt from.
#[derive(Debug, Clone)]
pub struct Learned {
    model: learn::Model,
}

impl Learned {
    /// The predicted stance of a proposal in `sentence` (its text) and its probability,
    /// when the model is confident enough; `None` otherwise (keep "unclear").
    pub fn stance_for(&self, sentence: &str, proposal: &Proposal) -> Option<(String, f32)> {
        let (content, cue) = texts(sentence, proposal);
        let claim = ClaimText {
            target: proposal.target.as_ref().map(|t| t.name.as_str()),
            ..claim_text(sentence, &content, &cue, proposal)
        };
        self.model.stance(&claim)
    }

    /// Re-ranks a proposal's target among the known entities inside its content, when a
    /// target model was trained (else the proposer's choice stands).
    pub fn rerank_target(&self, index: &EntityIndex, sentence: &str, proposal: &mut Proposal) {
        let Some(content) = proposal.content.clone() else {
            return;
        };
        let mentions = index.mentions_in(sentence, &content);
        let candidates = candidates(index, &mentions, &content);
        let (content_text, cue) = texts(sentence, proposal);
        let claim = claim_text(sentence, &content_text, &cue, proposal);
        if let Some(best) = self.model.best_target(&claim, &candidates)
            && let Some(mention) = mentions.get(best)
        {
            proposal.target = Some(index.proposal(mention));
        }
    }

    /// What was learnt, applied to a document's proposals: each target re-ranked, and a
    /// confident stance (one of the schema's `stances`) proposed.
    pub fn improve(
        &self,
        index: &EntityIndex,
        sentences: &[SentenceRow],
        stances: &[String],
        proposals: &mut [Vec<Proposal>],
    ) {
        for (sentence, found) in sentences.iter().zip(proposals.iter_mut()) {
            for proposal in found.iter_mut() {
                self.rerank_target(index, &sentence.text, proposal);
                proposal.stance = self
                    .stance_for(&sentence.text, proposal)
                    .filter(|(stance, _)| stances.contains(stance))
                    .map(|(stance, confidence)| StanceProposal {
                        stance,
                        confidence,
                        trained_on: self.stance_examples(),
                    });
            }
        }
    }

    /// Trains on examples given directly (a store's are read by [`train_from_store`]);
    /// `None` below the minimum of claims.
    pub fn from_examples(examples: &[Example]) -> Option<Learned> {
        learn::train(examples).map(|model| Learned { model })
    }

    /// How many confirmed claims the stance model learnt from (0: no stance model).
    pub fn stance_examples(&self) -> usize {
        self.model.stance_examples()
    }

    /// How many confirmed claims the target re-ranker learnt from (0: none).
    pub fn target_examples(&self) -> usize {
        self.model.target_examples()
    }
}

/// A proposal's content and cue texts ("" without content).
fn texts(sentence: &str, proposal: &Proposal) -> (String, String) {
    let content = proposal
        .content
        .as_ref()
        .map(|c| part_text(sentence, c))
        .unwrap_or_default();
    (content, part_text(sentence, &proposal.cue))
}

/// A proposal as the models read it, without its target.
fn claim_text<'a>(
    sentence: &'a str,
    content: &'a str,
    cue: &'a str,
    proposal: &'a Proposal,
) -> ClaimText<'a> {
    ClaimText {
        sentence,
        content,
        cue,
        speaker: proposal.speaker.as_ref().map(|s| s.entity.name.as_str()),
        target: None,
    }
}

/// Trains on the project's live confirmed claims; `None` while there are too few (below
/// 30 claims with a stance and two stances, and 30 targets chosen among two or more
/// candidates).
pub fn train_from_store(store: &dyn Store) -> ModelResult<Option<Learned>> {
    Ok(training_from_store(store)?.learned)
}

/// One training run: what was learnt, and how much there was to learn from.
#[derive(Debug, Clone)]
pub struct Training {
    pub learned: Option<Learned>,
    /// Live confirmed claims on content sentences.
    pub claims: usize,
    /// Of them, those with a stance.
    pub with_stance: usize,
}

impl Training {
    /// A line for the user: what the model proposes, or how much more it needs.
    pub fn summary(&self) -> String {
        let needed = Settings::default().min_stance_examples;
        match &self.learned {
            Some(l) if l.stance_examples() > 0 => format!(
                "stance proposals learnt from {} confirmed claims",
                l.stance_examples()
            ),
            _ => format!(
                "stance proposals start at {needed} confirmed claims with two stances ({} so far)",
                self.with_stance
            ),
        }
    }
}

/// Trains on the project's live confirmed claims and says how many there were.
pub fn training_from_store(store: &dyn Store) -> ModelResult<Training> {
    let examples = examples_from_store(store)?;
    let model = learn::try_train(&examples, &Settings::default())
        .map_err(|e| ModelError::Invalid(e.to_string()))?;
    Ok(Training {
        learned: model.map(|model| Learned { model }),
        claims: examples.len(),
        with_stance: examples.iter().filter(|e| e.stance.is_some()).count(),
    })
}

/// The training examples of a project: one per live confirmed claim on a content sentence.
pub fn examples_from_store(store: &dyn Store) -> ModelResult<Vec<Example>> {
    let (mut claims, _marks) = store.content_decisions(None)?;
    // Oldest first: a capped training keeps the latest ([`Settings::max_examples`]).
    claims.retain(|c| c.status == ClaimStatus::Confirmed && !c.deleted);
    claims.sort_by(|a, b| a.updated_at.cmp(&b.updated_at));
    // Only the claims training keeps: their documents' sentences are all that is read.
    let keep = Settings::default().max_examples;
    claims.drain(..claims.len().saturating_sub(keep));
    let registry = Registry::load(store)?;
    let index = entity_index(&registry);
    let mut sentences: HashMap<String, Vec<SentenceRow>> = HashMap::new();
    let mut examples = Vec::new();
    for claim in &claims {
        if !sentences.contains_key(&claim.doc_id) {
            let rows = store.sentences(&claim.doc_id)?;
            sentences.insert(claim.doc_id.clone(), rows);
        }
        let Some(sentence) = sentences
            .get(&claim.doc_id)
            .and_then(|rows| rows.iter().find(|s| s.index == claim.sentence_idx))
        else {
            continue;
        };
        let name = |id: &Option<String>| id.as_deref().map(|id| registry.name(id).to_owned());
        examples.push(example(
            &index,
            sentence,
            claim,
            name(&claim.speaker_entity),
            name(&claim.target_entity),
        ));
    }
    Ok(examples)
}

/// One claim as an example: its parts' texts, its target candidates and which was chosen.
fn example(
    index: &EntityIndex,
    sentence: &SentenceRow,
    claim: &ClaimRow,
    speaker: Option<String>,
    target: Option<String>,
) -> Example {
    let local = |span: &Option<Span>| {
        span.as_ref()
            .filter(|s| sentence.start <= s.start && s.end <= sentence.end)
            .map(|s| s.start - sentence.start..s.end - sentence.start)
    };
    let content = local(&claim.content_span);
    let text = |range: &Option<Range<usize>>| {
        range
            .as_ref()
            .map(|r| part_text(&sentence.text, r))
            .unwrap_or_default()
    };
    let (candidates, chosen) = match &content {
        Some(range) => {
            let mentions = index.mentions_in(&sentence.text, range);
            let candidates = candidates(index, &mentions, range);
            let chosen = chosen_candidate(&candidates, local(&claim.target_span), range, &target);
            (candidates, chosen)
        }
        None => (Vec::new(), None),
    };
    Example {
        sentence: sentence.text.clone(),
        content: text(&content),
        cue: text(&local(&claim.cue_span)),
        speaker,
        target,
        stance: claim.stance.clone(),
        candidates,
        chosen,
    }
}

/// The candidates of mentions inside `content`, in code points of the content.
pub fn candidates(
    index: &EntityIndex,
    mentions: &[crate::propose::entities::Mention],
    content: &Range<usize>,
) -> Vec<Candidate> {
    mentions
        .iter()
        .map(|m| Candidate {
            name: index.proposal(m).name,
            start: m.range.start - content.start,
            end: m.range.end - content.start,
        })
        .collect()
}

/// The candidate the annotator chose: the one their target span overlaps, else the first
/// with the target's name.
fn chosen_candidate(
    candidates: &[Candidate],
    target_span: Option<Range<usize>>,
    content: &Range<usize>,
    target: &Option<String>,
) -> Option<usize> {
    let by_span = target_span.and_then(|span| {
        candidates
            .iter()
            .position(|c| c.start + content.start < span.end && span.start < c.end + content.start)
    });
    let folded = target.as_deref().map(crate::corpus::normalize::fold);
    by_span.or_else(|| {
        candidates
            .iter()
            .position(|c| Some(crate::corpus::normalize::fold(&c.name)) == folded)
    })
}
