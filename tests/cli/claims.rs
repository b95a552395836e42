//! Claims out and back in: `export --what claims` and `import-claims` round trip, offsets,
//! per-record rejection, re-attribution to another annotator.

use isnad::domain::Span;
use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{self, Access, Location};

use crate::util::{Sandbox, jsonl, seeds_dir, slice_chars};

/// Annotates seed 001 through the model (the same calls the app makes).
fn annotate(sandbox: &Sandbox) {
    let mut store = store::open(&Location::from(&sandbox.db), Access::ReadWrite).unwrap();
    project::load_starter_registry(&mut *store).unwrap();
    let mut ws = Workspace::new(store, "hala").unwrap();
    let doc_id = ws
        .store()
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "روسيا تبدي",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone();
    let span = |ws: &Workspace, needle: &str| {
        let doc = ws.document().unwrap();
        let sentence = doc.sentence().unwrap();
        let byte = sentence.text.find(needle).unwrap();
        let start = sentence.start + sentence.text[..byte].chars().count();
        Span::new(start, start + needle.chars().count())
    };
    ws.apply(Intent::OpenDocument {
        doc_id: doc_id.clone(),
        sentence: Some(2),
    })
    .unwrap();
    let s = span(&ws, "روسيا");
    ws.apply(Intent::SetSpan {
        role: Role::Speaker,
        span: s,
    })
    .unwrap();
    let t = span(&ws, "المعارضة");
    ws.apply(Intent::SetSpan {
        role: Role::Target,
        span: t,
    })
    .unwrap();
    let c = span(&ws, "أبدت");
    ws.apply(Intent::SetSpan {
        role: Role::Cue,
        span: c,
    })
    .unwrap();
    let m = span(&ws, "استعدادها للتعاون مع المعارضة");
    ws.apply(Intent::SetSpan {
        role: Role::Content,
        span: m,
    })
    .unwrap();
    ws.apply(Intent::SetStance("favor".into())).unwrap();
    ws.apply(Intent::SetNote("ملاحظة \"مقتبسة\", with a comma".into()))
        .unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();

    // Sentence 4: "وأضاف أن الدول الضامنة…" — implicit speaker.
    ws.apply(Intent::GoToSentence(4)).unwrap();
    let lavrentiev = ws
        .registry()
        .by_name("Alexander Lavrentiev")
        .unwrap()
        .entity
        .id
        .clone();
    ws.apply(Intent::SetImplicitEntity {
        role: Role::Speaker,
        entity_id: lavrentiev,
    })
    .unwrap();
    let t = span(&ws, "الدول الضامنة");
    ws.apply(Intent::SetSpan {
        role: Role::Target,
        span: t,
    })
    .unwrap();
    ws.apply(Intent::SetStance("neutral".into())).unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();

    ws.apply(Intent::GoToSentence(5)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
}

fn seeded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    sandbox
}

