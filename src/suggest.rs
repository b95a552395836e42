//! Suggestions shown while annotating a sentence: reporting cues ("وقال", "مؤكداً",
//! "ووفقاً لـ…", read from `schema/cues.toml`) and mentions of known entities (the aliases of
//! the entity registry).
//!
//! Both matchers fold the sentence with [`fold_with_map`] (harakat, tatweel, hamza seats,
//! ى/ي, ة/ه and whitespace runs do not matter), match whole words only, and report spans as
//! **code-point offsets into the sentence as stored**, `start..end`, sorted by `start`, with no
//! two suggestions of the same matcher overlapping (the earliest, then the longest, wins).
//!
//! Span conventions:
//! * A **cue** covers the whole reporting token, attached conjunction included: "وأكد", not
//!   "أكد". Multi-word cues are covered whole ("وختم بقوله"). In "ووفقاً لبيان…" the cue is
//!   "ووفقاً": the preposition ل belongs to the next word, the source.
//! * An **entity mention** excludes the separable proclitics in front of it — a conjunction
//!   و/ف, then a preposition ب/ك/ل — because the mention is the entity's name: "روسيا" in
//!   "وروسيا", "الأسد" in "بالأسد" and "وبالأسد". When ل meets the article (للأسد = ل + الأسد,
//!   the article's alef dropped), only the first ل is the proclitic: the span is "لأسد".
//!   Suffixes are never allowed: "روسيا" does not match inside "الروسية".

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::corpus::normalize::{fold, fold_with_map, is_arabic_mark};
use crate::data_files::{self, DataFile, DataFileError};

/// Identifier of an entity in the registry.
pub type EntityKey = String;

/// Path of the built-in cue file inside the repository, used as its origin in error messages.
pub const BUILTIN_CUES_ORIGIN: &str = DataFile::Cues.builtin_path();

/// Text of the built-in cue file, embedded at compile time.
pub const BUILTIN_CUES_TOML: &str = DataFile::Cues.builtin_text();

/// What a suggestion proposes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SuggestionKind {
    /// A reporting cue; `lemma` is the entry's lemma as written in the cue file ("أكّد").
    Cue { lemma: String },
    /// A mention of a registered entity.
    Entity { entity: EntityKey },
    /// The speaker phrase of a proposed claim ([`crate::propose`]).
    Speaker,
    /// The content of a proposed claim.
    Content,
}

/// A suggested span of a sentence, in code points of the sentence as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suggestion {
    pub start: usize,
    pub end: usize,
    pub kind: SuggestionKind,
}

impl Suggestion {
    /// The suggested text: code points `start..end` of `text`.
    pub fn surface(&self, text: &str) -> String {
        text.chars()
            .skip(self.start)
            .take(self.end.saturating_sub(self.start))
            .collect()
    }
}

/// Cue and entity suggestions for one sentence, together, sorted by start (then by end).
/// Suggestions of different kinds may overlap.
pub fn suggest_all(text: &str, cues: &CueMatcher, aliases: &AliasMatcher) -> Vec<Suggestion> {
    let mut all = cues.find_cues(text);
    all.extend(aliases.find(text));
    all.sort_by_key(|suggestion| (suggestion.start, suggestion.end));
    all
}

// ---------------------------------------------------------------------------------------------
// Reporting cues
// ---------------------------------------------------------------------------------------------

/// One entry of the cue file: a lemma and the surface forms that realise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueEntry {
    pub lemma: String,
    /// English gloss, for people who do not read Arabic.
    pub gloss: String,
    /// Forms that match bare or with an attached conjunction و/ف.
    pub forms: Vec<String>,
    /// Forms that match only with an attached conjunction ("وعبّر", not "عبر" = "via").
    pub only_with_conjunction: Vec<String>,
}

/// What is wrong in a well-formed cue file: the entry at fault, and why ([`CueFileError`]
/// adds the file's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CueProblem {
    #[error("the file has no [[cue]] entries")]
    NoCues,
    #[error("{entry}: `lemma` must not be empty")]
    EmptyLemma { entry: String },
    #[error("{entry}: lemma {lemma:?} is used twice")]
    DuplicateLemma { entry: String, lemma: String },
    #[error("{entry}: no forms")]
    NoForms { entry: String },
    #[error("{entry}: form {form:?} has no letters left after folding")]
    EmptyForm { entry: String, form: String },
    #[error(
        "{entry}: form {form:?}: only a single-letter last word may be attached \
         to the next word with ـ (as in \"وفقا لـ\")"
    )]
    BadAttachedForm { entry: String, form: String },
    #[error("{entry}: form {form:?} is also a form of {other} (after folding)")]
    DuplicateForm {
        entry: String,
        form: String,
        other: String,
    },
    #[error("cannot build the matcher: {message}")]
    Matcher { message: String },
}

/// Why a cue file cannot be used: unreadable, not TOML of the cue file's shape, or a
/// [`CueProblem`]. Every message names the file.
pub type CueFileError = DataFileError<CueProblem>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCueFile {
    #[serde(default, rename = "cue")]
    cues: Vec<RawCue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    lemma: String,
    #[serde(default)]
    gloss: String,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    only_with_conjunction: Vec<String>,
}

/// Finds reporting cues in a sentence.
#[derive(Debug, Clone)]
pub struct CueMatcher {
    entries: Vec<CueEntry>,
    phrases: PhraseSet,
}

