//! The starter entity registry (`schema/entities.toml`): the speakers and targets of the seed
//! articles with their Arabic aliases, copied into a new project's registry so that entity
//! suggestions work from the first sentence.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::corpus::normalize::fold;
use crate::data_files::{self, DataFile, DataFileError};

/// Path of the built-in registry inside the repository, used as its origin in error messages.
pub const BUILTIN_ENTITIES_ORIGIN: &str = DataFile::Entities.builtin_path();

/// Text of the built-in registry, embedded at compile time.
pub const BUILTIN_ENTITIES_TOML: &str = DataFile::Entities.builtin_text();

/// What sort of actor an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Person,
    State,
    Organisation,
    Group,
    Other,
}

impl EntityKind {
    /// Every kind, in the order the app lists them.
    pub const ALL: [EntityKind; 5] = [
        EntityKind::Person,
        EntityKind::State,
        EntityKind::Organisation,
        EntityKind::Group,
        EntityKind::Other,
    ];

    /// The id stored in files and the database: `person`, `state`, `organisation`, `group`,
    /// `other`.
    pub fn id(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::State => "state",
            EntityKind::Organisation => "organisation",
            EntityKind::Group => "group",
            EntityKind::Other => "other",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|kind| kind.id() == id)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One entity of the starter registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterEntity {
    /// English name the entity is listed under ("Russia", "Bashar al-Assad").
    pub canonical_name: String,
    pub kind: EntityKind,
    /// Arabic surface forms, without proclitics, as written in the file.
    pub aliases: Vec<String>,
}

/// What is wrong in a well-formed entity file: the entry at fault, and why
/// ([`EntityFileError`] adds the file's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityProblem {
    #[error("{entry}: `canonical_name` must not be empty")]
    EmptyName { entry: String },
    #[error("{entry}: canonical name is used twice")]
    DuplicateName { entry: String },
    #[error(
        "{entry}: unknown kind {kind:?} (expected person, state, organisation, \
         group or other)"
    )]
    UnknownKind { entry: String, kind: String },
    #[error("{entry}: no aliases")]
    NoAliases { entry: String },
    #[error("{entry}: alias {alias:?} has no letters left after folding")]
    EmptyAlias { entry: String, alias: String },
    #[error("{entry}: alias {alias:?} is also an alias of {other} (after folding)")]
    DuplicateAlias {
        entry: String,
        alias: String,
        other: String,
    },
}

/// Why an entity file cannot be used: unreadable, not TOML of the entity file's shape, or an
/// [`EntityProblem`]. Every message names the file.
pub type EntityFileError = DataFileError<EntityProblem>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntityFile {
    #[serde(default, rename = "entity")]
    entities: Vec<RawEntity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    canonical_name: String,
    kind: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// The built-in starter registry (parsed once; each call returns a fresh copy).
pub fn starter_entities() -> Vec<StarterEntity> {
    static BUILTIN: OnceLock<Vec<StarterEntity>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            parse_entities(BUILTIN_ENTITIES_TOML, BUILTIN_ENTITIES_ORIGIN)
                .expect("the built-in entity registry is valid (checked by a unit test)")
        })
        .clone()
}

/// Reads, parses and validates an entity file; errors name `path`.
pub fn read_entities(path: &std::path::Path) -> Result<Vec<StarterEntity>, EntityFileError> {
    let (source, origin) = data_files::read(path)?;
    parse_entities(&source, &origin)
}

/// Parses and validates an entity file; `origin` (usually the file path) names the file in
/// error messages.
pub fn parse_entities(source: &str, origin: &str) -> Result<Vec<StarterEntity>, EntityFileError> {
    let raw: RawEntityFile = data_files::parse(DataFile::Entities, source, origin)?;
    checked_entities(raw).map_err(|problem| DataFileError::invalid(origin, problem))
}

