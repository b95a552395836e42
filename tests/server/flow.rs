//! A team at work on a server: assignments instead of packages, each member's list, the
//! lead's view of everyone's progress, packages for the field merged back, and the same
//! exports from a server as from a file.

use isnad::model::{Intent, Workspace};
use isnad::store::{self, Access, Location};

use crate::support::{Team, isnad_at};
use crate::util::{Sandbox, seeds_dir};

/// Decides the first `n` sentences of the first document of `location` as `annotator`
/// (a "no claim" mark each), through the model — the calls the app makes.
fn decide_first_sentences(location: &Location, annotator: &str, n: usize) -> String {
    let store = store::open(location, Access::ReadWrite).unwrap();
    let mut ws = Workspace::new(store, annotator).unwrap();
    let doc_id = ws
        .store()
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "",
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
        doc_id: doc_id.clone(),
        sentence: Some(0),
    })
    .unwrap();
    for index in 0..n {
        ws.apply(Intent::GoToSentence(index)).unwrap();
        ws.apply(Intent::ToggleNoClaim).unwrap();
    }
    doc_id
}

fn seeded_team(members: &[(&str, &str)]) -> Team {
    let team = Team::new();
    for (name, role) in members {
        team.add(name, role);
    }
    team.isnad_admin(&["import", seeds_dir().to_str().unwrap()])
        .expect_code(0);
    team
}

#[test]
fn assignments_give_each_annotator_their_documents_and_the_lead_sees_progress() {
    let team = seeded_team(&[("hala", "annotator"), ("sami", "annotator")]);
    let run = team
        .isnad_admin(&["assign", "--annotators", "hala,sami", "--overlap", "0.4"])
        .expect_code(0);
    assert!(
        run.stderr.contains("hala: ") && run.stderr.contains("assigned"),
        "{}",
        run.stderr
    );
    for name in ["hala", "sami"] {
        let assigned: usize = team
            .admin_value(&format!(
                "SELECT count(*) FROM assignments WHERE annotator = '{name}'"
            ))
            .parse()
            .unwrap();
        assert!(assigned > 0);
        let listed = team.isnad_as(name, &["docs"]).expect_code(0);
        assert_eq!(
            listed.stdout.lines().count(),
            assigned,
            "{name}: {}",
            listed.stdout
        );
    }
    // hala works; the lead's view shows it at once, sami's shows nothing of it.
    let doc = decide_first_sentences(&Location::parse(&team.url("hala")), "ignored", 2);
    let team_view = team.isnad_admin(&["docs", "--team"]).expect_code(0);
    let line = team_view
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("{doc}\t")))
        .unwrap();
    let done = team.admin_value(&format!(
        "SELECT done FROM annotator_progress WHERE annotator = 'hala' AND doc_id = '{doc}'"
    ));
    assert_ne!(done, "0");
    assert!(line.contains(&format!("hala {done}/")), "{line}");
    // sami sees neither hala's marks nor her progress.
    assert_eq!(
        team.psql(Some("sami"), "SELECT count(*) FROM sentence_marks")
            .expect_code(0)
            .stdout
            .trim(),
        "0"
    );
    assert_eq!(
        team.psql(
            Some("sami"),
            "SELECT count(*) FROM annotator_progress WHERE annotator = 'hala'"
        )
        .expect_code(0)
        .stdout
        .trim(),
        "0"
    );
    // The annotator of those marks is the login, whatever name the client gave.
    assert_eq!(
        team.admin_value("SELECT string_agg(DISTINCT annotator, ',') FROM sentence_marks"),
        "hala"
    );
    // An annotator cannot hand out work.
    let run = team.isnad_as(
        "hala",
        &["assign", "--annotators", "hala", "--overlap", "0"],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("only a lead"), "{}", run.stderr);
}

#[test]
fn a_package_for_the_field_merges_back_into_the_server_once() {
    let team = seeded_team(&[("nour", "annotator")]);
    let out = tempfile::tempdir().unwrap();
    team.isnad_admin(&[
        "assign",
        "--annotators",
        "nour",
        "--overlap",
        "0",
        "--out",
        out.path().to_str().unwrap(),
    ])
    .expect_code(0);
    let package = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "db"))
        .unwrap();
    decide_first_sentences(&Location::from(package.clone()), "nour", 3);
    let first = team
        .isnad_admin(&["merge", package.to_str().unwrap()])
        .expect_code(0);
    assert_eq!(
        team.admin_value("SELECT count(*) FROM sentence_marks WHERE annotator = 'nour'"),
        "3",
        "{}",
        first.stderr
    );
    let before = team.fingerprint();
    team.isnad_admin(&["merge", package.to_str().unwrap()])
        .expect_code(0);
    assert_eq!(
        team.fingerprint(),
        before,
        "merging again changed something"
    );
}

#[test]
fn the_same_labels_export_the_same_bytes_from_a_file_and_from_a_server() {
    // Labels made in a file, then carried to a server by merge: the same rows in both.
    let sandbox = Sandbox::new();
    sandbox
        .run(["import".as_ref(), seeds_dir().as_os_str()])
        .expect_code(0);
    decide_first_sentences(&Location::from(sandbox.db.clone()), "hala", 4);
    let claims = sandbox.write(
        "claims.jsonl",
        r#"{"doc_id": "84e982cc28d456d5", "sentence_index": 3, "annotator": "hala", "stance": "against", "speaker": {"entity": "Nasr al-Hariri", "entity_type": "person"}, "target": {"entity": "Bashar al-Assad", "entity_type": "person"}, "note": "ملاحظة, \"مقتبسة\""}
{"doc_id": "84e982cc28d456d5", "sentence_index": 4, "annotator": "omar", "stance": "favor", "speaker": {"entity": "Russia", "entity_type": "state"}, "target": {"entity": "Iran", "entity_type": "state"}}"#,
    );
    sandbox
        .run(["import-claims".as_ref(), claims.as_os_str()])
        .expect_code(0);
    let team = Team::new();
    team.isnad_admin(&["merge", sandbox.db.to_str().unwrap()])
        .expect_code(0);
    for what in [
        &["export", "--what", "documents"][..],
        &["export", "--what", "sentences"][..],
        &["export", "--what", "claims"][..],
        &["export", "--what", "claims", "--format", "csv"][..],
        &["export", "--what", "sentences", "--format", "csv"][..],
    ] {
        let from_file = sandbox.run(what.iter().copied()).expect_code(0).stdout;
        let from_server = isnad_at(&team.admin_url(), what).expect_code(0).stdout;
        assert!(!from_file.is_empty(), "{what:?}");
        assert!(
            from_file == from_server,
            "{what:?} differ:\n{from_file}\n---\n{from_server}"
        );
    }
}
