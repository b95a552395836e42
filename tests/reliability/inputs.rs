//! The bad-input matrix: every kind of broken or hostile file through the real binary —
//! `isnad import` and `isnad import-claims` — gives either a correct import (the text
//! exactly as it was written, whatever its encoding) or a clear error naming the file (and
//! the line), an exit code ≠ 0 and a database whose every row is unchanged.
//!
//! Already covered elsewhere and not repeated: re-encoded seeds give identical sentences
//! (`tests/cli/import.rs::windows_1256_and_utf16_copies_give_identical_sentences`), a folder
//! with a symlink loop is walked once (`…::folders_are_walked_and_good_files_survive_bad_neighbours`),
//! a JSONL id clash refuses the whole file (`…::jsonl_records_with_ids_metadata_and_reimport`),
//! claim records with wrong offsets are rejected by line
//! (`tests/cli/claims.rs::bad_records_are_rejected_one_by_one_with_their_line`).

use std::path::PathBuf;

use crate::common::{
    annotate, assert_refused, dump, run_prefixed, seeded, tool_missing, unprivileged, utf16,
};
use crate::util::{Sandbox, jsonl};

const ARTICLE: &str =
    "عنوان الخبر\nقال المبعوث الروسي إن بلاده مستعدة للحوار. وأضاف أن الحل سياسي!\n";

/// The article with its title made unique (each imported case is its own document).
fn article(tag: &str) -> String {
    ARTICLE.replace("الخبر", &format!("الخبر {tag}"))
}

/// How one input must come out.
enum Expect {
    /// Imported, decoded from this encoding, the stored text exactly `text`.
    Imported {
        encoding: &'static str,
        text: String,
    },
    /// Refused: these parts in the message (the file name is always required).
    Refused(Vec<&'static str>),
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    args: Vec<&'static str>,
    expect: Expect,
}

fn case(name: &'static str, bytes: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        args: Vec::new(),
        expect,
    }
}

