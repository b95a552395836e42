//! Opening a store: the one place that picks a backend by the location.

use super::error::{StoreError, StoreResult};
use super::interface::{Access, Store};
use super::location::Location;
use super::sqlite::SqliteStore;

/// Opens the database at `location`: a SQLite file (created and migrated when missing,
/// with [`Access::ReadWrite`]), or — not yet supported — a PostgreSQL server, which is
/// refused with an error that names the URL without its password.
pub fn open(location: &Location, access: Access) -> StoreResult<Box<dyn Store>> {
    match location {
        Location::Sqlite(path) => Ok(Box::new(SqliteStore::open(path, access)?)),
        Location::Postgres(_) => Err(StoreError::Unsupported {
            location: location.clone(),
        }),
    }
}

/// A fresh scratch database in memory (tests, throw-away work).
pub fn open_in_memory() -> StoreResult<Box<dyn Store>> {
    open(&Location::in_memory(), Access::ReadWrite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_refused_naming_it_without_its_password() {
        let location = Location::parse("postgres://hala:secret@db.example/isnad");
        let error = open(&location, Access::ReadWrite).unwrap_err();
        assert!(matches!(error, StoreError::Unsupported { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains("PostgreSQL")
                && message.contains("postgres://hala:***@db.example/isnad"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
        assert!(!format!("{error:?}").contains("secret"));
    }

    #[test]
    fn a_path_opens_a_sqlite_store() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::from(dir.path().join("x.db"));
        let store = open(&location, Access::ReadWrite).unwrap();
        assert_eq!(store.location(), &location);
        assert_eq!(store.access(), Access::ReadWrite);
        drop(store);
        let store = open(&location, Access::ReadOnly).unwrap();
        assert_eq!(store.access(), Access::ReadOnly);
    }
}
