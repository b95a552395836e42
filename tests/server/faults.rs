//! Faults of the server and the network: the server restarted or stopped mid-session, the
//! connection dropped. An action either commits and says so, or fails with "unreachable"
//! and leaves nothing; the session continues once the server is back, without reopening.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use isnad::domain::{ClaimRow, ClaimStatus, RowState};
use isnad::store::postgres::scratch::ScratchDatabase;
use isnad::store::{self, Access, Store, StoreError};

/// A private cluster (its own folder, port and processes) that a test may stop and start.
struct Cluster {
    dir: tempfile::TempDir,
    admin_url: String,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let admin_url = cluster(dir.path(), "start");
        Cluster { dir, admin_url }
    }

    fn run(&self, what: &str) {
        cluster(self.dir.path(), what);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("kill")
            .arg(self.dir.path())
            .status();
    }
}

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster.sh")
}

fn cluster(dir: &Path, what: &str) -> String {
    let output = Command::new(script()).arg(what).arg(dir).output().unwrap();
    assert!(
        output.status.success(),
        "pg-cluster.sh {what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn claim(id: &str, doc_id: &str) -> ClaimRow {
    let now = isnad::clock::now_rfc3339();
    ClaimRow {
        id: id.into(),
        doc_id: doc_id.into(),
        sentence_idx: 0,
        annotator: "isnad_admin".into(),
        status: ClaimStatus::Confirmed,
        stance: Some("favor".into()),
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
        created_at: now.clone(),
        updated_at: now,
        deleted: false,
    }
}

/// A project on `cluster` with one document, opened as its superuser.
fn project(admin_url: &str) -> (ScratchDatabase, Box<dyn Store>, String) {
    let db = ScratchDatabase::project_on(admin_url);
    let mut store = store::open(&db.location, Access::ReadWrite).unwrap();
    let file = isnad::domain::FileImport {
        origin: "faults.jsonl".into(),
        documents: vec![isnad::domain::NewDocument {
            id: "d1".into(),
            title: "اختبار".into(),
            text: "قال الوزير إن الحل قريب.".into(),
            source: None,
            url: None,
            published: None,
            encoding: "utf-8".into(),
            metadata: serde_json::Map::new(),
            origin: "faults.jsonl:1".into(),
            sentences: vec![isnad::domain::NewSentence {
                start: 0,
                end: 24,
                text: "قال الوزير إن الحل قريب.".into(),
                boilerplate: None,
            }],
        }],
    };
    store.import_files(&[file]).unwrap();
    store.ensure_annotator("isnad_admin").unwrap();
    (db, store, "d1".into())
}

fn act(store: &mut dyn Store, id: &str, doc: &str) -> Result<i64, StoreError> {
    store.apply_action(
        "isnad_admin",
        "faults",
        "New claim",
        &[RowState::Claim(claim(id, doc))],
    )
}

fn live_claims(store: &dyn Store, doc: &str) -> Vec<String> {
    let mut ids: Vec<String> = store
        .claims_in_document(doc, None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_server_restarted_mid_session_loses_nothing_and_the_session_continues() {
    let cluster = Cluster::start();
    let (_db, mut store, doc) = project(&cluster.admin_url);
    act(&mut *store, "before", &doc).unwrap();
    cluster.run("restart");
    // The first call after the restart finds its connection gone: it fails, saying so, or
    // (having noticed before sending) connects again and succeeds.
    match act(&mut *store, "after-1", &doc) {
        Ok(_) => {}
        Err(StoreError::Unreachable { .. }) => {
            act(&mut *store, "after-1", &doc).map(|_| ()).unwrap()
        }
        Err(other) => panic!("{other:?}"),
    }
    act(&mut *store, "after-2", &doc).unwrap();
    assert_eq!(live_claims(&*store, &doc), ["after-1", "after-2", "before"]);
    assert!(store.integrity_problems().unwrap().is_empty());
}

#[test]
fn a_stopped_server_is_reported_at_once_and_work_resumes_when_it_is_back() {
    let cluster = Cluster::start();
    let (_db, mut store, doc) = project(&cluster.admin_url);
    act(&mut *store, "before", &doc).unwrap();
    cluster.run("stop");
    let started = Instant::now();
    let error = act(&mut *store, "while-down", &doc).unwrap_err();
    assert!(matches!(error, StoreError::Unreachable { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(error.to_string().contains("nothing was saved"), "{error}");
    // Reads fail the same way, and nothing hangs.
    assert!(matches!(
        store.document_count(),
        Err(StoreError::Unreachable { .. })
    ));
    cluster.run("start");
    act(&mut *store, "after", &doc).unwrap();
    assert_eq!(live_claims(&*store, &doc), ["after", "before"]);
}

#[test]
fn a_dropped_connection_fails_one_call_and_the_next_reconnects() {
    let cluster = Cluster::start();
    let (db, mut store, doc) = project(&cluster.admin_url);
    act(&mut *store, "before", &doc).unwrap();
    // The server ends the store's session (as a network cut or an administrator would).
    let admin = store::postgres::PgStore::open(&db.location, Access::ReadOnly, None).unwrap();
    drop(admin);
    let status = Command::new("psql")
        .args(["-X", "-q", "-d", &cluster.admin_url, "-c"])
        .arg(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = '{}' AND pid <> pg_backend_pid()",
            db.name
        ))
        .status()
        .unwrap();
    assert!(status.success());
    match act(&mut *store, "after", &doc) {
        Ok(_) => {}
        Err(StoreError::Unreachable { .. }) => act(&mut *store, "after", &doc).map(|_| ()).unwrap(),
        Err(other) => panic!("{other:?}"),
    }
    assert_eq!(live_claims(&*store, &doc), ["after", "before"]);
}
