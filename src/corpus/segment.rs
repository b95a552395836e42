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

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::normalize::{fold, is_arabic_mark, is_invisible_for_matching};

/// Where the built-in segmentation data lives, relative to the repository root; used to
/// name the file in errors.
pub const SEGMENTATION_FILE: &str = "schema/segmentation.toml";

/// The built-in segmentation data, embedded at compile time.
const BUILTIN_SEGMENTATION: &str = include_str!("../../schema/segmentation.toml");

/// The data-file version this code understands.
const SUPPORTED_VERSION: u32 = 1;

/// Longest token (in characters) looked at around a period when deciding whether it is an
/// abbreviation, a number or an era marker. Longer tokens are never abbreviations; the cap
/// keeps segmentation linear on pathological input.
pub const MAX_TOKEN_CHARS: usize = 32;

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

/// A rules data file (`schema/segmentation.toml`, `schema/boilerplate.toml`, or a user's
/// replacement) that cannot be used. Every variant names the file; the ones about content
/// name the key or rule at fault.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {error}")]
    Read { file: String, error: std::io::Error },
    /// The file is not valid TOML or does not have the expected shape (unknown or missing
    /// keys, wrong types); the message gives the line, column and key.
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    /// A value is well-formed TOML but unusable.
    #[error("{file}: `{key}`: {message}")]
    Invalid {
        file: String,
        key: String,
        message: String,
    },
}

impl RulesError {
    pub(crate) fn invalid(file: &str, key: impl Into<String>, message: impl Into<String>) -> Self {
        RulesError::Invalid {
            file: file.to_owned(),
            key: key.into(),
            message: message.into(),
        }
    }

