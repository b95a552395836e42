//! The Unicode Bidirectional Algorithm (UAX #9) for one text, in code-point indices.
//!
//! Levels come from `unicode-bidi` (rules P2–P3, X1–X10, W1–W7, N0–N2, I1–I2), run per
//! paragraph. Two adjustments make the result match ICU, which keeps formatting characters
//! in its output instead of removing them (UAX #9 section 5.2):
//! - characters removed by rule X9 (embedding/override controls, PDF, BN) take the level of
//!   the character after them, as ICU's `adjustWSLevels` does;
//! - whitespace, isolate controls and the X9 characters before a segment separator, before the
//!   end of the paragraph, and (per visual line, [`BidiText::line_levels`]) before the end of a
//!   line go back to the paragraph level (rule L1).
//!
//! Reordering is rule L2 over any sequence of leveled items ([`visual_order`]); mirroring is
//! rule L4 with the Bidi_Mirroring_Glyph data ([`mirrored`]).

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_bidi::{BidiClass, BidiInfo, Level};

/// A paragraph's base direction (UAX #9 paragraph embedding level 0 or 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextDirection {
    /// Left to right (level 0).
    Ltr,
    /// Right to left (level 1).
    Rtl,
}

impl TextDirection {
    /// The direction displayed at embedding level `level`.
    pub fn of_level(level: u8) -> Self {
        if level % 2 == 1 { Self::Rtl } else { Self::Ltr }
    }

    /// The paragraph embedding level of this direction.
    pub fn base_level(self) -> u8 {
        match self {
            Self::Ltr => 0,
            Self::Rtl => 1,
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Self::Rtl
    }
}

/// One bidi paragraph inside a [`BidiText`], in code-point indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidiParagraph {
    /// All its characters, the trailing paragraph separator included.
    pub chars: Range<usize>,
    /// Where its paragraph separator starts (`== chars.end` when it has none).
    pub content_end: usize,
    /// Paragraph embedding level (0 or 1).
    pub level: u8,
}

impl BidiParagraph {
    pub fn direction(&self) -> TextDirection {
        TextDirection::of_level(self.level)
    }
}

/// A text with resolved bidi levels, one entry per code point.
#[derive(Clone, Debug)]
pub struct BidiText {
    pub chars: Vec<char>,
    /// Original bidi class of each character (FSI resolved to LRI/RLI as in rule X5c).
    pub classes: Vec<BidiClass>,
    /// Resolved embedding level of each character, before rule L1 for lines.
    pub levels: Vec<u8>,
    pub paragraphs: Vec<BidiParagraph>,
}

/// Is this class one that rule X9 removes (ICU keeps them and gives them neighbouring levels)?
pub fn removed_by_x9(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(class, RLE | LRE | RLO | LRO | PDF | BN)
}

/// Classes reset to the paragraph level at the end of a line or before a separator (rule L1,
/// with retained formatting characters: ICU's `MASK_WS`).
pub fn resets_at_line_end(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(
        class,
        WS | B | S | BN | RLE | LRE | RLO | LRO | PDF | LRI | RLI | FSI | PDI
    )
}

impl BidiText {
    /// Resolves the levels of `text`. `direction` forces every paragraph's base direction;
    /// `None` takes it from the first strong character outside isolates (rules P2–P3, LTR
    /// when there is none).
    pub fn analyze(text: &str, direction: Option<TextDirection>) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut classes: Vec<BidiClass> =
            chars.iter().map(|&c| unicode_bidi::bidi_class(c)).collect();
        let mut levels = vec![0u8; chars.len()];
        let mut paragraphs = Vec::new();

        let byte_offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        let byte_at = |i: usize| byte_offsets.get(i).copied().unwrap_or(text.len());

        let mut start = 0;
        while start < chars.len() || (start == 0 && paragraphs.is_empty()) {
            // Find the paragraph separator; "\r\n" counts as one.
            let mut content_end = start;
            while content_end < chars.len() && classes[content_end] != BidiClass::B {
                content_end += 1;
            }
            let mut end = content_end;
            if end < chars.len() {
                end += 1;
                if chars[content_end] == '\r' && chars.get(end) == Some(&'\n') {
                    end += 1;
                }
            }

            let content = &text[byte_at(start)..byte_at(content_end)];
            let forced = direction.map(|d| {
                if d.is_rtl() {
                    Level::rtl()
                } else {
                    Level::ltr()
                }
            });
            let info = BidiInfo::new(content, forced);
            let para_level = info
                .paragraphs
                .first()
                .map(|p| p.level.number())
                .unwrap_or_else(|| direction.map_or(0, TextDirection::base_level));

            // Per-byte results → per code point.
            for (k, (byte, _)) in content.char_indices().enumerate() {
                let i = start + k;
                levels[i] = info.levels.get(byte).map_or(para_level, |l| l.number());
                if let Some(&class) = info.original_classes.get(byte) {
                    classes[i] = class;
                }
            }
            for level in &mut levels[content_end..end] {
                *level = para_level;
            }

            adjust_like_icu(
                &classes[start..content_end],
                &mut levels[start..content_end],
                para_level,
            );

            paragraphs.push(BidiParagraph {
                chars: start..end,
                content_end,
                level: para_level,
            });
            if end == start {
                break; // empty text: one empty paragraph
            }
            start = end;
        }

