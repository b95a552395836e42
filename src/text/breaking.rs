//! Line-break opportunities (UAX #14 via `unicode-linebreak`), in code-point indices.
//!
//! Lines are broken in *logical* order at these opportunities, before any reordering
//! (UAX #9 reorders each visual line separately).

/// What may happen between character `i - 1` and character `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakBefore {
    /// No break allowed here.
    Never,
    /// A line may end here.
    Allowed,
    /// A line must end here (after a hard line break character).
    Mandatory,
}

/// Break opportunities for `text`: entry `i` says whether a line may start at character `i`
/// (`result.len() == chars + 1`; entry 0 and the end are `Never`, the end of the text is
/// always a line end anyway). Breaks are only reported at grapheme boundaries, given by
/// `grapheme_start` (one flag per character).
pub fn break_opportunities(text: &str, grapheme_start: &[bool]) -> Vec<BreakBefore> {
    let char_count = grapheme_start.len();
    let mut result = vec![BreakBefore::Never; char_count + 1];
    if text.is_empty() {
        return result;
    }
    // Byte offset → char index for the break positions.
    let mut char_of_byte = vec![usize::MAX; text.len() + 1];
    for (i, (b, _)) in text.char_indices().enumerate() {
        char_of_byte[b] = i;
    }
    char_of_byte[text.len()] = char_count;
    for (byte, opportunity) in unicode_linebreak::linebreaks(text) {
        let Some(&i) = char_of_byte.get(byte) else {
            continue;
        };
        if i == 0 || i >= char_count || !grapheme_start.get(i).copied().unwrap_or(false) {
            continue;
        }
        result[i] = match opportunity {
            unicode_linebreak::BreakOpportunity::Mandatory => BreakBefore::Mandatory,
            unicode_linebreak::BreakOpportunity::Allowed => BreakBefore::Allowed,
        };
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opportunities(text: &str) -> Vec<usize> {
        let n = text.chars().count();
        break_opportunities(text, &vec![true; n])
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != BreakBefore::Never)
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn breaks_after_spaces() {
        assert_eq!(opportunities("القرار رقم 2254"), vec![7, 11]);
        assert_eq!(opportunities("abc def"), vec![4]);
    }

    #[test]
    fn no_break_inside_numbers_or_before_closing_punctuation() {
        assert_eq!(opportunities("2254."), Vec::<usize>::new());
        assert_eq!(opportunities("(abc)"), Vec::<usize>::new());
    }

    #[test]
    fn hard_breaks_are_mandatory() {
        let n = "a\u{2028}b".chars().count();
        let b = break_opportunities("a\u{2028}b", &vec![true; n]);
        assert_eq!(b[2], BreakBefore::Mandatory);
    }
}
