//! `isnad --help`: one line per command (ripgrep-style); the details in `isnad COMMAND --help`.

use std::process::Command;

use crate::util::isnad_bin;

fn help(args: &[&str], columns: &str) -> String {
    let output = Command::new(isnad_bin())
        .args(args)
        .env("COLUMNS", columns)
        .env_remove("ISNAD_DB")
        .output()
        .expect("run isnad");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 help")
}

/// The lines of the "Commands:" section.
fn command_lines(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_command_list_holds_one_line_per_command_and_details_are_per_command() {
    for columns in ["80", "100"] {
        let text = help(&["--help"], columns);
        let lines = command_lines(&text);
        let names: Vec<&str> = lines
            .iter()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        for expected in [
            "import",
            "docs",
            "export",
            "import-claims",
            "agreement",
            "assign",
            "bidi",
            "entities",
            "merge",
            "help",
        ] {
            assert!(names.contains(&expected), "{expected} missing:\n{text}");
        }
        for line in &lines {
            // A continuation line starts with the description column's indentation.
            assert!(
                line.starts_with("  ") && !line.starts_with("   "),
                "a command takes more than one line at {columns} columns:\n{text}"
            );
            assert!(
                line.chars().count() <= columns.parse().unwrap(),
                "{line:?} is wider than {columns} columns"
            );
            let description = line.split_whitespace().skip(1).collect::<Vec<_>>();
            assert!(description.len() >= 3, "{line:?} has no description");
        }
        // `-h` gives the same list.
        assert_eq!(command_lines(&help(&["-h"], columns)), lines);
    }
    // The details are in each command's own help.
    for (command, detail) in [
        ("import", "Windows-1256"),
        ("import-claims", "sentence_index"),
        ("export", "header row"),
        ("assign", "--overlap"),
        ("agreement", "Krippendorff"),
        ("merge", "conflict"),
        ("bidi", "Bidirectional"),
        ("entities", "canonical name"),
        ("docs", "progress"),
    ] {
        let text = help(&[command, "--help"], "100");
        assert!(text.contains(detail), "isnad {command} --help:\n{text}");
    }
}