        Self {
            chars,
            classes,
            levels,
            paragraphs,
        }
    }

    /// The paragraph containing character `index` (the last one for `index == len`).
    pub fn paragraph_of(&self, index: usize) -> Option<&BidiParagraph> {
        self.paragraphs
            .iter()
            .find(|p| p.chars.contains(&index))
            .or_else(|| self.paragraphs.last())
    }

    /// Levels of the characters of one visual line after rule L1: the whitespace, isolate
    /// and retained formatting characters at the end of the line go to the paragraph level.
    pub fn line_levels(&self, paragraph_level: u8, line: Range<usize>) -> Vec<u8> {
        let mut levels = self.levels[line.clone()].to_vec();
        let classes = &self.classes[line];
        for (level, &class) in levels.iter_mut().zip(classes).rev() {
            if !resets_at_line_end(class) {
                break;
            }
            *level = paragraph_level;
        }
        levels
    }
}

/// ICU's `adjustWSLevels` for one paragraph's content (no paragraph separator inside):
/// rule L1 before segment separators and at the paragraph end, then every character removed
/// by X9 takes the level of the character after it.
fn adjust_like_icu(classes: &[BidiClass], levels: &mut [u8], para_level: u8) {
    let mut resetting = true; // at the paragraph end
    for i in (0..levels.len()).rev() {
        let class = classes[i];
        if class == BidiClass::S {
            levels[i] = para_level;
            resetting = true;
        } else if resetting && resets_at_line_end(class) {
            levels[i] = para_level;
        } else {
            resetting = false;
            if removed_by_x9(class) {
                levels[i] = levels.get(i + 1).copied().unwrap_or(para_level);
            }
        }
    }
}

/// Rule L2: the visual order (left to right) of items with the given levels, as indices
/// into `levels`.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&max) = levels.iter().max() else {
        return order;
    };
    let Some(min_odd) = levels.iter().map(|&l| l | 1).min() else {
        return order;
    };
    let mut level = max;
    while level >= min_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}

/// Rule L4: the mirrored glyph character of `c` (Bidi_Mirroring_Glyph), if it has one.
pub fn mirrored(c: char) -> Option<char> {
    unicode_bidi_mirroring::get_mirrored(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> Vec<u8> {
        BidiText::analyze(text, None).levels
    }

    #[test]
    fn paragraph_direction_from_first_strong_character() {
        assert_eq!(
            BidiText::analyze("2254 القرار", None).paragraphs[0].level,
            1
        );
        assert_eq!(
            BidiText::analyze("Twitter تويتر", None).paragraphs[0].level,
            0
        );
        assert_eq!(BidiText::analyze("123 ...", None).paragraphs[0].level, 0);
        // Isolates are skipped by P2.
        assert_eq!(
            BidiText::analyze("\u{2067}abc\u{2069} عربي", None).paragraphs[0].level,
            1
        );
        assert_eq!(
            BidiText::analyze("abc", Some(TextDirection::Rtl)).paragraphs[0].level,
            1
        );
    }

    #[test]
    fn numbers_inside_arabic_are_level_two() {
        // ا ل ق ر ا ر space 2 2 5 4
        assert_eq!(levels("القرار 2254"), vec![1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    }

    #[test]
    fn formatting_characters_take_the_next_level_like_icu() {
        // "abc RLO def PDF ghi": ICU gives RLO level 1 and PDF level 0.
        let l = levels("abc \u{202E}def\u{202C} ghi");
        assert_eq!(l, vec![0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
        // A trailing PDF goes to the paragraph level.
        assert_eq!(
            levels("abc \u{202E}def\u{202C}"),
            vec![0, 0, 0, 0, 1, 1, 1, 1, 0]
        );
    }

    #[test]
    fn paragraphs_split_at_separators_and_crlf_is_one_separator() {
        let text = BidiText::analyze("abc\r\nعربي\nx", None);
        let p: Vec<_> = text
            .paragraphs
            .iter()
            .map(|p| (p.chars.clone(), p.level))
            .collect();
        assert_eq!(p, vec![(0..5, 0), (5..10, 1), (10..11, 0)]);
        assert_eq!(BidiText::analyze("", None).paragraphs.len(), 1);
    }

    #[test]
    fn line_levels_reset_trailing_whitespace() {
        let text = BidiText::analyze("abc عربي نص def", None);
        // Break after "عربي ": the space at index 8 is at level 1 in the paragraph...
        assert_eq!(text.levels[8], 1);
        // ...but at level 0 at the end of the line.
        assert_eq!(text.line_levels(0, 0..9)[8], 0);
    }

    #[test]
    fn visual_order_reverses_odd_runs() {
        assert_eq!(visual_order(&[1, 1, 1, 2, 2, 1]), vec![5, 3, 4, 2, 1, 0]);
        assert_eq!(visual_order(&[0, 1, 1, 0]), vec![0, 2, 1, 3]);
        assert_eq!(visual_order(&[]), Vec::<usize>::new());
    }

    #[test]
    fn a_mark_after_a_bracket_resolved_by_n0_follows_the_bracket() {
        // UAX #9 N0: NSMs right after a paired bracket whose type N0 changed take the
        // bracket's type. unicode-bidi and GNU FriBidi do this; ICU 72 leaves the mark at
        // level 0 here (the one difference found in 100,000 random strings).
        assert_eq!(levels("xب(ب)\u{064B}c"), vec![0, 1, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn mirroring_data() {
        assert_eq!(mirrored('('), Some(')'));
        assert_eq!(mirrored('«'), Some('»'));
        assert_eq!(mirrored('a'), None);
    }
}
