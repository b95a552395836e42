//! `egui_kittest` tests: the widget is found through AccessKit (label, text runs, selection)
//! and pointer input maps to the right logical offsets. The harness installs the same fonts
//! as the app (it panics on a missing glyph).

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::text::fonts::install_fonts;
use crate::text::widget::{ParagraphResponse, ParagraphView};

const SENTENCE: &str = "وأكد “الحريري” أنه دعا القيادة الروسية إلى التخلي عن “بشار الأسد”، وذلك خلال حوار أجراه عبر تقنية الفيديو مع ممثل موسكو لدى الأمم المتحدة في القرار 2254.";

#[derive(Default)]
struct State {
    last: Option<ParagraphResponse>,
    anchor: Option<usize>,
    focus: Option<usize>,
}

fn harness(selection: Option<std::ops::Range<usize>>) -> Harness<'static, State> {
    Harness::builder()
        .with_size(egui::vec2(420.0, 400.0))
        .with_context_setup(install_fonts)
        .build_ui_state(
            move |ui, state: &mut State| {
                let response = ParagraphView::new(SENTENCE)
                    .font_size(20.0)
                    .selection(selection.clone())
                    .show(ui);
                if let Some(c) = response.press_caret {
                    state.anchor = Some(c);
                }
                if let Some(c) = response.drag_caret {
                    state.focus = Some(c);
                }
                state.last = Some(response);
            },
            State::default(),
        )
}

#[test]
fn paragraph_is_found_through_accesskit_with_its_lines_and_selection() {
    let mut harness = harness(Some(5..12));
    harness.run();

    let node = harness.get_by_label(SENTENCE);
    let ak = node.accesskit_node();
    assert_eq!(ak.role(), egui::accesskit::Role::Label);

    // One TextRun per visual line; in order they give back the sentence.
    let runs: Vec<String> = node
        .children()
        .filter(|c| c.accesskit_node().role() == egui::accesskit::Role::TextRun)
        .filter_map(|c| c.accesskit_node().value())
        .collect();
    assert!(
        runs.len() >= 3,
        "the sentence wraps at 420 points: {runs:?}"
    );
    assert_eq!(runs.concat(), SENTENCE);

    // The selection is reported as a text range: “الحريري” without the opening quote.
    let selected = ak.text_selection().map(|r| r.text());
    let expected: String = SENTENCE.chars().skip(5).take(7).collect();
    assert_eq!(selected, Some(expected));
}

#[test]
fn dragging_reports_logical_carets() {
    let mut harness = harness(None);
    harness.run();
    let (start, end) = {
        let last = harness.state().last.as_ref().expect("shown");
        // From just inside the leading edge of "الحريري" (offset 6) to that of "أنه" (16).
        (last.caret_pos(6), last.caret_pos(16))
    };
    harness.hover_at(start);
    harness.run();
    harness.drag_at(start);
    harness.run();
    harness.hover_at(end);
    harness.run();
    harness.drop_at(end);
    harness.run();
    let state = harness.state();
    assert_eq!(state.anchor, Some(6));
    assert_eq!(state.focus, Some(16));
}

#[test]
fn hovering_a_character_reports_it() {
    let mut harness = harness(None);
    harness.run();
    let (pos, digit) = {
        let last = harness.state().last.as_ref().expect("shown");
        // The first digit of 2254: its box is on the last line.
        let digit = SENTENCE.chars().position(|c| c == '2').expect("digit");
        let rect = last.range_rects(digit..digit + 1)[0];
        (rect.center(), digit)
    };
    harness.hover_at(pos);
    harness.run();
    let last = harness.state().last.as_ref().expect("shown");
    assert_eq!(last.hovered_char, Some(digit));
}
