//! Schema migrations on a server: the SQL files under `schema/postgres/`, applied in order
//! and tracked as rows of `isnad_schema` (one per migration: its number, name, when and by
//! whom it was applied).
//!
//! The list is append-only — never remove or edit an entry once it has shipped, add a new
//! file instead. All pending migrations run in the one transaction of
//! [`super::connection::PgStore::write`], under a transaction-scoped advisory lock so that
//! two owners running `isnad server init` at once apply each migration once; a failure
//! leaves the database as it was (PostgreSQL's DDL is transactional).

use super::fail::PgResult;
use crate::store::error::StoreError;

/// The advisory lock key of migrations ("ISND" in ASCII).
const MIGRATION_LOCK: i64 = 0x4953_4E44;

/// The migrations, in order; entry `n` (0-based) brings the database to version `n + 1`.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "001_initial",
        include_str!("../../../schema/postgres/001_initial.sql"),
    ),
    (
        "002_progress",
        include_str!("../../../schema/postgres/002_progress.sql"),
    ),
    (
        "003_security",
        include_str!("../../../schema/postgres/003_security.sql"),
    ),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration the database lacks, in `tx`.
pub(super) fn migrate(tx: &mut postgres::Transaction<'_>) -> PgResult<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS isnad_schema (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL,
             applied_by TEXT NOT NULL DEFAULT current_user
         )",
    )?;
    let current: i64 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM isnad_schema", &[])?
        .get(0);
    if current > SCHEMA_VERSION {
        return Err(StoreError::Invalid(format!(
            "the project's schema is at version {current}, newer than this isnad's {SCHEMA_VERSION}"
        ))
        .into());
    }
    let now = crate::clock::now_rfc3339();
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        tx.batch_execute(sql).map_err(|e| {
            StoreError::Invalid(format!(
                "migration postgres/{name} failed ({}); nothing was changed",
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |db| db.message().to_owned())
            ))
        })?;
        if version == 1 {
            let project_id = uuid::Uuid::new_v4().simple().to_string();
            tx.execute(
                "INSERT INTO project_meta (key, value) VALUES ('project_id', $1), ('created_at', $2)",
                &[&project_id, &now],
            )?;
        }
        tx.execute(
            "INSERT INTO isnad_schema (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&version, name, &now],
        )?;
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