impl CueMatcher {
    /// The matcher for the built-in `schema/cues.toml`, built once.
    pub fn builtin() -> &'static CueMatcher {
        static BUILTIN: OnceLock<CueMatcher> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            CueMatcher::from_toml(BUILTIN_CUES_TOML, BUILTIN_CUES_ORIGIN)
                .expect("the built-in cue file is valid (checked by a unit test)")
        })
    }

    /// Parses and validates a cue file and builds its matcher; `origin` (usually the file
    /// path) names the file in error messages.
    pub fn from_toml(source: &str, origin: &str) -> Result<CueMatcher, CueFileError> {
        let raw: RawCueFile = data_files::parse(DataFile::Cues, source, origin)?;
        Self::checked(raw).map_err(|problem| DataFileError::invalid(origin, problem))
    }

    /// The matcher of a parsed cue file, if its content is usable.
    fn checked(raw: RawCueFile) -> Result<CueMatcher, CueProblem> {
        if raw.cues.is_empty() {
            return Err(CueProblem::NoCues);
        }

        let mut entries = Vec::with_capacity(raw.cues.len());
        let mut patterns: Vec<(String, PhraseRule)> = Vec::new();
        let mut lemmas = HashSet::new();
        // folded form → entry that owns it, for clash messages.
        let mut owners: HashMap<String, String> = HashMap::new();

        for (index, cue) in raw.cues.into_iter().enumerate() {
            let lemma = cue.lemma.trim().to_owned();
            let entry = if lemma.is_empty() {
                format!("cue #{}", index + 1)
            } else {
                format!("cue #{} {lemma:?}", index + 1)
            };
            let error_context = |form: &str| (entry.clone(), form.to_owned());
            if lemma.is_empty() {
                return Err(CueProblem::EmptyLemma { entry });
            }
            if !lemmas.insert(lemma.clone()) {
                return Err(CueProblem::DuplicateLemma { entry, lemma });
            }
            if cue.forms.is_empty() && cue.only_with_conjunction.is_empty() {
                return Err(CueProblem::NoForms { entry });
            }
            let tagged_forms = cue
                .forms
                .iter()
                .map(|form| (form, PrefixRequirement::Any))
                .chain(
                    cue.only_with_conjunction
                        .iter()
                        .map(|form| (form, PrefixRequirement::Some)),
                );
            for (form, prefix) in tagged_forms {
                let (folded, attached_tail) = fold_cue_form(form).map_err(|problem| {
                    let (entry, form) = error_context(form);
                    match problem {
                        FormProblem::Empty => CueProblem::EmptyForm { entry, form },
                        FormProblem::BadAttachment => CueProblem::BadAttachedForm { entry, form },
                    }
                })?;
                if let Some(other) = owners.get(&folded) {
                    let (entry, form) = error_context(form);
                    return Err(CueProblem::DuplicateForm {
                        entry,
                        form,
                        other: other.clone(),
                    });
                }
                owners.insert(folded.clone(), entry.clone());
                patterns.push((
                    folded,
                    PhraseRule {
                        owner: index,
                        attached_tail,
                        prefix,
                    },
                ));
            }
            entries.push(CueEntry {
                lemma,
                gloss: cue.gloss.trim().to_owned(),
                forms: cue.forms,
                only_with_conjunction: cue.only_with_conjunction,
            });
        }

        let phrases = PhraseSet::build(patterns, Proclitics::Conjunction).map_err(|error| {
            CueProblem::Matcher {
                message: error.to_string(),
            }
        })?;
        Ok(CueMatcher { entries, phrases })
    }

    /// Reporting cues in `text`, as whole tokens (conjunction included), sorted by start,
    /// never overlapping.
    pub fn find_cues(&self, text: &str) -> Vec<Suggestion> {
        self.phrases
            .find(text)
            .into_iter()
            .filter_map(|found| {
                let entry = self.entries.get(found.owner)?;
                Some(Suggestion {
                    start: found.start,
                    end: found.end,
                    kind: SuggestionKind::Cue {
                        lemma: entry.lemma.clone(),
                    },
                })
            })
            .collect()
    }

    /// The entries of the cue file, in file order.
    pub fn entries(&self) -> &[CueEntry] {
        &self.entries
    }

    /// Number of listed forms (bare and conjunction-only), not counting the conjunction
    /// variants the matcher adds.
    pub fn form_count(&self) -> usize {
        self.entries
            .iter()
            .map(|entry| entry.forms.len() + entry.only_with_conjunction.len())
            .sum()
    }
}

enum FormProblem {
    Empty,
    BadAttachment,
}

/// Folds a cue form; returns the folded pattern and how many folded characters at its end
/// are an attached preposition ("وفقا لـ" → "وفقا ل", 2: the space and the ل).
fn fold_cue_form(form: &str) -> Result<(String, usize), FormProblem> {
    let attached = form.trim_end().ends_with('\u{0640}');
    let folded = fold(form);
    if !folded.chars().any(char::is_alphanumeric) {
        return Err(FormProblem::Empty);
    }
    if !attached {
        return Ok((folded, 0));
    }
    let mut words = folded.rsplitn(2, ' ');
    let last = words.next().unwrap_or_default();
    let has_head = words.next().is_some_and(|head| !head.is_empty());
    if !has_head || last.chars().count() != 1 {
        return Err(FormProblem::BadAttachment);
    }
    Ok((folded, 2))
}

