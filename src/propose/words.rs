//! A sentence as words: each word's letters (its *core*, without the punctuation around it)
//! as a code-point range of the sentence, its folded form, and the punctuation that leads and
//! trails it.

use std::ops::Range;

use crate::corpus::normalize::{fold, is_arabic_mark};

/// One white-space separated word of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Code points of the core (letters, digits and marks), in the sentence.
    pub core: Range<usize>,
    /// Code points of the whole token, punctuation included.
    pub token: Range<usize>,
    /// The core, folded.
    pub folded: String,
    /// The folded core without an attached conjunction و/ف when the rest is still a word of
    /// three letters or more ("وقال" → "قال", "ولد" stays). Words of the root و ("وزير")
    /// lose their first letter too: compare with [`Word::is_in`], which tries both forms.
    pub bare: String,
    /// Punctuation before the core ("“", "«", "(").
    pub lead: String,
    /// Punctuation after the core ("،", ":", "”.").
    pub trail: String,
    /// The core ends in the accusative tanween ("مسبقاً", "أيضاً"): an adverb or an object,
    /// never a subject.
    pub accusative: bool,
}

impl Word {
    /// True when the folded word, or the word without an attached و/ف ("وأن", "فإن"), is in
    /// `list`.
    pub fn is_in(&self, list: &std::collections::HashSet<String>) -> bool {
        if list.contains(&self.folded) {
            return true;
        }
        let conjunction = ['و', 'ف'].into_iter().any(|conjunction| {
            self.folded
                .strip_prefix(conjunction)
                .is_some_and(|rest| rest.chars().count() >= 2 && list.contains(rest))
        });
        // "لمجلس", "بوزير": a preposition attached to a listed noun.
        let preposition = ['ل', 'ب', 'ك'].into_iter().any(|preposition| {
            self.folded
                .strip_prefix(preposition)
                .is_some_and(|rest| rest.chars().count() >= 3 && list.contains(rest))
        });
        conjunction || preposition
    }

    /// True when the word opens a quotation.
    pub fn opens_quote(&self) -> bool {
        self.lead.chars().any(is_opening_quote)
    }

    /// True when the word closes a quotation.
    pub fn closes_quote(&self) -> bool {
        self.trail.chars().any(is_closing_quote)
    }

    /// True when a clause ends after the word: a comma, colon, semicolon or full stop (not
    /// the dot of an abbreviation such as "د.").
    pub fn ends_clause(&self) -> bool {
        let abbreviation = self.folded.chars().count() == 1 && self.trail == ".";
        !abbreviation
            && self
                .trail
                .chars()
                .any(|c| matches!(c, '،' | ',' | ':' | '؛' | ';' | '.' | '!' | '?' | '؟' | '…'))
    }

    /// True for a dateline token such as "حمص-شانا" or a lone dash: the place and agency
    /// before the first sentence of a wire story, not part of any phrase.
    pub fn is_dateline(&self) -> bool {
        let dash = |c: char| matches!(c, '-' | '–' | '—' | 'ـ');
        self.folded.chars().any(dash) || self.trail.chars().any(dash)
    }

    /// True when a colon follows the word.
    pub fn has_colon(&self) -> bool {
        self.trail.contains(':')
    }

    /// True when a comma follows the word.
    pub fn has_comma(&self) -> bool {
        self.trail.chars().any(|c| matches!(c, '،' | ','))
    }

    /// The bare form without the article or a preposition fused with it (ال, لل, بال, وال,
    /// فال, كال), or `None` when it has none.
    pub fn without_article(&self) -> Option<&str> {
        // A preposition or conjunction before the article needs a longer rest: "كالاس" and
        // "فالح" are names.
        for (prefix, rest_letters) in [
            ("وال", 3),
            ("فال", 3),
            ("بال", 3),
            ("كال", 3),
            ("لل", 2),
            ("ال", 2),
        ] {
            if let Some(rest) = self.folded.strip_prefix(prefix)
                && rest.chars().count() >= rest_letters
            {
                return Some(rest);
            }
        }
        None
    }
}

/// Opening quotation marks (and the opening bracket, which encloses names the same way).
pub fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '«' | '"' | '„' | '‘' | '\'' | '‹')
}

/// Closing quotation marks.
pub fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '»' | '"' | '’' | '\'' | '›')
}

/// True for characters that belong to a word's core.
fn is_core(c: char) -> bool {
    c.is_alphanumeric() || is_arabic_mark(c) || c == '\u{0640}'
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut position = 0;
    while position < chars.len() {
        while position < chars.len() && chars[position].is_whitespace() {
            position += 1;
        }
        let start = position;
        while position < chars.len() && !chars[position].is_whitespace() {
            position += 1;
        }
        if start == position {
            break;
        }
        match word(&chars, start..position) {
            Some(word) => out.push(word),
            // A lone "-" or "،" belongs to the word before it.
            None => {
                if let Some(previous) = out.last_mut() {
                    previous.trail.extend(&chars[start..position]);
                }
            }
        }
    }
    out
}

fn word(chars: &[char], token: Range<usize>) -> Option<Word> {
    let slice = &chars[token.clone()];
    let first = slice.iter().position(|&c| is_core(c))?;
    let last = slice.iter().rposition(|&c| is_core(c))?;
    let core = token.start + first..token.start + last + 1;
    let core_text: String = chars[core.clone()].iter().collect();
    let folded = fold(&core_text);
    let bare = strip_conjunction(&folded).to_owned();
    Some(Word {
        core,
        token: token.clone(),
        folded,
        bare,
        lead: slice[..first].iter().collect(),
        trail: slice[last + 1..].iter().collect(),
        accusative: core_text.ends_with('\u{064B}') || core_text.ends_with("\u{064B}ا"),
    })
}

/// `folded` without a leading و/ف when at least three letters remain.
pub fn strip_conjunction(folded: &str) -> &str {
    for conjunction in ['و', 'ف'] {
        if let Some(rest) = folded.strip_prefix(conjunction)
            && rest.chars().count() >= 3
        {
            return rest;
        }
    }
    folded
}

/// The text of code points `range` of `text`.
pub fn slice(text: &str, range: Range<usize>) -> String {
    text.chars()
        .skip(range.start)
        .take(range.end.saturating_sub(range.start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_punctuation_apart() {
        let found = words("وقال “الحريري”: إن روسيا،");
        let cores: Vec<String> = found
            .iter()
            .map(|w| slice("وقال “الحريري”: إن روسيا،", w.core.clone()))
            .collect();
        assert_eq!(cores, ["وقال", "الحريري", "إن", "روسيا"]);
        assert_eq!(found[0].bare, "قال");
        assert!(found[1].opens_quote() && found[1].closes_quote() && found[1].has_colon());
        assert_eq!(found[2].folded, "ان");
        assert!(found[3].has_comma());
    }

    #[test]
    fn short_words_keep_their_first_letter() {
        assert_eq!(strip_conjunction("ولد"), "ولد");
        let list = std::collections::HashSet::from(["ان".to_owned(), "وزير".to_owned()]);
        assert!(words("وأن وزير")[0].is_in(&list) && words("وأن وزير")[1].is_in(&list));
        assert_eq!(strip_conjunction("فقد"), "فقد");
    }
}
