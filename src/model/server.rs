//! Team projects on a server: setting one up and managing its members (`isnad server`).
//!
//! The store does the work (`crate::store::postgres::server`); this adds the project
//! set-up every new project gets (label schema, guidelines), so that members, who may not
//! write settings, find them in place.

use crate::domain::{MemberRow, Role};
use crate::store::postgres::server::{self, AddedUser, InitReport};
use crate::store::{Location, Store};

use super::ModelError;

/// Sets up (or upgrades) the project at `location`; see [`server::init`].
pub fn init(location: &Location, password: Option<&str>) -> Result<InitReport, ModelError> {
    let (report, mut store) = server::init(location, password)?;
    super::project::prepare_project(&mut store as &mut dyn Store)?;
    Ok(report)
}

/// Makes `name` a member with `role` (creating the login); see [`server::add_user`].
pub fn add_member(
    location: &Location,
    connect_password: Option<&str>,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<AddedUser, ModelError> {
    let mut store = open_as_owner(location, connect_password)?;
    Ok(server::add_user(&mut store, name.trim(), role, password)?)
}

/// Ends `name`'s membership (their labels stay); false when they were not a member.
pub fn remove_member(
    location: &Location,
    connect_password: Option<&str>,
    name: &str,
) -> Result<bool, ModelError> {
    let mut store = open_as_owner(location, connect_password)?;
    Ok(server::remove_user(&mut store, name.trim())?)
}

/// The project's members.
pub fn members(
    location: &Location,
    connect_password: Option<&str>,
) -> Result<Vec<MemberRow>, ModelError> {
    let store = crate::store::postgres::PgStore::open(
        location,
        crate::store::Access::ReadOnly,
        connect_password,
    )?;
    Ok(server::users(&store)?)
}

fn open_as_owner(
    location: &Location,
    password: Option<&str>,
) -> Result<crate::store::postgres::PgStore, ModelError> {
    if !matches!(location, Location::Postgres(_)) {
        return Err(ModelError::Invalid(format!(
            "server commands work on a project on a PostgreSQL server (--db postgres://...), \
             not on a file: {location}"
        )));
    }
    Ok(crate::store::postgres::PgStore::open(
        location,
        crate::store::Access::ReadWrite,
        password,
    )?)
}
