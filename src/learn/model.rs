//! What was learnt from a project, and training it.

use super::stance::{self, StanceModel};
use super::target::{self, TargetModel};
use super::types::{Candidate, ClaimText, Example, LearnError, Settings};

/// What was learnt: either part may be missing when its data was too little.
#[derive(Debug, Clone)]
pub struct Model {
    pub stance: Option<StanceModel>,
    pub target: Option<TargetModel>,
    settings: Settings,
}

impl Model {
    /// The most likely stance of a claim and its probability, when the model is confident
    /// enough (`None` without a stance model, or below [`Settings::min_confidence`]).
    pub fn stance(&self, claim: &ClaimText<'_>) -> Option<(String, f32)> {
        let (stance, p) = self.stance.as_ref()?.predict(claim)?;
        (p >= self.settings.min_confidence).then_some((stance, p))
    }

    /// The index of the best target candidate, `None` without a target model (keep the
    /// heuristic) or without candidates.
    pub fn best_target(&self, claim: &ClaimText<'_>, candidates: &[Candidate]) -> Option<usize> {
        self.target.as_ref()?.best(claim, candidates)
    }

    /// How many claims the stance model learnt from (0 without one).
    pub fn stance_examples(&self) -> usize {
        self.stance.as_ref().map_or(0, StanceModel::examples)
    }

    /// How many claims the target model learnt from (0 without one).
    pub fn target_examples(&self) -> usize {
        self.target.as_ref().map_or(0, TargetModel::examples)
    }
}

/// Trains both parts with the default [`Settings`]; `None` when neither has enough data or
/// a learner failed (the caller keeps its heuristics).
pub fn train(examples: &[Example]) -> Option<Model> {
    try_train(examples, &Settings::default()).ok().flatten()
}

/// Trains both parts; `Ok(None)` when neither has enough data.
pub fn try_train(examples: &[Example], settings: &Settings) -> Result<Option<Model>, LearnError> {
    let examples = &examples[examples.len().saturating_sub(settings.max_examples)..];
    let stance = stance::train(examples, settings)?;
    let target = target::train(examples, settings)?;
    if stance.is_none() && target.is_none() {
        return Ok(None);
    }
    Ok(Some(Model {
        stance,
        target,
        settings: settings.clone(),
    }))
}
