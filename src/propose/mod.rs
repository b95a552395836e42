//! Whole-claim proposals for Arabic news: from each reporting cue, the speaker *phrase* (with
//! the name inside it linked to a known entity or offered as a new one), the claim
//! *content*, the *implicit* speaker of a cue with no subject ("وأضاف أن…") linked to the last
//! explicit speaker before it, and a *target* candidate inside the content.
//!
//! No registry is needed: the phrase structure comes from the words around the cue and the
//! word lists of `schema/attribution.toml` ([`Lexicon`]); known entities (the project's
//! registry, and the starter entities as a gazetteer of places and bodies) only make the
//! name and the target better. Spans are code points of the sentence as stored.
//!
//! - [`words`]: a sentence as words with their punctuation;
//! - [`speaker`]: speaker phrase, name, gender;
//! - [`content`]: the content span;
//! - [`entities`]: known entities and their mentions.
//!
//! Pure logic: no store, no model, no user interface.

pub mod content;
pub mod entities;
pub mod lexicon;
pub mod speaker;
pub mod words;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use entities::{EntityIndex, EntityProposal};
pub use lexicon::{Lexicon, LexiconFileError, LexiconProblem};

use crate::corpus::normalize::fold;
use crate::starter_entities::EntityKind;
use crate::suggest::{CueMatcher, SuggestionKind};
use speaker::Reading;
use words::{Word, slice};

/// How many sentences back an implicit speaker may find its antecedent.
const ANTECEDENT_SENTENCES: usize = 6;

/// The lemma shown for the colon of a headline "X: …".
pub const HEADLINE_COLON: &str = ":";

/// One proposed claim of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The reporting cue, code points of the sentence.
    pub cue: Range<usize>,
    /// The cue's lemma ([`HEADLINE_COLON`] for a headline "X: …").
    pub cue_lemma: String,
    pub speaker: Option<SpeakerProposal>,
    /// What was said, code points of the sentence.
    pub content: Option<Range<usize>>,
    pub target: Option<EntityProposal>,
    /// The stance the project's learnt model proposes, when it is confident enough (the
    /// proposer's rules never set it; the model adds it, [`crate::learn`]).
    pub stance: Option<StanceProposal>,
}

/// A proposed stance and how sure the model is.
#[derive(Debug, Clone, PartialEq)]
pub struct StanceProposal {
    /// A stance id of the project's schema.
    pub stance: String,
    /// The model's probability of it (0–1).
    pub confidence: f32,
    /// How many confirmed claims the model learnt from.
    pub trained_on: usize,
}

/// Who speaks: an explicit phrase of this sentence, or an implicit speaker named earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerProposal {
    /// The speaker phrase in this sentence; `None` for an implicit speaker.
    pub phrase: Option<Range<usize>>,
    /// For an implicit speaker: the sentence and phrase of the explicit speaker it refers to.
    pub antecedent: Option<(usize, Range<usize>)>,
    /// The entity: its name (span of the name inside the phrase), known or new.
    pub entity: EntityProposal,
}

impl SpeakerProposal {
    /// The span a claim records for the speaker, as the guidelines ask (section 2.2, name
    /// over title): the name or known mention inside the phrase, else the phrase; `None`
    /// for an implicit speaker.
    pub fn span(&self) -> Option<Range<usize>> {
        self.phrase.as_ref()?;
        self.entity.span.clone().or_else(|| self.phrase.clone())
    }
}

/// A sentence as the proposer reads it.
#[derive(Debug, Clone, Copy)]
pub struct SentenceIn<'a> {
    pub text: &'a str,
    pub boilerplate: bool,
}

/// Proposes claims with a cue matcher, known entities and the word lists.
pub struct Proposer<'a> {
    pub cues: &'a CueMatcher,
    pub entities: &'a EntityIndex,
    pub lexicon: &'a Lexicon,
}

/// An explicit speaker seen earlier in the document, for implicit ones to refer to.
#[derive(Debug, Clone)]
struct Antecedent {
    sentence: usize,
    phrase: Range<usize>,
    /// The phrase's folded words, for a later title-only phrase that refers back to it.
    words: Vec<String>,
    entity: EntityProposal,
    feminine: bool,
}

/// A cue found in a sentence: its word range and lemma.
struct CueAt {
    words: Range<usize>,
    span: Range<usize>,
    lemma: String,
}

