//! `isnad bidi`: the visual order of every golden line equals ICU's (fixture produced once
//! with ICU, see tests/fixtures/bidi/generate.py); wrapping with --width.

use crate::util::{Sandbox, fixture};

/// Every sentence of the seeds, exactly as segmented (tests/fixtures/seeds_sentences.jsonl),
/// with ICU's output made once by `/usr/bin/python3 ../shared/tools/icu_bidi.py`.
#[test]
fn every_seed_sentence_matches_icu_through_the_binary() {
    compare_with_icu("bidi/seed_sentences.txt", "bidi/seed_sentences_icu.txt");
}

#[test]
fn every_golden_line_matches_icu_through_the_binary() {
    compare_with_icu("bidi/inputs.txt", "bidi/expected_icu.txt");
}

fn compare_with_icu(inputs: &str, expected: &str) {
    let inputs = std::fs::read_to_string(fixture(inputs)).unwrap();
    let expected = std::fs::read_to_string(fixture(expected)).unwrap();
    let sandbox = Sandbox::new();
    let run = sandbox.run_stdin(["bidi"], &inputs).expect_code(0);
    let actual: Vec<&str> = run.stdout.lines().collect();
    let wanted: Vec<&str> = expected.lines().collect();
    assert_eq!(actual.len(), wanted.len());
    let mismatches: Vec<String> = actual
        .iter()
        .zip(&wanted)
        .enumerate()
        .filter(|(_, (a, e))| a != e)
        .map(|(i, (a, e))| format!("line {}: got {a:?}, ICU {e:?}", i + 1))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn width_breaks_lines_first_and_keeps_the_beginning_on_the_first_line() {
    let sandbox = Sandbox::new();
    let run = sandbox
        .run_stdin(
            ["bidi", "--width", "12"],
            "قال الرئيس إن القرار 2254 واضح\n",
        )
        .expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
    // The first visual line holds the first words (قال الرئيس), reversed for display.
    assert!(
        lines[0].contains("سيئرلا") && lines[0].contains("لاق"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("2254")),
        "numbers are never reversed: {lines:?}"
    );
    let none = sandbox.run_stdin(["bidi", "--width", "0"], "x\n");
    assert_eq!(none.code, 1);
}
