//! The invariants the fuzz targets check, shared by the proptest targets
//! (`tests/reliability/fuzz.rs`, run in CI) and the cargo-fuzz targets (`fuzz/`). Each
//! function panics when an invariant breaks.
//!
//! * reading a file: never a panic; an accepted document is non-empty, NUL-free, and its
//!   sentences tile it;
//! * segmenting: offsets in bounds and on character boundaries, byte and code-point offsets
//!   agree, sentences trimmed, non-empty, ordered, without line breaks, only white space
//!   between them, none longer than the limit unless it is one grapheme; one boilerplate
//!   flag per sentence;
//! * laying out: every character on exactly one visual line, each visual line a
//!   permutation of its characters (mirrored brackets aside), every invisible control shown
//!   as a marker;
//! * importing claims: never a panic; whatever is stored points at exactly its text, and the
//!   database stays sound.

#![allow(dead_code, reason = "the fuzz targets each use one of these")]

use isnad::corpus::boilerplate::{BoilerplateRules, flag_boilerplate};
use isnad::corpus::reader::{InputFormat, read_documents};
use isnad::corpus::segment::{
    MAX_SENTENCE_CHARS, SegmentationRules, SentenceSpan, is_line_break, split_sentences,
};
use isnad::domain::NewSentence;
use isnad::store::Store;
use isnad::text::TextDirection;
use isnad::text::chars::marker_info;
use isnad::text::layout::{LayoutOptions, RunKind, layout_paragraph};
use isnad::text::plain::ColumnBackend;

/// Reading any bytes as either format.
pub fn check_read(bytes: &[u8], format: InputFormat) {
    let Ok(documents) = read_documents(bytes, format, "fuzz", None) else {
        return;
    };
    assert!(!documents.is_empty());
    for raw in documents {
        assert!(
            !raw.text.trim().is_empty(),
            "an empty document was accepted"
        );
        assert!(!raw.text.contains('\0'), "a NUL was accepted");
        let text = raw.text.clone();
        let document = isnad::importer::prepare_document(
            raw,
            SegmentationRules::builtin(),
            BoilerplateRules::builtin(),
        );
        check_stored_sentences(&text, &document.sentences);
        assert!(document.title.chars().count() <= 1_001);
    }
}

/// Sentences as the store receives them.
pub fn check_stored_sentences(text: &str, sentences: &[NewSentence]) {
    let spans: Vec<SentenceSpan> = sentences
        .iter()
        .map(|s| {
            let start_byte = byte_of(text, s.start);
            let end_byte = byte_of(text, s.end);
            assert_eq!(
                &text[start_byte..end_byte],
                s.text,
                "stored text is the slice"
            );
            SentenceSpan {
                start: s.start,
                end: s.end,
                start_byte,
                end_byte,
            }
        })
        .collect();
    check_spans(text, &spans);
}

fn byte_of(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(byte, _)| byte)
}

/// Segmenting any text (and flagging its boilerplate).
pub fn check_segmentation(text: &str) {
    let spans = split_sentences(text, SegmentationRules::builtin());
    check_spans(text, &spans);
    let flags = flag_boilerplate(text, &spans, BoilerplateRules::builtin());
    assert_eq!(flags.len(), spans.len(), "one flag per sentence");
}

/// The tiling invariants of sentence spans.
pub fn check_spans(text: &str, spans: &[SentenceSpan]) {
    use unicode_segmentation::UnicodeSegmentation;
    let chars = text.chars().count();
    let mut previous_end_byte = 0;
    let mut previous_end = 0;
    for span in spans {
        assert!(span.start < span.end, "empty sentence {span:?}");
        assert!(span.end <= chars, "{span:?} beyond the text");
        assert!(span.start_byte >= previous_end_byte && span.start >= previous_end);
        let sentence = span.text(text).expect("on character boundaries");
        assert_eq!(text[..span.start_byte].chars().count(), span.start);
        assert_eq!(sentence.chars().count(), span.end - span.start);
        assert_eq!(sentence.trim(), sentence, "untrimmed {sentence:?}");
        assert!(!sentence.chars().any(is_line_break), "line break inside");
        assert!(
            span.char_len() <= MAX_SENTENCE_CHARS || sentence.graphemes(true).count() == 1,
            "a sentence of {} characters",
            span.char_len()
        );
        let gap = &text[previous_end_byte..span.start_byte];
        assert!(
            gap.chars().all(char::is_whitespace),
            "text lost between sentences: {gap:?}"
        );
        previous_end_byte = span.end_byte;
        previous_end = span.end;
    }
    let tail = &text[previous_end_byte..];
    assert!(
        tail.chars().all(char::is_whitespace),
        "text lost at the end: {tail:?}"
    );
}