// ---------------------------------------------------------------------------------------------
// Entity aliases
// ---------------------------------------------------------------------------------------------

/// Finds mentions of registered entities by their aliases. Build it once per registry change.
#[derive(Debug, Clone, Default)]
pub struct AliasMatcher {
    /// The entity of each alias, in the order given (earlier wins when two entities share an
    /// alias).
    owners: Vec<EntityKey>,
    /// `None` when there are no aliases, or in the (practically impossible) case that the
    /// automaton cannot be built — aho-corasick only refuses pattern sets whose automaton
    /// would exceed 2³¹ states. Such a matcher finds nothing.
    phrases: Option<PhraseSet>,
}

impl AliasMatcher {
    /// Builds the matcher. Aliases that fold to nothing are ignored. When two entities share an
    /// alias (after folding), the one given first is suggested.
    pub fn new(aliases: impl IntoIterator<Item = (EntityKey, String)>) -> Self {
        let mut owners = Vec::new();
        let mut patterns = Vec::new();
        for (entity, alias) in aliases {
            let folded = fold(&alias);
            if !folded.chars().any(char::is_alphanumeric) {
                continue;
            }
            let owner = owners.len();
            owners.push(entity);
            // ل + ال contracts to لل: "للأسد" holds "لاسد", the alias without its alef, right
            // after the preposition ل.
            if let Some(without_alef) = folded.strip_prefix('ا')
                && without_alef.starts_with('ل')
                && without_alef.chars().count() > 1
            {
                patterns.push((
                    without_alef.to_owned(),
                    PhraseRule {
                        owner,
                        attached_tail: 0,
                        prefix: PrefixRequirement::EndsWithLam,
                    },
                ));
            }
            patterns.push((
                folded,
                PhraseRule {
                    owner,
                    attached_tail: 0,
                    prefix: PrefixRequirement::Any,
                },
            ));
        }
        let phrases = if patterns.is_empty() {
            None
        } else {
            PhraseSet::build(patterns, Proclitics::Entity).ok()
        };
        AliasMatcher { owners, phrases }
    }

    /// Whole-word mentions of known aliases in `text`, proclitics excluded from the span,
    /// sorted by start, never overlapping; the longest alias wins ("بشار الأسد" over "الأسد").
    pub fn find(&self, text: &str) -> Vec<Suggestion> {
        let Some(phrases) = &self.phrases else {
            return Vec::new();
        };
        phrases
            .find(text)
            .into_iter()
            .filter_map(|found| {
                let entity = self.owners.get(found.owner)?;
                Some(Suggestion {
                    start: found.start,
                    end: found.end,
                    kind: SuggestionKind::Entity {
                        entity: entity.clone(),
                    },
                })
            })
            .collect()
    }

    /// Number of aliases the matcher was built with (those that fold to something).
    pub fn alias_count(&self) -> usize {
        self.owners.len()
    }

    /// True when the matcher has no aliases and so finds nothing.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared whole-word phrase matching over folded text
// ---------------------------------------------------------------------------------------------

/// Which letters may stand between the start of a word and a match inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proclitics {
    /// Cues: an optional conjunction و or ف, highlighted with the cue.
    Conjunction,
    /// Entities: an optional conjunction و/ف followed by an optional preposition ب/ك/ل,
    /// left out of the span.
    Entity,
}

/// What a pattern demands of the proclitics in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrefixRequirement {
    /// Any allowed proclitics, or none.
    Any,
    /// At least one proclitic (cue forms that match only with a conjunction).
    Some,
    /// Proclitics ending with the preposition ل (the contracted article in "للأسد").
    EndsWithLam,
}

#[derive(Debug, Clone, Copy)]
struct PhraseRule {
    /// Index of the cue entry or alias the pattern stands for.
    owner: usize,
    /// Folded characters at the end of the pattern that must run on into the next word and
    /// are not part of the span (the " ل" of "وفقا لـ"); 0 for an ordinary whole-word pattern.
    attached_tail: usize,
    prefix: PrefixRequirement,
}

#[derive(Debug, Clone)]
struct PhraseSet {
    automaton: AhoCorasick,
    /// Rules of each distinct pattern, indexed by aho-corasick pattern id.
    rules: Vec<Vec<PhraseRule>>,
    proclitics: Proclitics,
}

/// A match as a span of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    start: usize,
    end: usize,
    owner: usize,
}

impl PhraseSet {
    fn build(
        patterns: Vec<(String, PhraseRule)>,
        proclitics: Proclitics,
    ) -> Result<PhraseSet, aho_corasick::BuildError> {
        let mut distinct: Vec<String> = Vec::new();
        let mut rules: Vec<Vec<PhraseRule>> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        for (pattern, rule) in patterns {
            match index_of.get(&pattern) {
                Some(&index) => rules[index].push(rule),
                None => {
                    index_of.insert(pattern.clone(), distinct.len());
                    distinct.push(pattern);
                    rules.push(vec![rule]);
                }
            }
        }
        // Standard semantics: every occurrence of every pattern is reported by the overlapping
        // search, and the whole-word filter and the longest-match choice happen afterwards.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&distinct)?;
        Ok(PhraseSet {
            automaton,
            rules,
            proclitics,
        })
    }

