//! Fuzzing that runs in CI: proptest targets for the importer (any bytes, and valid files
//! in every encoding with random byte damage), the segmenter (long texts with rare spaces,
//! controls and marks), the bidi layout (hostile mixes at any width and direction) and
//! `import-claims` (valid records with fields replaced by random values, and random damage
//! to the lines). The invariants are in `invariants.rs`, shared with the cargo-fuzz targets
//! under `fuzz/` (longer runs: see RELIABILITY.md).
//!
//! Every case found is kept in `tests/fixtures/reliability/corpus/TARGET/` and replayed by
//! `the_corpus_of_found_cases_still_passes` (proptest also keeps its own seeds of failures
//! in `proptest-regressions/`). The segmenter's own proptests (`src/corpus/segment.rs`) and
//! the layout's (`src/text/layout_tests.rs`) are not repeated here.

use std::path::Path;
use std::sync::OnceLock;

use isnad::corpus::reader::InputFormat;
use proptest::prelude::*;

use crate::invariants::{
    check_import_claims, check_layout, check_read, check_segmentation, claims_store,
};

/// Cases per target: `ISNAD_FUZZ_CASES` (the soak script raises it), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("ISNAD_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The five seed articles.
fn seeds() -> Vec<&'static str> {
    isnad::seeds::SEED_ARTICLES
        .iter()
        .map(|(_, text)| *text)
        .collect()
}

/// A valid input file: a seed (possibly as JSONL) in one of the encodings Isnad reads.
fn valid_file() -> impl Strategy<Value = (Vec<u8>, InputFormat)> {
    (0usize..5, 0usize..5, any::<bool>()).prop_map(|(seed, encoding, jsonl)| {
        let text = seeds()[seed];
        let (text, format) = if jsonl {
            (
                format!(
                    "{}\n{}\n",
                    serde_json::json!({"id": seed, "text": text}),
                    serde_json::json!({"text": text.chars().take(text.chars().count() / 2).collect::<String>()})
                ),
                InputFormat::Jsonl,
            )
        } else {
            (text.to_owned(), InputFormat::Txt)
        };
        let bytes = match encoding {
            0 => text.into_bytes(),
            1 => {
                let mut b = vec![0xEF, 0xBB, 0xBF];
                b.extend_from_slice(text.as_bytes());
                b
            }
            2 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            3 => {
                let mut b = vec![0xFE, 0xFF];
                b.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
                b
            }
            _ => encoding_rs::WINDOWS_1256.encode(&text).0.into_owned(),
        };
        (bytes, format)
    })
}

/// Random damage: bytes overwritten, inserted, removed; the file cut short.
fn damage() -> impl Strategy<Value = Vec<(u8, usize, u8)>> {
    prop::collection::vec((0u8..4, any::<usize>(), any::<u8>()), 0..12)
}

fn apply_damage(bytes: &mut Vec<u8>, edits: &[(u8, usize, u8)]) {
    for &(kind, at, value) in edits {
        if bytes.is_empty() {
            bytes.push(value);
            continue;
        }
        let at = at % bytes.len();
        match kind {
            0 => bytes[at] = value,
            1 => bytes.insert(at, value),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
}

/// Text built from the pieces that stress segmentation and layout, in long runs.
fn hostile_text(max_runs: usize, max_repeat: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "كلمة",
        "ب\u{0651}",
        "a",
        "Z",
        " ",
        "  ",
        ".",
        "؟",
        "!",
        "…",
        "،",
        "د.",
        "3.5",
        "\n",
        "\r\n",
        "\u{2028}",
        "\t",
        "\u{202E}",
        "\u{202C}",
        "\u{2067}",
        "\u{2069}",
        "\u{200B}",
        "\u{200D}",
        "\u{200F}",
        "\u{FEFF}",
        "\u{0651}",
        "\u{064B}",
        "\u{0301}",
        "(",
        ")",
        "«",
        "»",
        "\"",
        "'",
        "[",
        "]",
        "١٢",
        "42",
        "👨\u{200D}👩",
        "🇸🇾",
        "ـ",
        "https://x.y/?a=1!",
        "\u{0085}",
        "\u{000C}",
        "\u{FFFD}",
        "\u{E000}",
        "漢",
        "א",
    ]);
    prop::collection::vec((pieces, 1usize..max_repeat), 1..max_runs).prop_map(|runs| {
        runs.into_iter()
            .map(|(piece, count)| piece.repeat(count))
            .collect()
    })
}

/// A claims export of annotations on the seeds (made once), to mutate.
fn exported_claims() -> &'static Vec<serde_json::Value> {
    static RECORDS: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        use isnad::model::{Intent, Role, Workspace};
        let store = claims_store();
        let mut ws = Workspace::new(store, "hala").unwrap();
        let mut docs = Vec::new();
        ws.store()
            .for_each_document(&mut |row| {
                docs.push(row.id);
                Ok(())
            })
            .unwrap();
        let russia = ws.registry().by_name("Russia").unwrap().entity.id.clone();
        for (i, doc_id) in docs.iter().enumerate() {
            ws.apply(Intent::OpenDocument {
                doc_id: doc_id.clone(),
                sentence: Some(1 + i % 3),
            })
            .unwrap();
            let sentence = ws.document().unwrap().sentence().unwrap().clone();
            let span = isnad::domain::Span::new(sentence.start, sentence.start + 4);
            ws.apply(Intent::SetSpan {
                role: Role::Speaker,
                span,
            })
            .unwrap();
            ws.apply(Intent::SetSpan {
                role: Role::Content,
                span: isnad::domain::Span::new(sentence.start + 1, sentence.end),
            })
            .unwrap();
            for role in [Role::Speaker, Role::Target] {
                ws.apply(Intent::SetEntity {
                    role,
                    entity_id: russia.clone(),
                })
                .unwrap();
            }
            ws.apply(Intent::SetStance("favor".into())).unwrap();
            ws.apply(Intent::ConfirmClaim).unwrap();
            ws.apply(Intent::GoToSentence(0)).unwrap();
            ws.apply(Intent::ToggleNoClaim).unwrap();
        }
        let request = isnad::export::ExportRequest {
            what: isnad::export::What::Claims,
            format: isnad::export::Format::Jsonl,
            annotator: None,
            gold_split: None,
        };
        let mut out = Vec::new();
        isnad::export::export(ws.store(), &request, &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    })
}

