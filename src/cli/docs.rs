//! `isnad docs`: list the documents with their sentence counts.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

/// List documents with their sentence counts and progress.
///
/// List documents: id, content sentences / all sentences, title; with --annotator, that
/// annotator's progress (decided / content sentences).
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Only documents whose title or id contains this text.
    #[arg(long, default_value = "")]
    pub filter: String,

    /// Show this annotator's progress.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,

    /// Show every annotator's progress on each document (those it is assigned to): a
    /// team's work as it happens, on a server project.
    #[arg(long, conflicts_with = "annotator")]
    pub team: bool,
}

impl DocsArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        let store = super::common::open_store_for_reading(db)?;
        if self.team {
            return self.print_team(&*store);
        }
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        const PAGE: usize = 1000;
        let mut offset = 0;
        let mut total = 0;
        loop {
            let page = store.document_summaries(&crate::domain::DocumentListQuery {
                text: &self.filter,
                status: crate::domain::StatusFilter::All,
                annotator: self.annotator.as_deref(),
                gold: false,
                offset,
                limit: PAGE,
            })?;
            for doc in &page {
                let written = match &self.annotator {
                    Some(_) => writeln!(
                        out,
                        "{}\t{}/{} decided\t{}/{} sentences\t{}",
                        doc.id,
                        doc.done_sentences,
                        doc.content_sentences,
                        doc.content_sentences,
                        doc.sentence_count,
                        doc.title
                    ),
                    None => writeln!(
                        out,
                        "{}\t{}/{} sentences\t{}",
                        doc.id, doc.content_sentences, doc.sentence_count, doc.title
                    ),
                };
                if let Err(e) = written {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(e.into());
                }
            }
            total += page.len();
            if page.len() < PAGE {
                break;
            }
            offset += PAGE;
        }
        match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
            _ => {}
        }
        eprintln!("{total} documents");
        Ok(ExitCode::SUCCESS)
    }

    fn print_team(&self, store: &dyn crate::store::Store) -> anyhow::Result<ExitCode> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let rows = crate::model::lists::team_progress(store)?;
        let mut shown = 0;
        for row in rows
            .iter()
            .filter(|r| r.title.contains(&self.filter) || r.id.contains(&self.filter))
        {
            let done: Vec<String> = row
                .done
                .iter()
                .map(|(who, n)| format!("{who} {n}/{}", row.content_sentences))
                .collect();
            let written = writeln!(out, "{}\t{}\t{}", row.id, done.join("  "), row.title);
            if let Err(e) = written {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(ExitCode::SUCCESS);
                }
                return Err(e.into());
            }
            shown += 1;
        }
        match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
            _ => {}
        }
        eprintln!("{shown} documents");
        Ok(ExitCode::SUCCESS)
    }
}
