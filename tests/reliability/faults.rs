//! Database faults: a damaged file, a newer schema, a read-only file or file system, a
//! database busy in another isnad, several isnad processes at once, and a disk that fills
//! up during a bulk import. Each gives a clear message naming the database and an exit code
//! ≠ 0, and leaves the database exactly as it was (or, for concurrent writers, with every
//! write of every process in it).
//!
//! Already covered and not repeated: a text file given as the database and another
//! program's SQLite database are refused untouched (`tests/cli/database.rs`); the basic
//! newer-schema refusal for `docs` and `import` (same file; extended here to every command).

use std::path::{Path, PathBuf};
use std::process::Command;

use isnad::model::{Intent, Workspace};
use isnad::store::{self, Access, Location};

use crate::common::{annotate, dump, run_prefixed, seeded, tool_missing, unprivileged};
use crate::util::{Sandbox, isnad_bin, seeds_dir};

/// The bytes of the database and its WAL, to prove a refusal wrote nothing at all.
fn file_bytes(db: &Path) -> Vec<Vec<u8>> {
    ["", "-wal"]
        .iter()
        .map(|suffix| std::fs::read(format!("{}{suffix}", db.display())).unwrap_or_default())
        .collect()
}

/// Every command that touches a database, with arguments that would succeed on a sound one.
fn commands(sandbox: &Sandbox) -> Vec<Vec<std::ffi::OsString>> {
    let article = sandbox.write("fault-article.txt", "عنوان\nقال الرئيس إن الحل قريب.\n");
    let claims = sandbox.write("fault-claims.jsonl", "{\"type\": \"claim\"}\n");
    let other = sandbox.path("fault-other.db");
    if !other.exists() {
        let mut store = store::open(&Location::from(&other), Access::ReadWrite).unwrap();
        isnad::seeds::import_seeds(&mut *store).unwrap();
    }
    let out = sandbox.path("fault-export.jsonl");
    let os = |parts: &[&std::ffi::OsStr]| parts.iter().map(|p| p.to_os_string()).collect();
    vec![
        os(&["docs".as_ref()]),
        os(&["import".as_ref(), article.as_os_str()]),
        os(&["import-claims".as_ref(), claims.as_os_str()]),
        os(&["merge".as_ref(), other.as_os_str()]),
        os(&["entities".as_ref(), "--load-starter".as_ref()]),
        os(&[
            "export".as_ref(),
            "--what".as_ref(),
            "claims".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]),
        os(&["agreement".as_ref()]),
    ]
}

/// Runs every command on `db`; each must fail with all of `expected` in its message, the
/// database path named, and not a byte of the database changed.
#[track_caller]
fn every_command_refuses(sandbox: &Sandbox, db: &Path, expected: &[&str]) -> usize {
    let before = file_bytes(db);
    let mut tried = 0;
    for args in commands(sandbox) {
        let run = sandbox.run_with_db(db, &args);
        let shown = format!("isnad {:?}:\n{}", args, run.stderr);
        assert_ne!(run.code, 0, "{shown}");
        assert!(
            run.stderr
                .contains(db.file_name().unwrap().to_str().unwrap()),
            "{shown}"
        );
        for part in expected {
            assert!(run.stderr.contains(part), "expected {part:?}: {shown}");
        }
        assert!(!run.stderr.contains("panicked"), "{shown}");
        assert!(before == file_bytes(db), "the database changed: {shown}");
        tried += 1;
    }
    tried
}

