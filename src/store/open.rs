//! Opening a store: the one place that picks a backend by the location.

use super::error::StoreResult;
use super::interface::{Access, Store};
use super::location::Location;
use super::postgres::PgStore;
use super::sqlite::SqliteStore;

/// Opens the database at `location`: a SQLite file (created and migrated when missing,
/// with [`Access::ReadWrite`]), or a project on a PostgreSQL server (set up beforehand by
/// its owner with `isnad server init`; the password from the URL, `PGPASSWORD` or
/// `~/.pgpass`).
pub fn open(location: &Location, access: Access) -> StoreResult<Box<dyn Store>> {
    open_with_password(location, access, None)
}

/// [`open`], with the password the user typed when the server asked for one (the app's
/// prompt); used only when the URL, `PGPASSWORD` and `~/.pgpass` have none.
pub fn open_with_password(
    location: &Location,
    access: Access,
    password: Option<&str>,
) -> StoreResult<Box<dyn Store>> {
    match location {
        Location::Sqlite(path) => Ok(Box::new(SqliteStore::open(path, access)?)),
        Location::Postgres(_) => Ok(Box::new(PgStore::open(location, access, password)?)),
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
    fn an_unreachable_server_is_named_without_its_password() {
        // Port 9 (discard) on loopback: nothing listens there.
        let location = Location::parse("postgres://hala:secret@127.0.0.1:9/isnad");
        let error = open(&location, Access::ReadWrite).unwrap_err();
        assert!(
            matches!(error, super::super::error::StoreError::Unreachable { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("postgres://hala:***@127.0.0.1:9/isnad"),
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
