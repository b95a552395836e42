//! Any text through the bidi layout at any width and direction: every visual line is a
//! permutation of its characters and every invisible control is shown.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/reliability/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let [width, direction, rest @ ..] = data else {
        return;
    };
    let direction = match direction % 3 {
        0 => None,
        1 => Some(isnad::text::TextDirection::Rtl),
        _ => Some(isnad::text::TextDirection::Ltr),
    };
    invariants::check_layout(
        &String::from_utf8_lossy(rest),
        usize::from(*width) + 1,
        direction,
    );
});