    pub(crate) fn syntax(file: &str, error: &toml::de::Error) -> Self {
        RulesError::Syntax {
            file: file.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        }
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
    let mut chars = text.char_indices().peekable();
    let mut line_start = 0;
    let mut finished = false;
    std::iter::from_fn(move || {
        if finished {
            return None;
        }
        while let Some((index, c)) = chars.next() {
            if is_line_break(c) {
                let line = line_start..index;
                line_start = index + c.len_utf8();
                if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
                    chars.next();
                    line_start += 1;
                }
                return Some(line);
            }
        }
        finished = true;
        Some(line_start..text.len())
    })
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

/// Sentence segmentation rules, parsed and checked from `schema/segmentation.toml` (see
/// that file for what each part means and why).
#[derive(Debug)]
pub struct SegmentationRules {
    end_marks: CharSet,
    periods: CharSet,
    closers: CharSet,
    ambiguous_quotes: Vec<char>,
    continuation: CharSet,
    asides: CharSet,
    tatweel: CharSet,
    /// Folded abbreviations, each ending in a period.
    abbreviations: HashSet<String>,
    /// Every folded abbreviation cut after each of its periods (`ق.` and `ق.م.` for `ق.م.`):
    /// what may stand before a period that is directly followed by a letter.
    abbreviation_prefixes: HashSet<String>,
    /// Folded era and time markers that end a sentence after a number.
    after_number: HashSet<String>,
    after_number_continuations: Vec<String>,
    single_latin_capital: bool,
    single_arabic_letter: bool,
    line_start_enumerators: bool,
    enumerator_max_digits: usize,
    protected: Vec<ProtectedPattern>,
}

/// A small set of characters (the mark lists are short): a sorted vector, which is looked
/// up faster than a hash set on the per-character hot path.
#[derive(Debug, Default)]
struct CharSet {
    sorted: Vec<char>,
}

impl CharSet {
    fn contains(&self, c: &char) -> bool {
        self.sorted.binary_search(c).is_ok()
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut sorted: Vec<char> = chars.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        CharSet { sorted }
    }
}

/// A pattern whose matches no end mark may split.
#[derive(Debug)]
struct ProtectedPattern {
    id: String,
    regex: Regex,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentationFile {
    version: u32,
    marks: MarksTable,
    abbreviations: AbbreviationsTable,
    after_number: AfterNumberTable,
    enumerators: EnumeratorsTable,
    #[serde(default)]
    protected: Vec<ProtectedTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksTable {
    end: Vec<String>,
    periods: Vec<String>,
    closers: Vec<String>,
    ambiguous_quotes: Vec<String>,
    continuation: Vec<String>,
    asides: Vec<String>,
    tatweel: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationsTable {
    arabic: Vec<String>,
    latin: Vec<String>,
    single_latin_capital: bool,
    single_arabic_letter: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AfterNumberTable {
    abbreviations: Vec<String>,
    continuations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumeratorsTable {
    line_start: bool,
    max_digits: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectedTable {
    id: String,
    description: String,
    pattern: String,
}

impl SegmentationRules {
    /// The built-in rules from `schema/segmentation.toml`, parsed once.
    pub fn builtin() -> &'static SegmentationRules {
        static BUILTIN: OnceLock<SegmentationRules> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            SegmentationRules::from_toml(BUILTIN_SEGMENTATION)
                .expect("the embedded schema/segmentation.toml is valid (a unit test parses it)")
        })
    }

    /// Parses rules from TOML text shaped like `schema/segmentation.toml`; errors name that
    /// file. Use [`SegmentationRules::from_toml_named`] for data read from elsewhere.
    pub fn from_toml(source: &str) -> Result<SegmentationRules, RulesError> {
        Self::from_toml_named(source, SEGMENTATION_FILE)
    }

    /// Reads and parses a rules file; errors name `path`.
    pub fn from_path(path: &Path) -> Result<SegmentationRules, RulesError> {
        let file = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|error| RulesError::Read {
            file: file.clone(),
            error,
        })?;
        Self::from_toml_named(&source, &file)
    }

    /// Parses rules from TOML text; errors name `file`.
    pub fn from_toml_named(source: &str, file: &str) -> Result<SegmentationRules, RulesError> {
        let data: SegmentationFile =
            toml::from_str(source).map_err(|error| RulesError::syntax(file, &error))?;
        if data.version != SUPPORTED_VERSION {
            return Err(RulesError::invalid(
                file,
                "version",
                format!(
                    "version {} is not supported (expected {SUPPORTED_VERSION})",
                    data.version
                ),
            ));
        }
        let marks = &data.marks;
        let end_marks: CharSet = single_chars(file, "marks.end", &marks.end)?
            .into_iter()
            .collect();
        let periods: CharSet = single_chars(file, "marks.periods", &marks.periods)?
            .into_iter()
            .collect();
        for (index, period) in marks.periods.iter().enumerate() {
            if !marks.end.contains(period) {
                return Err(RulesError::invalid(
                    file,
                    format!("marks.periods[{index}]"),
                    format!("`{period}` is not one of `marks.end`"),
                ));
            }
        }
        let closers: CharSet = single_chars(file, "marks.closers", &marks.closers)?
            .into_iter()
            .collect();
        if let Some(index) = marks
            .closers
            .iter()
            .position(|closer| marks.end.contains(closer))
        {
            return Err(RulesError::invalid(
                file,
                format!("marks.closers[{index}]"),
                "a closer cannot also be an end mark",
            ));
        }
        let ambiguous_quotes =
            single_chars(file, "marks.ambiguous_quotes", &marks.ambiguous_quotes)?;
        for (index, quote) in ambiguous_quotes.iter().enumerate() {
            if !closers.contains(quote) {
                return Err(RulesError::invalid(
                    file,
                    format!("marks.ambiguous_quotes[{index}]"),
                    format!("`{quote}` is not one of `marks.closers`"),
                ));
            }
        }
        let continuation: CharSet = single_chars(file, "marks.continuation", &marks.continuation)?
            .into_iter()
            .collect();
        if let Some(index) = marks
            .continuation
            .iter()
            .position(|mark| marks.end.contains(mark))
        {
            return Err(RulesError::invalid(
                file,
                format!("marks.continuation[{index}]"),
                "a continuation mark cannot also be an end mark",
            ));
        }
        let asides: CharSet = single_chars(file, "marks.asides", &marks.asides)?
            .into_iter()
            .collect();
        let tatweel: CharSet = single_chars(file, "marks.tatweel", &marks.tatweel)?
            .into_iter()
            .collect();

        let mut abbreviations = HashSet::new();
        let lists = [
            ("abbreviations.arabic", &data.abbreviations.arabic),
            ("abbreviations.latin", &data.abbreviations.latin),
            (
                "after_number.abbreviations",
                &data.after_number.abbreviations,
            ),
        ];
        for (key, list) in lists {
            for (index, entry) in list.iter().enumerate() {
                abbreviations.insert(folded_abbreviation(
                    file,
                    &format!("{key}[{index}]"),
                    entry,
                    &periods,
                )?);
            }
        }
        let mut after_number = HashSet::new();
        for (index, entry) in data.after_number.abbreviations.iter().enumerate() {
            after_number.insert(folded_abbreviation(
                file,
                &format!("after_number.abbreviations[{index}]"),
                entry,
                &periods,
            )?);
        }
        let mut after_number_continuations = Vec::new();
        for (index, entry) in data.after_number.continuations.iter().enumerate() {
            let folded = fold(entry);
            if folded.is_empty() {
                return Err(RulesError::invalid(
                    file,
                    format!("after_number.continuations[{index}]"),
                    "is empty after folding",
                ));
            }
            after_number_continuations.push(folded);
        }
        let abbreviation_prefixes = abbreviations
            .iter()
            .flat_map(|abbreviation| {
                abbreviation
                    .char_indices()
                    .filter(|&(_, c)| periods.contains(&c))
                    .map(|(index, c)| abbreviation[..index + c.len_utf8()].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();

        if data.enumerators.max_digits == 0 || data.enumerators.max_digits > MAX_TOKEN_CHARS {
            return Err(RulesError::invalid(
                file,
                "enumerators.max_digits",
                format!("must be between 1 and {MAX_TOKEN_CHARS}"),
            ));
        }

        let mut protected = Vec::new();
        for (index, table) in data.protected.iter().enumerate() {
            let key = format!("protected[{index}] (id `{}`)", table.id);
            if table.id.trim().is_empty() {
                return Err(RulesError::invalid(
                    file,
                    format!("protected[{index}].id"),
                    "is empty",
                ));
            }
            if table.description.trim().is_empty() {
                return Err(RulesError::invalid(
                    file,
                    format!("{key}.description"),
                    "is empty",
                ));
            }
            if data.protected[..index]
                .iter()
                .any(|other| other.id == table.id)
            {
                return Err(RulesError::invalid(
                    file,
                    format!("{key}.id"),
                    "is used by an earlier pattern",
                ));
            }
            let regex = Regex::new(&table.pattern).map_err(|error| {
                RulesError::invalid(
                    file,
                    format!("{key}.pattern"),
                    format!("invalid regular expression: {error}"),
                )
            })?;
            protected.push(ProtectedPattern {
                id: table.id.clone(),
                regex,
            });
        }

        Ok(SegmentationRules {
            end_marks,
            periods,
            closers,
            ambiguous_quotes,
            continuation,
            asides,
            tatweel,
            abbreviations,
            abbreviation_prefixes,
            after_number,
            after_number_continuations,
            single_latin_capital: data.abbreviations.single_latin_capital,
            single_arabic_letter: data.abbreviations.single_arabic_letter,
            line_start_enumerators: data.enumerators.line_start,
            enumerator_max_digits: data.enumerators.max_digits,
            protected,
        })
    }

    /// True if `c` is one of the end marks.
    pub fn is_end_mark(&self, c: char) -> bool {
        self.end_marks.contains(&c)
    }

    /// True if `c` is one of the closing quotes or brackets kept with a sentence.
    pub fn is_closer(&self, c: char) -> bool {
        self.closers.contains(&c)
    }

    /// The ids of the protected patterns (URLs, e-mail addresses…), in file order.
    pub fn protected_pattern_ids(&self) -> impl Iterator<Item = &str> {
        self.protected.iter().map(|pattern| pattern.id.as_str())
    }

    /// Byte ranges of `line` covered by protected patterns, sorted and merged, each trimmed
    /// of trailing end marks, closers, continuation marks and quotes.
    fn protected_ranges(&self, line: &str) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for pattern in &self.protected {
            for found in pattern.regex.find_iter(line) {
                let trimmed = found.as_str().trim_end_matches(|c: char| {
                    self.end_marks.contains(&c)
                        || self.closers.contains(&c)
                        || self.continuation.contains(&c)
                });
                if !trimmed.is_empty() {
                    ranges.push(found.start()..found.start() + trimmed.len());
                }
            }
        }
        ranges.sort_by_key(|range| range.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        merged
    }

    fn quote_index(&self, c: char) -> Option<usize> {
        self.ambiguous_quotes.iter().position(|&quote| quote == c)
    }
}

/// Checks that every entry of a list is exactly one character.
fn single_chars(file: &str, key: &str, entries: &[String]) -> Result<Vec<char>, RulesError> {
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let mut chars = entry.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(RulesError::invalid(
                    file,
                    format!("{key}[{index}]"),
                    format!("`{entry}` must be exactly one character"),
                )),
            }
        })
        .collect()
}

/// Folds an abbreviation entry and checks it is usable: non-empty, short, ending in a period.
fn folded_abbreviation(
    file: &str,
    key: &str,
    entry: &str,
    periods: &CharSet,
) -> Result<String, RulesError> {
    let folded = fold(entry);
    if !folded
        .chars()
        .next_back()
        .is_some_and(|c| periods.contains(&c))
    {
        return Err(RulesError::invalid(
            file,
            key,
            format!("`{entry}` must end with one of `marks.periods`"),
        ));
    }
    if folded.chars().count() > MAX_TOKEN_CHARS {
        return Err(RulesError::invalid(
            file,
            key,
            format!("`{entry}` is longer than {MAX_TOKEN_CHARS} characters"),
        ));
    }
    if folded.chars().any(char::is_whitespace) {
        return Err(RulesError::invalid(
            file,
            key,
            format!("`{entry}` must not contain white space"),
        ));
    }
    Ok(folded)
}

/// A letter of the Arabic script (not tatweel, not a combining mark).
fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFE}')
        && c.is_alphabetic()
        && c != '\u{0640}'
        && !is_arabic_mark(c)
}

/// A letter of the Latin script.
fn is_latin_letter(c: char) -> bool {
    matches!(c,
        'A'..='Z'
        | 'a'..='z'
        | '\u{00C0}'..='\u{024F}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}')
        && c.is_alphabetic()
}

/// The character starting at byte `index`, if `index` is a character boundary inside `s`.
fn char_at(s: &str, index: usize) -> Option<char> {
    s.get(index..)?.chars().next()
}

/// The character ending at byte `index`, if any.
fn char_before(s: &str, index: usize) -> Option<char> {
    s.get(..index)?.chars().next_back()
}

/// Byte index of the first character at or after `index` that is not an end mark.
fn skip_end_marks(s: &str, index: usize, end_marks: &CharSet) -> usize {
    let Some(rest) = s.get(index..) else {
        return index;
    };
    index + (rest.len() - rest.trim_start_matches(|c| end_marks.contains(&c)).len())
}

/// Byte index of the first character at or after `index` that is not white space.
fn skip_white_space(s: &str, index: usize) -> usize {
    let Some(rest) = s.get(index..) else {
        return index;
    };
    index + (rest.len() - rest.trim_start().len())
}

/// How a period is placed, for the abbreviation check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeriodPlace {
    /// Followed by white space, a closer, or the end of the line: a full abbreviation
    /// (`د. `, `U.S. `) keeps the sentence going.
    Final { space_after: bool },
    /// Followed directly by a letter or other mark: an abbreviation or the part of one up
    /// to an inner period (`ق.` of `ق.م`) keeps the sentence going.
    Inner,
}

