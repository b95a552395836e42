//! Stable document ids: the id given in the input, else a hash of the normalised text, so
//! that importing the same article again — from another encoding, with other line endings,
//! on another machine — yields the same id and no duplicate.
//!
//! The ids are identities stored in every project: [`normalise_for_id`] must never change
//! what it returns. Its fast paths are checked against the plain definition (NFC, then split
//! into lines and words) by the tests below.

use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::normalize::is_arabic_mark;

/// Length of a generated id in hex digits (64 bits: collisions are negligible below billions
/// of documents).
pub const GENERATED_ID_HEX_DIGITS: usize = 16;

/// Characters that are NFC starters (canonical combining class 0) with NFC quick check
/// "yes": ASCII, Latin-1 and the other letters below the combining diacritics, the Arabic
/// block except its marks, and general punctuation from U+2010. For the quick check such a
/// character behaves exactly like an ASCII letter (it resets the combining class and never
/// changes the answer), so the check can skip its table look-ups. A test checks every one.
fn nfc_quick_starter(c: char) -> bool {
    c < '\u{0300}'
        || (matches!(c, '\u{0600}'..='\u{06FF}') && !is_arabic_mark(c))
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// True when the NFC quick check says the text is NFC (`is_nfc_quick(text) == Yes`).
fn nfc_quick_yes(text: &str) -> bool {
    if text.chars().all(nfc_quick_starter) {
        return true;
    }
    is_nfc_quick(
        text.chars()
            .map(|c| if nfc_quick_starter(c) { 'a' } else { c }),
    ) == IsNormalized::Yes
}

/// True for bytes that may start a character [`collapse_lines_and_spaces`] treats
/// specially (white space, a line break, the byte-order mark): ASCII controls and space,
/// and the lead bytes of U+0080–U+00BF, U+1680, U+2000–U+2FFF, U+3000 and U+FEFF. Every
/// other byte (the Arabic letters' included) is part of a word.
fn maybe_special(byte: u8) -> bool {
    byte <= b' ' || matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
}

/// What [`collapse_lines_and_spaces`] does with a character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Word,
    Space,
    LineBreak,
    Dropped,
}

fn char_kind(c: char) -> CharKind {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => CharKind::LineBreak,
        '\u{FEFF}' => CharKind::Dropped,
        c if c.is_whitespace() => CharKind::Space,
        _ => CharKind::Word,
    }
}

