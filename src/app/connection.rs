//! Opening the project, and the server connection as the app sees it.
//!
//! A project on a PostgreSQL server may refuse the login without a password (none in the
//! URL, `PGPASSWORD` or `~/.pgpass`): [`attempt`] then says [`Opened::NeedsPassword`] and
//! the app asks for one, tries again with it, and asks again while the server refuses it.
//! The typed [`Password`] lives in the app's memory only (the background jobs open their
//! own connections with it): it is never written to the settings, and never printed.
//!
//! Once open, a server can go away. A step that fails with [`StoreError::Unreachable`]
//! marks the [`Link`] lost: the status bar says so, the views keep what the user was
//! building, and the app tries a cheap read every [`RETRY_EVERY`] until the server answers
//! (the store connects again by itself on its next call). Plain Rust, no egui: the state
//! machine is tested without a window.

use std::time::{Duration, Instant};

use crate::model::{ModelError, Project};
use crate::store::{Access, Location, Store, StoreError, StoreResult};

/// How often the app tries a server it lost again.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// How often a server project's documents list and progress figures are read again, so
/// that a lead sees everyone's progress as it happens.
pub const LIVE_EVERY: Duration = Duration::from_secs(3);

/// What the status bar says while the server cannot be reached.
pub const UNREACHABLE: &str = "Server unreachable — not saved; your draft is kept, retrying…";

/// What the status bar says when a lost server answers again.
pub const REACHABLE_AGAIN: &str =
    "The server answers again — do the step that was not saved once more";

/// A password the user typed for the server. Kept in memory only; its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(text: String) -> Password {
        Password(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Where the project is and how to get in: what a background job needs to open its own
/// connection.
#[derive(Debug, Clone)]
pub struct Target {
    pub location: Location,
    /// The password typed into the app, if the server asked for one.
    pub password: Option<Password>,
}

impl From<Location> for Target {
    /// A project opened without a typed password.
    fn from(location: Location) -> Target {
        Target {
            location,
            password: None,
        }
    }
}

impl From<std::path::PathBuf> for Target {
    /// A project file.
    fn from(path: std::path::PathBuf) -> Target {
        Target::from(Location::from(path))
    }
}

impl Target {
    /// Opens the project's store (a job's own connection).
    pub fn open(&self, access: Access) -> StoreResult<Box<dyn Store>> {
        let password = self.password.as_ref().map(Password::as_str);
        Project::open_with_password(&self.location, access, password).map(Project::into_store)
    }
}

/// How the app opens its store: `(location, access, typed password)`. The app uses
/// [`project_opener`]; tests hand it a fake server.
pub type Opener = Box<dyn FnMut(&Location, Access, Option<&str>) -> StoreResult<Box<dyn Store>>>;

/// The real opener: [`Project::open_with_password`].
pub fn project_opener() -> Opener {
    Box::new(|location, access, password| {
        Project::open_with_password(location, access, password).map(Project::into_store)
    })
}

/// What one attempt to open the project came to.
pub enum Opened {
    Store(Box<dyn Store>),
    /// The server wants a password; `refusal` is its answer to the one just tried.
    NeedsPassword {
        refusal: Option<String>,
    },
    /// The server cannot be reached (yet): why. The app tries again every
    /// [`RETRY_EVERY`].
    Unreachable(String),
    /// It cannot be opened: why.
    Failed(String),
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opened::Store(store) => f.debug_tuple("Store").field(store).finish(),
            Opened::NeedsPassword { refusal } => f
                .debug_struct("NeedsPassword")
                .field("refusal", refusal)
                .finish(),
            Opened::Unreachable(why) => f.debug_tuple("Unreachable").field(why).finish(),
            Opened::Failed(why) => f.debug_tuple("Failed").field(why).finish(),
        }
    }
}

/// Opens the project for writing, with `password` if one was typed. A server that refuses
/// the login asks for a password (again); a file never does.
pub fn attempt(opener: &mut Opener, location: &Location, password: Option<&Password>) -> Opened {
    match opener(location, Access::ReadWrite, password.map(Password::as_str)) {
        Ok(store) => Opened::Store(store),
        Err(error @ StoreError::AuthFailed { .. }) if matches!(location, Location::Postgres(_)) => {
            Opened::NeedsPassword {
                refusal: password.map(|_| error.to_string()),
            }
        }
        Err(error @ StoreError::Unreachable { .. }) => Opened::Unreachable(error.to_string()),
        Err(error) => Opened::Failed(error.to_string()),
    }
}

