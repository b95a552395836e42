//! Tests of what only the SQLite backend has (the backend-neutral tests are the
//! conformance suite's, `crate::store::conformance`, which runs them against SQLite too).

use std::path::Path;

use super::connection::SqliteStore;
use super::migrations::SCHEMA_VERSION;
use crate::store::interface::Access;

#[test]
fn fresh_database_reaches_the_current_version() {
    let store = SqliteStore::open(Path::new(":memory:"), Access::ReadWrite).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    assert!(store.project_id().unwrap().len() >= 32);
    assert!(store.integrity_problems().unwrap().is_empty());
}
