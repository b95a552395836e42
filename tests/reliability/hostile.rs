//! Hostile text end to end: explicit bidi controls (balanced and not), zero-width and other
//! invisible characters, combining-mark floods, 10,000-character sentences and mixed
//! scripts go through `isnad import`, the store, the model, the exporters, `isnad bidi` and
//! the layout the reading view draws — with no panic and no hang, stored byte for byte,
//! sentences tiling the text, every visual line a permutation of its characters, and every
//! invisible control shown as a visible marker (the display shows what is really there).
//!
//! Already covered and not repeated: layout invariants on generated text and 10,000-
//! character paragraphs of controls, marks and brackets (`src/text/layout_tests.rs`), ICU
//! agreement of the visual order (`tests/cli/bidi.rs`).

use isnad::domain::Span;
use isnad::model::{Intent, Role, Workspace, project};
use isnad::store::{self, Access, Location};
use isnad::text::chars::marker_info;
use isnad::text::fonts::{ARABIC_SLOT, LATIN_SLOT, standard_font_set};
use isnad::text::layout::{
    FontBackend, LayoutOptions, ParagraphLayout, RunKind, WidthCache, layout_paragraph,
};

use crate::util::{Sandbox, jsonl, slice_chars};

/// (name, text) of each hostile article.
pub fn hostile_texts() -> Vec<(&'static str, String)> {
    vec![
        (
            "trojan-source",
            "قال الوزير \u{202E}تجاهل ما يلي\u{202C} إن الاتفاق \u{2067}قريب\u{2069} جدا. \
             وأضاف \u{202D}abc\u{202A}def (بلا إغلاق."
                .into(),
        ),
        (
            "unbalanced",
            "\u{202E}\u{202E}\u{202E}\u{2066}\u{2067}نص بلا إغلاق\u{202B}\u{202C}\u{202C}\u{202C}\u{202C}\u{2069}\u{2069}. ثم نص."
                .into(),
        ),
        (
            "invisible",
            "روسيا\u{200B}تدعم\u{2060}المعارضة\u{FEFF}اليوم. وقال\u{200C}ت\u{200D}ها \u{00AD}\u{061C}\u{200E}\u{200F}\u{180E}\u{2061} أمس."
                .into(),
        ),
        (
            "combining-flood",
            format!(
                "ب{} قال الرئيس. {}x{}.",
                "\u{0651}".repeat(5_000),
                "\u{064B}\u{064C}".repeat(1_000),
                "\u{0301}".repeat(3_000)
            ),
        ),
        (
            "ten-thousand",
            format!("{}.", "كلمة عربية طويلة ".repeat(10_000 / 17)),
        ),
        (
            "mixed-scripts",
            "قال Путин 普京 ‏פוטין‎ पुतिन 🇷🇺👨‍👩‍👧 إن «الحل» (political) [٢٠٢٤] {2024} قريب! \
             Ελληνικά ﷺ ﷽ \u{E000}\u{FFFF}\u{FFFD} النهاية؟"
                .into(),
        ),
        (
            "separators",
            "سطر\u{2028}سطر ثان\u{2029}فقرة\u{0085}بعد NEL\u{000B}بعد VT\u{000C}بعد FF نهاية."
                .into(),
        ),
        (
            "brackets",
            format!("{}{} قال.", "(«[".repeat(2_000), "]»)".repeat(1_999)),
        ),
    ]
}

fn gui_layout(text: &str, width: f32) -> ParagraphLayout {
    let mut widths = WidthCache::default();
    let mut backend = FontBackend::new(
        standard_font_set(),
        20.0,
        ARABIC_SLOT,
        LATIN_SLOT,
        LATIN_SLOT,
        &mut widths,
    );
    let options = LayoutOptions {
        max_width: Some(width),
        ..Default::default()
    };
    layout_paragraph(text, &options, &mut backend)
}

/// The invariants of a laid-out paragraph that make the display honest: every character on
/// exactly one line; each line's display a permutation of its characters (mirrored brackets
/// aside); every invisible control inside a visible marker run.
fn check_display(text: &str, layout: &ParagraphLayout, what: &str) {
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(layout.char_count(), chars.len(), "{what}");
    let mut next = 0;
    for line in layout.lines() {
        assert_eq!(line.chars.start, next, "{what}: lines do not tile");
        next = line.chars.end;
    }
    assert_eq!(next, chars.len(), "{what}: lines do not cover the text");
    for (i, &c) in chars.iter().enumerate() {
        if marker_info(c).is_some() {
            let shown = layout.lines().iter().any(|line| {
                line.runs
                    .iter()
                    .any(|run| matches!(run.kind, RunKind::Marker { .. }) && run.chars.contains(&i))
            });
            assert!(shown, "{what}: U+{:04X} at {i} is not shown", c as u32);
        }
    }
}

