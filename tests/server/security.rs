//! Security enforced by the server: each role tries what it may not do, through `psql` and
//! through `isnad`, and is refused with nothing changed; what it may do works.

use crate::support::Team;

const T: &str = "2026-01-01T00:00:00.000Z";

/// Two documents (d1 assigned to hala, d2 to sami), a claim and a mark of each annotator,
/// a gold claim — written by the superuser in plain SQL.
fn team_with_labels() -> Team {
    let team = Team::new();
    for (name, role) in [
        ("hala", "annotator"),
        ("sami", "annotator"),
        ("omar", "adjudicator"),
        ("lina", "lead"),
    ] {
        team.add(name, role);
    }
    let sql = format!(
        "INSERT INTO documents (id, title, text, text_sha256, char_count, encoding, imported_at, sentence_count)
         VALUES ('d1', 'أولى', 'قال الوزير إن الحل قريب.', 'x', 24, 'utf-8', '{T}', 1),
                ('d2', 'ثانية', 'أكد السفير أن المحادثات مثمرة.', 'y', 30, 'utf-8', '{T}', 1);
         INSERT INTO sentences (doc_id, idx, start_char, end_char, text)
         VALUES ('d1', 0, 0, 24, 'قال الوزير إن الحل قريب.'),
                ('d2', 0, 0, 30, 'أكد السفير أن المحادثات مثمرة.');
         INSERT INTO assignments (doc_id, annotator, overlap, assigned_at)
         VALUES ('d1', 'hala', 0, '{T}'), ('d2', 'sami', 0, '{T}');
         INSERT INTO annotators (name, created_at) VALUES ('hala', '{T}'), ('sami', '{T}');
         INSERT INTO claims (id, doc_id, sentence_idx, annotator, status, stance, schema_version, created_at, updated_at)
         VALUES ('c-hala', 'd1', 0, 'hala', 'confirmed', 'favor', 1, '{T}', '{T}'),
                ('c-sami', 'd2', 0, 'sami', 'confirmed', 'against', 1, '{T}', '{T}');
         INSERT INTO gold_claims (id, doc_id, sentence_idx, stance, decision, n_annotators, decided_by, decided_at, updated_at)
         VALUES ('g1', 'd1', 0, 'favor', 'adopted', 1, 'omar', '{T}', '{T}');"
    );
    team.psql(None, &sql).expect_code(0);
    team
}

/// Runs `sql` as `member` through psql and checks that the server refused it and that no
/// table changed.
#[track_caller]
fn refused(team: &Team, member: &str, sql: &str) {
    let before = team.fingerprint();
    let run = team.psql(Some(member), sql);
    assert_ne!(run.code, 0, "{member} was allowed: {sql}\n{}", run.stdout);
    assert!(
        run.stderr.contains("permission denied")
            || run.stderr.contains("row-level security")
            || run.stderr.contains("only a lead")
            || run.stderr.contains("only an adjudicator")
            || run.stderr.contains("must be owner"),
        "{member}: {sql}\n{}",
        run.stderr
    );
    assert_eq!(
        team.fingerprint(),
        before,
        "{member} changed something: {sql}"
    );
}

/// The single value a member's query returns (which must succeed).
#[track_caller]
fn value_as(team: &Team, member: &str, sql: &str) -> String {
    team.psql(Some(member), sql)
        .expect_code(0)
        .stdout
        .trim()
        .to_owned()
}

#[test]
fn an_annotator_sees_only_their_documents_and_labels_and_no_gold() {
    let team = team_with_labels();
    assert_eq!(
        value_as(&team, "hala", "SELECT string_agg(id, ',') FROM documents"),
        "d1"
    );
    assert_eq!(
        value_as(&team, "hala", "SELECT count(*) FROM sentences"),
        "1"
    );
    assert_eq!(
        value_as(&team, "hala", "SELECT string_agg(id, ',') FROM claims"),
        "c-hala"
    );
    assert_eq!(
        value_as(&team, "hala", "SELECT count(*) FROM gold_claims"),
        "0"
    );
    assert_eq!(
        value_as(&team, "hala", "SELECT count(*) FROM assignments"),
        "1"
    );
    assert_eq!(
        value_as(&team, "sami", "SELECT string_agg(id, ',') FROM claims"),
        "c-sami"
    );
    // The superuser sees both, so the zeros above are the policies, not an empty table.
    assert_eq!(team.admin_value("SELECT count(*) FROM gold_claims"), "1");
    assert_eq!(team.admin_value("SELECT count(*) FROM claims"), "2");
}

