//! The segmentation rules: `schema/segmentation.toml` (or a user's replacement) read,
//! checked and turned into the look-up tables the scanner uses.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use crate::corpus::normalize::fold;
use crate::data_files::{self, DataFile, DataFileError};

/// Where the built-in segmentation data lives, relative to the repository root; used to
/// name the file in errors.
pub const SEGMENTATION_FILE: &str = DataFile::Segmentation.builtin_path();

/// The built-in segmentation data, embedded at compile time.
pub(super) const BUILTIN_SEGMENTATION: &str = DataFile::Segmentation.builtin_text();

/// The data-file version this code understands.
const SUPPORTED_VERSION: u32 = 1;

/// Longest token (in characters) looked at around a period when deciding whether it is an
/// abbreviation, a number or an era marker. Longer tokens are never abbreviations; the cap
/// keeps segmentation linear on pathological input.
pub const MAX_TOKEN_CHARS: usize = 32;

/// What is wrong in a well-formed rules file (`schema/segmentation.toml`,
/// `schema/boilerplate.toml`, or a user's replacement): the key or rule at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}`: {message}")]
pub struct RuleProblem {
    pub key: String,
    pub message: String,
}

/// A rules file that cannot be used: unreadable, not TOML of the right shape, or a
/// [`RuleProblem`]. Every message names the file.
pub type RulesError = DataFileError<RuleProblem>;

/// The error for an unusable value at `key` of `file`.
pub(crate) fn rule_error(
    file: &str,
    key: impl Into<String>,
    message: impl Into<String>,
) -> RulesError {
    DataFileError::invalid(
        file,
        RuleProblem {
            key: key.into(),
            message: message.into(),
        },
    )
}

/// Sentence segmentation rules, parsed and checked from `schema/segmentation.toml` (see
/// that file for what each part means and why).
#[derive(Debug)]
pub struct SegmentationRules {
    pub(super) end_marks: CharSet,
    pub(super) periods: CharSet,
    pub(super) closers: CharSet,
    pub(super) ambiguous_quotes: Vec<char>,
    pub(super) continuation: CharSet,
    pub(super) asides: CharSet,
    pub(super) tatweel: CharSet,
    /// Folded abbreviations, each ending in a period.
    pub(super) abbreviations: HashSet<String>,
    /// Every folded abbreviation cut after each of its periods (`ق.` and `ق.م.` for `ق.م.`):
    /// what may stand before a period that is directly followed by a letter.
    pub(super) abbreviation_prefixes: HashSet<String>,
    /// Folded era and time markers that end a sentence after a number.
    pub(super) after_number: HashSet<String>,
    pub(super) after_number_continuations: Vec<String>,
    pub(super) single_latin_capital: bool,
    pub(super) single_arabic_letter: bool,
    pub(super) line_start_enumerators: bool,
    pub(super) enumerator_max_digits: usize,
    protected: Vec<ProtectedPattern>,
}

/// A small set of characters (the mark lists are short): a sorted vector, which is looked
/// up faster than a hash set on the per-character hot path.
#[derive(Debug, Default)]
pub(super) struct CharSet {
    sorted: Vec<char>,
}

impl CharSet {
    pub(super) fn contains(&self, c: &char) -> bool {
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
        let (source, file) = data_files::read(path)?;
        Self::from_toml_named(&source, &file)
    }

