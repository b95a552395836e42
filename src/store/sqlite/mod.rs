//! The SQLite backend: a project in one database file, [`SqliteStore`], the only code in the
//! program that contains SQL or names `rusqlite`.
//!
//! One store owns one `rusqlite::Connection`. The schema is `schema/NNN_name.sql`, applied
//! in order by `migrations.rs` (tracked with `PRAGMA user_version`, each in one exclusive
//! transaction). Files, each adding the methods of one concern to [`SqliteStore`] (none
//! imports a file that imports it back):
//! * `connection.rs` — opening, identity checks, WAL, integrity, project settings;
//!   `errors.rs` — SQLite's errors as [`crate::store::StoreError`]s; `migrations.rs`.
//! * `rows.rs` — domain types to and from rows (columns, readers, writers), shared by:
//! * `documents.rs` (import, list, read, stream), `actions.rs` (the undo log),
//!   `annotations.rs` (claims and marks), `progress.rs`, `entities.rs`, `gold.rs`,
//!   `merge.rs` (this store as a merge's source and as its target; the algorithm is the
//!   backend-neutral `store/merge.rs`).
//! * `store.rs` — the [`crate::store::Store`] trait, implemented by calling those methods.
//! * `tests.rs`, `progress_tests.rs` — what only this backend has (its schema version,
//!   migration 003 against the version-1 SQL); everything else is checked by the
//!   conformance suite.

mod actions;
mod annotations;
mod connection;
mod documents;
mod entities;
mod errors;
mod gold;
mod merge;
mod migrations;
mod progress;
#[cfg(test)]
mod progress_tests;
mod rows;
mod store;
#[cfg(test)]
mod tests;

pub use connection::SqliteStore;
