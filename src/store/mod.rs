//! The SQLite store: the only module that contains SQL.
//!
//! One [`Store`] owns one `rusqlite::Connection`. Opening applies the pending migrations from
//! `schema/NNN_name.sql` (tracked with `PRAGMA user_version`, each in one exclusive
//! transaction), turns on foreign keys, WAL and `synchronous = FULL` (a committed action
//! survives a kill or a power cut), and refuses — without writing a byte — files that are not
//! SQLite databases, SQLite databases of other programs, and databases written by a newer Isnad.
//!
//! Everything else in the crate talks to the database through the narrow, typed methods of
//! the submodules, so that another backend (e.g. PostgreSQL for large teams) can be added
//! behind the same interface later.

mod annotations;
mod documents;
mod gold;
mod merge;
mod migrations;
#[cfg(test)]
mod progress_tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use migrations::SCHEMA_VERSION;

/// `PRAGMA application_id` of an Isnad database: "ISND" in ASCII.
pub const APPLICATION_ID: i32 = 0x4953_4E44;

/// How long a write waits for another process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Errors of the store. Paths come last in messages.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not a SQLite database, or the file is damaged ({detail}): {path}")]
    NotADatabase { path: PathBuf, detail: String },
    #[error(
        "this SQLite database belongs to another program ({detail}), refusing to touch it: {path}"
    )]
    ForeignDatabase { path: PathBuf, detail: String },
    #[error(
        "the database was written by a newer Isnad (schema version {found}, this isnad knows up to {known}); \
         it was left untouched — update isnad to open it: {path}"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the database is at schema version {found} and needs an upgrade to {known}, \
         which needs write access; open it once with write access: {path}"
    )]
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the database file or its folder is read-only, so changes cannot be saved (reading \
         commands such as `isnad docs` and `isnad export` still work; copy the database to a \
         folder you can write to in order to change it): {path}"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "the database is busy: another program (another isnad?) has been writing to it for more than {}s; \
         nothing was changed, try again when it is done: {path}", BUSY_TIMEOUT.as_secs()
    )]
    Busy { path: PathBuf },
    #[error(
        "the disk is full; the last change was rolled back and nothing was half-written: {path}"
    )]
    DiskFull { path: PathBuf },
    #[error(
        "the database is damaged ({detail}); nothing more was written to it. Restore it from a \
         backup, or save what can be read with `sqlite3 DAMAGED.db .recover | sqlite3 NEW.db`: {path}"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("cannot open the database ({detail}): {path}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {source}: {path}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Whether a store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// An open Isnad database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if missing) a database for reading and writing, migrating it to the
    /// current schema.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Self::open_with(path, Access::ReadWrite)
    }

    /// Opens an existing database without ever writing to it (for merges, exports, checks).
    pub fn open_read_only(path: &Path) -> StoreResult<Store> {
        Self::open_with(path, Access::ReadOnly)
    }

    /// Opens a fresh in-memory database (tests, scratch work).
    pub fn open_in_memory() -> StoreResult<Store> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let mut store = Store {
            conn,
            path,
            access: Access::ReadWrite,
        };
        store.configure()?;
        migrations::migrate(&mut store)?;
        Ok(store)
    }

    fn open_with(path: &Path, access: Access) -> StoreResult<Store> {
        let path_buf = path.to_path_buf();
        if access == Access::ReadOnly && !path.exists() {
            return Err(StoreError::CannotOpen {
                path: path_buf,
                detail: "no such file".into(),
            });
        }
        if path.is_dir() {
            return Err(StoreError::CannotOpen {
                path: path_buf,
                detail: "it is a directory".into(),
            });
        }
        if path
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().len() > 255)
        {
            return Err(StoreError::CannotOpen {
                path: path_buf,
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
                path: path_buf,
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
                Err(StoreError::ReadOnly { path: path_buf })
            }
            other => other,
        }
    }

    fn connect(path: &Path, access: Access, immutable: bool) -> StoreResult<Store> {
        let path_buf = path.to_path_buf();
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
        .map_err(|e| classify(&path_buf, e))?;
        let mut store = Store {
            conn,
            path: path_buf,
            access,
        };
        store.check_identity()?;
        store.configure()?;
        match access {
            Access::ReadWrite => {
                if store.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                    return Err(StoreError::ReadOnly { path: store.path });
                }
                migrations::migrate(&mut store)?;
            }
            Access::ReadOnly => {
                let found = store.user_version()?;
                if found < SCHEMA_VERSION {
                    return Err(StoreError::NeedsUpgrade {
                        path: store.path,
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
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        // Reading the header forces SQLite to look at the file: "file is not a database".
        let app_id: i32 = tx
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(|e| classify(&path, e))?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify(&path, e))?;
        let table_count: i64 = tx
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::ForeignDatabase {
                path: self.path.clone(),
                detail: format!("application_id {app_id:#x}"),
            });
        }
        if app_id == 0 && (version != 0 || table_count != 0) {
            return Err(StoreError::ForeignDatabase {
                path: self.path.clone(),
                detail: format!("{table_count} tables, no Isnad marker"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    fn configure(&mut self) -> StoreResult<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&self.path, e))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| classify(&self.path, e))?;
        if self.access == Access::ReadWrite && self.path != Path::new(":memory:") {
            let mode = self.switch_to_wal()?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::CannotOpen {
                    path: self.path.clone(),
                    detail: format!("could not switch to WAL journal (got {mode})"),
                });
            }
            self.conn
                .pragma_update(None, "synchronous", "FULL")
                .map_err(|e| classify(&self.path, e))?;
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
                .map_err(|e| classify(&self.path, e))?;
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
                Err(e) => return Err(classify(&self.path, e)),
            }
        }
    }

    /// `PRAGMA quick_check` on a database that has tables; the first problem as an error.
    fn refuse_if_damaged(&self) -> StoreResult<()> {
        let pages: i64 = self
            .conn
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .map_err(|e| classify(&self.path, e))?;
        if pages <= 1 {
            return Ok(());
        }
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
            .map_err(|e| classify(&self.path, e))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: verdict,
            })
        }
    }

    fn user_version(&self) -> StoreResult<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify(&self.path, e))
    }

    /// The file this store was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read-only or read-write.
    pub fn access(&self) -> Access {
        self.access
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
        Ok(problems)
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
            .map_err(|e| classify(&self.path, e))?;
        Ok(())
    }

    /// This database's project id (random, made when the database was created).
    pub fn project_id(&self) -> StoreResult<String> {
        self.meta("project_id")?
            .ok_or_else(|| StoreError::Invalid(format!("no project id in {}", self.path.display())))
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        classify(&self.path, source)
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

/// Turns a driver error into a [`StoreError`] a user can act on.
fn classify(path: &Path, source: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(failure, message) = &source {
        let detail = message.clone().unwrap_or_else(|| failure.to_string());
        return match failure.code {
            ErrorCode::NotADatabase => StoreError::NotADatabase { path, detail },
            ErrorCode::DatabaseCorrupt => StoreError::Corrupt { path, detail },
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy { path },
            ErrorCode::ReadOnly => StoreError::ReadOnly { path },
            ErrorCode::DiskFull => StoreError::DiskFull { path },
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                StoreError::CannotOpen { path, detail }
            }
            _ => StoreError::Sqlite { path, source },
        };
    }
    StoreError::Sqlite { path, source }
}
