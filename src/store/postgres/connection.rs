//! The connection: opening a project on a server, its identity checks, reading and
//! writing through one connection that comes back after it was lost, and the project's
//! settings table.
//!
//! A store owns one `postgres::Client` (in a `RefCell`: the store's reads take `&self`).
//! Every write is one transaction ([`PgStore::write`]): an action shows as saved only after
//! the server committed it. When the connection is lost, the operation fails with
//! [`StoreError::Unreachable`] and nothing of it is kept (the server rolls back a
//! transaction whose client went away); the next operation connects again, so work
//! continues as soon as the server is back. Reads are retried once on a new connection.

use std::cell::{RefCell, RefMut};

use postgres::error::SqlState;

use super::connect::ConnectSpec;
use super::migrations::{self, SCHEMA_VERSION};
use crate::domain::{Member, Role};
use crate::store::error::{StoreError, StoreResult};
use crate::store::interface::Access;
use crate::store::location::Location;

pub use super::fail::{Fail, PgResult};

/// An open Isnad project on a PostgreSQL server: one connection.
pub struct PgStore {
    client: RefCell<postgres::Client>,
    pub(super) location: Location,
    pub(super) access: Access,
    pub(super) member: Member,
    spec: ConnectSpec,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .field("access", &self.access)
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

/// What an open found in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// No tables at all.
    Empty,
    /// An Isnad project at this schema version.
    Isnad(i64),
}

impl PgStore {
    /// Opens the project at `location` (a `postgres://` URL), with `password` if the app
    /// asked for one. Refuses a database without an Isnad project, another program's, and
    /// a schema newer or older than this isnad's (the owner upgrades with `server init`).
    pub fn open(
        location: &Location,
        access: Access,
        password: Option<&str>,
    ) -> StoreResult<PgStore> {
        let store = Self::connect(location, access, password)?;
        match store.identify()? {
            Found::Empty => Err(StoreError::NotInitialized {
                location: location.clone(),
            }),
            Found::Isnad(found) if found > SCHEMA_VERSION => Err(StoreError::NewerSchema {
                location: location.clone(),
                found,
                known: SCHEMA_VERSION,
            }),
            Found::Isnad(found) if found < SCHEMA_VERSION => Err(StoreError::ServerNeedsUpgrade {
                location: location.clone(),
                found,
                known: SCHEMA_VERSION,
            }),
            Found::Isnad(_) => {
                let mut store = store;
                store.member = store.read(read_member)?;
                Ok(store)
            }
        }
    }

    /// Connects without looking at the schema (`server init`, `open`).
    pub(super) fn connect(
        location: &Location,
        access: Access,
        password: Option<&str>,
    ) -> StoreResult<PgStore> {
        let Location::Postgres(url) = location else {
            return Err(StoreError::Invalid(format!(
                "not a PostgreSQL URL: {location}"
            )));
        };
        let spec = ConnectSpec::from_url(location, url, password)?;
        let client = connect_client(&spec, access).map_err(|e| classify(location, e))?;
        Ok(PgStore {
            client: RefCell::new(client),
            location: location.clone(),
            access,
            member: Member {
                login: spec.user().to_owned(),
                role: None,
            },
            spec,
        })
    }

