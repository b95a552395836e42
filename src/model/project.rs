//! Opening a project ([`Project::open`], how the app, its background jobs and the command
//! line open a database, whatever backend keeps it) and the project set-up kept in the
//! database itself, so that a database is a self-contained package (what `isnad assign`
//! sends to each annotator): the label schema in force (text, version, hash), the
//! annotation guidelines, and the starter entity registry.

use crate::domain::EntityRow;
use crate::labels::{BUILTIN_LABELS_TOML, LabelSchema};
use crate::starter_entities::starter_entities;
use crate::store::{Access, Location, Store, StoreResult};

use super::error::ModelError;
use super::registry::entity_id_for;

/// An open project: its database, at the location the user gave (a file, or a server).
#[derive(Debug)]
pub struct Project {
    store: Box<dyn Store>,
}

impl Project {
    /// Opens the project at `location` (see [`crate::store::open`]: a database file is
    /// created and migrated when opened for writing; a project on a PostgreSQL server is
    /// opened as the URL's login, with the password from the URL, `PGPASSWORD` or
    /// `~/.pgpass`).
    pub fn open(location: &Location, access: Access) -> StoreResult<Project> {
        Project::open_with_password(location, access, None)
    }

    /// [`Project::open`] with the password the user typed when the server refused the
    /// login without one (the app's dialog, the command line's prompt). The password is
    /// only handed to the connection: nothing keeps or prints it.
    pub fn open_with_password(
        location: &Location,
        access: Access,
        password: Option<&str>,
    ) -> StoreResult<Project> {
        Ok(Project {
            store: crate::store::open_with_password(location, access, password)?,
        })
    }

    /// Where it was opened from.
    pub fn location(&self) -> &Location {
        self.store.location()
    }

    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    pub fn store_mut(&mut self) -> &mut dyn Store {
        &mut *self.store
    }

    /// The store, for a [`super::Workspace`] or for work done on the store directly
    /// (imports, exports, merges).
    pub fn into_store(self) -> Box<dyn Store> {
        self.store
    }
}

/// The built-in annotation guidelines (Markdown).
pub const BUILTIN_GUIDELINES: &str = include_str!("../../schema/guidelines.md");

/// `project_meta` keys.
pub mod keys {
    pub const LABEL_SCHEMA: &str = "label_schema";
    pub const LABEL_SCHEMA_VERSION: &str = "label_schema_version";
    pub const LABEL_SCHEMA_HASH: &str = "label_schema_hash";
    pub const GUIDELINES: &str = "guidelines";
    pub const DIRECTION: &str = "paragraph_direction";
    pub const STARTER_REGISTRY: &str = "starter_registry_loaded";
}

/// Makes sure the database holds a label schema and guidelines (the built-in ones for a new
/// project) and returns the schema in force.
pub fn prepare_project(store: &mut dyn Store) -> Result<LabelSchema, ModelError> {
    if store.meta(keys::LABEL_SCHEMA)?.is_none() {
        set_label_schema(store, BUILTIN_LABELS_TOML)?;
    }
    if store.meta(keys::GUIDELINES)?.is_none() {
        store.set_meta(keys::GUIDELINES, BUILTIN_GUIDELINES)?;
    }
    label_schema(store)
}

/// The label schema stored in the project.
pub fn label_schema(store: &dyn Store) -> Result<LabelSchema, ModelError> {
    match store.meta(keys::LABEL_SCHEMA)? {
        None => Ok(LabelSchema::builtin().clone()),
        Some(text) => LabelSchema::from_toml(&text, "the project's label schema")
            .map_err(|e| ModelError::Invalid(e.to_string())),
    }
}

/// Replaces the project's label schema (validated first) and records its version and hash.
pub fn set_label_schema(store: &mut dyn Store, toml_text: &str) -> Result<LabelSchema, ModelError> {
    let schema = LabelSchema::from_toml(toml_text, "label schema")
        .map_err(|e| ModelError::Invalid(e.to_string()))?;
    store.set_meta(keys::LABEL_SCHEMA, toml_text)?;
    store.set_meta(keys::LABEL_SCHEMA_VERSION, &schema.version.to_string())?;
    store.set_meta(keys::LABEL_SCHEMA_HASH, &schema.hash)?;
    Ok(schema)
}

/// The project's paragraph direction override (None: from the first strong character of
/// each text, UAX #9 P2/P3).
pub fn paragraph_direction(store: &dyn Store) -> Option<crate::text::TextDirection> {
    match store.meta(keys::DIRECTION).ok().flatten().as_deref() {
        Some("rtl") => Some(crate::text::TextDirection::Rtl),
        Some("ltr") => Some(crate::text::TextDirection::Ltr),
        _ => None,
    }
}

/// Sets (or, with `None`, removes) the project's paragraph direction override.
pub fn set_paragraph_direction(
    store: &mut dyn Store,
    direction: Option<crate::text::TextDirection>,
) -> Result<(), ModelError> {
    let value = match direction {
        Some(crate::text::TextDirection::Rtl) => "rtl",
        Some(crate::text::TextDirection::Ltr) => "ltr",
        None => "auto",
    };
    store.set_meta(keys::DIRECTION, value)?;
    Ok(())
}

/// The project's guidelines (Markdown).
pub fn guidelines(store: &dyn Store) -> Result<String, ModelError> {
    Ok(store
        .meta(keys::GUIDELINES)?
        .unwrap_or_else(|| BUILTIN_GUIDELINES.to_owned()))
}

/// Loads the starter registry (the seed articles' actors) once; returns entities created.
pub fn load_starter_registry(store: &mut dyn Store) -> Result<usize, ModelError> {
    if store.meta(keys::STARTER_REGISTRY)?.is_some() {
        return Ok(0);
    }
    let now = crate::clock::now_rfc3339();
    let entities: Vec<(EntityRow, Vec<String>)> = starter_entities()
        .into_iter()
        .map(|starter| {
            (
                EntityRow {
                    id: entity_id_for(&starter.canonical_name),
                    canonical_name: starter.canonical_name,
                    kind: starter.kind.id().to_owned(),
                    note: String::new(),
                    created_at: now.clone(),
                    updated_at: now.clone(),
                },
                starter.aliases,
            )
        })
        .collect();
    let created = store.add_entities(&entities)?;
    store.set_meta(keys::STARTER_REGISTRY, &now)?;
    Ok(created)
}
