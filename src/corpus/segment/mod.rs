//! Sentence segmentation of Arabic news text.
//!
//! [`split_sentences`] cuts a whole article text (for `.txt` imports the first line is the
//! title, and the title is sentence 0) into sentences, each reported as a [`SentenceSpan`]
//! holding both code-point offsets (what Python's `str` indexes, and what the store keeps)
//! and byte offsets into the Rust `&str`. Sentences are trimmed and never empty; together
//! with the white space between them they tile the text exactly.
//!
//! This module is the mechanism only. The language data — end marks, closing quotes and
//! brackets, abbreviations, era markers, protected patterns such as URLs — and the reasons
//! behind every ambiguous decision live in `schema/segmentation.toml`, parsed into
//! [`SegmentationRules`].
//!
//! Segmentation runs in time linear in the text: each character is visited a bounded number
//! of times, every look-around is capped at [`MAX_TOKEN_CHARS`] characters, and the protected
//! patterns run on the `regex` crate, which never backtracks.

//!
//! The parts: `rules` reads and checks the data file, `scan` (private) is the per-line
//! scanner that applies the rules, and this file cuts a whole text into [`SentenceSpan`]s.

mod rules;
mod scan;
#[cfg(test)]
mod tests;

use std::ops::Range;

pub(crate) use rules::rule_error;
pub use rules::{MAX_TOKEN_CHARS, RuleProblem, RulesError, SEGMENTATION_FILE, SegmentationRules};
use scan::LineScanner;

/// One sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Code-point offset (what Python `str` indexes) of the first character, inclusive.
    pub start: usize,
    /// Code-point offset just past the last character, exclusive.
    pub end: usize,
    /// The same start as a byte offset into the Rust `&str`.
    pub start_byte: usize,
    /// The same end as a byte offset into the Rust `&str`.
    pub end_byte: usize,
}

impl SentenceSpan {
    /// The sentence's text, or `None` if the span does not fit `source` (a span from a
    /// different text).
    pub fn text<'a>(&self, source: &'a str) -> Option<&'a str> {
        source.get(self.start_byte..self.end_byte)
    }

    /// Length of the sentence in code points.
    pub fn char_len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// The byte range of the sentence in its text.
    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte..self.end_byte
    }
}

/// True for the characters that end a line. A line break always ends a sentence.
/// `\r\n` counts as one break. (Mechanism, not language data: these are Unicode's
/// mandatory breaks that are also white space.)
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// Byte ranges of the lines of `text`, line breaks excluded. `\r\n` is one break. A text
/// ending in a line break has a last, empty line; the empty text has one empty line.
pub fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut finished = false;
    std::iter::from_fn(move || {
        if finished {
            return None;
        }
        match next_line_break(bytes, line_start) {
            Some((index, width)) => {
                let line = line_start..index;
                line_start = index + width;
                Some(line)
            }
            None => {
                finished = true;
                Some(line_start..text.len())
            }
        }
    })
}

/// The byte index and byte width of the first line break (see [`is_line_break`]; `\r\n`
/// is one break) at or after `from`. Scans bytes: in UTF-8 a break's first byte is never a
/// continuation byte, so a match is always a whole character.
fn next_line_break(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut index = from;
    loop {
        // Skip to the next byte that may start a break (most text has none for a while).
        index += bytes
            .get(index..)?
            .iter()
            .position(|&byte| matches!(byte, 0x0A..=0x0D | 0xC2 | 0xE2))?;
        let byte = bytes.get(index).copied()?;
        match byte {
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => return Some((index, 2)),
            b'\n' | b'\r' | 0x0B | 0x0C => return Some((index, 1)),
            // U+0085
            0xC2 if bytes.get(index + 1) == Some(&0x85) => return Some((index, 2)),
            // U+2028, U+2029
            0xE2 if bytes.get(index + 1) == Some(&0x80)
                && matches!(bytes.get(index + 2), Some(0xA8 | 0xA9)) =>
            {
                return Some((index, 3));
            }
            _ => index += 1,
        }
    }
}