    /// Whether the database is empty, an Isnad project (and its version), or foreign.
    pub(super) fn identify(&self) -> StoreResult<Found> {
        let (has_schema, tables): (bool, i64) = self.read(|client| {
            let row = client.query_one(
                "SELECT to_regclass('public.isnad_schema') IS NOT NULL,
                        (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')",
                &[],
            )?;
            Ok((row.get(0), row.get(1)))
        })?;
        if !has_schema && tables == 0 {
            return Ok(Found::Empty);
        }
        if !has_schema {
            return Err(StoreError::ForeignDatabase {
                location: self.location.clone(),
                detail: format!("{tables} tables, no isnad_schema table"),
            });
        }
        let version = self.read(|client| {
            let row =
                client.query_one("SELECT coalesce(max(version), 0) FROM isnad_schema", &[])?;
            Ok(row.get::<_, i64>(0))
        })?;
        Ok(Found::Isnad(version))
    }

    /// Applies the pending migrations (`server init`: the owner). Returns the versions
    /// before and after.
    pub(super) fn migrate(&mut self) -> StoreResult<(i64, i64)> {
        let location = self.location.clone();
        let before = match self.identify()? {
            Found::Empty => 0,
            Found::Isnad(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    location,
                    found,
                    known: SCHEMA_VERSION,
                });
            }
            Found::Isnad(found) => found,
        };
        self.write(migrations::migrate)?;
        self.member = self.read(read_member)?;
        Ok((before, SCHEMA_VERSION))
    }

    /// The connection, connected again first if it was lost.
    fn client(&self) -> StoreResult<RefMut<'_, postgres::Client>> {
        let mut client = self.client.try_borrow_mut().map_err(|_| {
            StoreError::Invalid(format!(
                "the connection is in use by another read of this store (a callback reading \
                 the store while it streams?): {}",
                self.location
            ))
        })?;
        if client.is_closed() {
            *client =
                connect_client(&self.spec, self.access).map_err(|e| classify(&self.location, e))?;
        }
        Ok(client)
    }

    /// The connection for a transaction that outlives one call (a merge: `merge.rs`),
    /// connected again first if it was lost. `&mut self` borrows it for as long as the
    /// transaction lives, so no read of this store can run meanwhile.
    pub(super) fn client_mut(&mut self) -> StoreResult<&mut postgres::Client> {
        let client = self.client.get_mut();
        if client.is_closed() {
            *client =
                connect_client(&self.spec, self.access).map_err(|e| classify(&self.location, e))?;
        }
        Ok(client)
    }

    /// Runs a read. A read that fails because the connection was lost is tried once more
    /// on a new connection.
    pub(super) fn read<T>(
        &self,
        mut f: impl FnMut(&mut postgres::Client) -> PgResult<T>,
    ) -> StoreResult<T> {
        let first = {
            let mut client = self.client()?;
            f(&mut client)
        };
        match first {
            Err(Fail::Pg(e)) if lost(&e) => {
                let mut client = self.client()?;
                f(&mut client).map_err(|fail| self.fail(fail))
            }
            other => other.map_err(|fail| self.fail(fail)),
        }
    }

    /// Runs a write in one transaction, committed when `f` succeeds; refused on a
    /// read-only store. Never retried: when the connection is lost the caller is told
    /// nothing was saved.
    pub(super) fn write<T>(
        &mut self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> PgResult<T>,
    ) -> StoreResult<T> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly {
                location: self.location.clone(),
            });
        }
        let location = self.location.clone();
        let mut client = self.client()?;
        let result = (|| {
            let mut tx = client.transaction()?;
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        })();
        drop(client);
        result.map_err(|fail| fail_at(&location, fail))
    }

    /// Whether this connection is encrypted (TLS), as the server sees it.
    pub fn connection_encrypted(&self) -> StoreResult<bool> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )?;
            Ok(row.get(0))
        })
    }

    /// A failure as the store's error.
    pub(super) fn fail(&self, fail: Fail) -> StoreError {
        fail_at(&self.location, fail)
    }

    /// Problems of the database itself: progress counts that differ from a recount, the
    /// document total, claims pointing nowhere. Empty when it is sound.
    pub fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        self.read(|client| {
            let mut problems = Vec::new();
            for row in client.query(
                "WITH decided AS (
                     SELECT x.annotator, x.doc_id, count(*) AS done
                       FROM (SELECT doc_id, sentence_idx, annotator FROM claims
                              WHERE status = 'confirmed' AND deleted = 0
                             UNION
                             SELECT doc_id, sentence_idx, annotator FROM sentence_marks
                              WHERE deleted = 0) x
                       JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx
                      WHERE s.boilerplate = 0
                      GROUP BY x.annotator, x.doc_id)
                 SELECT coalesce(d.annotator, p.annotator), coalesce(d.doc_id, p.doc_id),
                        coalesce(p.done, 0), coalesce(d.done, 0)
                   FROM decided d FULL JOIN annotator_progress p
                     ON p.annotator = d.annotator AND p.doc_id = d.doc_id
                  WHERE coalesce(p.done, 0) <> coalesce(d.done, 0)
                  LIMIT 20",
                &[],
            )? {
                problems.push(format!(
                    "annotator_progress of {} on {} says {} decided sentences, a recount {}",
                    row.get::<_, String>(0),
                    row.get::<_, String>(1),
                    row.get::<_, i64>(2),
                    row.get::<_, i64>(3)
                ));
            }
            let row = client.query_one(
                "SELECT (SELECT documents FROM document_total WHERE \"only\" = 1),
                        (SELECT count(*) FROM documents)",
                &[],
            )?;
            let (kept, counted): (Option<i64>, i64) = (row.get(0), row.get(1));
            if kept != Some(counted) {
                problems.push(format!(
                    "document_total says {kept:?} documents, a count {counted}"
                ));
            }
            Ok(problems)
        })
    }

    /// A value of the project's settings.
    pub fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        self.read(|client| {
            let row = client.query_opt("SELECT value FROM project_meta WHERE key = $1", &[&key])?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    /// Sets a value of the project's settings.
    pub fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO project_meta (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&key, &value],
            )?;
            Ok(())
        })
    }

    /// The project's id.
    pub fn project_id(&self) -> StoreResult<String> {
        self.meta("project_id")?.ok_or_else(|| {
            StoreError::Invalid(format!("the project has no project_id: {}", self.location))
        })
    }
}