/// True when a model error is the server being out of reach (the step was not saved).
pub fn is_unreachable(error: &ModelError) -> bool {
    matches!(error, ModelError::Store(StoreError::Unreachable { .. }))
}

/// The server connection as the app last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link {
    /// Working (or a file, which has no connection to lose).
    #[default]
    Up,
    /// A step failed because the server could not be reached; tried again last at
    /// `last_try`.
    Lost { last_try: Instant },
}

impl Link {
    pub fn is_lost(&self) -> bool {
        matches!(self, Link::Lost { .. })
    }

    /// A step failed at `now` because the server was out of reach.
    pub fn lose(&mut self, now: Instant) {
        *self = Link::Lost { last_try: now };
    }

    /// How long until the next try: `None` when the link is up, zero when a try is due.
    pub fn next_try(&self, now: Instant) -> Option<Duration> {
        match self {
            Link::Up => None,
            Link::Lost { last_try } => {
                Some(RETRY_EVERY.saturating_sub(now.saturating_duration_since(*last_try)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    fn server() -> Location {
        Location::parse("postgres://hala@127.0.0.1:9/isnad")
    }

    fn refusing(location: &Location) -> StoreError {
        StoreError::AuthFailed {
            location: location.clone(),
            detail: "password authentication failed for user \"hala\"".into(),
        }
    }

    /// A fake server that lets in only the password "right"; counts the attempts.
    fn fake_server(tries: std::rc::Rc<std::cell::RefCell<Vec<Option<String>>>>) -> Opener {
        Box::new(move |location, _access, password| {
            tries.borrow_mut().push(password.map(str::to_owned));
            if password == Some("right") {
                crate::store::open_in_memory()
            } else {
                Err(refusing(location))
            }
        })
    }

    #[test]
    fn a_refused_login_asks_for_a_password_and_again_until_the_server_takes_it() {
        let tries = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let mut opener = fake_server(tries.clone());
        let location = server();
        // No password yet: asked for, without a refusal to show.
        match attempt(&mut opener, &location, None) {
            Opened::NeedsPassword { refusal: None } => {}
            other => panic!("{other:?}"),
        }
        // A wrong one: asked again, with the server's answer.
        let wrong = Password::new("wrong".into());
        match attempt(&mut opener, &location, Some(&wrong)) {
            Opened::NeedsPassword {
                refusal: Some(refusal),
            } => {
                assert!(
                    refusal.contains("password authentication failed"),
                    "{refusal}"
                );
                assert!(!refusal.contains("wrong"), "{refusal}");
            }
            other => panic!("{other:?}"),
        }
        let right = Password::new("right".into());
        assert!(matches!(
            attempt(&mut opener, &location, Some(&right)),
            Opened::Store(_)
        ));
        assert_eq!(
            *tries.borrow(),
            [None, Some("wrong".to_owned()), Some("right".to_owned())]
        );
    }

    #[test]
    fn a_file_never_asks_for_a_password_and_other_errors_are_said() {
        let mut opener: Opener = Box::new(|location, _, _| Err(refusing(location)));
        let file = Location::parse("team.db");
        assert!(matches!(
            attempt(&mut opener, &file, None),
            Opened::Failed(_)
        ));
        let mut opener: Opener = Box::new(|location, _, _| {
            Err(StoreError::NotInitialized {
                location: location.clone(),
            })
        });
        match attempt(&mut opener, &server(), None) {
            Opened::Failed(why) => assert!(why.contains("isnad server init"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_password_never_prints() {
        let target = Target {
            location: server(),
            password: Some(Password::new("s3cret".into())),
        };
        assert!(!format!("{target:?}").contains("s3cret"));
    }

    #[test]
    fn a_lost_link_is_tried_again_every_two_seconds() {
        let mut link = Link::default();
        let start = Instant::now();
        assert_eq!(link.next_try(start), None);
        link.lose(start);
        assert!(link.is_lost());
        assert_eq!(link.next_try(start), Some(RETRY_EVERY));
        assert_eq!(
            link.next_try(start + Duration::from_millis(1500)),
            Some(Duration::from_millis(500))
        );
        assert_eq!(link.next_try(start + RETRY_EVERY), Some(Duration::ZERO));
    }
}
