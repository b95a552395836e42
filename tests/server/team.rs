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