fn refused(parts: &[&'static str]) -> Expect {
    Expect::Refused(parts.to_vec())
}

fn imported(encoding: &'static str, text: &str) -> Expect {
    Expect::Imported {
        encoding,
        text: text.to_owned(),
    }
}

/// The files of the matrix for `isnad import` (paths that are not plain files come later).
fn import_cases() -> Vec<Case> {
    let cp1256_text = article("أ");
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&cp1256_text);
    assert!(!unmappable);
    let (le_bom, be_bom, le, be) = (article("ب"), article("ت"), article("ث"), article("ج"));
    let mut damaged = ARTICLE.as_bytes().to_vec();
    let second_line = ARTICLE.find('\n').unwrap() + 5;
    damaged[second_line] = 0xFF;
    let jsonl_article = format!(
        "{}\n",
        serde_json::json!({"id": "utf16-jsonl", "text": "قال الوزير إن الاتفاق قريب."})
    );
    let huge_metadata = format!(
        "{}\n",
        serde_json::json!({"id": "huge-metadata", "text": "نص قصير.", "extra": "م".repeat(3_000_000)})
    );
    let huge_text_value = "قال الرئيس إن الحل قريب. ".repeat(100_000);
    let huge_text = format!(
        "{}\n",
        serde_json::json!({"id": "huge-text", "text": huge_text_value})
    );
    let deep = format!(
        "{{\"text\": \"نص.\", \"extra\": {}{}}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    vec![
        case(
            "damaged.txt",
            damaged,
            refused(&["invalid UTF-8 at line 2", "--encoding"]),
        ),
        case(
            "cp1256.txt",
            cp1256.into_owned(),
            imported("windows-1256", &cp1256_text),
        ),
        case(
            "utf16le-bom.txt",
            utf16(&le_bom, false, true),
            imported("utf-16le (BOM)", &le_bom),
        ),
        case(
            "utf16be-bom.txt",
            utf16(&be_bom, true, true),
            imported("utf-16be (BOM)", &be_bom),
        ),
        case(
            "utf16le-nobom.txt",
            utf16(&le, false, false),
            imported("utf-16le (no BOM)", &le),
        ),
        case(
            "utf16be-nobom.txt",
            utf16(&be, true, false),
            imported("utf-16be (no BOM)", &be),
        ),
        case(
            "utf16le-nobom.jsonl",
            utf16(&jsonl_article, false, false),
            imported("utf-16le (no BOM)", "قال الوزير إن الاتفاق قريب."),
        ),
        case(
            "picture.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec(),
            refused(&["not a text file", "PNG image"]),
        ),
        case("empty.txt", Vec::new(), refused(&["the file is empty"])),
        case("empty.jsonl", Vec::new(), refused(&["the file is empty"])),
        case(
            "blank.txt",
            b" \t\r\n\n  \r\n".to_vec(),
            refused(&["only whitespace"]),
        ),
        case(
            "blank.jsonl",
            b"\n\n   \n".to_vec(),
            refused(&["only whitespace"]),
        ),
        case(
            "nul.txt",
            "سطر أول\nسطر\0 ثان\n".as_bytes().to_vec(),
            refused(&["NUL bytes", "line 2"]),
        ),
        case(
            "controls.txt",
            "abc\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}".repeat(20),
            refused(&["control characters", "line 1"]),
        ),
        case(
            "one-broken-line.jsonl",
            "{\"id\": \"b1\", \"text\": \"نص أول.\"}\n{\"id\": \"b2\", \"text\": \"نص\n{\"id\": \"b3\", \"text\": \"نص ثالث.\"}\n",
            refused(&["line 2: invalid JSON", "nothing of this file was imported"]),
        ),
        case(
            "types.jsonl",
            concat!(
                "{\"text\": 5}\n",
                "{\"text\": \"a\", \"id\": [1]}\n",
                "{\"text\": \"a\", \"title\": {\"x\": 1}}\n",
                "{\"text\": \"a\", \"url\": true}\n",
                "\"just a string\"\n",
                "null\n",
                "{\"title\": \"no text\"}\n",
                "{\"text\": \"a\", \"id\": 1.5}\n",
            ),
            refused(&[
                "8 broken line(s)",
                "line 1: \"text\" must be a string, found a number",
                "line 2: \"id\" must be a string or an integer, found an array",
                "line 3: \"title\" must be a string, found an object",
                "line 4: \"url\" must be a string, found a boolean",
                "line 5: expected a JSON object",
                "and 3 more",
            ]),
        ),
        case(
            "huge-title.jsonl",
            format!(
                "{}\n",
                serde_json::json!({"text": "نص.", "title": "ع".repeat(2_000_000)})
            ),
            refused(&["line 1: \"title\" is 2000000 characters long (at most 1000)"]),
        ),
        case(
            "huge-id.jsonl",
            format!(
                "{}\n",
                serde_json::json!({"text": "نص.", "id": "x".repeat(300)})
            ),
            refused(&["line 1: \"id\" must be at most 256 characters"]),
        ),
        case(
            "huge-metadata.jsonl",
            huge_metadata,
            imported("utf-8", "نص قصير."),
        ),
        case(
            "huge-text.jsonl",
            huge_text,
            imported("utf-8", &huge_text_value),
        ),
        case(
            "deep.jsonl",
            deep,
            refused(&["line 1: invalid JSON", "recursion limit"]),
        ),
        case(
            "nul-in-json.jsonl",
            "{\"text\": \"a\\u0000b\"}\n",
            refused(&["line 1: \"text\" contains NUL characters"]),
        ),
        case(
            "surrogate.jsonl",
            "{\"text\": \"a\\ud800b\"}\n",
            refused(&["line 1: invalid JSON"]),
        ),
        Case {
            name: "forced-wrong.txt",
            bytes: encoding_rs::WINDOWS_1256.encode(ARTICLE).0.into_owned(),
            args: vec!["--encoding", "utf-8"],
            expect: refused(&["invalid UTF-8"]),
        },
        Case {
            name: "forced-unknown.txt",
            bytes: ARTICLE.as_bytes().to_vec(),
            args: vec!["--encoding", "klingon"],
            expect: refused(&["unknown encoding label \"klingon\""]),
        },
        case(
            "notes.docx",
            b"PK\x03\x04 zipped".to_vec(),
            refused(&["unsupported file type"]),
        ),
    ]
}

