//! The connection: opening a SQLite database file safely, its identity checks and
//! settings, and the project's settings table.
//!
//! Opening applies the pending migrations (`migrations.rs`), turns on foreign keys, WAL and
//! `synchronous = FULL` (a committed action survives a kill or a power cut), and refuses —
//! without writing a byte — files that are not SQLite databases, SQLite databases of other
//! programs, and databases written by a newer Isnad.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::errors::classify;
use super::migrations::{self, APPLICATION_ID, SCHEMA_VERSION};
use crate::store::error::{BUSY_TIMEOUT, StoreError, StoreResult};
use crate::store::interface::Access;
use crate::store::location::Location;

/// An open Isnad database in a SQLite file: one connection.
pub struct SqliteStore {
    pub(super) conn: Connection,
    pub(super) location: Location,
    /// The file (`:memory:` for a scratch database).
    pub(super) path: PathBuf,
    pub(super) access: Access,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens a database: with [`Access::ReadWrite`] creating it if missing and migrating it
    /// to the current schema; with [`Access::ReadOnly`] an existing one, never writing to it
    /// (merges, exports, checks). `:memory:` is a fresh scratch database.
    pub fn open(path: &Path, access: Access) -> StoreResult<SqliteStore> {
        if path == Path::new(":memory:") && access == Access::ReadWrite {
            return Self::open_in_memory();
        }
        let location = Location::from(path);
        if access == Access::ReadOnly && !path.exists() {
            return Err(StoreError::CannotOpen {
                location: location.clone(),
                detail: "no such file".into(),
            });
        }
        if path.is_dir() {
            return Err(StoreError::CannotOpen {
                location: location.clone(),
                detail: "it is a directory".into(),
            });
        }
        if path
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().len() > 255)
        {
            return Err(StoreError::CannotOpen {
                location: location.clone(),
                detail: "a file or folder name in the path is longer than 255 bytes, more than \
                         file systems allow; choose a shorter name"
                    .into(),
            });
        }
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(StoreError::CannotOpen {
                location: location.clone(),
                detail: format!(
                    "the folder {} does not exist; create it or choose another database path",
                    dir.display()
                ),
            });
        }
        match Self::connect(path, access, false) {
            // A WAL database on read-only media (a read-only mount, a folder this user cannot
            // write to): SQLite cannot make the shared-memory file it reads through. With no
            // WAL content waiting, the file alone is the whole database and nobody can be
            // writing to it, so it is read as immutable.
            Err(StoreError::CannotOpen { .. })
                if access == Access::ReadOnly && path.exists() && !wal_has_content(path) =>
            {
                Self::connect(path, access, true)
            }
            Err(StoreError::CannotOpen { .. })
                if access == Access::ReadWrite && !writable(path) =>
            {
                Err(StoreError::ReadOnly { location })
            }
            other => other,
        }
    }

    /// A fresh in-memory database.
    fn open_in_memory() -> StoreResult<SqliteStore> {
        let path = PathBuf::from(":memory:");
        let location = Location::from(path.as_path());
        let conn = Connection::open_in_memory().map_err(|e| classify(&location, e))?;
        let mut store = SqliteStore {
            conn,
            location,
            path,
            access: Access::ReadWrite,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn connect(path: &Path, access: Access, immutable: bool) -> StoreResult<SqliteStore> {
        let location = Location::from(path);
        let flags = match access {
            Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = if immutable {
            Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| classify(&location, e))?;
        let mut store = SqliteStore {
            conn,
            location,
            path: path.to_path_buf(),
            access,
        };
        store.check_identity()?;
        store.configure()?;
        match access {
            Access::ReadWrite => {
                if store.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                    return Err(StoreError::ReadOnly {
                        location: store.location,
                    });
                }
                store.migrate()?;
            }
            Access::ReadOnly => {
                let found = store.user_version()?;
                if found < SCHEMA_VERSION {
                    return Err(StoreError::NeedsUpgrade {
                        location: store.location,
                        found,
                        known: SCHEMA_VERSION,
                    });
                }
            }
        }
        Ok(store)
    }

    /// Refuses non-databases, other programs' databases and newer schemas before anything is
    /// written (WAL mode and migrations come after this check).
    fn check_identity(&mut self) -> StoreResult<()> {
        // One read transaction, so that the three facts come from the same moment: another
        // isnad creating this database right now must not be seen half-way (tables made, the
        // Isnad marker not yet set).
        let location = &self.location;
        let tx = self.conn.transaction().map_err(|e| classify(location, e))?;
        // Reading the header forces SQLite to look at the file: "file is not a database".
        let app_id: i32 = tx
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(|e| classify(location, e))?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify(location, e))?;
        let table_count: i64 = tx
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| classify(location, e))?;
        tx.commit().map_err(|e| classify(location, e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::ForeignDatabase {
                location: self.location.clone(),
                detail: format!("application_id {app_id:#x}"),
            });
        }
        if app_id == 0 && (version != 0 || table_count != 0) {
            return Err(StoreError::ForeignDatabase {
                location: self.location.clone(),
                detail: format!("{table_count} tables, no Isnad marker"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                location: self.location.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    pub(super) fn configure(&mut self) -> StoreResult<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&self.location, e))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| classify(&self.location, e))?;
        if self.access == Access::ReadWrite && self.path != Path::new(":memory:") {
            let mode = self.switch_to_wal()?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::CannotOpen {
                    location: self.location.clone(),
                    detail: format!("could not switch to WAL journal (got {mode})"),
                });
            }
            self.conn
                .pragma_update(None, "synchronous", "FULL")
                .map_err(|e| classify(&self.location, e))?;
        }
        Ok(())
    }

    /// Turns WAL on (a no-op when it is already on). Switching needs a moment alone with
    /// the file and SQLite does not wait for it, so while another isnad is creating the same
    /// new database this retries for up to [`BUSY_TIMEOUT`].
    fn switch_to_wal(&mut self) -> StoreResult<String> {
        let started = std::time::Instant::now();
        loop {
            let current: String = self
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))
                .map_err(|e| classify(&self.location, e))?;
            if current.eq_ignore_ascii_case("wal") {
                return Ok(current);
            }
            // Switching rewrites the header: look at an existing database first, so that a
            // damaged one is refused without a byte written (once in WAL mode, opening writes
            // nothing, and every later write is a transaction that fails whole).
            self.refuse_if_damaged()?;
            match self.conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
                row.get::<_, String>(0)
            }) {
                Ok(mode) => return Ok(mode),
                Err(rusqlite::Error::SqliteFailure(failure, _))
                    if matches!(
                        failure.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(classify(&self.location, e)),
            }
        }
    }

    /// `PRAGMA quick_check` on a database that has tables; the first problem as an error.
    fn refuse_if_damaged(&self) -> StoreResult<()> {
        let pages: i64 = self
            .conn
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .map_err(|e| classify(&self.location, e))?;
        if pages <= 1 {
            return Ok(());
        }
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
            .map_err(|e| classify(&self.location, e))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                location: self.location.clone(),
                detail: verdict,
            })
        }
    }

    pub(super) fn user_version(&self) -> StoreResult<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify(&self.location, e))
    }

    /// Brings the database up to the current schema.
    pub(super) fn migrate(&mut self) -> StoreResult<()> {
        migrations::migrate_to(&mut self.conn, &self.location, SCHEMA_VERSION)
    }

    /// Runs `PRAGMA integrity_check` and `foreign_key_check`; returns the problems found
    /// (empty when the database is sound).
    pub fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let line = row.map_err(|e| self.err(e))?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(format!(
                    "foreign key violation in {} row {:?} -> {}",
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, String>(2)?
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            problems.push(row.map_err(|e| self.err(e))?);
        }
        problems.extend(self.progress_problems()?);
        problems.extend(self.document_total_problem()?);
        Ok(problems)
    }

    /// Where the number of documents kept by `schema/004_document_total.sql` differs from a
    /// count (never in a sound database).
    fn document_total_problem(&self) -> StoreResult<Option<String>> {
        let (kept, counted): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT documents FROM document_total WHERE only = 1),
                        (SELECT count(*) FROM documents)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        Ok((kept != counted).then(|| {
            format!("document_total says {kept} documents, the documents table holds {counted}")
        }))
    }

    /// Where the annotators' progress kept by the triggers of `schema/003_progress.sql`
    /// differs from a count of their decisions (none in a sound database), at most ten.
    pub fn progress_problems(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "WITH decided(doc_id, sentence_idx, annotator) AS (
                    SELECT doc_id, sentence_idx, annotator FROM claims
                     WHERE status = 'confirmed' AND deleted = 0
                    UNION
                    SELECT doc_id, sentence_idx, annotator FROM sentence_marks WHERE deleted = 0
                 ),
                 counted(annotator, doc_id, done) AS (
                    SELECT x.annotator, x.doc_id, count(*) FROM decided x
                      JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx
                     WHERE s.boilerplate = 0
                     GROUP BY x.annotator, x.doc_id
                 )
                 SELECT coalesce(c.annotator, p.annotator), coalesce(c.doc_id, p.doc_id),
                        coalesce(c.done, 0), coalesce(p.done, 0)
                   FROM counted c FULL JOIN annotator_progress p
                     ON p.annotator = c.annotator AND p.doc_id = c.doc_id
                  WHERE coalesce(c.done, 0) != coalesce(p.done, 0)
                  LIMIT 10",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(format!(
                    "progress of {:?} in document {:?} is {} but {} sentences are decided",
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// A value from `project_meta`.
    pub fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT value FROM project_meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a value in `project_meta`.
    pub fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO project_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map_err(|e| classify(&self.location, e))?;
        Ok(())
    }

    /// This database's project id (random, made when the database was created).
    pub fn project_id(&self) -> StoreResult<String> {
        self.meta("project_id")?
            .ok_or_else(|| StoreError::Invalid(format!("no project id in {}", self.location)))
    }

    pub(super) fn err(&self, source: rusqlite::Error) -> StoreError {
        classify(&self.location, source)
    }
}

/// True when the database's WAL file exists and holds frames not yet in the main file.
fn wal_has_content(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// Whether this process can write the database file (when it exists) and create files next
/// to it (SQLite's `-wal` and `-shm`). Probes for real: permission bits do not tell about
/// read-only mounts, and root ignores them.
fn writable(path: &Path) -> bool {
    if path.exists() && std::fs::OpenOptions::new().write(true).open(path).is_err() {
        return false;
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        // A missing folder is not a read-only one: let the original error speak.
        return true;
    }
    let probe = dir.join(format!(".isnad-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A path as the path part of an SQLite `file:` URI (percent-encoded).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
