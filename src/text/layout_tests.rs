//! Layout tests with the real fonts (no window): run order and display text for the cases
//! news text is full of, and proptest invariants of layout, hit-testing and highlighting.

use proptest::prelude::*;

use crate::text::TextDirection;
use crate::text::fonts::{ARABIC_SLOT, LATIN_SLOT, standard_font_set};
use crate::text::geometry::PointF;
use crate::text::layout::{
    FontBackend, LayoutOptions, ParagraphLayout, RunKind, WidthCache, layout_paragraph,
};
use crate::text::plain::{ColumnBackend, visual_lines};

fn gui_layout(text: &str, width: Option<f32>) -> ParagraphLayout {
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
        max_width: width,
        ..Default::default()
    };
    layout_paragraph(text, &options, &mut backend)
}

/// (display text, slot or marker label, level) of each run of each line, left to right.
fn runs(layout: &ParagraphLayout) -> Vec<Vec<(String, String, u8)>> {
    layout
        .lines()
        .iter()
        .map(|line| {
            line.runs
                .iter()
                .map(|r| {
                    let kind = match &r.kind {
                        RunKind::Text { slot } => format!("slot{}", slot.0),
                        RunKind::Marker { label, .. } => label.clone(),
                        RunKind::Tab { .. } => "tab".to_owned(),
                    };
                    (r.display.clone(), kind, r.level)
                })
                .collect()
        })
        .collect()
}

fn run(display: &str, kind: &str, level: u8) -> (String, String, u8) {
    (display.to_owned(), kind.to_owned(), level)
}

#[test]
fn numbers_in_arabic_are_fed_left_to_right_and_placed_left() {
    let layout = gui_layout("القرار 2254", None);
    assert_eq!(
        runs(&layout),
        vec![vec![run("2254", "slot0", 2), run("القرار ", "slot0", 1)]]
    );
    let [first, second] = layout.lines()[0].runs.as_slice() else {
        panic!("two runs expected");
    };
    assert!(first.x < second.x);
}

#[test]
fn arabic_indic_digits_are_fed_reversed_because_harfrust_reverses_them() {
    let layout = gui_layout("العام ٢٠٢٤", None);
    assert_eq!(
        runs(&layout),
        vec![vec![run("٤٢٠٢", "slot0", 2), run("العام ", "slot0", 1)]]
    );
}

#[test]
fn latin_names_use_the_latin_face_in_logical_order() {
    let layout = gui_layout("على Karagöz GAG اليوم", None);
    assert_eq!(
        runs(&layout),
        vec![vec![
            run(" اليوم", "slot0", 1),
            run("Karagöz GAG", "slot1", 2),
            run("على ", "slot0", 1),
        ]]
    );
}

#[test]
fn brackets_alone_in_rtl_are_mirrored_by_us_and_quotes_inside_arabic_runs_by_harfrust() {
    // "(" and ")" are Latin-face runs at level 1: harfrust guesses LTR, so we mirror.
    let layout = gui_layout("قال (نعم)", None);
    assert_eq!(
        runs(&layout),
        vec![vec![
            run("(", "slot1", 1),
            run("نعم", "slot0", 1),
            run(")", "slot1", 1),
            run("قال ", "slot0", 1),
        ]]
    );
    // « » are in Naskh, inside the Arabic run: fed as is, harfrust mirrors them.
    let layout = gui_layout("قال «نعم»", None);
    assert_eq!(runs(&layout), vec![vec![run("قال «نعم»", "slot0", 1)]]);
}

#[test]
fn brackets_around_latin_inside_arabic_take_the_arabic_direction() {
    // Rule N0: the pair encloses L but is preceded by R, so it resolves to R (level 1) and
    // is mirrored; on screen it reads "(abc)".
    let layout = gui_layout("عربي (abc) عربي", None);
    let displays: Vec<String> = runs(&layout)[0].iter().map(|r| r.0.clone()).collect();
    assert_eq!(displays, vec![" عربي", "(", "abc", ")", "عربي "]);
    // In a left-to-right paragraph the same brackets stay as they are.
    let layout = gui_layout("abc (def) عربي", None);
    let displays: Vec<String> = runs(&layout)[0].iter().map(|r| r.0.clone()).collect();
    assert_eq!(displays, vec!["abc (def) ", "عربي"]);
}

#[test]
fn overridden_latin_is_reversed_and_controls_are_markers() {
    let layout = gui_layout("x \u{202E}abc\u{202C}", None);
    assert_eq!(
        runs(&layout),
        vec![vec![
            run("x ", "slot1", 0),
            run("cba", "slot1", 1),
            run("\u{202E}", "RLO", 1),
            run("\u{202C}", "PDF", 0),
        ]]
    );
}