/// Splits one line (no line breaks inside) into raw sentence ranges.
struct LineScanner<'r, 'l> {
    rules: &'r SegmentationRules,
    line: &'l str,
    protected: Vec<Range<usize>>,
    /// Byte offset of the line's first non-white-space character.
    first_content: usize,
}

impl<'r, 'l> LineScanner<'r, 'l> {
    fn new(rules: &'r SegmentationRules, line: &'l str) -> Self {
        LineScanner {
            rules,
            line,
            protected: rules.protected_ranges(line),
            first_content: skip_white_space(line, 0),
        }
    }

    /// Appends the untrimmed sentence ranges of the line (byte offsets into the line).
    fn split(&self, pieces: &mut Vec<Range<usize>>) {
        let line = self.line;
        let mut open_quotes = vec![false; self.rules.ambiguous_quotes.len()];
        let mut sentence_start = 0;
        // Whether the sentence so far has a letter or digit: end marks before any (a line
        // opening with `...` or `…`) lead into the sentence rather than end an empty one.
        let mut has_content = false;
        let mut pos = 0;
        while let Some(c) = char_at(line, pos) {
            if let Some(protected) = self.protected_at(pos) {
                pos = protected.end;
                has_content = true;
                continue;
            }
            if let Some(quote) = self.rules.quote_index(c) {
                open_quotes[quote] = !open_quotes[quote];
            }
            if !has_content && c.is_alphanumeric() {
                has_content = true;
            }
            if !self.ends_sentence(pos, c) {
                pos += c.len_utf8();
                continue;
            }
            if char_before(line, pos).is_some_and(|p| self.rules.asides.contains(&p)) {
                // An aside such as `(!)` or `(؟)`: the marks do not end the sentence.
                pos = skip_end_marks(line, pos, &self.rules.end_marks);
                continue;
            }
            let run_end = self.end_of_run(pos, &mut open_quotes);
            pos = run_end;
            if !has_content || self.continues_after(run_end) {
                continue;
            }
            pieces.push(sentence_start..run_end);
            sentence_start = run_end;
            has_content = false;
            open_quotes.fill(false);
        }
        if sentence_start < line.len() {
            pieces.push(sentence_start..line.len());
        }
    }

    fn protected_at(&self, pos: usize) -> Option<&Range<usize>> {
        let index = self.protected.partition_point(|range| range.end <= pos);
        self.protected.get(index).filter(|range| range.start <= pos)
    }

    /// True if the end mark `c` at `pos` ends a sentence (false for non-end-marks).
    fn ends_sentence(&self, pos: usize, c: char) -> bool {
        if !self.rules.end_marks.contains(&c) || self.protected_at(pos).is_some() {
            return false;
        }
        !self.rules.periods.contains(&c) || self.period_ends_sentence(pos, c)
    }

    /// The period rules (see `schema/segmentation.toml`).
    fn period_ends_sentence(&self, pos: usize, period: char) -> bool {
        let rules = self.rules;
        let after = pos + period.len_utf8();
        let previous = char_before(self.line, pos);
        match char_at(self.line, after) {
            // End of line, white space, or a closer: a sentence end unless an abbreviation.
            None => !self.is_abbreviation(pos, after, PeriodPlace::Final { space_after: false }),
            Some(next) if next.is_whitespace() || rules.closers.contains(&next) => !self
                .is_abbreviation(
                    pos,
                    after,
                    PeriodPlace::Final {
                        space_after: next.is_whitespace(),
                    },
                ),
            // Runs of end marks (`...`, `..!`) always end a sentence.
            Some(next) if rules.end_marks.contains(&next) => true,
            // Decimals, dates, domains, e-mail addresses, `e.g`, `U.S`: never an end.
            Some(next) if next.is_numeric() || is_latin_letter(next) => false,
            // A dot breaking up a word between tatweels (`منـ.ـعه`): never an end.
            Some(next) if rules.tatweel.contains(&next) => false,
            Some(_) if previous.is_some_and(|p| rules.tatweel.contains(&p)) => false,
            // Directly followed by an Arabic letter or other mark: a typo for `. ` (end),
            // unless an abbreviation stands before it (`د.أحمد`, `ق.م`).
            Some(_) => !self.is_abbreviation(pos, after, PeriodPlace::Inner),
        }
    }

