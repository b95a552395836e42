//! The failure type of the closures a store runs in its reads and writes (its own file, so
//! that the migrations use it without naming the connection, which uses them).

use crate::store::error::StoreError;

/// A failure inside a read or write: the driver's, or one of the store's own.
#[derive(Debug)]
pub enum Fail {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Fail {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

/// The result of the closures run by [`PgStore::read`] and [`PgStore::write`].
pub type PgResult<T> = Result<T, Fail>;
