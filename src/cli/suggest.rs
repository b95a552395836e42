//! `isnad suggest`: the proposals as claims JSONL in the `import-claims` format.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::model::proposals::{SUGGEST_ANNOTATOR, SuggestRequest, suggestion_records};

/// Write the proposed claims as claims JSON Lines.
///
/// Write the claims Isnad proposes — the reporting cue, the speaker phrase and its entity
/// (an implicit speaker by entity alone), the claim content and a target candidate — as
/// claims JSONL in the `import-claims` format, so they can be imported as one more
/// annotator, measured with `isnad agreement`, or compared with a dataset. Offsets are
/// document code points. The stance is the label schema's "unclear" until the project's
/// model can predict it (the note says so); a proposal with no target candidate has
/// `"target"` with null fields, which `import-claims` rejects by line until one is given.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Only this document.
    #[arg(long, value_name = "ID")]
    pub doc: Option<String>,

    /// The annotator name written in every record.
    #[arg(long, value_name = "NAME", default_value = SUGGEST_ANNOTATOR)]
    pub annotator: String,

    /// Write to this file (through a temporary file renamed at the end) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl SuggestArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        if self.annotator.trim().is_empty() {
            anyhow::bail!("--annotator must not be empty");
        }
        let store = super::common::open_store_for_reading(db)?;
        let request = SuggestRequest {
            doc: self.doc.as_deref(),
            annotator: self.annotator.trim(),
        };
        let count = match &self.out {
            None => {
                let stdout = std::io::stdout();
                let mut out = BufWriter::new(stdout.lock());
                match write_records(&*store, &request, &mut out) {
                    Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
                    other => other?,
                }
            }
            Some(path) => write_file(&*store, &request, path)?,
        };
        eprintln!("{count} proposed claims");
        Ok(ExitCode::SUCCESS)
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn write_records(
    store: &dyn crate::store::Store,
    request: &SuggestRequest<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let mut failure: Option<std::io::Error> = None;
    let written = suggestion_records(store, request, &mut |record| {
        let line = serde_json::to_string(&record).map_err(|e| {
            crate::model::ModelError::Invalid(format!("cannot write a record: {e}"))
        })?;
        if let Err(e) = writeln!(out, "{line}") {
            failure = Some(e);
            return Err(crate::model::ModelError::Invalid("output failed".into()));
        }
        Ok(())
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    let count = written?;
    out.flush()?;
    Ok(count)
}

/// Writes to `path` through a temporary file beside it, renamed when complete.
fn write_file(
    store: &dyn crate::store::Store,
    request: &SuggestRequest<'_>,
    path: &Path,
) -> anyhow::Result<usize> {
    let created = crate::files::create_missing_folders(path.parent().unwrap_or(Path::new("")))
        .with_context(|| format!("{}: cannot create its folder", path.display()))?;
    let name = path
        .file_name()
        .map_or_else(|| "suggest".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> anyhow::Result<usize> {
        let file = std::fs::File::create(&tmp)?;
        let mut out = BufWriter::new(file);
        let count = write_records(store, request, &mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(count)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        crate::files::remove_created_folders(&created);
    }
    result.with_context(|| format!("{}: cannot write the proposals", path.display()))
}
