//! The entity registry: who speaks and who is spoken about.

use serde::{Deserialize, Serialize};

/// A registry entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRow {
    pub id: String,
    pub canonical_name: String,
    pub kind: String,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
}

/// An entity with its aliases, for the in-memory registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityWithAliases {
    pub entity: EntityRow,
    pub aliases: Vec<String>,
}
