//! Text folding shared by every piece of code that *matches* text rather than stores it:
//! boilerplate rules, reporting-cue and entity-alias suggestions, entity look-up.
//!
//! Stored document text is never folded: offsets always index the text as imported.
//! [`fold_with_map`] keeps a map from each folded character back to the original code point,
//! so a match found in folded text can be reported as a span of the original.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// True when NFKC leaves `c` alone: ASCII, the plain Arabic letters, and whatever the
/// quick check says is stable. Such characters skip the (slow) per-character NFKC iterator.
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
        || is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// True for Arabic harakat, tanween, shadda, sukun, superscript alef and Quranic marks:
/// marks that spelling variants add or drop without changing the word.
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}')
}

/// Characters that carry no letter and are dropped when matching: tatweel, zero-width
/// characters, bidi controls and the byte-order mark.
pub fn is_invisible_for_matching(c: char) -> bool {
    matches!(c,
        '\u{0640}'            // tatweel (kashida)
        | '\u{200B}'..='\u{200F}' // ZWSP, ZWNJ, ZWJ, LRM, RLM
        | '\u{061C}'          // ALM
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2060}'
        | '\u{FEFF}')
}

/// Folds one character (after NFKC) to its matching form; `None` drops it.
fn fold_char(c: char) -> Option<char> {
    if is_arabic_mark(c) || is_invisible_for_matching(c) {
        return None;
    }
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' | 'ې' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        '٠'..='٩' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')).unwrap_or(c),
        '۰'..='۹' => char::from_u32(c as u32 - 0x06F0 + u32::from(b'0')).unwrap_or(c),
        c if c.is_whitespace() => ' ',
        // Caseless scripts skip the case tables (the Arabic block has no case).
        c if c.is_ascii() => c.to_ascii_lowercase(),
        '\u{0600}'..='\u{06FF}' => c,
        c => return Some(c.to_lowercase().next().unwrap_or(c)),
    })
}

/// Folds `text` character by character, calling `emit` with every output character and the
/// index (in code points) of the original character it came from. The one definition of
/// folding that [`fold_with_map`] and [`fold`] share.
fn fold_each(text: &str, mut emit: impl FnMut(char, usize)) {
    let mut last_was_space = false;
    let mut push = |c: char, index: usize| {
        let Some(folded) = fold_char(c) else { return };
        if folded == ' ' {
            if last_was_space {
                return;
            }
            last_was_space = true;
        } else {
            last_was_space = false;
        }
        emit(folded, index);
    };
    for (index, original) in text.chars().enumerate() {
        if nfkc_stable(original) {
            push(original, index);
        } else {
            // NFKC of a single character: presentation forms and compatibility characters
            // expand to one or more plain characters, all mapped back to `index`.
            for c in std::iter::once(original).nfkc() {
                push(c, index);
            }
        }
    }
}

/// Folds text for matching, and maps every output character to the index (in code points)
/// of the original character it came from.
///
/// Folding: NFKC (so presentation forms become letters), Arabic marks, tatweel, zero-width
/// and bidi control characters removed, hamza-carrying alef forms → `ا`, `ى` → `ي`,
/// `ة` → `ه`, Arabic-Indic digits → ASCII digits, Latin lower-cased, every whitespace run
/// → one space. Leading/trailing whitespace is kept as one space so that offsets stay simple.
pub fn fold_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    fold_each(text, |c, index| {
        out.push(c);
        map.push(index);
    });
    (out, map)
}

/// Folds text for matching (see [`fold_with_map`]) and trims it. Entity ids hash this form:
/// it must not change.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_each(text, |c, _| out.push(c));
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

/// Number of Unicode code points in `text` (what Python's `len(str)` counts).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spelling_variants_together() {
        assert_eq!(fold("اقرأ أيضاً"), fold("اقرا ايضا"));
        assert_eq!(fold("اترك تعليقاً"), "اترك تعليقا");
        assert_eq!(fold("منـ.ـعه"), "من.عه");
        assert_eq!(fold("  مستشفى   الأطفال "), "مستشفي الاطفال");
        assert_eq!(fold("القرار ٢٢٥٤"), "القرار 2254");
        assert_eq!(fold("Karagöz GAG"), "karagöz gag");
    }

    /// The fast path (characters NFKC leaves alone skip the iterator) folds exactly like
    /// NFKC of every character.
    #[test]
    fn the_fast_path_folds_like_nfkc_of_every_character() {
        let slow = |text: &str| -> String {
            let mut out = String::new();
            let mut last_was_space = false;
            for c in text.chars().flat_map(|c| std::iter::once(c).nfkc()) {
                let Some(folded) = fold_char(c) else { continue };
                if folded == ' ' && last_was_space {
                    continue;
                }
                last_was_space = folded == ' ';
                out.push(folded);
            }
            out
        };
        let samples = [
            "وأكدَّ  الـرئيس \u{FEFB} ﻻ ٢٢٥٤ ۱۲ Karagöz ﬁ ① ㎏ Ａ\u{200F}\u{2067}x\u{2069}",
            "e\u{0301} \u{212B} \u{00C5} ﷺ ﷲ ؟! … ‏«مؤتمر» (U.S.) 17.07.2020",
        ];
        for text in samples {
            assert_eq!(fold_with_map(text).0, slow(text), "{text}");
        }
        // Every character of the Arabic blocks and Latin-1, one by one.
        for range in [
            0x00A0..0x0180u32,
            0x0600..0x0700,
            0xFB50..0xFE00,
            0xFE70..0xFF00,
        ] {
            let text: String = range.filter_map(char::from_u32).collect();
            assert_eq!(fold_with_map(&text).0, slow(&text));
        }
    }

    /// `fold` (no map) is the trimmed text of `fold_with_map`.
    #[test]
    fn fold_is_the_trimmed_fold_with_map() {
        let reference = |text: &str| fold_with_map(text).0.trim().to_owned();
        for text in [
            "",
            " ",
            "  a  ",
            "\u{200B} x\u{200F}",
            "\u{0640}",
            " اقرأ أيضاً: ",
        ] {
            assert_eq!(fold(text), reference(text), "{text:?}");
        }
        for c in (0..=0x10FFFFu32).step_by(3).filter_map(char::from_u32) {
            let text = format!("{c} ا{c}ب {c}");
            assert_eq!(fold(&text), reference(&text), "{:04X}", c as u32);
        }
    }

    #[test]
    fn presentation_forms_fold_to_letters() {
        // "لا" as the lam-alef ligature presentation form U+FEFB.
        assert_eq!(fold("\u{FEFB}"), "لا");
    }

    #[test]
    fn map_points_back_to_original_code_points() {
        let text = "وأكدَّ  الـرئيس";
        let (folded, map) = fold_with_map(text);
        assert_eq!(folded.chars().count(), map.len());
        let original: Vec<char> = text.chars().collect();
        // Every folded letter maps to an original position holding a letter that folds to it.
        for (folded_char, &index) in folded.chars().zip(&map) {
            let back = fold_char(original[index]).unwrap_or(' ');
            assert!(
                back == folded_char || folded_char == ' ',
                "{folded_char} vs {back}"
            );
        }
        // The map is non-decreasing.
        assert!(map.windows(2).all(|w| w[0] <= w[1]));
    }
}
