//! Several annotators: assign packages, annotate them apart, merge back, measure agreement;
//! merge idempotence, conflicts, refused documents.

use std::path::Path;

use isnad::domain::Span;
use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{self, Access, Location};

use crate::util::{Sandbox, jsonl, seeds_dir};

/// A workspace on a database, positioned on seed 001 ("روسيا تبدي استعدادها…").
fn open_seed_001(db: &Path, annotator: &str) -> Workspace {
    let mut store = store::open(&Location::from(db), Access::ReadWrite).unwrap();
    project::load_starter_registry(&mut *store).unwrap();
    let mut ws = Workspace::new(store, annotator).unwrap();
    let id = ws
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
    ws.apply(Intent::OpenDocument {
        doc_id: id,
        sentence: Some(2),
    })
    .unwrap();
    ws
}

fn span(ws: &Workspace, needle: &str) -> Span {
    let doc = ws.document().unwrap();
    let sentence = doc.sentence().unwrap();
    let byte = sentence.text.find(needle).unwrap();
    let start = sentence.start + sentence.text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn claim(ws: &mut Workspace, sentence: usize, speaker: &str, target: &str, stance: &str) {
    ws.apply(Intent::GoToSentence(sentence)).unwrap();
    let s = span(ws, speaker);
    ws.apply(Intent::SetSpan {
        role: Role::Speaker,
        span: s,
    })
    .unwrap();
    let t = span(ws, target);
    ws.apply(Intent::SetSpan {
        role: Role::Target,
        span: t,
    })
    .unwrap();
    ws.apply(Intent::SetStance(stance.into())).unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();
}

fn no_claim(ws: &mut Workspace, sentence: usize) {
    ws.apply(Intent::GoToSentence(sentence)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
}

/// Lead database with A's and B's packages annotated apart and merged back.
fn merged_team() -> (Sandbox, std::path::PathBuf, std::path::PathBuf) {
    let lead = Sandbox::new();
    lead.run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    lead.run(["entities", "--load-starter"]).expect_code(0);
    let out = lead.path("packages");
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "A,B".as_ref(),
        "--overlap".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    let (a_db, b_db) = (out.join("A.isnad.db"), out.join("B.isnad.db"));
    annotate_a(&a_db);
    annotate_b(&b_db);
    lead.run(["merge".as_ref(), a_db.as_os_str(), b_db.as_os_str()])
        .expect_code(0);
    (lead, a_db, b_db)
}

fn annotate_a(db: &Path) {
    let mut a = open_seed_001(db, "A");
    claim(&mut a, 2, "روسيا", "المعارضة", "favor");
    claim(&mut a, 3, "ألكسندر لافرنتيف", "المعارضة", "favor");
    no_claim(&mut a, 4);
    no_claim(&mut a, 5);
    no_claim(&mut a, 6);
}

fn annotate_b(db: &Path) {
    let mut b = open_seed_001(db, "B");
    claim(&mut b, 2, "روسيا", "المعارضة", "favor");
    claim(&mut b, 3, "ألكسندر لافرنتيف", "المعارضة", "neutral");
    b.apply(Intent::GoToSentence(4)).unwrap();
    let lavrentiev = b
        .registry()
        .by_name("Alexander Lavrentiev")
        .unwrap()
        .entity
        .id
        .clone();
    b.apply(Intent::SetImplicitEntity {
        role: Role::Speaker,
        entity_id: lavrentiev,
    })
    .unwrap();
    let t = span(&b, "الدول الضامنة");
    b.apply(Intent::SetSpan {
        role: Role::Target,
        span: t,
    })
    .unwrap();
    b.apply(Intent::SetStance("favor".into())).unwrap();
    b.apply(Intent::ConfirmClaim).unwrap();
    no_claim(&mut b, 5);
}

#[test]
fn adjudicated_gold_exports_with_splits_and_a_card() {
    use isnad::model::adjudicate::AdjudicationIntent as Adj;
    let (lead, _, _) = merged_team();
    {
        let mut ws = open_seed_001(&lead.db, "lead");
        let doc_id = ws.document().unwrap().row.id.clone();
        ws.adjudicate(Adj::Open {
            doc_id,
            sentence: None,
        })
        .unwrap();
        assert_eq!(ws.adjudication().unwrap().current, 3);
        ws.adjudicate(Adj::Adopt {
            group: 0,
            annotator: "B".into(),
        })
        .unwrap();
        ws.adjudicate(Adj::DecideSentence).unwrap();
        // Sentence 4: A said no claim, B made a claim: keep B's.
        ws.adjudicate(Adj::Adopt {
            group: 0,
            annotator: "B".into(),
        })
        .unwrap();
        ws.adjudicate(Adj::DecideSentence).unwrap();
        // Sentence 6: only A decided (no claim).
        ws.adjudicate(Adj::DecideSentence).unwrap();
        assert_eq!(ws.adjudication().unwrap().progress(), (5, 5));
    }
    let gold = jsonl(&lead.run(["export", "--what", "gold"]).expect_code(0).stdout);
    let kinds: Vec<(&str, u64, &str)> = gold
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap(),
                r["sentence_index"].as_u64().unwrap(),
                r["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("claim", 2, "unanimous"),
            ("claim", 3, "adopted"),
            ("claim", 4, "adopted"),
            ("no_claim", 5, "unanimous"),
            ("no_claim", 6, "adjudicated")
        ]
    );
    assert_eq!(gold[1]["stance"], "neutral");
    assert_eq!(gold[0]["n_annotators"], 2);
    assert_eq!(gold[4]["n_annotators"], 1);
    assert!(
        gold.iter()
            .all(|r| r["schema_hash"].as_str().unwrap().len() == 64)
    );
    assert_eq!(gold[0]["speaker"]["text"], "روسيا");
    // The gold stance matrix is the pivot of the gold export.
    let mut pivot: std::collections::BTreeMap<(String, String, String), u64> = Default::default();
    for r in gold.iter().filter(|r| r["type"] == "claim") {
        let key = (
            r["speaker"]["entity"].as_str().unwrap().to_owned(),
            r["target"]["entity"].as_str().unwrap().to_owned(),
            r["stance"].as_str().unwrap().to_owned(),
        );
        *pivot.entry(key).or_default() += 1;
    }
    let matrix: Vec<serde_json::Value> = serde_json::from_str(
        &lead
            .run(["report", "matrix", "--source", "gold", "--format", "json"])
            .expect_code(0)
            .stdout,
    )
    .unwrap();
    let mut reported: std::collections::BTreeMap<(String, String, String), u64> =
        Default::default();
    for row in &matrix {
        for stance in ["favor", "against", "neutral", "unclear"] {
            let n = row[stance].as_u64().unwrap();
            if n > 0 {
                let key = (
                    row["speaker"].as_str().unwrap().to_owned(),
                    row["target"].as_str().unwrap().to_owned(),
                    stance.to_owned(),
                );
                reported.insert(key, n);
            }
        }
    }
    assert_eq!(reported, pivot);
    assert_eq!(pivot.values().sum::<u64>(), 3);

    let out = lead.path("dataset/gold.jsonl");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let run = lead
        .run([
            "export".as_ref(),
            "--what".as_ref(),
            "gold".as_ref(),
            "--split".as_ref(),
            "--seed".as_ref(),
            "3".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .expect_code(0);
    let mut total = 0;
    for split in ["train", "dev", "test"] {
        let path = lead.path(&format!("dataset/gold.{split}.jsonl"));
        let records = jsonl(&std::fs::read_to_string(&path).unwrap());
        assert!(records.iter().all(|r| r["split"] == split), "{split}");
        total += records.len();
    }
    assert_eq!(total, 5, "{}", run.stderr);
    let card = std::fs::read_to_string(lead.path("dataset/gold.card.md")).unwrap();
    assert!(card.contains("| favor |"), "{card}");
    assert!(card.contains("Krippendorff"), "{card}");
    assert!(card.contains("seed 3"), "{card}");
    let csv_text = lead
        .run(["export", "--what", "gold", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert!(
        csv_text.starts_with(
            "type,doc_id,sentence_index,sentence_text,claim_id,stance,claim_type,speaker_entity,"
        ),
        "{csv_text}"
    );
}

#[test]
fn assign_annotate_merge_and_measure_agreement() {
    let (lead, a_db, b_db) = merged_team();
    let listed = lead.run(["entities"]).expect_code(0).stdout;
    assert!(listed.contains("Bashar al-Assad"), "{listed}");
    // The split is reproducible and packages are never overwritten.
    let again = lead.path("again");
    let run = lead
        .run([
            "assign".as_ref(),
            "--annotators".as_ref(),
            "A,B".as_ref(),
            "--overlap".as_ref(),
            "1".as_ref(),
            "--out".as_ref(),
            again.as_os_str(),
        ])
        .expect_code(0);
    assert!(
        run.stderr.contains("5 of them given to several annotators"),
        "{}",
        run.stderr
    );
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "A,B".as_ref(),
        "--out".as_ref(),
        again.as_os_str(),
    ])
    .expect_code(1);
    let claims_once = lead
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert_eq!(claims_once.lines().count(), 3 + 3 + 2 + 1);

    // Merging again changes nothing.
    let twice = lead
        .run(["merge".as_ref(), a_db.as_os_str(), b_db.as_os_str()])
        .expect_code(0);
    assert!(
        twice.stderr.contains("annotations 0 added, 0 updated"),
        "{}",
        twice.stderr
    );
    assert!(
        twice.stderr.contains("0 refused") && twice.stderr.contains("0 conflicts"),
        "{}",
        twice.stderr
    );
    assert_eq!(
        lead.run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
        claims_once
    );

    // Reference values computed once with scikit-learn 1.9.1, statsmodels 0.15.0 and
    // krippendorff 0.9.0 on these units (see the comments of the module agreement::report):
    //   has_claim: A = [c, c, n, n, n], B = [c, c, c, n, -]
    //   stance: (Russia→opposition) favor/favor, (Lavrentiev→opposition) favor/neutral,
    //           (Lavrentiev→guarantors) -/favor
    let json: serde_json::Value =
        serde_json::from_str(&lead.run(["agreement", "--json"]).expect_code(0).stdout).unwrap();
    let close = |value: &serde_json::Value, expected: f64| {
        let got = value.as_f64().unwrap_or(f64::NAN);
        assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    };
    let has_claim = &json["fields"]["has_claim"];
    close(&has_claim["krippendorff_alpha"], 0.5333333333333333);
    close(&has_claim["cohen_kappa"]["A|B"], 0.5);
    close(&has_claim["fleiss_kappa"], 0.4666666666666667);
    close(&has_claim["percent_agreement"], 0.75);
    assert_eq!(has_claim["units"], 5);
    let stance = &json["fields"]["stance"];
    close(&stance["krippendorff_alpha"], 0.0);
    close(&stance["cohen_kappa"]["A|B"], 0.0);
    assert_eq!(stance["units"], 3);
    close(&json["fields"]["speaker"]["krippendorff_alpha"], 1.0);
    close(&json["spans"]["speaker"]["mean_exact_f1"], 1.0);
    assert_eq!(json["per_document"].as_object().unwrap().len(), 1);
    let table = lead.run(["agreement"]).expect_code(0).stdout;
    assert!(table.contains("has_claim"), "{table}");
}

#[test]
fn edits_in_two_places_are_a_reported_conflict_and_the_later_one_wins() {
    let lead = Sandbox::new();
    lead.run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    let out = lead.path("packages");
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "A,B".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    // A works on a copy of the lead (any database can be merged, not only packages).
    let a_db = lead.path("a-copy.db");
    let a_sandbox = Sandbox {
        dir: tempfile::tempdir().unwrap(),
        db: a_db.clone(),
    };
    a_sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    {
        let mut a = open_seed_001(&a_db, "A");
        claim(&mut a, 2, "روسيا", "المعارضة", "favor");
    }
    lead.run(["merge".as_ref(), a_db.as_os_str()])
        .expect_code(0);
    // Both sides now change the same claim.
    {
        let mut here = open_seed_001(&lead.db, "A");
        let id = here.document().unwrap().claims[0].id.clone();
        here.apply(Intent::EditClaim(id)).unwrap();
        here.apply(Intent::SetStance("neutral".into())).unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    {
        let mut there = open_seed_001(&a_db, "A");
        let id = there.document().unwrap().claims[0].id.clone();
        there.apply(Intent::EditClaim(id)).unwrap();
        there.apply(Intent::SetStance("against".into())).unwrap();
    }
    let run = lead
        .run(["merge".as_ref(), a_db.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("conflict on claim"), "{}", run.stderr);
    assert!(
        run.stderr.contains("kept the later edit (there"),
        "{}",
        run.stderr
    );
    let claims = lead
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    assert!(claims.contains("\"stance\":\"against\""), "{claims}");
    // A change only there is simply taken, without conflict.
    {
        let mut there = open_seed_001(&a_db, "A");
        let id = there.document().unwrap().claims[0].id.clone();
        there.apply(Intent::EditClaim(id)).unwrap();
        there.apply(Intent::SetStance("unclear".into())).unwrap();
    }
    let run = lead
        .run(["merge".as_ref(), a_db.as_os_str()])
        .expect_code(0);
    assert!(run.stderr.contains("0 conflicts"), "{}", run.stderr);
    assert!(
        lead.run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout
            .contains("\"stance\":\"unclear\"")
    );
    // And a deletion there travels too.
    {
        let mut there = open_seed_001(&a_db, "A");
        let id = there.document().unwrap().claims[0].id.clone();
        there.apply(Intent::DeleteClaim(id)).unwrap();
    }
    lead.run(["merge".as_ref(), a_db.as_os_str()])
        .expect_code(0);
    assert_eq!(
        lead.run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
        ""
    );
}

#[test]
fn a_document_with_the_same_id_and_another_text_is_refused_whole() {
    let lead = Sandbox::new();
    let ours = lead.write("ours.jsonl", "{\"id\": \"x\", \"text\": \"قال الرئيس إن الحل قريب.\"}\n{\"id\": \"y\", \"text\": \"نص آخر.\"}\n");
    lead.run(["import".as_ref(), ours.as_os_str()])
        .expect_code(0);
    let other = Sandbox::new();
    let theirs = other.write("theirs.jsonl", "{\"id\": \"x\", \"text\": \"قال الوزير إن الحل بعيد.\"}\n{\"id\": \"z\", \"text\": \"خبر ثالث.\"}\n");
    other
        .run(["import".as_ref(), theirs.as_os_str()])
        .expect_code(0);
    {
        let mut store = store::open(&Location::from(&other.db), Access::ReadWrite).unwrap();
        project::load_starter_registry(&mut *store).unwrap();
        let mut ws = Workspace::new(store, "B").unwrap();
        ws.apply(Intent::OpenDocument {
            doc_id: "x".into(),
            sentence: Some(0),
        })
        .unwrap();
        ws.apply(Intent::ToggleNoClaim).unwrap();
    }
    let run = lead
        .run(["merge".as_ref(), other.db.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr
            .contains("document \"x\" refused: the same document id holds a different text"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("documents 1 added"), "{}", run.stderr);
    let docs = lead.run(["docs"]).expect_code(0).stdout;
    assert!(docs.contains("الحل قريب"), "ours is untouched: {docs}");
    assert_eq!(
        lead.run(["export", "--what", "claims"])
            .expect_code(0)
            .stdout,
        "",
        "nothing of x merged"
    );
}

#[test]
fn damaged_or_foreign_sources_are_refused_without_touching_ours() {
    let lead = Sandbox::new();
    lead.run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    let before = lead.content_snapshot();
    let bogus = lead.write("bogus.db", "not a database at all ".repeat(100));
    let run = lead
        .run(["merge".as_ref(), bogus.as_os_str()])
        .expect_code(1);
    assert!(
        run.stderr.contains("not a SQLite database"),
        "{}",
        run.stderr
    );
    let itself = lead
        .run(["merge".as_ref(), lead.db.as_os_str()])
        .expect_code(1);
    assert!(itself.stderr.contains("same database"), "{}", itself.stderr);
    assert_eq!(before, lead.content_snapshot());
}

/// Annotator names whose packages would be one file — `a` and `a/` both make `a.isnad.db`,
/// `A` and `a` are one file on case-insensitive file systems (macOS, Windows) — are refused
/// before anything is written; names that differ on disk each get their own package.
#[test]
fn assign_refuses_names_that_would_share_a_package_file() {
    let lead = Sandbox::new();
    lead.run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    for (names, clash) in [
        ("a,a-3,a/", ["\"a\"", "\"a/\""]),
        ("A,b,a", ["\"A\"", "\"a\""]),
        ("x_,_x", ["\"_x\"", "\"x_\""]),
    ] {
        let out = lead.path("packages");
        let run = lead.run([
            "assign".as_ref(),
            "--annotators".as_ref(),
            names.as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(run.code, 1, "{names}: {}", run.stderr);
        for name in clash {
            assert!(run.stderr.contains(name), "{names}: {}", run.stderr);
        }
        assert!(run.stderr.contains(".isnad.db"), "{}", run.stderr);
        assert!(!out.exists(), "{names}: something was written");
        let store = store::open(&Location::from(&lead.db), Access::ReadWrite).unwrap();
        assert!(store.assignments().unwrap().is_empty(), "{names}");
    }
    // Distinct names: one package each, each holding its own annotator.
    let out = lead.path("packages");
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "a,a-3,b_c".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    for (name, file) in [
        ("a", "a.isnad.db"),
        ("a-3", "a-3.isnad.db"),
        ("b_c", "b_c.isnad.db"),
    ] {
        let package = store::open(&Location::from(&out.join(file)), Access::ReadWrite).unwrap();
        assert_eq!(package.meta("assigned_to").unwrap().as_deref(), Some(name));
    }
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
}

fn flip(ws: &mut Workspace, sentence: usize, boilerplate: bool) {
    ws.apply(Intent::SetBoilerplate {
        sentence,
        boilerplate,
    })
    .unwrap();
}

/// (boilerplate, reason) of sentences of seed 001 in a database's sentence export.
fn flags(sandbox: &Sandbox, db: &Path, sentences: &[u64]) -> Vec<(bool, Option<String>)> {
    let exported = jsonl(
        &sandbox
            .run_with_db(db, ["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    );
    let doc = exported
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("روسيا تبدي"))
        .unwrap()["doc_id"]
        .clone();
    sentences
        .iter()
        .map(|index| {
            let row = exported
                .iter()
                .find(|s| s["doc_id"] == doc && s["index"] == *index)
                .unwrap();
            (
                row["boilerplate"].as_bool().unwrap(),
                row["boilerplate_reason"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Boilerplate flags flipped with `u` travel through merge like other annotations: taken
/// when changed only there, kept when changed only here, the later edit winning a conflict
/// (and reported); merging again changes nothing.
#[test]
fn boilerplate_flags_travel_through_merge() {
    let lead = Sandbox::new();
    lead.run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    let out = lead.path("packages");
    lead.run([
        "assign".as_ref(),
        "--annotators".as_ref(),
        "A,B".as_ref(),
        "--overlap".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    let (a_db, b_db) = (out.join("A.isnad.db"), out.join("B.isnad.db"));
    // Sentence 1 ("0 701") is a counter; 4, 5 and 6 are content.
    let before = flags(&lead, &lead.db, &[1, 4, 5, 6]);
    assert_eq!(before[0], (true, Some("counter".into())));
    assert!(before[1..].iter().all(|(flag, _)| !flag), "{before:?}");
    {
        let mut here = open_seed_001(&lead.db, "lead");
        flip(&mut here, 6, true);
        flip(&mut here, 5, true);
    }
    std::thread::sleep(std::time::Duration::from_millis(5));
    {
        let mut a = open_seed_001(&a_db, "A");
        flip(&mut a, 4, true);
        // Flagged and unflagged again after the lead flagged it: A's edit is the later one.
        flip(&mut a, 6, true);
        flip(&mut a, 6, false);
        let mut b = open_seed_001(&b_db, "B");
        flip(&mut b, 1, false);
    }
    let run = lead
        .run([
            "merge".as_ref(),
            "--json".as_ref(),
            a_db.as_os_str(),
            b_db.as_os_str(),
        ])
        .expect_code(0);
    assert_eq!(
        flags(&lead, &lead.db, &[1, 4, 5, 6]),
        [
            (false, None),
            (true, Some("manual".into())),
            (true, Some("manual".into())),
            (false, None),
        ],
        "{}",
        run.stdout
    );
    let reports: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let conflicts: Vec<&serde_json::Value> = reports
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["conflicts"].as_array().unwrap())
        .collect();
    assert_eq!(conflicts.len(), 1, "{}", run.stdout);
    assert_eq!(conflicts[0]["kind"], "boilerplate");
    assert_eq!(conflicts[0]["sentence"], 6);
    assert_eq!(conflicts[0]["winner"], "there");

    // Again: nothing changes. Then the lead unflags 4: A's old flag does not come back.
    let again = lead
        .run(["merge".as_ref(), a_db.as_os_str(), b_db.as_os_str()])
        .expect_code(0);
    assert!(
        again.stderr.matches("0 added, 0 updated").count() == 2,
        "{}",
        again.stderr
    );
    {
        let mut here = open_seed_001(&lead.db, "lead");
        flip(&mut here, 4, false);
    }
    lead.run(["merge".as_ref(), a_db.as_os_str()])
        .expect_code(0);
    assert_eq!(flags(&lead, &lead.db, &[4]), [(false, None)]);
}