/// A copy of an annotated database, closed cleanly (no WAL left), ready to be damaged.
fn annotated_copy(sandbox: &Sandbox, name: &str) -> PathBuf {
    annotate(&sandbox.db, "hala");
    // Fold the WAL into the file so that the copy is the whole database.
    {
        let conn = rusqlite::Connection::open(&sandbox.db).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let copy = sandbox.path(name);
    std::fs::copy(&sandbox.db, &copy).unwrap();
    copy
}

#[test]
fn damaged_databases_are_refused_untouched() {
    let sandbox = seeded();
    let sound = annotated_copy(&sandbox, "sound.db");
    let size = std::fs::metadata(&sound).unwrap().len() as usize;
    let page = 4096;
    let bytes = std::fs::read(&sound).unwrap();

    // Half of the file is gone (an interrupted copy).
    let truncated = sandbox.path("truncated.db");
    std::fs::write(&truncated, &bytes[..size / 2]).unwrap();
    every_command_refuses(&sandbox, &truncated, &["damaged"]);

    // The header of the schema page overwritten with garbage: nothing is readable.
    let schema_page = sandbox.path("schema-page.db");
    let mut damaged = bytes.clone();
    for byte in &mut damaged[100..page] {
        *byte = 0xA5;
    }
    std::fs::write(&schema_page, &damaged).unwrap();
    every_command_refuses(&sandbox, &schema_page, &["damaged"]);

    // Garbage in every page of the second half. Isnad checks a database before it first
    // switches it to WAL, so this one is refused by every command without a byte written.
    let damage = |bytes: &[u8]| {
        let mut damaged = bytes.to_vec();
        for start in (size / 2 / page * page..size).step_by(page) {
            for (i, byte) in damaged[start..start + page].iter_mut().enumerate() {
                *byte = (i * 7 + 3) as u8;
            }
        }
        damaged
    };
    let pages = sandbox.path("pages.db");
    std::fs::write(&pages, damage(&bytes)).unwrap();
    every_command_refuses(&sandbox, &pages, &["damaged", "Restore it from a backup"]);

    // The same damage in a database already in WAL mode (opening it writes nothing): a
    // command that meets a bad page stops with the same message and writes nothing; one that
    // meets none does its work in whole transactions.
    {
        let conn = rusqlite::Connection::open(&sound).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    let wal_bytes = std::fs::read(&sound).unwrap();
    assert_eq!(wal_bytes.len(), size);
    let wal_pages = sandbox.path("wal-pages.db");
    std::fs::write(&wal_pages, damage(&wal_bytes)).unwrap();
    let mut refused = 0;
    for args in commands(&sandbox) {
        let before = file_bytes(&wal_pages);
        let run = sandbox.run_with_db(&wal_pages, &args);
        let shown = format!("isnad {args:?}:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{shown}");
        if run.code != 0 {
            refused += 1;
            assert!(
                run.stderr.contains("damaged") && run.stderr.contains("wal-pages.db"),
                "{shown}"
            );
            assert!(before == file_bytes(&wal_pages), "{shown}");
        }
    }
    assert!(refused > 0, "no command met the damage");
    let pages = wal_pages;
    // The check every merge runs on its source finds the damage.
    let problems = match store::open(&Location::from(&pages), Access::ReadOnly) {
        Ok(store) => store.integrity_problems().map(|p| p.len()).unwrap_or(1),
        Err(_) => 1,
    };
    assert!(problems > 0);
}

#[test]
fn a_newer_schema_is_refused_by_every_command() {
    let sandbox = seeded();
    let newer = annotated_copy(&sandbox, "newer.db");
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let tried = every_command_refuses(
        &sandbox,
        &newer,
        &[
            "written by a newer Isnad (schema version 99",
            "update isnad",
        ],
    );
    assert!(tried >= 7);
    // As the source of a merge, too.
    let before = dump(&sandbox.db);
    let run = sandbox.run(["merge".as_ref(), newer.as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot merge") && run.stderr.contains("newer Isnad"),
        "{}",
        run.stderr
    );
    assert_eq!(before, dump(&sandbox.db));
}

#[test]
fn a_database_in_a_missing_folder_or_a_folder_as_database_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let missing = sandbox.path("no-such-folder/project.db");
    for args in [vec!["docs"], vec!["entities", "--load-starter"]] {
        let run = sandbox.run_with_db(&missing, &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("project.db") && !run.stderr.contains("panicked"),
            "{}",
            run.stderr
        );
    }
    let run = sandbox.run_with_db(&missing, ["entities", "--load-starter"]);
    assert!(
        run.stderr
            .contains("no-such-folder does not exist; create it"),
        "{}",
        run.stderr
    );
    assert!(!sandbox.path("no-such-folder").exists());
    let folder = sandbox.path("a-folder.db");
    std::fs::create_dir_all(&folder).unwrap();
    let run = sandbox.run_with_db(&folder, ["entities", "--load-starter"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("it is a directory"), "{}", run.stderr);
}

/// Runs `script` with `sh` in a private mount namespace (`unshare -r -m`), where it may
/// mount a small tmpfs; `None` (after [`tool_missing`]: a failure under `CI=true`) when
/// this machine does not allow it.
fn in_private_mounts(script: &str, vars: &[(&str, &Path)]) -> Option<std::process::Output> {
    let probe = tempfile::tempdir().unwrap();
    let works = Command::new("unshare")
        .args([
            "-r",
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs \"$1\"",
        ])
        .arg("sh")
        .arg(probe.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        tool_missing(
            "cannot mount a private tmpfs here (`unshare -r -m` from util-linux and `mount -t \
             tmpfs` are needed; unshare may be missing, or user namespaces disabled)",
        );
        return None;
    }
    let mut command = Command::new("unshare");
    command.args(["-r", "-m", "sh", "-c", script]);
    for (name, value) in vars {
        command.env(name, value);
    }
    Some(command.env_remove("ISNAD_DB").output().unwrap())
}

#[test]
fn a_read_only_database_can_be_read_and_refuses_writes_clearly() {
    let sandbox = seeded();
    let db = annotated_copy(&sandbox, "ro.db");
    let expected = [
        "read-only, so changes cannot be saved",
        "copy the database to a folder you can write to",
    ];
    let writes = |db: &Path| -> Vec<Vec<std::ffi::OsString>> {
        commands(&sandbox)
            .into_iter()
            .filter(|args| {
                ["import", "import-claims", "merge", "entities"]
                    .contains(&args[0].to_str().unwrap())
            })
            .map(|mut args| {
                args.insert(0, db.as_os_str().to_owned());
                args.insert(0, "--db".into());
                args
            })
            .collect()
    };
    // A file without write permission, for a user the permissions apply to.
    if let Some(prefix) = unprivileged(&sandbox) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
        let before = file_bytes(&db);
        for args in writes(&db) {
            let run = run_prefixed(&prefix, &args);
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            for part in expected {
                assert!(run.stderr.contains(part), "{args:?}: {}", run.stderr);
            }
        }
        let docs = run_prefixed(&prefix, &["--db".into(), db.clone().into(), "docs".into()]);
        assert_eq!(docs.code, 0, "{}", docs.stderr);
        assert_eq!(docs.stdout.lines().count(), 5);
        assert!(before == file_bytes(&db));
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    // A read-only file system: reading works (docs, export), every write is refused.
    let mut script = String::from(
        "set -u\nmount -t tmpfs -o size=16m tmpfs \"$MNT\" || exit 90\n\
         cp \"$SRC\" \"$MNT/ro.db\" || exit 91\nmount -o remount,ro \"$MNT\" || exit 92\n\
         i=0\nrun() { i=$((i+1)); \"$ISNAD\" --db \"$MNT/ro.db\" \"$@\" > \"$OUT/$i.out\" 2> \"$OUT/$i.err\"; echo $? > \"$OUT/$i.code\"; }\n\
         run docs\nrun export --what claims\n",
    );
    for args in writes(Path::new("unused")) {
        let quoted: Vec<String> = args[2..]
            .iter()
            .map(|a| format!("'{}'", a.to_str().unwrap()))
            .collect();
        script.push_str(&format!("run {}\n", quoted.join(" ")));
    }
    script.push_str("cp \"$MNT/ro.db\" \"$OUT/after.db\"\n");
    let mnt = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let isnad = isnad_bin();
    let Some(output) = in_private_mounts(
        &script,
        &[
            ("MNT", mnt.path()),
            ("SRC", &db),
            ("OUT", out.path()),
            ("ISNAD", &isnad),
        ],
    ) else {
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |i: usize, what: &str| {
        std::fs::read_to_string(out.path().join(format!("{i}.{what}"))).unwrap_or_default()
    };
    assert_eq!(read(1, "code").trim(), "0", "docs: {}", read(1, "err"));
    assert_eq!(read(1, "out").lines().count(), 5);
    assert_eq!(read(2, "code").trim(), "0", "export: {}", read(2, "err"));
    assert_eq!(
        read(2, "out").lines().count(),
        3,
        "2 claims and a no-claim mark"
    );
    for i in 3..3 + writes(Path::new("x")).len() {
        assert_eq!(read(i, "code").trim(), "1", "{}", read(i, "err"));
        for part in expected {
            assert!(read(i, "err").contains(part), "{}", read(i, "err"));
        }
    }
    assert!(std::fs::read(out.path().join("after.db")).unwrap() == std::fs::read(&db).unwrap());
}

/// A database held by another isnad: a write waits (busy timeout) and goes through when the
/// other is done; when the other holds on for longer than the timeout, a clear message and
/// nothing changed.
#[test]
fn a_busy_database_waits_then_says_so() {
    let sandbox = seeded();
    let article = sandbox.write("busy.txt", "عنوان\nقال الوزير إن الاتفاق قريب.\n");
    // Another connection holding the write lock until told to let go (or for `seconds`).
    let hold = |seconds: Option<f64>| {
        let db = sandbox.db.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            let mut conn = rusqlite::Connection::open(&db).unwrap();
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            tx.execute(
                "INSERT INTO project_meta (key, value) VALUES ('holder', 'x')",
                [],
            )
            .unwrap();
            ready_tx.send(()).unwrap();
            match seconds {
                Some(s) => std::thread::sleep(std::time::Duration::from_secs_f64(s)),
                None => {
                    let _ = release_rx.recv();
                }
            }
            tx.rollback().unwrap();
        });
        ready_rx.recv().unwrap();
        (handle, release_tx)
    };
    // Held until the import has given up: refused after the busy timeout, nothing written.
    let before = dump(&sandbox.db);
    let (holder, release) = hold(None);
    let run = sandbox.run(["import".as_ref(), "--quiet".as_ref(), article.as_os_str()]);
    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("the database is busy")
            && run.stderr.contains("another isnad?")
            && run.stderr.contains("nothing was changed, try again")
            && run.stderr.contains("test.db"),
        "{}",
        run.stderr
    );
    assert_eq!(before, dump(&sandbox.db));
    // Held for a moment: the import waits and goes through.
    let (holder, _release) = hold(Some(1.5));
    let run = sandbox
        .run(["import".as_ref(), "--quiet".as_ref(), article.as_os_str()])
        .expect_code(0);
    holder.join().unwrap();
    assert!(run.stderr.contains("1 added"), "{}", run.stderr);
}

/// Six isnad processes creating and filling the same new database at the same moment (the
/// schema is made once, every import lands). Found by this test: the second process saw the
/// first one's half-made schema ("belongs to another program", "migration failed") or could
/// not switch to WAL ("busy").
#[test]
fn several_isnad_processes_create_the_same_database_at_once() {
    let sandbox = Sandbox::new();
    for round in 0..4 {
        let db = sandbox.path(&format!("race-{round}.db"));
        let children: Vec<_> = (0..6)
            .map(|i| {
                let file = sandbox.write(
                    &format!("race-{round}-{i}.txt"),
                    format!("عنوان {round} {i}\nقال الرئيس {i} إن الحل قريب.\n"),
                );
                Command::new(isnad_bin())
                    .arg("--db")
                    .arg(&db)
                    .args(["import", "--quiet"])
                    .arg(file)
                    .env_remove("ISNAD_DB")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
        assert_eq!(store.document_count().unwrap(), 6, "round {round}");
        assert!(store.integrity_problems().unwrap().is_empty());
    }
}

const CONCURRENT_DB: &str = "ISNAD_CONCURRENT_DB";
const CONCURRENT_ANNOTATOR: &str = "ISNAD_CONCURRENT_ANNOTATOR";

/// Child process of the concurrency test: toggles "no claim" on sentence after sentence as
/// one annotator, printing each mark it saw saved.
#[test]
fn concurrent_annotator_entry_point() {
    let Ok(db) = std::env::var(CONCURRENT_DB) else {
        return;
    };
    let annotator = std::env::var(CONCURRENT_ANNOTATOR).unwrap();
    let mut ws = Workspace::new(
        store::open(&Location::from(Path::new(&db)), Access::ReadWrite).unwrap(),
        &annotator,
    )
    .unwrap();
    let mut docs = Vec::new();
    ws.store()
        .for_each_document(&mut |row| {
            docs.push((row.id, row.sentence_count));
            Ok(())
        })
        .unwrap();
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for step in 0..120usize {
        let (doc_id, count) = &docs[step % docs.len()];
        let sentence = (step * 7 + annotator.len()) % count;
        ws.apply(Intent::OpenDocument {
            doc_id: doc_id.clone(),
            sentence: Some(sentence),
        })
        .unwrap();
        match ws.apply(Intent::ToggleNoClaim) {
            Ok(applied) if applied.saved => {
                writeln!(out, "MARK|{doc_id}|{sentence}").unwrap();
                out.flush().unwrap();
            }
            other => panic!("{annotator} step {step}: {other:?}"),
        }
    }
}

/// Two annotators working in two app processes on one database while a third process
/// imports articles: every mark each process saw saved is there, every article is there.
#[test]
fn two_annotators_and_an_import_at_once_lose_nothing() {
    let sandbox = seeded();
    let spawn = |annotator: &str| {
        Command::new(crate::common::this_test_binary())
            .args([
                "faults::concurrent_annotator_entry_point",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CONCURRENT_DB, &sandbox.db)
            .env(CONCURRENT_ANNOTATOR, annotator)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn("hala");
    let second = spawn("omar");
    let folder = sandbox.path("bulk");
    for i in 0..40 {
        sandbox.write(
            &format!("bulk/{i:03}.txt"),
            format!("خبر رقم {i}\n{}", "قال الرئيس إن الحل قريب. ".repeat(200)),
        );
    }
    let import = sandbox
        .run(["import".as_ref(), "--quiet".as_ref(), folder.as_os_str()])
        .expect_code(0);
    assert!(import.stderr.contains("40 added"), "{}", import.stderr);
    let store = store::open(&Location::from(&sandbox.db), Access::ReadWrite).unwrap();
    for (child, annotator) in [(first, "hala"), (second, "omar")] {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{annotator}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Replay the toggles: the marks that must be live now.
        let mut expected = std::collections::BTreeSet::new();
        let mut saved = 0;
        // (libtest may print "test … ... " on the same line as the first mark.)
        for line in stdout
            .lines()
            .filter_map(|l| l.find("MARK|").map(|at| &l[at + 5..]))
        {
            let (doc, sentence) = line.rsplit_once('|').unwrap();
            let key = (doc.to_owned(), sentence.parse::<usize>().unwrap());
            if !expected.remove(&key) {
                expected.insert(key);
            }
            saved += 1;
        }
        assert_eq!(saved, 120, "{annotator}");
        let mut found = std::collections::BTreeSet::new();
        store
            .for_each_document(&mut |row| {
                for mark in store.marks_in_document(&row.id, Some(annotator))? {
                    found.insert((mark.doc_id, mark.sentence_idx));
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(found, expected, "{annotator}'s marks");
    }
    assert_eq!(store.document_count().unwrap(), 45);
    assert!(store.integrity_problems().unwrap().is_empty());
}

/// The disk fills up in the middle of a bulk import (a small tmpfs in a private mount
/// namespace): a clear message, exit code 1, the database exactly as before, still readable.
#[test]
fn a_full_disk_during_a_bulk_import_leaves_the_database_as_it_was() {
    let sandbox = seeded();
    let db = annotated_copy(&sandbox, "full.db");
    let before = {
        let scratch = tempfile::tempdir().unwrap();
        let copy = scratch.path().join("copy.db");
        std::fs::copy(&db, &copy).unwrap();
        dump(&copy)
    };
    let input = sandbox.path("bulk");
    for i in 0..200 {
        sandbox.write(
            &format!("bulk/{i:03}.txt"),
            format!(
                "خبر رقم {i}\n{}",
                format!("قال المتحدث {i} إن المفاوضات مستمرة. ").repeat(400)
            ),
        );
    }
    // Room for the database and a little more: the import (about 12 MB) cannot fit.
    let size_k = std::fs::metadata(&db).unwrap().len() / 1024 + 1024;
    let script = format!(
        "set -u\nmount -t tmpfs -o size={size_k}k tmpfs \"$MNT\" || exit 90\n\
         cp \"$SRC\" \"$MNT/full.db\" || exit 91\n\
         \"$ISNAD\" --db \"$MNT/full.db\" import --quiet \"$INPUT\" > \"$OUT/import.out\" 2> \"$OUT/import.err\"\n\
         echo $? > \"$OUT/import.code\"\n\
         \"$ISNAD\" --db \"$MNT/full.db\" docs > \"$OUT/docs.out\" 2> \"$OUT/docs.err\"\n\
         echo $? > \"$OUT/docs.code\"\n\
         for f in \"$MNT\"/full.db*; do cp \"$f\" \"$OUT/\"; done\n"
    );
    let mnt = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let isnad = isnad_bin();
    let Some(output) = in_private_mounts(
        &script,
        &[
            ("MNT", mnt.path()),
            ("SRC", &db),
            ("OUT", out.path()),
            ("ISNAD", &isnad),
            ("INPUT", &input),
        ],
    ) else {
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap_or_default();
    assert_eq!(read("import.code").trim(), "1", "{}", read("import.err"));
    let message = read("import.err");
    assert!(
        message.contains("the disk is full")
            && message.contains("nothing was half-written")
            && message.contains("full.db"),
        "{message}"
    );
    assert_eq!(read("docs.code").trim(), "0", "{}", read("docs.err"));
    assert_eq!(read("docs.out").lines().count(), 5);
    // Reopened elsewhere (WAL recovery included): exactly the rows it had.
    let after = out.path().join("full.db");
    let store = store::open(&Location::from(&after), Access::ReadWrite).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
    drop(store);
    assert_eq!(before, dump(&after));
    let _ = seeds_dir();
}
