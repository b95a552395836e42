//! Isnad: annotate stance and claims in Arabic news.
//!
//! Layers (each depends only on those listed after it):
//! `cli` → `importer`/`export` → `store` → `corpus`, and the pure helpers `clock`.
//! Nothing below `cli` prints or knows about the user interface.

pub mod adjudication;
pub mod agreement;
pub mod cli;
pub mod clock;
pub mod corpus;
pub mod export;
pub mod importer;
pub mod labels;
pub mod model;
pub mod seeds;
pub mod starter_entities;
pub mod store;
pub mod suggest;