/// Every file of the matrix on its own, against an annotated database.
#[test]
fn import_bad_input_matrix() {
    let sandbox = seeded();
    annotate(&sandbox.db, "hala");
    let mut before = dump(&sandbox.db);
    let mut tried = 0;
    for case in import_cases() {
        tried += 1;
        let file = sandbox.write(&format!("in/{}", case.name), &case.bytes);
        let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "--quiet".into()];
        args.extend(case.args.iter().map(Into::into));
        args.push(file.clone().into());
        let run = sandbox.run(&args);
        match &case.expect {
            Expect::Refused(parts) => {
                assert_refused(&run, case.name, parts, &sandbox.db, &before);
            }
            Expect::Imported { encoding, text } => {
                assert_eq!(run.code, 0, "{}: {}", case.name, run.stderr);
                assert!(
                    run.stderr.contains("1 added") && run.stderr.contains(encoding),
                    "{}: {}",
                    case.name,
                    run.stderr
                );
                let conn = rusqlite::Connection::open(&sandbox.db).unwrap();
                let (stored, stored_encoding): (String, String) = conn
                    .query_row(
                        "SELECT text, encoding FROM documents WHERE origin LIKE ?1",
                        [format!("%{}%", case.name)],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .unwrap();
                assert!(
                    &stored == text,
                    "{}: the text was not kept as is",
                    case.name
                );
                assert_eq!(&stored_encoding, encoding, "{}", case.name);
                before = dump(&sandbox.db);
            }
        }
    }
    let problems = isnad::store::open(
        &isnad::store::Location::from(&sandbox.db),
        isnad::store::Access::ReadWrite,
    )
    .unwrap()
    .integrity_problems()
    .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    eprintln!("import matrix: {tried} inputs");
}

