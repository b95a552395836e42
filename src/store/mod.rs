//! The store: where a project's data is kept, behind one backend-neutral interface.
//!
//! The rest of the program holds an open database as a [`Store`] trait object
//! (`Box<dyn Store>`, `&dyn Store`, `&mut dyn Store`; opened by the model's
//! `Project::open`) and talks to it in [`crate::domain`] types only. [`open`] picks the
//! backend from the [`Location`] the user gave: a file path is a SQLite database
//! (`sqlite/`); a `postgres://` or `postgresql://` URL is a project on a PostgreSQL server
//! (`postgres/`). Every
//! write is one transaction; the action log behind undo and redo, the migrations and the
//! merge bookkeeping are each backend's business, behind the same interface. Why a trait
//! and not an enum over backends: see [`Store`].
//!
//! Files, and what each may use (none imports a file that imports it back; this file only
//! declares and re-exports):
//! * `interface.rs` — the [`Store`] trait and [`Access`]; uses `error`, `location`,
//!   `merge_rows` and `domain`.
//! * `error.rs` — [`StoreError`], [`StoreResult`], [`BUSY_TIMEOUT`]; `location.rs` —
//!   [`Location`] (parsing, the password hidden when printed). They use nothing else.
//! * `open.rs` — [`open`] and [`open_in_memory`]: the one place that names a backend.
//! * `merge.rs` — the merge algorithm, once for every backend (`store.merge_from(other)`);
//!   `merge_rows.rs` — what a backend provides for it: [`MergeSource`] (a supertrait of
//!   [`Store`]) and [`MergeTarget`] (one transaction), and the rows they exchange.
//! * `sqlite/` — the SQLite backend, the only code that names `rusqlite`; `postgres/` — the
//!   PostgreSQL backend (team projects), the only code that names `postgres`, and its
//!   server administration (`postgres::server`: init, members). Only these two contain SQL.
//! * `conformance/` (tests) — the same store tests against every backend.
//!
//! The store may use `domain`, `corpus::normalize` (alias folding) and `clock`; it must not
//! use `model`, `app`, `ui`, `cli`, `importer` or `export`.

#[cfg(test)]
mod conformance;
mod error;
mod interface;
mod location;
mod merge;
mod merge_rows;
mod open;
pub mod postgres;
mod sqlite;

pub use error::{BUSY_TIMEOUT, StoreError, StoreResult};
pub use interface::{Access, EachAnnotatedDocument, Store};
pub use location::Location;
pub use merge_rows::{
    ActivityRow, AliasRow, AnnotatorRow, BoilerplateFlag, DocumentShape, MergeSource, MergeTarget,
    StoredDocument, StoredSentence,
};
pub use open::{open, open_in_memory, open_with_password};
