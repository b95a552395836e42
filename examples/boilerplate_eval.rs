//! Boilerplate flags measured on the hand-labelled proposal set (tests/fixtures/proposals/,
//! format in its README): recall of the chrome sentences (`"bp": true`) and the body
//! sentences flagged, with every miss and every false flag listed.
//!
//! ```text
//! cargo run --example boilerplate_eval -- tests/fixtures/proposals/dev [--by-site] [--quiet] [--rules FILE]
//! ```
//!
//! The documents are prepared as `isnad import` prepares them (segmentation, the rules), then
//! the repeated lines are flagged over all of them at once — as one import batch (the files'
//! `.txt` form has no source), or with `--by-site` grouped by their site as JSONL `"source"`
//! would. A gold sentence counts as flagged when a flagged sentence of the segmentation
//! overlaps it.

#![allow(clippy::unwrap_used, reason = "an evaluation tool: fail loudly")]
#![allow(clippy::print_stdout, reason = "it prints its figures")]

use std::path::PathBuf;

use isnad::corpus::boilerplate::BoilerplateRules;
use isnad::corpus::reader::{InputFormat, read_documents};
use isnad::corpus::repeated_lines::flag_repeated_lines;
use isnad::corpus::segment::SegmentationRules;
use isnad::importer::prepare_document;

/// A gold sentence: its code-point range, whether it is chrome, its text.
struct Gold {
    range: std::ops::Range<usize>,
    bp: bool,
    text: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("a fixture folder"));
    let by_site = args.iter().any(|a| a == "--by-site");
    let quiet = args.iter().any(|a| a == "--quiet");
    // `--rules FILE`: another rules file (e.g. to see what the repeated lines alone catch).
    let rules: &'static BoilerplateRules = match args.iter().position(|a| a == "--rules") {
        Some(index) => Box::leak(Box::new(
            BoilerplateRules::from_path(std::path::Path::new(&args[index + 1])).unwrap(),
        )),
        None => BoilerplateRules::builtin(),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();

    let mut documents = Vec::new();
    let mut golds = Vec::new();
    let mut names = Vec::new();
    for path in &paths {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut text = String::new();
        let mut gold = Vec::new();
        for (index, line) in json["lines"].as_array().unwrap().iter().enumerate() {
            if index > 0 {
                text.push('\n');
            }
            for (position, sentence) in line.as_array().unwrap().iter().enumerate() {
                if position > 0 {
                    text.push(' ');
                }
                let t = sentence["t"].as_str().unwrap();
                let start = text.chars().count();
                text.push_str(t);
                gold.push(Gold {
                    range: start..start + t.chars().count(),
                    bp: sentence["bp"].as_bool().unwrap_or(false),
                    text: t.to_owned(),
                });
            }
        }
        let origin = path.display().to_string();
        let mut raw = read_documents(text.as_bytes(), InputFormat::Txt, &origin, None)
            .unwrap()
            .remove(0);
        if by_site {
            raw.source = json["site"].as_str().map(str::to_owned);
        }
        documents.push(prepare_document(raw, SegmentationRules::builtin(), rules));
        golds.push(gold);
        names.push(json["id"].as_str().unwrap_or_default().to_owned());
    }
    let by_rules: usize = documents
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .filter(|s| s.boilerplate.is_some())
                .count()
        })
        .sum();
    let repeated = flag_repeated_lines(&mut documents, rules);

    let (mut chrome, mut caught, mut body, mut false_flags) = (0, 0, 0, 0);
    let mut reasons = std::collections::BTreeMap::<String, usize>::new();
    for ((document, gold), name) in documents.iter().zip(&golds).zip(&names) {
        for sentence in gold {
            let flag = document
                .sentences
                .iter()
                .filter(|s| s.start < sentence.range.end && sentence.range.start < s.end)
                .find_map(|s| s.boilerplate.clone());
            if sentence.bp {
                chrome += 1;
                if let Some(reason) = &flag {
                    caught += 1;
                    *reasons.entry(reason.clone()).or_default() += 1;
                } else if !quiet {
                    println!("missed  {name}: {}", sentence.text);
                }
            } else {
                body += 1;
                if let Some(reason) = flag {
                    false_flags += 1;
                    println!("BODY    {name} [{reason}]: {}", sentence.text);
                }
            }
        }
    }
    println!(
        "{} documents; chrome sentences {chrome}, flagged {caught} (recall {:.3}); body sentences {body}, flagged {false_flags}",
        documents.len(),
        caught as f64 / chrome.max(1) as f64
    );
    println!("segmented sentences flagged by the rules {by_rules}, by repeated lines {repeated}");
    println!("chrome caught by reason: {reasons:?}");

    // Every body sentence alone on a line (as a headline or subheading would be).
    let segmentation = SegmentationRules::builtin();
    let mut alone = 0;
    for (gold, name) in golds.iter().zip(&names) {
        for sentence in gold.iter().filter(|s| !s.bp) {
            let text = format!("عنوان\n{}\nنص.", sentence.text);
            let spans = isnad::corpus::segment::split_sentences(&text, segmentation);
            let flags = isnad::corpus::boilerplate::flag_boilerplate(&text, &spans, rules);
            if let Some(reason) = flags.iter().skip(1).find_map(Clone::clone) {
                alone += 1;
                println!("ALONE   {name} [{reason}]: {}", sentence.text);
            }
        }
    }
    println!("body sentences flagged when alone on a line: {alone}");
}
