//! Schema migrations: the SQL files under `schema/`, applied in order and tracked with
//! `PRAGMA user_version`.
//!
//! The list is append-only — never remove or edit an entry once it has shipped, add a new
//! file instead. Each migration runs in one exclusive transaction together with the
//! `user_version` bump, so a crash leaves the database at the previous version, intact.

use rusqlite::{Connection, TransactionBehavior};

use super::errors::classify;
use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// `PRAGMA application_id` of an Isnad database ("ISND" in ASCII), set by the first
/// migration.
pub const APPLICATION_ID: i32 = 0x4953_4E44;

/// The migrations, in order; entry `n` (0-based) brings the database to version `n + 1`.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "001_initial",
        include_str!("../../../schema/001_initial.sql"),
    ),
    (
        "002_boilerplate_updated_at",
        include_str!("../../../schema/002_boilerplate_updated_at.sql"),
    ),
    (
        "003_progress",
        include_str!("../../../schema/003_progress.sql"),
    ),
    (
        "004_document_total",
        include_str!("../../../schema/004_document_total.sql"),
    ),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to `target`: [`SCHEMA_VERSION`], or an earlier version (tests make
/// databases of earlier versions with it).
pub(super) fn migrate_to(
    conn: &mut Connection,
    location: &Location,
    target: i64,
) -> StoreResult<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| classify(location, e))?;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(|e| classify(location, e))?;
        // Another isnad may have applied it while this one waited for the lock (two
        // processes opening a new database at once): read the version again, inside.
        let applied: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify(location, e))?;
        if version <= applied {
            tx.commit().map_err(|e| classify(location, e))?;
            continue;
        }
        tx.execute_batch(sql).map_err(|e| {
            StoreError::Invalid(format!(
                "migration {name} failed ({e}); the database was left at version {current}: {location}"
            ))
        })?;
        if version == 1 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| classify(location, e))?;
            let now = crate::clock::now_rfc3339();
            let project_id = uuid::Uuid::new_v4().simple().to_string();
            tx.execute(
                "INSERT INTO project_meta (key, value) VALUES ('project_id', ?1), ('created_at', ?2)",
                [&project_id, &now],
            )
            .map_err(|e| classify(location, e))?;
        }
        tx.pragma_update(None, "user_version", version)
            .map_err(|e| classify(location, e))?;
        tx.commit().map_err(|e| classify(location, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_names_are_numbered_in_order() {
        for (index, (name, _)) in MIGRATIONS.iter().enumerate() {
            assert!(name.starts_with(&format!("{:03}_", index + 1)), "{name}");
        }
    }
}
