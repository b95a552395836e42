//! The word lists of `schema/attribution.toml`, folded once.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::corpus::normalize::fold;
use crate::data_files::{self, DataFile, DataFileError};

/// The data-file version this code understands.
const SUPPORTED_VERSION: u32 = 1;

/// What is wrong in a well-formed attribution file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconProblem {
    #[error("version {found} is not supported (this build reads version {SUPPORTED_VERSION})")]
    Version { found: u32 },
    #[error(
        "contextual_cue {lemma:?}: `when` must be \"after_comma\" or \"before_complementizer\", not {when:?}"
    )]
    UnknownContext { lemma: String, when: String },
    #[error("`{list}`: the entry {entry:?} has no letters left after folding")]
    EmptyEntry { list: &'static str, entry: String },
}

/// Why an attribution file cannot be used; every message names the file.
pub type LexiconFileError = DataFileError<LexiconProblem>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    version: u32,
    complementizers: Vec<String>,
    phrase_stops: Vec<String>,
    title_prepositions: Vec<String>,
    event_nouns: Vec<String>,
    clause_openers: Vec<String>,
    adverbial_openers: Vec<String>,
    title_words: Vec<String>,
    feminine_heads: Vec<String>,
    source_lemmas: Vec<String>,
    transmission_lemmas: Vec<String>,
    tail_lemmas: Vec<String>,
    issuing_verbs: Vec<String>,
    content_tails: Vec<String>,
    object_prepositions: Vec<String>,
    #[serde(default)]
    contextual_cue: Vec<RawContextualCue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContextualCue {
    lemma: String,
    when: String,
    forms: Vec<String>,
}

/// When a contextual cue form is a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueContext {
    /// Right after a comma.
    AfterComma,
    /// Followed, within its clause, by a complementizer.
    BeforeComplementizer,
}

/// A cue form that is a cue only in its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextualCue {
    pub lemma: String,
    pub when: CueContext,
    /// Folded forms, matched with or without an attached و/ف.
    pub forms: HashSet<String>,
}

/// The folded word lists the proposer consults.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub complementizers: HashSet<String>,
    pub phrase_stops: HashSet<String>,
    pub title_prepositions: HashSet<String>,
    pub event_nouns: HashSet<String>,
    pub clause_openers: HashSet<String>,
    pub adverbial_openers: HashSet<String>,
    pub title_words: HashSet<String>,
    pub feminine_heads: HashSet<String>,
    /// Cue lemmas as written in the cue file (not folded: they are compared with lemmas).
    pub source_lemmas: HashSet<String>,
    pub transmission_lemmas: HashSet<String>,
    pub tail_lemmas: HashSet<String>,
    /// Verbs of issuing a statement: their subject speaks in what follows.
    pub issuing_verbs: HashSet<String>,
    /// Each tail as its folded words.
    pub content_tails: Vec<Vec<String>>,
    pub contextual_cues: Vec<ContextualCue>,
    /// Cue lemma (as written) → the folded preposition of its object.
    pub object_prepositions: std::collections::HashMap<String, String>,
}

impl Lexicon {
    /// The built-in `schema/attribution.toml`, read once.
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Lexicon::from_toml(
                DataFile::Attribution.builtin_text(),
                DataFile::Attribution.builtin_path(),
            )
            .expect("the built-in attribution file is valid (checked by a unit test)")
        })
    }

    /// Parses and checks an attribution file; `origin` names it in errors.
    pub fn from_toml(source: &str, origin: &str) -> Result<Lexicon, LexiconFileError> {
        let raw: RawLexicon = data_files::parse(DataFile::Attribution, source, origin)?;
        Self::checked(raw).map_err(|problem| DataFileError::invalid(origin, problem))
    }

    fn checked(raw: RawLexicon) -> Result<Lexicon, LexiconProblem> {
        if raw.version != SUPPORTED_VERSION {
            return Err(LexiconProblem::Version { found: raw.version });
        }
        let set = |list: &'static str, entries: Vec<String>| -> Result<_, LexiconProblem> {
            entries
                .into_iter()
                .map(|entry| {
                    let folded = fold(&entry);
                    if folded.chars().any(char::is_alphanumeric) {
                        Ok(folded)
                    } else {
                        Err(LexiconProblem::EmptyEntry { list, entry })
                    }
                })
                .collect::<Result<HashSet<String>, _>>()
        };
        let content_tails = set("content_tails", raw.content_tails)?
            .into_iter()
            .map(|tail| tail.split(' ').map(str::to_owned).collect())
            .collect();
        let mut contextual_cues = Vec::new();
        for cue in raw.contextual_cue {
            let when = match cue.when.as_str() {
                "after_comma" => CueContext::AfterComma,
                "before_complementizer" => CueContext::BeforeComplementizer,
                _ => {
                    return Err(LexiconProblem::UnknownContext {
                        lemma: cue.lemma,
                        when: cue.when,
                    });
                }
            };
            contextual_cues.push(ContextualCue {
                forms: set("contextual_cue", cue.forms)?,
                lemma: cue.lemma,
                when,
            });
        }
        let mut object_prepositions = std::collections::HashMap::new();
        for entry in raw.object_prepositions {
            let (lemma, preposition) =
                entry
                    .rsplit_once(' ')
                    .ok_or_else(|| LexiconProblem::EmptyEntry {
                        list: "object_prepositions",
                        entry: entry.clone(),
                    })?;
            object_prepositions.insert(lemma.trim().to_owned(), fold(preposition));
        }
        Ok(Lexicon {
            contextual_cues,
            object_prepositions,
            complementizers: set("complementizers", raw.complementizers)?,
            phrase_stops: set("phrase_stops", raw.phrase_stops)?,
            title_prepositions: set("title_prepositions", raw.title_prepositions)?,
            event_nouns: set("event_nouns", raw.event_nouns)?,
            clause_openers: set("clause_openers", raw.clause_openers)?,
            adverbial_openers: set("adverbial_openers", raw.adverbial_openers)?,
            title_words: set("title_words", raw.title_words)?,
            feminine_heads: set("feminine_heads", raw.feminine_heads)?,
            source_lemmas: raw.source_lemmas.into_iter().collect(),
            transmission_lemmas: raw.transmission_lemmas.into_iter().collect(),
            tail_lemmas: raw.tail_lemmas.into_iter().collect(),
            issuing_verbs: set("issuing_verbs", raw.issuing_verbs)?,
            content_tails,
        })
    }
}