impl Proposer<'_> {
    /// Proposals for every sentence of a document, in order (empty for boilerplate). The first
    /// sentence is the headline.
    pub fn document(&self, sentences: &[SentenceIn<'_>]) -> Vec<Vec<Proposal>> {
        let mut antecedents: Vec<Antecedent> = Vec::new();
        sentences
            .iter()
            .enumerate()
            .map(|(index, sentence)| {
                if sentence.boilerplate {
                    return Vec::new();
                }
                antecedents.retain(|a| index - a.sentence <= ANTECEDENT_SENTENCES);
                self.sentence(index, sentence.text, &mut antecedents)
            })
            .collect()
    }

    /// Proposals for one sentence seen alone (no earlier speakers, not a headline).
    pub fn sentence_alone(&self, text: &str) -> Vec<Proposal> {
        self.sentence(usize::MAX, text, &mut Vec::new())
    }

    fn sentence(
        &self,
        index: usize,
        text: &str,
        antecedents: &mut Vec<Antecedent>,
    ) -> Vec<Proposal> {
        let words = words::words(text);
        let mentions = self.entities.mentions(text);
        let cues = self.cues_of(text, &words);
        let mut is_cue = vec![false; words.len()];
        for cue in &cues {
            is_cue[cue.words.clone()].fill(true);
        }
        let is_place_or_body = words
            .iter()
            .map(|w| {
                mentions.iter().any(|m| {
                    m.range.start <= w.core.start
                        && w.core.end <= m.range.end
                        && self.entities.kind(m) != EntityKind::Person
                })
            })
            .collect();
        let reading = Reading {
            words: &words,
            lexicon: self.lexicon,
            is_cue,
            is_place_or_body,
        };
        let context = SentenceContext {
            index,
            text,
            reading: &reading,
            mentions: &mentions,
        };
        if let Some(headline) = self.headline(&context, &cues, index == 0) {
            return vec![headline];
        }
        self.issuers(&context, antecedents);
        let mut out = Vec::new();
        for (position, cue) in cues.iter().enumerate() {
            // "حسب ما أفادت وكالة…": a marker right before another cue defers to it;
            // "أردف قائلاً": a participle right after a verb is the same report.
            let defers = self.lexicon.source_lemmas.contains(&cue.lemma)
                && cues
                    .get(position + 1)
                    .is_some_and(|next| next.words.start == cue.words.end);
            let repeats = position > 0
                && cues[position - 1].words.end == cue.words.start
                && speaker::is_participle(&words[cue.words.start]);
            let trails = self.lexicon.tail_lemmas.contains(&cue.lemma) && cues.len() > 1;
            if defers || repeats || trails {
                continue;
            }
            out.push(self.proposal_for(&context, cue, antecedents));
        }
        out
    }

    /// "وأصدرت وزارة الخارجية بياناً قالت فيه…": the subject of a verb of issuing (no claim
    /// itself) is the speaker a later cue with no subject refers to.
    fn issuers(&self, context: &SentenceContext<'_>, antecedents: &mut Vec<Antecedent>) {
        let reading = context.reading;
        let words = reading.words;
        for (index, word) in words.iter().enumerate() {
            if reading.is_cue[index] || !word.is_in(&self.lexicon.issuing_verbs) {
                continue;
            }
            let Some(phrase) = reading.phrase_after(index + 1, speaker::PhraseLimits::default())
            else {
                continue;
            };
            let entity = self.phrase_entity(context, phrase.clone());
            antecedents.push(Antecedent {
                sentence: context.index,
                phrase: words[phrase.start].core.start..words[phrase.end - 1].core.end,
                words: words[phrase.clone()]
                    .iter()
                    .map(|w| w.folded.clone())
                    .collect(),
                entity,
                feminine: speaker::cue_gender(word, "", true)
                    .unwrap_or_else(|| reading.phrase_is_feminine(phrase.clone())),
            });
        }
    }

    /// The cues of a sentence, with their word ranges: the cue file's and the contextual
    /// ones of the word lists, in order.
    fn cues_of(&self, text: &str, words: &[Word]) -> Vec<CueAt> {
        let mut found = self.listed_cues(text, words);
        for (index, word) in words.iter().enumerate() {
            if found.iter().any(|c| c.words.contains(&index)) {
                continue;
            }
            if let Some(lemma) = self.contextual_cue(words, index) {
                found.push(CueAt {
                    words: index..index + 1,
                    span: word.core.clone(),
                    lemma,
                });
            }
        }
        found.sort_by_key(|c| c.words.start);
        found
    }

    /// The lemma of a contextual cue at word `index`, if it is one there.
    fn contextual_cue(&self, words: &[Word], index: usize) -> Option<String> {
        let word = &words[index];
        self.lexicon.contextual_cues.iter().find_map(|cue| {
            if !word.is_in(&cue.forms) {
                return None;
            }
            let fits = match cue.when {
                lexicon::CueContext::AfterComma => index > 0 && words[index - 1].has_comma(),
                lexicon::CueContext::BeforeComplementizer => {
                    self.complementizer_follows(&words[index + 1..])
                }
            };
            fits.then(|| cue.lemma.clone())
        })
    }

    /// True when a complementizer comes among the first words of `following`, before its
    /// clause ends.
    fn complementizer_follows(&self, following: &[Word]) -> bool {
        for word in following.iter().take(16) {
            if word.is_in(&self.lexicon.complementizers) {
                return true;
            }
            if word.ends_clause() {
                return false;
            }
        }
        false
    }

    fn listed_cues(&self, text: &str, words: &[Word]) -> Vec<CueAt> {
        self.cues
            .find_cues(text)
            .into_iter()
            .filter_map(|s| {
                let SuggestionKind::Cue { lemma } = s.kind else {
                    return None;
                };
                let first = words.iter().position(|w| w.token.end > s.start)?;
                let last = words.iter().rposition(|w| w.token.start < s.end)?;
                (first <= last).then(|| CueAt {
                    words: first..last + 1,
                    span: s.start..s.end,
                    lemma,
                })
            })
            .collect()
    }

    fn proposal_for(
        &self,
        context: &SentenceContext<'_>,
        cue: &CueAt,
        antecedents: &mut Vec<Antecedent>,
    ) -> Proposal {
        let reading = context.reading;
        let words = reading.words;
        let lexicon = self.lexicon;
        let is_source = lexicon.source_lemmas.contains(&cue.lemma);
        let cue_word = &words[cue.words.start];
        let feminine = speaker::cue_gender(cue_word, &fold(&cue.lemma), !is_source);
        let after = self
            .speaker_words(context, cue, is_source)
            .filter(|phrase| is_source || !reading.is_object_of(cue.words.end, phrase, feminine));
        // "وطالبنا", "قلنا" inside a quotation: the one speaking, named before.
        let first_person =
            !is_source && cue_word.bare.ends_with("نا") && cue_word.bare.chars().count() >= 5;
        let participle = speaker::is_participle(cue_word);
        let explicit = if participle || first_person {
            None
        } else {
            after
        };
        let (speaker, content_from) = match explicit {
            Some(phrase) => {
                let folded: Vec<String> = words[phrase.clone()]
                    .iter()
                    .map(|w| w.folded.clone())
                    .collect();
                let mut entity = self.phrase_entity(context, phrase.clone());
                let name = reading.name_in(phrase.clone());
                let earlier = match &name {
                    // "وقال البديوي": a surname with the article has no name word of its own.
                    None => same_name(antecedents, &folded)
                        .filter(|_| folded.len() <= 2)
                        .or_else(|| same_title(antecedents, &folded)),
                    Some(range) if entity.known.is_none() => {
                        let name_words: Vec<String> = words[range.clone()]
                            .iter()
                            .map(|w| w.folded.clone())
                            .collect();
                        same_name(antecedents, &name_words)
                    }
                    Some(_) => None,
                };
                if let Some(earlier) = earlier {
                    // "وقال رئيس الائتلاف…" after "رئيس الائتلاف … نصر الحريري": the same person.
                    entity = EntityProposal {
                        span: entity.span,
                        ..earlier.entity.clone()
                    };
                }
                let char_range = words[phrase.start].core.start..words[phrase.end - 1].core.end;
                antecedents.push(Antecedent {
                    sentence: context.index,
                    phrase: char_range.clone(),
                    words: folded,
                    entity: entity.clone(),
                    feminine: feminine
                        .unwrap_or_else(|| reading.phrase_is_feminine(phrase.clone())),
                });
                let next = if phrase.end <= cue.words.start {
                    cue.words.end
                } else {
                    phrase.end
                };
                (
                    Some(SpeakerProposal {
                        phrase: Some(char_range),
                        antecedent: None,
                        entity,
                    }),
                    next,
                )
            }
            None => (implicit_speaker(antecedents, feminine), cue.words.end),
        };
        // A marker after the news ("قُتل خمسة مدنيين، بحسب المرصد") attributes what came
        // before it; one at the start ("وبحسب المرصد، فإن…") what follows its source.
        let content = if is_source && cue.words.start > 1 {
            content::content_before(words, cue.words.start)
        } else {
            content::content_after(words, content_from, lexicon)
        };
        let mut speaker = speaker;
        if is_source && let Some(found) = speaker.as_mut() {
            without_attached_lam(context.text, found);
        }
        let target = content
            .clone()
            .and_then(|range| self.target_in(context, range, speaker.as_ref()));
        Proposal {
            cue: cue.span.clone(),
            cue_lemma: cue.lemma.clone(),
            speaker,
            content,
            target,
            stance: None,
        }
    }

    /// The word range of the explicit speaker of a cue, if it has one.
    fn speaker_words(
        &self,
        context: &SentenceContext<'_>,
        cue: &CueAt,
        is_source: bool,
    ) -> Option<Range<usize>> {
        let reading = context.reading;
        let words = reading.words;
        if self.lexicon.transmission_lemmas.contains(&cue.lemma) {
            // "نقلت وكالة رويترز عن مصدر مطلع": the one quoted, after عن.
            let about = (cue.words.end..words.len().min(cue.words.end + 8))
                .take_while(|&i| i == cue.words.end || !words[i - 1].ends_clause())
                .find(|&i| words[i].folded == "عن");
            if let Some(about) = about {
                return reading.phrase_after(about + 1, speaker::PhraseLimits::default());
            }
        }
        if is_source {
            return reading.source_after(cue.words.end);
        }
        let limits = speaker::PhraseLimits {
            object_preposition: self
                .lexicon
                .object_prepositions
                .get(&cue.lemma)
                .map(String::as_str),
        };
        reading
            .subject_before(cue.words.start)
            .or_else(|| reading.phrase_after(cue.words.end, limits))
    }

    /// The entity a speaker phrase names.
    fn phrase_entity(&self, context: &SentenceContext<'_>, phrase: Range<usize>) -> EntityProposal {
        let words = context.reading.words;
        let chars = words[phrase.start].core.start..words[phrase.end - 1].core.end;
        let name = context.reading.name_in(phrase.clone());
        let name_chars = name
            .clone()
            .map(|n| words[n.start].core.start..words[n.end - 1].core.end);
        let inside = |range: &Range<usize>, m: &entities::Mention| {
            range.start <= m.range.start && m.range.end <= range.end
        };
        // The last such mention: the head of an Arabic phrase is its end ("المبعوث الخاص
        // للرئيس الروسي ألكسندر لافرنتيف" is not the president).
        let known = |wanted: &dyn Fn(&entities::Mention) -> bool| {
            context.mentions.iter().rev().find(|m| wanted(m)).cloned()
        };
        let person = known(&|m| inside(&chars, m) && self.entities.kind(m) == EntityKind::Person);
        let in_name = name_chars.as_ref().and_then(|n| known(&|m| inside(n, m)));
        let only = known(&|m| m.range == chars);
        if let Some(mention) = in_name.or(person).or(only) {
            return self.entities.proposal(&mention);
        }
        match name_chars {
            Some(range) => EntityProposal::new_entity(context.text, range, EntityKind::Person),
            None => EntityProposal::new_entity(context.text, chars, EntityKind::Organisation),
        }
    }

    /// The most salient known entity inside the content that is not the speaker: the
    /// first of [`EntityIndex::mentions_in`] (a learnt re-ranker, `crate::learn`, may
    /// choose another of them).
    fn target_in(
        &self,
        context: &SentenceContext<'_>,
        content: Range<usize>,
        speaker: Option<&SpeakerProposal>,
    ) -> Option<EntityProposal> {
        let speaker_name = speaker.map(|s| fold(&s.entity.name));
        let words = context.reading.words;
        // "…بالممثل الروسي في الأمم المتحدة وطالبنا روسيا…": a place where something
        // happens ("في", "لدى" before it) is the last choice for what the claim is about.
        let locative = |m: &entities::Mention| {
            words
                .iter()
                .rposition(|w| w.core.end <= m.range.start)
                .is_some_and(|i| matches!(words[i].folded.as_str(), "في" | "لدي" | "وفي"))
        };
        let candidates: Vec<&entities::Mention> = context
            .mentions
            .iter()
            .filter(|m| content.start <= m.range.start && m.range.end <= content.end)
            .filter(|m| Some(fold(&self.entities.proposal(m).name)) != speaker_name)
            .collect();
        candidates
            .iter()
            .find(|m| !locative(m))
            .or(candidates.first())
            .map(|m| self.entities.proposal(m))
    }

    /// A headline "X: …" with no cue before its colon: the colon is the cue, X (a few words)
    /// the speaker, what follows the content (cues in it belong to the quoted words).
    /// Beyond the title, the same shape makes a claim in a subheading or a summary bullet
    /// ("- فيدان: …") when what follows the colon is a statement of three words or more.
    fn headline(
        &self,
        context: &SentenceContext<'_>,
        cues: &[CueAt],
        title: bool,
    ) -> Option<Proposal> {
        let words = context.reading.words;
        let colon = words.iter().position(Word::has_colon)?;
        if colon >= 5 || colon + 1 >= words.len() || cues.iter().any(|c| c.words.start <= colon) {
            return None;
        }
        if !title && (words.len() - colon - 1 < 3 || colon >= 4) {
            return None;
        }
        let phrase = 0..colon + 1;
        if words[0].is_in(&self.lexicon.adverbial_openers)
            || phrase
                .clone()
                .any(|i| words[i].folded.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        let colon_at = words[colon].core.end
            + words[colon]
                .trail
                .chars()
                .position(|c| c == ':')
                .unwrap_or(0);
        let entity = self.phrase_entity(context, phrase.clone());
        let content = content::content_after(words, colon + 1, self.lexicon);
        let speaker = SpeakerProposal {
            phrase: Some(words[0].core.start..words[colon].core.end),
            antecedent: None,
            entity,
        };
        let target = content
            .clone()
            .and_then(|range| self.target_in(context, range, Some(&speaker)));
        Some(Proposal {
            cue: colon_at..colon_at + 1,
            cue_lemma: HEADLINE_COLON.to_owned(),
            speaker: Some(speaker),
            content,
            target,
            stance: None,
        })
    }
}

/// What the proposer knows of the sentence it is reading.
struct SentenceContext<'a> {
    index: usize,
    text: &'a str,
    reading: &'a Reading<'a>,
    mentions: &'a [entities::Mention],
}