#[test]
fn joiners_stay_inside_the_arabic_run_and_zwsp_is_a_marker() {
    let layout = gui_layout("مرحبا\u{200D}بكم و\u{200C}نص", None);
    assert_eq!(layout.lines()[0].runs.len(), 1);
    let layout = gui_layout("عربي\u{200B}نص", None);
    let kinds: Vec<String> = runs(&layout)[0].iter().map(|r| r.1.clone()).collect();
    assert_eq!(kinds, vec!["slot0", "ZWSP", "slot0"]);
}

#[test]
fn characters_without_a_font_become_code_point_markers() {
    // No bundled font has CJK: a tagged code point, never a silent box.
    let layout = gui_layout("عربي 中", None);
    let kinds: Vec<String> = runs(&layout)[0].iter().map(|r| r.1.clone()).collect();
    assert!(kinds.contains(&"U+4E2D".to_owned()), "{kinds:?}");
    // Emoji and symbols come from egui's monochrome emoji fonts.
    let layout = gui_layout("عربي 😀 ➡", None);
    let kinds: Vec<String> = runs(&layout)[0].iter().map(|r| r.1.clone()).collect();
    assert!(!kinds.iter().any(|k| k.starts_with("U+")), "{kinds:?}");
}

#[test]
fn wrapping_keeps_the_beginning_on_the_first_line_and_right_aligns() {
    let text = "كشف رئيس الائتلاف الوطني السوري عن حوار دار بينه وبين ممثل روسيا";
    let layout = gui_layout(text, Some(200.0));
    assert!(layout.lines().len() >= 3);
    let first: String = layout.chars()[layout.lines()[0].chars.clone()]
        .iter()
        .collect();
    assert!(first.starts_with("كشف رئيس"), "{first:?}");
    for line in layout.lines() {
        assert!(line.right <= 200.0 + 0.01, "right-aligned within the width");
        assert!(line.left >= -0.01);
    }
    // The last visual piece of each line ends at the right edge.
    for line in &layout.lines()[..layout.lines().len() - 1] {
        assert!((line.right - 200.0).abs() < 0.01, "{line:?}");
    }
}

#[test]
fn clitic_positions_are_inside_the_word() {
    // Caret after "و" in "والأمم": strictly inside the word's span, right of its middle
    // (the word runs right to left).
    let layout = gui_layout("والأمم", None);
    let (_, word_right) = layout.caret_x(0);
    let (_, word_left) = layout.caret_x(6);
    let (_, after_waw) = layout.caret_x(1);
    let (_, after_article) = layout.caret_x(3);
    assert!(word_left < after_article && after_article < after_waw && after_waw < word_right);
}

#[test]
fn a_marked_letter_keeps_one_span_split_between_letter_and_mark() {
    let layout = gui_layout("أيضاً", None);
    let alef = layout.char_box(3).map(|b| (b.x0, b.x1));
    let tanween = layout.char_box(4).map(|b| (b.x0, b.x1));
    let (Some(alef), Some(tanween)) = (alef, tanween) else {
        panic!("boxes");
    };
    assert!(alef.1 - alef.0 > 0.0 && tanween.1 - tanween.0 > 0.0);
    // Right to left: the mark's share is left of the letter's share.
    assert!(tanween.1 <= alef.0 + 0.001);
}

#[test]
fn ten_thousand_characters_without_spaces_are_cut_and_do_not_hang() {
    let text: String = "بيت".repeat(3400);
    let layout = gui_layout(&text, Some(300.0));
    assert!(layout.lines().len() > 10);
    let total: usize = layout.lines().iter().map(|l| l.chars.len()).sum();
    assert_eq!(total, text.chars().count());
}

#[test]
fn combining_mark_floods_and_deep_nesting_do_not_panic() {
    let flood = format!("ب{}a{}", "\u{064B}".repeat(2000), "\u{0301}".repeat(2000));
    let _ = gui_layout(&flood, Some(100.0));
    let nesting = format!(
        "{}عربي{}",
        "\u{202B}\u{202A}".repeat(200),
        "\u{202C}".repeat(400)
    );
    let _ = gui_layout(&nesting, Some(100.0));
    let isolates = format!(
        "{}abc{}",
        "\u{2067}\u{2066}".repeat(200),
        "\u{2069}".repeat(400)
    );
    let _ = gui_layout(&isolates, Some(100.0));
}

// ---------------------------------------------------------------------------------------------
// Invariants

fn mixed_text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "ابتثجحخدرسشصطعغفقكلمنهويأإآةىءـ abcXYZö 0123456789٠١٢٣٤٥٦٧٨٩ .,:;/-+%$!?؟،«»“”\"()[]{}<>\t\u{064B}\u{0650}\u{0651}\u{200C}\u{200D}\u{200B}\u{200E}\u{200F}\u{061C}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{A0}\n😀"
        .chars()
        .collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..60)
        .prop_map(|v| v.into_iter().collect())
}

