//! Claims out and back in: `export --what claims` and `import-claims` round trip, offsets,
//! per-record rejection, re-attribution to another annotator.

use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{Span, Store};

use crate::util::{Sandbox, jsonl, seeds_dir, slice_chars};

/// Annotates seed 001 through the model (the same calls the app makes).
fn annotate(sandbox: &Sandbox) {
    let mut store = Store::open(&sandbox.db).unwrap();
    project::load_starter_registry(&mut store).unwrap();
    let mut ws = Workspace::new(store, "hala").unwrap();
    let doc_id = ws
        .store()
        .document_summaries(&isnad::store::DocumentListQuery {
            text: "روسيا تبدي",
            status: isnad::store::StatusFilter::All,
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
    lines.push(r#"{"type": "no_claim", "doc_id": "nope", "sentence_index": 0, "annotator": "x", "claim_id": null, "stance": null, "claim_type": null, "speaker": {"entity": null, "text": null, "start": null, "end": null}, "target": {"entity": null, "text": null, "start": null, "end": null}, "cue": {"entity": null, "text": null, "start": null, "end": null}, "claim": {"entity": null, "text": null, "start": null, "end": null}, "note": "", "lead_time_s": 0, "created_at": "x", "updated_at": "x", "schema_version": 1, "schema_hash": "x"}"#.into());
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
        run.stderr.contains("claims.jsonl:4: not a claim record"),
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