#[test]
fn hostile_articles_are_stored_exactly_and_displayed_honestly() {
    let sandbox = Sandbox::new();
    let texts = hostile_texts();
    let lines: String = texts
        .iter()
        .map(|(name, text)| format!("{}\n", serde_json::json!({"id": name, "text": text})))
        .collect();
    let file = sandbox.write("hostile.jsonl", &lines);
    let run = sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    assert!(
        run.stderr.contains(&format!("{} added", texts.len())),
        "{}",
        run.stderr
    );
    // One .txt too (the title comes from the text).
    let txt = sandbox.write("trojan.txt", format!("{}\n{}", texts[0].1, texts[2].1));
    sandbox
        .run(["import".as_ref(), txt.as_os_str()])
        .expect_code(0);

    let documents = jsonl(
        &sandbox
            .run(["export", "--what", "documents"])
            .expect_code(0)
            .stdout,
    );
    let sentences = jsonl(
        &sandbox
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout,
    );
    for (name, text) in &texts {
        let doc = documents.iter().find(|d| d["id"] == *name).unwrap();
        assert!(
            doc["text"].as_str() == Some(text.as_str()),
            "{name}: stored text differs"
        );
        assert!(doc["title"].as_str().unwrap().chars().count() <= 121);
        // Sentences: code-point offsets slice exactly their text.
        let mine: Vec<&serde_json::Value> =
            sentences.iter().filter(|s| s["doc_id"] == *name).collect();
        assert!(!mine.is_empty(), "{name}");
        for s in &mine {
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                slice_chars(text, start, end),
                s["text"].as_str().unwrap(),
                "{name}"
            );
            let sentence = s["text"].as_str().unwrap();
            crate::invariants::check_layout(sentence, 40, None);
            check_display(sentence, &gui_layout(sentence, 600.0), name);
        }
        check_display(text, &gui_layout(text, 300.0), name);
    }

    // `isnad bidi` on every hostile line: no panic, one permutation per line.
    let input: String = texts
        .iter()
        .map(|(_, t)| t.replace(['\n', '\r'], " ") + "\n")
        .collect();
    let run = sandbox
        .run_stdin(["bidi", "--width", "30"], &input)
        .expect_code(0);
    assert!(run.stdout.lines().count() >= texts.len());
}

/// The model on hostile text: spans set across controls and marks, confirmed, exported and
/// imported back; the record's text is always the document's text at its offsets.
#[test]
fn claims_on_hostile_text_round_trip() {
    let sandbox = Sandbox::new();
    let texts = hostile_texts();
    let lines: String = texts
        .iter()
        .map(|(name, text)| format!("{}\n", serde_json::json!({"id": name, "text": text})))
        .collect();
    let file = sandbox.write("hostile.jsonl", &lines);
    sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    {
        let mut store = store::open(&Location::from(&sandbox.db), Access::ReadWrite).unwrap();
        project::load_starter_registry(&mut *store).unwrap();
        let mut ws = Workspace::new(store, "hala").unwrap();
        let russia = ws.registry().by_name("Russia").unwrap().entity.id.clone();
        for (name, _) in &texts {
            ws.apply(Intent::OpenDocument {
                doc_id: (*name).into(),
                sentence: Some(0),
            })
            .unwrap();
            let sentence = ws.document().unwrap().sentence().unwrap().clone();
            // The whole sentence as content, its first three characters (whatever they are:
            // controls, a base and its marks…) as the target.
            ws.apply(Intent::SetSpan {
                role: Role::Content,
                span: Span::new(sentence.start, sentence.end),
            })
            .unwrap();
            ws.apply(Intent::SetSpan {
                role: Role::Target,
                span: Span::new(sentence.start, (sentence.start + 3).min(sentence.end)),
            })
            .unwrap();
            for role in [Role::Speaker, Role::Target] {
                ws.apply(Intent::SetEntity {
                    role,
                    entity_id: russia.clone(),
                })
                .unwrap();
            }
            ws.apply(Intent::SetStance("unclear".into())).unwrap();
            ws.apply(Intent::ConfirmClaim).unwrap();
        }
    }
    let exported = sandbox
        .run(["export", "--what", "claims"])
        .expect_code(0)
        .stdout;
    let records = jsonl(&exported);
    assert_eq!(records.len(), texts.len());
    for record in &records {
        let text = &texts
            .iter()
            .find(|(n, _)| record["doc_id"] == *n)
            .unwrap()
            .1;
        for role in ["target", "claim"] {
            let part = &record[role];
            let (start, end) = (
                part["start"].as_u64().unwrap() as usize,
                part["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                slice_chars(text, start, end),
                part["text"].as_str().unwrap()
            );
        }
    }
    // Back in through import-claims, as another annotator: every record accepted.
    let file = sandbox.write("claims.jsonl", &exported);
    let run = sandbox
        .run([
            "import-claims".as_ref(),
            "--annotator".as_ref(),
            "copy".as_ref(),
            file.as_os_str(),
        ])
        .expect_code(0);
    assert!(
        run.stderr.contains(&format!("{} claims", texts.len()))
            && run.stderr.contains("0 records rejected"),
        "{}",
        run.stderr
    );
    let csv = sandbox
        .run(["export", "--what", "claims", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, 2 * texts.len());
}
