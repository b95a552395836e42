//! The PostgreSQL backend: a team's project on a server, [`PgStore`], the only code in the
//! program that names the `postgres` crate.
//!
//! One store owns one connection (`connection.rs`), opened from a `postgres://` URL with
//! libpq's defaults, password sources and TLS modes (`connect.rs`). The schema is
//! `schema/postgres/NNN_name.sql` with the SQLite schema's table and column names, applied
//! by `migrations.rs` (rows of `isnad_schema`) when the owner runs `isnad server init`
//! (`server.rs`, which also adds and lists the project's members). Who may read and write
//! what is the server's business: grants and row-level security in
//! `003_security.sql`, keyed on the login (`current_user`) — see SECURITY.md.
//!
//! Files, each adding the methods of one concern to [`PgStore`], as in `../sqlite/`:
//! `rows.rs` (domain types to and from rows), `documents.rs`, `actions.rs` (the undo
//! log), `annotations.rs`, `progress.rs`, `entities.rs`, `gold.rs`, `merge.rs`, and
//! `store.rs` (the [`crate::store::Store`] trait, implemented by calling those methods).

mod actions;
#[cfg(test)]
mod actions_tests;
mod annotations;
mod connect;
mod connection;
mod documents;
#[cfg(test)]
mod documents_tests;
mod entities;
mod fail;
mod gold;
mod merge;
#[cfg(test)]
mod merge_tests;
mod migrations;
mod progress;
mod rows;
#[doc(hidden)]
pub mod scratch;
pub mod server;
mod store;

pub use connection::PgStore;
pub use migrations::SCHEMA_VERSION;
