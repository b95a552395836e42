//! The command line: `isnad [--db PATH|URL] [COMMAND]`. Clap derive, one file per subcommand;
//! no SQL and no egui here — subcommands call the importer, the store's typed methods and
//! the exporters, and turn their errors into messages and exit codes.

mod agreement;
mod assign;
mod bidi;
mod docs;
mod entities;
mod export;
mod import;
mod import_claims;
mod merge;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

use crate::model::Project;
use crate::store::{Access, Location, Store};

/// Annotate stance and claims in Arabic news.
///
/// With no command, opens the annotation app on the database (by default the one in the
/// platform data folder, created from the seed articles on first run).
#[derive(Debug, Parser)]
#[command(name = "isnad", version, about, long_about)]
pub struct Cli {
    /// Database to use: a file (default: isnad.db in the platform data folder); a
    /// PostgreSQL server (postgres://USER@HOST/NAME) is not supported yet.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
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
}

/// `--db`: any argument (not necessarily UTF-8) as a [`Location`].
fn location_parser() -> impl clap::builder::TypedValueParser<Value = Location> {
    use clap::builder::TypedValueParser;
    clap::builder::OsStringValueParser::new().map(Location::from)
}

/// Exit code for failures (clap uses 2 for usage errors).
pub const EXIT_FAILURE: u8 = 1;

/// Exit code after Ctrl+C stopped a command (128 + SIGINT, as shells report it).
pub const EXIT_CANCELLED: u8 = 130;

/// Set by Ctrl+C while a long command runs (see [`interrupt_flag`]).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The flag Ctrl+C sets, for the library to stop at its next safe point and take away what
/// it had started (a half-written export, packages). A second Ctrl+C exits at once.
pub(crate) fn interrupt_flag() -> &'static AtomicBool {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    HANDLER.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(EXIT_CANCELLED));
            }
        });
        if let Err(e) = installed {
            eprintln!("isnad: warning: Ctrl+C will stop the command without cleaning up ({e})");
        }
    });
    &INTERRUPTED
}

/// A progress bar on stderr (drawn only on a terminal, never with `quiet`), fed by a
/// [`crate::progress::Monitor`]; Ctrl+C cancels.
pub(crate) fn progress_bar(quiet: bool, unit: &str) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} [{{elapsed_precise}}] {{bar:30}} {{pos}}/{{len}} {unit}{{msg}}  (Ctrl+C cancels)"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Shows a [`crate::progress::Step`] on `bar` (its phase after the unit when it has one).
pub(crate) fn show_step(bar: &indicatif::ProgressBar, step: &crate::progress::Step<'_>) {
    bar.set_length(step.total as u64);
    bar.set_position(step.done as u64);
    bar.set_message(format!(": {}", step.what));
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Import(args)) => args.run(&cli),
        Some(Command::Docs(args)) => args.run(&cli),
        Some(Command::Export(args)) => args.run(&cli),
        Some(Command::ImportClaims(args)) => args.run(&cli),
        Some(Command::Agreement(args)) => args.run(&cli),
        Some(Command::Assign(args)) => args.run(&cli),
        Some(Command::Bidi(args)) => args.run(),
        Some(Command::Entities(args)) => args.run(&cli),
        Some(Command::Merge(args)) => args.run(&cli),
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
    // Creates (and, for the default database, fills from the seeds with the starter
    // registry) before the window opens, so errors are reported here too.
    let mut store = open_store(cli)?;
    if cli.db.is_none() {
        crate::model::project::load_starter_registry(store.as_mut())?;
    }
    let Some(db_path) = store.location().path().map(|path| path.to_path_buf()) else {
        anyhow::bail!("the app opens database files only: {}", store.location());
    };
    drop(store);
    let open = cli.open.as_deref().map(parse_open).transpose()?;
    crate::app::run_gui(crate::app::AppConfig {
        db_path,
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

/// The database: `--db`, else the default file in the platform data folder (true).
pub fn database_location(cli: &Cli) -> anyhow::Result<(Location, bool)> {
    if let Some(location) = &cli.db {
        return Ok((location.clone(), false));
    }
    let dirs = directories::ProjectDirs::from("org", "Isnad", "isnad").ok_or_else(|| {
        anyhow::anyhow!("cannot find the platform data folder (no home directory?); pass --db PATH")
    })?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the data folder {}: {e}", dir.display()))?;
    Ok((Location::from(dir.join("isnad.db")), true))
}

/// Opens the database for writing; the default database is filled from the seeds when new.
pub fn open_store(cli: &Cli) -> anyhow::Result<Box<dyn Store>> {
    let (location, is_default) = database_location(cli)?;
    let is_new = location.path().is_some_and(|path| !path.exists());
    let mut store = Project::open(&location, Access::ReadWrite)?.into_store();
    if is_default && is_new {
        crate::seeds::import_seeds(store.as_mut())?;
    }
    Ok(store)
}

/// Opens a database for commands that only read: read-write when possible (so an older
/// database is migrated), read-only when the file or its folder cannot be written.
pub fn open_store_for_reading(cli: &Cli) -> anyhow::Result<Box<dyn Store>> {
    let (location, is_default) = database_location(cli)?;
    if let Some(path) = location.path()
        && !path.exists()
        && !is_default
    {
        anyhow::bail!("no such database: {}", path.display());
    }
    match open_store(cli) {
        Err(error)
            if matches!(
                error.downcast_ref::<crate::store::StoreError>(),
                Some(
                    crate::store::StoreError::ReadOnly { .. }
                        | crate::store::StoreError::CannotOpen { .. }
                )
            ) =>
        {
            Ok(Project::open(&location, Access::ReadOnly)?.into_store())
        }
        other => other,
    }
}