/// Paths that are not plain readable files: missing, a symlink loop, a folder loop, a FIFO
/// (opening it would wait forever), a device (it never ends), an unreadable file, an empty
/// folder. None hangs; each is named with what is wrong.
#[cfg(unix)]
#[test]
fn import_paths_that_are_not_plain_files() {
    use std::os::unix::fs::symlink;
    let sandbox = seeded();
    let before = dump(&sandbox.db);
    let dir = sandbox.path("paths");
    std::fs::create_dir_all(dir.join("empty-folder")).unwrap();
    symlink(dir.join("loop-b.txt"), dir.join("loop-a.txt")).unwrap();
    symlink(dir.join("loop-a.txt"), dir.join("loop-b.txt")).unwrap();
    symlink("/dev/zero", dir.join("zero.txt")).unwrap();
    let fifo = dir.join("fifo.txt");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases: Vec<(PathBuf, &str, Vec<&str>)> = vec![
        (dir.join("missing.txt"), "missing.txt", vec!["no such file"]),
        (dir.join("loop-a.txt"), "loop-a.txt", vec!["symlink loop"]),
        (dir.join("zero.txt"), "zero.txt", vec!["not a regular file"]),
        (
            dir.join("empty-folder"),
            "empty-folder",
            vec!["no .txt or .jsonl file found"],
        ),
    ];
    if made_fifo {
        cases.push((fifo, "fifo.txt", vec!["not a regular file"]));
    } else {
        tool_missing("the FIFO case needs `mkfifo` (coreutils), which failed or is missing");
    }
    for (path, name, parts) in &cases {
        let run = run_with_timeout(&sandbox, &["import".as_ref(), path.as_os_str()]);
        assert_refused(&run, name, parts, &sandbox.db, &before);
        let claims = run_with_timeout(&sandbox, &["import-claims".as_ref(), path.as_os_str()]);
        let parts: &[&str] = if *name == "empty-folder" {
            &["it is a folder"]
        } else {
            parts
        };
        assert_refused(&claims, name, parts, &sandbox.db, &before);
    }
    // An unreadable file, run as a user the permissions apply to.
    let locked = sandbox.write("paths/locked.txt", ARTICLE);
    if let Some(prefix) = unprivileged(&sandbox) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        for command in ["import", "import-claims"] {
            let args: Vec<std::ffi::OsString> = vec![
                "--db".into(),
                sandbox.db.clone().into(),
                command.into(),
                locked.clone().into(),
            ];
            let run = run_prefixed(&prefix, &args);
            assert_refused(
                &run,
                "locked.txt",
                &["permission denied"],
                &sandbox.db,
                &before,
            );
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::remove_file(&locked).unwrap();
    // A folder holding the loop, the device and the FIFO: each named, nothing read.
    let run = run_with_timeout(&sandbox, &["import".as_ref(), dir.as_os_str()]);
    assert_refused(
        &run,
        "zero.txt",
        &["symlink loop", "not a regular file"],
        &sandbox.db,
        &before,
    );
}

/// Runs the binary, killing it (and failing) if it takes more than a minute: a hang is a
/// failure, not a stuck CI job.
fn run_with_timeout(sandbox: &Sandbox, args: &[&std::ffi::OsStr]) -> crate::util::Run {
    use std::io::Read;
    let mut child = std::process::Command::new(crate::util::isnad_bin())
        .arg("--db")
        .arg(&sandbox.db)
        .args(args)
        .env_remove("ISNAD_DB")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stdout = String::new();
            let mut stderr = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut stdout)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return crate::util::Run {
                code: status.code().unwrap_or(-1),
                stdout,
                stderr,
            };
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("isnad {args:?} hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A 50 MB line without a single punctuation mark: imported, cut into sentences no longer
/// than the segmenter's limit (so the reading view never lays out 50 MB at once), tiling the
/// text, with a short title.
#[test]
fn a_fifty_megabyte_line_without_punctuation() {
    let sandbox = Sandbox::new();
    let words = [
        "كلمة",
        "عربية",
        "طويلة",
        "بلا",
        "ترقيم",
        "news",
        "text",
        "٢٠٢٤",
    ];
    let mut line = String::with_capacity(50 * 1024 * 1024 + 16);
    let mut i = 0usize;
    while line.len() < 50 * 1024 * 1024 {
        line.push_str(words[i % words.len()]);
        line.push(' ');
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    let line = line.trim_end().to_owned();
    let file = sandbox.write("huge.txt", &line);
    let run = sandbox
        .run(["import".as_ref(), "--quiet".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("1 added"), "{}", run.stderr);
    let conn = rusqlite::Connection::open(&sandbox.db).unwrap();
    let (title_chars, text_chars, same): (i64, i64, bool) = conn
        .query_row(
            "SELECT length(title), length(text), text = ?1 FROM documents",
            [&line],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(same, "the text is stored exactly");
    assert!(title_chars <= 121, "title of {title_chars} characters");
    let (count, longest, covered): (i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), max(end_char - start_char), sum(end_char - start_char) FROM sentences",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(
        longest <= isnad::corpus::segment::MAX_SENTENCE_CHARS as i64,
        "{longest}"
    );
    // Sentences tile the text: only the single spaces at the cuts are left out.
    assert_eq!(covered + count - 1, text_chars);
}

// ---------------------------------------------------------------------------------------------
// import-claims

/// A database with the seeds, and the claims export of an annotated copy of it.
fn claims_setup() -> (Sandbox, String) {
    let source = seeded();
    annotate(&source.db, "hala");
    let exported = source
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert_eq!(jsonl(&exported).len(), 3);
    (seeded(), exported)
}

#[test]
fn import_claims_bad_input_matrix() {
    let (target, exported) = claims_setup();
    let before = dump(&target.db);
    let mut damaged = exported.as_bytes().to_vec();
    let second_line = exported.find('\n').unwrap() + 40;
    damaged[second_line] = 0xFE;
    let huge_line = "كلمة ".repeat(6_000_000);
    let mut nul = exported.as_bytes().to_vec();
    nul[exported.find('\n').unwrap() + 3] = 0;
    let mut tried = 0;
    let refusals: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("damaged.jsonl", damaged, vec!["invalid UTF-8 at line 2"]),
        (
            "picture.jsonl",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            vec!["PNG image"],
        ),
        ("empty.jsonl", Vec::new(), vec!["the file is empty"]),
        (
            "blank.jsonl",
            b"\n \n\t\n".to_vec(),
            vec!["only whitespace"],
        ),
        (
            "huge-line.jsonl",
            huge_line.into_bytes(),
            vec![":1: not a claim record", "0 claims"],
        ),
        ("nul.jsonl", nul, vec!["NUL bytes", "line 2"]),
        (
            "types.jsonl",
            b"{\"type\": \"claim\", \"sentence_index\": \"3\"}\n[1]\n\"x\"\n".to_vec(),
            vec![
                // Pre-annotations need few fields; those missing are named.
                "types.jsonl:1: missing required fields: doc_id, stance",
                "types.jsonl:2: not a claim record",
                "types.jsonl:3: not a claim record",
            ],
        ),
    ];
    for (name, bytes, parts) in refusals {
        tried += 1;
        let file = target.write(name, &bytes);
        let run = target.run(["import-claims".as_ref(), file.as_os_str()]);
        assert_refused(&run, name, &parts, &target.db, &before);
    }

    // Correct imports from every encoding: the same records come back out.
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&exported);
    assert!(!unmappable);
    for (name, bytes) in [
        ("cp1256.jsonl", cp1256.into_owned()),
        ("utf16le-bom.jsonl", utf16(&exported, false, true)),
        ("utf16be-nobom.jsonl", utf16(&exported, true, false)),
        ("utf8.jsonl", exported.as_bytes().to_vec()),
    ] {
        tried += 1;
        let fresh = seeded();
        let file = fresh.write(name, &bytes);
        let run = fresh
            .run(["import-claims".as_ref(), file.as_os_str()])
            .expect_code(0);
        assert!(
            run.stderr
                .contains("2 claims and 1 no-claim marks imported, 0 records rejected"),
            "{name}: {}",
            run.stderr
        );
        let again = fresh
            .run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout;
        assert_eq!(again, exported, "{name}");
    }
    eprintln!("import-claims matrix: {tried} inputs");
}

/// One broken line among good ones: the good records come in and the broken one is named
/// (records are independent); with `--strict` nothing comes in and the exit code is 1.
#[test]
fn import_claims_one_broken_line_and_strict_all_or_nothing() {
    let (target, exported) = claims_setup();
    let mut lines: Vec<String> = exported.lines().map(str::to_owned).collect();
    lines.insert(1, "{\"type\": \"claim\", \"doc_id\": ".into());
    let file = target.write("one-broken.jsonl", lines.join("\n"));
    let before = dump(&target.db);
    let strict = target.run([
        "import-claims".as_ref(),
        "--strict".as_ref(),
        file.as_os_str(),
    ]);
    assert_refused(
        &strict,
        "one-broken.jsonl",
        &[
            "one-broken.jsonl:2: not a claim record",
            "nothing was imported",
        ],
        &target.db,
        &before,
    );
    let run = target
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr
            .contains("one-broken.jsonl:2: not a claim record")
            && run
                .stderr
                .contains("2 claims and 1 no-claim marks imported, 1 records rejected"),
        "{}",
        run.stderr
    );
}

/// Records that parse but must not be stored: labels outside the project's schema, and a
/// claim id that is another annotator's claim (storing it would overwrite their label).
#[test]
fn import_claims_never_overwrites_another_annotators_label() {
    let sandbox = seeded();
    annotate(&sandbox.db, "hala");
    let exported = sandbox
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let records = jsonl(&exported);
    // The same claim ids, now claimed by "mallory" with another stance.
    let mut hijack = records[0].clone();
    hijack["annotator"] = "mallory".into();
    hijack["stance"] = "against".into();
    let mut unknown_stance = records[1].clone();
    unknown_stance["claim_id"] = "fresh-id".into();
    unknown_stance["stance"] = "banana'); DROP TABLE claims; --".into();
    let mut unknown_type = records[1].clone();
    unknown_type["claim_id"] = "fresh-id-2".into();
    unknown_type["claim_type"] = "nonsense".into();
    let file = sandbox.write(
        "hostile.jsonl",
        format!("{hijack}\n{unknown_stance}\n{unknown_type}\n"),
    );
    let before = dump(&sandbox.db);
    let run = sandbox.run(["import-claims".as_ref(), file.as_os_str()]);
    assert_refused(
        &run,
        "hostile.jsonl",
        &[
            "hostile.jsonl:1: claim_id",
            "is a claim of annotator \"hala\", not \"mallory\"",
            "hostile.jsonl:2: stance \"banana'); DROP TABLE claims; --\" is not in this project's label schema",
            "hostile.jsonl:3: claim_type \"nonsense\" is not in this project's label schema",
        ],
        &sandbox.db,
        &before,
    );
    // Imported as mallory's copy (--annotator), the claim gets its own id and hala's claim
    // stays as it was.
    sandbox
        .run([
            "import-claims".as_ref(),
            "--annotator".as_ref(),
            "mallory".as_ref(),
            sandbox
                .write("copy.jsonl", format!("{}\n", records[0]))
                .as_os_str(),
        ])
        .expect_code(0);
    let hala = jsonl(
        &sandbox
            .run(["export", "--what", "claims", "--annotator", "hala"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(hala, records, "hala's labels are untouched");
}
