//! Isnad: annotate stance and claims in Arabic news.
//!
//! Layers, top to bottom (each uses only those below it; `ARCHITECTURE.md` has a paragraph
//! per module and `tests/architecture.rs` checks the import graph):
//!
//! - `cli` (clap, one file per subcommand) and `app` + `ui` (egui: views read state and
//!   push actions, `app` applies them);
//! - `importer`, `export`, `seeds`: files in and out;
//! - `model`: the workspace, intents and undo; `Project::open(location)` opens a project;
//! - `store`: the backend-neutral `Store` interface, chosen by location (a path: SQLite in
//!   `store/sqlite/`, the only code with SQL), with a conformance suite for every backend;
//! - `domain`: plain data (documents, sentences, spans, claims, entities, gold).
//!
//! Pure modules, used by any layer and using neither the store nor a user interface:
//! `corpus`, `text` (bidi layout; its `fonts` and `widget` are the only egui code outside
//! `app`/`ui`), `agreement`, `adjudication`, `claims_record`, `labels`, `suggest`,
//! `starter_entities`, `data_files`, `progress`, `clock`, `files`.

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
pub mod insight;
pub mod labels;
pub mod learn;
pub mod model;
pub mod progress;
pub mod propose;
pub mod seeds;
pub mod starter_entities;
pub mod store;
pub mod suggest;
pub mod text;
pub mod ui;
