//! The action log on a server, beyond the conformance suite (which connects as the
//! superuser): an annotator's actions under row-level security, writes the login may not
//! make refused and never logged, and undo by two sessions of one annotator at once.

use super::connect::ConnectSpec;
use super::scratch::ScratchDatabase;
use crate::domain::{
    ClaimRow, ClaimStatus, EntityRow, FileImport, NewDocument, NewSentence, Role, RowState,
};
use crate::store::error::StoreError;
use crate::store::interface::Access;
use crate::store::location::Location;
use crate::store::postgres::PgStore;

const T0: &str = "2020-01-01T00:00:00.000Z";

/// A login made for one test, dropped (after the scratch database, declared later) when
/// this is dropped.
struct Login {
    admin_url: String,
    name: String,
}

impl Drop for Login {
    fn drop(&mut self) {
        let location = Location::Postgres(self.admin_url.clone());
        if let Ok(spec) = ConnectSpec::from_url(&location, &self.admin_url, None)
            && let Ok(mut client) = spec.connect()
        {
            let _ = client.batch_execute(&format!("DROP ROLE IF EXISTS \"{}\"", self.name));
        }
    }
}

fn open(location: Location) -> PgStore {
    PgStore::open(&location, Access::ReadWrite, None).expect("open")
}

fn corpus() -> Vec<FileImport> {
    let document = |id: &str| NewDocument {
        id: id.into(),
        title: id.into(),
        text: "One two. Three four.".into(),
        source: None,
        url: None,
        published: None,
        encoding: "utf-8".into(),
        metadata: serde_json::Map::new(),
        origin: format!("{id}.txt"),
        sentences: vec![
            NewSentence {
                start: 0,
                end: 8,
                text: "One two.".into(),
                boilerplate: None,
            },
            NewSentence {
                start: 9,
                end: 20,
                text: "Three four.".into(),
                boilerplate: None,
            },
        ],
    };
    vec![FileImport {
        origin: "a.jsonl".into(),
        documents: vec![document("d1"), document("d2")],
    }]
}

fn claim(id: &str, doc_id: &str, annotator: &str) -> ClaimRow {
    ClaimRow {
        id: id.into(),
        doc_id: doc_id.into(),
        sentence_idx: 0,
        annotator: annotator.into(),
        status: ClaimStatus::Draft,
        stance: None,
        claim_type: None,
        speaker_entity: None,
        speaker_span: None,
        target_entity: None,
        target_span: None,
        cue_span: None,
        content_span: None,
        note: String::new(),
        lead_time_s: 0.0,
        schema_version: 1,
        origin: "manual".into(),
        created_at: T0.into(),
        updated_at: T0.into(),
        deleted: false,
    }
}

fn is_denied(result: Result<i64, StoreError>, table: &str) -> bool {
    matches!(result, Err(StoreError::Denied { ref detail, .. }) if detail.contains(table))
}

