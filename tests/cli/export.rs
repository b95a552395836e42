//! `isnad export`: offsets, formats, golden sentences of the seeds.

use crate::util::{Sandbox, fixture, jsonl, seeds_dir, slice_chars};

fn seeded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    sandbox
}

#[test]
fn sentence_offsets_index_the_document_text_in_code_points_and_tile_it() {
    let sandbox = seeded();
    let docs = jsonl(
        &sandbox
            .run(["export", "--what", "documents"])
            .expect_code(0)
            .stdout,
    );
    let sentences = jsonl(
        &sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(docs.len(), 5);
    for doc in &docs {
        let text = doc["text"].as_str().unwrap();
        let mine: Vec<_> = sentences
            .iter()
            .filter(|s| s["doc_id"] == doc["id"])
            .collect();
        assert_eq!(mine.len() as u64, doc["sentence_count"].as_u64().unwrap());
        let mut covered = 0usize;
        for (index, sentence) in mine.iter().enumerate() {
            assert_eq!(sentence["index"].as_u64().unwrap() as usize, index);
            let start = sentence["start"].as_u64().unwrap() as usize;
            let end = sentence["end"].as_u64().unwrap() as usize;
            assert_eq!(
                slice_chars(text, start, end),
                sentence["text"].as_str().unwrap()
            );
            let gap = slice_chars(text, covered, start);
            assert!(
                gap.chars().all(char::is_whitespace),
                "non-space gap {gap:?}"
            );
            covered = end;
        }
        assert!(
            slice_chars(text, covered, text.chars().count())
                .chars()
                .all(char::is_whitespace)
        );
    }
}

/// The seeds' sentences and boilerplate flags, checked by eye once and kept as a golden file.
/// Regenerate with `ISNAD_BLESS=1 cargo test` after a deliberate change, and read the diff.
#[test]
fn seed_sentences_match_the_golden_file() {
    let sandbox = seeded();
    let actual = sandbox
        .run(["export", "--what", "sentences"])
        .expect_code(0)
        .stdout;
    let golden = fixture("seeds_sentences.jsonl");
    if std::env::var_os("ISNAD_BLESS").is_some() {
        std::fs::write(&golden, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {} of {}", line + 1, golden.display());
    }
    assert_eq!(actual.lines().count(), expected.lines().count());
}

#[test]
fn csv_is_rfc4180_with_a_header_and_round_trips() {
    let sandbox = seeded();
    let csv_text = sandbox
        .run(["export", "--what", "sentences", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let lines: Vec<&str> = csv_text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "doc_id,index,start,end,text,boilerplate,boilerplate_reason"
    );
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let from_jsonl = jsonl(
        &sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(records.len(), from_jsonl.len());
    for (record, json) in records.iter().zip(&from_jsonl) {
        assert_eq!(&record[4], json["text"].as_str().unwrap());
        assert_eq!(
            &record[5],
            if json["boilerplate"].as_bool().unwrap() {
                "true"
            } else {
                "false"
            }
        );
    }
    // An empty database still gets a header.
    let empty = Sandbox::new();
    empty
        .run(["import".as_ref(), seeds_dir().join("nope.txt").as_os_str()])
        .expect_code(1);
    let header = empty
        .run(["export", "--what", "documents", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert!(header.starts_with("id,title,text,"), "{header}");
}

#[test]
fn export_to_a_file_is_atomic_and_complete() {
    let sandbox = seeded();
    let out = sandbox.path("docs.jsonl");
    sandbox
        .run([
            "export".as_ref(),
            "--what".as_ref(),
            "documents".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .expect_code(0);
    assert_eq!(jsonl(&std::fs::read_to_string(&out).unwrap()).len(), 5);
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

/// `--out dir/file` creates the missing folders, for every kind of export, the gold split and
/// its dataset card included (the README's own `--out dataset/gold.jsonl`).
#[test]
fn export_creates_the_missing_folder_of_out() {
    let sandbox = seeded();
    for (what, format, out) in [
        ("documents", "jsonl", "new/documents.jsonl"),
        ("sentences", "csv", "new/deeper/sentences.csv"),
        ("claims", "jsonl", "other/claims.jsonl"),
        ("gold", "jsonl", "dataset/gold.jsonl"),
    ] {
        let path = sandbox.path(out);
        sandbox
            .run([
                "export".as_ref(),
                "--what".as_ref(),
                what.as_ref(),
                "--format".as_ref(),
                format.as_ref(),
                "--out".as_ref(),
                path.as_os_str(),
            ])
            .expect_code(0);
        assert!(path.is_file(), "{out} was not written");
    }
    assert!(sandbox.path("dataset/gold.card.md").is_file());
    let split = sandbox.path("split/a/gold.jsonl");
    sandbox
        .run([
            "export".as_ref(),
            "--what".as_ref(),
            "gold".as_ref(),
            "--split".as_ref(),
            "--out".as_ref(),
            split.as_os_str(),
        ])
        .expect_code(0);
    for name in [
        "gold.train.jsonl",
        "gold.dev.jsonl",
        "gold.test.jsonl",
        "gold.card.md",
    ] {
        assert!(sandbox.path("split/a").join(name).is_file(), "{name}");
    }
    // A folder that cannot be made (a file is in the way) is an error naming the path, and
    // nothing is left behind.
    sandbox.write("blocked", "a file");
    let blocked = sandbox.path("blocked/inner/claims.jsonl");
    let run = sandbox.run([
        "export".as_ref(),
        "--what".as_ref(),
        "claims".as_ref(),
        "--out".as_ref(),
        blocked.as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("blocked"), "{}", run.stderr);
}
