//! A backend under test: a factory of scratch databases, one function per backend.

use crate::store::interface::{Access, Store};
use crate::store::location::Location;
use crate::store::open::open;

/// A backend under test: where its scratch databases are made.
pub struct Backend {
    /// A new location holding no database yet.
    pub scratch: fn() -> Scratch,
}

/// A scratch location: a fresh database the first time it is opened for writing, gone
/// when dropped.
pub struct Scratch {
    pub location: Location,
    /// Whatever must live as long as the location (a temporary folder, a server database
    /// to drop).
    _keep: Box<dyn std::any::Any>,
}

impl Scratch {
    /// Opens (creating on first use) for reading and writing.
    pub fn open(&self) -> Box<dyn Store> {
        open(&self.location, Access::ReadWrite).expect("open the scratch store")
    }

    /// Opens the existing database read-only.
    pub fn open_read_only(&self) -> Box<dyn Store> {
        open(&self.location, Access::ReadOnly).expect("open the scratch store")
    }
}

impl Backend {
    /// A fresh, empty store (and its location, which must outlive it).
    pub fn fresh(&self) -> (Scratch, Box<dyn Store>) {
        let scratch = (self.scratch)();
        let store = scratch.open();
        (scratch, store)
    }
}

// ---------------------------------------------------------------- the factories

/// SQLite: a database file in a temporary folder.
pub fn sqlite() -> Backend {
    Backend {
        scratch: || {
            let dir = tempfile::tempdir().expect("temp dir");
            Scratch {
                location: Location::from(dir.path().join("conformance.db")),
                _keep: Box::new(dir),
            }
        },
    }
}

/// PostgreSQL: a database of its own on the test server (`ISNAD_TEST_POSTGRES`, started by
/// `scripts/with-postgres.sh`), with the project initialised as `isnad server init` does,
/// opened as the server's superuser; dropped afterwards.
pub fn postgres() -> Backend {
    Backend {
        scratch: || {
            let database = crate::store::postgres::scratch::ScratchDatabase::project();
            Scratch {
                location: database.location.clone(),
                _keep: Box::new(database),
            }
        },
    }
}
