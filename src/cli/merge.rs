//! `isnad merge OTHER.db...`: bring annotators' databases together.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::model::Project;
use crate::store::{Access, Location};

/// Merge annotators' databases into this one.
///
/// Merge other Isnad databases (annotators' packages, or any copy) into this one. Each is
/// opened read-only and checked first, then merged in one transaction: documents by id
/// (a document whose id holds a different text is refused whole), entities by canonical
/// name, claims by id, "no claim" marks by sentence and annotator, boilerplate flags set or
/// cleared with `u` by sentence. An annotation edited in both places since they last met is a conflict: the later edit wins and it is reported.
/// Merging the same database again changes nothing.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The databases to merge in.
    #[arg(required = true, value_name = "OTHER.db")]
    pub others: Vec<PathBuf>,

    /// Print the reports as JSON.
    #[arg(long)]
    pub json: bool,
}

impl MergeArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let mut store = super::common::open_store(db)?;
        let mut reports = Vec::new();
        let mut failed = false;
        for other in &self.others {
            let result = Project::open(&Location::from(other), Access::ReadOnly)
                .and_then(|source| store.merge_from(source.store()));
            match result {
                Ok(report) => {
                    for (doc, reason) in &report.documents_refused {
                        eprintln!(
                            "isnad: {}: document {doc:?} refused: {reason}",
                            other.display()
                        );
                    }
                    for conflict in &report.conflicts {
                        eprintln!(
                            "isnad: {}: conflict on {} {} (document {}, sentence {}): edited in both places, kept the later edit ({}: here {}, there {})",
                            other.display(),
                            conflict.kind,
                            conflict.key,
                            conflict.doc_id,
                            conflict.sentence,
                            conflict.winner,
                            conflict.here_updated_at,
                            conflict.there_updated_at
                        );
                    }
                    eprintln!("{}", report.summary_line());
                    reports.push(report);
                }
                Err(error) => {
                    failed = true;
                    eprintln!("isnad: error: cannot merge {}: {error}", other.display());
                }
            }
        }
        if self.json {
            println!("{}", serde_json::to_string_pretty(&reports)?);
        }
        Ok(if failed {
            ExitCode::from(super::common::EXIT_FAILURE)
        } else {
            ExitCode::SUCCESS
        })
    }
}
