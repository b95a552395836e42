//! From a `postgres://` URL to a connection: the URL's settings with libpq's defaults and
//! environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `~/.pgpass`),
//! and TLS as libpq does it (`sslmode`, `sslrootcert`).
//!
//! TLS modes, as libpq: `disable` (plain), `prefer` (the default: TLS when the server
//! offers it), `require` (TLS or nothing: a server without TLS is refused; the certificate
//! is verified against `sslrootcert` when one is given, else only encrypts, as libpq),
//! `verify-ca` (the certificate must chain to `sslrootcert`), `verify-full` (and name the
//! host). The password never appears in what this module returns as text.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres_native_tls::MakeTlsConnector;

use crate::store::error::{StoreError, StoreResult};
use crate::store::location::Location;

/// How long opening a connection may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything needed to connect, and to connect again after a lost connection.
#[derive(Clone)]
pub struct ConnectSpec {
    pub config: postgres::Config,
    pub tls: MakeTlsConnector,
}

impl std::fmt::Debug for ConnectSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectSpec")
            .field("user", &self.config.get_user())
            .field("dbname", &self.config.get_dbname())
            .finish_non_exhaustive()
    }
}

/// Whether (and how) the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    None,
    Chain,
    ChainAndHost,
}

impl ConnectSpec {
    /// The settings of `url`, with the environment's defaults; `password` (asked for by the
    /// app) is used when neither the URL, `PGPASSWORD` nor the password file has one.
    pub fn from_url(location: &Location, url: &str, password: Option<&str>) -> StoreResult<Self> {
        let invalid = |detail: String| StoreError::CannotOpen {
            location: location.clone(),
            detail,
        };
        let (url, mode, verify, root_cert) = split_tls_options(url).map_err(invalid)?;
        let mut config = postgres::Config::from_str(&url)
            .map_err(|e| invalid(format!("not a valid PostgreSQL URL: {e}")))?;
        apply_environment(&mut config);
        config.ssl_mode(mode);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_application_name().is_none() {
            config.application_name("isnad");
        }
        if config.get_password().is_none()
            && let Some(password) =
                password_from_environment(&config).or(password.map(str::to_owned))
        {
            config.password(password);
        }
        let tls = tls_connector(verify, root_cert.as_deref()).map_err(invalid)?;
        Ok(ConnectSpec { config, tls })
    }

    /// The user this spec logs in as.
    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or("")
    }

    /// Opens a connection.
    pub fn connect(&self) -> Result<postgres::Client, postgres::Error> {
        self.config.connect(self.tls.clone())
    }
}

/// Takes `sslmode` and `sslrootcert` out of the URL's query (the client crate knows only
/// `disable`, `prefer` and `require`, and no root certificate).
fn split_tls_options(url: &str) -> Result<(String, SslMode, Verify, Option<PathBuf>), String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, query),
        None => (url, ""),
    };
    let mut kept = Vec::new();
    let mut mode = "prefer".to_owned();
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => mode = percent_decode(value),
            "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(value))),
            _ => kept.push(pair),
        }
    }
    let (mode, verify) = match mode.as_str() {
        "disable" => (SslMode::Disable, Verify::None),
        "allow" | "prefer" => (SslMode::Prefer, Verify::None),
        "require" if root_cert.is_some() => (SslMode::Require, Verify::Chain),
        "require" => (SslMode::Require, Verify::None),
        "verify-ca" => (SslMode::Require, Verify::Chain),
        "verify-full" => (SslMode::Require, Verify::ChainAndHost),
        other => {
            return Err(format!(
                "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ));
        }
    };
    if verify != Verify::None && root_cert.is_none() {
        return Err(
            "sslmode=verify-ca and verify-full need sslrootcert=FILE (the CA certificate)".into(),
        );
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, mode, verify, root_cert))
}

fn tls_connector(verify: Verify, root_cert: Option<&Path>) -> Result<MakeTlsConnector, String> {
    let mut builder = native_tls::TlsConnector::builder();
    match (verify, root_cert) {
        (Verify::None, _) => {
            builder.danger_accept_invalid_certs(true);
            builder.danger_accept_invalid_hostnames(true);
        }
        (verify, Some(path)) => {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read sslrootcert {}: {e}", path.display()))?;
            let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
                format!(
                    "sslrootcert {} is not a PEM certificate: {e}",
                    path.display()
                )
            })?;
            builder.add_root_certificate(cert);
            builder.disable_built_in_roots(true);
            if verify == Verify::Chain {
                builder.danger_accept_invalid_hostnames(true);
            }
        }
        (_, None) => return Err("a verified TLS connection needs sslrootcert=FILE".into()),
    }
    let connector = builder
        .build()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    Ok(MakeTlsConnector::new(connector))
}

/// libpq's environment defaults for what the URL leaves out.
fn apply_environment(config: &mut postgres::Config) {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(host) => {
                config.host(&host);
            }
            None if Path::new("/var/run/postgresql").is_dir() => {
                config.host_path("/var/run/postgresql");
            }
            None => {
                config.host("localhost");
            }
        }
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none()
        && let Some(user) = env("PGUSER")
            .or_else(|| env("USER"))
            .or_else(|| env("LOGNAME"))
    {
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        } else if let Some(user) = config.get_user().map(str::to_owned) {
            config.dbname(&user);
        }
    }
}

/// `PGPASSWORD`, else the matching line of the password file (`PGPASSFILE` or `~/.pgpass`).
fn password_from_environment(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD")
        && !password.is_empty()
    {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or("");
    let user = config.get_user().unwrap_or("");
    pgpass_lookup(&text, [&host, &port, db, user])
}

/// The password of the first line of a `.pgpass` text whose four fields match (`*` matches
/// anything; `\:` and `\\` are a literal colon and backslash).
pub fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_pgpass_line(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(field, want)| field == "*" || field == want);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(field) = fields.last_mut()
                {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    db.example:5432:other:hala:wrong\n\
                    *:5432:isnad:hala:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["db.example", "5432", "isnad", "hala"]).as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, ["db.example", "5432", "other", "hala"]).as_deref(),
            Some("wrong")
        );
        assert_eq!(
            pgpass_lookup(text, ["h", "1", "d", "u"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("h:1:d:u\n", ["h", "1", "d", "u"]), None);
    }

    #[test]
    fn tls_options_leave_the_url_and_unknown_modes_are_refused() {
        let (url, mode, verify, cert) =
            split_tls_options("postgres://u@h/db?sslmode=require&application_name=x").unwrap();
        assert_eq!(url, "postgres://u@h/db?application_name=x");
        assert_eq!((mode, verify, cert), (SslMode::Require, Verify::None, None));
        let (_, mode, verify, cert) =
            split_tls_options("postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.crt")
                .unwrap();
        assert_eq!(mode, SslMode::Require);
        assert_eq!(verify, Verify::ChainAndHost);
        assert_eq!(cert, Some(PathBuf::from("/tmp/ca.crt")));
        assert!(split_tls_options("postgres://u@h/db?sslmode=verify-ca").is_err());
        assert!(split_tls_options("postgres://u@h/db?sslmode=always").is_err());
        let (url, mode, ..) = split_tls_options("postgres://u@h/db").unwrap();
        assert_eq!((url.as_str(), mode), ("postgres://u@h/db", SslMode::Prefer));
    }
}
