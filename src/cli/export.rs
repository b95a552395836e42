//! `isnad export`: write documents or sentences as JSON Lines or CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::export::{self, Format, What};

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

    /// Output file (default: standard output). Written to a temporary file first and renamed,
    /// so an interrupted export never leaves a truncated file behind.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl ExportArgs {
    pub fn run(&self, cli: &super::Cli) -> anyhow::Result<ExitCode> {
        let store = super::open_store_for_reading(cli)?;
        let request = export::ExportRequest {
            what: self.what,
            format: self.format,
            annotator: self.annotator.clone(),
        };
        let count = match &self.out {
            None => {
                let stdout = std::io::stdout();
                match export::export(&store, &request, stdout.lock()) {
                    Err(e) if e.is_broken_pipe() => return Ok(ExitCode::SUCCESS),
                    other => other?,
                }
            }
            Some(path) => {
                write_atomically(path, |file| Ok(export::export(&store, &request, file)?))?
            }
        };
        eprintln!("{count} records");
        Ok(ExitCode::SUCCESS)
    }
}

/// Writes to `path.tmp-<pid>` then renames over `path`: readers never see half a file.
pub fn write_atomically<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let file_name = path
        .file_name()
        .with_context(|| format!("not a file path: {}", path.display()))?;
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let result = write(&mut file).and_then(|value| {
        file.sync_all()
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        Ok(value)
    });
    match result {
        Ok(value) => {
            std::fs::rename(&tmp, path).with_context(|| {
                format!("cannot rename {} to {}", tmp.display(), path.display())
            })?;
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
