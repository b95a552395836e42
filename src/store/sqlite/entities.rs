//! The entity registry: entities and their aliases.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::connection::SqliteStore;
use super::errors::classify;
use super::rows::entity_from_row;
use crate::domain::{EntityRow, EntityWithAliases};
use crate::store::error::StoreResult;

impl SqliteStore {
    /// The whole entity registry with aliases, sorted by canonical name.
    pub fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, canonical_name, kind, note, created_at, updated_at FROM entities ORDER BY canonical_name",
            )
            .map_err(|e| self.err(e))?;
        let entities: Vec<EntityRow> = stmt
            .query_map([], entity_from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity_id, alias FROM entity_aliases ORDER BY entity_id, alias")
            .map_err(|e| self.err(e))?;
        let mut aliases: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (entity_id, alias) = row.map_err(|e| self.err(e))?;
            aliases.entry(entity_id).or_default().push(alias);
        }
        Ok(entities
            .into_iter()
            .map(|entity| EntityWithAliases {
                aliases: aliases.remove(&entity.id).unwrap_or_default(),
                entity,
            })
            .collect())
    }

    /// Adds entities with their aliases in one transaction, outside the undo log (project
    /// set-up: the starter registry). Entities whose canonical name exists are extended with
    /// the new aliases. Returns the number of entities created.
    pub fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        let mut created = 0;
        for (entity, aliases) in entities {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM entities WHERE canonical_name = ?1",
                    [&entity.canonical_name],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| classify(location, e))?;
            let id = match existing {
                Some(id) => id,
                None => {
                    tx.execute(
                        "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            entity.id,
                            entity.canonical_name,
                            entity.kind,
                            entity.note,
                            entity.created_at,
                            entity.updated_at
                        ],
                    )
                    .map_err(|e| classify(location, e))?;
                    created += 1;
                    entity.id.clone()
                }
            };
            for alias in aliases {
                tx.execute(
                    "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, alias, crate::corpus::normalize::fold(alias), now],
                )
                .map_err(|e| classify(location, e))?;
            }
        }
        tx.commit().map_err(|e| classify(location, e))?;
        Ok(created)
    }
}
