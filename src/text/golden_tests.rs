//! Golden test: `visual_lines(line, None, None)` must equal ICU's visual order byte for byte
//! on every fixture line (seed lines, their sentences and hand-written mixed lines).
//! Regenerate the fixtures with `tests/fixtures/bidi/generate.py`.

use crate::text::plain::visual_lines;

const INPUTS: &str = include_str!("../../tests/fixtures/bidi/inputs.txt");
const EXPECTED: &str = include_str!("../../tests/fixtures/bidi/expected_icu.txt");

#[test]
fn visual_order_matches_icu_on_every_fixture_line() {
    let inputs: Vec<&str> = INPUTS.split_terminator('\n').collect();
    let expected: Vec<&str> = EXPECTED.split_terminator('\n').collect();
    assert_eq!(
        inputs.len(),
        expected.len(),
        "fixture files disagree in length"
    );
    assert!(inputs.len() >= 150, "fixtures look truncated");
    let mut mismatches = Vec::new();
    for (line_no, (input, want)) in inputs.iter().zip(&expected).enumerate() {
        let got = visual_lines(input, None, None);
        if got.len() != 1 || got[0] != *want {
            mismatches.push(format!(
                "line {}: {:?}\n   got {:?}\n  want {:?}",
                line_no + 1,
                input,
                got,
                want
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} lines differ from ICU:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
}

#[test]
fn wrapped_lines_are_the_logical_lines_reordered() {
    // With a width, each visual line is a permutation of a logical slice, and the slices
    // in order give back the input.
    for input in INPUTS.split_terminator('\n').take(60) {
        for width in [8, 20, 45] {
            let lines = visual_lines(input, Some(width), None);
            let total: usize = lines.iter().map(|l| l.chars().count()).sum();
            assert_eq!(total, input.chars().count(), "{input:?} at {width}");
        }
    }
}