#[test]
fn an_annotator_cannot_write_as_another_or_outside_their_documents() {
    let team = team_with_labels();
    // A claim under another login, and one on a document not assigned to them.
    refused(
        &team,
        "hala",
        &format!(
            "INSERT INTO claims (id, doc_id, sentence_idx, annotator, status, schema_version, created_at, updated_at)
             VALUES ('fake', 'd1', 0, 'sami', 'confirmed', 1, '{T}', '{T}')"
        ),
    );
    refused(
        &team,
        "hala",
        &format!(
            "INSERT INTO claims (id, doc_id, sentence_idx, annotator, status, schema_version, created_at, updated_at)
             VALUES ('mine', 'd2', 0, 'hala', 'confirmed', 1, '{T}', '{T}')"
        ),
    );
    // Overwriting sami's claim by its id (an upsert reaches the hidden row).
    refused(
        &team,
        "hala",
        &format!(
            "INSERT INTO claims (id, doc_id, sentence_idx, annotator, status, schema_version, created_at, updated_at)
             VALUES ('c-sami', 'd1', 0, 'hala', 'confirmed', 1, '{T}', '{T}')
             ON CONFLICT (id) DO UPDATE SET stance = 'favor'"
        ),
    );
    // Moving her own claim to sami's name.
    refused(
        &team,
        "hala",
        "UPDATE claims SET annotator = 'sami' WHERE id = 'c-hala'",
    );
    refused(&team, "hala", "DELETE FROM claims");
    refused(
        &team,
        "hala",
        &format!(
            "INSERT INTO gold_claims (id, doc_id, sentence_idx, stance, decision, n_annotators, decided_by, decided_at, updated_at)
             VALUES ('g2', 'd1', 0, 'favor', 'own', 1, 'hala', '{T}', '{T}')"
        ),
    );
    // The gold standard is out of an annotator's sight: an update finds nothing to change.
    let before = team.fingerprint();
    team.psql(Some("hala"), "UPDATE gold_claims SET stance = 'against'")
        .expect_code(0);
    assert_eq!(team.fingerprint(), before);
    assert_eq!(
        value_as(&team, "hala", "SELECT count(*) FROM gold_claims"),
        "0"
    );
    // sami's claim is invisible to hala, so an UPDATE of it finds nothing to change.
    let before = team.fingerprint();
    team.psql(
        Some("hala"),
        "UPDATE claims SET stance = 'neutral' WHERE id = 'c-sami'",
    )
    .expect_code(0);
    assert_eq!(team.fingerprint(), before);
    // What she may do: her own claim on her document.
    team.psql(
        Some("hala"),
        "UPDATE claims SET stance = 'neutral' WHERE id = 'c-hala'",
    )
    .expect_code(0);
    assert_eq!(
        team.admin_value("SELECT stance FROM claims WHERE id = 'c-hala'"),
        "neutral"
    );
}

