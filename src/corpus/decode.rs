//! Turning the bytes of an input file into text, and saying which encoding was used.
//!
//! Order of decisions: byte-order marks (UTF-8, UTF-16 LE/BE); known binary formats by their
//! magic numbers; NUL bytes (UTF-16 without a BOM if the bytes decode to plausible text,
//! otherwise a binary file); valid UTF-8; mostly-valid UTF-8 with a few broken sequences (an
//! error naming the line — decoding such a file as a legacy code page would silently turn
//! the whole article into mojibake); otherwise Windows-1256, the code page of Arabic archives.
//! A caller may force an encoding by its WHATWG label instead.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1256};

/// Decoded text and the name of the encoding it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// E.g. `utf-8`, `utf-8 (BOM)`, `utf-16le (BOM)`, `utf-16be (no BOM)`, `windows-1256`.
    pub encoding: String,
}

/// Why bytes could not be read as text. Messages are meant for users; the caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only whitespace, no text")]
    WhitespaceOnly,
    #[error("this is not a text file: it looks like {0}")]
    KnownBinary(&'static str),
    #[error(
        "this is not a text file: it contains NUL bytes (first at line {line}, byte offset {offset}) and is not UTF-16 text"
    )]
    NulBytes { line: usize, offset: usize },
    #[error(
        "this is not a text file: {count} control characters (first at line {line}, byte offset {offset})"
    )]
    ControlCharacters {
        count: usize,
        line: usize,
        offset: usize,
    },
    #[error(
        "invalid UTF-8 at line {line}, column {column} (byte offset {offset}); the rest of the file is UTF-8, \
         so it was not guessed as another encoding — repair the file or pass --encoding"
    )]
    InvalidUtf8 {
        line: usize,
        column: usize,
        offset: usize,
    },
    #[error("invalid {encoding} text at byte offset {offset}")]
    Malformed { encoding: String, offset: usize },
    #[error(
        "unknown encoding label {0:?} (use a WHATWG label such as utf-8, utf-16le, windows-1256)"
    )]
    UnknownEncoding(String),
}

/// Decodes a file's bytes, detecting the encoding (or using `forced`, a WHATWG label).
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let decoded = match forced {
        Some(label) => decode_forced(bytes, label)?,
        None => detect_and_decode(bytes)?,
    };
    if decoded.text.trim().is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    check_controls(&decoded.text)?;
    Ok(decoded)
}

fn decode_forced(bytes: &[u8], label: &str) -> Result<Decoded, DecodeError> {
    let encoding = Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_owned()))?;
    let (without_bom, had_bom) = match Encoding::for_bom(bytes) {
        Some((bom_encoding, len)) if bom_encoding == encoding => (&bytes[len..], true),
        _ => (bytes, false),
    };
    let text = strict(encoding, without_bom)?;
    let name = encoding.name().to_ascii_lowercase();
    Ok(Decoded {
        text,
        encoding: if had_bom {
            format!("{name} (BOM)")
        } else {
            name
        },
    })
}

fn detect_and_decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let text = strict(encoding, &bytes[bom_len..])?;
        return Ok(Decoded {
            text,
            encoding: format!("{} (BOM)", encoding.name().to_ascii_lowercase()),
        });
    }
    if let Some(kind) = known_binary(bytes) {
        return Err(DecodeError::KnownBinary(kind));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return utf16_without_bom(bytes).ok_or(DecodeError::NulBytes {
            line: line_of(bytes, nul),
            offset: nul,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            encoding: "utf-8".into(),
        }),
        Err(error) => {
            let offset = error.valid_up_to();
            if looks_like_damaged_utf8(bytes) {
                let line = line_of(bytes, offset);
                let line_start = bytes[..offset]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let column = String::from_utf8_lossy(&bytes[line_start..offset])
                    .chars()
                    .count()
                    + 1;
                return Err(DecodeError::InvalidUtf8 {
                    line,
                    column,
                    offset,
                });
            }
            let text = strict(WINDOWS_1256, bytes)?;
            Ok(Decoded {
                text,
                encoding: "windows-1256".into(),
            })
        }
    }
}

/// Decodes without replacement characters: malformed input is an error, not silent U+FFFD.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| {
            let offset = first_malformed_offset(encoding, bytes);
            if encoding == UTF_8 {
                DecodeError::InvalidUtf8 {
                    line: line_of(bytes, offset),
                    column: 0,
                    offset,
                }
            } else {
                DecodeError::Malformed {
                    encoding: encoding.name().to_ascii_lowercase(),
                    offset,
                }
            }
        })
}

fn first_malformed_offset(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(usize::from(bad)),
        _ => read,
    }
}

/// Recognises common binary formats by their first bytes.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub)"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\x7FELF", "a program (ELF)"),
        (b"SQLite format 3\0", "a SQLite database"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Microsoft Office document",
        ),
        (b"RIFF", "a RIFF media file"),
        (b"BZh", "a bzip2 archive"),
        (b"\xFD7zXZ\0", "an xz archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-zip archive"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// UTF-16 without a byte-order mark: accepted only when one byte order decodes cleanly to
/// text that is plainly text (letters, digits, punctuation, whitespace).
fn utf16_without_bom(bytes: &[u8]) -> Option<Decoded> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let mut best: Option<(f64, Decoded)> = None;
    for (encoding, name) in [
        (UTF_16LE, "utf-16le (no BOM)"),
        (UTF_16BE, "utf-16be (no BOM)"),
    ] {
        let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) else {
            continue;
        };
        let score = plausibility(&text);
        if score >= 0.95 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                Decoded {
                    text: text.into_owned(),
                    encoding: name.into(),
                },
            ));
        }
    }
    best.map(|(_, decoded)| decoded)
}

