//! What the subcommands share: the database they open (`--db`, else the default file),
//! exit codes, Ctrl+C, and progress bars. Subcommands use this file, never `cli/mod.rs`
//! (which declares them and dispatches to them), so the command line has no import circle.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::Project;
use crate::store::{Access, Location, Store, StoreError};

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

/// The database: `--db`, else the default file in the platform data folder (true).
pub fn database_location(db: Option<&Location>) -> anyhow::Result<(Location, bool)> {
    if let Some(location) = db {
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
pub fn open_store(db: Option<&Location>) -> anyhow::Result<Box<dyn Store>> {
    open_for_writing(db, &mut None)
}

/// [`open_store`], keeping a password typed at the prompt in `typed`.
fn open_for_writing(
    db: Option<&Location>,
    typed: &mut Option<String>,
) -> anyhow::Result<Box<dyn Store>> {
    let (location, is_default) = database_location(db)?;
    let is_new = location.path().is_some_and(|path| !path.exists());
    let mut store = open_asking_password(&location, Access::ReadWrite, typed)?;
    if is_default && is_new {
        crate::seeds::import_seeds(store.as_mut())?;
    }
    Ok(store)
}

/// Opens the project; when a server refuses the login without a password and standard
/// input is a terminal, asks for one once (not echoed) and tries again with it. The
/// password typed is kept in `typed` for another open by the same command, and nowhere
/// else; it is never printed.
fn open_asking_password(
    location: &Location,
    access: Access,
    typed: &mut Option<String>,
) -> anyhow::Result<Box<dyn Store>> {
    use std::io::IsTerminal;
    match Project::open_with_password(location, access, typed.as_deref()) {
        Err(StoreError::AuthFailed { .. })
            if typed.is_none()
                && matches!(location, Location::Postgres(_))
                && std::io::stdin().is_terminal() =>
        {
            let password = rpassword::prompt_password(format!("Password for {location}: "))
                .map_err(|e| anyhow::anyhow!("cannot read the password: {e}"))?;
            let store = Project::open_with_password(location, access, Some(&password))?;
            *typed = Some(password);
            Ok(store.into_store())
        }
        other => Ok(other?.into_store()),
    }
}

/// Opens a database for commands that only read: read-write when possible (so an older
/// database is migrated), read-only when the file or its folder cannot be written.
pub fn open_store_for_reading(db: Option<&Location>) -> anyhow::Result<Box<dyn Store>> {
    let (location, is_default) = database_location(db)?;
    if let Some(path) = location.path()
        && !path.exists()
        && !is_default
    {
        anyhow::bail!("no such database: {}", path.display());
    }
    let mut typed = None;
    match open_for_writing(db, &mut typed) {
        Err(error)
            if matches!(
                error.downcast_ref::<StoreError>(),
                Some(StoreError::ReadOnly { .. } | StoreError::CannotOpen { .. })
            ) =>
        {
            open_asking_password(&location, Access::ReadOnly, &mut typed)
        }
        other => other,
    }
}