#[test]
fn an_annotators_writes_are_checked_and_refused_ones_not_logged() {
    let name = format!(
        "isnad_t_ann_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let login = Login {
        admin_url: super::scratch::test_server_url(),
        name: name.clone(),
    };
    let scratch = ScratchDatabase::project();
    let mut lead = open(scratch.location.clone());
    lead.import_files(&corpus()).unwrap();
    super::server::add_user(&mut lead, &name, Role::Annotator, Some("pw-Ann-1")).unwrap();
    lead.ensure_annotator("hala").unwrap();
    lead.write(|tx| {
        tx.execute(
            "INSERT INTO assignments (doc_id, annotator, overlap, assigned_at)
             VALUES ('d1', $1, 0, $2)",
            &[&name, &T0],
        )?;
        Ok(())
    })
    .unwrap();
    let mut annotator = open(Location::Postgres(scratch.url_for(&name, "pw-Ann-1")));
    annotator.ensure_annotator(&name).unwrap();

    // Their own claim on an assigned document: written, undone, redone.
    let own = RowState::Claim(claim("c1", "d1", &name));
    annotator
        .apply_action(&name, "s", "Set speaker", &[own])
        .unwrap();
    assert!(annotator.undo(&name).unwrap().is_some());
    assert!(lead.claim("c1").unwrap().unwrap().deleted);
    assert!(annotator.redo(&name).unwrap().is_some());
    assert!(!lead.claim("c1").unwrap().unwrap().deleted);

    // A boilerplate flag is a lead's: refused, and nothing logged.
    let flip = RowState::Boilerplate {
        doc_id: "d1".into(),
        sentence_idx: 1,
        boilerplate: true,
        reason: Some("by hand".into()),
    };
    let result = annotator.apply_action(&name, "s", "Flag", std::slice::from_ref(&flip));
    assert!(is_denied(result, "sentences"), "flag by an annotator");
    // Another annotator's claim, and a document not assigned: refused by the server.
    let theirs = RowState::Claim(claim("c2", "d1", "hala"));
    assert!(matches!(
        annotator.apply_action(&name, "s", "Theirs", &[theirs]),
        Err(StoreError::Denied { .. })
    ));
    let unassigned = RowState::Claim(claim("c3", "d2", &name));
    assert!(matches!(
        annotator.apply_action(&name, "s", "Unassigned", &[unassigned]),
        Err(StoreError::Denied { .. })
    ));
    assert_eq!(
        annotator.history_labels(&name).unwrap(),
        (Some("Set speaker".into()), None),
        "no refused action was logged"
    );
    assert!(lead.claim("c2").unwrap().is_none() && lead.claim("c3").unwrap().is_none());
    assert!(!lead.sentences("d1").unwrap()[1].boilerplate);

    // An entity they made, used by a claim they cannot see: their undo does not remove it.
    let egypt = EntityRow {
        id: "e1".into(),
        canonical_name: "Egypt".into(),
        kind: "place".into(),
        note: String::new(),
        created_at: T0.into(),
        updated_at: T0.into(),
    };
    let new_entity = RowState::Entity {
        entity: egypt,
        present: true,
    };
    annotator
        .apply_action(&name, "s", "New entity", &[new_entity])
        .unwrap();
    let mut used = claim("c9", "d2", "hala");
    used.speaker_entity = Some("e1".into());
    lead.apply_action("hala", "s", "Use", &[RowState::Claim(used)])
        .unwrap();
    let error = annotator.undo(&name).unwrap_err();
    assert!(error.to_string().contains("is used by claims"), "{error}");
    assert_eq!(lead.entities().unwrap().len(), 1);
    assert_eq!(
        annotator.history_labels(&name).unwrap().0.as_deref(),
        Some("New entity")
    );

    // The lead flags; undoing it is the lead's too.
    lead.apply_action("lead", "s", "Flag", &[flip]).unwrap();
    assert!(lead.sentences("d1").unwrap()[1].boilerplate);
    assert!(
        annotator.undo("lead").unwrap().is_none(),
        "not their history"
    );
    assert!(lead.undo("lead").unwrap().is_some());
    assert!(lead.integrity_problems().unwrap().is_empty());
    drop(annotator);
    drop(lead);
    drop(scratch);
    drop(login);
}

#[test]
fn two_sessions_of_one_annotator_never_undo_one_action_twice() {
    let scratch = ScratchDatabase::project();
    let mut first = open(scratch.location.clone());
    first.import_files(&corpus()).unwrap();
    first.ensure_annotator("hala").unwrap();
    const ACTIONS: usize = 40;
    for i in 0..ACTIONS {
        let row = RowState::Claim(claim(&format!("c{i}"), "d1", "hala"));
        first
            .apply_action("hala", "s", &format!("a{i}"), &[row])
            .unwrap();
    }
    let undo_all = |mut store: PgStore| {
        std::thread::spawn(move || {
            let mut labels = Vec::new();
            while let Some(step) = store.undo("hala").expect("undo") {
                labels.push(step.label);
            }
            labels
        })
    };
    let a = undo_all(first);
    let b = undo_all(open(scratch.location.clone()));
    let mut labels = a.join().unwrap();
    labels.extend(b.join().unwrap());
    labels.sort();
    let mut expected: Vec<String> = (0..ACTIONS).map(|i| format!("a{i}")).collect();
    expected.sort();
    assert_eq!(labels, expected, "every action undone exactly once");
    let store = open(scratch.location.clone());
    for i in 0..ACTIONS {
        assert!(store.claim(&format!("c{i}")).unwrap().unwrap().deleted);
    }
    assert_eq!(store.history_labels("hala").unwrap().0, None);
    assert!(store.integrity_problems().unwrap().is_empty());
}
