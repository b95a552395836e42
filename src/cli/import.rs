//! `isnad import PATH...`: import articles from .txt files, .jsonl files and folders.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::importer::{self, ImportOptions};

/// Import articles from .txt and .jsonl files and folders.
///
/// Import articles: .txt (one article per file, first line = title), .jsonl (one article per
/// line: "text" required; "id", "title", "source", "url", "published" optional; other fields
/// kept as metadata), or folders of them (walked recursively).
///
/// Encodings are detected: UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1256. Each file
/// is imported entirely or not at all (a .jsonl with a broken line is refused whole, with
/// every broken line named). Importing the same article again changes nothing. Exits with
/// code 1 when nothing valid was imported (or, with --strict, when any file failed).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files and folders to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Decode every file with this encoding instead of detecting it (e.g. windows-1256).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Exit with code 1 if any file failed, even when others were imported.
    #[arg(long)]
    pub strict: bool,

    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl ImportArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let mut store = super::common::open_store(db)?;
        let options = ImportOptions {
            encoding: self.encoding.clone(),
            ..ImportOptions::default()
        };
        let bar = if self.quiet {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {wide_msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        };
        let report = importer::import_paths(&mut *store, &self.paths, &options, &mut |progress| {
            bar.set_length(progress.files_total as u64);
            bar.set_position(progress.files_done as u64);
            bar.set_message(progress.current.clone());
        })?;
        bar.finish_and_clear();
        for failed in &report.failed {
            eprintln!("isnad: {}: {}", failed.path, failed.reason);
        }
        if report.files_seen == 0 && report.failed.is_empty() {
            let paths: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "isnad: no .txt or .jsonl file found in {}: nothing to import",
                paths.join(", ")
            );
        }
        eprintln!("{}", report.summary_line());
        let failed = !report.failed.is_empty();
        let exit_failure = (report.nothing_valid() && (failed || report.files_seen == 0))
            || (self.strict && failed);
        Ok(if exit_failure {
            ExitCode::from(super::common::EXIT_FAILURE)
        } else {
            ExitCode::SUCCESS
        })
    }
}