/// Splits a whole text into sentences with the given rules.
///
/// Lines are split independently (a line break always ends a sentence); inside a line a
/// sentence ends after a run of end marks and any closing quotes or brackets right after it,
/// subject to the period rules described in `schema/segmentation.toml`. Spans come out in
/// text order, trimmed, non-empty and non-overlapping; everything between them is white
/// space.
pub fn split_sentences(text: &str, rules: &SegmentationRules) -> Vec<SentenceSpan> {
    let mut spans = Vec::new();
    let mut code_points = CodePointCounter::new(text);
    let mut pieces = Vec::new();
    for line_range in line_ranges(text) {
        let Some(line) = text.get(line_range.clone()) else {
            continue;
        };
        pieces.clear();
        LineScanner::new(rules, line).split(&mut pieces);
        for piece in &pieces {
            let Some(raw) = line.get(piece.clone()) else {
                continue;
            };
            let leading = raw.len() - raw.trim_start().len();
            let trimmed_len = raw.trim().len();
            if trimmed_len == 0 {
                continue;
            }
            let start_byte = line_range.start + piece.start + leading;
            let end_byte = start_byte + trimmed_len;
            for chunk in cut_overlong(&text[start_byte..end_byte]) {
                let chunk_start = start_byte + chunk.start;
                let chunk_end = start_byte + chunk.end;
                let start = code_points.offset_of(chunk_start);
                let end = code_points.offset_of(chunk_end);
                spans.push(SentenceSpan {
                    start,
                    end,
                    start_byte: chunk_start,
                    end_byte: chunk_end,
                });
            }
        }
    }
    spans
}

/// Longest sentence, in code points, before it is cut at the last white space (or, in a
/// text without any, at the last grapheme boundary) within the limit. A line without end
/// marks — a dump, a minified page, a 50 MB line — would otherwise be one sentence that
/// nobody can annotate and the reading view would have to lay out whole. Real sentences,
/// even Arabic run-on ones, stay far below it.
pub const MAX_SENTENCE_CHARS: usize = 10_000;

/// Byte ranges of the pieces of a trimmed sentence no longer than [`MAX_SENTENCE_CHARS`]
/// (one range for nearly every sentence). Pieces are trimmed and non-empty; only white
/// space lies between them. Linear in the length of the sentence.
fn cut_overlong(sentence: &str) -> Vec<Range<usize>> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < sentence.len() {
        let rest = &sentence[start..];
        let Some((limit, _)) = rest.char_indices().nth(MAX_SENTENCE_CHARS) else {
            pieces.push(start..sentence.len());
            break;
        };
        let window = &rest[..limit];
        let cut = window
            .char_indices()
            .rev()
            .find(|&(index, c)| index > 0 && c.is_whitespace())
            .map(|(index, _)| index)
            .or_else(|| {
                // No white space: the last grapheme boundary inside the window, else the end
                // of the first grapheme (a single grapheme is never split).
                let mut boundary = None;
                for (index, grapheme) in rest.grapheme_indices(true) {
                    let end = index + grapheme.len();
                    if end > limit {
                        return Some(boundary.unwrap_or(end));
                    }
                    boundary = Some(end);
                }
                boundary
            })
            .unwrap_or(rest.len());
        let piece = rest[..cut].trim_end();
        pieces.push(start..start + piece.len());
        let after = &rest[cut..];
        start += cut + (after.len() - after.trim_start().len());
    }
    pieces
}

/// Converts increasing byte offsets to code-point offsets in one pass over the text.
struct CodePointCounter<'a> {
    text: &'a str,
    byte: usize,
    code_points: usize,
}

impl<'a> CodePointCounter<'a> {
    fn new(text: &'a str) -> Self {
        CodePointCounter {
            text,
            byte: 0,
            code_points: 0,
        }
    }

    fn offset_of(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            // Never happens for increasing offsets; recount rather than go wrong.
            self.byte = 0;
            self.code_points = 0;
        }
        self.code_points += self
            .text
            .get(self.byte..byte)
            .map_or(0, |between| between.chars().count());
        self.byte = byte;
        self.code_points
    }
}
