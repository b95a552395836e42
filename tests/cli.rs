//! Integration tests: the real `isnad` binary on real files (the seed articles, re-encoded
//! copies, broken inputs), checking its output, exit codes and the database it leaves.

mod util;

#[path = "cli/database.rs"]
mod database;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/import.rs"]
mod import;
