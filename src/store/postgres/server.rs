//! Administering a project on a server: setting it up (`isnad server init`) and its
//! members (`isnad server add-user`, `isnad server users`). Run by the database's owner.
//!
//! A member is a PostgreSQL login with a row in `project_users` (its role) and the CONNECT
//! privilege on the project's database; `init` revokes CONNECT from PUBLIC, so nobody else
//! connects. Passwords are hashed on the client (SCRAM-SHA-256, as `psql`'s `\password`
//! does): the clear text never reaches the server, its logs or its statistics.

use super::connection::{Found, PgStore};
use super::migrations::SCHEMA_VERSION;
use crate::domain::{MemberRow, Role};
use crate::store::error::{StoreError, StoreResult};
use crate::store::interface::Access;
use crate::store::location::Location;

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// Schema version found (0: an empty database).
    pub from_version: i64,
    pub to_version: i64,
    /// The login that ran it (the owner).
    pub owner: String,
    pub database: String,
}

/// Sets up (or upgrades) the Isnad project in the database at `location`: applies the
/// migrations, and lets only members connect. Refuses another program's database and a
/// newer schema, changing nothing; must be run by the database's owner (or a superuser).
pub fn init(location: &Location, password: Option<&str>) -> StoreResult<(InitReport, PgStore)> {
    let mut store = PgStore::connect(location, Access::ReadWrite, password)?;
    let (owner, database, may): (String, String, bool) = store.read(|client| {
        let row = client.query_one(
            "SELECT current_user::text, current_database()::text,
                    (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR pg_has_role(current_user,
                        (SELECT datdba FROM pg_database WHERE datname = current_database()),
                        'MEMBER')",
            &[],
        )?;
        Ok((row.get(0), row.get(1), row.get(2)))
    })?;
    if !may {
        return Err(StoreError::Denied {
            location: location.clone(),
            detail: format!(
                "only the owner of the database {database} (or a superuser) can set up its \
                 project, and {owner} is neither"
            ),
        });
    }
    if let Found::Isnad(found) = store.identify()?
        && found > SCHEMA_VERSION
    {
        return Err(StoreError::NewerSchema {
            location: location.clone(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    let (from_version, to_version) = store.migrate()?;
    store.write(|tx| {
        let sql: String = tx
            .query_one(
                "SELECT format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database())",
                &[],
            )?
            .get(0);
        tx.batch_execute(&sql)?;
        Ok(())
    })?;
    let report = InitReport {
        from_version,
        to_version,
        owner,
        database,
    };
    Ok((report, store))
}

/// Whether `add_user` made a new login or gave an existing one a role here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddedUser {
    Created,
    Existing,
}

/// Makes `name` a member with `role`: creates the login (with `password`, hashed here)
/// unless it exists, sets its role (replacing an earlier one), and lets it connect. A given
/// password replaces an existing login's. Needs the owner (with CREATEROLE for a new login).
pub fn add_user(
    store: &mut PgStore,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> StoreResult<AddedUser> {
    check_login_name(name)?;
    let verifier = password.map(|p| postgres_protocol::password::scram_sha_256(p.as_bytes()));
    // Logins are the cluster's: `add-user` of another project may create or change the
    // same login at this moment ("tuple concurrently updated"); then try again.
    let mut attempt = 0;
    loop {
        match add_user_once(store, name, role, verifier.as_deref()) {
            Err(StoreError::Backend { source, .. })
                if attempt < 5 && source.to_string().contains("concurrently") =>
            {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
            }
            other => return other,
        }
    }
}

fn add_user_once(
    store: &mut PgStore,
    name: &str,
    role: Role,
    verifier: Option<&str>,
) -> StoreResult<AddedUser> {
    let now = crate::clock::now_rfc3339();
    store.write(|tx| {
        let exists = tx
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])?
            .is_some();
        let statements: Vec<String> = {
            let mut sql = Vec::new();
            let role_verb = if exists { "ALTER" } else { "CREATE" };
            let row = match verifier {
                Some(verifier) => tx.query_one(
                    &format!(
                        "SELECT format('{role_verb} ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)"
                    ),
                    &[&name, &verifier],
                )?,
                None => tx.query_one(
                    &format!("SELECT format('{role_verb} ROLE %I LOGIN', $1::text)"),
                    &[&name],
                )?,
            };
            sql.push(row.get(0));
            let row = tx.query_one(
                "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $1::text)",
                &[&name],
            )?;
            sql.push(row.get(0));
            sql
        };
        for (index, statement) in statements.iter().enumerate() {
            // Logins are the cluster's: another project's `add-user` may create the same
            // one at this moment. Then it exists: set its password instead.
            let mut savepoint = tx.savepoint("add_user")?;
            match savepoint.batch_execute(statement) {
                Ok(()) => savepoint.commit()?,
                Err(e) if index == 0 && !exists && is_duplicate_role(&e) => {
                    drop(savepoint);
                    if let Some(verifier) = verifier {
                        let sql: String = tx
                            .query_one(
                                "SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
                                &[&name, &verifier],
                            )?
                            .get(0);
                        tx.batch_execute(&sql)?;
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        tx.execute(
            "INSERT INTO project_users (name, role, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role",
            &[&name, &role.as_str(), &now],
        )?;
        Ok(if exists {
            AddedUser::Existing
        } else {
            AddedUser::Created
        })
    })
}

/// Ends `name`'s membership: no role, no CONNECT. The login and every label it made stay.
pub fn remove_user(store: &mut PgStore, name: &str) -> StoreResult<bool> {
    check_login_name(name)?;
    store.write(|tx| {
        let removed = tx.execute("DELETE FROM project_users WHERE name = $1", &[&name])? > 0;
        if tx
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])?
            .is_some()
        {
            let sql: String = tx
                .query_one(
                    "SELECT format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), $1::text)",
                    &[&name],
                )?
                .get(0);
            tx.batch_execute(&sql)?;
        }
        Ok(removed)
    })
}

/// The project's members, by name.
pub fn users(store: &PgStore) -> StoreResult<Vec<MemberRow>> {
    store.read(|client| {
        let rows = client.query(
            "SELECT u.name, u.role, u.created_at, coalesce(r.rolcanlogin, false),
                    r.rolname IS NOT NULL
                    AND has_database_privilege(u.name, current_database(), 'CONNECT')
               FROM project_users u LEFT JOIN pg_roles r ON r.rolname = u.name
              ORDER BY u.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|row| MemberRow {
                name: row.get(0),
                role: Role::from_name(&row.get::<_, String>(1)).unwrap_or(Role::Annotator),
                created_at: row.get(2),
                can_login: row.get(3),
                can_connect: row.get(4),
            })
            .collect())
    })
}

/// A login name Isnad accepts: what PostgreSQL allows unquoted is not required (names are
/// quoted), but no control characters, no leading `pg_` (reserved), at most 63 bytes.
fn check_login_name(name: &str) -> StoreResult<()> {
    let problem = if name.is_empty() {
        Some("is empty")
    } else if name.len() > 63 {
        Some("is longer than PostgreSQL's 63 bytes")
    } else if name.chars().any(char::is_control) {
        Some("holds a control character")
    } else if name.starts_with("pg_") {
        Some("starts with pg_, which PostgreSQL reserves")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(StoreError::Invalid(format!(
            "the user name {name:?} {problem}"
        ))),
        None => Ok(()),
    }
}

fn is_duplicate_role(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    e.code()
        .is_some_and(|c| *c == SqlState::DUPLICATE_OBJECT || *c == SqlState::UNIQUE_VIOLATION)
}