    /// True if the token ending with the period at `period_pos` (period included, ending at
    /// `after`) is an abbreviation that keeps the sentence going.
    fn is_abbreviation(&self, period_pos: usize, after: usize, place: PeriodPlace) -> bool {
        let rules = self.rules;
        let Some(core_start) = self.core_start(period_pos) else {
            return false;
        };
        let Some(core) = self.line.get(core_start..after) else {
            return false;
        };
        let folded = fold(core);
        let Some(before_period) = self.line.get(core_start..period_pos) else {
            return false;
        };
        match place {
            PeriodPlace::Final { space_after } => {
                if let Some(attached_to_number) = self.after_number_form(&folded)
                    && (attached_to_number || self.number_precedes(core_start))
                {
                    // `عام 2011 م.`: an end, unless the date goes on (`هـ. الموافق`).
                    return self.date_continues(after);
                }
                rules.abbreviations.contains(&folded)
                    || self.is_initialism(before_period)
                    || (space_after && self.is_line_start_enumerator(core_start, &folded))
            }
            PeriodPlace::Inner => {
                rules.abbreviation_prefixes.contains(&folded) || self.is_initialism(before_period)
            }
        }
    }

    /// Start of the token before the period at `period_pos`, from its first letter or
    /// digit; `None` if there is none or the token is too long to be an abbreviation.
    fn core_start(&self, period_pos: usize) -> Option<usize> {
        let before = self.line.get(..period_pos)?;
        let mut token_start = period_pos;
        for (count, (index, c)) in before.char_indices().rev().enumerate() {
            if c.is_whitespace() {
                break;
            }
            if count >= MAX_TOKEN_CHARS {
                return None;
            }
            token_start = index;
        }
        let token = self.line.get(token_start..period_pos)?;
        token
            .char_indices()
            .find(|&(_, c)| c.is_alphanumeric())
            .map(|(offset, _)| token_start + offset)
    }

    /// If `folded` is an era/time marker (`م.`), or a number with one attached (`2011م.`),
    /// tells which: `Some(true)` when attached to a number.
    fn after_number_form(&self, folded: &str) -> Option<bool> {
        if self.rules.after_number.contains(folded) {
            return Some(false);
        }
        let without_digits = folded.trim_start_matches(|c: char| c.is_ascii_digit());
        (without_digits.len() < folded.len() && self.rules.after_number.contains(without_digits))
            .then_some(true)
    }

    /// True if the token before `core_start` (white space skipped) is a number, a date or
    /// a time (`2011`, `2011/2012`, `10:30`).
    fn number_precedes(&self, core_start: usize) -> bool {
        let Some(before) = self.line.get(..core_start) else {
            return false;
        };
        let before = before.trim_end();
        let mut digits = 0;
        for (count, c) in before.chars().rev().enumerate() {
            if c.is_whitespace() {
                break;
            }
            if count >= MAX_TOKEN_CHARS {
                return false;
            }
            if c.is_numeric() {
                digits += 1;
            } else if !matches!(c, '/' | '-' | '.' | ',' | ':' | '٫' | '٬' | '(' | ')') {
                return false;
            }
        }
        digits > 0
    }

    /// True if the word after an era marker carries the date on (`هـ. الموافق`).
    fn date_continues(&self, after: usize) -> bool {
        let start = skip_white_space(self.line, after);
        let Some(rest) = self.line.get(start..) else {
            return false;
        };
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(MAX_TOKEN_CHARS)
            .collect();
        let folded = fold(&word);
        !folded.is_empty()
            && self
                .rules
                .after_number_continuations
                .iter()
                .any(|continuation| folded.starts_with(continuation.as_str()))
    }

    /// True if `token` (period excluded) is a single letter: a capital Latin initial or an
    /// Arabic letter standing alone, if the rules allow those.
    fn is_single_letter(&self, token: &str) -> bool {
        let mut letters = token.chars().filter(|&c| {
            !self.rules.tatweel.contains(&c) && !is_arabic_mark(c) && !is_invisible_for_matching(c)
        });
        match (letters.next(), letters.next()) {
            (Some(letter), None) => {
                (self.rules.single_latin_capital
                    && is_latin_letter(letter)
                    && letter.is_uppercase())
                    || (self.rules.single_arabic_letter && is_arabic_letter(letter))
            }
            _ => false,
        }
    }

    /// True if `token` (final period excluded) is a chain of single letters joined by
    /// periods (`W`, `أ.ف.ب`, `U.N`): initials and initialisms.
    fn is_initialism(&self, token: &str) -> bool {
        token
            .split(|c: char| self.rules.periods.contains(&c))
            .all(|letter| self.is_single_letter(letter))
    }

    /// True if the token is a short number opening the line (`1. البند الأول`).
    fn is_line_start_enumerator(&self, core_start: usize, folded: &str) -> bool {
        if !self.rules.line_start_enumerators || core_start != self.first_content {
            return false;
        }
        let Some(number) = folded
            .char_indices()
            .next_back()
            .and_then(|(index, _)| folded.get(..index))
        else {
            return false;
        };
        !number.is_empty()
            && number.len() <= self.rules.enumerator_max_digits
            && number.chars().all(|c| c.is_ascii_digit())
    }

    /// Byte offset just past the end-mark run starting at `pos`: end marks, then closers
    /// that belong to the sentence, then — directly or after spaces — any further end marks
    /// and closers (`!”.`, `؟ !`, `. . .`).
    fn end_of_run(&self, pos: usize, open_quotes: &mut [bool]) -> usize {
        let rules = self.rules;
        let line = self.line;
        let mut end = pos;
        loop {
            while let Some(c) = char_at(line, end)
                && rules.end_marks.contains(&c)
                && self.protected_at(end).is_none()
            {
                end += c.len_utf8();
            }
            while let Some(c) = char_at(line, end)
                && rules.closers.contains(&c)
            {
                if let Some(quote) = rules.quote_index(c) {
                    let letter_follows =
                        char_at(line, end + c.len_utf8()).is_some_and(char::is_alphanumeric);
                    if letter_follows && !open_quotes[quote] {
                        // Opens the next sentence: `انتهى."لا"`.
                        break;
                    }
                    open_quotes[quote] = false;
                }
                end += c.len_utf8();
            }
            let next_mark = skip_white_space(line, end);
            match char_at(line, next_mark) {
                Some(c) if self.ends_sentence(next_mark, c) => end = next_mark,
                _ => return end,
            }
        }
    }

