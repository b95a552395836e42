//! Setting up a team project with `isnad server`: init, members, roles.

use crate::support::{Team, isnad_at};

#[test]
fn init_is_idempotent_and_members_are_listed() {
    let team = Team::new();
    let again = team.isnad_admin(&["server", "init"]).expect_code(0);
    assert!(again.stderr.contains("up to date"), "{}", again.stderr);
    team.add("hala", "annotator");
    team.add("omar", "adjudicator");
    team.add("hala", "lead");
    let users = team.isnad_admin(&["server", "users"]).expect_code(0);
    let lines: Vec<&str> = users.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", users.stdout);
    assert!(lines[0].starts_with("hala\tlead\t"), "{}", users.stdout);
    assert!(
        lines[1].starts_with("omar\tadjudicator\t"),
        "{}",
        users.stdout
    );
    assert!(!users.stdout.contains("cannot"), "{}", users.stdout);
    let removed = team
        .isnad_admin(&["server", "remove-user", "omar"])
        .expect_code(0);
    assert!(
        removed.stderr.contains("no longer a member"),
        "{}",
        removed.stderr
    );
    let run = team.psql(Some("omar"), "SELECT 1");
    assert!(
        run.stderr.contains("permission denied for database"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_wrong_password_is_refused_without_showing_it() {
    let team = Team::new();
    team.add("hala", "annotator");
    let url = team.db.url_for("hala", "not-her-password");
    let run = isnad_at(&url, &["docs"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("password authentication failed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hala:***@"), "{}", run.stderr);
    assert!(!run.stderr.contains("not-her-password"), "{}", run.stderr);
}

#[test]
fn a_database_of_another_program_or_a_newer_schema_is_refused_untouched() {
    let team = Team::new();
    team.psql(
        None,
        "INSERT INTO isnad_schema (version, name, applied_at) VALUES (99, '099_future', 'now')",
    )
    .expect_code(0);
    let run = team.isnad_admin(&["docs"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("newer Isnad"), "{}", run.stderr);
    let run = team.isnad_admin(&["server", "init"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("newer Isnad"), "{}", run.stderr);
    assert_eq!(
        team.admin_value("SELECT max(version) FROM isnad_schema"),
        "99"
    );

    let other = isnad::store::postgres::scratch::ScratchDatabase::empty();
    let url = match &other.location {
        isnad::store::Location::Postgres(url) => url.clone(),
        isnad::store::Location::Sqlite(_) => unreachable!(),
    };
    std::process::Command::new("psql")
        .args(["-X", "-q", "-d", &url, "-c", "CREATE TABLE orders (id int)"])
        .status()
        .unwrap();
    for args in [&["server", "init"][..], &["docs"][..]] {
        let run = isnad_at(&url, args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains("another program"), "{}", run.stderr);
    }
    let run = isnad_at(
        &crate::support::Team::new()
            .admin_url()
            .replace("isnad_t_", "isnad_none_"),
        &["docs"],
    );
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

fn open(url: &str) -> Result<isnad::store::postgres::PgStore, isnad::store::StoreError> {
    isnad::store::postgres::PgStore::open(
        &isnad::store::Location::parse(url),
        isnad::store::Access::ReadOnly,
        None,
    )
}

#[test]
fn tls_is_used_when_the_url_asks_and_the_certificate_is_verified() {
    let team = Team::new();
    team.add("hala", "annotator");
    let url = team.url("hala");
    assert!(
        !open(&format!("{url}?sslmode=disable"))
            .unwrap()
            .connection_encrypted()
            .unwrap()
    );
    assert!(
        open(&format!("{url}?sslmode=require"))
            .unwrap()
            .connection_encrypted()
            .unwrap()
    );
    let cert = std::env::var("ISNAD_TEST_PG_CERT")
        .expect("ISNAD_TEST_PG_CERT: run the tests through scripts/with-postgres.sh");
    let verified = format!("{url}?sslmode=verify-full&sslrootcert={cert}");
    assert!(open(&verified).unwrap().connection_encrypted().unwrap());
    // A certificate the server's is not signed by: refused.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-new",
            "-x509",
            "-days",
            "1",
            "-nodes",
            "-subj",
            "/CN=elsewhere",
        ])
        .arg("-keyout")
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let error = open(&format!(
        "{url}?sslmode=verify-ca&sslrootcert={}",
        other.display()
    ))
    .unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[test]
fn sslmode_require_refuses_a_server_without_tls() {
    use std::io::{Read, Write};
    // A fake server that answers the client's TLS request with "N" (no TLS), then records
    // whatever the client sends next: with sslmode=require, nothing — it must hang up.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 8];
        socket.read_exact(&mut request).unwrap();
        socket.write_all(b"N").unwrap();
        socket
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        let _ = socket.read_to_end(&mut rest);
        (request, rest)
    });
    let url = format!("postgres://hala:secret@127.0.0.1:{port}/isnad?sslmode=require");
    let error = open(&url).unwrap_err();
    let (request, rest) = server.join().unwrap();
    // 80877103: the SSLRequest code.
    assert_eq!(&request[4..], &80_877_103u32.to_be_bytes());
    assert!(
        rest.is_empty(),
        "the client went on in plain text: {rest:?}"
    );
    assert!(!error.to_string().contains("secret"), "{error}");
}
