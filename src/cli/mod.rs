//! The command line: `isnad [--db PATH|URL] [COMMAND]`. Clap derive, one file per subcommand;
//! no SQL and no egui here — subcommands call the importer, the store's typed methods and
//! the exporters, and turn their errors into messages and exit codes.

mod agreement;
mod assign;
mod bidi;
mod common;
mod cues;
mod docs;
mod entities;
mod export;
mod import;
mod import_claims;
mod merge;
mod report;
mod server;
mod suggest;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::store::Location;

pub use common::{
    EXIT_CANCELLED, EXIT_FAILURE, database_location, open_store, open_store_for_reading,
};

/// Annotate stance and claims in Arabic news.
///
/// With no command, opens the annotation app on the database (by default the one in the
/// platform data folder, created from the seed articles on first run).
#[derive(Debug, Parser)]
#[command(name = "isnad", version, about, long_about)]
pub struct Cli {
    /// Database to use: a file (default: isnad.db in the platform data folder), or a team
    /// project on a PostgreSQL server, postgres://USER@HOST[:PORT]/DB (the password from
    /// the URL, PGPASSWORD or ~/.pgpass, else asked for; ?sslmode=require for TLS only).
    #[arg(
        long,
        global = true,
        value_name = "PATH|URL",
        env = "ISNAD_DB",
        value_parser = location_parser()
    )]
    pub db: Option<Location>,

    /// Annotate as this annotator (the app otherwise asks once and remembers).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,

    /// Open the app at this document (and sentence index, 0-based as in exports).
    #[arg(long, value_name = "DOC_ID[:SENTENCE]")]
    pub open: Option<String>,

    /// Start the app in this view.
    #[arg(long, value_enum, default_value = "annotate")]
    pub view: crate::app::MainView,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Import(import::ImportArgs),
    Docs(docs::DocsArgs),
    Export(export::ExportArgs),
    ImportClaims(import_claims::ImportClaimsArgs),
    Agreement(agreement::AgreementArgs),
    Assign(assign::AssignArgs),
    Bidi(bidi::BidiArgs),
    Entities(entities::EntitiesArgs),
    Merge(merge::MergeArgs),
    Server(server::ServerArgs),
    Suggest(suggest::SuggestArgs),
    Cues(cues::CuesArgs),
    Report(report::ReportArgs),
}

/// `--db`: any argument (not necessarily UTF-8) as a [`Location`].
fn location_parser() -> impl clap::builder::TypedValueParser<Value = Location> {
    use clap::builder::TypedValueParser;
    clap::builder::OsStringValueParser::new().map(Location::from)
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Import(args)) => args.run(cli.db.as_ref()),
        Some(Command::Docs(args)) => args.run(cli.db.as_ref()),
        Some(Command::Export(args)) => args.run(cli.db.as_ref()),
        Some(Command::ImportClaims(args)) => args.run(cli.db.as_ref()),
        Some(Command::Agreement(args)) => args.run(cli.db.as_ref()),
        Some(Command::Assign(args)) => args.run(cli.db.as_ref()),
        Some(Command::Bidi(args)) => args.run(),
        Some(Command::Entities(args)) => args.run(cli.db.as_ref()),
        Some(Command::Merge(args)) => args.run(cli.db.as_ref()),
        Some(Command::Server(args)) => args.run(cli.db.as_ref()),
        Some(Command::Suggest(args)) => args.run(cli.db.as_ref()),
        Some(Command::Cues(args)) => args.run(cli.db.as_ref()),
        Some(Command::Report(args)) => args.run(cli.db.as_ref()),
        None => run_app(&cli),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_cancelled(&error) => {
            eprintln!("isnad: cancelled; nothing was written");
            ExitCode::from(EXIT_CANCELLED)
        }
        Err(error) => {
            report_error(&error);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Opens the annotation app.
fn run_app(cli: &Cli) -> anyhow::Result<ExitCode> {
    let (db, _) = database_location(cli.db.as_ref())?;
    if db.path().is_some() {
        // Creates (and, for the default database, fills from the seeds with the starter
        // registry) before the window opens, so errors are reported here too. A server
        // project is opened by the window alone: it asks for a password if one is needed,
        // and says there why the server cannot be used.
        let mut store = open_store(cli.db.as_ref())?;
        if cli.db.is_none() {
            crate::model::project::load_starter_registry(store.as_mut())?;
        }
    }
    let open = cli.open.as_deref().map(parse_open).transpose()?;
    crate::app::run_gui(crate::app::AppConfig {
        db,
        annotator: cli.annotator.clone(),
        open,
        view: cli.view,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `DOC_ID[:SENTENCE]` (ids may contain colons: the sentence is after the last one, if it is
/// a number).
pub fn parse_open(text: &str) -> anyhow::Result<(String, Option<usize>)> {
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("--open needs a document id");
    }
    match text.rsplit_once(':') {
        Some((doc, sentence))
            if !doc.is_empty()
                && sentence.chars().all(|c| c.is_ascii_digit())
                && !sentence.is_empty() =>
        {
            Ok((doc.to_owned(), Some(sentence.parse()?)))
        }
        _ => Ok((text.to_owned(), None)),
    }
}

/// True when the error is a cancel (Ctrl+C), whatever layer it came through.
fn is_cancelled(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<crate::progress::Cancelled>()
            || matches!(
                cause.downcast_ref::<crate::export::ExportError>(),
                Some(crate::export::ExportError::Cancelled(_))
            )
            || matches!(
                cause.downcast_ref::<crate::model::ModelError>(),
                Some(crate::model::ModelError::Cancelled(_))
            )
    })
}

/// Prints an error and its causes once, on stderr.
pub fn report_error(error: &anyhow::Error) {
    let mut message = format!("isnad: error: {error}");
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(&format!("\n  caused by: {cause}"));
        }
    }
    eprintln!("{message}");
}
