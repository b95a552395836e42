//! The entity registry: entities and their aliases, as `../sqlite/entities.rs`.
//!
//! On a server the registry is shared by the project's members; `created_by` (who may
//! remove an entity or alias again) is left to its default, the login.

use std::collections::HashMap;

use postgres::GenericClient;

use super::connection::{PgResult, PgStore};
use super::rows::{ENTITY_COLUMNS, entity_from_row};
use crate::domain::{EntityRow, EntityWithAliases};
use crate::store::error::StoreResult;

impl PgStore {
    /// The whole entity registry with aliases, sorted by canonical name.
    pub fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        self.read(|client| {
            let sql = format!(
                "SELECT {ENTITY_COLUMNS} FROM entities ORDER BY canonical_name COLLATE \"C\""
            );
            let entities = client
                .query(&sql, &[])?
                .iter()
                .map(entity_from_row)
                .collect::<PgResult<Vec<_>>>()?;
            let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
            for row in client.query(
                "SELECT entity_id, alias FROM entity_aliases
                 ORDER BY entity_id COLLATE \"C\", alias COLLATE \"C\"",
                &[],
            )? {
                aliases
                    .entry(row.try_get(0)?)
                    .or_default()
                    .push(row.try_get(1)?);
            }
            Ok(entities
                .into_iter()
                .map(|entity| EntityWithAliases {
                    aliases: aliases.remove(&entity.id).unwrap_or_default(),
                    entity,
                })
                .collect())
        })
    }

    /// Adds entities with their aliases in one transaction, outside the undo log (project
    /// set-up: the starter registry). Entities whose canonical name exists are extended with
    /// the new aliases. Returns the number of entities created.
    pub fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        let now = crate::clock::now_rfc3339();
        self.write(|tx| insert_entities(tx, entities, &now))
    }
}

/// Inserts the entities whose canonical name is new (the first of several with one name)
/// and every alias (those present are kept), in three statements. Returns the number of
/// entities created.
pub(super) fn insert_entities(
    client: &mut impl GenericClient,
    entities: &[(EntityRow, Vec<String>)],
    now: &str,
) -> PgResult<usize> {
    if entities.is_empty() {
        return Ok(0);
    }
    let names: Vec<&str> = entities
        .iter()
        .map(|(e, _)| e.canonical_name.as_str())
        .collect();
    // The id of each canonical name: the existing entity's, else the first new one's.
    let mut ids: HashMap<String, String> = HashMap::new();
    for row in client.query(
        "SELECT canonical_name, id FROM entities WHERE canonical_name = ANY($1)",
        &[&names],
    )? {
        ids.insert(row.try_get(0)?, row.try_get(1)?);
    }
    let mut new: Vec<&EntityRow> = Vec::new();
    for (entity, _) in entities {
        if !ids.contains_key(&entity.canonical_name) {
            ids.insert(entity.canonical_name.clone(), entity.id.clone());
            new.push(entity);
        }
    }
    if !new.is_empty() {
        let column = |f: fn(&EntityRow) -> &str| new.iter().map(|e| f(e)).collect::<Vec<&str>>();
        client.execute(
            "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[])",
            &[
                &column(|e| &e.id),
                &column(|e| &e.canonical_name),
                &column(|e| &e.kind),
                &column(|e| &e.note),
                &column(|e| &e.created_at),
                &column(|e| &e.updated_at),
            ],
        )?;
    }
    let mut alias_ids = Vec::new();
    let mut aliases = Vec::new();
    let mut folded = Vec::new();
    for (entity, names) in entities {
        let id = ids
            .get(&entity.canonical_name)
            .map_or(entity.id.as_str(), String::as_str);
        for alias in names {
            alias_ids.push(id);
            aliases.push(alias.as_str());
            folded.push(crate::corpus::normalize::fold(alias));
        }
    }
    if !aliases.is_empty() {
        client.execute(
            "INSERT INTO entity_aliases (entity_id, alias, alias_folded, created_at)
             SELECT e, a, f, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(e, a, f)
             ON CONFLICT DO NOTHING",
            &[&alias_ids, &aliases, &folded, &now],
        )?;
    }
    Ok(new.len())
}
