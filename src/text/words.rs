//! Word snapping for selections, and clitic boundaries inside Arabic words.
//!
//! Words are Unicode word-boundary segments (UAX #29) that contain a letter or digit, so
//! punctuation attached to an Arabic word (“ ” « » ، . ! ؟ :) is never part of it, while
//! harakat and tatweel are. Inside a word, every code point is a caret stop; the
//! [`clitic_boundaries`] are the linguistically useful ones after proclitics (و ف ب ك ل,
//! the article ال and their combinations وال بال لل …). All offsets are code-point indices.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Word-boundary segments of `text` as code-point ranges, with whether each is a word.
pub fn segments(text: &str) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut chars_before = 0;
    for segment in text.split_word_bounds() {
        let len = segment.chars().count();
        let is_word = segment.chars().any(char::is_alphanumeric);
        out.push((chars_before..chars_before + len, is_word));
        chars_before += len;
    }
    out
}

/// The word containing character `offset`, if that character belongs to a word.
pub fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    segments(text)
        .into_iter()
        .find(|(r, is_word)| *is_word && r.contains(&offset))
        .map(|(r, _)| r)
}

/// Grows `range` to whole words (a range end inside a word moves to the word's edge) and
/// trims whitespace from both ends. An empty range becomes the word at its position (or
/// stays empty between words).
pub fn snap_to_words(text: &str, range: Range<usize>) -> Range<usize> {
    let segs = segments(text);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let (mut start, mut end) = (range.start.min(n), range.end.min(n));
    if start > end {
        std::mem::swap(&mut start, &mut end);
    }
    if start == end {
        return word_at(text, start).unwrap_or(start..end);
    }
    if let Some((r, true)) = segs.iter().find(|(r, _)| r.contains(&start)) {
        start = r.start;
    }
    if let Some((r, true)) = segs.iter().find(|(r, _)| r.contains(&(end - 1))) {
        end = r.end;
    }
    let (mut s, mut e) = (start, end);
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if s < e { s..e } else { start..end }
}

/// Arabic combining marks (harakat, tanween, shadda, sukun, dagger alef …) and tatweel,
/// which never decide a clitic.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// Candidate caret stops after proclitics in the word `word` of `text`: after a leading
/// و/ف, after a preposition ب/ك/ل, after the article ال (or the ل of لل). Each stop leaves
/// at least two letters of stem. The caller offers these when refining a selection inside
/// a word; they are candidates, not a morphological analysis (بشار also offers ب|شار).
pub fn clitic_boundaries(text: &str, word: Range<usize>) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let word = word.start.min(chars.len())..word.end.min(chars.len());
    // Letters of the word with the offset just after each (marks included).
    let mut letters: Vec<(char, usize)> = Vec::new();
    for i in word.clone() {
        let c = chars[i];
        if is_mark(c) {
            if let Some(last) = letters.last_mut() {
                last.1 = i + 1;
            }
        } else {
            letters.push((c, i + 1));
        }
    }
    let letter = |k: usize| letters.get(k).map(|l| l.0);
    let after = |k: usize| letters[k].1;
    let stem_ok = |consumed: usize| letters.len() >= consumed + 2;

    let mut stops = Vec::new();
    let mut k = 0;
    if matches!(letter(0), Some('و' | 'ف')) && stem_ok(1) {
        stops.push(after(0));
        k = 1;
    }
    let is_alef = |c: Option<char>| matches!(c, Some('ا' | 'ٱ'));
    match (letter(k), letter(k + 1), letter(k + 2)) {
        // لل: preposition ل + article with its alef dropped.
        (Some('ل'), Some('ل'), _) if stem_ok(k + 2) => {
            stops.push(after(k));
            stops.push(after(k + 1));
        }
        // بال كال: preposition + article.
        (Some('ب' | 'ك'), a, Some('ل')) if is_alef(a) && stem_ok(k + 3) => {
            stops.push(after(k));
            stops.push(after(k + 2));
        }
        // ال
        (a, Some('ل'), _) if is_alef(a) && stem_ok(k + 2) => stops.push(after(k + 1)),
        // ب ك ل alone.
        (Some('ب' | 'ك' | 'ل'), _, _) if stem_ok(k + 1) => stops.push(after(k)),
        _ => {}
    }
    stops
}

/// Every caret stop inside `word` (between any two code points), for character-level
/// refinement.
pub fn caret_stops(word: Range<usize>) -> Vec<usize> {
    (word.start..=word.end).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_text(text: &str, r: Range<usize>) -> String {
        text.chars().skip(r.start).take(r.len()).collect()
    }

    #[test]
    fn words_exclude_attached_punctuation() {
        let text = "وذكر “الحريري” أن الأسد! هل؟";
        let words: Vec<String> = segments(text)
            .into_iter()
            .filter(|(_, w)| *w)
            .map(|(r, _)| word_text(text, r))
            .collect();
        assert_eq!(words, vec!["وذكر", "الحريري", "أن", "الأسد", "هل"]);
    }

    #[test]
    fn harakat_and_tatweel_stay_in_the_word() {
        let text = "قال أيضاً بـ2254";
        let w = word_at(text, 5).map(|r| word_text(text, r));
        assert_eq!(w.as_deref(), Some("أيضاً"));
    }

    #[test]
    fn snapping_grows_to_words_and_trims_spaces() {
        let text = "نصر الحريري يكشف";
        // From inside "الحريري" to inside "يكشف".
        let r = snap_to_words(text, 6..13);
        assert_eq!(word_text(text, r), "الحريري يكشف");
        let r = snap_to_words(text, 3..5);
        assert_eq!(word_text(text, r), "الحريري");
        let r = snap_to_words(text, 8..8);
        assert_eq!(word_text(text, r), "الحريري");
    }

    #[test]
    fn clitic_stops() {
        let stops = |w: &str| clitic_boundaries(w, 0..w.chars().count());
        assert_eq!(stops("والأمم"), vec![1, 3]);
        assert_eq!(stops("بالنسبة"), vec![1, 3]);
        assert_eq!(stops("للتعامل"), vec![1, 2]);
        assert_eq!(stops("الأسد"), vec![2]);
        assert_eq!(stops("وذكر"), vec![1]);
        assert_eq!(stops("لدى"), vec![1]);
        assert_eq!(stops("في"), Vec::<usize>::new());
        // Harakat after a clitic stay with it.
        assert_eq!(stops("وَالأمم"), vec![2, 4]);
    }
}
