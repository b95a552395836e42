//! Learning from the project's own confirmed claims: a stance proposed with its
//! confidence, and the target candidates of a proposal re-ranked by what annotators chose
//! before.
//!
//! Two linear models, fitted with `linfa-logistic` (L2-regularised logistic regression,
//! L-BFGS from zero weights: deterministic):
//! - [`stance`]: a multinomial model over hashed features ([`features`]) of the claim
//!   content and its sentence, the cue, the speaker and target names and their pair,
//!   negation words;
//! - [`target`]: a binary model scoring each known-entity mention inside the content
//!   (speaker→target pair counts, how often an entity was chosen or passed over, its
//!   position), the highest-scoring candidate proposed.
//!
//! Each is trained only when there is enough to learn from ([`Settings`]); below that
//! [`train`] gives no model (or a model without that part) and the caller keeps its
//! heuristic. Training a few thousand claims takes well under a second in release, so the
//! app can retrain in a background thread whenever labels change.
//!
//! Pure logic: it may use `corpus::normalize` (folding); no store, no model, no user
//! interface.

pub mod features;
pub mod model;
pub mod stance;
pub mod target;
pub mod types;

pub use model::{Model, train, try_train};
pub use stance::StanceModel;
pub use target::TargetModel;
pub use types::{Candidate, ClaimText, Example, LearnError, Settings};

#[cfg(test)]
mod tests;