    /// True if, after an end-mark run ending at `end`, the sentence goes on (a
    /// continuation mark such as `،` follows, spaces skipped).
    fn continues_after(&self, end: usize) -> bool {
        char_at(self.line, skip_white_space(self.line, end))
            .is_some_and(|c| self.rules.continuation.contains(&c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SEED_000: &str = include_str!("../../seeds/000_94999b6dfeaf2c9a.txt");
    const SEED_001: &str = include_str!("../../seeds/001_27af32c0e69d882f.txt");
    const SEED_002: &str = include_str!("../../seeds/002_d334092499d7ec8c.txt");
    const SEED_003: &str = include_str!("../../seeds/003_33ebafb7f274a61d.txt");
    const SEED_004: &str = include_str!("../../seeds/004_1f4fa77edfffa84d.txt");

    fn rules() -> &'static SegmentationRules {
        SegmentationRules::builtin()
    }

    /// The sentences of `text` as strings, after checking every invariant of the spans.
    fn sentences(text: &str) -> Vec<&str> {
        let spans = split_sentences(text, rules());
        assert_spans_tile(text, &spans);
        spans.iter().map(|span| span.text(text).unwrap()).collect()
    }

    /// Offsets in bounds and consistent, spans trimmed, non-empty, ordered, not crossing a
    /// line break, and only white space between and around them.
    fn assert_spans_tile(text: &str, spans: &[SentenceSpan]) {
        let code_points: Vec<char> = text.chars().collect();
        let mut previous_end_byte = 0;
        let mut previous_end = 0;
        for span in spans {
            assert!(span.start < span.end, "empty span {span:?}");
            assert!(span.end <= code_points.len(), "{span:?} beyond the text");
            assert!(span.start_byte < span.end_byte && span.end_byte <= text.len());
            assert!(span.start_byte >= previous_end_byte && span.start >= previous_end);
            let sentence = span.text(text).expect("span on character boundaries");
            // Byte and code-point offsets agree, the way Python would slice the text.
            assert_eq!(text[..span.start_byte].chars().count(), span.start);
            assert_eq!(text[..span.end_byte].chars().count(), span.end);
            let by_code_points: String = code_points[span.start..span.end].iter().collect();
            assert_eq!(by_code_points, sentence);
            assert_eq!(sentence.trim(), sentence, "untrimmed sentence {sentence:?}");
            assert!(
                !sentence.chars().any(is_line_break),
                "line break inside {sentence:?}"
            );
            let gap = &text[previous_end_byte..span.start_byte];
            assert!(
                gap.chars().all(char::is_whitespace),
                "non-space gap {gap:?}"
            );
            previous_end_byte = span.end_byte;
            previous_end = span.end;
        }
        let tail = &text[previous_end_byte..];
        assert!(
            tail.chars().all(char::is_whitespace),
            "non-space tail {tail:?}"
        );
    }

    #[test]
    fn builtin_rules_parse() {
        let parsed = SegmentationRules::from_toml(BUILTIN_SEGMENTATION);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        assert!(rules().is_end_mark('؟'));
        assert!(!rules().is_end_mark('،'));
        assert!(rules().is_closer('”'));
        assert_eq!(
            rules().protected_pattern_ids().collect::<Vec<_>>(),
            ["url", "email"]
        );
    }

    // ----- errors in the data file -----

    fn error_for(source: &str) -> String {
        match SegmentationRules::from_toml(source) {
            Ok(_) => panic!("broken rules were accepted"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn broken_toml_names_the_file() {
        let message = error_for("this is not toml");
        assert!(
            message.starts_with("schema/segmentation.toml: "),
            "{message}"
        );
    }

    #[test]
    fn unknown_key_names_the_key() {
        let source = BUILTIN_SEGMENTATION.replacen("[marks]", "[marks]\nend_markz = []", 1);
        let message = error_for(&source);
        assert!(message.contains("schema/segmentation.toml"), "{message}");
        assert!(message.contains("end_markz"), "{message}");
    }

    #[test]
    fn multi_character_mark_names_the_key() {
        let source = BUILTIN_SEGMENTATION.replacen("end = [\".\",", "end = [\"..\",", 1);
        let message = error_for(&source);
        assert!(message.contains("schema/segmentation.toml"), "{message}");
        assert!(message.contains("`marks.end[0]`"), "{message}");
    }

    #[test]
    fn abbreviation_without_period_names_the_key() {
        let source = BUILTIN_SEGMENTATION.replacen("\"Mr.\"", "\"Mr\"", 1);
        let message = error_for(&source);
        assert!(message.contains("`abbreviations.latin[0]`"), "{message}");
    }

    #[test]
    fn bad_protected_pattern_names_the_pattern() {
        let source = BUILTIN_SEGMENTATION.replacen(
            "pattern = '(?i)(?:https?",
            "pattern = '((?i)(?:https?",
            1,
        );
        let message = error_for(&source);
        assert!(
            message.contains("protected[0] (id `url`).pattern"),
            "{message}"
        );
    }

    #[test]
    fn unsupported_version_is_refused() {
        let source = BUILTIN_SEGMENTATION.replacen("version = 1", "version = 2", 1);
        assert!(error_for(&source).contains("`version`"));
    }

    #[test]
    fn unreadable_file_names_the_path() {
        let missing = Path::new("/nonexistent/segmentation.toml");
        let error = SegmentationRules::from_path(missing).err().unwrap();
        assert!(error.to_string().contains("/nonexistent/segmentation.toml"));
    }

    // ----- end marks, runs, closers, line breaks -----

    #[test]
    fn splits_at_each_end_mark() {
        assert_eq!(
            sentences("قال لا. قال نعم! هل هذا؟ ربما ? حسناً… ثم"),
            ["قال لا.", "قال نعم!", "هل هذا؟", "ربما ?", "حسناً…", "ثم"]
        );
    }

    #[test]
    fn runs_of_end_marks_end_one_sentence() {
        assert_eq!(
            sentences("رائع!! حقاً..! لماذا؟! إذن... متى..؟ الآن"),
            ["رائع!!", "حقاً..!", "لماذا؟!", "إذن...", "متى..؟", "الآن"]
        );
        assert_eq!(sentences("مجدداً.. خمس نقاط"), ["مجدداً..", "خمس نقاط"]);
    }

    #[test]
    fn spaced_end_marks_join_the_run() {
        assert_eq!(
            sentences("ما الجديد ؟ ! ثم . . . ماذا"),
            ["ما الجديد ؟ !", "ثم . . .", "ماذا"]
        );
        assert_eq!(
            sentences("في سوريا .. ما الجديد..؟"),
            ["في سوريا ..", "ما الجديد..؟"]
        );
    }

    #[test]
    fn closers_stay_with_the_sentence() {
        assert_eq!(sentences("قال: “كفى!” ثم مضى."), ["قال: “كفى!”", "ثم مضى."]);
        assert_eq!(sentences("(انتهى.)” وبدأ غيره"), ["(انتهى.)”", "وبدأ غيره"]);
        assert_eq!(
            sentences("«لا؟» ثم ‹نعم!› و[حقاً.] و{أكيد!} ‘هكذا.’ تم"),
            ["«لا؟»", "ثم ‹نعم!›", "و[حقاً.]", "و{أكيد!}", "‘هكذا.’", "تم"]
        );
        // End marks after the closers join the run.
        assert_eq!(sentences("قال “لا!”. ثم"), ["قال “لا!”.", "ثم"]);
        // Closers right before more text still end the sentence.
        assert_eq!(sentences("انتهى.”وبدأ"), ["انتهى.”", "وبدأ"]);
    }

    #[test]
    fn closers_after_a_space_open_the_next_sentence() {
        assert_eq!(sentences("انتهى. ” ثم"), ["انتهى.", "” ثم"]);
        assert_eq!(sentences("انتهى ) ثم"), ["انتهى ) ثم"]);
    }

    #[test]
    fn periods_that_look_like_exceptions_but_are_not() {
        // A number followed by a period and a space ends the sentence.
        assert_eq!(sentences("عددهم 2. وقال"), ["عددهم 2.", "وقال"]);
        // An ordinary word is not an abbreviation.
        assert_eq!(
            sentences("قال الطبيب. أحمد حضر"),
            ["قال الطبيب.", "أحمد حضر"]
        );
        // A lower-case Latin letter alone is not an initial.
        assert_eq!(sentences("plan b. Then"), ["plan b.", "Then"]);
        // A domain's final period ends the sentence.
        assert_eq!(
            sentences("الموقع aljazeera.net. انتهى"),
            ["الموقع aljazeera.net.", "انتهى"]
        );
        // A list number that does not open the line is an ordinary number.
        assert_eq!(sentences("البند 1. التالي"), ["البند 1.", "التالي"]);
        // A dot without tatweel between letters is a typo for a sentence end.
        assert_eq!(sentences("منع.ه"), ["منع.", "ه"]);
    }

    #[test]
    fn straight_quotes_close_or_open_by_context() {
        assert_eq!(sentences("قال \"لا!\" ثم مضى"), ["قال \"لا!\"", "ثم مضى"]);
        assert_eq!(sentences("قال \"لا!\"ومضى"), ["قال \"لا!\"", "ومضى"]);
        assert_eq!(sentences("انتهى.\"لا\" قالها"), ["انتهى.", "\"لا\" قالها"]);
        assert_eq!(
            sentences("He said 'no.' Then left"),
            ["He said 'no.'", "Then left"]
        );
    }

    #[test]
    fn a_line_break_always_ends_a_sentence() {
        for separator in [
            "\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\n\n", "\r\n\r\n",
        ] {
            let text = format!("السطر الأول بلا علامة{separator}السطر الثاني");
            assert_eq!(
                sentences(&text),
                ["السطر الأول بلا علامة", "السطر الثاني"],
                "{separator:?}"
            );
        }
        assert_eq!(sentences("قال د.\nأحمد"), ["قال د.", "أحمد"]);
    }

    #[test]
    fn crlf_is_one_line_break() {
        let lines: Vec<_> = line_ranges("أ\r\nب\rج\n").collect();
        assert_eq!(lines, [0..2, 4..6, 7..9, 10..10]);
    }

    #[test]
    fn title_line_is_sentence_zero_and_splits_like_any_line() {
        let text = "حراك دبلوماسي في سوريا.. ما الجديد؟\nالنص.";
        assert_eq!(
            sentences(text),
            ["حراك دبلوماسي في سوريا..", "ما الجديد؟", "النص."]
        );
    }

    #[test]
    fn arabic_comma_semicolon_and_colons_never_end_a_sentence() {
        assert_eq!(
            sentences("أولاً، ثانياً؛ ثالثاً: رابعاً; خامساً"),
            ["أولاً، ثانياً؛ ثالثاً: رابعاً; خامساً"]
        );
    }

    #[test]
    fn a_comma_after_the_end_mark_continues_the_sentence() {
        assert_eq!(
            sentences("قال: “لماذا؟”، ثم صمت."),
            ["قال: “لماذا؟”، ثم صمت."]
        );
        assert_eq!(
            sentences("صاحوا: كفى! ، وتفرقوا"),
            ["صاحوا: كفى! ، وتفرقوا"]
        );
        assert_eq!(sentences("إلخ.، وغيرها"), ["إلخ.، وغيرها"]);
    }

    #[test]
    fn question_and_exclamation_before_a_letter_end_a_sentence() {
        assert_eq!(
            sentences("سيعود؟نعم!وأكد ذلك"),
            ["سيعود؟", "نعم!", "وأكد ذلك"]
        );
    }

    #[test]
    fn leading_end_marks_open_the_sentence() {
        assert_eq!(sentences("...وقال إنه سيعود."), ["...وقال إنه سيعود."]);
        assert_eq!(sentences("… وأضاف! نعم"), ["… وأضاف!", "نعم"]);
        assert_eq!(sentences("!!!"), ["!!!"]);
    }

    #[test]
    fn text_without_end_marks_is_one_sentence() {
        assert_eq!(sentences("  نص بلا علامات ترقيم  "), ["نص بلا علامات ترقيم"]);
    }

    #[test]
    fn empty_and_white_space_texts_have_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \t\n\r\n\u{A0}\u{2028} ").is_empty());
    }

    // ----- periods that do not end a sentence -----

    #[test]
    fn tatweel_dots_stay_inside_the_word() {
        let text = "ومنـ.ـعه من السقـ.ـوط عسكرياً. لن يتمكن من منـ.ـع سقوطه.";
        assert_eq!(
            sentences(text),
            ["ومنـ.ـعه من السقـ.ـوط عسكرياً.", "لن يتمكن من منـ.ـع سقوطه."]
        );
        assert_eq!(sentences("منـ.عه ومن.ـعه"), ["منـ.عه ومن.ـعه"]);
    }

    #[test]
    fn decimals_and_dates_do_not_split() {
        assert_eq!(
            sentences("نما 2.5 بالمئة في 17.07.2020 عند 10.30 صباحاً. ثم"),
            ["نما 2.5 بالمئة في 17.07.2020 عند 10.30 صباحاً.", "ثم"]
        );
        assert_eq!(
            sentences("قيمة ٢٫٥ و٣.٧٥ في ١٧.٠٧.٢٠٢٠ و۱.۵ ثم انتهى."),
            ["قيمة ٢٫٥ و٣.٧٥ في ١٧.٠٧.٢٠٢٠ و۱.۵ ثم انتهى."]
        );
        assert_eq!(
            sentences("القرار رقم 2254. وأضاف"),
            ["القرار رقم 2254.", "وأضاف"]
        );
        assert_eq!(sentences("عام ٢٠١١. وأضاف"), ["عام ٢٠١١.", "وأضاف"]);
    }

    #[test]
    fn arabic_abbreviations_do_not_split() {
        for abbreviation in [
            "د.", "أ.", "ا.", "م.", "ص.", "ج.", "هـ.", "ق.", "ت.", "مج.", "أ.د.", "ص.ب.",
        ] {
            let text = format!("قال {abbreviation} أحمد الحسن إنه سيحضر. ثم غادر");
            assert_eq!(
                sentences(&text),
                [
                    format!("قال {abbreviation} أحمد الحسن إنه سيحضر."),
                    "ثم غادر".to_owned()
                ],
                "{abbreviation}"
            );
        }
        assert_eq!(sentences("د.أحمد حضر"), ["د.أحمد حضر"]);
        assert_eq!(sentences("ع. الحسن وحده"), ["ع. الحسن وحده"]);
        // `إلخ.` is left out on purpose: it usually ends the sentence.
        assert_eq!(sentences("كتب وأقلام إلخ. ثم"), ["كتب وأقلام إلخ.", "ثم"]);
    }

    #[test]
    fn initialisms_do_not_split() {
        assert_eq!(
            sentences("نقلت وكالة أ.ف.ب عن مصدر. ثم"),
            ["نقلت وكالة أ.ف.ب عن مصدر.", "ثم"]
        );
        assert_eq!(
            sentences("قالت و.م.ع. إن الوفد وصل"),
            ["قالت و.م.ع. إن الوفد وصل"]
        );
        assert_eq!(sentences("عام 500 ق.م وبعدها"), ["عام 500 ق.م وبعدها"]);
        assert_eq!(sentences("ص.ب 1234 عمان"), ["ص.ب 1234 عمان"]);
        assert_eq!(sentences("the U.N. said"), ["the U.N. said"]);
    }

    #[test]
    fn asides_in_brackets_do_not_split() {
        assert_eq!(
            sentences("قال إن الانتخابات نزيهة (!) وأضاف (؟!) ثم [!] مضى."),
            ["قال إن الانتخابات نزيهة (!) وأضاف (؟!) ثم [!] مضى."]
        );
        assert_eq!(sentences("قال (نعم!) ثم مضى"), ["قال (نعم!)", "ثم مضى"]);
    }

    #[test]
    fn latin_abbreviations_and_initials_do_not_split() {
        let text = "President George W. Bush met Mr. Smith and Dr. Jones in the U.S. on Monday. \
                    He said e.g. this, i.e. that. Then left.";
        assert_eq!(
            sentences(text),
            [
                "President George W. Bush met Mr. Smith and Dr. Jones in the U.S. on Monday.",
                "He said e.g. this, i.e. that.",
                "Then left."
            ]
        );
        assert_eq!(
            sentences("التقى جورج دبليو. بوش"),
            ["التقى جورج دبليو.", "بوش"]
        );
    }

    #[test]
    fn meem_after_a_year_ends_the_sentence() {
        assert_eq!(
            sentences("ولد عام 2011 م. ثم انتقل"),
            ["ولد عام 2011 م.", "ثم انتقل"]
        );
        assert_eq!(
            sentences("ولد عام 2011م. ثم انتقل"),
            ["ولد عام 2011م.", "ثم انتقل"]
        );
        assert_eq!(sentences("في 1442 هـ. وبعدها"), ["في 1442 هـ.", "وبعدها"]);
        assert_eq!(sentences("عام 500 ق.م. وبعدها"), ["عام 500 ق.م.", "وبعدها"]);
        assert_eq!(sentences("في 2011/2012 م. ثم"), ["في 2011/2012 م.", "ثم"]);
        assert_eq!(sentences("الساعة 10:30 ص. ثم"), ["الساعة 10:30 ص.", "ثم"]);
        // Currencies after an amount behave the same way.
        assert_eq!(sentences("بلغ 50 د.ك. وقال"), ["بلغ 50 د.ك.", "وقال"]);
        assert_eq!(sentences("بالـ د.ك. وحده"), ["بالـ د.ك. وحده"]);
    }

    #[test]
    fn meem_before_a_name_is_an_abbreviation() {
        assert_eq!(
            sentences("وقال م. أحمد إن المشروع انتهى."),
            ["وقال م. أحمد إن المشروع انتهى."]
        );
        assert_eq!(sentences("م. أحمد حضر"), ["م. أحمد حضر"]);
    }

    #[test]
    fn an_era_marker_followed_by_the_other_calendar_does_not_split() {
        assert_eq!(
            sentences("سنة 1442 هـ. الموافق 2021 م. وقال"),
            ["سنة 1442 هـ. الموافق 2021 م.", "وقال"]
        );
    }

    #[test]
    fn a_period_between_arabic_letters_is_a_typo_for_a_sentence_end() {
        assert_eq!(sentences("زار الأسد.وقال إنه"), ["زار الأسد.", "وقال إنه"]);
        assert_eq!(sentences("عام 2011.وقال"), ["عام 2011.", "وقال"]);
    }

    #[test]
    fn urls_emails_and_domains_do_not_split() {
        let text = "زوروا www.example.com/a.b?x=1 أو https://t.co/x.y!z اليوم. \
                    راسلونا على info@example.org وتابعوا aljazeera.net. انتهى";
        assert_eq!(
            sentences(text),
            [
                "زوروا www.example.com/a.b?x=1 أو https://t.co/x.y!z اليوم.",
                "راسلونا على info@example.org وتابعوا aljazeera.net.",
                "انتهى"
            ]
        );
        assert_eq!(
            sentences("المصدر: http://example.com/?q=1. ثم"),
            ["المصدر: http://example.com/?q=1.", "ثم"]
        );
    }

    #[test]
    fn a_latin_dot_before_a_letter_is_not_an_end() {
        assert_eq!(
            sentences("موقع bbc.co.uk ونسخة v2.x منه"),
            ["موقع bbc.co.uk ونسخة v2.x منه"]
        );
    }

    #[test]
    fn numbered_list_items_keep_their_number() {
        assert_eq!(
            sentences("1. البند الأول\n2. البند الثاني. شرح"),
            ["1. البند الأول", "2. البند الثاني.", "شرح"]
        );
    }

    // ----- offsets -----

    #[test]
    fn offsets_count_code_points_and_bytes() {
        let text = "  أَهلاً! 😀 Hi.\r\nثم";
        let spans = split_sentences(text, rules());
        assert_spans_tile(text, &spans);
        assert_eq!(spans.len(), 3);
        assert_eq!((spans[0].start, spans[0].end), (2, 9));
        assert_eq!((spans[0].start_byte, spans[0].end_byte), (2, 15));
        assert_eq!(spans[1].text(text), Some("😀 Hi."));
        assert_eq!((spans[1].start, spans[1].end), (10, 15));
        assert_eq!((spans[1].start_byte, spans[1].end_byte), (16, 24));
        assert_eq!(spans[2].text(text), Some("ثم"));
        assert_eq!((spans[2].start, spans[2].end), (17, 19));
        assert_eq!(spans[2].char_len(), 2);
    }

    // ----- the seeds -----

    #[test]
    fn seed_000_sentences() {
        let found = sentences(SEED_000);
        assert_eq!(found.len(), 23);
        assert!(found[0].ends_with("بشأن بشار الأسد!"));
        assert_eq!(found[0], found[1]);
        assert_eq!(found[2], "طيف بوست – فريق التحرير");
        assert_eq!(
            found[12],
            "اقرأ أيضاً: هل ينجح بشار الأسد بالبقاء على رأس السلطة مجدداً.."
        );
        assert_eq!(found[13], "خمس نقاط أساسية تحدد مصيره ومستقبله!");
        assert!(found[14].contains("” ستيفانو ستيفانيله”، على هامش"));
        assert!(found[17].starts_with(
            "وذكر آنذاك أن من تمكن من تأمين الحماية لنظام الأسد ومنـ.ـعه من السقـ.ـوط"
        ));
        assert!(found[17].ends_with("لن يتمكن من منـ.ـع سقوطه اقتصادياً وأمنياً في الفترة القادمة."));
        assert!(found[18].contains("رقم 2254 المتعلق"));
        assert_eq!(found[20], "هذه تفاصيلها..!");
        assert!(found[22].ends_with("بـ”بشار الأسد” ونظامه."));
    }

    #[test]
    fn seed_001_sentences() {
        let found = sentences(SEED_001);
        assert_eq!(found.len(), 25);
        assert_eq!(
            found[0],
            "روسيا تبدي استعدادها للتعاون مع المعارضة لترسيخ الهدوء في إدلب!!"
        );
        assert_eq!(found[1], "0 701");
        assert_eq!(
            found[7],
            "اقرأ أيضاً: إدارة بايدن تحدد أخيراً رؤيتها للحل في سورية!!"
        );
        assert_eq!(found[12], "موقف المعارضة السورية من الدعوة الروسية");
        assert!(found[15].ends_with("كانت فكرة روسية”."));
        assert_eq!(
            found[21..],
            [
                "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.",
                "سنفترض أنك موافق على ذلك ، ولكن يمكنك إلغاء الاشتراك إذا كنت ترغب في ذلك.",
                "قبول قراءة المزيد",
                "سياسة الخصوصية وملفات تعريف الارتباط",
            ]
        );
    }

    #[test]
    fn seed_002_sentences() {
        let found = sentences(SEED_002);
        assert_eq!(found.len(), 17);
        // The title's trailing no-break space is trimmed.
        assert_eq!(
            found[0],
            "بوتين يلتقي بشار الأسد ويجري اتصالات مع عدد من زعماء الدول العربية"
        );
        assert_eq!(found[1], "عواصم ـ وكالات");
        assert!(
            found[5].contains("مارس/آذار 2011، حيث كان زار في 20 أكتوبر/تشرين الأول 2015 موسكو")
        );
        assert!(found[12].contains("يومي 22 و 23 نوفمبر/تشرين الثاني الحالي."));
        assert_eq!(found[15..], ["مقالات ذات صلة", "زر الذهاب إلى الأعلى"]);
    }

    #[test]
    fn seed_003_sentences() {
        let found = sentences(SEED_003);
        assert_eq!(found.len(), 16);
        assert!(found[2].contains("رقم 2118 و2254، إضافةً"));
        assert!(found[3].ends_with("ومكافحة الإرهاب”."));
        assert_eq!(
            found[11..],
            [
                "مقالات ذات صلة",
                "اترك تعليقاً",
                "لن يتم نشر عنوان بريدك الإلكتروني.",
                "الحقول الإلزامية مشار إليها بـ *",
                "زر الذهاب إلى الأعلى",
            ]
        );
    }

    #[test]
    fn seed_004_sentences() {
        let found = sentences(SEED_004);
        assert_eq!(found.len(), 31);
        assert_eq!(
            found[..5],
            [
                "حراك دبلوماسي روسي مكثف للدفع بعملية التسوية السياسية في سوريا..",
                "ما الجديد؟",
                "حراك دبلوماسي روسي مكثف بشأن سوريا ..",
                "ما الجديد..؟",
                "طيف بوست – فريق التحرير",
            ]
        );
        assert!(
            found[7]
                .contains("اليوم الجمعة 17 تموز/ يوليو، قالت فيه، إن “فيرشينين” و”بيدرسون” ناقشا")
        );
        assert_eq!(found[11], "مباحثات روسية أمريكية حول الحل في سوريا");
        assert_eq!(
            found[17],
            "اقرأ أيضاً: تدريبات عسكرية روسية مفاجئة بأمر من “بوتين”.."
        );
        assert_eq!(
            found[18],
            "والخارجية الروسية تتحدث عن توافق مع تركيا حول مستقبل سوريا"
        );
        assert_eq!(
            found[26],
            "اقرأ أيضاً: مسيرة مجهولة تستهدف اجتماعاً لقيادات روسية.."
        );
        assert_eq!(found[27], "وتركيا تراقب الوضع في إدلب عبر “Karagöz GAG”..!");
    }

    // ----- size and robustness -----

    #[test]
    fn a_five_megabyte_line_without_punctuation_is_cut_at_spaces() {
        let text = "كلمة ".repeat(600_000);
        assert!(text.len() >= 5_000_000);
        let spans = split_sentences(&text, rules());
        assert_spans_tile(&text, &spans);
        assert_eq!(spans.len(), 300, "3,000,000 characters in pieces of 10,000");
        assert!(spans.iter().all(|s| s.char_len() <= MAX_SENTENCE_CHARS));
        assert_eq!(spans[0].start, 0);
        assert_eq!(spans[299].end_byte, text.trim_end().len());
    }

    #[test]
    fn an_overlong_sentence_without_spaces_is_cut_between_graphemes() {
        // Letters each carrying a shadda: a cut must never separate a mark from its letter.
        let text = "بّ".repeat(MAX_SENTENCE_CHARS);
        let spans = split_sentences(&text, rules());
        assert_spans_tile(&text, &spans);
        assert_eq!(spans.len(), 2);
        assert!(spans.iter().all(|s| s.char_len() <= MAX_SENTENCE_CHARS));
        assert!(spans[1].text(&text).unwrap().starts_with('ب'));
        // One grapheme longer than the limit stays whole.
        let flood = format!("ب{}", "\u{0651}".repeat(MAX_SENTENCE_CHARS + 5));
        let spans = split_sentences(&flood, rules());
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].char_len(), MAX_SENTENCE_CHARS + 6);
    }

    /// Strings made of the pieces segmentation cares about.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "ا",
            "ل",
            "م",
            "د",
            "ه",
            "ب",
            "ق",
            "ـ",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\r",
            "\u{2028}",
            "\u{A0}",
            "\t",
            ".",
            "..",
            "!",
            "؟",
            "?",
            "…",
            "\"",
            "'",
            "”",
            "»",
            ")",
            "(",
            "،",
            ":",
            "1",
            "2011",
            "٢",
            "٫",
            "W",
            "w",
            "x",
            "/",
            "\u{064B}",
            "\u{200B}",
            "😀",
            "د.",
            "م.",
            "هـ.",
            "ق.م.",
            "U.S.",
            "e.g.",
            "www.a.b",
            "http://a.b?c!d",
            "a@b.c",
            "الموافق",
            "منـ.ـعه",
            "2.5",
            "١٧.٠٧.٢٠٢٠",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn spans_tile_arbitrary_text(text in any::<String>()) {
            assert_spans_tile(&text, &split_sentences(&text, rules()));
        }

        #[test]
        fn spans_tile_tricky_text(text in tricky_text()) {
            assert_spans_tile(&text, &split_sentences(&text, rules()));
        }
    }
}
