//! The "never lose a label" campaign (RELIABILITY.md): an action shown as saved survives
//! anything short of disk loss, and no input file or database can corrupt a project.
//!
//! * [`kill`]: a child process annotates through the real model/store path and is SIGKILLed
//!   at random moments; every action it reported as saved must be in the reopened database.
//! * [`inputs`]: the bad-input matrix through `isnad import` and `isnad import-claims`.
//! * [`faults`]: damaged, foreign, newer, read-only, busy and full databases.
//! * [`merge`]: foreign databases that must be refused or merged whole, hostile names,
//!   export paths.
//! * [`hostile`]: bidi controls, invisible characters, combining floods, huge sentences.
//! * [`fuzz`]: proptest targets for the importer, the segmenter, the bidi layout and
//!   `import-claims`, plus the corpus of cases found (`tests/fixtures/reliability/`).

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

mod util;

#[path = "reliability/cancel.rs"]
mod cancel;
#[path = "reliability/common.rs"]
mod common;
#[path = "reliability/faults.rs"]
mod faults;
#[path = "reliability/fuzz.rs"]
mod fuzz;
#[path = "reliability/hostile.rs"]
mod hostile;
#[path = "reliability/inputs.rs"]
mod inputs;
#[path = "reliability/invariants.rs"]
mod invariants;
#[path = "reliability/kill.rs"]
mod kill;
#[path = "reliability/merge.rs"]
mod merge;