/// Opens a connection; a read-only store's sessions refuse writes on the server too.
fn connect_client(spec: &ConnectSpec, access: Access) -> Result<postgres::Client, postgres::Error> {
    let mut client = spec.connect()?;
    if access == Access::ReadOnly {
        client.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
    }
    Ok(client)
}

fn read_member(client: &mut postgres::Client) -> PgResult<Member> {
    let row = client.query_one("SELECT current_user::text, isnad_role()", &[])?;
    let role: Option<String> = row.get(1);
    Ok(Member {
        login: row.get(0),
        role: role.as_deref().and_then(Role::from_name),
    })
}

fn fail_at(location: &Location, fail: Fail) -> StoreError {
    match fail {
        Fail::Pg(e) => classify(location, e),
        Fail::Store(e) => e,
    }
}

/// Whether the connection itself was lost (or never made).
pub(super) fn lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        return [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::CONNECTION_EXCEPTION,
            SqlState::CONNECTION_FAILURE,
            SqlState::CONNECTION_DOES_NOT_EXIST,
        ]
        .contains(code);
    }
    std::error::Error::source(e).is_some_and(|source| source.is::<std::io::Error>())
}

/// A driver error as a [`StoreError`] a user can act on.
pub(super) fn classify(location: &Location, e: postgres::Error) -> StoreError {
    let location = location.clone();
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => error_chain(&e),
    };
    if lost(&e) {
        return StoreError::Unreachable { location, detail };
    }
    let Some(code) = e.code() else {
        if detail.contains("password") {
            return StoreError::AuthFailed { location, detail };
        }
        // Neither the server's error nor a lost connection: the connection could not be
        // made as asked (TLS refused or not offered, a bad setting).
        return StoreError::CannotOpen { location, detail };
    };
    match code {
        c if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::Denied { location, detail },
        c if *c == SqlState::INVALID_PASSWORD
            || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            StoreError::AuthFailed { location, detail }
        }
        c if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly { location },
        c if *c == SqlState::DISK_FULL => StoreError::DiskFull { location },
        c if *c == SqlState::T_R_SERIALIZATION_FAILURE
            || *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::LOCK_NOT_AVAILABLE =>
        {
            StoreError::Busy { location }
        }
        c if *c == SqlState::INVALID_CATALOG_NAME => StoreError::CannotOpen { location, detail },
        _ => StoreError::Backend {
            location,
            source: Box::new(ServerMessage::of(&e)),
        },
    }
}

/// The server's own words for an error it reported (the driver's error shows only "db
/// error"): the message, its detail and hint, and the SQLSTATE code.
#[derive(Debug)]
pub(super) struct ServerMessage(String);

impl ServerMessage {
    fn of(e: &postgres::Error) -> ServerMessage {
        match e.as_db_error() {
            Some(db) => {
                let mut text = db.message().to_owned();
                if let Some(detail) = db.detail() {
                    text.push_str(" — ");
                    text.push_str(detail);
                }
                if let Some(hint) = db.hint() {
                    text.push_str(" (");
                    text.push_str(hint);
                    text.push(')');
                }
                text.push_str(&format!(" [SQLSTATE {}]", db.code().code()));
                ServerMessage(text)
            }
            None => ServerMessage(error_chain(e)),
        }
    }
}

impl std::fmt::Display for ServerMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerMessage {}

/// An error and its causes, as one line ("error performing TLS handshake: certificate
/// verify failed ...").
fn error_chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
