//! `isnad server`: set up a team's project on a PostgreSQL server and manage its members.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::domain::Role;
use crate::model::server;
use crate::store::Location;
use crate::store::postgres::server::AddedUser;

/// Set up a team project on a PostgreSQL server, and its members.
///
/// A team project lives in a PostgreSQL database (--db postgres://USER@HOST[:PORT]/DB, the
/// password from the URL, PGPASSWORD or ~/.pgpass). Its owner runs `init` once, then adds
/// each member with a role: annotator (annotates the documents assigned to them, sees only
/// their own labels), adjudicator (sees everyone's labels, writes the gold standard), lead
/// (everything). The server enforces the roles itself; see SECURITY.md.
#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(subcommand)]
    pub command: ServerCommand,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create (or upgrade) the project's tables, roles and policies in the database; only
    /// members may connect afterwards. Run by the database's owner.
    Init,
    /// Add a member (creating the PostgreSQL login if needed), or change their role.
    AddUser(AddUserArgs),
    /// End a member's membership: they can no longer connect; their labels stay.
    RemoveUser(RemoveUserArgs),
    /// List the members and their roles.
    Users,
}

#[derive(Debug, Args)]
pub struct AddUserArgs {
    /// The login name.
    pub name: String,

    /// What they may do.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,

    /// A file whose first line is their password (hashed here before it is sent; without
    /// it a new login is asked for one on a terminal, else has none and cannot log in
    /// with a password until one is set).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RemoveUserArgs {
    /// The login name.
    pub name: String,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_name(text.trim())
        .ok_or_else(|| format!("{text:?} is not a role: annotator, adjudicator or lead"))
}

impl ServerArgs {
    pub fn run(&self, db: Option<&Location>) -> anyhow::Result<ExitCode> {
        let Some(location @ Location::Postgres(_)) = db else {
            anyhow::bail!(
                "`isnad server` needs the project's server: --db postgres://USER@HOST[:PORT]/DB \
                 (or ISNAD_DB)"
            );
        };
        match &self.command {
            ServerCommand::Init => {
                let report = server::init(location, None)?;
                if report.from_version == report.to_version {
                    eprintln!(
                        "the project in {} is up to date (schema version {})",
                        report.database, report.to_version
                    );
                } else {
                    eprintln!(
                        "set up the project in {} (schema version {} → {}); owner: {}. Only \
                         members may connect now: add them with `isnad server add-user`",
                        report.database, report.from_version, report.to_version, report.owner
                    );
                }
            }
            ServerCommand::AddUser(args) => {
                let password = match &args.password_file {
                    Some(path) => Some(read_password_file(path)?),
                    None => None,
                };
                let added =
                    server::add_member(location, None, &args.name, args.role, password.as_deref())?;
                let what = match added {
                    AddedUser::Created => "created the login",
                    AddedUser::Existing => "the login exists;",
                };
                eprintln!(
                    "{what} {}: {} of this project{}",
                    args.name.trim(),
                    args.role,
                    if password.is_none() && added == AddedUser::Created {
                        " (no password yet: set one with --password-file or psql's \\password)"
                    } else {
                        ""
                    }
                );
            }
            ServerCommand::RemoveUser(args) => {
                if server::remove_member(location, None, &args.name)? {
                    eprintln!(
                        "{} is no longer a member (their labels stay)",
                        args.name.trim()
                    );
                } else {
                    anyhow::bail!("{} is not a member of this project", args.name.trim());
                }
            }
            ServerCommand::Users => {
                for member in server::members(location, None)? {
                    let mut notes = Vec::new();
                    if !member.can_login {
                        notes.push("cannot log in");
                    }
                    if !member.can_connect {
                        notes.push("cannot connect");
                    }
                    println!(
                        "{}\t{}\t{}{}",
                        member.name,
                        member.role,
                        member.created_at,
                        if notes.is_empty() {
                            String::new()
                        } else {
                            format!("\t({})", notes.join(", "))
                        }
                    );
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The first line of a password file, without its line ending; an empty one is refused.
fn read_password_file(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the password file {}: {e}", path.display()))?;
    let password = text.lines().next().unwrap_or("").to_owned();
    if password.is_empty() {
        anyhow::bail!("the password file {} is empty", path.display());
    }
    Ok(password)
}
