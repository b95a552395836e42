//! Where a project's database is: a file (SQLite) or a server (PostgreSQL, by URL).
//!
//! A location prints with any password replaced by `***` ([`Display`](std::fmt::Display)
//! and [`Debug`] alike), so it can go into error messages, logs and window titles.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a project's database is, as the user gave it (`--db`, `ISNAD_DB`).
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file; `:memory:` is a scratch database that lives as long as it
    /// is open.
    Sqlite(PathBuf),
    /// A PostgreSQL server: a `postgres://` or `postgresql://` connection URL, password
    /// and all (print it through [`Location`]'s `Display`, which hides the password).
    Postgres(String),
}

impl Location {
    /// A location as typed: a `postgres://` or `postgresql://` URL (the scheme in any
    /// case) is a PostgreSQL server; anything else is the path of a SQLite file.
    pub fn parse(text: &str) -> Location {
        if is_postgres_url(text) {
            Location::Postgres(text.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }

    /// [`Location::parse`] for a command-line argument, which need not be UTF-8 (a path
    /// that is not is a path: URLs are ASCII).
    pub fn from_os_str(text: &OsStr) -> Location {
        match text.to_str() {
            Some(text) => Location::parse(text),
            None => Location::Sqlite(PathBuf::from(text)),
        }
    }

    /// A scratch SQLite database in memory (tests, throw-away work).
    pub fn in_memory() -> Location {
        Location::Sqlite(PathBuf::from(":memory:"))
    }

    /// The file, for a SQLite location.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::Sqlite(path)
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Sqlite(path.to_path_buf())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::Sqlite(path.clone())
    }
}

impl From<OsString> for Location {
    fn from(text: OsString) -> Location {
        Location::from_os_str(&text)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(url) => f.debug_tuple("Postgres").field(&redact_url(url)).finish(),
        }
    }
}

fn is_postgres_url(text: &str) -> bool {
    ["postgres://", "postgresql://"].iter().any(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// The URL with its password — in the user information (`user:PASSWORD@host`) or in a
/// `password=` query parameter — replaced by `***`. When in doubt it hides more: the user
/// information runs to the last `@`, so a password with an unencoded `@`, `/` or `?` in it
/// is hidden whole.
fn redact_url(url: &str) -> String {
    let url = match url.find('?') {
        Some(query_start) => format!(
            "{}{}",
            &url[..=query_start],
            redact_query(&url[query_start + 1..])
        ),
        None => url.to_owned(),
    };
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url;
    };
    let (scheme, rest) = url.split_at(scheme_end);
    let Some(at) = rest.rfind('@') else {
        return url;
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{scheme}{}:***{}", &userinfo[..colon], &rest[at..]),
        None => url,
    }
}

/// A URL query with the value of every `password` parameter replaced by `***`.
fn redact_query(query: &str) -> String {
    let (query, fragment) = match query.find('#') {
        Some(hash) => query.split_at(hash),
        None => (query, ""),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{}{fragment}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sqlite_and_postgres_urls_are_postgres() {
        assert_eq!(
            Location::parse("team/isnad.db"),
            Location::Sqlite(PathBuf::from("team/isnad.db"))
        );
        assert_eq!(
            Location::parse("postgres.db"),
            Location::Sqlite(PathBuf::from("postgres.db"))
        );
        assert_eq!(
            Location::parse("postgres:/x"),
            Location::Sqlite(PathBuf::from("postgres:/x"))
        );
        for url in [
            "postgres://u@localhost/isnad",
            "postgresql://localhost/isnad",
            "POSTGRES://localhost/isnad",
            "PostgreSQL://localhost:5433/isnad?sslmode=require",
        ] {
            assert_eq!(Location::parse(url), Location::Postgres(url.to_owned()));
        }
        assert_eq!(Location::in_memory().path(), Some(Path::new(":memory:")));
        assert_eq!(Location::parse("postgres://h/x").path(), None);
    }

    #[test]
    fn a_path_that_is_not_utf8_is_a_path() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = OsStr::from_bytes(b"postgres://\xff/x");
            assert_eq!(
                Location::from_os_str(raw),
                Location::Sqlite(PathBuf::from(raw))
            );
        }
        assert_eq!(
            Location::from(OsString::from("postgres://h/x")),
            Location::Postgres("postgres://h/x".into())
        );
    }

    #[test]
    fn passwords_never_print() {
        let cases = [
            (
                "postgres://u:secret@localhost/x",
                "postgres://u:***@localhost/x",
            ),
            ("postgres://u@localhost/x", "postgres://u@localhost/x"),
            (
                "postgresql://localhost:5432/x",
                "postgresql://localhost:5432/x",
            ),
            (
                "postgres://u:p@ss/w?rd@db.example:5432/isnad",
                "postgres://u:***@db.example:5432/isnad",
            ),
            (
                "postgres://u@h/x?sslmode=require&password=secret#f",
                "postgres://u@h/x?sslmode=require&password=***#f",
            ),
            (
                "postgres://u:secret@h/x?PASSWORD=secret",
                "postgres://u:***@h/x?PASSWORD=***",
            ),
            (
                "postgres://h/x?password=se@cret",
                "postgres://h/x?password=***",
            ),
        ];
        for (url, shown) in cases {
            let location = Location::parse(url);
            assert_eq!(location.to_string(), shown, "{url}");
            let debug = format!("{location:?}");
            assert!(
                !debug.contains("secret") && !debug.contains("ss/w"),
                "{debug}"
            );
        }
    }

    #[test]
    fn a_path_prints_as_itself() {
        let location = Location::parse("/data/u:secret@x.db");
        assert_eq!(location.to_string(), "/data/u:secret@x.db");
    }
}
