//! `isnad report`: the stance matrix, the speaker → target graph and the timeline of the
//! project's claims, for scripts and papers.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};

use crate::insight::Period;
use crate::insight::graph::{self, GraphFormat};
use crate::model::insight::{self as insight, Filter, Source, Tuples};

/// Stance matrix, graph and timeline of the claims.
///
/// Counts the confirmed claims (as `isnad export --what claims` writes them) or the gold
/// claims (`--what gold`) per speaker → target pair and stance, by entity canonical name.
/// Every figure equals a pivot of that export. Claims without a speaker or a target entity
/// are left out and counted on stderr.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub what: ReportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The stance matrix: speaker, target, claims per stance, total.
    Matrix {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value = "csv")]
        format: TableFormat,
    },
    /// The speaker → target graph as GraphML or GEXF (networkx, Gephi).
    Graph {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum)]
        format: GraphFormat,
    },
    /// Stance counts per week or month of the documents' published date.
    Timeline {
        #[command(flatten)]
        common: Common,
        /// The period.
        #[arg(long, value_enum, default_value = "month")]
        by: Period,
        #[arg(long, value_enum, default_value = "csv")]
        format: TableFormat,
    },
}

/// Table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Csv,
    Json,
}

/// What every report takes: whose claims, which, and where to write.
#[derive(Debug, Args)]
pub struct Common {
    /// Whose claims: gold, all (each annotator's claims once), majority (per sentence and
    /// pair, the stance more than half the annotators gave), annotator:NAME.
    #[arg(long, default_value = "all", value_name = "SOURCE")]
    pub source: Source,

    /// Only this document (repeatable).
    #[arg(long = "doc", value_name = "ID")]
    pub documents: Vec<String>,

    /// Only documents of this source (site).
    #[arg(long, value_name = "SOURCE")]
    pub site: Option<String>,

    /// Only documents published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub from: Option<String>,

    /// Only documents published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub to: Option<String>,

    /// Only claims of this claim type.
    #[arg(long, value_name = "TYPE")]
    pub claim_type: Option<String>,

    /// Only claims of this speaker (canonical name or alias).
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,

    /// Only claims about this target (canonical name or alias).
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,

    /// Write to this file (through a temporary file renamed at the end) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn date(text: &str) -> Result<String, String> {
    text.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

impl Common {
    fn filter(&self, store: &dyn crate::store::Store) -> anyhow::Result<Filter> {
        let named = |name: &Option<String>| -> anyhow::Result<Option<String>> {
            name.as_deref()
                .map(|n| insight::entity_named(store, n))
                .transpose()
                .map_err(anyhow::Error::from)
        };
        Ok(Filter {
            documents: self.documents.clone(),
            site: self.site.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            claim_type: self.claim_type.clone(),
            speaker: named(&self.speaker)?,
            target: named(&self.target)?,
        })
    }
}

impl ReportArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let store = super::common::open_store_for_reading(db)?;
        let (bytes, tuples, out, unknown) = match &self.what {
            ReportCommand::Matrix { common, format } => {
                let filter = common.filter(&*store)?;
                let (matrix, tuples) = insight::matrix(&*store, &common.source, &filter)?;
                let bytes = table(*format, |out| matrix.write_csv(out), || matrix.to_json())?;
                (bytes, tuples, &common.out, matrix.unknown_stance)
            }
            ReportCommand::Graph { common, format } => {
                let filter = common.filter(&*store)?;
                let (matrix, tuples) = insight::matrix(&*store, &common.source, &filter)?;
                let kinds = insight::entity_kinds(&*store)?;
                let text = graph::write(&matrix, &kinds, *format);
                (
                    text.into_bytes(),
                    tuples,
                    &common.out,
                    matrix.unknown_stance,
                )
            }
            ReportCommand::Timeline { common, by, format } => {
                if common.speaker.is_none() && common.target.is_none() {
                    anyhow::bail!(
                        "report timeline needs --speaker NAME (and --target NAME), or --target"
                    );
                }
                let filter = common.filter(&*store)?;
                let (timeline, tuples) = insight::timeline(&*store, &common.source, &filter, *by)?;
                if timeline.undated + timeline.unreadable > 0 {
                    eprintln!(
                        "{} claim(s) of documents without a published date, {} with one that is not a date: not in the timeline",
                        timeline.undated, timeline.unreadable
                    );
                }
                let bytes = table(
                    *format,
                    |out| timeline.write_csv(out),
                    || timeline.to_json(),
                )?;
                (bytes, tuples, &common.out, timeline.unknown_stance)
            }
        };
        write_output(out.as_deref(), &bytes)?;
        report_left_out(&tuples, unknown);
        Ok(ExitCode::SUCCESS)
    }
}

/// A table (matrix or timeline) as CSV or pretty JSON.
fn table(
    format: TableFormat,
    csv: impl FnOnce(&mut Vec<u8>) -> csv::Result<()>,
    json: impl FnOnce() -> serde_json::Value,
) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match format {
        TableFormat::Csv => csv(&mut bytes)?,
        TableFormat::Json => {
            bytes = serde_json::to_vec_pretty(&json())?;
            bytes.push(b'\n');
        }
    }
    Ok(bytes)
}

fn report_left_out(tuples: &Tuples, unknown_stance: usize) {
    let unknown = if unknown_stance > 0 {
        format!("; {unknown_stance} with a stance the label schema no longer has left out")
    } else {
        String::new()
    };
    eprintln!(
        "{} claim(s) counted; {} without a speaker or target entity left out{unknown}{}",
        tuples.tuples.len() - unknown_stance,
        tuples.without_entities,
        if tuples.ties > 0 {
            format!("; {} sentence pair(s) with no majority", tuples.ties)
        } else {
            String::new()
        }
    );
}

/// Writes `bytes` to stdout, or to `path` through a temporary file beside it renamed when
/// complete (an interrupted run leaves no half file).
fn write_output(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        };
    };
    crate::export::write_file_atomically(path, bytes)
        .with_context(|| format!("{}: cannot write the report", path.display()))
}
