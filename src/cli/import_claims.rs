//! `isnad import-claims FILE.jsonl`: bring claims in from a file in the export format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::importer::claims::import_claims_file_with;

/// Import claims or pre-annotations from a JSON Lines file.
///
/// Import claims from a JSON Lines file: the format `export --what claims` writes (a
/// lossless round trip) — another annotator's export, another tool's labels — or
/// pre-annotations that give only what they know.
///
/// Required: doc_id, sentence_index, and for a claim stance, speaker and target; annotator
/// unless --annotator is given. Everything else may be missing or null: type (claim),
/// claim_id (generated, the same on every import), cue and claim (absent), note (""),
/// claim_type (none), lead_time_s (0), created_at / updated_at (now), schema_version /
/// schema_hash (the project's; a record made with another label schema is refused). A role
/// is an object {entity, entity_type, text, start, end} with any of its fields, or just an
/// entity name.
///
/// Each record is checked against the document text — offsets that do not hold the
/// record's `text` are rejected — and every rejected record is named with its line; the
/// valid ones are stored in one transaction. Entities are matched by canonical name (new
/// ones are created). Exits with code 1 when nothing was imported (with --strict, one
/// rejected record keeps the whole file out).
#[derive(Debug, Args)]
pub struct ImportClaimsArgs {
    /// The JSON Lines file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Attribute every record to this annotator (e.g. "model-v1" for pre-annotations).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,

    /// All or nothing: if any record is rejected, import none and exit with code 1.
    #[arg(long)]
    pub strict: bool,
}

impl ImportClaimsArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let mut store = super::common::open_store(db)?;
        let report = import_claims_file_with(
            &mut *store,
            &self.file,
            self.annotator.as_deref(),
            self.strict,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", self.file.display()))?;
        for rejected in &report.rejected {
            eprintln!(
                "isnad: {}:{}: {}",
                self.file.display(),
                rejected.line,
                rejected.reason
            );
        }
        eprintln!("{}", report.summary_line());
        let imported = report.claims + report.no_claim_marks;
        let failed = (imported == 0) || (self.strict && !report.rejected.is_empty());
        Ok(if failed {
            ExitCode::from(super::common::EXIT_FAILURE)
        } else {
            ExitCode::SUCCESS
        })
    }
}
