//! Merge safety and output paths: a foreign database — another program's, a reshaped or
//! damaged Isnad one, one whose texts or spans do not add up — is refused whole; names full
//! of quotes and SQL merge exactly; a merge that fails half-way leaves nothing; every SQL
//! statement takes its values as parameters; exports and packages never leave the folder
//! the user chose.
//!
//! Already covered and not repeated: idempotent merges, conflicts, a document whose id holds
//! another text (`tests/cli/team.rs`), a text file and the database itself given as the
//! source (`…::damaged_or_foreign_sources_are_refused_without_touching_ours`).

use std::path::{Path, PathBuf};

use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{self, Access, Location};

use crate::common::{annotate, dump, dump_diff, seed_id, seeded, span_of};
use crate::util::{Sandbox, jsonl};

/// An annotated copy of the seeds (another annotator's database), closed cleanly.
fn source_db(sandbox: &Sandbox, name: &str) -> PathBuf {
    let path = sandbox.path(name);
    let mut store = store::open(&Location::from(&path), Access::ReadWrite).unwrap();
    isnad::seeds::import_seeds(&mut *store).unwrap();
    drop(store);
    annotate(&path, "omar");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    path
}

/// Runs `isnad merge SOURCE` and requires a refusal with `expected` and ours untouched.
#[track_caller]
fn refused(lead: &Sandbox, source: &Path, expected: &[&str]) {
    let before = dump(&lead.db);
    let run = lead.run(["merge".as_ref(), source.as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let name = source.file_name().unwrap().to_str().unwrap();
    assert!(
        run.stderr.contains(name) && run.stderr.contains("cannot merge"),
        "{}",
        run.stderr
    );
    for part in expected {
        assert!(
            run.stderr.contains(part),
            "expected {part:?}: {}",
            run.stderr
        );
    }
    let after = dump(&lead.db);
    assert!(before == after, "{}", dump_diff(&before, &after));
}

fn edit(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn foreign_reshaped_and_damaged_sources_are_refused_whole() {
    let lead = seeded();
    annotate(&lead.db, "hala");

    let other_program = lead.path("other-program.db");
    edit(
        &other_program,
        "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('x');",
    );
    refused(&lead, &other_program, &["belongs to another program"]);

    let extra_column = source_db(&lead, "extra-column.db");
    edit(
        &extra_column,
        "ALTER TABLE claims ADD COLUMN confidence REAL;",
    );
    refused(
        &lead,
        &extra_column,
        &["tables differ", "table claims is defined differently"],
    );

    let dropped = source_db(&lead, "dropped-table.db");
    edit(&dropped, "DROP TABLE gold_sentences;");
    refused(
        &lead,
        &dropped,
        &["tables differ", "no table gold_sentences"],
    );

    let newer = source_db(&lead, "newer.db");
    edit(&newer, "PRAGMA user_version = 7;");
    refused(&lead, &newer, &["newer Isnad"]);

    // Foreign keys switched off by hand and a claim pointing at nothing.
    let dangling = source_db(&lead, "dangling.db");
    edit(
        &dangling,
        "PRAGMA foreign_keys = OFF; UPDATE claims SET speaker_entity = 'e-nowhere';",
    );
    refused(&lead, &dangling, &["damaged database", "foreign key"]);
}

#[test]
fn sources_whose_texts_or_spans_do_not_add_up_are_refused_whole() {
    let lead = seeded();
    annotate(&lead.db, "hala");

    // The text changed behind the checksum's back: the same id and checksum as ours, so
    // without the check its claims would land on our text.
    let forged = source_db(&lead, "forged.db");
    edit(
        &forged,
        "UPDATE documents SET text = replace(text, 'روسيا', 'فرنسا');",
    );
    refused(&lead, &forged, &["does not match its checksum"]);

    let sentence = source_db(&lead, "sentence.db");
    edit(
        &sentence,
        "UPDATE sentences SET text = 'نص آخر' WHERE idx = 2;",
    );
    refused(&lead, &sentence, &["sentence 2 does not fit the text"]);

    let span = source_db(&lead, "span.db");
    edit(
        &span,
        "UPDATE claims SET target_start = 900000, target_end = 900005;",
    );
    refused(
        &lead,
        &span,
        &["the target span 900000..900005 is outside its document"],
    );

    let cue = source_db(&lead, "cue.db");
    edit(&cue, "UPDATE claims SET cue_start = 0, cue_end = 3;");
    refused(&lead, &cue, &["the cue span 0..3 is outside its sentence"]);

    // A sound source still merges (the checks refuse nothing real).
    let sound = source_db(&lead, "sound.db");
    let run = lead
        .run(["merge".as_ref(), sound.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("0 refused"), "{}", run.stderr);
}

/// Names, notes, ids and file names full of quotes and SQL travel through a merge exactly.
#[test]
fn names_with_quotes_and_sql_merge_exactly() {
    const EVIL: &str = "x'); DROP TABLE claims; --\"";
    let lead = seeded();
    let other = Sandbox::new();
    let articles = other.write(
        "evil.jsonl",
        format!(
            "{}\n",
            serde_json::json!({
                "id": EVIL,
                "title": EVIL,
                "text": "قال الرئيس الروسي إن روسيا تدعم المعارضة. وأضاف أن الحل قريب.",
                "source": EVIL,
            })
        ),
    );
    other
        .run(["import".as_ref(), articles.as_os_str()])
        .expect_code(0);
    let source = other.path("it's \"theirs\"; rm -rf x.db");
    std::fs::rename(&other.db, &source).unwrap();
    {
        let mut store = store::open(&Location::from(&source), Access::ReadWrite).unwrap();
        project::load_starter_registry(&mut *store).unwrap();
        let annotator = format!("O'Brien {EVIL}");
        let mut ws = Workspace::new(store, &annotator).unwrap();
        ws.apply(Intent::OpenDocument {
            doc_id: EVIL.into(),
            sentence: Some(0),
        })
        .unwrap();
        ws.apply(Intent::CreateEntity {
            name: format!("كيان {EVIL}"),
            kind: "person".into(),
            alias: Some(format!("'; DELETE FROM entities; -- {EVIL}")),
            assign_to: Some(Role::Speaker),
        })
        .unwrap();
        let target = span_of(&ws, "المعارضة");
        ws.apply(Intent::SetSpan {
            role: Role::Target,
            span: target,
        })
        .unwrap();
        ws.apply(Intent::SetStance("favor".into())).unwrap();
        ws.apply(Intent::SetNote(EVIL.repeat(3))).unwrap();
        ws.apply(Intent::ConfirmClaim).unwrap();
    }
    let theirs = Sandbox {
        dir: tempfile::tempdir().unwrap(),
        db: source.clone(),
    };
    let their_claims = theirs
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert_eq!(jsonl(&their_claims).len(), 1);
    let run = lead
        .run(["merge".as_ref(), source.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("documents 1 added"), "{}", run.stderr);
    let ours = lead
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert_eq!(ours, their_claims, "the claim came over exactly");
    let entities = lead.run(["entities"]).expect_code(0).stdout;
    assert!(entities.contains(&format!("كيان {EVIL}")), "{entities}");
    let docs = lead.run(["docs"]).expect_code(0).stdout;
    assert!(docs.contains(EVIL) && docs.lines().count() == 6, "{docs}");
    let before = dump(&lead.db);
    let again = lead
        .run(["merge".as_ref(), source.as_os_str()])
        .expect_code(0);
    assert!(
        again.stderr.contains("annotations 0 added, 0 updated"),
        "{}",
        again.stderr
    );
    let after = dump(&lead.db);
    // Only the bookkeeping of when the source was last merged moves.
    let changed: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert!(
        changed.len() == 1 && changed[0].contains("it's"),
        "{changed:?}"
    );
    let store = store::open(&Location::from(&lead.db), Access::ReadWrite).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
}

/// A merge that fails after it has written part of the source (here a trigger in our
/// database refuses one claim) leaves nothing of it.
#[test]
fn a_merge_that_fails_half_way_leaves_nothing() {
    let lead = seeded();
    annotate(&lead.db, "hala");
    let source = source_db(&lead, "half.db");
    let second_claim: String = rusqlite::Connection::open(&source)
        .unwrap()
        .query_row(
            "SELECT id FROM claims ORDER BY rowid LIMIT 1 OFFSET 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    edit(
        &lead.db,
        &format!(
            "CREATE TRIGGER fail_half_way BEFORE INSERT ON claims WHEN NEW.id = '{second_claim}'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
        ),
    );
    let before = dump(&lead.db);
    let run = lead.run(["merge".as_ref(), source.as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("injected failure"), "{}", run.stderr);
    let after = dump(&lead.db);
    assert!(before == after, "{}", dump_diff(&before, &after));
}

/// Every SQL statement built with `format!` in `src/store/` interpolates only constant
/// column lists, table names from constant arrays and fragments chosen from constants —
/// never a value. (Values always go through `?N` parameters.) And no SQL outside the store.
#[test]
fn all_sql_takes_values_as_parameters() {
    const ALLOWED: &[&str] = &[
        "CLAIM_COLUMNS",
        "MARK_COLUMNS",
        "GOLD_CLAIM_COLUMNS",
        "GOLD_SENTENCE_COLUMNS",
        // The entity columns of src/store/postgres/rows.rs (a constant list).
        "ENTITY_COLUMNS",
        "DOCUMENT_SELECT",
        "SENTENCE_SELECT",
        "GOLD_DONE_SUBQUERY",
        "DONE_SUBQUERY",
        "COUNT_COLUMNS",
        "claim_columns",
        "mark_columns",
        "table",
        // The document list's status filter (`status_filter_sql`): constant fragments.
        "ctes",
        "text_filter",
        "content",
        "chosen",
        // The document list's page (`all_documents_page`): one of two constant rowid walks.
        "rowids",
        // PostgreSQL: the document list's title/id filter (a constant) and the entity
        // column list (postgres/documents.rs, postgres/merge.rs).
        "TEXT_FILTER",
        "ENTITY_COLUMNS",
        // PostgreSQL administration: `CREATE` or `ALTER` (postgres/server.rs; the role's
        // name and password go through format('%I', '%L') on the server), and a test
        // database's generated name (postgres/scratch.rs).
        "role_verb",
        "scratch_name",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let keywords = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE "];
    let mut checked = 0;
    for path in walk(&root.join("src/store")) {
        let source = std::fs::read_to_string(&path).unwrap();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("format!(") {
            rest = &rest[at + 8..];
            // The format string: from the first quote to the closing quote.
            let Some(open) = rest.find('"') else { break };
            let body = &rest[open + 1..];
            let mut end = 0;
            let bytes = body.as_bytes();
            while end < bytes.len()
                && !(bytes[end] == b'"' && (end == 0 || bytes[end - 1] != b'\\'))
            {
                end += 1;
            }
            let literal = &body[..end];
            if !keywords.iter().any(|k| literal.contains(k)) {
                continue;
            }
            checked += 1;
            let mut fields = literal;
            while let Some(brace) = fields.find('{') {
                let after = &fields[brace + 1..];
                if let Some(stripped) = after.strip_prefix('{') {
                    fields = stripped;
                    continue;
                }
                let close = after.find('}').unwrap_or(after.len());
                let name = after[..close].split(':').next().unwrap_or("");
                assert!(
                    ALLOWED.contains(&name),
                    "{}: SQL built with {{{name}}} — pass values as parameters:\n{literal}",
                    path.display()
                );
                fields = &after[close..];
            }
        }
    }
    assert!(checked >= 10, "found only {checked} SQL format! strings");
    // SQL only in the store.
    for dir in [
        "cli", "model", "importer", "export", "corpus", "app", "ui", "text", "domain",
    ] {
        for entry in walk(&root.join("src").join(dir)) {
            let source = std::fs::read_to_string(&entry).unwrap();
            for needle in [".execute(", "prepare(", "query_row("] {
                assert!(
                    !source.contains(needle),
                    "{} talks to SQLite ({needle}); all SQL lives in src/store/",
                    entry.display()
                );
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every file written in one run, relative to `root`.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// Packages for annotators with hostile names, and a gold export with splits and a card:
/// every file lands inside the folder given, nowhere else.
#[test]
fn outputs_never_leave_the_chosen_folder() {
    let lead = seeded();
    annotate(&lead.db, "hala");
    let root = lead.path("work");
    std::fs::create_dir_all(root.join("chosen")).unwrap();
    let chosen = root.join("chosen");
    let names = [
        "../../escaped",
        "/etc/passwd",
        "a/b",
        "..",
        ".",
        "C:\\Windows\\x",
        ".hidden",
        "نور",
        "'; DROP TABLE documents; --",
    ];
    let run = lead
        .run([
            "assign".as_ref(),
            "--annotators".as_ref(),
            names.join(",").as_ref(),
            "--out".as_ref(),
            chosen.as_os_str(),
        ])
        .expect_code(0);
    let written = files_under(&root);
    assert_eq!(written.len(), names.len(), "{written:?}\n{}", run.stderr);
    assert!(
        written
            .iter()
            .all(|f| f.starts_with("chosen/") && f.ends_with(".isnad.db") && !f[7..].contains('/')),
        "{written:?}"
    );
    assert!(!lead.path("escaped.isnad.db").exists());

    let gold = chosen.join("gold.jsonl");
    lead.run([
        "export".as_ref(),
        "--what".as_ref(),
        "gold".as_ref(),
        "--split".as_ref(),
        "--out".as_ref(),
        gold.as_os_str(),
    ])
    .expect_code(0);
    let written = files_under(&root);
    for name in [
        "gold.train.jsonl",
        "gold.dev.jsonl",
        "gold.test.jsonl",
        "gold.card.md",
    ] {
        assert!(written.contains(&format!("chosen/{name}")), "{written:?}");
    }
    assert!(
        written.iter().all(|f| f.starts_with("chosen/")),
        "{written:?}"
    );
    // No temporary file is left behind.
    assert!(!written.iter().any(|f| f.contains(".tmp-")), "{written:?}");
    // A folder given where a file is expected is refused with a message.
    let run = lead.run([
        "export".as_ref(),
        "--what".as_ref(),
        "claims".as_ref(),
        "--out".as_ref(),
        chosen.as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("chosen"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Regression: a package path that is a dangling symlink passed the "never overwrite"
/// check (`Path::exists` follows the link), and the package was created where the link
/// pointed — outside the chosen folder.
#[cfg(unix)]
#[test]
fn assign_does_not_follow_a_dangling_symlink_out_of_the_folder() {
    let lead = seeded();
    let chosen = lead.path("chosen");
    let outside = lead.path("outside");
    std::fs::create_dir_all(&chosen).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(outside.join("planted.db"), chosen.join("A.isnad.db")).unwrap();
    let run = lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "A,B".as_ref(),
        "--out".as_ref(),
        chosen.as_os_str(),
    ]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(
        !outside.join("planted.db").exists(),
        "a package was written outside the chosen folder"
    );
}

/// Regression: `package_file_name` did not shorten long names, so an annotator named with
/// 200 Arabic letters (400 bytes) made `assign` fail for everyone.
#[test]
fn assign_with_a_very_long_annotator_name() {
    let lead = seeded();
    let chosen = lead.path("chosen");
    let long = "ن".repeat(200);
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        format!("A,{long}").as_ref(),
        "--out".as_ref(),
        chosen.as_os_str(),
    ])
    .expect_code(0);
    assert_eq!(files_under(&chosen).len(), 2);
}

#[test]
fn merged_claims_keep_their_seed_ids() {
    // The merge of a sound source keeps document ids and claim texts (a quick cross-check
    // of the round trip used above).
    let lead = seeded();
    let source = source_db(&lead, "plain.db");
    lead.run(["merge".as_ref(), source.as_os_str()])
        .expect_code(0);
    let store = store::open(&Location::from(&lead.db), Access::ReadWrite).unwrap();
    let id = seed_id(&*store, "روسيا تبدي");
    assert_eq!(
        store.claims_in_document(&id, Some("omar")).unwrap().len(),
        2
    );
}
