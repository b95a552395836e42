//! `isnad export`: write documents or sentences as JSON Lines or CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::export::{self, Format, What};
use crate::progress::{Monitor, Step};

/// Export documents, sentences, claims or gold as JSONL or CSV.
///
/// Export a dataset as JSON Lines (pandas `read_json(lines=True)`, Hugging Face `datasets`)
/// or CSV (RFC 4180, UTF-8, header row). Offsets are Unicode code points, like Python str.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(long, value_enum)]
    pub what: What,

    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,

    /// Only this annotator's claims (with --what claims).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,

    /// Split the gold standard by document into train/dev/test files (needs --out; e.g.
    /// gold.jsonl → gold.train.jsonl, gold.dev.jsonl, gold.test.jsonl). Proportions as
    /// TRAIN/DEV/TEST, default 80/10/10.
    #[arg(long, value_name = "80/10/10", num_args = 0..=1, default_missing_value = "80/10/10")]
    pub split: Option<String>,

    /// Seed of the split (a document's split depends only on its id and the seed).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Output file (default: standard output), its folder created if missing. Written to a
    /// temporary file first and renamed, so an interrupted export (Ctrl+C) never leaves a
    /// truncated file behind.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// An export error as the command line reports it: a cancel stays a cancel, anything else
/// names the file.
fn at_path(error: export::ExportError, path: &std::path::Path) -> anyhow::Error {
    match error {
        export::ExportError::Cancelled(cancelled) => cancelled.into(),
        other => anyhow::anyhow!("{}: {other}", path.display()),
    }
}

impl ExportArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let store = super::common::open_store_for_reading(db)?;
        if self.what == What::Gold {
            return self.export_gold(&*store);
        }
        if self.split.is_some() {
            anyhow::bail!("--split applies to --what gold");
        }
        let request = export::ExportRequest {
            what: self.what,
            format: self.format,
            annotator: self.annotator.clone(),
            gold_split: None,
        };
        let bar = super::common::progress_bar(self.quiet, "records");
        let mut report = |step: &Step<'_>| super::common::show_step(&bar, step);
        let mut monitor = Monitor::new(&mut report, Some(super::common::interrupt_flag()));
        let count = match &self.out {
            None => {
                let stdout = std::io::stdout();
                match export::export_with(&*store, &request, stdout.lock(), &mut monitor) {
                    Err(e) if e.is_broken_pipe() => return Ok(ExitCode::SUCCESS),
                    other => other?,
                }
            }
            Some(path) => export::export_to_file_with(&*store, &request, path, &mut monitor)
                .map_err(|e| at_path(e, path))?,
        };
        bar.finish_and_clear();
        eprintln!("{count} records");
        Ok(ExitCode::SUCCESS)
    }
}

impl ExportArgs {
    /// The gold standard: one file or three splits, plus a dataset card beside them.
    fn export_gold(&self, store: &dyn crate::store::Store) -> anyhow::Result<ExitCode> {
        use crate::export::gold::{SplitRatios, export_gold_files_with};
        let ratios = self
            .split
            .as_deref()
            .map(SplitRatios::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let Some(out) = &self.out else {
            if ratios.is_some() {
                anyhow::bail!("--split writes several files: give --out FILE");
            }
            let request = export::ExportRequest {
                what: What::Gold,
                format: self.format,
                annotator: None,
                gold_split: None,
            };
            let stdout = std::io::stdout();
            let count = match export::export(store, &request, stdout.lock()) {
                Err(e) if e.is_broken_pipe() => return Ok(ExitCode::SUCCESS),
                other => other?,
            };
            eprintln!("{count} gold records (use --out FILE to also write the dataset card)");
            return Ok(ExitCode::SUCCESS);
        };
        let bar = super::common::progress_bar(self.quiet, "");
        let mut report = |step: &Step<'_>| super::common::show_step(&bar, step);
        let mut monitor = Monitor::new(&mut report, Some(super::common::interrupt_flag()));
        let split = ratios.map(|r| (r, self.seed));
        let written = export_gold_files_with(store, self.format, out, split, &mut monitor)
            .map_err(|e| at_path(e, out))?;
        bar.finish_and_clear();
        for (path, count) in &written.files {
            eprintln!("{count} gold records → {}", path.display());
        }
        eprintln!(
            "{} gold records; dataset card → {}",
            written.records(),
            written.card.display()
        );
        Ok(ExitCode::SUCCESS)
    }
}
