//! The data the learners read: claims, their target candidates, training examples, the
//! settings and the error.

/// A claim as the models read it: texts of the sentence and of its parts.
#[derive(Debug, Clone, Copy)]
pub struct ClaimText<'a> {
    pub sentence: &'a str,
    /// The claim content ("" when the claim has none).
    pub content: &'a str,
    /// The reporting cue as written, or its lemma.
    pub cue: &'a str,
    /// The speaker entity's canonical name.
    pub speaker: Option<&'a str>,
    /// The target entity's canonical name.
    pub target: Option<&'a str>,
}

/// A target candidate: a known entity mentioned inside the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The entity's canonical name.
    pub name: String,
    /// Where the mention lies, code points of the content.
    pub start: usize,
    pub end: usize,
}

/// One confirmed claim to learn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub sentence: String,
    pub content: String,
    pub cue: String,
    pub speaker: Option<String>,
    pub target: Option<String>,
    /// The stance the annotator gave (a schema id), if any.
    pub stance: Option<String>,
    /// The known-entity mentions inside the content, in order.
    pub candidates: Vec<Candidate>,
    /// Which candidate the annotator chose as the target, if one of them.
    pub chosen: Option<usize>,
}

impl Example {
    /// The example as the models read it.
    pub fn text(&self) -> ClaimText<'_> {
        ClaimText {
            sentence: &self.sentence,
            content: &self.content,
            cue: &self.cue,
            speaker: self.speaker.as_deref(),
            target: self.target.as_deref(),
        }
    }
}

/// How much a model needs before it proposes anything, and how it is fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Claims with a stance needed before a stance is proposed.
    pub min_stance_examples: usize,
    /// Distinct stances needed among them.
    pub min_stances: usize,
    /// Claims whose target was one of two or more candidates, needed before re-ranking.
    pub min_target_examples: usize,
    /// A stance is proposed only with at least this probability.
    pub min_confidence: f32,
    /// The L2 penalty of both learners.
    pub alpha: f64,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// The most recent claims learnt from at most (training time grows with them; the
    /// latest labels follow the current guidelines best).
    pub max_examples: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            min_stance_examples: 30,
            min_stances: 2,
            min_target_examples: 30,
            min_confidence: 0.5,
            alpha: 0.1,
            max_iterations: 100,
            max_examples: 3000,
        }
    }
}

/// A learner that failed on data that passed the checks (it should not happen; the
/// caller keeps its heuristic and says why).
#[derive(Debug, thiserror::Error)]
#[error("the {part} model could not be trained: {reason}")]
pub struct LearnError {
    pub part: &'static str,
    pub reason: String,
}
