//! `isnad import`: seeds, encodings, re-import, bad input.

use crate::util::{Sandbox, jsonl, seeds_dir};

#[test]
fn seeds_import_cleanly_and_reimport_changes_nothing() {
    let sandbox = Sandbox::new();
    let first = sandbox.run(["import", "--quiet"]).expect_code(2);
    assert!(first.stderr.contains("PATH"), "{}", first.stderr);

    let run = sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr.contains("5 added, 0 already present, 0 failed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("encodings: utf-8 ×5"), "{}", run.stderr);
    let before = sandbox.content_snapshot();

    let again = sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    assert!(
        again
            .stderr
            .contains("0 added, 5 already present, 0 failed"),
        "{}",
        again.stderr
    );
    assert_eq!(before, sandbox.content_snapshot());

    let docs = sandbox.run(["docs"]).expect_code(0);
    assert_eq!(docs.stdout.lines().count(), 5, "{}", docs.stdout);
    assert!(
        docs.stdout.contains("نصر الحريري يكشف عن حوار هام"),
        "{}",
        docs.stdout
    );
}

/// Seed 000 re-encoded: every copy must give the same document id and the same sentences.
#[test]
fn windows_1256_and_utf16_copies_give_identical_sentences() {
    let seed = std::fs::read_to_string(seeds_dir().join("000_94999b6dfeaf2c9a.txt")).unwrap();
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&seed);
    assert!(!unmappable, "seed 000 is representable in Windows-1256");
    let mut utf16le = vec![0xFF, 0xFE];
    let mut utf16be = vec![0xFE, 0xFF];
    for unit in seed.encode_utf16() {
        utf16le.extend_from_slice(&unit.to_le_bytes());
        utf16be.extend_from_slice(&unit.to_be_bytes());
    }
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(seed.as_bytes());

    let reference = Sandbox::new();
    reference
        .run([
            "import".as_ref(),
            seeds_dir().join("000_94999b6dfeaf2c9a.txt").as_os_str(),
        ])
        .expect_code(0);
    let expected = reference
        .run(["export", "--what", "sentences"])
        .expect_code(0)
        .stdout;
    assert!(jsonl(&expected).len() > 20);

    for (name, bytes, encoding) in [
        ("cp1256.txt", cp1256.into_owned(), "windows-1256"),
        ("utf16le.txt", utf16le, "utf-16le (BOM)"),
        ("utf16be.txt", utf16be, "utf-16be (BOM)"),
        ("utf8bom.txt", utf8_bom, "utf-8 (BOM)"),
    ] {
        let sandbox = Sandbox::new();
        let file = sandbox.write(name, &bytes);
        let run = sandbox
            .run(["import".as_ref(), file.as_os_str()])
            .expect_code(0);
        assert!(
            run.stderr.contains(&format!("encodings: {encoding} ×1")),
            "{name}: {}",
            run.stderr
        );
        let sentences = sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout;
        assert_eq!(sentences, expected, "{name} gives other sentences");
        let docs = jsonl(
            &sandbox
                .run(["export", "--what", "documents"])
                .expect_code(0)
                .stdout,
        );
        assert_eq!(docs[0]["encoding"], encoding);
    }
}