#[test]
fn exported_claims_point_at_exactly_their_text_and_round_trip_losslessly() {
    let first = seeded();
    annotate(&first);
    let exported = first
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let records = jsonl(&exported);
    assert_eq!(records.len(), 3, "{exported}");
    let docs = jsonl(
        &first
            .run(["export", "--what", "documents"])
            .expect_code(0)
            .stdout,
    );
    for record in &records {
        let doc = docs.iter().find(|d| d["id"] == record["doc_id"]).unwrap();
        let text = doc["text"].as_str().unwrap();
        for role in ["speaker", "target", "cue", "claim"] {
            let part = &record[role];
            assert!(part.is_object(), "{role} is always an object");
            if let (Some(start), Some(end)) = (part["start"].as_u64(), part["end"].as_u64()) {
                assert_eq!(
                    slice_chars(text, start as usize, end as usize),
                    part["text"].as_str().unwrap()
                );
            }
        }
        assert!(record["schema_hash"].as_str().unwrap().len() == 64);
    }
    assert_eq!(records[0]["type"], "claim");
    assert_eq!(records[0]["speaker"]["text"], "روسيا");
    assert_eq!(records[0]["speaker"]["entity"], "Russia");
    assert_eq!(records[0]["target"]["text"], "المعارضة");
    assert_eq!(records[0]["cue"]["entity"], serde_json::Value::Null);
    assert_eq!(records[0]["stance"], "favor");
    assert_eq!(records[1]["speaker"]["entity"], "Alexander Lavrentiev");
    assert_eq!(
        records[1]["speaker"]["start"],
        serde_json::Value::Null,
        "implicit speaker"
    );
    assert_eq!(records[2]["type"], "no_claim");
    assert_eq!(records[2]["sentence_index"], 5);

    // Into a fresh database (same documents, no registry): the same export comes out.
    let second = seeded();
    let file = second.write("claims.jsonl", &exported);
    let run = second
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr
            .contains("2 claims and 1 no-claim marks imported, 0 records rejected"),
        "{}",
        run.stderr
    );
    let again = second
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert_eq!(again, exported, "round trip is lossless");
    // Importing twice changes nothing.
    second
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert_eq!(
        second
            .run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
        exported
    );

    // CSV has one column per role field.
    let csv_text = first
        .run(["export", "--what", "claims", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "speaker_text"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
}

#[test]
fn bad_records_are_rejected_one_by_one_with_their_line() {
    let first = seeded();
    annotate(&first);
    let exported = first
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let mut lines: Vec<String> = exported.lines().map(str::to_owned).collect();
    // Line 1: shift the speaker by one character: the text no longer matches.
    let mut broken: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    broken["speaker"]["start"] = (broken["speaker"]["start"].as_u64().unwrap() + 1).into();
    broken["speaker"]["end"] = (broken["speaker"]["end"].as_u64().unwrap() + 1).into();
    lines[0] = broken.to_string();
    lines.push("{\"type\": \"claim\"}".into());
    lines.push(r#"{"type": "no_claim", "doc_id": "nope", "sentence_index": 0, "annotator": "x", "claim_id": null, "stance": null, "claim_type": null, "speaker": {"entity": null, "text": null, "start": null, "end": null}, "target": {"entity": null, "text": null, "start": null, "end": null}, "cue": {"entity": null, "text": null, "start": null, "end": null}, "claim": {"entity": null, "text": null, "start": null, "end": null}, "note": "", "lead_time_s": 0, "created_at": "x", "updated_at": "x", "schema_version": 1}"#.into());
    let second = seeded();
    let file = second.write("claims.jsonl", lines.join("\n"));
    let run = second
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr.contains("claims.jsonl:1: speaker: offsets"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not \"روسيا\""), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("claims.jsonl:4: missing required fields: doc_id, sentence_index"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("claims.jsonl:5: no document \"nope\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 claims and 1 no-claim marks imported, 3 records rejected"),
        "{}",
        run.stderr
    );
    second
        .run([
            "import-claims".as_ref(),
            "--strict".as_ref(),
            file.as_os_str(),
        ])
        .expect_code(1);
}

#[test]
fn pre_annotations_come_in_as_another_annotator() {
    let first = seeded();
    annotate(&first);
    let exported = first
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let file = first.write("claims.jsonl", &exported);
    first
        .run([
            "import-claims".as_ref(),
            file.as_os_str(),
            "--annotator".as_ref(),
            "model-v1".as_ref(),
        ])
        .expect_code(0);
    let mine = jsonl(
        &first
            .run(["export", "--what", "claims", "--annotator", "hala"])
            .expect_code(0)
            .stdout,
    );
    let model = jsonl(
        &first
            .run(["export", "--what", "claims", "--annotator", "model-v1"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(
        mine.len(),
        3,
        "the original annotator's claims are untouched"
    );
    assert_eq!(model.len(), 3);
    assert_ne!(mine[0]["claim_id"], model[0]["claim_id"]);
    assert_eq!(mine[0]["speaker"], model[0]["speaker"]);
}

/// The seed "نصر الحريري يكشف…" (stable id), its text, and the code-point span of `needle`
/// in sentence `index`.
fn locate(sandbox: &Sandbox, index: usize, needle: &str) -> (usize, usize) {
    let sentences = jsonl(
        &sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    );
    let sentence = sentences
        .iter()
        .find(|s| s["doc_id"] == HARIRI && s["index"] == index)
        .unwrap();
    let text = sentence["text"].as_str().unwrap();
    let byte = text.find(needle).unwrap();
    let start = sentence["start"].as_u64().unwrap() as usize + text[..byte].chars().count();
    (start, start + needle.chars().count())
}

const HARIRI: &str = "84e982cc28d456d5";

/// Pre-annotations need only doc_id, sentence_index, stance, speaker, target (and annotator,
/// unless --annotator): everything else may be missing or null and gets its default; missing
/// required fields are named per line; another label schema is refused.
#[test]
fn minimal_pre_annotations_are_accepted_with_defaults() {
    let sandbox = seeded();
    let (s, e) = locate(&sandbox, 3, "نصر الحريري");
    let (ms, me) = locate(&sandbox, 3, "عن حوار");
    let hash = "0".repeat(64);
    let lines = [
        // 1: the minimum.
        format!(
            r#"{{"doc_id": "{HARIRI}", "sentence_index": 3, "stance": "against", "speaker": {{"start": {s}, "end": {e}}}, "target": {{"entity": "Bashar al-Assad"}}}}"#
        ),
        // 2: optional fields given as null, a claim span without its text, an annotator.
        format!(
            r#"{{"type": null, "doc_id": "{HARIRI}", "sentence_index": 3, "annotator": "hand", "claim_id": null, "stance": "favor", "claim_type": null, "speaker": {{"entity": "Nasr al-Hariri", "entity_type": "person", "text": "نصر الحريري", "start": {s}, "end": {e}}}, "target": {{"entity": "Russia", "text": null, "start": null, "end": null}}, "cue": null, "claim": {{"start": {ms}, "end": {me}}}, "note": null, "lead_time_s": null, "created_at": null, "updated_at": null, "schema_version": null, "schema_hash": null}}"#
        ),
        // 3: stance and target missing, speaker null.
        format!(r#"{{"doc_id": "{HARIRI}", "sentence_index": 3, "speaker": null}}"#),
        // 4: another label schema.
        format!(
            r#"{{"doc_id": "{HARIRI}", "sentence_index": 3, "stance": "favor", "speaker": {{"entity": "Russia"}}, "target": {{"entity": "Iran"}}, "schema_hash": "{hash}"}}"#
        ),
        // 5: another schema version.
        format!(
            r#"{{"doc_id": "{HARIRI}", "sentence_index": 3, "stance": "favor", "speaker": {{"entity": "Russia"}}, "target": {{"entity": "Iran"}}, "schema_version": 99}}"#
        ),
        // 6: a "no claim" sentence needs no stance, speaker or target.
        format!(r#"{{"type": "no_claim", "doc_id": "{HARIRI}", "sentence_index": 4}}"#),
        // 7: nothing but a document.
        format!(r#"{{"doc_id": "{HARIRI}"}}"#),
        // 8: a misspelt field is not dropped silently.
        format!(
            r#"{{"doc_id": "{HARIRI}", "sentence_index": 3, "stance": "favor", "speaker": {{"entity": "Russia"}}, "target": {{"entity": "Iran"}}, "claim_typ": "demand"}}"#
        ),
    ];
    let file = sandbox.write("pre.jsonl", lines.join("\n"));

    // Without --annotator, the record without one is named.
    let run = sandbox
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr
            .contains("pre.jsonl:1: missing required field: annotator (or pass --annotator)"),
        "{}",
        run.stderr
    );
    sandbox.run(["export", "--what", "claims"]).expect_code(0);

    let fresh = seeded();
    let file = fresh.write("pre.jsonl", lines.join("\n"));
    let import = || {
        fresh
            .run([
                "import-claims".as_ref(),
                file.as_os_str(),
                "--annotator".as_ref(),
                "model-v1".as_ref(),
            ])
            .expect_code(0)
    };
    let run = import();
    let err = &run.stderr;
    for expected in [
        "pre.jsonl:3: missing required fields: stance, speaker, target",
        "pre.jsonl:4: schema_hash",
        "pre.jsonl:5: schema_version 99",
        "pre.jsonl:7: missing required fields: sentence_index, stance, speaker, target",
        "pre.jsonl:8: unknown field \"claim_typ\"",
        "2 claims and 1 no-claim marks imported, 5 records rejected",
    ] {
        assert!(err.contains(expected), "expected {expected:?}:\n{err}");
    }
    assert!(
        err.contains("this project's label schema"),
        "the schema message says why: {err}"
    );
    assert!(
        !err.contains("pre.jsonl:1:") && !err.contains("pre.jsonl:6:"),
        "{err}"
    );
    let exported = fresh
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let records = jsonl(&exported);
    assert_eq!(records.len(), 3, "{exported}");
    let project_hash = records[0]["schema_hash"].as_str().unwrap().to_owned();
    assert_eq!(project_hash.len(), 64);
    let first = records
        .iter()
        .find(|r| r["stance"] == "against")
        .expect("line 1");
    assert_eq!(first["type"], "claim");
    assert_eq!(first["annotator"], "model-v1");
    assert!(!first["claim_id"].as_str().unwrap().is_empty());
    assert_eq!(first["speaker"]["text"], "نصر الحريري");
    assert_eq!(first["target"]["entity"], "Bashar al-Assad");
    assert_eq!(first["target"]["start"], serde_json::Value::Null);
    for role in ["cue", "claim"] {
        for part in ["entity", "text", "start", "end"] {
            assert_eq!(first[role][part], serde_json::Value::Null, "{role}.{part}");
        }
    }
    assert_eq!(first["note"], "");
    assert_eq!(first["lead_time_s"], 0.0);
    assert_eq!(first["claim_type"], serde_json::Value::Null);
    assert_eq!(first["schema_version"], 1);
    let created = first["created_at"].as_str().unwrap();
    assert!(
        created.starts_with("20") && created.ends_with('Z'),
        "{created}"
    );
    assert_eq!(first["updated_at"], first["created_at"]);
    let second = records.iter().find(|r| r["stance"] == "favor").unwrap();
    assert_eq!(second["claim"]["text"], "عن حوار");
    assert_eq!(second["speaker"]["entity"], "Nasr al-Hariri");
    assert_eq!(second["speaker"]["entity_type"], "person");
    let no_claim = records.iter().find(|r| r["type"] == "no_claim").unwrap();
    assert_eq!(no_claim["sentence_index"], 4);
    assert_eq!(no_claim["schema_hash"], project_hash.as_str());

    // Importing the same file again changes nothing (generated ids are stable).
    import();
    assert_eq!(
        fresh
            .run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
        exported
    );
}

/// The active time spent building a claim (idle gaps left out) is stored with it and reaches
/// the export, JSON Lines and CSV.
#[test]
fn lead_time_reaches_the_export() {
    let sandbox = seeded();
    {
        let mut store = store::open(&Location::from(&sandbox.db), Access::ReadWrite).unwrap();
        project::load_starter_registry(&mut *store).unwrap();
        let mut ws = Workspace::new(store, "hala").unwrap();
        ws.apply(Intent::OpenDocument {
            doc_id: HARIRI.into(),
            sentence: Some(3),
        })
        .unwrap();
        let t0 = std::time::Instant::now();
        ws.note_input(t0);
        let (s, e) = locate(&sandbox, 3, "نصر الحريري");
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: Span::new(s, e),
        })
        .unwrap();
        ws.note_input(t0 + std::time::Duration::from_secs(4));
        ws.apply(Intent::SetStance("against".into())).unwrap();
        // Away for ten minutes: idle, not counted.
        ws.note_input(t0 + std::time::Duration::from_secs(604));
        let (ts, te) = locate(&sandbox, 3, "روسيا");
        ws.note_input(t0 + std::time::Duration::from_secs(607));
        ws.apply(Intent::SetSpan {
            role: Role::Target,
            span: Span::new(ts, te),
        })
        .unwrap();
        ws.apply(Intent::ConfirmClaim).unwrap();
    }
    let records = jsonl(
        &sandbox
            .run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(records.len(), 1);
    let lead_time = records[0]["lead_time_s"].as_f64().unwrap();
    assert!((lead_time - 7.0).abs() < 1e-6, "lead_time_s {lead_time}");
    let csv_text = sandbox
        .run(["export", "--what", "claims", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "lead_time_s")
        .unwrap();
    let row = reader.records().next().unwrap().unwrap();
    let value: f64 = row[column].parse().unwrap();
    assert!((value - 7.0).abs() < 1e-6, "{value}");
}
