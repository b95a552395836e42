//! Long work off the UI thread — import, export, merge, assignment, agreement — each on its
//! own thread with its own database connection (SQLite's WAL lets the UI keep reading and
//! writing meanwhile; a server takes one more connection, with the password the app was
//! given), reporting progress and honouring a cancel button.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::agreement::report::AgreementReport;
use crate::domain::MergeReport;
use crate::export::{ExportRequest, Format, What};
use crate::importer::{ImportOptions, ImportReport};
use crate::model::Project;
use crate::model::measure_agreement::{AgreementScope, compute_agreement_with};
use crate::progress::{Monitor, Step};
use crate::store::{Access, Location, Store};

use super::connection::Target;

/// Progress shared with the UI.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub message: String,
}

/// What a finished job produced.
#[derive(Debug)]
pub enum JobOutcome {
    Import(ImportReport),
    Export {
        path: PathBuf,
        records: usize,
        /// Gold exports: the data files (one, or train/dev/test) and the dataset card.
        gold: Option<crate::export::gold::GoldFiles>,
    },
    Merge(Vec<Result<MergeReport, String>>),
    Assign(Vec<(String, PathBuf, usize)>),
    Agreement(Box<AgreementReport>),
}

/// A running job.
pub struct Job {
    pub title: String,
    pub progress: Arc<Mutex<Progress>>,
    pub cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<Result<JobOutcome, String>>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

impl Job {
    fn spawn(
        title: String,
        ctx: &egui::Context,
        work: impl FnOnce(&Mutex<Progress>, &AtomicBool) -> Result<JobOutcome, String> + Send + 'static,
    ) -> Job {
        let progress = Arc::new(Mutex::new(Progress::default()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (p, c, repaint) = (progress.clone(), cancel.clone(), ctx.clone());
        let handle = std::thread::spawn(move || {
            let result = work(&p, &c);
            repaint.request_repaint();
            result
        });
        Job {
            title,
            progress,
            cancel,
            handle: Some(handle),
        }
    }

    /// The progress so far.
    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Asks the job to stop at the next safe point (what is committed stays).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, once the thread is done.
    pub fn try_finish(&mut self) -> Option<Result<JobOutcome, String>> {
        if self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            let handle = self.handle.take()?;
            return Some(handle.join().unwrap_or_else(|_| {
                Err("the job crashed; nothing after its last commit was saved".into())
            }));
        }
        None
    }
}

fn set(progress: &Mutex<Progress>, done: usize, total: usize, message: impl Into<String>) {
    if let Ok(mut p) = progress.lock() {
        p.done = done;
        p.total = total;
        p.message = message.into();
    }
}

/// Library progress ([`Monitor`] steps) into the job's shared progress.
fn reporter(progress: &Mutex<Progress>) -> impl FnMut(&Step<'_>) + '_ {
    move |step| set(progress, step.done, step.total, step.what)
}

/// Opens the project's store for a job.
fn open_store(db: &Target, access: Access) -> Result<Box<dyn Store>, String> {
    db.open(access).map_err(|e| e.to_string())
}

/// Imports files and folders.
pub fn start_import(ctx: &egui::Context, db: Target, paths: Vec<PathBuf>) -> Job {
    let title = format!("Importing {} path(s)", paths.len());
    Job::spawn(title, ctx, move |progress, cancel| {
        let mut store = open_store(&db, Access::ReadWrite)?;
        let cancel_flag = Arc::new(AtomicBool::new(false));
        let options = ImportOptions {
            cancel: Some(cancel_flag.clone()),
            ..ImportOptions::default()
        };
        let report = crate::importer::import_paths(&mut *store, &paths, &options, &mut |p| {
            if cancel.load(Ordering::Relaxed) {
                cancel_flag.store(true, Ordering::Relaxed);
            }
            set(progress, p.files_done, p.files_total, p.current.clone());
        })
        .map_err(|e| e.to_string())?;
        Ok(JobOutcome::Import(report))
    })
}

/// Exports one kind of record to a file (cancelled: no file is left).
pub fn start_export(
    ctx: &egui::Context,
    db: Target,
    what: What,
    format: Format,
    path: PathBuf,
    gold_split: Option<(crate::export::gold::SplitRatios, u64)>,
) -> Job {
    let title = format!("Exporting to {}", path.display());
    Job::spawn(title, ctx, move |progress, cancel| {
        set(progress, 0, 0, "opening the database");
        let store = open_store(&db, Access::ReadOnly)?;
        let mut report = reporter(progress);
        let mut monitor = Monitor::new(&mut report, Some(cancel));
        if what == What::Gold {
            // The dataset: data file(s) and the dataset card, as `isnad export --what gold`.
            let files = crate::export::gold::export_gold_files_with(
                &*store,
                format,
                &path,
                gold_split,
                &mut monitor,
            )
            .map_err(|e| format!("{}: {e}", path.display()))?;
            return Ok(JobOutcome::Export {
                path,
                records: files.records(),
                gold: Some(files),
            });
        }
        let request = ExportRequest {
            what,
            format,
            annotator: None,
            gold_split: None,
        };
        let records = crate::export::export_to_file_with(&*store, &request, &path, &mut monitor)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(JobOutcome::Export {
            path,
            records,
            gold: None,
        })
    })
}

/// Merges other databases in.
pub fn start_merge(ctx: &egui::Context, db: Target, others: Vec<PathBuf>) -> Job {
    let title = format!("Merging {} database(s)", others.len());
    Job::spawn(title, ctx, move |progress, cancel| {
        let mut store = open_store(&db, Access::ReadWrite)?;
        let total = others.len();
        let mut reports = Vec::new();
        for (index, other) in others.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            set(progress, index, total, other.display().to_string());
            let result = Project::open(&Location::from(other), Access::ReadOnly)
                .and_then(|source| store.merge_from(source.store()))
                .map_err(|e| format!("{}: {e}", other.display()));
            reports.push(result);
        }
        set(progress, total, total, "done");
        Ok(JobOutcome::Merge(reports))
    })
}

/// Writes annotators' packages (cancelled: no package is left, the database unchanged).
pub fn start_assign(
    ctx: &egui::Context,
    db: Target,
    annotators: Vec<String>,
    overlap: f64,
    seed: u64,
    out: PathBuf,
) -> Job {
    let title = format!("Writing {} package(s)", annotators.len());
    Job::spawn(title, ctx, move |progress, cancel| {
        set(progress, 0, 0, "planning");
        let mut store = open_store(&db, Access::ReadWrite)?;
        let documents: Vec<(String, usize)> = store
            .document_summaries(&crate::domain::DocumentListQuery {
                text: "",
                status: crate::domain::StatusFilter::All,
                annotator: None,
                gold: false,
                offset: 0,
                limit: usize::MAX >> 1,
            })
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|d| (d.id, d.content_sentences))
            .collect();
        let plan =
            crate::model::assign::plan_assignment(&documents, &annotators, overlap, None, seed)
                .map_err(|e| e.to_string())?;
        let mut report = reporter(progress);
        let mut monitor = Monitor::new(&mut report, Some(cancel));
        let written =
            crate::model::assign::write_packages_with(&mut *store, &plan, &out, &mut monitor)
                .map_err(|e| e.to_string())?;
        Ok(JobOutcome::Assign(written))
    })
}

/// Computes the agreement report.
pub fn start_agreement(ctx: &egui::Context, db: Target, scope: AgreementScope) -> Job {
    Job::spawn(
        "Computing agreement".into(),
        ctx,
        move |progress, cancel| {
            set(progress, 0, 0, "opening the database");
            let store = open_store(&db, Access::ReadOnly)?;
            let mut report = reporter(progress);
            let mut monitor = Monitor::new(&mut report, Some(cancel));
            let report =
                compute_agreement_with(&*store, &scope, &mut monitor).map_err(|e| e.to_string())?;
            Ok(JobOutcome::Agreement(Box::new(report)))
        },
    )
}