    fn find(&self, text: &str) -> Vec<Found> {
        let (folded, map) = fold_with_map(text);
        let chars: Vec<char> = folded.chars().collect();
        let original: Vec<char> = text.chars().collect();
        // Byte offset in `folded` → character index.
        let mut char_at_byte = vec![0; folded.len() + 1];
        for (index, (byte, _)) in folded.char_indices().enumerate() {
            char_at_byte[byte] = index;
        }
        char_at_byte[folded.len()] = chars.len();

        let mut candidates = Vec::new();
        for found in self.automaton.find_overlapping_iter(folded.as_str()) {
            let start = char_at_byte[found.start()];
            let end = char_at_byte[found.end()];
            let Some(rules) = self.rules.get(found.pattern().as_usize()) else {
                continue;
            };
            for rule in rules {
                let Some((span_start, span_end)) = self.accept(&chars, start, end, rule) else {
                    continue;
                };
                let (Some(&first), Some(&last)) =
                    (map.get(span_start), map.get(span_end.wrapping_sub(1)))
                else {
                    continue;
                };
                // Take in the marks (harakat, tanween, shadda) written on the last letter.
                let mut original_end = last + 1;
                while original
                    .get(original_end)
                    .is_some_and(|&c| is_arabic_mark(c))
                {
                    original_end += 1;
                }
                candidates.push(Found {
                    start: first,
                    end: original_end,
                    owner: rule.owner,
                });
            }
        }
        longest_non_overlapping(candidates)
    }

    /// Checks word boundaries and proclitics for a match of folded characters
    /// `start..end`; returns the folded span to report.
    fn accept(
        &self,
        chars: &[char],
        start: usize,
        end: usize,
        rule: &PhraseRule,
    ) -> Option<(usize, usize)> {
        let is_word = |index: usize| chars.get(index).is_some_and(|c| c.is_alphanumeric());
        let mut word_start = start;
        while word_start > 0 && is_word(word_start - 1) {
            word_start -= 1;
        }
        let prefix = chars.get(word_start..start)?;
        let prefix_allowed = match self.proclitics {
            Proclitics::Conjunction => matches!(prefix, [] | ['و' | 'ف']),
            Proclitics::Entity => matches!(
                prefix,
                [] | ['و' | 'ف' | 'ب' | 'ك' | 'ل'] | ['و' | 'ف', 'ب' | 'ك' | 'ل']
            ),
        };
        let requirement_met = match rule.prefix {
            PrefixRequirement::Any => true,
            PrefixRequirement::Some => !prefix.is_empty(),
            PrefixRequirement::EndsWithLam => prefix.last() == Some(&'ل'),
        };
        if !prefix_allowed || !requirement_met {
            return None;
        }
        let runs_on = is_word(end);
        if runs_on != (rule.attached_tail > 0) {
            return None;
        }
        let span_end = end.checked_sub(rule.attached_tail)?;
        let span_start = match self.proclitics {
            Proclitics::Conjunction => word_start,
            Proclitics::Entity => start,
        };
        (span_start < span_end).then_some((span_start, span_end))
    }
}