fn check_invariants(text: &str, layout: &ParagraphLayout) -> Result<(), TestCaseError> {
    let n = layout.char_count();
    prop_assert_eq!(n, text.chars().count());
    // Lines cover the text contiguously, in logical order.
    let mut next = 0;
    for line in layout.lines() {
        prop_assert_eq!(line.chars.start, next);
        next = line.chars.end;
        // Runs only hold characters of their line, each character at most once.
        let mut seen: Vec<usize> = line.runs.iter().flat_map(|r| r.chars.clone()).collect();
        seen.sort_unstable();
        let len = seen.len();
        seen.dedup();
        prop_assert_eq!(seen.len(), len);
        prop_assert!(seen.iter().all(|c| line.chars.contains(c)));
    }
    prop_assert_eq!(next, n);

    // hit-test(position of caret i) = i.
    for i in 0..=n {
        let positive = match layout.char_box(i) {
            Some(b) => b.x1 - b.x0 > 0.05,
            None => n > 0 && layout.char_box(n - 1).is_some_and(|b| b.x1 - b.x0 > 0.05),
        };
        if !positive {
            continue;
        }
        let p = layout.caret_point(i);
        prop_assert_eq!(layout.caret_at(p), i, "caret {} at {:?}", i, p);
    }
    Ok(())
}

fn check_ranges(
    layout: &ParagraphLayout,
    range: std::ops::Range<usize>,
) -> Result<(), TestCaseError> {
    let rects = layout.range_rects(range.clone());
    for (c, line) in (0..layout.char_count()).filter_map(|c| layout.char_box(c).map(|b| (c, b))) {
        if line.x1 - line.x0 <= 0.05 {
            continue;
        }
        let l = &layout.lines()[line.line];
        let center = PointF::new((line.x0 + line.x1) * 0.5, l.top + l.height * 0.5);
        let covered = rects.iter().any(|r| r.contains(center));
        prop_assert_eq!(covered, range.contains(&c), "char {} range {:?}", c, range);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn gui_layout_invariants(text in mixed_text(), width in 40.0f32..400.0, a in 0usize..70, b in 0usize..70) {
        let layout = gui_layout(&text, Some(width));
        check_invariants(&text, &layout)?;
        let n = layout.char_count();
        let (a, b) = (a.min(n), b.min(n));
        check_ranges(&layout, a.min(b)..a.max(b))?;
    }

    #[test]
    fn cli_lines_are_permutations_of_their_logical_slice(text in mixed_text(), width in 1usize..30) {
        let text = text.replace('\n', " ");
        let options = LayoutOptions { max_width: Some(width as f32), ..Default::default() };
        let layout = layout_paragraph(&text, &options, &mut ColumnBackend);
        check_invariants(&text, &layout)?;
        for (line, visual) in layout.lines().iter().zip(layout.visual_strings()) {
            let unmirror = |c: char| {
                let m = crate::text::bidi::mirrored(c).unwrap_or(c);
                c.min(m)
            };
            let mut logical: Vec<char> = layout.chars()[line.chars.clone()].iter().map(|&c| unmirror(c)).collect();
            let mut shown: Vec<char> = visual.chars().map(unmirror).collect();
            logical.sort_unstable();
            shown.sort_unstable();
            prop_assert_eq!(logical, shown);
        }
        // Wrapped lines never exceed the width except for a single over-long grapheme.
        for line in layout.lines() {
            let mut end = line.chars.end;
            while end > line.chars.start && crate::text::chars::is_hanging_space(layout.chars()[end - 1]) {
                end -= 1;
            }
            let columns = (line.chars.start..end).filter(|&i| layout.is_grapheme_boundary(i)).count();
            prop_assert!(columns <= width || columns == 1, "{:?} > {}", line, width);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>(), width in 1.0f32..200.0) {
        let layout = gui_layout(&text, Some(width));
        let _ = layout.caret_at(PointF::new(width * 0.5, 3.0));
        let _ = layout.range_rects(0..layout.char_count());
        let _ = visual_lines(&text, Some(width as usize), Some(TextDirection::Rtl));
        let _ = crate::text::words::snap_to_words(&text, 0..layout.char_count());
    }
}

#[test]
fn hostile_ten_thousand_character_paragraphs_finish_quickly() {
    let cases = [
        "\u{202E}a\u{202C}".repeat(3400),
        format!("ب{}", "\u{0651}".repeat(10_000)),
        "\u{200B}".repeat(10_000),
        "(".repeat(5000) + &")".repeat(5000),
        "\u{2067}ب".repeat(5000),
        "ab ".repeat(3400),
        "عربي 123 (abc) «نص» ".repeat(500),
    ];
    for text in &cases {
        let start = std::time::Instant::now();
        let layout = gui_layout(text, Some(500.0));
        let n = layout.char_count();
        let _ = layout.range_rects(0..n);
        let _ = layout.caret_at(PointF::new(250.0, layout.height() * 0.5));
        let _ = visual_lines(text, Some(40), None);
        let elapsed = start.elapsed();
        // Generous bound for an unoptimised test build; release takes a few milliseconds.
        assert!(
            elapsed.as_secs_f32() < 20.0,
            "{elapsed:?} for {:?}…",
            &text.chars().take(8).collect::<String>()
        );
    }
}
