//! Team projects on a PostgreSQL server, through the real `isnad` binary and through
//! `psql`: setting up, members and their roles, security enforced by the server, several
//! annotators at once, faults.
//!
//! Every test needs the test server that `scripts/with-postgres.sh` starts (its superuser
//! URL in `ISNAD_TEST_POSTGRES`); without it they fail, never pass.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

mod util;

#[path = "server/support.rs"]
mod support;

#[path = "server/faults.rs"]
mod faults;
#[path = "server/flow.rs"]
mod flow;
#[path = "server/load.rs"]
mod load;
#[path = "server/security.rs"]
mod security;
#[path = "server/team.rs"]
mod team;
