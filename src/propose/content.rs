//! The claim content of a cue: from أن/إن/بأن, after a colon, or inside quotes, to the end of
//! the reported clause.

use std::ops::Range;

use super::lexicon::Lexicon;
use super::words::Word;

/// How far after the speaker the content may begin, in words, before the proposer gives up
/// looking for a complementizer, a colon or a quotation and takes what follows.
const MAX_GAP_WORDS: usize = 8;

/// The content after word index `from` (the first word after the speaker phrase or the cue),
/// in code points of the sentence.
pub fn content_after(words: &[Word], from: usize, lexicon: &Lexicon) -> Option<Range<usize>> {
    let first = words.get(from)?;
    for index in from..words.len().min(from + MAX_GAP_WORDS) {
        let w = &words[index];
        if w.opens_quote() {
            return Some(quoted(words, index, lexicon));
        }
        if w.is_in(&lexicon.complementizers) {
            return Some(w.core.start..clause_end(words, index, lexicon));
        }
        if index > from && words[index - 1].has_colon() {
            return Some(w.core.start..clause_end(words, index, lexicon));
        }
        if w.has_colon() && index + 1 >= words.len() {
            return None;
        }
    }
    Some(first.core.start..clause_end(words, from, lexicon))
}

/// The content before a source marker at word `marker` ("قُتل خمسة مدنيين، بحسب المرصد"):
/// from the start of the sentence (after a conjunction) to the word before the marker.
pub fn content_before(words: &[Word], marker: usize) -> Option<Range<usize>> {
    let last = words.get(marker.checked_sub(1)?)?;
    let first = words.first()?;
    Some(first.core.start..last.core.end)
}

/// The quotation that opens at word `open`: up to the word that closes it (or the clause end
/// when it never closes).
fn quoted(words: &[Word], open: usize, lexicon: &Lexicon) -> Range<usize> {
    let start = words[open].core.start;
    match (open..words.len()).find(|&i| words[i].closes_quote()) {
        Some(close) => start..words[close].core.end,
        None => start..clause_end(words, open, lexicon),
    }
}

/// Where the reported clause that starts at word `from` ends: at the end of the sentence's
/// last word, or before a trailing attribution after a comma ("، وفق ما نقلته…", "، على حد
/// تعبيره").
fn clause_end(words: &[Word], from: usize, lexicon: &Lexicon) -> usize {
    for index in from + 1..words.len() {
        if words[index - 1].has_comma() && starts_tail(words, index, lexicon) {
            return words[index - 1].core.end;
        }
    }
    words.last().map_or(0, |w| w.core.end)
}

/// True when a listed tail ("على حد تعبيره") starts at word `index`.
fn starts_tail(words: &[Word], index: usize, lexicon: &Lexicon) -> bool {
    lexicon.content_tails.iter().any(|tail| {
        tail.iter().enumerate().all(|(offset, part)| {
            words.get(index + offset).is_some_and(|w| {
                &w.folded == part
                    || (offset == 0 && super::words::strip_conjunction(&w.folded) == part)
            })
        })
    })
}
