//! Cancel and progress of long work — export, assign, agreement — in the app's background
//! jobs and in the library under them: a cancel leaves nothing half-written (no output file,
//! no folder made for it, no package, the database unchanged), and progress counts the real
//! units of work (records, documents), not 0/1 → 1/1.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use isnad::app::jobs::{self, Job, JobOutcome};
use isnad::export::gold::{SplitRatios, export_gold_files_with};
use isnad::export::{ExportError, ExportRequest, Format, What};
use isnad::model::ModelError;
use isnad::model::assign::{plan_assignment, write_packages_with};
use isnad::model::measure_agreement::compute_agreement_with;
use isnad::progress::{Monitor, Step};
use isnad::store::{self, Access, Location};

use crate::common::{annotate, dump, dump_diff, seeded};
use crate::util::Sandbox;

/// Waits for a job's outcome.
fn finish(job: &mut Job) -> Result<JobOutcome, String> {
    loop {
        if let Some(outcome) = job.try_finish() {
            return outcome;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Asks a job to stop before it can report anything: the job's first report waits on the
/// progress lock the test holds while it presses Cancel.
fn cancel_at_once(job: &Job) {
    let guard = job.progress.lock().unwrap();
    job.cancel();
    drop(guard);
}

/// Every file under `root`, relative, sorted; the database's own files left out (a reader
/// may leave its `-wal` and `-shm` behind).
fn files_under(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.retain(|name| !name.starts_with("test.db"));
    out.sort();
    out
}

/// Seeds, two annotators' work, and a few hundred more short documents, so that the work
/// takes many steps.
fn project() -> Sandbox {
    let sandbox = seeded();
    annotate(&sandbox.db, "hala");
    annotate(&sandbox.db, "omar");
    let lines: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"id": "extra-{i}", "title": "خبر {i}", "text": "قال المتحدث إن الاجتماع رقم {i} انتهى. وأضاف أن الحوار مستمر."}}"#
            )
        })
        .collect();
    let file = sandbox.write("extra.jsonl", lines.join("\n"));
    sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    std::fs::remove_file(file).unwrap();
    sandbox
}

#[test]
fn a_cancelled_export_job_leaves_no_file_and_progress_counts_records() {
    let sandbox = project();
    let ctx = egui::Context::default();
    let before = files_under(sandbox.dir.path());
    for (what, split) in [
        (What::Sentences, None),
        (What::Documents, None),
        (What::Claims, None),
        (
            What::Gold,
            Some((
                isnad::export::gold::SplitRatios::parse("80/10/10").unwrap(),
                1,
            )),
        ),
    ] {
        let out: PathBuf = sandbox.path("new-folder/data.jsonl");
        let mut job = jobs::start_export(
            &ctx,
            sandbox.db.clone().into(),
            what,
            Format::Jsonl,
            out.clone(),
            split,
        );
        cancel_at_once(&job);
        let outcome = finish(&mut job);
        assert!(
            matches!(&outcome, Err(message) if message.contains("cancelled")),
            "{what:?}: {outcome:?}"
        );
        assert_eq!(
            files_under(sandbox.dir.path()),
            before,
            "{what:?}: a file was left"
        );
        assert!(
            !sandbox.path("new-folder").exists(),
            "{what:?}: the folder was left"
        );

        let mut job = jobs::start_export(
            &ctx,
            sandbox.db.clone().into(),
            what,
            Format::Jsonl,
            out.clone(),
            split,
        );
        let outcome = finish(&mut job);
        let Ok(JobOutcome::Export { records, .. }) = outcome else {
            panic!("{what:?}: {outcome:?}");
        };
        let progress = job.progress();
        if what != What::Gold {
            assert!(records > 2, "{what:?}: {records}");
            assert_eq!(
                (progress.done, progress.total),
                (records, records),
                "{what:?}: progress counts the records"
            );
        }
        std::fs::remove_dir_all(sandbox.path("new-folder")).unwrap();
    }
}

#[test]
fn a_cancelled_assign_job_leaves_no_package_and_the_database_unchanged() {
    let sandbox = project();
    let ctx = egui::Context::default();
    let database = dump(&sandbox.db);
    let out = sandbox.path("packages");
    let names = vec!["A".to_owned(), "B".to_owned()];
    let mut job = jobs::start_assign(
        &ctx,
        sandbox.db.clone().into(),
        names.clone(),
        0.5,
        0,
        out.clone(),
    );
    cancel_at_once(&job);
    let outcome = finish(&mut job);
    assert!(
        matches!(&outcome, Err(message) if message.contains("cancelled")),
        "{outcome:?}"
    );
    assert!(!out.exists(), "packages were left: {:?}", files_under(&out));
    let after = dump(&sandbox.db);
    assert!(database == after, "{}", dump_diff(&database, &after));

    let mut job = jobs::start_assign(&ctx, sandbox.db.clone().into(), names, 0.5, 0, out.clone());
    let Ok(JobOutcome::Assign(written)) = finish(&mut job) else {
        panic!("the assignment failed");
    };
    let handed_out: usize = written.iter().map(|(_, _, n)| n).sum();
    assert!(handed_out > 305, "{handed_out}");
    let progress = job.progress();
    assert_eq!(
        (progress.done, progress.total),
        (handed_out, handed_out),
        "progress counts the documents copied"
    );
}

