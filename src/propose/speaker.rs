//! The speaker phrase of a cue: after a verb (verb–subject order), before it
//! (subject–verb), after a source marker or after "عن"; the name inside the phrase; the
//! grammatical gender of cues and phrases for linking an implicit speaker.

use std::ops::Range;

use super::lexicon::Lexicon;
use super::words::Word;

/// Longest speaker phrase, in words.
const MAX_PHRASE_WORDS: usize = 12;

/// Longest subject before a cue, in words ("وزير الخارجية الروسي سيرغي لافروف أكد").
const MAX_SUBJECT_WORDS: usize = 9;

/// How the proposer reads a sentence: its words, which of them are cues, and which lie inside
/// a mention of a known place or organisation (a description, not a person's name).
pub struct Reading<'a> {
    pub words: &'a [Word],
    pub lexicon: &'a Lexicon,
    /// Per word: true when the word is part of a reporting cue.
    pub is_cue: Vec<bool>,
    /// Per word: true when the word is inside a mention of a known non-person entity.
    pub is_place_or_body: Vec<bool>,
}

/// What the phrase after a cue may not run into: the cue's object preposition.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhraseLimits<'a> {
    /// The folded preposition the cue takes ("الي" for دعا): the phrase ends before it.
    pub object_preposition: Option<&'a str>,
}