/// The entities of a parsed file, if its content is usable.
fn checked_entities(raw: RawEntityFile) -> Result<Vec<StarterEntity>, EntityProblem> {
    let mut names: HashSet<String> = HashSet::new();
    // folded alias → entry that owns it.
    let mut alias_owners: HashMap<String, String> = HashMap::new();
    let mut entities = Vec::with_capacity(raw.entities.len());

    for (index, entity) in raw.entities.into_iter().enumerate() {
        let name = entity.canonical_name.trim().to_owned();
        let entry = if name.is_empty() {
            format!("entity #{}", index + 1)
        } else {
            format!("entity #{} {name:?}", index + 1)
        };
        if name.is_empty() {
            return Err(EntityProblem::EmptyName { entry });
        }
        if !names.insert(name.to_lowercase()) {
            return Err(EntityProblem::DuplicateName { entry });
        }
        let Some(kind) = EntityKind::from_id(entity.kind.trim()) else {
            return Err(EntityProblem::UnknownKind {
                entry,
                kind: entity.kind,
            });
        };
        if entity.aliases.is_empty() {
            return Err(EntityProblem::NoAliases { entry });
        }
        let mut aliases = Vec::with_capacity(entity.aliases.len());
        for alias in entity.aliases {
            let alias = alias.trim().to_owned();
            let folded = fold(&alias);
            if !folded.chars().any(char::is_alphanumeric) {
                return Err(EntityProblem::EmptyAlias { entry, alias });
            }
            if let Some(other) = alias_owners.get(&folded) {
                return Err(EntityProblem::DuplicateAlias {
                    entry,
                    alias,
                    other: other.clone(),
                });
            }
            alias_owners.insert(folded, entry.clone());
            aliases.push(alias);
        }
        entities.push(StarterEntity {
            canonical_name: name,
            kind,
            aliases,
        });
    }
    Ok(entities)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str) -> StarterEntity {
        starter_entities()
            .into_iter()
            .find(|entity| entity.canonical_name == name)
            .unwrap_or_else(|| panic!("no starter entity {name:?}"))
    }

    #[test]
    fn builtin_registry_parses() {
        let entities = parse_entities(BUILTIN_ENTITIES_TOML, BUILTIN_ENTITIES_ORIGIN)
            .expect("built-in registry");
        assert!(entities.len() >= 40, "{}", entities.len());
        assert_eq!(entities, starter_entities());
        for kind in EntityKind::ALL {
            assert!(
                entities.iter().any(|entity| entity.kind == kind),
                "no entity of kind {kind}"
            );
        }
    }

    #[test]
    fn no_alias_belongs_to_two_entities() {
        let mut owner_of: HashMap<String, String> = HashMap::new();
        for entity in starter_entities() {
            for alias in &entity.aliases {
                if let Some(other) = owner_of.insert(fold(alias), entity.canonical_name.clone()) {
                    panic!(
                        "alias {alias:?} belongs to {other} and {}",
                        entity.canonical_name
                    );
                }
            }
        }
    }

    #[test]
    fn the_brief_aliases_are_present() {
        let has = |name: &str, aliases: &[&str]| {
            let entity = entity(name);
            let folded: HashSet<String> = entity.aliases.iter().map(|a| fold(a)).collect();
            for alias in aliases {
                assert!(folded.contains(&fold(alias)), "{name} lacks {alias}");
            }
            entity
        };
        let assad = has(
            "Bashar al-Assad",
            &["الأسد", "بشار الأسد", "رأس النظام", "نظام الأسد"],
        );
        assert_eq!(assad.kind, EntityKind::Person);
        let russia = has(
            "Russia",
            &[
                "روسيا",
                "موسكو",
                "الكرملين",
                "الروس",
                "القيادة الروسية",
                "الجانب الروسي",
            ],
        );
        assert_eq!(russia.kind, EntityKind::State);
        has("Alexander Lavrentiev", &["لافرنتيف", "لافرنتييف", "لافرينتيف"]);
        has("Geir Pedersen", &["بيدرسن", "بيدرسون", "غير بيدرسون"]);
        has(
            "Syrian National Coalition",
            &["الائتلاف الوطني السوري", "الائتلاف"],
        );
        for name in [
            "Nasr al-Hariri",
            "Vladimir Putin",
            "Syrian opposition",
            "United Nations",
            "UN Security Council",
            "United States",
            "Donald Trump",
            "Turkey",
            "Iran",
            "Qatar",
            "Saudi Arabia",
            "Mohammed bin Salman",
            "France",
            "François Senemaud",
            "Abdul Rahman Mustafa",
            "Richard Outzen",
            "Sergei Vershinin",
            "John Sullivan",
            "Ayman al-Asimi",
            "Italy",
            "Stefano Stefanile",
            "Russian Ministry of Foreign Affairs",
            "US Department of State",
        ] {
            entity(name);
        }
    }

    #[test]
    fn kinds_round_trip_through_their_ids() {
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::from_id(kind.id()), Some(kind));
        }
        assert_eq!(EntityKind::from_id("organization"), None);
    }

    fn broken(source: &str) -> EntityFileError {
        parse_entities(source, "broken-entities.toml").expect_err("must be rejected")
    }

    #[test]
    fn rejects_an_alias_shared_by_two_entities_naming_both() {
        let error = broken(
            "[[entity]]\ncanonical_name = \"Russia\"\nkind = \"state\"\naliases = [\"موسكو\"]\n\
             [[entity]]\ncanonical_name = \"Moscow\"\nkind = \"other\"\naliases = [\"مُوسكو\"]\n",
        );
        assert!(
            matches!(error.problem(), Some(EntityProblem::DuplicateAlias { .. })),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("broken-entities.toml: entity #2 \"Moscow\""),
            "{message}"
        );
        assert!(message.contains("entity #1 \"Russia\""), "{message}");
    }

    #[test]
    fn rejects_broken_entries_naming_them() {
        let error = broken(
            "[[entity]]\ncanonical_name = \"Russia\"\nkind = \"country\"\naliases = [\"روسيا\"]\n",
        );
        assert!(
            matches!(error.problem(), Some(EntityProblem::UnknownKind { .. })),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("entity #1 \"Russia\""),
            "{error}"
        );

        let error =
            broken("[[entity]]\ncanonical_name = \"Russia\"\nkind = \"state\"\naliases = []\n");
        assert!(
            matches!(error.problem(), Some(EntityProblem::NoAliases { .. })),
            "{error:?}"
        );

        let error = broken(
            "[[entity]]\ncanonical_name = \"Russia\"\nkind = \"state\"\naliases = [\"ـ \"]\n",
        );
        assert!(
            matches!(error.problem(), Some(EntityProblem::EmptyAlias { .. })),
            "{error:?}"
        );

        let error =
            broken("[[entity]]\ncanonical_name = \" \"\nkind = \"state\"\naliases = [\"روسيا\"]\n");
        assert!(
            matches!(error.problem(), Some(EntityProblem::EmptyName { .. })),
            "{error:?}"
        );
        assert!(error.to_string().contains("entity #1"), "{error}");

        let error = broken(
            "[[entity]]\ncanonical_name = \"Russia\"\nkind = \"state\"\naliases = [\"روسيا\"]\n\
             [[entity]]\ncanonical_name = \"russia\"\nkind = \"state\"\naliases = [\"موسكو\"]\n",
        );
        assert!(
            matches!(error.problem(), Some(EntityProblem::DuplicateName { .. })),
            "{error:?}"
        );

        let error = broken(
            "[[entity]]\ncanonical_name = \"Russia\"\nkind = \"state\"\nalias = [\"روسيا\"]\n",
        );
        assert!(matches!(error, DataFileError::Syntax { .. }), "{error:?}");
        assert!(
            error.to_string().starts_with("broken-entities.toml:"),
            "{error}"
        );
    }
}
