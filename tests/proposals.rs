//! Proposals measured on the hand-labelled evaluation set (`tests/fixtures/proposals/`, our own
//! news-style texts in the manner of twelve kinds of Arabic news site): the real binary
//! imports the documents (`isnad import`), exports its sentences and writes its proposals
//! (`isnad suggest`), and the figures are computed against the labels. `dev` is the split the
//! rules were tuned on; `test` was written separately and held out.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

mod util;

#[path = "proposals/eval.rs"]
mod eval;

use std::fmt::Write as _;

use util::{Sandbox, fixture};

/// Imports a split, runs `suggest`, and scores it.
fn measure(split: &str) -> eval::Figures {
    let docs = eval::read_split(&fixture(&format!("proposals/{split}")));
    assert!(
        docs.len() >= 20,
        "the {split} split has {} documents",
        docs.len()
    );
    let sandbox = Sandbox::new();
    let mut jsonl = String::new();
    for doc in &docs {
        let line = serde_json::json!({"id": doc.id, "source": doc.site, "text": doc.text});
        writeln!(jsonl, "{line}").unwrap();
    }
    let input = sandbox.write("docs.jsonl", jsonl);
    sandbox
        .run([std::ffi::OsStr::new("import"), input.as_os_str()])
        .expect_code(0);
    let sentences = sandbox
        .run(["export", "--what", "sentences", "-q"])
        .expect_code(0)
        .stdout;
    let proposals = sandbox.run(["suggest"]).expect_code(0).stdout;
    let sentences = eval::read_sentences(&sentences);
    let claims = eval::read_claims(&proposals);
    let mut figures = eval::Figures::default();
    for doc in &docs {
        eval::score(
            doc,
            sentences.get(&doc.id).map_or(&[][..], Vec::as_slice),
            claims.get(&doc.id).map_or(&[][..], Vec::as_slice),
            &mut figures,
        );
    }
    print_figures(split, &figures);
    figures
}

fn print_figures(split: &str, f: &eval::Figures) {
    println!("== {split}");
    for miss in &f.misses {
        println!("  miss: {miss}");
    }
    println!("reporting cue found            {}", f.cue);
    println!("explicit speaker overlaps      {}", f.speaker);
    println!("implicit speaker linked        {}", f.implicit);
    println!("speaker name exact             {}", f.name_exact);
    println!(
        "keys per right proposal        {:.2} (a + stance; Enter for {} of {} names new to the project)",
        2.0 + f.right_with_new_name as f64 / f.right.max(1) as f64,
        f.right_with_new_name,
        f.right
    );
    println!("claim content overlaps         {}", f.content);
    println!("boilerplate recall             {}", f.boilerplate);
    println!("body sentences flagged         {}", f.body_flagged);
    println!(
        "sentence boundaries F1         {:.3} (precision {}, recall {})",
        f.boundary_f1(),
        f.boundary_precision,
        f.boundary_recall
    );
    println!(
        "proposals                      {} ({} with no gold cue)",
        f.proposals, f.false_proposals
    );
}

fn assert_goals(split: &str, f: &eval::Figures) {
    assert!(f.cue.value() >= 0.92, "{split}: cue {}", f.cue);
    assert!(f.speaker.value() >= 0.80, "{split}: speaker {}", f.speaker);
    assert!(
        f.implicit.value() >= 0.60,
        "{split}: implicit {}",
        f.implicit
    );
    assert!(
        f.boilerplate.value() >= 0.80,
        "{split}: boilerplate {}",
        f.boilerplate
    );
    assert_eq!(f.body_flagged, 0, "{split}: body sentences flagged");
    assert!(
        f.boundary_f1() >= 0.98,
        "{split}: boundaries {:.3}",
        f.boundary_f1()
    );
}

/// The same documents as a folder of `.txt` files with no source: lines repeated across the
/// import are found without knowing the sites, and the boilerplate goals still hold.
fn measure_as_text_files(split: &str) -> eval::Figures {
    let docs = eval::read_split(&fixture(&format!("proposals/{split}")));
    let sandbox = Sandbox::new();
    let folder = sandbox.path("articles");
    std::fs::create_dir_all(&folder).unwrap();
    for doc in &docs {
        std::fs::write(folder.join(format!("{}.txt", doc.id)), &doc.text).unwrap();
    }
    sandbox
        .run([std::ffi::OsStr::new("import"), folder.as_os_str()])
        .expect_code(0);
    let documents = sandbox
        .run(["export", "--what", "documents", "-q"])
        .expect_code(0)
        .stdout;
    let id_of_text: std::collections::HashMap<String, String> = documents
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                v["text"].as_str().unwrap().to_owned(),
                v["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let sentences = eval::read_sentences(
        &sandbox
            .run(["export", "--what", "sentences", "-q"])
            .expect_code(0)
            .stdout,
    );
    let mut figures = eval::Figures::default();
    for doc in &docs {
        let id = &id_of_text[&doc.text];
        eval::score_segments(doc, &sentences[id], &mut figures);
    }
    println!("== {split} as .txt files without a source");
    println!("boilerplate recall             {}", figures.boilerplate);
    println!("body sentences flagged         {}", figures.body_flagged);
    figures
}

#[test]
fn boilerplate_is_found_in_a_folder_of_text_files_without_sources() {
    for split in ["dev", "test"] {
        let f = measure_as_text_files(split);
        assert!(
            f.boilerplate.value() >= 0.80,
            "{split}: boilerplate {}",
            f.boilerplate
        );
        assert_eq!(f.body_flagged, 0, "{split}: body sentences flagged");
        assert!(
            f.boundary_f1() >= 0.98,
            "{split}: boundaries {:.3}",
            f.boundary_f1()
        );
    }
}

#[test]
fn the_dev_split_meets_the_goals() {
    let figures = measure("dev");
    assert_goals("dev", &figures);
}

#[test]
fn the_held_out_split_meets_the_goals() {
    let figures = measure("test");
    assert_goals("test", &figures);
}
