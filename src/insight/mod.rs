//! Corpus insight: who backs whom, with which stance, and when — the stance tuples of the
//! project's claims (speaker → target → stance, anchored in a sentence) aggregated into a
//! stance matrix ([`matrix`]), a speaker→target graph ([`graph`]) and a timeline
//! ([`timeline`]).
//!
//! Pure logic on plain tuples: the model reads them from a store
//! (`model::insight`); nothing here names the store, the model or a user interface.

pub mod graph;
pub mod matrix;
pub mod timeline;
pub mod tuple;

pub use matrix::{Matrix, MatrixRow};
pub use timeline::{Period, Timeline};
pub use tuple::StanceTuple;

#[cfg(test)]
mod tests;
