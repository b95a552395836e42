//! `isnad cues`: the project's reporting cues — the forms annotators marked that the cue list
//! does not know, and the project's own cue entries.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::model::cues::{
    PROJECT_CUES, as_cue_entries, project_cue_matcher, set_project_cues, unlisted_cue_forms,
};

/// Cue forms marked that the cue list lacks; project cues.
///
/// With no option: the cue forms of confirmed claims that neither the built-in cue list nor
/// the project's own entries match, most marked first, written as cue-file entries
/// (`[[cue]]`) to review, complete (gloss, other forms) and give back with --add. --add FILE
/// replaces the project's own entries with the file's (checked with the built-in list: a
/// form listed twice is refused); the app and `isnad suggest` use them at once. --show
/// prints the project's own entries.
#[derive(Debug, Args)]
pub struct CuesArgs {
    /// Replace the project's own cue entries with this cue file's `[[cue]]` entries.
    #[arg(long, value_name = "FILE.toml", conflicts_with = "show")]
    pub add: Option<PathBuf>,

    /// Print the project's own cue entries.
    #[arg(long)]
    pub show: bool,
}

impl CuesArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        if let Some(path) = &self.add {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the file", path.display()))?;
            let mut store = super::common::open_store(db)?;
            let added = set_project_cues(&mut *store, &text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            eprintln!("{added} project cue entries from {}", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        let store = super::common::open_store_for_reading(db)?;
        if self.show {
            project_cue_matcher(&*store)?;
            print!("{}", store.meta(PROJECT_CUES)?.unwrap_or_default());
            return Ok(ExitCode::SUCCESS);
        }
        let unlisted = unlisted_cue_forms(&*store)?;
        print!("{}", as_cue_entries(&unlisted));
        eprintln!(
            "{} cue form(s) marked by annotators are not in the cue list",
            unlisted.len()
        );
        Ok(ExitCode::SUCCESS)
    }
}
