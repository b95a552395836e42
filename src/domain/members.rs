//! Who works on a team project on a server: a login and its role.

use std::fmt;

/// What a member of a server project may do (enforced by the server; see SECURITY.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Annotates the documents assigned to them; sees only their own labels.
    Annotator,
    /// Reads everyone's labels; writes the gold standard.
    Adjudicator,
    /// Everything: documents, assignments, settings, merges.
    Lead,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Annotator, Role::Adjudicator, Role::Lead];

    /// The name stored on the server and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Annotator => "annotator",
            Role::Adjudicator => "adjudicator",
            Role::Lead => "lead",
        }
    }

    /// A role by its name.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether this role reads every annotator's labels (adjudication, agreement, progress).
    pub fn reviews(self) -> bool {
        matches!(self, Role::Adjudicator | Role::Lead)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The login a server store works as, and its role in the project (`None`: a login that is
/// not a member, which the server gives nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub login: String,
    pub role: Option<Role>,
}

/// A row of `isnad server users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// The PostgreSQL role exists and may log in.
    pub can_login: bool,
    /// It may connect to the project's database.
    pub can_connect: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_by_name() {
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.as_str()), Some(role));
        }
        assert_eq!(Role::from_name("admin"), None);
        assert!(Role::Lead.reviews() && Role::Adjudicator.reviews() && !Role::Annotator.reviews());
    }
}