impl Reading<'_> {
    fn word(&self, index: usize) -> Option<&Word> {
        self.words.get(index)
    }

    fn is_time_or_event(&self, index: usize) -> bool {
        let events = &self.lexicon.event_nouns;
        self.word(index).is_some_and(|w| {
            // "تغريدته", "كلمتها", "بيانهم": the noun with a possessive suffix (its ة
            // written ت before it).
            let owned = ["هما", "هم", "ها", "ه"].iter().find_map(|suffix| {
                let stem = w.folded.strip_suffix(suffix)?;
                (stem.chars().count() >= 3).then(|| match stem.strip_suffix('ت') {
                    Some(noun) => format!("{noun}ه"),
                    None => stem.to_owned(),
                })
            });
            w.is_in(events)
                || w.without_article()
                    .is_some_and(|rest| events.contains(rest))
                || owned.is_some_and(|noun| events.contains(&noun))
        })
    }

    /// A word that describes rather than names: a title, an office, a nationality, a word
    /// with the article, a known place or body.
    pub fn is_description(&self, index: usize) -> bool {
        let Some(w) = self.word(index) else {
            return false;
        };
        // "الأمين العام لمجلس التعاون لدول الخليج": a noun with ل after a description carries
        // the title on (a genitive), it does not start a name.
        let genitive = index > 0
            && w.folded.starts_with('ل')
            && w.folded.chars().count() >= 4
            && self.is_description_alone(index - 1);
        if genitive {
            return true;
        }
        // "تقارير إعلامية", "مصدر دبلوماسي": a relative adjective after a description.
        let adjective = index > 0
            && (w.folded.ends_with("يه") || w.folded.ends_with('ي'))
            && w.folded.chars().count() >= 5
            && self.words[index - 1].is_in(&self.lexicon.title_words);
        self.is_place_or_body[index]
            || w.is_in(&self.lexicon.title_words)
            || w.without_article().is_some()
            || adjective
    }

    /// [`Reading::is_description`] without the genitive rule (which looks back one word).
    fn is_description_alone(&self, index: usize) -> bool {
        let w = &self.words[index];
        self.is_place_or_body[index]
            || w.is_in(&self.lexicon.title_words)
            || w.without_article().is_some()
    }

    /// The speaker phrase that starts at word `from` (after a verb cue or a source marker),
    /// as a range of word indices, or `None` when the cue is followed by what was said.
    pub fn phrase_after(&self, from: usize, limits: PhraseLimits<'_>) -> Option<Range<usize>> {
        self.phrase_from(from, false, limits)
    }

    /// The source after a marker ("وفقاً لوكالة «نوفوستي»"): as [`Reading::phrase_after`],
    /// but its first word may carry the preposition the marker takes.
    pub fn source_after(&self, from: usize) -> Option<Range<usize>> {
        self.phrase_from(from, true, PhraseLimits::default())
    }

    fn phrase_from(
        &self,
        from: usize,
        source: bool,
        limits: PhraseLimits<'_>,
    ) -> Option<Range<usize>> {
        // "وتابع: …": what follows a colon is what was said.
        if from
            .checked_sub(1)
            .is_some_and(|i| self.words[i].has_colon())
        {
            return None;
        }
        let mut start = from;
        // "وقال اليوم الثلاثاء وزير…": a time adverbial may stand between verb and subject.
        while self.word(start).is_some_and(|w| {
            w.is_in(&self.lexicon.phrase_stops) && self.is_time_or_event(start) && !w.ends_clause()
        }) {
            start += 1;
        }
        if self.word(start).is_some_and(|w| w.accusative) {
            return None;
        }
        let mut end = start;
        let mut named = false;
        while end < self.words.len() && end - start < MAX_PHRASE_WORDS {
            let w = &self.words[end];
            // "وأصدرت الوزارة بياناً": an accusative after the subject is its object.
            if end > start && w.accusative {
                break;
            }
            let object = limits.object_preposition.is_some_and(|p| {
                w.folded == p || (p.chars().count() == 1 && w.folded.starts_with(p) && end > start)
            });
            if object || !(source && end == start) && self.stops_phrase(start, end, named) {
                break;
            }
            if w.opens_quote() {
                // “نصر الحريري” after a title is the name; a longer quotation is what was said.
                match self.short_quote(end) {
                    // A quoted name completes the phrase: "وطالب “الحريري” روسيا…".
                    Some(close) => {
                        end = close + 1;
                        break;
                    }
                    None => break,
                }
            }
            if !self.is_description(end) {
                named = true;
            }
            end += 1;
            if w.ends_clause() {
                break;
            }
        }
        (end > start).then_some(start..end)
    }

    /// True when word `index` cannot belong to the phrase that starts at `start`.
    fn stops_phrase(&self, start: usize, index: usize, named: bool) -> bool {
        let w = &self.words[index];
        let lexicon = self.lexicon;
        if self.is_cue[index] || w.is_in(&lexicon.complementizers) {
            return true;
        }
        if index == start && w.opens_quote() {
            // “الحريري” أنه…: a quoted name; “لن نقبل بذلك”. is what was said.
            let name_like = self.short_quote(index).is_some_and(|close| {
                close - index < 3
                    && !self.words[close]
                        .trail
                        .chars()
                        .any(|c| matches!(c, '.' | '!' | '؟' | '?'))
            });
            return !name_like;
        }
        // "لـ«الشرق الأوسط»", "لـ”سوريا الحرة”": told to an outlet.
        let told = w.folded.starts_with('ل')
            && w.folded
                .chars()
                .nth(1)
                .is_some_and(|c| !c.is_alphanumeric());
        if told {
            return true;
        }
        if !w.is_in(&lexicon.phrase_stops) {
            return false;
        }
        // "ممثل روسيا في الأمم المتحدة": a preposition inside a title, before any name, when
        // what follows is not an occasion ("في مؤتمر صحفي") or what was said.
        let continues_title = index > start
            && !named
            && w.is_in(&lexicon.title_prepositions)
            && !self.words[index - 1].ends_clause()
            && self.word(index + 1).is_some_and(|next| {
                !next.is_in(&lexicon.complementizers)
                    && !next.is_in(&lexicon.phrase_stops)
                    && !self.is_time_or_event(index + 1)
            });
        !continues_title
    }

    /// When a quotation opens at `open` and closes within four words, the index of the word
    /// that closes it.
    fn short_quote(&self, open: usize) -> Option<usize> {
        (open..self.words.len().min(open + 4)).find(|&i| self.words[i].closes_quote())
    }

    /// The subject before a cue that starts at word `cue`: the words from the start of its
    /// clause, without clause openers ("كما", "وقد"), unless they are an adverbial ("وفي
    /// تصريح لـ…") or there are none.
    pub fn subject_before(&self, cue: usize) -> Option<Range<usize>> {
        let boundary = |i: usize| self.words[i].ends_clause() || self.words[i].is_dateline();
        let mut start = cue;
        while start > 0 && !boundary(start - 1) && cue - start < MAX_SUBJECT_WORDS {
            start -= 1;
        }
        if start > 0 && !boundary(start - 1) {
            return None;
        }
        // "كما أن الوزير…", "غير أن هيئة البث…", "بأن الوزير … شدد": openers and a
        // complementizer before the subject of the clause.
        while start < cue
            && (self.words[start].is_in(&self.lexicon.clause_openers)
                || self.words[start].is_in(&self.lexicon.complementizers)
                || self.words[start].folded == "من"
                    && self
                        .words
                        .get(start + 1)
                        .is_some_and(|w| w.is_in(&self.lexicon.clause_openers)))
        {
            start += 1;
        }
        if start >= cue {
            return None;
        }
        let first = &self.words[start];
        if first.is_in(&self.lexicon.adverbial_openers)
            || first.opens_quote()
            || (start..cue).any(|i| self.is_cue[i])
        {
            return None;
        }
        Some(start..cue)
    }

    /// The name inside a speaker phrase: a short quotation in it, else the words from the
    /// first one that is not a description to the end ("رئيس الائتلاف الوطني السوري نصر
    /// الحريري" → "نصر الحريري"). `None` for phrases of titles only ("المتحدث باسم الخارجية").
    pub fn name_in(&self, phrase: Range<usize>) -> Option<Range<usize>> {
        if let Some(open) = phrase.clone().find(|&i| self.words[i].opens_quote())
            && let Some(close) = self.short_quote(open)
            && close < phrase.end
        {
            return Some(open..close + 1);
        }
        let function_word = |i: usize| {
            let w = &self.words[i];
            w.is_in(&self.lexicon.phrase_stops)
                || w.is_in(&self.lexicon.complementizers)
                || w.is_in(&self.lexicon.clause_openers)
        };
        let first = phrase
            .clone()
            .find(|&i| !self.is_description(i) && !function_word(i))?;
        // A name does not end in a title: "لافروف وزير الخارجية" keeps "لافروف".
        let mut end = first + 1;
        while end < phrase.end
            && !self.words[end].is_in(&self.lexicon.title_words)
            && !self.is_place_or_body[end]
            && !function_word(end)
        {
            end += 1;
        }
        Some(first..end)
    }

    /// True when a phrase right after a verb cue (starting at word `after_cue`) is its object,
    /// not its subject, so that the cue's speaker is implicit: "ودعت المشتركين إلى…" (a
    /// feminine verb, a masculine plural), "ودعا الحكومة…" (a masculine verb, a feminine
    /// noun), "طالب بانسحاب…" (a prepositional object). Names are given the benefit of the
    /// doubt: their gender is not known.
    pub fn is_object_of(
        &self,
        after_cue: usize,
        phrase: &Range<usize>,
        feminine: Option<bool>,
    ) -> bool {
        if phrase.start != after_cue {
            return false;
        }
        let head = &self.words[phrase.start];
        let folded = head.folded.as_str();
        // "طالب بانسحاب…", "أكد للمسؤول الروسي…": an object or an addressee.
        let prepositional = folded.starts_with("بال")
            || folded.starts_with("لل")
            || (folded.starts_with("با") && folded.chars().count() >= 6);
        if prepositional {
            return true;
        }
        if !self.is_description(phrase.start) {
            return false;
        }
        if head.opens_quote() {
            return false;
        }
        // "المشتركين", "السوريين" — not "الأمين", "الحسين".
        let oblique_plural = !self.is_place_or_body[phrase.start]
            && head.without_article().is_some()
            && folded.ends_with("ين")
            && folded.chars().count() >= 8;
        match feminine {
            Some(true) => oblique_plural || !self.phrase_is_feminine(phrase.clone()),
            Some(false) => oblique_plural || self.phrase_is_feminine(phrase.clone()),
            None => false,
        }
    }

    /// True when a phrase is feminine: its head (first word, without the article) is a listed
    /// feminine noun or ends in ة.
    pub fn phrase_is_feminine(&self, phrase: Range<usize>) -> bool {
        let Some(head) = self.word(phrase.start) else {
            return false;
        };
        let lexicon = self.lexicon;
        head.is_in(&lexicon.feminine_heads)
            || head
                .without_article()
                .is_some_and(|rest| lexicon.feminine_heads.contains(rest) || rest.ends_with('ه'))
            || head.folded.ends_with('ه') && head.folded.chars().count() > 3
    }
}