    /// Parses rules from TOML text; errors name `file`.
    pub fn from_toml_named(source: &str, file: &str) -> Result<SegmentationRules, RulesError> {
        let data: SegmentationFile = data_files::parse(DataFile::Segmentation, source, file)?;
        if data.version != SUPPORTED_VERSION {
            return Err(rule_error(
                file,
                "version",
                format!(
                    "version {} is not supported (expected {SUPPORTED_VERSION})",
                    data.version
                ),
            ));
        }
        let marks = check_marks(file, &data.marks)?;
        let abbreviations = check_abbreviations(file, &data, &marks.periods)?;
        if data.enumerators.max_digits == 0 || data.enumerators.max_digits > MAX_TOKEN_CHARS {
            return Err(rule_error(
                file,
                "enumerators.max_digits",
                format!("must be between 1 and {MAX_TOKEN_CHARS}"),
            ));
        }
        let protected = check_protected(file, &data.protected)?;

        Ok(SegmentationRules {
            end_marks: marks.end_marks,
            periods: marks.periods,
            closers: marks.closers,
            ambiguous_quotes: marks.ambiguous_quotes,
            continuation: marks.continuation,
            asides: marks.asides,
            tatweel: marks.tatweel,
            abbreviations: abbreviations.all,
            abbreviation_prefixes: abbreviations.prefixes,
            after_number: abbreviations.after_number,
            after_number_continuations: abbreviations.after_number_continuations,
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
    pub(super) fn protected_ranges(&self, line: &str) -> Vec<Range<usize>> {
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

    pub(super) fn quote_index(&self, c: char) -> Option<usize> {
        self.ambiguous_quotes.iter().position(|&quote| quote == c)
    }
}

/// The `[marks]` table, checked: every entry one character, periods among the end marks,
/// closers and continuation marks not end marks, ambiguous quotes among the closers.
struct CheckedMarks {
    end_marks: CharSet,
    periods: CharSet,
    closers: CharSet,
    ambiguous_quotes: Vec<char>,
    continuation: CharSet,
    asides: CharSet,
    tatweel: CharSet,
}

fn check_marks(file: &str, marks: &MarksTable) -> Result<CheckedMarks, RulesError> {
    let end_marks: CharSet = single_chars(file, "marks.end", &marks.end)?
        .into_iter()
        .collect();
    let periods: CharSet = single_chars(file, "marks.periods", &marks.periods)?
        .into_iter()
        .collect();
    for (index, period) in marks.periods.iter().enumerate() {
        if !marks.end.contains(period) {
            return Err(rule_error(
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
        return Err(rule_error(
            file,
            format!("marks.closers[{index}]"),
            "a closer cannot also be an end mark",
        ));
    }
    let ambiguous_quotes = single_chars(file, "marks.ambiguous_quotes", &marks.ambiguous_quotes)?;
    for (index, quote) in ambiguous_quotes.iter().enumerate() {
        if !closers.contains(quote) {
            return Err(rule_error(
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
        return Err(rule_error(
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
    Ok(CheckedMarks {
        end_marks,
        periods,
        closers,
        ambiguous_quotes,
        continuation,
        asides,
        tatweel,
    })
}

/// The folded abbreviations of every list, the era markers, their continuations, and the
/// prefixes of every abbreviation up to each of its periods.
struct CheckedAbbreviations {
    all: HashSet<String>,
    prefixes: HashSet<String>,
    after_number: HashSet<String>,
    after_number_continuations: Vec<String>,
}

fn check_abbreviations(
    file: &str,
    data: &SegmentationFile,
    periods: &CharSet,
) -> Result<CheckedAbbreviations, RulesError> {
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
                periods,
            )?);
        }
    }
    let mut after_number = HashSet::new();
    for (index, entry) in data.after_number.abbreviations.iter().enumerate() {
        after_number.insert(folded_abbreviation(
            file,
            &format!("after_number.abbreviations[{index}]"),
            entry,
            periods,
        )?);
    }
    let mut after_number_continuations = Vec::new();
    for (index, entry) in data.after_number.continuations.iter().enumerate() {
        let folded = fold(entry);
        if folded.is_empty() {
            return Err(rule_error(
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
    Ok(CheckedAbbreviations {
        all: abbreviations,
        prefixes: abbreviation_prefixes,
        after_number,
        after_number_continuations,
    })
}

/// The protected patterns: ids non-empty and unique, descriptions given, regexes valid.
fn check_protected(
    file: &str,
    tables: &[ProtectedTable],
) -> Result<Vec<ProtectedPattern>, RulesError> {
    let mut protected = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let key = format!("protected[{index}] (id `{}`)", table.id);
        if table.id.trim().is_empty() {
            return Err(rule_error(
                file,
                format!("protected[{index}].id"),
                "is empty",
            ));
        }
        if table.description.trim().is_empty() {
            return Err(rule_error(file, format!("{key}.description"), "is empty"));
        }
        if tables[..index].iter().any(|other| other.id == table.id) {
            return Err(rule_error(
                file,
                format!("{key}.id"),
                "is used by an earlier pattern",
            ));
        }
        let regex = Regex::new(&table.pattern).map_err(|error| {
            rule_error(
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
    Ok(protected)
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
                _ => Err(rule_error(
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
        return Err(rule_error(
            file,
            key,
            format!("`{entry}` must end with one of `marks.periods`"),
        ));
    }
    if folded.chars().count() > MAX_TOKEN_CHARS {
        return Err(rule_error(
            file,
            key,
            format!("`{entry}` is longer than {MAX_TOKEN_CHARS} characters"),
        ));
    }
    if folded.chars().any(char::is_whitespace) {
        return Err(rule_error(
            file,
            key,
            format!("`{entry}` must not contain white space"),
        ));
    }
    Ok(folded)
}