/// Share of characters that ordinary prose in Arabic or Latin script is made of.
fn plausibility(text: &str) -> f64 {
    let mut total = 0usize;
    let mut good = 0usize;
    for c in text.chars() {
        total += 1;
        let plausible = c == '\n'
            || c == '\r'
            || c == '\t'
            || (!c.is_control()
                && (c.is_ascii()
                    || ('\u{00A0}'..='\u{024F}').contains(&c)
                    || ('\u{0600}'..='\u{06FF}').contains(&c)
                    || ('\u{0750}'..='\u{077F}').contains(&c)
                    || ('\u{08A0}'..='\u{08FF}').contains(&c)
                    || ('\u{2000}'..='\u{206F}').contains(&c)
                    || ('\u{FB50}'..='\u{FDFF}').contains(&c)
                    || ('\u{FE70}'..='\u{FEFF}').contains(&c)));
        if plausible {
            good += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        good as f64 / total as f64
    }
}

/// True when the bytes are mostly well-formed UTF-8 multi-byte sequences with a few broken
/// ones: a damaged UTF-8 file rather than a legacy code page.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let mut valid_sequences = 0usize;
    let mut invalid_bytes = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                valid_sequences += valid.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                valid_sequences += std::str::from_utf8(valid)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                let bad = error.error_len().unwrap_or(after.len()).max(1);
                invalid_bytes += bad;
                rest = &after[bad.min(after.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    // Legacy single-byte Arabic text hardly ever forms valid UTF-8 sequences by accident.
    valid_sequences >= 4 && valid_sequences >= invalid_bytes * 4
}

/// Refuses text full of C0/C1 control characters (a binary file that happened to decode).
fn check_controls(text: &str) -> Result<(), DecodeError> {
    let mut count = 0usize;
    let mut first: Option<usize> = None;
    let mut total = 0usize;
    for (offset, c) in text.char_indices() {
        total += 1;
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{000C}');
        if control {
            count += 1;
            first.get_or_insert(offset);
        }
    }
    if count > 0 && (count * 100 > total || c0_is_binary_marker(text)) {
        let offset = first.unwrap_or(0);
        return Err(DecodeError::ControlCharacters {
            count,
            line: line_of(text.as_bytes(), offset),
            offset,
        });
    }
    Ok(())
}

/// A NUL character that survived decoding (e.g. inside UTF-16) marks binary data.
fn c0_is_binary_marker(text: &str) -> bool {
    text.contains('\0')
}

/// 1-based line number of a byte offset.
pub fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "قال المبعوث الروسي إن بلاده مستعدة.\nوأضاف أن الحل سياسي.\n";

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes(), None).unwrap();
        assert_eq!(plain.text, ARABIC);
        assert_eq!(plain.encoding, "utf-8");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(ARABIC.as_bytes());
        let bom = decode(&with_bom, None).unwrap();
        assert_eq!(bom.text, ARABIC, "the BOM is not part of the text");
        assert_eq!(bom.encoding, "utf-8 (BOM)");
    }

    #[test]
    fn utf16_in_both_byte_orders_with_and_without_bom() {
        for big_endian in [false, true] {
            for bom in [true, false] {
                let decoded = decode(&utf16(ARABIC, big_endian, bom), None).unwrap();
                assert_eq!(decoded.text, ARABIC, "be={big_endian} bom={bom}");
                assert!(
                    decoded.encoding.starts_with("utf-16"),
                    "{}",
                    decoded.encoding
                );
            }
        }
    }

    #[test]
    fn windows_1256_when_not_utf8() {
        let (bytes, _, unmappable) = WINDOWS_1256.encode(ARABIC);
        assert!(!unmappable);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, ARABIC);
        assert_eq!(decoded.encoding, "windows-1256");
    }

    #[test]
    fn damaged_utf8_is_an_error_with_its_line() {
        let mut bytes = ARABIC.as_bytes().to_vec();
        let second_line = ARABIC.find('\n').unwrap() + 3;
        bytes[second_line] = 0xFF;
        match decode(&bytes, None) {
            Err(DecodeError::InvalidUtf8 { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn binary_and_empty_inputs_are_refused() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(
            decode(b" \n\t \r\n", None),
            Err(DecodeError::WhitespaceOnly)
        );
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            Err(DecodeError::KnownBinary(_))
        ));
        assert!(matches!(
            decode(b"abc\0\x01\x02\x03\xff\xfe garbage", None),
            Err(DecodeError::NulBytes { .. })
        ));
        let controls: Vec<u8> = (1u8..9).cycle().take(200).collect();
        assert!(matches!(
            decode(&controls, None),
            Err(DecodeError::ControlCharacters { .. })
        ));
    }

    #[test]
    fn forced_encoding() {
        let (bytes, _, _) = WINDOWS_1256.encode(ARABIC);
        let decoded = decode(&bytes, Some("cp1256")).unwrap();
        assert_eq!(decoded.text, ARABIC);
        assert!(matches!(
            decode(&bytes, Some("klingon")),
            Err(DecodeError::UnknownEncoding(_))
        ));
        assert!(matches!(
            decode(&bytes, Some("utf-8")),
            Err(DecodeError::InvalidUtf8 { .. })
        ));
    }
}