/// The grammatical gender a cue word asks of its subject: `Some(true)` feminine ("قالت",
/// "تؤكد", "مضيفة"), `Some(false)` masculine ("قال", "يؤكد", "مضيفا"), `None` for markers
/// and nouns with no agreement ("بحسب").
/// `lemma` is the cue's lemma, folded: a verb whose lemma starts with ت ("تحدّث") is not
/// read as a feminine present tense.
pub fn cue_gender(cue: &Word, lemma: &str, is_verb: bool) -> Option<bool> {
    if !is_verb {
        return None;
    }
    let bare = cue.bare.as_str();
    let letters = bare.chars().count();
    if bare.ends_with("وا") || bare.ends_with("ون") {
        return Some(false);
    }
    if bare.ends_with("تا") {
        return Some(true);
    }
    // "قالت", "دعت", "أكدت"; not the masculine "لفت" (drew attention), "صوّت".
    if bare.ends_with('ت') && letters >= 3 && !matches!(bare, "لفت" | "صوت" | "ثبت" | "سكت")
    {
        return Some(true);
    }
    if bare.starts_with('م') && bare.ends_with('ه') {
        return Some(true);
    }
    if bare.starts_with('ت') && letters >= 4 && !lemma.starts_with('ت') {
        return Some(true);
    }
    Some(false)
}

/// True for a participle cue standing after a main clause ("مؤكداً", "مشيراً إلى",
/// "مضيفة"): its subject is the main clause's speaker.
pub fn is_participle(cue: &Word) -> bool {
    let bare = cue.bare.as_str();
    (bare.starts_with('م') && (bare.ends_with('ا') || bare.ends_with('ه')))
        || matches!(bare, "قائلا" | "قائله" | "لافتا" | "لافته" | "داعيا" | "داعيه")
}
