//! Stable document ids: the id given in the input, else a hash of the normalised text, so
//! that importing the same article again — from another encoding, with other line endings,
//! on another machine — yields the same id and no duplicate.

use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Length of a generated id in hex digits (64 bits: collisions are negligible below billions
/// of documents).
pub const GENERATED_ID_HEX_DIGITS: usize = 16;

/// The text as hashed for ids: NFC, byte-order marks dropped, line endings unified, each
/// line trimmed, runs of whitespace collapsed to one space, empty lines dropped.
pub fn normalise_for_id(text: &str) -> String {
    // Most text is already NFC: the quick check (no allocation) avoids composing it again.
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

    #[test]
    fn same_article_same_id_whatever_the_line_endings_and_spacing() {
        let unix = "عنوان\nقال الرئيس  إن الحل قريب.\n";
        let windows = "\u{FEFF}عنوان\r\n\r\nقال الرئيس إن الحل قريب.  \r\n";
        assert_eq!(id_from_text(unix), id_from_text(windows));
        assert_eq!(id_from_text(unix).len(), GENERATED_ID_HEX_DIGITS);
        assert_ne!(id_from_text(unix), id_from_text("عنوان آخر"));
    }
}
