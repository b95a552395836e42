//! Any bytes as a .txt or .jsonl file: never a panic; accepted documents tile into
//! sentences (tests/reliability/invariants.rs).
#![no_main]

use isnad::corpus::reader::InputFormat;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/reliability/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first % 2 == 0 {
        InputFormat::Txt
    } else {
        InputFormat::Jsonl
    };
    invariants::check_read(bytes, format);
});