#[test]
fn jsonl_records_with_ids_metadata_and_reimport() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "news.jsonl",
        concat!(
            r#"{"id": "a1", "title": "عنوان", "text": "قال الرئيس إن الحل قريب. وأضاف أن الوقت ينفد!", "source": "وكالة", "url": "https://example.com/a1", "published": "2020-07-17", "lang": "ar", "tags": ["سوريا"]}"#,
            "\n\n",
            r#"{"text": "نص بلا معرف."}"#,
            "\n"
        ),
    );
    let run = sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("2 added"), "{}", run.stderr);
    let docs = jsonl(
        &sandbox
            .run(["export", "--what", "documents"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(docs[0]["id"], "a1");
    assert_eq!(docs[0]["source"], "وكالة");
    assert_eq!(docs[0]["published"], "2020-07-17");
    let metadata: serde_json::Value =
        serde_json::from_str(docs[0]["metadata"].as_str().unwrap()).unwrap();
    assert_eq!(metadata["lang"], "ar");
    assert_eq!(metadata["tags"][0], "سوريا");
    assert_eq!(docs[1]["id"].as_str().unwrap().len(), 16, "generated id");
    assert_eq!(docs[1]["title"], "نص بلا معرف.");

    // Same id, different text: the whole file is refused, nothing of it stored.
    let before = sandbox.content_snapshot();
    let changed = sandbox.write(
        "changed.jsonl",
        concat!(
            r#"{"id": "new1", "text": "خبر جديد."}"#,
            "\n",
            r#"{"id": "a1", "text": "نص آخر تماماً."}"#,
            "\n"
        ),
    );
    let run = sandbox
        .run(["import".as_ref(), changed.as_os_str()])
        .expect_code(1);
    assert!(run.stderr.contains("\"a1\""), "{}", run.stderr);
    assert!(
        run.stderr.contains("already exists with a different text"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("changed.jsonl"), "{}", run.stderr);
    assert_eq!(before, sandbox.content_snapshot());
}

/// Each bad file: a clear message naming the file (and line), exit code 1, database unchanged.
#[test]
fn bad_inputs_are_refused_and_leave_the_database_as_it_was() {
    let sandbox = Sandbox::new();
    sandbox
        .run([
            "import".as_ref(),
            seeds_dir().join("001_27af32c0e69d882f.txt").as_os_str(),
        ])
        .expect_code(0);
    let before = sandbox.content_snapshot();
    let mut damaged_utf8 = "سطر أول سليم تماماً\nسطر ثان فيه خلل\n".as_bytes().to_vec();
    let second_line = "سطر أول سليم تماماً\n".len() + 4;
    damaged_utf8[second_line] = 0xFF;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(),
            "PNG image",
        ),
        ("empty.txt", Vec::new(), "empty"),
        ("blank.txt", b"  \n\t\r\n  ".to_vec(), "only whitespace"),
        (
            "nul.txt",
            b"some text\0\x01\x02 with NUL bytes\xff".to_vec(),
            "NUL bytes",
        ),
        ("damaged.txt", damaged_utf8, "invalid UTF-8 at line 2"),
        (
            "broken.jsonl",
            b"{\"text\": \"\xd9\x86\xd8\xb5 \"}\n{\"text\": \"x\"\n".to_vec(),
            "line 2: invalid JSON",
        ),
        (
            "types.jsonl",
            b"{\"text\": [\"a\"]}\n".to_vec(),
            "line 1: \"text\" must be a string",
        ),
        (
            "notes.docx",
            b"PK\x03\x04 zipped".to_vec(),
            "unsupported file type",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = sandbox.write(name, &bytes);
        let run = sandbox
            .run(["import".as_ref(), file.as_os_str()])
            .expect_code(1);
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{name}: expected {expected:?} in {}",
            run.stderr
        );
        assert_eq!(
            before,
            sandbox.content_snapshot(),
            "{name} changed the database"
        );
    }
    let missing = sandbox.run(["import", "no-such-file.txt"]).expect_code(1);
    assert!(
        missing.stderr.contains("no-such-file.txt: no such file"),
        "{}",
        missing.stderr
    );
}

#[test]
fn folders_are_walked_and_good_files_survive_bad_neighbours() {
    let sandbox = Sandbox::new();
    sandbox.write("in/a.txt", "عنوان أ\nقال الرئيس.\n");
    sandbox.write("in/sub/b.txt", "عنوان ب\nوأضاف الوزير!\n");
    sandbox.write("in/sub/bad.jsonl", "{oops\n");
    sandbox.write("in/readme.md", "not an article");
    #[cfg(unix)]
    std::os::unix::fs::symlink(sandbox.path("in"), sandbox.path("in/sub/loop")).unwrap();
    let run = sandbox
        .run(["import".as_ref(), sandbox.path("in").as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr.contains("2 added, 0 already present, 1 failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 other files skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("bad.jsonl: 1 broken line(s)"),
        "{}",
        run.stderr
    );
    let strict = sandbox
        .run([
            "import".as_ref(),
            "--strict".as_ref(),
            sandbox.path("in").as_os_str(),
        ])
        .expect_code(1);
    assert!(
        strict
            .stderr
            .contains("0 added, 2 already present, 1 failed"),
        "{}",
        strict.stderr
    );
}

/// (text, reason) of every sentence of the database, in export order.
fn sentences_with_reasons(sandbox: &Sandbox) -> Vec<(String, Option<String>)> {
    jsonl(
        &sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    )
    .iter()
    .map(|row| {
        (
            row["text"].as_str().unwrap().to_owned(),
            row["boilerplate_reason"].as_str().map(str::to_owned),
        )
    })
    .collect()
}

/// A made-up page of a made-up site: its chrome around a body of its own.
fn page(number: usize) -> String {
    format!(
        "خبر رقم {number} عن الطقس السياسي\nمنبر الساحل\nوصل الوفد رقم {number} إلى المدينة صباح اليوم بعد رحلة طويلة.\nوقال رئيس الوفد إن المحادثات ستبدأ غداً.\nركن القراء | اكتب لنا\n"
    )
}

#[test]
fn lines_repeated_across_the_run_are_flagged_and_body_is_not() {
    // Two pages: one read window.
    let sandbox = Sandbox::new();
    sandbox.write("site/a.txt", page(1));
    sandbox.write("site/b.txt", page(2));
    sandbox
        .run(["import".as_ref(), sandbox.path("site").as_os_str()])
        .expect_code(0);
    let sentences = sentences_with_reasons(&sandbox);
    let repeated: Vec<&str> = sentences
        .iter()
        .filter(|(_, reason)| reason.as_deref() == Some("repeated_line"))
        .map(|(text, _)| text.as_str())
        .collect();
    assert_eq!(
        repeated,
        [
            "منبر الساحل",
            "ركن القراء | اكتب لنا",
            "منبر الساحل",
            "ركن القراء | اكتب لنا"
        ]
    );
    assert!(
        sentences
            .iter()
            .filter(|(text, _)| text.starts_with("وقال") || text.starts_with("خبر"))
            .all(|(_, reason)| reason.is_none())
    );

    // One page alone repeats nothing.
    let alone = Sandbox::new();
    let file = alone.write("a.txt", page(1));
    alone
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        sentences_with_reasons(&alone)
            .iter()
            .all(|(_, r)| r.is_none())
    );
}

#[test]
fn repeated_lines_are_counted_over_every_read_window_of_the_run() {
    // More files than one read window holds (256): the chrome is counted over the whole run
    // before the first window is stored, so the pages of every window are flagged.
    let sandbox = Sandbox::new();
    for number in 0..300 {
        sandbox.write(&format!("site/{number:03}.txt"), page(number));
    }
    // A broken file in the middle: reported, the others still imported.
    sandbox.write("site/150b.txt", [0xFF, 0xFE, 0xD8]);
    let run = sandbox.run(["import".as_ref(), sandbox.path("site").as_os_str()]);
    assert!(
        run.stderr
            .contains("300 added, 0 already present, 1 failed"),
        "{}",
        run.stderr
    );
    let sentences = sentences_with_reasons(&sandbox);
    let repeated = sentences
        .iter()
        .filter(|(_, reason)| reason.as_deref() == Some("repeated_line"))
        .count();
    assert_eq!(repeated, 600);
}

#[test]
fn jsonl_documents_are_grouped_by_their_source() {
    let sandbox = Sandbox::new();
    let record = |id: &str, source: &str, number: usize| {
        serde_json::json!({"id": id, "source": source, "text": page(number)}).to_string()
    };
    let file = sandbox.write(
        "news.jsonl",
        [
            record("a", "الساحل", 1),
            record("b", "الساحل", 2),
            record("c", "الجبل", 3),
        ]
        .join("\n"),
    );
    sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    let sentences = sentences_with_reasons(&sandbox);
    let repeated = sentences
        .iter()
        .filter(|(_, reason)| reason.as_deref() == Some("repeated_line"))
        .count();
    // The two pages of one source, not the third page of another.
    assert_eq!(repeated, 4);
}
