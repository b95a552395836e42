//! Integration tests: the real `isnad` binary on real files (the seed articles, re-encoded
//! copies, broken inputs), checking its output, exit codes and the database it leaves.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

mod util;

#[path = "cli/bidi.rs"]
mod bidi;
#[path = "cli/claims.rs"]
mod claims;
#[path = "cli/database.rs"]
mod database;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/help.rs"]
mod help;
#[path = "cli/import.rs"]
mod import;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/suggest.rs"]
mod suggest;
#[path = "cli/team.rs"]
mod team;
