//! `isnad entities`: the project's entity registry.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::domain::EntityRow;
use crate::model::project;
use crate::model::registry::entity_id_for;

/// List the entity registry, or add to it.
///
/// List the entity registry (speakers and targets link to it), or add to it: the starter
/// registry of the seed articles' actors (--load-starter), or entities from a TOML file in
/// the format of schema/entities.toml (--import). Entities are matched by canonical name:
/// an existing one gains the new aliases.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Add the starter registry (the seed articles' actors).
    #[arg(long)]
    pub load_starter: bool,

    /// Add the entities of a TOML file ([[entity]] canonical_name, kind, aliases).
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
}

impl EntitiesArgs {
    pub fn run(&self, db: Option<&crate::store::Location>) -> anyhow::Result<ExitCode> {
        if self.load_starter || self.import.is_some() {
            let mut store = super::common::open_store(db)?;
            if self.load_starter {
                let created = project::load_starter_registry(&mut *store)?;
                eprintln!("starter registry: {created} entities added");
            }
            if let Some(path) = &self.import {
                let parsed = crate::starter_entities::read_entities(path)?;
                let now = crate::clock::now_rfc3339();
                let rows: Vec<(EntityRow, Vec<String>)> = parsed
                    .into_iter()
                    .map(|e| {
                        (
                            EntityRow {
                                id: entity_id_for(&e.canonical_name),
                                canonical_name: e.canonical_name,
                                kind: e.kind.id().to_owned(),
                                note: String::new(),
                                created_at: now.clone(),
                                updated_at: now.clone(),
                            },
                            e.aliases,
                        )
                    })
                    .collect();
                let created = store.add_entities(&rows)?;
                eprintln!(
                    "{}: {} entities read, {created} new",
                    path.display(),
                    rows.len()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        let store = super::common::open_store_for_reading(db)?;
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let entities = store.entities()?;
        for e in &entities {
            let line = writeln!(
                out,
                "{}\t{}\t{}\t{}",
                e.entity.id,
                e.entity.kind,
                e.entity.canonical_name,
                e.aliases.join("، ")
            );
            if let Err(error) = line {
                if error.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(ExitCode::SUCCESS);
                }
                return Err(error.into());
            }
        }
        let _ = out.flush();
        eprintln!("{} entities", entities.len());
        Ok(ExitCode::SUCCESS)
    }
}
