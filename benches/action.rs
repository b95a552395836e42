//! Latency of one annotation action, on a database file with `synchronous = FULL` (the
//! store's setting: every action is fsynced before `apply` returns). Percentiles over
//! ≥ 1,000 actions of each kind, so this is a plain `main` (criterion reports means).
//!
//! * `model`: `Workspace::apply` of `SetStance` (an edit of the draft claim) and of
//!   `ConfirmClaim` — one transaction each, plus the reload of the open document.
//! * `app`: key → transaction committed → next frame, through the real `IsnadApp` headless:
//!   the frame whose input holds the key press (the app reads the command, applies the
//!   intent, commits, redraws) plus the following frame, for `1` (stance) and `Enter`
//!   (confirm), and `j` (next sentence, no transaction) for comparison.
//!
//! `cargo bench --bench action` (add `-- --actions N` to change the count).

#![allow(
    clippy::unwrap_used,
    reason = "benchmarks fail loudly on unexpected errors"
)]
#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

#[path = "common/actions.rs"]
mod actions;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/headless.rs"]
mod headless;

use std::time::Instant;

use actions::Samples;

use isnad::model::{Intent, Role, Workspace};

fn entity_ids(workspace: &Workspace) -> (String, String) {
    let all = workspace.registry().all();
    (all[0].entity.id.clone(), all[1].entity.id.clone())
}

/// Moves to the next content sentence, or opens the next document at its end.
fn advance(workspace: &mut Workspace, docs: &[String], doc: &mut usize) {
    let before = workspace.document().map(|d| d.current);
    workspace.apply(Intent::NextSentence).unwrap();
    if workspace.document().map(|d| d.current) == before {
        *doc = (*doc + 1) % docs.len();
        workspace
            .apply(Intent::OpenDocument {
                doc_id: docs[*doc].clone(),
                sentence: None,
            })
            .unwrap();
    }
}

fn document_ids(store: &dyn isnad::store::Store) -> Vec<String> {
    let mut ids = Vec::new();
    store
        .for_each_document(&mut |row| {
            ids.push(row.id);
            Ok(())
        })
        .unwrap();
    ids
}

fn model(actions: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("action.db");
    let (store, _) = corpus::bench_database(&db, corpus::DEFAULT_SEED, 200, 5_000, 40).unwrap();
    let docs = document_ids(&*store);
    let mut workspace = Workspace::new(store, "bench").unwrap();
    let (speaker, target) = entity_ids(&workspace);
    let mut doc = 0;
    workspace
        .apply(Intent::OpenDocument {
            doc_id: docs[doc].clone(),
            sentence: None,
        })
        .unwrap();
    let mut entity = Samples::new("model: SetImplicitEntity (draft edit)");
    let mut stance = Samples::new("model: SetStance (draft edit)");
    let mut confirm = Samples::new("model: ConfirmClaim");
    let mut all = Samples::new("model: any saved action");
    for _ in 0..actions + 20 {
        for (intent, kind) in [
            (
                Intent::SetImplicitEntity {
                    role: Role::Speaker,
                    entity_id: speaker.clone(),
                },
                0,
            ),
            (
                Intent::SetImplicitEntity {
                    role: Role::Target,
                    entity_id: target.clone(),
                },
                0,
            ),
            (Intent::SetStance("against".into()), 1),
            (Intent::ConfirmClaim, 2),
        ] {
            let started = Instant::now();
            let applied = workspace.apply(intent).unwrap();
            let took = started.elapsed();
            assert!(applied.saved);
            [&mut entity, &mut stance, &mut confirm][kind]
                .times
                .push(took);
            all.times.push(took);
        }
        advance(&mut workspace, &docs, &mut doc);
    }
    for samples in [&mut entity, &mut stance, &mut confirm, &mut all] {
        // The first 20 rounds warm the caches and the file.
        let warm = samples.times.len() / (actions + 20) * 20;
        samples.skip(warm);
        println!("{}", samples.line());
    }
    let mut confirmed = 0;
    workspace
        .store()
        .for_each_annotated_document(Some("bench"), &mut |_, _, claims, _| {
            confirmed += claims.len();
            Ok(())
        })
        .unwrap();
    println!("({confirmed} claims confirmed in the model run)");
}

fn app(actions: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let (store, long_id) =
        corpus::bench_database(&db, corpus::DEFAULT_SEED, 200, 5_000, 500).unwrap();
    let docs = document_ids(&*store);
    drop(store);
    for samples in actions::app_actions(&db, (long_id, Some(0)), &docs, actions, 20) {
        println!("app: {}", samples.line());
    }
    let store = isnad::store::open(
        &isnad::store::Location::from(&db),
        isnad::store::Access::ReadWrite,
    )
    .unwrap();
    let mut confirmed = 0;
    store
        .for_each_annotated_document(Some("bench"), &mut |_, _, claims, _| {
            confirmed += claims.len();
            Ok(())
        })
        .unwrap();
    println!("({confirmed} claims confirmed in the app run)");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut actions = 1_000;
    while let Some(arg) = args.next() {
        if arg == "--actions"
            && let Some(n) = args.next().and_then(|n| n.parse().ok())
        {
            actions = n;
        }
    }
    println!("one annotation action, database file with synchronous=FULL (WAL)");
    model(actions);
    app(actions);
}
