//! The project's entity registry as the annotation view uses it: every entity with its
//! aliases in memory, an alias matcher for suggestions, look-up of a selected mention, and
//! type-ahead search. Rebuilt from the store whenever an entity or alias changes.

use crate::propose::EntityIndex;
use crate::propose::entities::ProjectEntity;
use crate::starter_entities::EntityKind;
use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::corpus::normalize::fold;
use crate::domain::EntityWithAliases;
use crate::store::{Store, StoreError};
use crate::suggest::{AliasMatcher, Suggestion};

/// The stable id of an entity created under `canonical_name`: the same name gives the same id
/// in every database, so independently created entities meet in merges.
pub fn entity_id_for(canonical_name: &str) -> String {
    let digest = Sha256::digest(fold(canonical_name).as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("e-{hex}")
}

/// The in-memory registry.
#[derive(Debug, Default)]
pub struct Registry {
    entities: Vec<EntityWithAliases>,
    by_id: HashMap<String, usize>,
    matcher: AliasMatcher,
}

impl Registry {
    /// Loads the registry from the store.
    pub fn load(store: &dyn Store) -> Result<Registry, StoreError> {
        Ok(Registry::from_entities(store.entities()?))
    }

    /// Builds a registry from entities (sorted by canonical name by the store).
    pub fn from_entities(entities: Vec<EntityWithAliases>) -> Registry {
        let by_id = entities
            .iter()
            .enumerate()
            .map(|(index, e)| (e.entity.id.clone(), index))
            .collect();
        // The canonical name is also an alias (users type "Russia" as often as "روسيا").
        let matcher = AliasMatcher::new(entities.iter().flat_map(|e| {
            e.aliases
                .iter()
                .map(move |alias| (e.entity.id.clone(), alias.clone()))
                .chain(std::iter::once((
                    e.entity.id.clone(),
                    e.entity.canonical_name.clone(),
                )))
        }));
        Registry {
            entities,
            by_id,
            matcher,
        }
    }

    /// All entities, sorted by canonical name.
    pub fn all(&self) -> &[EntityWithAliases] {
        &self.entities
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// An entity by id.
    pub fn get(&self, id: &str) -> Option<&EntityWithAliases> {
        self.by_id.get(id).and_then(|&i| self.entities.get(i))
    }

    /// The display name of an entity id (the id itself if unknown).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id)
            .map_or(id, |entity| entity.entity.canonical_name.as_str())
    }

    /// An entity with exactly this canonical name (after folding).
    pub fn by_name(&self, name: &str) -> Option<&EntityWithAliases> {
        let folded = fold(name);
        self.entities
            .iter()
            .find(|e| fold(&e.entity.canonical_name) == folded)
    }

    /// Mentions of known entities in a text (code-point offsets into it).
    pub fn mentions(&self, text: &str) -> Vec<Suggestion> {
        self.matcher.find(text)
    }

    /// The entity a selected mention refers to: a known alias covering the whole selection,
    /// allowing only proclitics (و ف ب ك ل) in front of it.
    pub fn resolve_mention(&self, mention: &str) -> Option<String> {
        let trimmed = mention.trim();
        let length = trimmed.chars().count();
        self.matcher
            .find(trimmed)
            .into_iter()
            .find(|found| found.end == length && found.start <= 3)
            .and_then(|found| match found.kind {
                crate::suggest::SuggestionKind::Entity { entity } => Some(entity),
                _ => None,
            })
    }

    /// Type-ahead search over canonical names and aliases (folded): prefix matches first,
    /// then matches anywhere; at most `limit` results.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&EntityWithAliases> {
        let query = fold(query);
        if query.is_empty() {
            return self.entities.iter().take(limit).collect();
        }
        let mut scored: Vec<(u8, &EntityWithAliases)> = self
            .entities
            .iter()
            .filter_map(|entity| {
                let names = std::iter::once(&entity.entity.canonical_name).chain(&entity.aliases);
                names
                    .filter_map(|name| {
                        let folded = fold(name);
                        if folded == query {
                            Some(0)
                        } else if folded.starts_with(&query) {
                            Some(1)
                        } else if folded.split(' ').any(|word| word.starts_with(&query)) {
                            Some(2)
                        } else if folded.contains(&query) {
                            Some(3)
                        } else {
                            None
                        }
                    })
                    .min()
                    .map(|score| (score, entity))
            })
            .collect();
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.entity.canonical_name.cmp(&b.1.entity.canonical_name))
        });
        scored.into_iter().take(limit).map(|(_, e)| e).collect()
    }
}

/// The proposer's entity index for a registry.
pub fn entity_index(registry: &Registry) -> EntityIndex {
    EntityIndex::new(registry.all().iter().map(|e| ProjectEntity {
        key: e.entity.id.clone(),
        name: e.entity.canonical_name.clone(),
        kind: EntityKind::from_id(&e.entity.kind).unwrap_or(EntityKind::Other),
        aliases: e.aliases.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EntityRow;

    fn entity(name: &str, aliases: &[&str]) -> EntityWithAliases {
        EntityWithAliases {
            entity: EntityRow {
                id: entity_id_for(name),
                canonical_name: name.into(),
                kind: "state".into(),
                note: String::new(),
                created_at: String::new(),
                updated_at: String::new(),
            },
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    fn registry() -> Registry {
        Registry::from_entities(vec![
            entity("Bashar al-Assad", &["الأسد", "بشار الأسد", "رأس النظام"]),
            entity("Russia", &["روسيا", "موسكو", "الكرملين"]),
        ])
    }

    #[test]
    fn ids_are_stable_across_databases() {
        assert_eq!(entity_id_for("Russia"), entity_id_for("russia "));
        assert_ne!(entity_id_for("Russia"), entity_id_for("Iran"));
    }

    #[test]
    fn a_selection_resolves_through_aliases_and_proclitics() {
        let registry = registry();
        let russia = entity_id_for("Russia");
        assert_eq!(
            registry.resolve_mention("روسيا").as_deref(),
            Some(russia.as_str())
        );
        assert_eq!(
            registry.resolve_mention("وروسيا").as_deref(),
            Some(russia.as_str())
        );
        assert_eq!(
            registry.resolve_mention("Russia").as_deref(),
            Some(russia.as_str())
        );
        assert_eq!(
            registry.resolve_mention("بشار الأسد").as_deref(),
            Some(entity_id_for("Bashar al-Assad").as_str())
        );
        assert_eq!(
            registry.resolve_mention("روسيا اليوم"),
            None,
            "more than the alias"
        );
        assert_eq!(registry.resolve_mention("الروسية"), None);
    }

    #[test]
    fn type_ahead_ranks_prefixes_first() {
        let registry = registry();
        let names: Vec<&str> = registry
            .search("ال", 10)
            .iter()
            .map(|e| e.entity.canonical_name.as_str())
            .collect();
        assert_eq!(names, vec!["Bashar al-Assad", "Russia"]);
        assert_eq!(
            registry.search("موس", 10)[0].entity.canonical_name,
            "Russia"
        );
        assert!(registry.search("zzz", 10).is_empty());
    }
}
