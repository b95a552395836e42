//! `isnad assign`: hand out the documents, one database per annotator.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::domain::{DocumentListQuery, StatusFilter};
use crate::model::assign::{plan_assignment, record_server_assignments, write_packages_with};
use crate::progress::{Monitor, Step};

/// Hand out the documents: packages, or assignments on a server.
///
/// Hand out the work: write one database per annotator into DIR, holding their share of the
/// documents plus the label schema, guidelines and entity registry — a package to send to
/// each person. A fixed, reproducible fraction of the documents (--overlap, rounded up) goes
/// to several annotators for agreement; the rest is spread so everyone gets about the same
/// number of sentences. The same documents, names and --seed always give the same split.
/// Merge the packages back with `isnad merge`. Ctrl+C stops it and removes the packages
/// written so far.
///
/// On a team project on a server (--db postgres://...), the split is written as
/// assignments instead (same rules): each member then sees and annotates exactly their
/// documents, and their next document is their next assigned one. Give --out as well to
/// also write packages, for annotators working offline (merge them back into the server).
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Annotator names, comma-separated.
    #[arg(long, required = true, value_delimiter = ',', value_name = "A,B,...")]
    pub annotators: Vec<String>,

    /// Fraction of documents given to several annotators (0 to 1).
    #[arg(long, default_value_t = 0.2)]
    pub overlap: f64,

    /// How many annotators get each overlap document (default: all of them).
    #[arg(long, value_name = "K")]
    pub per_overlap: Option<usize>,

    /// Seed of the reproducible split.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Folder to write the packages to (created if missing; existing packages are never
    /// overwritten). Required for a project file; on a server, packages are written only
    /// when it is given.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl AssignArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let mut store = super::common::open_store(db)?;
        let annotators: Vec<String> = self
            .annotators
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        let mut documents = Vec::new();
        let mut offset = 0;
        loop {
            let page = store.document_summaries(&DocumentListQuery {
                text: "",
                status: StatusFilter::All,
                annotator: None,
                gold: false,
                offset,
                limit: 10_000,
            })?;
            let done = page.len() < 10_000;
            offset += page.len();
            documents.extend(page.into_iter().map(|d| (d.id, d.content_sentences)));
            if done {
                break;
            }
        }
        if documents.is_empty() {
            anyhow::bail!("the database has no documents to assign; import some first");
        }
        let plan = plan_assignment(
            &documents,
            &annotators,
            self.overlap,
            self.per_overlap,
            self.seed,
        )?;
        let on_server = store.member().is_some();
        match (&self.out, on_server) {
            (Some(out), _) => {
                let bar = super::common::progress_bar(self.quiet, "documents");
                let mut report = |step: &Step<'_>| super::common::show_step(&bar, step);
                let mut monitor = Monitor::new(&mut report, Some(super::common::interrupt_flag()));
                let packages = write_packages_with(&mut *store, &plan, out, &mut monitor)?;
                bar.finish_and_clear();
                for (annotator, path, count) in &packages {
                    eprintln!("{annotator}: {count} documents → {}", path.display());
                }
            }
            (None, true) => {
                for warning in record_server_assignments(&mut *store, &plan)? {
                    eprintln!("isnad: warning: {warning}");
                }
                for (annotator, ids) in &plan.per_annotator {
                    eprintln!("{annotator}: {} documents assigned", ids.len());
                }
            }
            (None, false) => anyhow::bail!(
                "--out DIR is needed: the packages of a project file are written into a folder \
                 (assignments without packages are for team projects on a server)"
            ),
        }
        eprintln!(
            "{} documents, {} of them given to several annotators for agreement (seed {})",
            documents.len(),
            plan.overlap.len(),
            self.seed
        );
        Ok(ExitCode::SUCCESS)
    }
}