/// An earlier speaker whose phrase begins with the same title as a phrase of titles only
/// (its first two words, or its only word), the latest first.
fn same_title<'a>(antecedents: &'a [Antecedent], phrase: &[String]) -> Option<&'a Antecedent> {
    let title = &phrase[..phrase.len().min(2)];
    antecedents.iter().rev().find(|a| {
        a.words.len() > title.len()
            && a.words.starts_with(title)
            && (a.entity.known.is_some() || a.entity.kind == EntityKind::Person)
    })
}

/// An earlier speaker of the document whose longer phrase holds `name`: "البديوي" after
/// "جاسم محمد البديوي" (known to the project or not), the latest first.
fn same_name<'a>(antecedents: &'a [Antecedent], name: &[String]) -> Option<&'a Antecedent> {
    antecedents.iter().rev().find(|a| {
        a.words.len() > name.len() && a.words.windows(name.len()).any(|window| window == name)
    })
}

/// The implicit speaker of a cue with no subject: the latest earlier speaker whose gender
/// agrees with the cue, else the latest of all. It becomes the latest speaker again.
fn implicit_speaker(
    antecedents: &mut Vec<Antecedent>,
    feminine: Option<bool>,
) -> Option<SpeakerProposal> {
    let position = antecedents
        .iter()
        .rposition(|a| feminine.is_none_or(|f| a.feminine == f))
        .or_else(|| antecedents.len().checked_sub(1))?;
    let chosen = antecedents.remove(position);
    let proposal = SpeakerProposal {
        phrase: None,
        antecedent: Some((chosen.sentence, chosen.phrase.clone())),
        entity: EntityProposal {
            span: None,
            ..chosen.entity.clone()
        },
    };
    antecedents.push(chosen);
    Some(proposal)
}

/// "وفقاً لبيان الخارجية": the source's span starts after the preposition the marker takes.
fn without_attached_lam(text: &str, speaker: &mut SpeakerProposal) {
    let Some(phrase) = speaker.phrase.as_mut() else {
        return;
    };
    if text.chars().nth(phrase.start) != Some('ل') || phrase.len() < 4 {
        return;
    }
    let old_start = phrase.start;
    phrase.start += 1;
    if let Some(span) = speaker.entity.span.as_mut()
        && span.start == old_start
    {
        span.start += 1;
        if speaker.entity.known.is_none() {
            speaker.entity.name = slice(text, span.clone());
        }
    }
}

/// The text of a proposal's part, for messages and tests.
pub fn part_text(text: &str, range: &Range<usize>) -> String {
    slice(text, range.clone())
}
