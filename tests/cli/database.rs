//! Database files the binary must refuse without touching them.

use crate::util::{Sandbox, seeds_dir};

#[test]
fn not_a_database_is_refused_untouched() {
    let sandbox = Sandbox::new();
    let bogus = sandbox.write("bogus.db", "this is a text file, not SQLite ".repeat(200));
    let before = std::fs::read(&bogus).unwrap();
    let run = sandbox.run_with_db(&bogus, ["docs"]).expect_code(1);
    assert!(
        run.stderr.contains("not a SQLite database"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bogus.db"), "{}", run.stderr);
    assert_eq!(before, std::fs::read(&bogus).unwrap());
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    {
        let conn = rusqlite::Connection::open(&sandbox.db).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&sandbox.db).unwrap();
    let run = sandbox.run(["docs"]).expect_code(1);
    assert!(
        run.stderr.contains("newer Isnad (schema version 999"),
        "{}",
        run.stderr
    );
    let import = sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(1);
    assert!(
        import.stderr.contains("left untouched"),
        "{}",
        import.stderr
    );
    assert_eq!(before, std::fs::read(&sandbox.db).unwrap());
}

#[test]
fn another_programs_database_is_refused() {
    let sandbox = Sandbox::new();
    let other = sandbox.path("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let run = sandbox.run_with_db(&other, ["docs"]).expect_code(1);
    assert!(
        run.stderr.contains("belongs to another program"),
        "{}",
        run.stderr
    );
    assert_eq!(before, std::fs::read(&other).unwrap());
}

/// A PostgreSQL URL is recognised as one (not taken for a file path): with no server
/// there, reading and writing commands alike say the server cannot be reached, naming it
/// without the password; nothing is created in the current folder.
#[test]
fn a_postgres_url_is_a_server_and_its_password_is_never_shown() {
    let sandbox = Sandbox::new();
    // Port 9 on loopback: nothing listens there.
    let url = "postgres://u:secret@127.0.0.1:9/x";
    for args in [&["docs"][..], &["entities", "--load-starter"][..]] {
        let run = sandbox.run_with_db(std::path::Path::new(url), args);
        assert_ne!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("server cannot be reached")
                && run.stderr.contains("postgres://u:***@127.0.0.1:9/x"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("secret"), "{args:?}: {}", run.stderr);
        assert!(!run.stdout.contains("secret"), "{args:?}: {}", run.stdout);
    }
    let left: Vec<_> = std::fs::read_dir(sandbox.dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
