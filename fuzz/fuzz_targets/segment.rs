//! Any text through the segmenter and the boilerplate flags: sentences tile the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/reliability/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::check_segmentation(&String::from_utf8_lossy(data));
});