#[test]
fn an_annotator_cannot_change_documents_settings_users_or_schema() {
    let team = team_with_labels();
    for sql in [
        "UPDATE documents SET title = 'x'",
        "DELETE FROM documents",
        "UPDATE sentences SET boilerplate = 1",
        "UPDATE project_meta SET value = 'x'",
        "INSERT INTO project_meta (key, value) VALUES ('k', 'v')",
        "INSERT INTO assignments (doc_id, annotator, overlap, assigned_at) VALUES ('d2', 'hala', 0, 'now')",
        "DELETE FROM assignments",
        "INSERT INTO project_users (name, role, created_at) VALUES ('hala', 'lead', 'now')",
        "UPDATE project_users SET role = 'lead' WHERE name = 'hala'",
        "UPDATE annotator_progress SET done = 99",
        "CREATE TABLE mine (x int)",
        "ALTER TABLE claims DISABLE ROW LEVEL SECURITY",
        "DROP POLICY own_or_reviewer_reads ON claims",
        "CREATE ROLE intruder LOGIN",
        "TRUNCATE claims",
    ] {
        refused(&team, "hala", sql);
    }
    // And through isnad: a lead's commands.
    let run = team.isnad_as("hala", &["server", "add-user", "x", "--role", "lead"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains(&crate::support::password_of("hala")),
        "{}",
        run.stderr
    );
}

#[test]
fn an_adjudicator_reads_everyone_and_writes_gold_but_not_documents() {
    let team = team_with_labels();
    assert_eq!(value_as(&team, "omar", "SELECT count(*) FROM claims"), "2");
    assert_eq!(
        value_as(&team, "omar", "SELECT count(*) FROM documents"),
        "2"
    );
    team.psql(
        Some("omar"),
        &format!(
            "INSERT INTO gold_claims (id, doc_id, sentence_idx, stance, decision, n_annotators, decided_by, decided_at, updated_at)
             VALUES ('g2', 'd2', 0, 'against', 'adopted', 1, 'omar', '{T}', '{T}')"
        ),
    )
    .expect_code(0);
    assert_eq!(team.admin_value("SELECT count(*) FROM gold_claims"), "2");
    refused(&team, "omar", "UPDATE documents SET title = 'x'");
    // Another annotator's claim is out of an adjudicator's reach: the update finds nothing.
    let before = team.fingerprint();
    team.psql(
        Some("omar"),
        "UPDATE claims SET stance = 'favor' WHERE id = 'c-sami'",
    )
    .expect_code(0);
    assert_eq!(team.fingerprint(), before);
    // An adjudicator annotates as themselves too; deleting labels is a lead's.
    team.psql(
        Some("omar"),
        &format!(
            "INSERT INTO annotators (name, created_at) VALUES ('omar', '{T}');
             INSERT INTO claims (id, doc_id, sentence_idx, annotator, status, schema_version, created_at, updated_at)
             VALUES ('c-omar', 'd2', 0, 'omar', 'confirmed', 1, '{T}', '{T}')"
        ),
    )
    .expect_code(0);
    refused(&team, "omar", "DELETE FROM claims");
    refused(
        &team,
        "omar",
        "INSERT INTO project_meta (key, value) VALUES ('k', 'v')",
    );
}

#[test]
fn a_lead_does_everything_but_users_and_schema() {
    let team = team_with_labels();
    team.psql(
        Some("lina"),
        "UPDATE documents SET title = 'جديد' WHERE id = 'd2'",
    )
    .expect_code(0);
    team.psql(
        Some("lina"),
        "INSERT INTO assignments (doc_id, annotator, overlap, assigned_at) VALUES ('d2', 'hala', 1, 'now')",
    )
    .expect_code(0);
    assert_eq!(
        value_as(
            &team,
            "hala",
            "SELECT string_agg(id, ',' ORDER BY id) FROM documents"
        ),
        "d1,d2"
    );
    assert_eq!(value_as(&team, "lina", "SELECT count(*) FROM claims"), "2");
    refused(&team, "lina", "UPDATE project_users SET role = 'annotator'");
    refused(
        &team,
        "lina",
        "ALTER TABLE claims DISABLE ROW LEVEL SECURITY",
    );
}

#[test]
fn a_stranger_on_the_server_cannot_even_connect() {
    let team = team_with_labels();
    // A login of the same cluster that is no member of this project.
    team.psql(
        None,
        &format!(
            "CREATE ROLE stranger_{0} LOGIN PASSWORD '{1}'",
            team.db.name,
            crate::support::password_of(&format!("stranger_{}", team.db.name))
        ),
    )
    .expect_code(0);
    let stranger = format!("stranger_{}", team.db.name);
    let run = team.psql(Some(&stranger), "SELECT count(*) FROM documents");
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("permission denied for database"),
        "{}",
        run.stderr
    );
    // Even with CONNECT given back to everyone, the policies give a non-member nothing.
    team.psql(
        None,
        &format!("GRANT CONNECT ON DATABASE \"{}\" TO PUBLIC", team.db.name),
    )
    .expect_code(0);
    assert_eq!(
        value_as(&team, &stranger, "SELECT count(*) FROM claims"),
        "0"
    );
    assert_eq!(
        value_as(&team, &stranger, "SELECT count(*) FROM documents"),
        "0"
    );
    refused(
        &team,
        &stranger,
        "INSERT INTO annotators (name, created_at) VALUES ('x', 'now')",
    );
    team.psql(
        None,
        &format!(
            "REVOKE CONNECT ON DATABASE \"{}\" FROM PUBLIC",
            team.db.name
        ),
    )
    .expect_code(0);
    team.psql(
        None,
        &format!("DROP OWNED BY {stranger}; DROP ROLE {stranger}"),
    )
    .expect_code(0);
}
