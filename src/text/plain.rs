//! Plain-text visual order (for the `isnad bidi` command and the layout tests): the same
//! line breaking and reordering as the widget ([`layout_paragraph`]), measured one column
//! per character (grapheme cluster) and written as logical characters in visual order,
//! mirrored where the level is odd, without presentation forms or padding.

use crate::text::bidi::TextDirection;
use crate::text::layout::{DisplayUnit, LayoutOptions, LineMetrics, TextBackend, layout_paragraph};
use crate::text::shaping::{Cluster, FontSlot, ShapedRun};
use unicode_segmentation::UnicodeSegmentation;

/// A backend where every character is one column wide and drawable, and text is written
/// left to right as given (so runs are reversed by code point, as ICU writes them).
#[derive(Clone, Copy, Debug, Default)]
pub struct ColumnBackend;

impl TextBackend for ColumnBackend {
    fn coverage(&self, _c: char) -> u32 {
        1
    }

    fn default_slot(&mut self, _direction: TextDirection) -> FontSlot {
        FontSlot(0)
    }

    fn script_direction(&mut self, _c: char) -> Option<TextDirection> {
        None
    }

    fn display_unit(&self) -> DisplayUnit {
        DisplayUnit::CodePoints
    }

    fn width(&mut self, _slot: FontSlot, _display: &str, logical: &str) -> f32 {
        logical.graphemes(true).count() as f32
    }

    /// One cluster for the whole run: layout shares it equally between the (logical)
    /// graphemes, one column each.
    fn shape(&mut self, _slot: FontSlot, display: &str, logical: &str) -> ShapedRun {
        let width = logical.graphemes(true).count() as f32;
        ShapedRun {
            width,
            clusters: vec![Cluster {
                bytes: 0..display.len(),
                x0: 0.0,
                x1: width,
            }],
        }
    }

    fn marker_width(&mut self, _label: &str) -> f32 {
        1.0
    }

    fn tab_display(&self) -> &'static str {
        "\t"
    }

    fn line_metrics(&mut self) -> LineMetrics {
        LineMetrics {
            ascent: 1.0,
            descent: 0.0,
            gap: 0.0,
        }
    }
}

/// Each line of `text` in visual order.
///
/// Without `width_columns`, one output line per input line (no wrapping at all). With it,
/// each input line is first broken (in logical order, at UAX #14 opportunities) into lines
/// of at most that many characters (spaces at line ends do not count; a longer word is
/// cut), then each line is reordered. `direction` forces the base direction; `None` takes
/// it from the first strong character of each line (left to right when there is none).
pub fn visual_lines(
    text: &str,
    width_columns: Option<usize>,
    direction: Option<TextDirection>,
) -> Vec<String> {
    let options = LayoutOptions {
        max_width: width_columns.map(|w| w.max(1) as f32),
        direction,
        hard_breaks: width_columns.is_some(),
    };
    let mut out = Vec::new();
    for line in text.split('\n') {
        let layout = layout_paragraph(line, &options, &mut ColumnBackend);
        let strings = layout.visual_strings();
        if width_columns.is_some() {
            out.extend(strings);
        } else {
            out.push(strings.concat());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_latin_keep_their_order_inside_arabic() {
        assert_eq!(visual_lines("القرار 2254", None, None), vec!["2254 رارقلا"]);
        assert_eq!(
            visual_lines("نشر على تويتر Twitter اليوم", None, None),
            vec!["مويلا Twitter رتيوت ىلع رشن"]
        );
    }

    #[test]
    fn brackets_are_mirrored_in_rtl_runs() {
        assert_eq!(visual_lines("قال (نعم)", None, None), vec!["(معن) لاق"]);
        assert_eq!(visual_lines("«نعم»", None, None), vec!["«معن»"]);
    }

    #[test]
    fn wrapping_puts_the_beginning_first() {
        let lines = visual_lines("واحد اثنان ثلاثة", Some(11), None);
        // The space that ends the first line is part of it (at the paragraph level).
        assert_eq!(lines, vec![" نانثا دحاو", "ةثالث"]);
    }

    #[test]
    fn forced_direction() {
        assert_eq!(
            visual_lines("abc عربي", None, Some(TextDirection::Rtl)),
            vec!["يبرع abc"]
        );
    }

    #[test]
    fn one_output_line_per_input_line() {
        assert_eq!(visual_lines("a\nب\n", None, None), vec!["a", "ب", ""]);
    }
}