#[test]
fn a_cancelled_agreement_job_stops_and_progress_counts_documents() {
    let sandbox = project();
    let ctx = egui::Context::default();
    let mut job = jobs::start_agreement(&ctx, sandbox.db.clone().into(), Default::default());
    cancel_at_once(&job);
    let outcome = finish(&mut job);
    assert!(
        matches!(&outcome, Err(message) if message.contains("cancelled")),
        "{outcome:?}"
    );
    let mut job = jobs::start_agreement(&ctx, sandbox.db.clone().into(), Default::default());
    let Ok(JobOutcome::Agreement(report)) = finish(&mut job) else {
        panic!("agreement failed");
    };
    let progress = job.progress();
    assert_eq!(
        (progress.done, progress.total),
        (report.documents + 1, report.documents + 1),
        "one step per document and one for the overall figures"
    );
}

/// Runs `work` with a monitor that asks for a cancel as soon as `stop` says so; returns the
/// outcome and the steps reported.
fn cancelling<T>(
    stop: impl Fn(&Step<'_>) -> bool,
    work: impl FnOnce(&mut Monitor<'_>) -> T,
) -> (T, Vec<(usize, usize, String)>) {
    let cancel = AtomicBool::new(false);
    let mut steps = Vec::new();
    let outcome = {
        let mut report = |step: &Step<'_>| {
            steps.push((step.done, step.total, step.what.to_owned()));
            if stop(step) {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let mut monitor = Monitor::new(&mut report, Some(&cancel));
        work(&mut monitor)
    };
    (outcome, steps)
}

#[test]
fn an_export_cancelled_half_way_leaves_no_file() {
    let sandbox = project();
    let store = store::open(&Location::from(&sandbox.db), Access::ReadOnly).unwrap();
    let before = files_under(sandbox.dir.path());
    let out = sandbox.path("made/for/it/sentences.csv");
    let request = ExportRequest {
        what: What::Sentences,
        format: Format::Csv,
        annotator: None,
        gold_split: None,
    };
    let (outcome, steps) = cancelling(
        |step| step.total > 100 && step.done >= step.total / 2,
        |monitor| isnad::export::export_to_file_with(&*store, &request, &out, monitor),
    );
    assert!(
        matches!(outcome, Err(ExportError::Cancelled(_))),
        "{outcome:?}"
    );
    let (done, total, _) = steps.last().unwrap().clone();
    assert!(done >= total / 2 && done < total, "{done}/{total}");
    assert_eq!(files_under(sandbox.dir.path()), before);
    assert!(!sandbox.path("made").exists());

    // The gold split: train/dev/test are written (to temporary files) before the card; a
    // cancel while the card's agreement is computed leaves none of them.
    let gold = sandbox.path("dataset/gold.jsonl");
    let split = Some((SplitRatios::parse("80/10/10").unwrap(), 3));
    let (outcome, steps) = cancelling(
        |step| step.what.contains("agreement"),
        |monitor| export_gold_files_with(&*store, Format::Jsonl, &gold, split, monitor),
    );
    assert!(
        matches!(outcome, Err(ExportError::Cancelled(_))),
        "{outcome:?}"
    );
    assert!(
        steps.iter().any(|(_, _, what)| what == "gold sentences"),
        "{steps:?}"
    );
    assert_eq!(files_under(sandbox.dir.path()), before);
    assert!(!sandbox.path("dataset").exists());
}

#[test]
fn an_assignment_cancelled_half_way_leaves_no_package_and_the_database_unchanged() {
    let sandbox = project();
    let database = dump(&sandbox.db);
    let mut store = store::open(&Location::from(&sandbox.db), Access::ReadWrite).unwrap();
    let documents: Vec<(String, usize)> = store
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 10_000,
        })
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.content_sentences))
        .collect();
    let names = ["A".to_owned(), "B".to_owned(), "C".to_owned()];
    let plan = plan_assignment(&documents, &names, 0.3, None, 5).unwrap();
    // An existing, empty folder stays; one made for the packages goes.
    for (out, existed) in [
        (sandbox.path("chosen"), true),
        (sandbox.path("new/pk"), false),
    ] {
        if existed {
            std::fs::create_dir_all(&out).unwrap();
        }
        // Stop while the last package is being written: two are complete by then.
        let (outcome, steps) = cancelling(
            |step| step.total > 10 && step.done == step.total - 1,
            |monitor| write_packages_with(&mut *store, &plan, &out, monitor),
        );
        assert!(
            matches!(outcome, Err(ModelError::Cancelled(_))),
            "{outcome:?}"
        );
        let total: usize = plan.per_annotator.values().map(Vec::len).sum();
        assert_eq!(steps.last().unwrap().1, total, "progress counts documents");
        assert_eq!(out.exists(), existed);
        if existed {
            assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
        }
        assert!(!sandbox.path("new").exists() || existed);
        let after = dump(&sandbox.db);
        assert!(database == after, "{}", dump_diff(&database, &after));
    }
}

#[test]
fn agreement_cancelled_half_way_stops() {
    let sandbox = project();
    let store = store::open(&Location::from(&sandbox.db), Access::ReadOnly).unwrap();
    let (outcome, steps) = cancelling(
        |step| step.what == "documents" && step.done == 1,
        |monitor| compute_agreement_with(&*store, &Default::default(), monitor),
    );
    assert!(
        matches!(outcome, Err(ModelError::Cancelled(_))),
        "{outcome:?}"
    );
    assert!(
        steps
            .iter()
            .any(|(_, _, what)| what == "reading annotations")
    );
}
