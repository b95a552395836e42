//! The store: where a project's data is kept, behind one backend-neutral interface.
//!
//! The rest of the program holds an open database as a [`Store`] trait object
//! (`Box<dyn Store>`, `&dyn Store`, `&mut dyn Store`) and talks to it in
//! [`crate::domain`] types only; [`open`] picks the backend from the [`Location`] the user
//! gave: a file path is a SQLite database (`sqlite/`), a `postgres://` URL a PostgreSQL
//! server (refused with a clear error until that backend exists). Every write is one
//! transaction; the action log behind undo and redo, the migrations and the merge
//! bookkeeping are the backend's business, behind the same interface.
//!
//! Files, and what they may use (no file imports one that imports it back; this file
//! only re-exports):
//! * `interface.rs` — the [`Store`] trait and [`Access`]; uses `error`, `location`,
//!   `domain`.
//! * `error.rs` — [`StoreError`], [`StoreResult`], [`BUSY_TIMEOUT`]; `location.rs` —
//!   [`Location`] (parsing, passwords hidden when printed). Neither uses anything else.
//! * `open.rs` — [`open`] and [`open_in_memory`]: the one place that names a backend.
//! * `sqlite/` — the SQLite backend, the only code that contains SQL or names `rusqlite`.
//!
//! The store may use `domain`, `corpus::normalize` (alias folding) and `clock`; it must
//! not use `model`, `app`, `ui` or `cli`.

#[cfg(test)]
mod conformance;
mod error;
mod interface;
mod location;
mod merge;
mod merge_rows;
mod open;
mod sqlite;

pub use error::{BUSY_TIMEOUT, StoreError, StoreResult};
pub use interface::{Access, EachAnnotatedDocument, Store};
pub use location::Location;
pub use merge_rows::{
    ActivityRow, AliasRow, AnnotatorRow, BoilerplateFlag, DocumentShape, MergeSource, MergeTarget,
    StoredDocument, StoredSentence,
};
pub use open::{open, open_in_memory};
