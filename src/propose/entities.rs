//! Known entities for proposals: the project's registry first, then the starter entities as
//! a gazetteer (places, states and bodies make a phrase's words descriptions; a starter
//! entity the project does not have yet is offered by its canonical name).

use std::collections::HashSet;
use std::ops::Range;

use crate::corpus::normalize::fold;
use crate::starter_entities::{EntityKind, starter_entities};
use crate::suggest::{AliasMatcher, EntityKey, SuggestionKind};

use super::words::slice;

/// A proposed entity: known to the project (`known`), or to be created under `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityProposal {
    /// Span of the mention or name in the sentence (code points); `None` when implicit.
    pub span: Option<Range<usize>>,
    /// The project's entity, when the name is one of its aliases.
    pub known: Option<EntityKey>,
    /// The canonical name of the known or starter entity, else the name as written.
    pub name: String,
    pub kind: EntityKind,
}

impl EntityProposal {
    /// A new entity named by code points `range` of `text`.
    pub fn new_entity(text: &str, range: Range<usize>, kind: EntityKind) -> EntityProposal {
        let name = slice(text, range.clone())
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_owned();
        EntityProposal {
            span: Some(range),
            known: None,
            name,
            kind,
        }
    }
}

/// One entity the index knows.
#[derive(Debug, Clone)]
struct Known {
    key: Option<EntityKey>,
    name: String,
    kind: EntityKind,
}

/// A mention of a known entity in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub range: Range<usize>,
    entity: usize,
}

/// The entities proposals can link to, with one alias matcher over all of them.
#[derive(Debug, Clone, Default)]
pub struct EntityIndex {
    entities: Vec<Known>,
    matcher: AliasMatcher,
}

/// One entity of the project, as the index takes it.
pub struct ProjectEntity {
    pub key: EntityKey,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
}

impl EntityIndex {
    /// The project's entities, then the starter entities it does not have (by canonical name).
    pub fn new(project: impl IntoIterator<Item = ProjectEntity>) -> EntityIndex {
        let mut entities = Vec::new();
        let mut aliases = Vec::new();
        let mut names = HashSet::new();
        for entity in project {
            names.insert(fold(&entity.name));
            let index = entities.len().to_string();
            aliases.extend(entity.aliases.into_iter().map(|a| (index.clone(), a)));
            aliases.push((index, entity.name.clone()));
            entities.push(Known {
                key: Some(entity.key),
                name: entity.name,
                kind: entity.kind,
            });
        }
        for starter in starter_entities() {
            if !names.insert(fold(&starter.canonical_name)) {
                continue;
            }
            let index = entities.len().to_string();
            aliases.extend(starter.aliases.into_iter().map(|a| (index.clone(), a)));
            entities.push(Known {
                key: None,
                name: starter.canonical_name,
                kind: starter.kind,
            });
        }
        EntityIndex {
            entities,
            matcher: AliasMatcher::new(aliases),
        }
    }

    /// Mentions of known entities in `text`, sorted, never overlapping (the longest wins).
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.matcher
            .find(text)
            .into_iter()
            .filter_map(|s| match s.kind {
                SuggestionKind::Entity { entity } => Some(Mention {
                    range: s.start..s.end,
                    entity: entity.parse().ok()?,
                }),
                _ => None,
            })
            .collect()
    }

    /// The mentions of `text` that lie inside code points `range` (a claim content's
    /// target candidates), in order.
    pub fn mentions_in(&self, text: &str, range: &Range<usize>) -> Vec<Mention> {
        let mut mentions = self.mentions(text);
        mentions.retain(|m| range.start <= m.range.start && m.range.end <= range.end);
        mentions
    }

    /// The kind of the entity a mention names.
    pub fn kind(&self, mention: &Mention) -> EntityKind {
        self.entities
            .get(mention.entity)
            .map_or(EntityKind::Other, |e| e.kind)
    }

    /// The proposal for a mention: its entity, known to the project or by starter name.
    pub fn proposal(&self, mention: &Mention) -> EntityProposal {
        let known = self.entities.get(mention.entity);
        EntityProposal {
            span: Some(mention.range.clone()),
            known: known.and_then(|k| k.key.clone()),
            name: known.map(|k| k.name.clone()).unwrap_or_default(),
            kind: known.map_or(EntityKind::Other, |k| k.kind),
        }
    }
}
