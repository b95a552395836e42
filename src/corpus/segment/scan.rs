//! The line scanner: where, inside one line, the rules end a sentence.

use std::ops::Range;

use crate::corpus::normalize::{fold, is_arabic_mark, is_invisible_for_matching};

use super::rules::{CharSet, MAX_TOKEN_CHARS, SegmentationRules};

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
pub(super) struct LineScanner<'r, 'l> {
    rules: &'r SegmentationRules,
    line: &'l str,
    protected: Vec<Range<usize>>,
    /// Byte offset of the line's first non-white-space character.
    first_content: usize,
}

impl<'r, 'l> LineScanner<'r, 'l> {
    pub(super) fn new(rules: &'r SegmentationRules, line: &'l str) -> Self {
        LineScanner {
            rules,
            line,
            protected: rules.protected_ranges(line),
            first_content: skip_white_space(line, 0),
        }
    }

    /// Appends the untrimmed sentence ranges of the line (byte offsets into the line).
    pub(super) fn split(&self, pieces: &mut Vec<Range<usize>>) {
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
