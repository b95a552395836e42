//! entities: TODO(pg) — being written.

use super::connection::PgStore;
use crate::domain::{EntityRow, EntityWithAliases};
use crate::store::error::{StoreError, StoreResult};

impl PgStore {
    /// The whole entity registry with aliases, sorted by canonical name.
    pub fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }

    /// Adds entities with their aliases in one transaction, outside the undo log (project
    /// set-up: the starter registry). Entities whose canonical name exists are extended with
    /// the new aliases. Returns the number of entities created.
    pub fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        Err(StoreError::Invalid("not yet on PostgreSQL".into()))
    }
}