/// Lines trimmed and joined by `\n`, empty lines dropped, runs of white space inside a line
/// collapsed to one space, byte-order marks dropped: what splitting on `\n`, `\r`, U+2028
/// and U+2029, then `split_whitespace`, then joining gives — in one pass that copies words
/// whole.
fn collapse_lines_and_spaces(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut line_has_word = false;
    let mut pending_space = false;
    let mut emit = |word: &str, line_has_word: &mut bool, pending_space: &mut bool| {
        if !*line_has_word {
            if !out.is_empty() {
                out.push('\n');
            }
            *line_has_word = true;
        } else if *pending_space {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(word);
    };
    let mut word_start: Option<usize> = None;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if !maybe_special(byte) {
            word_start.get_or_insert(index);
            index += 1;
            continue;
        }
        let Some(c) = text.get(index..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let kind = char_kind(c);
        if kind == CharKind::Word {
            word_start.get_or_insert(index);
        } else {
            if let Some(start) = word_start.take() {
                emit(&text[start..index], &mut line_has_word, &mut pending_space);
            }
            match kind {
                CharKind::LineBreak => {
                    line_has_word = false;
                    pending_space = false;
                }
                CharKind::Space => pending_space = line_has_word,
                CharKind::Word | CharKind::Dropped => {}
            }
        }
        index += c.len_utf8();
    }
    if let Some(start) = word_start {
        emit(&text[start..], &mut line_has_word, &mut pending_space);
    }
    out
}

/// The text as hashed for ids: NFC, byte-order marks dropped, line endings unified, each
/// line trimmed, runs of whitespace collapsed to one space, empty lines dropped.
pub fn normalise_for_id(text: &str) -> String {
    // Most text is already NFC: the quick check (no allocation) avoids composing it again.
    if nfc_quick_yes(text) {
        collapse_lines_and_spaces(text)
    } else {
        collapse_lines_and_spaces(&text.nfc().collect::<String>())
    }
}

/// [`normalise_for_id`] as first written (ids made by it are stored in projects): NFC,
/// byte-order marks dropped, split into lines, each line's words joined by one space,
/// empty lines dropped. Slower; kept as the reference the fast path is tested against
/// (`tests/corpus.rs` on the benchmark corpus, the unit tests here).
pub fn normalise_for_id_reference(text: &str) -> String {
    let nfc: String = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text.chars().filter(|&c| c != '\u{FEFF}').collect()
    } else {
        text.nfc().filter(|&c| c != '\u{FEFF}').collect()
    };
    let mut out = String::with_capacity(nfc.len());
    for line in nfc.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for (index, word) in words.enumerate() {
            if index > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The id of a document that came without one.
pub fn id_from_text(text: &str) -> String {
    let digest = Sha256::digest(normalise_for_id(text).as_bytes());
    digest
        .iter()
        .take(GENERATED_ID_HEX_DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::char::canonical_combining_class;

    /// The seed articles (the files `crate::seeds` embeds; read here directly, so that the
    /// corpus layer's tests do not depend on the importer above it).
    const SEED_ARTICLES: &[(&str, &str)] = &[
        (
            "000_94999b6dfeaf2c9a.txt",
            include_str!("../../seeds/000_94999b6dfeaf2c9a.txt"),
        ),
        (
            "001_27af32c0e69d882f.txt",
            include_str!("../../seeds/001_27af32c0e69d882f.txt"),
        ),
        (
            "002_d334092499d7ec8c.txt",
            include_str!("../../seeds/002_d334092499d7ec8c.txt"),
        ),
        (
            "003_33ebafb7f274a61d.txt",
            include_str!("../../seeds/003_33ebafb7f274a61d.txt"),
        ),
        (
            "004_1f4fa77edfffa84d.txt",
            include_str!("../../seeds/004_1f4fa77edfffa84d.txt"),
        ),
    ];

    fn assert_same(text: &str) {
        assert_eq!(
            normalise_for_id(text),
            normalise_for_id_reference(text),
            "{text:?}"
        );
    }

    #[test]
    fn same_article_same_id_whatever_the_line_endings_and_spacing() {
        let unix = "عنوان\nقال الرئيس  إن الحل قريب.\n";
        let windows = "\u{FEFF}عنوان\r\n\r\nقال الرئيس إن الحل قريب.  \r\n";
        assert_eq!(id_from_text(unix), id_from_text(windows));
        assert_eq!(id_from_text(unix).len(), GENERATED_ID_HEX_DIGITS);
        assert_ne!(id_from_text(unix), id_from_text("عنوان آخر"));
    }

    /// Ids already stored in projects (computed by the first version of the function, and
    /// independently by Python's `unicodedata` NFC + SHA-256): they must never change.
    #[test]
    fn stored_ids_do_not_change() {
        let expected = [
            "84e982cc28d456d5",
            "b5a5e8d3e86ebe0a",
            "a22be8eb8bc0472a",
            "11788a3d23b0f730",
            "454bb37c95c4996a",
        ];
        for ((name, text), id) in SEED_ARTICLES.iter().zip(expected) {
            assert_eq!(id_from_text(text), id, "{name}");
            assert_same(text);
        }
        for (text, id) in [
            ("عنوان\nقال الرئيس  إن الحل قريب.\n", "9bf1a7921a51d522"),
            (
                "e\u{0301} \u{212B} A\u{030A}\r\n\u{FEFF}ب",
                "0bda3bb27ac39ddd",
            ),
            (
                "\u{0627}\u{0653} \u{0627}\u{0654}\u{2028}x\u{3000}y",
                "c92c34831c05b351",
            ),
        ] {
            assert_eq!(id_from_text(text), id, "{text:?}");
            let digest = Sha256::digest(normalise_for_id_reference(text).as_bytes());
            assert_eq!(format!("{digest:x}")[..GENERATED_ID_HEX_DIGITS], *id);
        }
    }

    #[test]
    fn the_quick_check_shortcut_is_exact_for_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if nfc_quick_starter(c) {
                assert_eq!(canonical_combining_class(c), 0, "{:04X}", c as u32);
                assert_eq!(
                    is_nfc_quick(std::iter::once(c)),
                    IsNormalized::Yes,
                    "{:04X}",
                    c as u32
                );
            }
            if char_kind(c) != CharKind::Word {
                let mut buffer = [0u8; 4];
                assert!(
                    maybe_special(c.encode_utf8(&mut buffer).as_bytes()[0]),
                    "{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn every_character_alone_and_between_words() {
        for c in (0..=0x10FFFFu32).step_by(7).filter_map(char::from_u32) {
            assert_same(&format!("{c}"));
            assert_same(&format!("ا{c}ب \n{c} x{c}\u{0301}{c}\u{0654}"));
        }
        for c in (0x0000..0x3100u32)
            .chain(0xFB00..0xFF00)
            .filter_map(char::from_u32)
        {
            assert_same(&format!(" ب{c}ا{c}{c} {c}\r\n"));
        }
    }

    #[test]
    fn hand_picked_texts() {
        for text in [
            "",
            " ",
            "\u{FEFF}",
            "\n\r\n",
            "a",
            "a\u{FEFF}b",
            " a \u{FEFF} b ",
            "\u{FEFF}\nx",
            "a\u{0085}b\u{00A0}c\u{1680}d\u{2000}e\u{200A}f\u{202F}g\u{205F}h\u{3000}i",
            "a\u{2028}b\u{2029}c\rd\ne\r\n\r\nf",
            "e\u{0301} \u{212B} \u{00C5} A\u{030A}",
            "\u{0627}\u{0653} \u{0627}\u{0654} \u{064A}\u{0654}",
            "وأكدَّ  الـرئيس \u{FEFB} ﻻ ٢٢٥٤",
            "\u{0301}\u{0301}a",
            "\u{1100}\u{1161}\u{11A8}",
            "a\u{0000}b\u{0001} c\u{001F}",
            "\t\u{000B}\u{000C}x\t\u{000B}\u{000C}",
        ] {
            assert_same(text);
        }
    }

    /// The generated benchmark corpus (the texts compare.sh imports).
    #[test]
    fn generated_articles() {
        let pool = SEED_ARTICLES
            .iter()
            .flat_map(|(_, text)| text.lines())
            .filter(|line| !line.trim().is_empty())
            .collect::<Vec<_>>();
        for (index, line) in pool.iter().enumerate() {
            let windows = pool
                .iter()
                .cycle()
                .skip(index)
                .take(7)
                .copied()
                .collect::<Vec<_>>()
                .join("\r\n  \u{00A0}");
            assert_same(&windows);
            assert_same(line);
        }
    }

    fn texty() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "ا", "ب", "ة", "أ", "آ", "\u{0653}", "\u{0654}", "\u{0655}", "\u{064B}", "\u{0651}",
            "\u{0640}", "e", "\u{0301}", "\u{0323}", "\u{212B}", "\u{1100}", "\u{1161}",
            "\u{11A8}", "\u{AC00}", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{2028}", "\u{2029}",
            "\u{00A0}", "\u{0085}", "\u{3000}", "\u{FEFF}", "\u{200F}", "«", "»", "“", "…", ".",
            "٢", "😀", "\u{FEFB}", "\u{0340}", "\u{2000}", "\u{0000}",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn same_normal_form_as_the_definition(text in any::<String>()) {
            prop_assert_eq!(normalise_for_id(&text), normalise_for_id_reference(&text));
        }

        #[test]
        fn same_normal_form_on_tricky_text(text in texty()) {
            prop_assert_eq!(normalise_for_id(&text), normalise_for_id_reference(&text));
        }
    }
}
