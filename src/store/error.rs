//! The errors of every store, whatever the backend: each says what happened and what to
//! do, and ends with the database's location (a file path, or a URL without its password).

use std::time::Duration;

use super::location::Location;

/// How long a write waits for another process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Errors of the store. Locations come last in messages.
///
/// The first kinds are what a user can act on (a file that is not a database, a newer
/// schema, a read-only folder, a busy or full disk, damage); `NotADatabase` and `Corrupt`
/// are a file backend's, `NotInitialized`, `ServerNeedsUpgrade`, `AuthFailed`, `Denied` and
/// `Unreachable` a server's. `Backend` carries any other
/// failure of the database itself, with the driver's error as its source.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not a SQLite database, or the file is damaged ({detail}): {location}")]
    NotADatabase { location: Location, detail: String },
    #[error(
        "this database belongs to another program ({detail}), refusing to touch it: {location}"
    )]
    ForeignDatabase { location: Location, detail: String },
    #[error(
        "the database was written by a newer Isnad (schema version {found}, this isnad knows up to {known}); \
         it was left untouched — update isnad to open it: {location}"
    )]
    NewerSchema {
        location: Location,
        found: i64,
        known: i64,
    },
    #[error(
        "the database is at schema version {found} and needs an upgrade to {known}, \
         which needs write access; open it once with write access: {location}"
    )]
    NeedsUpgrade {
        location: Location,
        found: i64,
        known: i64,
    },
    #[error(
        "the database file or its folder is read-only, so changes cannot be saved (reading \
         commands such as `isnad docs` and `isnad export` still work; copy the database to a \
         folder you can write to in order to change it): {location}"
    )]
    ReadOnly { location: Location },
    #[error(
        "the database is busy: another program (another isnad?) has been writing to it for more than {}s; \
         nothing was changed, try again when it is done: {location}", BUSY_TIMEOUT.as_secs()
    )]
    Busy { location: Location },
    #[error(
        "the disk is full; the last change was rolled back and nothing was half-written: {location}"
    )]
    DiskFull { location: Location },
    #[error(
        "the database is damaged ({detail}); nothing more was written to it. Restore it from a \
         backup, or save what can be read with `sqlite3 DAMAGED.db .recover | sqlite3 NEW.db`: {location}"
    )]
    Corrupt { location: Location, detail: String },
    #[error("cannot open the database ({detail}): {location}")]
    CannotOpen { location: Location, detail: String },
    #[error(
        "this PostgreSQL database holds no Isnad project yet; its owner sets it up with \
         `isnad server init --db URL`: {location}"
    )]
    NotInitialized { location: Location },
    #[error(
        "the project on the server is at schema version {found} and needs an upgrade to \
         {known}; ask its owner to run `isnad server init --db URL` with this isnad: {location}"
    )]
    ServerNeedsUpgrade {
        location: Location,
        found: i64,
        known: i64,
    },
    #[error(
        "the server refused the login ({detail}); check the user name and the password \
         (PGPASSWORD, ~/.pgpass, or the password asked for): {location}"
    )]
    AuthFailed { location: Location, detail: String },
    #[error(
        "the server refused this ({detail}); nothing was changed — your role in the \
         project does not allow it (see `isnad server users`): {location}"
    )]
    Denied { location: Location, detail: String },
    #[error(
        "the server cannot be reached ({detail}); nothing was saved by this step — the \
         last change shown as saved is safe on the server; try again when it is back: {location}"
    )]
    Unreachable { location: Location, detail: String },
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {source}: {location}")]
    Backend {
        location: Location,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;