/// Laying out any text as the CLI does (one column per grapheme).
pub fn check_layout(text: &str, width: usize, direction: Option<TextDirection>) {
    let options = LayoutOptions {
        max_width: Some(width.max(1) as f32),
        direction,
        ..Default::default()
    };
    let layout = layout_paragraph(text, &options, &mut ColumnBackend);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(layout.char_count(), chars.len());
    let mut next = 0;
    for line in layout.lines() {
        assert_eq!(line.chars.start, next, "visual lines do not tile");
        next = line.chars.end;
    }
    assert_eq!(next, chars.len(), "visual lines do not cover the text");
    for (line, visual) in layout.lines().iter().zip(layout.visual_strings()) {
        let logical: Vec<char> = chars[line.chars.clone()].to_vec();
        assert!(
            is_permutation(&logical, &visual),
            "a visual line is not a permutation of its characters: {logical:?} shown as {visual:?}"
        );
    }
    for (i, &c) in chars.iter().enumerate() {
        if c != '\n' && marker_info(c).is_some() {
            let shown = layout.lines().iter().any(|line| {
                line.runs
                    .iter()
                    .any(|run| matches!(run.kind, RunKind::Marker { .. }) && run.chars.contains(&i))
            });
            assert!(shown, "U+{:04X} at {i} is not shown", c as u32);
        }
    }
    let _ = isnad::text::visual_lines(text, Some(width.max(1)), direction);
}

/// Whether `shown` holds exactly the characters of `logical` (line feeds aside), each as
/// itself or as its mirrored glyph. Mirroring is matched one way, from the logical character:
/// it is not symmetric (U+22A8 ⊨ mirrors to U+2AE4 ⫤, which has no mirror of its own — the
/// first case cargo-fuzz found, a false alarm of an earlier version of this check).
pub fn is_permutation(logical: &[char], shown: &str) -> bool {
    use std::collections::HashMap;
    let mut left: HashMap<char, usize> = HashMap::new();
    for &c in logical.iter().filter(|&&c| c != '\n') {
        *left.entry(c).or_default() += 1;
    }
    let mut mirrored_from: HashMap<char, Vec<char>> = HashMap::new();
    for &c in left.keys() {
        if let Some(m) = isnad::text::bidi::mirrored(c) {
            mirrored_from.entry(m).or_default().push(c);
        }
    }
    let take = |c: char, left: &mut HashMap<char, usize>| match left.get_mut(&c) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    };
    // Characters shown as themselves first, then the mirrored ones.
    let mut unmatched = Vec::new();
    for s in shown.chars().filter(|&c| c != '\n') {
        if !take(s, &mut left) {
            unmatched.push(s);
        }
    }
    for s in unmatched {
        let sources = mirrored_from.get(&s).cloned().unwrap_or_default();
        if !sources.into_iter().any(|c| take(c, &mut left)) {
            return false;
        }
    }
    left.values().all(|&n| n == 0)
}

/// A store with the seeds and the starter registry, for `import-claims` targets.
pub fn claims_store() -> Box<dyn Store> {
    let mut store = isnad::store::open_in_memory().unwrap();
    isnad::seeds::import_seeds(&mut *store).unwrap();
    isnad::model::project::load_starter_registry(&mut *store).unwrap();
    store
}

/// `import-claims` on any text: no panic; what was stored points at exactly its text.
pub fn check_import_claims(store: &mut dyn Store, text: &str) {
    let result = isnad::importer::claims::import_claims_text(store, text, "fuzz", None);
    if let Ok(report) = &result {
        let lines = text.split('\n').count();
        assert!(
            report
                .rejected
                .iter()
                .all(|r| r.line >= 1 && r.line <= lines)
        );
    }
    let request = isnad::export::ExportRequest {
        what: isnad::export::What::Claims,
        format: isnad::export::Format::Jsonl,
        annotator: None,
        gold_split: None,
    };
    let mut out = Vec::new();
    isnad::export::export(store, &request, &mut out).unwrap();
    let mut texts = std::collections::HashMap::new();
    for line in String::from_utf8(out).unwrap().lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let doc_id = record["doc_id"].as_str().unwrap().to_owned();
        let text = texts
            .entry(doc_id.clone())
            .or_insert_with(|| store.document(&doc_id).unwrap().unwrap().text);
        for role in ["speaker", "target", "cue", "claim"] {
            let part = &record[role];
            if let (Some(start), Some(end)) = (part["start"].as_u64(), part["end"].as_u64()) {
                let slice: String = text
                    .chars()
                    .skip(start as usize)
                    .take((end - start) as usize)
                    .collect();
                assert_eq!(
                    part["text"].as_str(),
                    Some(slice.as_str()),
                    "a stored {role} span does not hold its text"
                );
                assert!(end as usize <= text.chars().count());
            }
        }
    }
    assert!(store.integrity_problems().unwrap().is_empty());
}
