//! Scratch projects on a test server, for the conformance suite and the tests under
//! `tests/`: a new database with an initialised project, dropped when the value is.
//!
//! The server is the one `scripts/with-postgres.sh` starts: its superuser URL is in
//! `ISNAD_TEST_POSTGRES`. Without it every server test fails, loudly — a server test that
//! passes without a server would be a lie.

use super::connect::ConnectSpec;
use crate::store::location::Location;

/// The environment variable holding the test server's superuser URL.
pub const TEST_SERVER_VAR: &str = "ISNAD_TEST_POSTGRES";

/// The test server's superuser URL; panics with what to do when there is none.
pub fn test_server_url() -> String {
    match std::env::var(TEST_SERVER_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{TEST_SERVER_VAR} is not set: the PostgreSQL tests need a server. Run the tests \
             through scripts/with-postgres.sh (it starts a throwaway cluster), or set \
             {TEST_SERVER_VAR} to a superuser URL of a server you can throw databases at"
        ),
    }
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A database of its own on the test server, dropped (whoever is still connected) when
/// this is dropped.
pub struct ScratchDatabase {
    pub admin_url: String,
    pub name: String,
    /// The new database, as the superuser.
    pub location: Location,
}

impl ScratchDatabase {
    /// A new empty database on the test server (no project in it yet).
    pub fn empty() -> ScratchDatabase {
        Self::empty_on(&test_server_url())
    }

    /// A new empty database on the server of `admin_url` (a superuser's).
    pub fn empty_on(admin_url: &str) -> ScratchDatabase {
        let admin_url = admin_url.to_owned();
        let scratch_name = format!("isnad_t_{}", uuid::Uuid::new_v4().simple());
        admin_execute(&admin_url, &format!("CREATE DATABASE \"{scratch_name}\""));
        let name = scratch_name;
        let location = Location::Postgres(with_database(&admin_url, &name));
        ScratchDatabase {
            admin_url,
            name,
            location,
        }
    }

    /// A new database with an initialised Isnad project (`isnad server init`).
    pub fn project() -> ScratchDatabase {
        Self::project_on(&test_server_url())
    }

    /// A new database with an initialised project on the server of `admin_url`.
    pub fn project_on(admin_url: &str) -> ScratchDatabase {
        let scratch = ScratchDatabase::empty_on(admin_url);
        if let Err(e) = super::server::init(&scratch.location, None) {
            panic!(
                "isnad server init on the scratch database {}: {e}",
                scratch.name
            );
        }
        scratch
    }

    /// The URL of this database for another login.
    pub fn url_for(&self, user: &str, password: &str) -> String {
        let url = with_database(&self.admin_url, &self.name);
        let scheme_end = url.find("://").map_or(0, |i| i + 3);
        let host_start = url[scheme_end..]
            .rfind('@')
            .map_or(scheme_end, |i| scheme_end + i + 1);
        format!(
            "{}{user}:{password}@{}",
            &url[..scheme_end],
            &url[host_start..]
        )
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        admin_execute(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
        );
    }
}

fn admin_execute(admin_url: &str, sql: &str) {
    let location = Location::Postgres(admin_url.to_owned());
    let result = ConnectSpec::from_url(&location, admin_url, None)
        .map_err(|e| e.to_string())
        .and_then(|spec| spec.connect().map_err(|e| e.to_string()))
        .and_then(|mut client| client.batch_execute(sql).map_err(|e| e.to_string()));
    if let Err(e) = result
        && !std::thread::panicking()
    {
        panic!("on the test server {location}: {sql}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://a:b@h:1/postgres?sslmode=require", "x"),
            "postgres://a:b@h:1/x?sslmode=require"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
