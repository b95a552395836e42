//! Helpers shared by the reliability tests: seeded and annotated sandboxes, a raw dump of
//! every table (to prove "the database content unchanged"), and the checks on a refusal.

#![allow(
    dead_code,
    reason = "each test module uses a different subset of the helpers"
)]

use std::path::Path;

use isnad::domain::Span;
use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{self, Access, Location, Store};

use crate::util::{Run, Sandbox, isnad_bin, seeds_dir};

/// A sandbox whose database holds the five seeds and the starter registry.
pub fn seeded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    sandbox.run(["entities", "--load-starter"]).expect_code(0);
    sandbox
}

/// The id of the seed whose title contains `needle`.
pub fn seed_id(store: &dyn Store, needle: &str) -> String {
    store
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: needle,
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone()
}

/// A span of the current sentence holding `needle`.
pub fn span_of(ws: &Workspace, needle: &str) -> Span {
    let doc = ws.document().unwrap();
    let sentence = doc.sentence().unwrap();
    let byte = sentence.text.find(needle).unwrap();
    let start = sentence.start + sentence.text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

/// Two confirmed claims and a "no claim" mark on seed 001, by `annotator`, through the model.
pub fn annotate(db: &Path, annotator: &str) {
    let mut store = store::open(&Location::from(db), Access::ReadWrite).unwrap();
    project::load_starter_registry(&mut *store).unwrap();
    let doc_id = seed_id(&*store, "روسيا تبدي");
    let mut ws = Workspace::new(store, annotator).unwrap();
    ws.apply(Intent::OpenDocument {
        doc_id,
        sentence: Some(2),
    })
    .unwrap();
    for (role, needle) in [(Role::Speaker, "روسيا"), (Role::Target, "المعارضة")] {
        let span = span_of(&ws, needle);
        ws.apply(Intent::SetSpan { role, span }).unwrap();
    }
    ws.apply(Intent::SetStance("favor".into())).unwrap();
    ws.apply(Intent::SetNote("ملاحظة \"مقتبسة\"; with a comma".into()))
        .unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();
    ws.apply(Intent::GoToSentence(3)).unwrap();
    for (role, needle) in [
        (Role::Speaker, "ألكسندر لافرنتيف"),
        (Role::Target, "المعارضة"),
    ] {
        let span = span_of(&ws, needle);
        ws.apply(Intent::SetSpan { role, span }).unwrap();
    }
    ws.apply(Intent::SetStance("neutral".into())).unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();
    ws.apply(Intent::GoToSentence(5)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
}

/// Every row of every table, sorted, as text: two equal dumps mean the database content is
/// the same (reading time and the undo log included).
pub fn dump(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |row| {
                let mut fields = Vec::with_capacity(columns);
                for i in 0..columns {
                    let value: rusqlite::types::Value = row.get(i)?;
                    fields.push(format!("{value:?}"));
                }
                Ok(fields.join("\t"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push_str(&format!("== {table} ({} rows)\n", rows.len()));
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

/// Short account of how two dumps differ (the first lines that differ).
pub fn dump_diff(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let mut out = Vec::new();
    for line in &a {
        if !b.contains(line) && out.len() < 6 {
            out.push(format!("- {}", shorten(line)));
        }
    }
    for line in &b {
        if !a.contains(line) && out.len() < 12 {
            out.push(format!("+ {}", shorten(line)));
        }
    }
    out.join("\n")
}

fn shorten(line: &str) -> String {
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// A refusal as the campaign requires it: exit code ≠ 0, a message naming the file and
/// saying what is wrong, and not a byte of the database changed.
#[track_caller]
pub fn assert_refused(run: &Run, file: &str, expected: &[&str], db: &Path, before: &str) {
    assert_ne!(
        run.code, 0,
        "{file}: exit code 0 for a refused input\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(file),
        "{file}: the message does not name the file:\n{}",
        run.stderr
    );
    for part in expected {
        assert!(
            run.stderr.contains(part),
            "{file}: expected {part:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("panicked"),
        "{file}: panic\n{}",
        run.stderr
    );
    let after = dump(db);
    assert!(
        before == after,
        "{file} changed the database:\n{}",
        dump_diff(before, &after)
    );
}

/// UTF-16 bytes of a text, little or big endian, with or without a byte-order mark.
pub fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// True when file permissions are enforced for this process (not root).
pub fn permissions_enforced(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join(".permission-probe");
        std::fs::write(&probe, "x").unwrap();
        std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
        let enforced = std::fs::read(&probe).is_err();
        std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o600)).unwrap();
        let _ = std::fs::remove_file(&probe);
        enforced
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// True when the tests run in CI (`CI` set to anything but `false`/`0`, as CI services do).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.trim(), "" | "false" | "0"))
}

/// A test case cannot run because a system tool is missing or refused to work (`why` says
/// which and what it is needed for). On a developer's machine the case is skipped with a
/// message; under `CI=true` the test fails instead, since `.ci/run` installs the tools and a
/// case that silently does not run is a case that silently passes.
pub fn tool_missing(why: &str) {
    assert!(
        !in_ci(),
        "{why}\nCI=true, so this is a failure rather than a skipped case: .ci/run installs \
         the tools these tests need (util-linux: unshare, setpriv; coreutils: mkfifo) and \
         checks that they work; run it, or install them, or unset CI to skip the case locally"
    );
    eprintln!("skipped: {why}");
}

/// How to run isnad as a user whose file permissions are enforced: directly when this
/// process is not root; as `nobody` through `setpriv` when it is (the sandbox is handed to
/// `nobody` first). `None` (after [`tool_missing`]) when neither is possible.
pub fn unprivileged(sandbox: &Sandbox) -> Option<Vec<String>> {
    if permissions_enforced(sandbox.dir.path()) {
        return Some(Vec::new());
    }
    #[cfg(unix)]
    {
        let prefix: Vec<String> = [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
        .map(String::from)
        .to_vec();
        let works = std::process::Command::new(&prefix[0])
            .args(&prefix[1..])
            .arg(isnad_bin())
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if works {
            let mut stack = vec![sandbox.dir.path().to_path_buf()];
            while let Some(path) = stack.pop() {
                std::os::unix::fs::lchown(&path, Some(65534), Some(65534)).unwrap();
                if path.is_dir() && !path.is_symlink() {
                    for entry in std::fs::read_dir(&path).unwrap() {
                        stack.push(entry.unwrap().path());
                    }
                }
            }
            return Some(prefix);
        }
    }
    tool_missing(
        "this process ignores file permissions (root) and cannot run isnad as another user \
         (`setpriv --reuid=65534 --regid=65534 --clear-groups isnad --version` failed; \
         setpriv is in util-linux)",
    );
    None
}

/// Runs `isnad ARGS` behind `prefix` (see [`unprivileged`]).
pub fn run_prefixed(prefix: &[String], args: &[std::ffi::OsString]) -> Run {
    let mut command = match prefix.split_first() {
        Some((program, rest)) => {
            let mut c = std::process::Command::new(program);
            c.args(rest).arg(isnad_bin());
            c
        }
        None => std::process::Command::new(isnad_bin()),
    };
    let output = command
        .args(args)
        .env_remove("ISNAD_DB")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// This test binary, to re-execute as a child process. On Linux `/proc/self/exe`, which
/// stays valid when cargo rebuilds the file during a long soak.
pub fn this_test_binary() -> std::path::PathBuf {
    let proc_self = Path::new("/proc/self/exe");
    if proc_self.exists() {
        proc_self.to_path_buf()
    } else {
        std::env::current_exe().unwrap()
    }
}
