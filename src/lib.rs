//! Isnad: annotate stance and claims in Arabic news.
//!
//! Layers (each depends only on those listed after it):
//! `cli` → `app`/`ui` (egui) → `model` → `importer`/`export` → `store` → `corpus`, with the
//! pure modules `text` (bidi layout; its widget is the only other egui code), `agreement`,
//! `adjudication`, `labels`, `suggest`, `clock`. Nothing below `app`/`ui` knows the user
//! interface exists, and only `store` contains SQL.

pub mod adjudication;
pub mod agreement;
pub mod app;
pub mod claims_record;
pub mod cli;
pub mod clock;
pub mod corpus;
pub mod data_files;
pub mod domain;
pub mod export;
pub mod files;
pub mod importer;
pub mod labels;
pub mod model;
pub mod progress;
pub mod seeds;
pub mod starter_entities;
pub mod store;
pub mod suggest;
pub mod text;
pub mod ui;
