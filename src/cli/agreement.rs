//! `isnad agreement`: inter-annotator agreement per field, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use crate::model::measure_agreement::{AgreementScope, compute_agreement_with};
use crate::progress::{Monitor, Step};

/// Measure inter-annotator agreement (α, κ, span F1).
///
/// Inter-annotator agreement: Krippendorff's α (nominal, missing values allowed), Fleiss' κ,
/// Cohen's κ per pair, percent agreement and the number of units each rests on, for the
/// fields has_claim, speaker, target and stance; exact and overlap F1 of the speaker,
/// target, cue and claim spans; confusion matrices (in --json). Boilerplate sentences are
/// excluded; a sentence an annotator has not decided is a missing value.
#[derive(Debug, Args)]
pub struct AgreementArgs {
    /// Print the full report as JSON (keys: fields.<field>.krippendorff_alpha, .fleiss_kappa,
    /// .cohen_kappa["A|B"], .percent_agreement, .units; spans.<role>; per_document.<id>).
    #[arg(long)]
    pub json: bool,

    /// Only this document.
    #[arg(long, value_name = "ID")]
    pub doc: Option<String>,

    /// Only these annotators (comma-separated; default: everyone with decisions).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub annotators: Option<Vec<String>>,

    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl AgreementArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let store = super::common::open_store_for_reading(db)?;
        if let Some(doc) = &self.doc
            && store.document(doc)?.is_none()
        {
            anyhow::bail!("no document with id {doc:?}");
        }
        let scope = AgreementScope {
            annotators: self.annotators.clone().map(|list| {
                list.into_iter()
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect()
            }),
            doc_id: self.doc.clone(),
        };
        let bar = super::common::progress_bar(self.quiet, "");
        let mut progress = |step: &Step<'_>| super::common::show_step(&bar, step);
        let mut monitor = Monitor::new(&mut progress, Some(super::common::interrupt_flag()));
        let report = compute_agreement_with(&*store, &scope, &mut monitor)?;
        bar.finish_and_clear();
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let written = if self.json {
            serde_json::to_writer_pretty(&mut out, &report)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        } else {
            write_table(&mut out, &report)
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            other => {
                other?;
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

fn write_table(
    out: &mut impl Write,
    report: &crate::agreement::report::AgreementReport,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Agreement of {} ({} annotators) over {} documents, {} decided content sentences",
        report.annotators.join(", "),
        report.annotators.len(),
        report.documents,
        report.overall.sentences
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<10} {:>6} {:>8} {:>9} {:>8}  Cohen's κ per pair (units)",
        "field", "units", "α", "Fleiss κ", "% agree"
    )?;
    for field in crate::agreement::report::FIELDS {
        let Some(f) = report.overall.fields.get(field) else {
            continue;
        };
        let a = &f.agreement;
        let pairs = a
            .cohen_kappa
            .iter()
            .map(|(pair, k)| {
                format!(
                    "{pair} {} ({})",
                    figure(*k),
                    a.cohen_kappa_units.get(pair).copied().unwrap_or(0)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            out,
            "{:<10} {:>6} {:>8} {:>9} {:>8}  {pairs}",
            field,
            a.units,
            figure(a.krippendorff_alpha),
            figure(a.fleiss_kappa),
            figure(a.percent_agreement),
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{:<10} {:>9} {:>11}", "span", "exact F1", "overlap F1")?;
    for role in crate::agreement::report::SPAN_ROLES {
        if let Some(s) = report.overall.spans.get(role) {
            writeln!(
                out,
                "{:<10} {:>9} {:>11}",
                role,
                figure(s.mean_exact_f1),
                figure(s.mean_overlap_f1)
            )?;
        }
    }
    Ok(())
}