/// Keeps, from left to right, the earliest and then longest candidate, dropping any that
/// overlaps one already kept. Ties go to the lower owner index (earlier in the file or
/// registry).
fn longest_non_overlapping(mut candidates: Vec<Found>) -> Vec<Found> {
    candidates.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.owner.cmp(&b.owner))
    });
    let mut kept: Vec<Found> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if kept.last().is_none_or(|last| candidate.start >= last.end) {
            kept.push(candidate);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::starter_entities::starter_entities;
    use proptest::prelude::*;

    const SEEDS: [(&str, &str); 5] = [
        ("000", include_str!("../seeds/000_94999b6dfeaf2c9a.txt")),
        ("001", include_str!("../seeds/001_27af32c0e69d882f.txt")),
        ("002", include_str!("../seeds/002_d334092499d7ec8c.txt")),
        ("003", include_str!("../seeds/003_33ebafb7f274a61d.txt")),
        ("004", include_str!("../seeds/004_1f4fa77edfffa84d.txt")),
    ];

    /// Line `number` (1-based, as `cat -n` shows it) of seed `seed`.
    fn seed_line(seed: &str, number: usize) -> &'static str {
        let (_, text) = SEEDS
            .iter()
            .find(|(name, _)| *name == seed)
            .expect("known seed");
        text.lines().nth(number - 1).expect("line exists")
    }

    fn surfaces(text: &str, suggestions: &[Suggestion]) -> Vec<String> {
        suggestions.iter().map(|s| s.surface(text)).collect()
    }

    fn cue_lemma(suggestion: &Suggestion) -> &str {
        match &suggestion.kind {
            SuggestionKind::Cue { lemma } => lemma,
            _ => panic!("not a cue: {suggestion:?}"),
        }
    }

    fn entity_of(suggestion: &Suggestion) -> &str {
        match &suggestion.kind {
            SuggestionKind::Entity { entity } => entity,
            _ => panic!("not an entity: {suggestion:?}"),
        }
    }

    /// Code-point index of the first occurrence of `needle` in `text`.
    fn char_index(text: &str, needle: &str) -> usize {
        let byte = text.find(needle).expect("needle occurs");
        text[..byte].chars().count()
    }

    #[test]
    fn builtin_cue_file_parses() {
        let matcher = CueMatcher::from_toml(BUILTIN_CUES_TOML, BUILTIN_CUES_ORIGIN)
            .expect("built-in cue file");
        assert!(matcher.entries().len() >= 50, "{}", matcher.entries().len());
        assert!(matcher.form_count() >= 600, "{}", matcher.form_count());
        assert_eq!(
            CueMatcher::builtin().entries().len(),
            matcher.entries().len()
        );
        let lemmas: Vec<&str> = matcher.entries().iter().map(|e| e.lemma.as_str()).collect();
        for required in [
            "قال",
            "أكّد",
            "أضاف",
            "أشار",
            "شدّد",
            "نوّه",
            "لفت",
            "طالب",
            "دعا",
            "أوضح",
            "زعم",
            "اعتبر",
            "رأى",
            "كشف",
            "أعلن",
            "ذكر",
            "أفاد",
            "صرّح",
            "نفى",
            "حذّر",
            "اتّهم",
            "أعرب",
            "تابع",
            "أردف",
            "ختم",
            "نقل",
            "بحث",
            "عبّر",
            "وفقاً لـ",
        ] {
            assert!(lemmas.contains(&required), "missing lemma {required}");
        }
    }

    /// Every reporting cue of the seeds, as (seed, line, surface form as written).
    const SEED_CUES: &[(&str, usize, &str)] = &[
        ("000", 1, "يكشف"),
        ("000", 4, "كشف"),
        ("000", 5, "وذكر"),
        ("000", 6, "وأكد"),
        ("000", 7, "وقال"),
        ("000", 7, "وطالبنا"),
        ("000", 8, "أشار"),
        ("000", 8, "أكد"),
        ("000", 9, "وطالب"),
        ("000", 10, "وشدد"),
        ("000", 11, "ونوه"),
        ("000", 12, "يذكر"),
        ("000", 14, "أعلن"),
        ("000", 15, "وتحدث"),
        ("000", 15, "بحث"),
        ("000", 16, "قال"),
        ("000", 17, "وذكر"),
        ("000", 18, "وأشار"),
        ("000", 20, "ولفت"),
        ("000", 21, "يُشار"),
        ("001", 1, "تبدي"),
        ("001", 5, "أبدت"),
        ("001", 7, "وقال"),
        ("001", 9, "وأضاف"),
        ("001", 11, "ونوه"),
        ("001", 13, "وأردف"),
        ("001", 17, "وزعم"),
        ("001", 19, "ورأى"),
        ("001", 23, "وشدد"),
        ("001", 23, "داعياً"),
        ("001", 27, "قال"),
        ("001", 29, "وأضاف"),
        ("001", 31, "وأكد"),
        ("001", 33, "وشدد"),
        ("001", 37, "وختم بقوله"),
        ("001", 39, "وطالب"),
        ("002", 5, "أعلن"),
        ("002", 7, "وقال"),
        ("002", 9, "ونقل"),
        ("002", 13, "وأفاد"),
        ("002", 13, "عبّر عن"),
        ("002", 13, "ونقلت"),
        ("002", 15, "وأفاد"),
        ("002", 15, "مؤكداً"),
        ("002", 17, "وجاء في"),
        ("002", 19, "أعرب"),
        ("002", 21, "وقال"),
        ("002", 21, "أكد"),
        ("002", 25, "وقال"),
        ("003", 3, "بحث"),
        ("003", 5, "ناقش"),
        ("003", 7, "وقال"),
        ("003", 7, "مشيراً"),
        ("003", 9, "وشكر"),
        ("003", 9, "مؤكّداً"),
        ("003", 11, "وبحث"),
        ("003", 13, "أكّد"),
        ("003", 13, "أشار"),
        ("003", 15, "ولفت"),
        ("003", 15, "تدين"),
        ("003", 15, "وتندّد"),
        ("003", 15, "مشيراً"),
        ("003", 17, "ودعا"),
        ("003", 17, "مؤكّداً"),
        ("003", 19, "ولفت"),
        ("003", 19, "مضيفاً بقوله"),
        ("003", 19, "ندعو"),
        ("003", 21, "وعبّر"),
        ("003", 21, "وحثَّ"),
        ("004", 6, "قالت"),
        ("004", 7, "وأضاف"),
        ("004", 7, "بحثا"),
        ("004", 8, "وأوضح"),
        ("004", 9, "وأكد"),
        ("004", 11, "أعلنت"),
        ("004", 11, "حسب ما"),
        ("004", 12, "وذكر"),
        ("004", 12, "مضيفاً"),
        ("004", 13, "وأكد"),
        ("004", 14, "ولفت"),
        ("004", 15, "ووفقاً"),
        ("004", 15, "أكدا"),
        ("004", 16, "تتحدث"),
        ("004", 19, "كشف"),
        ("004", 20, "وأفاد"),
        ("004", 21, "وذكر"),
        ("004", 22, "وأشار"),
        ("004", 22, "تتحدث"),
        ("004", 23, "ولفت"),
        ("004", 25, "وأكد"),
        ("004", 26, "أضاف"),
        ("004", 27, "وشدد"),
    ];

    #[test]
    fn finds_every_reporting_cue_of_the_seeds_with_exact_offsets() {
        let matcher = CueMatcher::builtin();
        for &(seed, line, expected) in SEED_CUES {
            let text = seed_line(seed, line);
            let cues = matcher.find_cues(text);
            let start = char_index(text, expected);
            let end = start + expected.chars().count();
            let found = cues.iter().find(|cue| cue.start == start);
            let Some(found) = found else {
                panic!(
                    "{seed}:{line}: no cue at {start} ({expected}); found {:?}",
                    surfaces(text, &cues)
                );
            };
            assert_eq!(found.end, end, "{seed}:{line}: {expected}");
            assert_eq!(found.surface(text), expected, "{seed}:{line}");
            assert!(!cue_lemma(found).is_empty());
        }
    }

    #[test]
    fn cue_spans_keep_the_conjunction_and_report_the_lemma() {
        let text = "وأكدَّ الرئيس، فقال: ووفقاً لبيان الخارجية";
        let cues = CueMatcher::builtin().find_cues(text);
        assert_eq!(surfaces(text, &cues), ["وأكدَّ", "فقال", "ووفقاً"]);
        let lemmas: Vec<&str> = cues.iter().map(cue_lemma).collect();
        assert_eq!(lemmas, ["أكّد", "قال", "وفقاً لـ"]);
    }

    #[test]
    fn attached_preposition_cue_needs_the_next_word() {
        let matcher = CueMatcher::builtin();
        assert!(matcher.find_cues("وفقاً ل").is_empty());
        assert!(matcher.find_cues("وفقاً لـ ").is_empty());
        assert_eq!(
            surfaces("وفقاً للبيان", &matcher.find_cues("وفقاً للبيان")),
            ["وفقاً"]
        );
        assert_eq!(
            surfaces("وفقًا لـبيان", &matcher.find_cues("وفقًا لـبيان")),
            ["وفقًا"]
        );
    }

    #[test]
    fn conjunction_only_forms_need_the_conjunction() {
        let matcher = CueMatcher::builtin();
        let text = "أجراه عبر تقنية الفيديو";
        assert!(
            matcher.find_cues(text).is_empty(),
            "{:?}",
            matcher.find_cues(text)
        );
        let text = "وعبّر رئيس الائتلاف عن شكره";
        assert_eq!(surfaces(text, &matcher.find_cues(text)), ["وعبّر"]);
        let text = "فصيل تابع للنظام، وتابع قائلاً";
        assert_eq!(surfaces(text, &matcher.find_cues(text)), ["وتابع", "قائلاً"]);
    }

    #[test]
    fn no_cues_in_ordinary_words_of_the_seeds() {
        let matcher = CueMatcher::builtin();
        for text in [
            // Nouns and adjectives that share letters with reporting verbs.
            "مقالات ذات صلة",
            "إضافةً إلى إطلاعه على آخر التحضيرات",
            "قال المتحدث باسم المعارضة",
            "وكان الحريري قد أطلق تصريحاً مثيراً للجدل",
            "ونوه في حديثه مع الدبلوماسي الروسي",
            "إلى جانب مطالبته بتوقف القيادة الروسية",
            "حول رد المسؤول الروسي على المطالب المقدمة",
            "موقف المعارضة السورية من الدعوة الروسية",
            "الحقول الإلزامية مشار إليها بـ",
            "ويجري اتصالات مع عدد من زعماء الدول العربية",
            "اقرأ أيضاً: هل ينجح بشار الأسد بالبقاء",
            "على اعتبار ذلك يساعد في إيجاد حلّ سياسي",
            "كثفت روسيا تحركاتها الدبلوماسية بشكل لافت",
            "وذلك خلال حوار أجراه عبر تقنية الفيديو",
            "القول والقائل وقالب ومقال",
            "شكراً لكم، ومرحباً بكم في المقر",
        ] {
            let cues = matcher.find_cues(text);
            let unexpected: Vec<String> = cues
                .iter()
                .map(|cue| cue.surface(text))
                .filter(|surface| !["قال", "ونوه"].contains(&surface.as_str()))
                .collect();
            assert!(unexpected.is_empty(), "{text}: {unexpected:?}");
        }
    }

    #[test]
    fn boilerplate_lines_of_the_seeds_have_no_cues() {
        let matcher = CueMatcher::builtin();
        for (seed, line) in [
            ("000", 3),
            ("000", 13),
            ("001", 15),
            ("001", 21),
            ("001", 41),
            ("001", 43),
            ("002", 3),
            ("002", 31),
            ("002", 33),
            ("003", 23),
            ("003", 25),
            ("003", 27),
            ("003", 29),
            ("004", 1),
            ("004", 2),
            ("004", 3),
        ] {
            let text = seed_line(seed, line);
            let cues = matcher.find_cues(text);
            assert!(
                cues.is_empty(),
                "{seed}:{line}: {:?}",
                surfaces(text, &cues)
            );
        }
    }

    fn broken_cues(source: &str) -> CueFileError {
        CueMatcher::from_toml(source, "broken-cues.toml").expect_err("must be rejected")
    }

    #[test]
    fn cue_file_validation_names_file_and_entry() {
        let error = broken_cues(
            "[[cue]]\nlemma = \"قال\"\nforms = [\"قال\"]\n[[cue]]\nlemma = \"أكد\"\nforms = [\"أكّد\", \"قالَ\"]\n",
        );
        assert!(
            matches!(error.problem(), Some(CueProblem::DuplicateForm { .. })),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("broken-cues.toml: cue #2 \"أكد\""),
            "{message}"
        );
        assert!(message.contains("cue #1 \"قال\""), "{message}");

        let error = broken_cues(
            "[[cue]]\nlemma = \"قال\"\nforms = [\"قال\"]\n[[cue]]\nlemma = \"قال\"\nforms = [\"يقول\"]\n",
        );
        assert!(
            matches!(error.problem(), Some(CueProblem::DuplicateLemma { .. })),
            "{error:?}"
        );

        let error = broken_cues("[[cue]]\nlemma = \"قال\"\nforms = []\n");
        assert!(
            matches!(error.problem(), Some(CueProblem::NoForms { .. })),
            "{error:?}"
        );
        assert!(error.to_string().contains("cue #1 \"قال\""), "{error}");

        let error = broken_cues("[[cue]]\nlemma = \"قال\"\nforms = [\"ـــ\"]\n");
        assert!(
            matches!(error.problem(), Some(CueProblem::EmptyForm { .. })),
            "{error:?}"
        );

        let error = broken_cues("[[cue]]\nlemma = \"وفقا\"\nforms = [\"وفقا للـ\"]\n");
        assert!(
            matches!(error.problem(), Some(CueProblem::BadAttachedForm { .. })),
            "{error:?}"
        );

        let error = broken_cues("[[cue]]\nlemma = \" \"\nforms = [\"قال\"]\n");
        assert!(
            matches!(error.problem(), Some(CueProblem::EmptyLemma { .. })),
            "{error:?}"
        );

        let error = broken_cues("[[cue]]\nlemma = \"قال\"\nform = [\"قال\"]\n");
        assert!(matches!(error, DataFileError::Syntax { .. }), "{error:?}");
        assert!(
            error.to_string().starts_with("broken-cues.toml:"),
            "{error}"
        );

        let error = broken_cues("# nothing\n");
        assert!(
            matches!(error.problem(), Some(CueProblem::NoCues)),
            "{error:?}"
        );
    }

    /// The starter registry's aliases, keyed by canonical name; built once for all tests.
    fn starter_matcher() -> &'static AliasMatcher {
        static MATCHER: OnceLock<AliasMatcher> = OnceLock::new();
        MATCHER.get_or_init(|| {
            AliasMatcher::new(starter_entities().into_iter().flat_map(|entity| {
                let key = entity.canonical_name.clone();
                entity
                    .aliases
                    .into_iter()
                    .map(move |alias| (key.clone(), alias))
            }))
        })
    }

    /// (surface, entity) of every entity suggestion in `text`.
    fn mentions(matcher: &AliasMatcher, text: &str) -> Vec<(String, String)> {
        matcher
            .find(text)
            .iter()
            .map(|s| (s.surface(text), entity_of(s).to_owned()))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(surface, entity)| ((*surface).to_owned(), (*entity).to_owned()))
            .collect()
    }

    #[test]
    fn alias_matching_prefers_the_longest_alias() {
        let matcher = starter_matcher();
        let text = seed_line("000", 4);
        assert_eq!(
            mentions(matcher, text),
            pairs(&[
                ("الائتلاف الوطني السوري", "Syrian National Coalition"),
                ("نصر الحريري", "Nasr al-Hariri"),
                ("روسيا", "Russia"),
                ("الأمم المتحدة", "United Nations"),
                ("موسكو", "Russia"),
                ("رأس النظام السوري", "Bashar al-Assad"),
                ("بشار الأسد", "Bashar al-Assad"),
            ])
        );
        let text = seed_line("001", 7);
        assert_eq!(
            mentions(matcher, text),
            pairs(&[
                ("المبعوث الخاص للرئيس الروسي", "Alexander Lavrentiev"),
                ("ألكسندر لافرنتيف", "Alexander Lavrentiev"),
                ("المعارضة", "Syrian opposition"),
            ])
        );
    }

    #[test]
    fn alias_spans_leave_out_proclitics() {
        let matcher = starter_matcher();
        // وطالبنا روسيا … مع الأسد ; لنظام الأسد ; بالأسد ; وروسيا ; وبالأسد
        let text = "وطالبنا روسيا بفض شراكتها مع الأسد ودعم لنظام الأسد وتمسكها بالأسد وروسيا وبالأسد";
        assert_eq!(
            mentions(matcher, text),
            pairs(&[
                ("روسيا", "Russia"),
                ("الأسد", "Bashar al-Assad"),
                ("نظام الأسد", "Bashar al-Assad"),
                ("الأسد", "Bashar al-Assad"),
                ("روسيا", "Russia"),
                ("الأسد", "Bashar al-Assad"),
            ])
        );
        let suggestions = matcher.find(text);
        // "لنظام الأسد": the span starts after the ل.
        let start = char_index(text, "لنظام") + 1;
        assert!(suggestions.iter().any(|s| s.start == start));
    }

    #[test]
    fn lam_before_the_article_contracts() {
        let matcher = starter_matcher();
        let text = "على هامش اجتماعات الجمعية العامة للأمم المتحدة بدورتها، وللأسد حلفاء";
        let found = mentions(matcher, text);
        assert_eq!(
            found,
            pairs(&[
                ("الجمعية العامة للأمم المتحدة", "United Nations"),
                ("لأسد", "Bashar al-Assad"),
            ])
        );
        let text = "الأمم المتحدة تحذر، ونقلت للأمم المتحدة رسالة";
        assert_eq!(
            mentions(matcher, text),
            pairs(&[
                ("الأمم المتحدة", "United Nations"),
                ("لأمم المتحدة", "United Nations"),
            ])
        );
        // A bare "لأسد" (to a lion) has no preposition before the article's lam.
        assert!(matcher.find("قدم لأسد طعاما").is_empty());
    }

    #[test]
    fn aliases_do_not_match_inside_longer_words() {
        let matcher = starter_matcher();
        for text in [
            "القيادة الروسية",
            "الدبلوماسي الروسي",
            "روسياتي",
            "الإيرانية",
            "كبلروسيا",
            "والمعارضات",
            "الأسدي",
            "مؤتمر الرياض2 في فندق",
        ] {
            let found = mentions(matcher, text);
            let unexpected: Vec<_> = found
                .iter()
                .filter(|(surface, _)| !["القيادة الروسية", "المعارضة"].contains(&surface.as_str()))
                .collect();
            assert!(unexpected.is_empty(), "{text}: {found:?}");
        }
        // "القيادة الروسية" is itself an alias of Russia; "الروسية" alone is nothing.
        assert_eq!(
            mentions(matcher, "القيادة الروسية"),
            pairs(&[("القيادة الروسية", "Russia")])
        );
        assert!(matcher.find("الدعوة الروسية").is_empty());
    }

    #[test]
    fn alias_offsets_survive_marks_tatweel_and_quotes() {
        let matcher = starter_matcher();
        let text = "وسط تمسك القيادة الروسية بـ”بشار الأسد” ونظامه، وروسيـا والأسدُ";
        assert_eq!(
            mentions(matcher, text),
            pairs(&[
                ("القيادة الروسية", "Russia"),
                ("بشار الأسد", "Bashar al-Assad"),
                ("روسيـا", "Russia"),
                ("الأسدُ", "Bashar al-Assad"),
            ])
        );
    }

    #[test]
    fn every_starter_alias_finds_itself() {
        let matcher = starter_matcher();
        for entity in starter_entities() {
            for alias in &entity.aliases {
                let found = matcher.find(alias);
                assert_eq!(
                    found,
                    [Suggestion {
                        start: 0,
                        end: alias.chars().count(),
                        kind: SuggestionKind::Entity {
                            entity: entity.canonical_name.clone()
                        }
                    }],
                    "alias {alias:?} of {}",
                    entity.canonical_name
                );
            }
        }
    }

    #[test]
    fn shared_aliases_go_to_the_first_entity_and_empty_aliases_are_ignored() {
        let matcher = AliasMatcher::new([
            ("a".to_owned(), "الأسد".to_owned()),
            ("b".to_owned(), "الاسد".to_owned()),
            ("c".to_owned(), "ـ".to_owned()),
        ]);
        assert_eq!(matcher.alias_count(), 2);
        let found = matcher.find("قال الأسد");
        assert_eq!(found.len(), 1);
        assert_eq!(entity_of(&found[0]), "a");
        assert!(AliasMatcher::new(Vec::new()).find("الأسد").is_empty());
        assert!(AliasMatcher::default().is_empty());
    }

    #[test]
    fn entity_suggestions_across_the_seeds_are_well_formed() {
        let matcher = starter_matcher();
        let cues = CueMatcher::builtin();
        for (seed, text) in SEEDS {
            for line in text.lines() {
                let all = suggest_all(line, cues, matcher);
                let length = line.chars().count();
                for suggestion in &all {
                    assert!(suggestion.start < suggestion.end, "{seed}: {suggestion:?}");
                    assert!(suggestion.end <= length, "{seed}: {suggestion:?}");
                    let surface = suggestion.surface(line);
                    // Never starts or ends on a space or punctuation.
                    let first = surface.chars().next().expect("non-empty");
                    let last = surface.chars().last().expect("non-empty");
                    assert!(first.is_alphanumeric(), "{seed}: {surface:?}");
                    assert!(
                        last.is_alphanumeric() || is_arabic_mark(last),
                        "{seed}: {surface:?}"
                    );
                }
                assert!(all.windows(2).all(|w| w[0].start <= w[1].start));
            }
        }
    }

    fn arabic_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "قال",
            "و",
            "ف",
            "ب",
            "ل",
            "ال",
            "الأسد",
            "بشار",
            "روسيا",
            "ـ",
            "ً",
            "ّ",
            " ",
            "  ",
            "، ",
            ":",
            "”",
            "أ",
            "ة",
            "ى",
            "لل",
            "وفقاً",
            "لـ",
            "عبر",
            "ﻻ",
            "\u{200c}",
            "١",
            "x",
            "\n",
            "مؤكداً",
            "الأمم المتحدة",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn check_well_formed(text: &str, suggestions: &[Suggestion]) -> Result<(), TestCaseError> {
        let length = text.chars().count();
        for suggestion in suggestions {
            prop_assert!(suggestion.start < suggestion.end);
            prop_assert!(suggestion.end <= length);
        }
        for pair in suggestions.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start, "{:?}", pair);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn cue_offsets_are_in_bounds_ordered_and_disjoint(text in any::<String>()) {
            let suggestions = CueMatcher::builtin().find_cues(&text);
            check_well_formed(&text, &suggestions)?;
        }

        #[test]
        fn arabic_like_text_gives_well_formed_suggestions(text in arabic_text()) {
            let cues = CueMatcher::builtin().find_cues(&text);
            check_well_formed(&text, &cues)?;
            let aliases = starter_matcher().find(&text);
            check_well_formed(&text, &aliases)?;
        }

        #[test]
        fn alias_offsets_are_in_bounds_for_any_text(
            text in any::<String>(),
            alias in any::<String>(),
        ) {
            let matcher = AliasMatcher::new([("e".to_owned(), alias)]);
            let suggestions = matcher.find(&text);
            check_well_formed(&text, &suggestions)?;
        }
    }
}
