//! `isnad suggest` (proposed claims as claims JSONL) and `isnad cues` (cue forms annotators
//! marked that the cue list lacks; the project's own cues), on the seed articles.

use crate::util::{Sandbox, jsonl, seeds_dir, slice_chars};

fn seeded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    sandbox
}

/// Document id → text, from `export --what documents`.
fn texts(sandbox: &Sandbox) -> std::collections::HashMap<String, String> {
    jsonl(
        &sandbox
            .run(["export", "--what", "documents", "-q"])
            .expect_code(0)
            .stdout,
    )
    .into_iter()
    .map(|d| {
        (
            d["id"].as_str().unwrap().to_owned(),
            d["text"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

#[test]
fn proposals_point_at_their_text_and_import_as_another_annotator() {
    let sandbox = seeded();
    sandbox.run(["entities", "--load-starter"]).expect_code(0);
    let run = sandbox.run(["suggest"]).expect_code(0);
    let records = jsonl(&run.stdout);
    assert!(
        records.len() >= 40,
        "{} proposals on the seeds",
        records.len()
    );
    assert!(
        run.stderr
            .contains(&format!("{} proposed claims", records.len()))
    );
    let texts = texts(&sandbox);
    let mut implicit = 0;
    for record in &records {
        assert_eq!(record["annotator"], "isnad-suggest");
        assert_eq!(record["type"], "claim");
        let text = &texts[record["doc_id"].as_str().unwrap()];
        for role in ["speaker", "target", "cue", "claim"] {
            let part = &record[role];
            if let (Some(start), Some(end)) = (part["start"].as_u64(), part["end"].as_u64()) {
                assert_eq!(
                    part["text"].as_str().unwrap(),
                    slice_chars(text, start as usize, end as usize),
                    "{role} of {record}"
                );
            }
        }
        assert!(
            record["cue"]["text"].is_string(),
            "every proposal has its cue"
        );
        if record["speaker"]["start"].is_null() && record["speaker"]["entity"].is_string() {
            implicit += 1;
            assert!(
                record["note"]
                    .as_str()
                    .unwrap()
                    .contains("implicit speaker")
            );
        }
    }
    assert!(implicit >= 5, "{implicit} implicit speakers on the seeds");
    // The Lavrentiev sentence of seed 001: speaker phrase → the name, linked to the starter
    // entity; content after "إن".
    let lavrentiev = records
        .iter()
        .find(|r| r["cue"]["text"] == "وقال" && r["speaker"]["entity"] == "Alexander Lavrentiev")
        .expect("Lavrentiev's claim");
    assert!(
        lavrentiev["claim"]["text"]
            .as_str()
            .unwrap()
            .starts_with("إن")
    );

    let file = sandbox.path("proposals.jsonl");
    sandbox
        .run(["suggest".as_ref(), "--out".as_ref(), file.as_os_str()])
        .expect_code(0);
    let without_times = |text: &str| {
        jsonl(text)
            .into_iter()
            .map(|mut r| {
                r["created_at"] = serde_json::Value::Null;
                r["updated_at"] = serde_json::Value::Null;
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without_times(&std::fs::read_to_string(&file).unwrap()),
        without_times(&run.stdout)
    );
    let imported = sandbox
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    // Proposals with no target candidate (or no speaker found) are named and skipped.
    let open = |r: &serde_json::Value, role: &str| {
        r[role]["entity"].is_null() && r[role]["start"].is_null()
    };
    let without_target = records
        .iter()
        .filter(|r| open(r, "target") || open(r, "speaker"))
        .count();
    assert!(
        without_target < records.len() / 2,
        "{without_target} of {}",
        records.len()
    );
    assert_eq!(
        imported
            .stderr
            .matches("has neither an entity nor a span")
            .count(),
        without_target,
        "{}",
        imported.stderr
    );
    let exported = jsonl(
        &sandbox
            .run([
                "export",
                "--what",
                "claims",
                "--annotator",
                "isnad-suggest",
                "-q",
            ])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(exported.len(), records.len() - without_target);
}

#[test]
fn one_document_and_bad_requests() {
    let sandbox = seeded();
    let texts = texts(&sandbox);
    let id = texts.keys().min().unwrap().clone();
    let one = jsonl(
        &sandbox
            .run(["suggest", "--doc", &id, "--annotator", "rules-v1"])
            .expect_code(0)
            .stdout,
    );
    assert!(!one.is_empty());
    assert!(
        one.iter()
            .all(|r| r["doc_id"] == id.as_str() && r["annotator"] == "rules-v1")
    );
    let missing = sandbox
        .run(["suggest", "--doc", "no-such-doc"])
        .expect_code(1);
    assert!(missing.stderr.contains("no-such-doc"), "{}", missing.stderr);
    let blank = sandbox.run(["suggest", "--annotator", " "]).expect_code(1);
    assert!(blank.stderr.contains("--annotator"), "{}", blank.stderr);
}

#[test]
fn cue_forms_annotators_mark_are_proposed_and_become_project_cues() {
    let sandbox = seeded();
    let texts = texts(&sandbox);
    // A claim whose cue is a word no cue entry lists: "استطرد" (went on), in a sentence we
    // add as a document of our own.
    let text = "عنوان\nواستطرد الوزير أن روسيا لن تتراجع.";
    let doc = sandbox.write(
        "own.jsonl",
        format!("{}\n", serde_json::json!({"id": "own", "text": text})),
    );
    sandbox
        .run(["import".as_ref(), doc.as_os_str()])
        .expect_code(0);
    assert!(!texts.contains_key("own"));
    let start = text[..text.find("واستطرد").unwrap()].chars().count();
    let claim = serde_json::json!({
        "doc_id": "own", "sentence_index": 1, "annotator": "hala", "stance": "against",
        "speaker": {"entity": "Minister", "entity_type": "person"},
        "target": {"entity": "Russia", "entity_type": "state"},
        "cue": {"text": "واستطرد", "start": start, "end": start + 7},
    });
    let claims = sandbox.write("claims.jsonl", format!("{claim}\n"));
    sandbox
        .run(["import-claims".as_ref(), claims.as_os_str()])
        .expect_code(0);

    let listed = sandbox.run(["cues"]).expect_code(0);
    assert!(
        listed.stdout.contains("lemma = \"استطرد\""),
        "{}",
        listed.stdout
    );
    assert!(
        listed.stdout.contains("1 confirmed claim(s)"),
        "{}",
        listed.stdout
    );
    assert!(listed.stderr.contains("1 cue form(s)"), "{}", listed.stderr);

    // A file that repeats a built-in form is refused, naming it; nothing changes.
    let bad = sandbox.write(
        "bad.toml",
        "[[cue]]\nlemma = \"قال مرة أخرى\"\nforms = [\"قال\"]\n",
    );
    let refused = sandbox
        .run(["cues".as_ref(), "--add".as_ref(), bad.as_os_str()])
        .expect_code(1);
    assert!(refused.stderr.contains("bad.toml"), "{}", refused.stderr);
    assert!(refused.stderr.contains("قال"), "{}", refused.stderr);
    assert_eq!(sandbox.run(["cues", "--show"]).expect_code(0).stdout, "");

    let good = sandbox.write("project-cues.toml", &listed.stdout);
    sandbox
        .run(["cues".as_ref(), "--add".as_ref(), good.as_os_str()])
        .expect_code(0);
    assert!(
        sandbox
            .run(["cues", "--show"])
            .expect_code(0)
            .stdout
            .contains("استطرد")
    );
    let after = sandbox.run(["cues"]).expect_code(0);
    assert!(!after.stdout.contains("استطرد"), "{}", after.stdout);
    let proposals = jsonl(
        &sandbox
            .run(["suggest", "--doc", "own"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(proposals.len(), 1, "the project's cue is used at once");
    assert_eq!(proposals[0]["cue"]["text"], "واستطرد");
    assert_eq!(proposals[0]["speaker"]["text"], "الوزير");
}

/// A document of `lines` (a title first, one sentence a line) as import JSONL.
fn document(id: &str, lines: &[String]) -> (String, String) {
    let text = lines.join("\n");
    (
        text.clone(),
        format!("{}\n", serde_json::json!({"id": id, "text": text})),
    )
}

/// The code-point range of `part` in `text`, searched from the start of line `line`.
fn range_in(text: &str, line: usize, part: &str) -> (usize, usize) {
    let line_start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
    let byte = line_start + text[line_start..].find(part).unwrap();
    let start = text[..byte].chars().count();
    (start, start + part.chars().count())
}

#[test]
fn once_enough_claims_are_confirmed_suggest_writes_the_learnt_stance() {
    let sandbox = Sandbox::new();
    let said = |i: usize| {
        if i.is_multiple_of(2) {
            "إن بلاده تدعم الحكومة السورية في خطتها"
        } else {
            "إن بلاده تعارض الحكومة السورية في خطتها"
        }
    };
    let mut lines = vec!["عنوان".to_owned()];
    lines.extend((0..40).map(|i| format!("وقال الوزير رقم{i} {}.", said(i))));
    let (text, file) = document("train", &lines);
    let mut new = vec!["عنوان آخر".to_owned()];
    new.extend((0..4).map(|i| format!("وقال السفير رقم{i} {}.", said(i))));
    let (_, new_file) = document("new", &new);
    let docs = sandbox.write("docs.jsonl", file + &new_file);
    sandbox
        .run(["import".as_ref(), docs.as_os_str()])
        .expect_code(0);
    let before = jsonl(
        &sandbox
            .run(["suggest", "--doc", "new"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(before.len(), 4);
    assert!(
        before.iter().all(|r| r["stance"] == "unclear"),
        "nothing learnt yet"
    );

    let claims: String = (0..40)
        .map(|i| {
            let line = i + 1;
            let (cue_start, cue_end) = range_in(&text, line, "وقال");
            let (start, end) = range_in(&text, line, said(i));
            let claim = serde_json::json!({
                "doc_id": "train", "sentence_index": line, "annotator": "hala",
                "stance": if i.is_multiple_of(2) { "favor" } else { "against" },
                "speaker": {"entity": format!("Minister {i}"), "entity_type": "person"},
                "target": {"entity": "Syrian government", "entity_type": "organisation"},
                "cue": {"text": "وقال", "start": cue_start, "end": cue_end},
                "claim": {"text": said(i), "start": start, "end": end},
            });
            format!("{claim}\n")
        })
        .collect();
    let claims = sandbox.write("claims.jsonl", claims);
    sandbox
        .run(["import-claims".as_ref(), claims.as_os_str()])
        .expect_code(0);

    let after = jsonl(
        &sandbox
            .run(["suggest", "--doc", "new"])
            .expect_code(0)
            .stdout,
    );
    assert_eq!(after.len(), 4);
    for (i, record) in after.iter().enumerate() {
        let expected = if i.is_multiple_of(2) {
            "favor"
        } else {
            "against"
        };
        assert_eq!(record["stance"], expected, "{record}");
        let note = record["note"].as_str().unwrap();
        assert!(note.contains("stance predicted (p="), "{note}");
        assert!(note.contains("trained on 40 claims"), "{note}");
    }
}
