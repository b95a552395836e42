//! Eliding a line of text (a name in a row of buttons) to a width with "…". Pure: the width
//! of a candidate comes from a measuring function, which the app gives the real layout of
//! [`crate::text::widget`] (shaped, bidi-correct), so the cut is measured on what is drawn.
//!
//! The text is cut at a grapheme boundary (an Arabic letter keeps its harakat), trailing
//! spaces dropped, and the ellipsis follows in logical order: at the left end of a
//! right-to-left name, at the right end of a left-to-right one.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

/// The mark put after an elided text.
pub const ELLIPSIS: &str = "…";

/// `text` if it measures at most `max_width`; else its longest prefix that, with
/// [`ELLIPSIS`] after it, does; else the empty string (not even the ellipsis fits).
///
/// `measure` must grow with the text (a longer prefix is not narrower), which shaped text
/// does up to a fraction of a point; the result is checked against `max_width` anyway.
pub fn elide(text: &str, max_width: f32, mut measure: impl FnMut(&str) -> f32) -> Cow<'_, str> {
    if measure(text) <= max_width {
        return Cow::Borrowed(text);
    }
    // Byte offsets where a prefix may end: grapheme boundaries, the whole text excluded.
    let cuts: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    let candidate = |cut: usize| format!("{}{ELLIPSIS}", text[..cut].trim_end());
    // The largest k with candidate(cuts[k]) fitting; cuts[0] = 0 is the bare ellipsis.
    let (mut lo, mut hi) = (0usize, cuts.len());
    let mut best = None;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let owned = candidate(cuts[mid]);
        if measure(&owned) <= max_width {
            best = Some(owned);
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Cow::Owned(best.unwrap_or_default())
}

/// Widths for two names on one line (speaker ➡ target): each gets what it needs if both fit;
/// otherwise the shorter keeps its width when it needs less than half and the longer gets
/// the rest, else each gets half.
pub fn share_width(first: f32, second: f32, available: f32) -> (f32, f32) {
    let available = available.max(0.0);
    if first + second <= available {
        return (first, second);
    }
    let half = available / 2.0;
    if first < half {
        (first, available - first)
    } else if second < half {
        (available - second, second)
    } else {
        (half, half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::layout::{FontBackend, LayoutOptions, WidthCache, layout_paragraph};

    /// Ten points per character.
    fn monospace(text: &str) -> f32 {
        text.chars().count() as f32 * 10.0
    }

    #[test]
    fn a_text_that_fits_is_kept() {
        assert!(matches!(
            elide("Nasr", 40.0, monospace),
            Cow::Borrowed("Nasr")
        ));
        assert_eq!(elide("", 0.0, monospace), "");
    }

    #[test]
    fn a_long_text_is_cut_to_the_longest_prefix_that_fits_with_the_ellipsis() {
        assert_eq!(elide("Nasr al-Hariri", 50.0, monospace), "Nasr…");
        assert_eq!(elide("Nasr al-Hariri", 69.0, monospace), "Nasr…");
        assert_eq!(elide("Nasr al-Hariri", 70.0, monospace), "Nasr a…");
        // Trailing spaces before the ellipsis are dropped.
        assert_eq!(elide("ab   cdefgh", 50.0, monospace), "ab…");
        // Only the ellipsis, then nothing.
        assert_eq!(elide("Nasr", 10.0, monospace), "…");
        assert_eq!(elide("Nasr", 9.0, monospace), "");
    }

    #[test]
    fn arabic_is_cut_between_graphemes_never_inside_a_letter_with_its_harakat() {
        // مُحَمَّد: every letter carries marks; a cut keeps whole graphemes.
        let name = "مُحَمَّد بن عبد اللّٰه";
        for width in 0..200 {
            let elided = elide(name, width as f32, monospace);
            if elided == name || elided.is_empty() {
                continue;
            }
            let kept = elided
                .strip_suffix(ELLIPSIS)
                .expect("ends with the ellipsis");
            assert!(name.starts_with(kept));
            assert!(
                name.grapheme_indices(true).any(|(i, _)| i == kept.len())
                    || kept.len() < name.len() && name[kept.len()..].starts_with(' '),
                "{kept:?} ends inside a grapheme"
            );
            assert!(monospace(&elided) <= width as f32);
        }
    }

    #[test]
    fn with_the_real_layout_the_elided_arabic_and_english_names_fit() {
        let mut widths = WidthCache::default();
        let mut measure = |text: &str| {
            let mut backend = FontBackend::new(
                crate::text::fonts::standard_font_set(),
                14.0,
                crate::text::fonts::ARABIC_SLOT,
                crate::text::fonts::LATIN_SLOT,
                crate::text::fonts::LATIN_SLOT,
                &mut widths,
            );
            layout_paragraph(text, &LayoutOptions::default(), &mut backend).width()
        };
        for name in [
            "المجلس الاستشاري الأعلى لشؤون التنسيق بين الهيئات البلدية والقروية",
            "The Standing Committee for the Coordination of Municipal and Rural Councils",
        ] {
            let full = measure(name);
            for width in [40.0, 90.0, 150.0, full - 1.0] {
                let elided = elide(name, width, &mut measure).into_owned();
                assert!(elided.ends_with(ELLIPSIS), "{elided}");
                assert!(measure(&elided) <= width, "{elided} wider than {width}");
                let kept = elided.trim_end_matches(ELLIPSIS);
                assert!(name.starts_with(kept) && !kept.is_empty());
                // The longest such prefix: the next grapheme would not fit.
                let next = name
                    .grapheme_indices(true)
                    .map(|(i, g)| i + g.len())
                    .find(|&end| end > kept.len() && name[..end].trim_end() != kept);
                if let Some(end) = next.filter(|&end| end < name.len()) {
                    let longer = format!("{}{ELLIPSIS}", name[..end].trim_end());
                    assert!(measure(&longer) > width, "{longer} also fits {width}");
                }
            }
            assert_eq!(elide(name, full, &mut measure), name);
        }
    }

    #[test]
    fn two_names_share_a_line() {
        assert_eq!(share_width(50.0, 60.0, 200.0), (50.0, 60.0));
        assert_eq!(share_width(50.0, 300.0, 200.0), (50.0, 150.0));
        assert_eq!(share_width(300.0, 40.0, 200.0), (160.0, 40.0));
        assert_eq!(share_width(300.0, 300.0, 200.0), (100.0, 100.0));
        assert_eq!(share_width(300.0, 300.0, -5.0), (0.0, 0.0));
    }
}