/// A JSON value of any type, hostile strings and numbers at the edges included.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1e12f64..1e12).prop_map(serde_json::Value::from),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(0)),
        ".{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::json!("'); DROP TABLE claims; --")),
        Just(serde_json::json!("\u{202E}روسيا\u{202C}")),
        Just(serde_json::json!([1, "a"])),
        Just(serde_json::json!({"entity": null, "text": null, "start": 5, "end": 2})),
        Just(serde_json::json!({"entity": "Russia", "text": null, "start": null, "end": null})),
        Just(
            serde_json::json!({"entity": "كيان جديد", "entity_type": "person", "text": "x", "start": 0, "end": 1})
        ),
    ]
}

/// Claim records with random fields replaced, and random damage to their lines.
fn claims_file() -> impl Strategy<Value = String> {
    let fields = prop::sample::select(vec![
        "type",
        "doc_id",
        "sentence_index",
        "annotator",
        "claim_id",
        "stance",
        "claim_type",
        "speaker",
        "target",
        "cue",
        "claim",
        "note",
        "lead_time_s",
        "created_at",
        "schema_version",
        "extra",
    ]);
    (
        prop::collection::vec((any::<prop::sample::Index>(), fields, any_json()), 0..6),
        damage(),
        any::<bool>(),
    )
        .prop_map(|(edits, bytes_damage, drop_some)| {
            let mut records = exported_claims().clone();
            for (index, field, value) in edits {
                let record = index.get_mut(&mut records);
                if field == "extra" {
                    record["extra"] = value;
                } else if let Some(role) = ["speaker", "target", "cue", "claim"]
                    .iter()
                    .find(|r| **r == field)
                    && value.is_i64()
                {
                    if !record[*role].is_object() {
                        record[*role] = serde_json::json!({});
                    }
                    record[*role]["start"] = value.clone();
                    record[*role]["end"] = serde_json::json!(value.as_i64().unwrap_or(0) + 3);
                } else {
                    record[field] = value;
                }
            }
            if drop_some {
                records.truncate(records.len() / 2 + 1);
            }
            let mut text: Vec<u8> = records
                .iter()
                .map(|r| format!("{r}\n"))
                .collect::<String>()
                .into_bytes();
            apply_damage(&mut text, &bytes_damage);
            String::from_utf8_lossy(&text).into_owned()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    #[test]
    fn reading_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048), jsonl in any::<bool>()) {
        check_read(&bytes, if jsonl { InputFormat::Jsonl } else { InputFormat::Txt });
    }

    #[test]
    fn reading_damaged_valid_files((bytes, format) in valid_file(), edits in damage()) {
        let mut bytes = bytes;
        apply_damage(&mut bytes, &edits);
        check_read(&bytes, format);
    }

    #[test]
    fn segmenting_long_hostile_text(text in hostile_text(14, 3_000)) {
        check_segmentation(&text);
    }

    #[test]
    fn laying_out_hostile_text(text in hostile_text(24, 6), width in 1usize..60, direction in 0u8..3) {
        let direction = match direction {
            0 => None,
            1 => Some(isnad::text::TextDirection::Rtl),
            _ => Some(isnad::text::TextDirection::Ltr),
        };
        check_layout(&text, width, direction);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(40)))]

    #[test]
    fn importing_mutated_claim_records(text in claims_file()) {
        let mut store = claims_store();
        check_import_claims(&mut *store, &text);
    }
}

/// Replays every case kept in `tests/fixtures/reliability/corpus/`: `read-txt/`,
/// `read-jsonl/` (raw bytes), `segment/`, `layout/` (UTF-8 text), `import-claims/` (JSONL).
#[test]
fn the_corpus_of_found_cases_still_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reliability/corpus");
    let mut replayed = 0;
    for target in [
        "read-txt",
        "read-jsonl",
        "segment",
        "layout",
        "import-claims",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let text = || String::from_utf8_lossy(&bytes).into_owned();
            let run = std::panic::catch_unwind(|| match target {
                "read-txt" => check_read(&bytes, InputFormat::Txt),
                "read-jsonl" => check_read(&bytes, InputFormat::Jsonl),
                "segment" => check_segmentation(&text()),
                "layout" => {
                    use isnad::text::TextDirection::{Ltr, Rtl};
                    for width in [1, 2, 7, 40] {
                        for direction in [None, Some(Rtl), Some(Ltr)] {
                            check_layout(&text(), width, direction);
                        }
                    }
                }
                _ => check_import_claims(&mut *claims_store(), &text()),
            });
            assert!(run.is_ok(), "corpus case {} fails again", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 8, "only {replayed} corpus cases");
}
