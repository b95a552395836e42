//! Any text as an import-claims file, against the seeds: never a panic; whatever is stored
//! points at exactly its text and the database stays sound.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/reliability/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let mut store = invariants::claims_store();
    invariants::check_import_claims(&mut *store, &String::from_utf8_lossy(data));
});
