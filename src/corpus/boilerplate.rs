//! Boilerplate flagging for Arabic news text: "read also" links, related-article headings,
//! back-to-top buttons, comment forms, cookie notices, subscription calls, share buttons,
//! bylines and datelines, bare counters, a headline printed twice, and the like.
//!
//! Boilerplate is flagged, never deleted: [`flag_boilerplate`] returns one entry per
//! sentence, `Some(reason)` — the stable id of the rule that matched — for boilerplate and
//! `None` for content. Sentence text and offsets are untouched.
//!
//! This module is the mechanism; the rules (patterns, scopes, length limits) live in
//! `schema/boilerplate.toml`, parsed into [`BoilerplateRules`]. Patterns are matched against
//! the *match form* of a line or sentence (dash-like separators unified, then
//! [`fold`]ed), so one pattern covers the spelling variants.
//!
//! All the patterns of all the rules are one automaton: one pass over a match form says which
//! rules match it (each pattern with its word-boundary assertions dropped, so that it can run
//! as a lazy DFA over Arabic text; the few patterns that had one are confirmed with their own
//! regex when the automaton reports them). [`flag_boilerplate_each_pattern`] tries the rules'
//! patterns one by one instead (the reference the tests compare against).

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
use serde::Deserialize;

use super::normalize::{fold, is_invisible_for_matching};
use super::segment::{RulesError, SentenceSpan, line_ranges, rule_error};
use crate::data_files::{self, DataFile};

/// Where the built-in boilerplate rules live, relative to the repository root; used to name
/// the file in errors.
pub const BOILERPLATE_FILE: &str = DataFile::Boilerplate.builtin_path();

/// The built-in boilerplate rules, embedded at compile time.
const BUILTIN_BOILERPLATE: &str = DataFile::Boilerplate.builtin_text();

/// The data-file version this code understands.
const SUPPORTED_VERSION: u32 = 1;

/// What a rule looks at, and what it flags when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// Matched against the whole line; flags every sentence of the line. For notices that
    /// run over several sentences.
    Line,
    /// Matched against each sentence; flags that sentence only.
    Sentence,
    /// Matched against each sentence; flags it and every later sentence of its line.
    RestOfLine,
}

impl RuleScope {
    fn parse(name: &str) -> Option<RuleScope> {
        match name {
            "line" => Some(RuleScope::Line),
            "sentence" => Some(RuleScope::Sentence),
            "rest_of_line" => Some(RuleScope::RestOfLine),
            _ => None,
        }
    }
}

/// One boilerplate rule from the data file.
#[derive(Debug)]
pub struct BoilerplateRule {
    id: String,
    description: String,
    scope: RuleScope,
    max_chars: Option<usize>,
    patterns: Vec<Regex>,
    list: Option<ListAfter>,
}

impl BoilerplateRule {
    /// A rule checked from its table; errors name `file` and the rule's `key`.
    fn from_table(file: &str, key: &str, table: &RuleTable) -> Result<BoilerplateRule, RulesError> {
        if table.description.trim().is_empty() {
            return Err(rule_error(file, format!("{key}.description"), "is empty"));
        }
        let scope = RuleScope::parse(&table.scope).ok_or_else(|| {
            rule_error(
                file,
                format!("{key}.scope"),
                format!(
                    "`{}` is not one of `line`, `sentence`, `rest_of_line`",
                    table.scope
                ),
            )
        })?;
        if table.max_chars == Some(0) {
            return Err(rule_error(
                file,
                format!("{key}.max_chars"),
                "must be at least 1",
            ));
        }
        if table.patterns.is_empty() {
            return Err(rule_error(
                file,
                format!("{key}.patterns"),
                "has no pattern",
            ));
        }
        let mut patterns = Vec::with_capacity(table.patterns.len());
        for (pattern_index, pattern) in table.patterns.iter().enumerate() {
            let regex = Regex::new(pattern).map_err(|error| {
                rule_error(
                    file,
                    format!("{key}.patterns[{pattern_index}]"),
                    format!("invalid regular expression: {error}"),
                )
            })?;
            patterns.push(regex);
        }
        let list = match &table.list {
            Some(list) if list.lines == 0 || list.words == 0 => {
                return Err(rule_error(
                    file,
                    format!("{key}.list"),
                    "`lines` and `words` must be at least 1",
                ));
            }
            Some(list) => Some(ListAfter {
                lines: list.lines,
                words: list.words,
            }),
            None => None,
        };
        Ok(BoilerplateRule {
            id: table.id.clone(),
            description: table.description.clone(),
            scope,
            max_chars: table.max_chars,
            patterns,
            list,
        })
    }
}

/// The links listed under a heading: after a line its rule flags, up to `lines` following
/// non-empty lines of at most `words` words that do not end in sentence punctuation (link
/// titles, not body sentences) get the same reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListAfter {
    pub lines: usize,
    pub words: usize,
}

impl ListAfter {
    /// True if the line `text` reads as a link title of the list.
    fn takes(self, text: &str, rules: &BoilerplateRules) -> bool {
        rules.match_form(text).is_some_and(|form| {
            let words = form.split_whitespace().count();
            (1..=self.words).contains(&words) && !ends_a_sentence(&form)
        })
    }
}

/// True if `form` ends in sentence punctuation (. ! ? ؟ …), closing quotes and brackets aside.
fn ends_a_sentence(form: &str) -> bool {
    form.trim_end_matches(|c: char| c.is_whitespace() || "\"'”»)]".contains(c))
        .ends_with(['.', '!', '?', '؟', '…'])
}

impl BoilerplateRule {
    /// The stable id, reported as the reason for flagged sentences.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What the rule is for, in words.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// What the rule looks at and flags.
    pub fn scope(&self) -> RuleScope {
        self.scope
    }

    /// The list of links it heads, if it is a list heading.
    pub fn list(&self) -> Option<ListAfter> {
        self.list
    }

    /// True if the match form `form` is short enough for the rule and a pattern matches it.
    fn matches(&self, form: &str) -> bool {
        if let Some(max_chars) = self.max_chars
            && longer_than(form, max_chars)
        {
            return false;
        }
        self.patterns.iter().any(|pattern| pattern.is_match(form))
    }

    /// True if the match form `form` is short enough for the rule.
    fn fits(&self, form: &str) -> bool {
        self.max_chars
            .is_none_or(|max_chars| !longer_than(form, max_chars))
    }
}

/// The repeated-title check: the second non-empty line equal to the first.
#[derive(Debug)]
struct RepeatedTitle {
    id: String,
    description: String,
}

/// The repeated-line check's settings: a short line that is not a body sentence, found in
/// at least `min_documents` documents of one group (see [`crate::corpus::repeated_lines`]).
#[derive(Debug)]
pub struct RepeatedLine {
    id: String,
    description: String,
    min_documents: usize,
    max_chars: usize,
    max_words: usize,
    sentence_words: usize,
    /// All body patterns as one regex: a line it matches reads as content.
    body: Regex,
}

impl RepeatedLine {
    fn from_table(
        file: &str,
        table: &RepeatedLineTable,
    ) -> Result<Option<RepeatedLine>, RulesError> {
        check_id(file, "repeated_line.id", &table.id)?;
        if table.description.trim().is_empty() {
            return Err(rule_error(file, "repeated_line.description", "is empty"));
        }
        for (key, value) in [
            ("min_documents", table.min_documents),
            ("max_chars", table.max_chars),
            ("max_words", table.max_words),
            ("sentence_words", table.sentence_words),
        ] {
            if value == 0 {
                return Err(rule_error(
                    file,
                    format!("repeated_line.{key}"),
                    "must be at least 1",
                ));
            }
        }
        if table.min_documents < 2 {
            return Err(rule_error(
                file,
                "repeated_line.min_documents",
                "must be at least 2 (a line in one document is not repeated)",
            ));
        }
        for (index, pattern) in table.body_patterns.iter().enumerate() {
            Regex::new(pattern).map_err(|error| {
                rule_error(
                    file,
                    format!("repeated_line.body_patterns[{index}]"),
                    format!("invalid regular expression: {error}"),
                )
            })?;
        }
        let joined = if table.body_patterns.is_empty() {
            // Matches nothing.
            r"[^\s\S]".to_owned()
        } else {
            table
                .body_patterns
                .iter()
                .map(|pattern| format!("(?:{pattern})"))
                .collect::<Vec<_>>()
                .join("|")
        };
        let body = Regex::new(&joined).map_err(|error| {
            rule_error(
                file,
                "repeated_line.body_patterns",
                format!("invalid regular expression: {error}"),
            )
        })?;
        Ok(table.enabled.then(|| RepeatedLine {
            id: table.id.clone(),
            description: table.description.clone(),
            min_documents: table.min_documents,
            max_chars: table.max_chars,
            max_words: table.max_words,
            sentence_words: table.sentence_words,
            body,
        }))
    }

    /// The reason given to the sentences of a repeated line.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What the check is for, in words.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// In how many documents of one group a line must be to be flagged.
    pub fn min_documents(&self) -> usize {
        self.min_documents
    }

    /// True if `line` (as written) is too long to be counted.
    pub(crate) fn too_long(&self, line: &str) -> bool {
        longer_than(line, self.max_chars)
    }

    /// The part of [`RepeatedLine::looks_like_body`] that needs no folding: too many words,
    /// or more than `sentence_words` words ending in sentence punctuation. Folding changes
    /// neither (it drops marks and joins white space; a "word" made only of invisible
    /// characters is the one difference, and it can only keep a line from counting).
    pub(crate) fn looks_like_body_by_shape(&self, text: &str) -> bool {
        let words = text.split_whitespace().count();
        words > self.max_words || (ends_a_sentence(text) && words > self.sentence_words)
    }

    /// True if the match form `form` of a line reads as a body sentence, never flagged as a
    /// repeated line: more than `max_words` words; more than `sentence_words` words ending
    /// in sentence punctuation; or a body pattern (a reporting cue, a verb) inside.
    pub fn looks_like_body(&self, form: &str) -> bool {
        let words = form.split_whitespace().count();
        if words > self.max_words {
            return true;
        }
        (ends_a_sentence(form) && words > self.sentence_words) || self.body.is_match(form)
    }
}

/// Boilerplate rules, parsed and checked from `schema/boilerplate.toml`.
#[derive(Debug)]
pub struct BoilerplateRules {
    max_chars: usize,
    /// Sorted.
    dashes: Vec<char>,
    repeated_title: Option<RepeatedTitle>,
    repeated_line: Option<RepeatedLine>,
    rules: Vec<BoilerplateRule>,
    /// All patterns in one automaton that says in one pass which rules match. `None` if it
    /// could not be built (then every rule is tried).
    automaton: Option<Automaton>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoilerplateFile {
    version: u32,
    matching: MatchingTable,
    repeated_title: RepeatedTitleTable,
    #[serde(default)]
    repeated_line: Option<RepeatedLineTable>,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchingTable {
    max_chars: usize,
    dashes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepeatedTitleTable {
    enabled: bool,
    id: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepeatedLineTable {
    enabled: bool,
    id: String,
    description: String,
    min_documents: usize,
    max_chars: usize,
    max_words: usize,
    sentence_words: usize,
    body_patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleTable {
    id: String,
    description: String,
    scope: String,
    max_chars: Option<usize>,
    patterns: Vec<String>,
    list: Option<ListTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListTable {
    lines: usize,
    words: usize,
}

impl BoilerplateRules {
    /// The built-in rules from `schema/boilerplate.toml`, parsed once.
    pub fn builtin() -> &'static BoilerplateRules {
        static BUILTIN: OnceLock<BoilerplateRules> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            BoilerplateRules::from_toml(BUILTIN_BOILERPLATE)
                .expect("the embedded schema/boilerplate.toml is valid (a unit test parses it)")
        })
    }

    /// Parses rules from TOML text shaped like `schema/boilerplate.toml`; errors name that
    /// file. Use [`BoilerplateRules::from_toml_named`] for data read from elsewhere.
    pub fn from_toml(source: &str) -> Result<BoilerplateRules, RulesError> {
        Self::from_toml_named(source, BOILERPLATE_FILE)
    }

    /// Reads and parses a rules file; errors name `path`.
    pub fn from_path(path: &Path) -> Result<BoilerplateRules, RulesError> {
        let (source, file) = data_files::read(path)?;
        Self::from_toml_named(&source, &file)
    }

    /// Parses rules from TOML text; errors name `file`.
    pub fn from_toml_named(source: &str, file: &str) -> Result<BoilerplateRules, RulesError> {
        let data: BoilerplateFile = data_files::parse(DataFile::Boilerplate, source, file)?;
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
        if data.matching.max_chars == 0 {
            return Err(rule_error(file, "matching.max_chars", "must be at least 1"));
        }
        let mut dashes = Vec::new();
        for (index, dash) in data.matching.dashes.iter().enumerate() {
            let mut chars = dash.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_whitespace() => {
                    dashes.push(c);
                }
                _ => {
                    return Err(rule_error(
                        file,
                        format!("matching.dashes[{index}]"),
                        format!("`{dash}` must be exactly one non-space character"),
                    ));
                }
            }
        }

        let mut seen_ids: HashSet<&str> = HashSet::new();
        let repeated_title = &data.repeated_title;
        check_id(file, "repeated_title.id", &repeated_title.id)?;
        if repeated_title.description.trim().is_empty() {
            return Err(rule_error(file, "repeated_title.description", "is empty"));
        }
        seen_ids.insert(&repeated_title.id);
        let repeated_line = match &data.repeated_line {
            Some(table) => {
                if !seen_ids.insert(&table.id) {
                    return Err(rule_error(
                        file,
                        "repeated_line.id",
                        "is already used by another rule",
                    ));
                }
                RepeatedLine::from_table(file, table)?
            }
            None => None,
        };

        let mut rules = Vec::with_capacity(data.rules.len());
        for (index, table) in data.rules.iter().enumerate() {
            check_id(file, &format!("rule[{index}].id"), &table.id)?;
            let key = format!("rule[{index}] (id `{}`)", table.id);
            if !seen_ids.insert(&table.id) {
                return Err(rule_error(
                    file,
                    format!("{key}.id"),
                    "is already used by another rule",
                ));
            }
            rules.push(BoilerplateRule::from_table(file, &key, table)?);
        }

        dashes.sort_unstable();
        dashes.dedup();
        if rules.len() > RuleSet::CAPACITY {
            return Err(rule_error(
                file,
                "rule",
                format!(
                    "has {} rules: at most {} are supported",
                    rules.len(),
                    RuleSet::CAPACITY
                ),
            ));
        }
        let automaton = Automaton::new(&rules);
        Ok(BoilerplateRules {
            max_chars: data.matching.max_chars,
            dashes,
            automaton,
            repeated_line,
            repeated_title: repeated_title.enabled.then(|| RepeatedTitle {
                id: repeated_title.id.clone(),
                description: repeated_title.description.clone(),
            }),
            rules,
        })
    }

    /// The repeated-line check (see [`crate::corpus::repeated_lines`]), if enabled.
    pub fn repeated_line(&self) -> Option<&RepeatedLine> {
        self.repeated_line.as_ref()
    }

    /// The pattern rules, in the order they are tried (after the repeated-title check).
    pub fn rules(&self) -> &[BoilerplateRule] {
        &self.rules
    }

    /// The description of the rule with this id (a reason from [`flag_boilerplate`]).
    pub fn description_of(&self, id: &str) -> Option<&str> {
        if let Some(title) = &self.repeated_title
            && title.id == id
        {
            return Some(&title.description);
        }
        if let Some(line) = &self.repeated_line
            && line.id == id
        {
            return Some(&line.description);
        }
        self.rules
            .iter()
            .find(|rule| rule.id == id)
            .map(|rule| rule.description.as_str())
    }

    /// The text patterns are matched against: dash-like separators replaced by `-` (a
    /// tatweel only where it stands alone), then folded. `None` for text longer than
    /// `[matching].max_chars` code points, which is never boilerplate.
    pub fn match_form(&self, text: &str) -> Option<String> {
        if longer_than(text, self.max_chars) {
            return None;
        }
        if !text.chars().any(|c| self.is_dash(c)) {
            return Some(fold(text));
        }
        let chars: Vec<char> = text.chars().collect();
        let mut unified = String::with_capacity(text.len());
        let mut index = 0;
        while let Some(&c) = chars.get(index) {
            if !self.is_dash(c) {
                unified.push(c);
                index += 1;
                continue;
            }
            if !is_invisible_for_matching(c) {
                unified.push('-');
                index += 1;
                continue;
            }
            // A dash that folding would drop (the tatweel): a dash only when its whole run
            // stands alone, not when it stretches a word (`بـ`, `منـ.ـعه`).
            let run_end = chars[index..]
                .iter()
                .position(|&other| other != c)
                .map_or(chars.len(), |offset| index + offset);
            let alone_before =
                index == 0 || chars.get(index - 1).is_some_and(|p| p.is_whitespace());
            let alone_after = chars.get(run_end).is_none_or(|n| n.is_whitespace());
            if alone_before && alone_after {
                unified.push('-');
            } else {
                unified.extend(&chars[index..run_end]);
            }
            index = run_end;
        }
        Some(fold(&unified))
    }

    fn is_dash(&self, c: char) -> bool {
        self.dashes.binary_search(&c).is_ok()
    }

    /// The rules that match the match form of `text`; `None` for text too long to be
    /// boilerplate. With `one_pass`, the automaton says which rules match; without it (or
    /// when there is no automaton) every rule's patterns are tried one by one.
    fn candidate(&self, text: &str, one_pass: bool) -> Option<RuleSet> {
        let form = self.match_form(text)?;
        let matched = match (&self.automaton, one_pass) {
            (Some(automaton), true) => automaton.matching_rules(&form, &self.rules),
            _ => {
                let mut matched = RuleSet::default();
                for (index, rule) in self.rules.iter().enumerate() {
                    if rule.matches(&form) {
                        matched.insert(index);
                    }
                }
                matched
            }
        };
        Some(matched)
    }
}

/// A set of rules, by their index in the file (at most [`RuleSet::CAPACITY`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RuleSet(u128);

impl RuleSet {
    const CAPACITY: usize = 128;

    fn insert(&mut self, index: usize) {
        if index < Self::CAPACITY {
            self.0 |= 1 << index;
        }
    }

    fn contains(self, index: usize) -> bool {
        index < Self::CAPACITY && self.0 & (1 << index) != 0
    }
}

/// Room for the automaton's lazy DFA states (per thread that imports).
const AUTOMATON_CACHE_BYTES: usize = 32 << 20;

/// Every pattern of every rule in one automaton: one pass over a match form says which
/// patterns match (an overlapping search for all matches, as `RegexSet` does). The search is
/// anchored at the start of the form (patterns without `^` are preceded by `.*`), so the
/// lazy DFA dies, and the pass ends, as soon as no pattern can match any more.
///
/// Each pattern goes in with its word-boundary assertions removed: Unicode word boundaries
/// would keep the lazy DFA off non-ASCII text (the search would fall back to the PikeVM,
/// which took 80 % of an import's instructions), and dropping an assertion only widens what
/// a pattern matches. A pattern that had one is confirmed with its own regex when the
/// automaton reports it, which is rare (most forms match nothing); every other answer is
/// exact.
#[derive(Debug)]
struct Automaton {
    regex: regex_automata::meta::Regex,
    /// For each of the automaton's patterns: its rule's index, the pattern's index in the
    /// rule, and whether it must be confirmed (it had word boundaries).
    patterns: Vec<(usize, usize, bool)>,
}

impl Automaton {
    /// `None` if a pattern cannot be parsed again or the automaton is too big.
    fn new(rules: &[BoilerplateRule]) -> Option<Automaton> {
        let mut hirs = Vec::new();
        let mut patterns = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for (pattern_index, pattern) in rule.patterns.iter().enumerate() {
                let hir = regex_syntax::parse(pattern.as_str()).ok()?;
                let loose = without_word_boundaries(&hir);
                patterns.push((rule_index, pattern_index, loose != hir));
                hirs.push(anchored_at_start(loose));
            }
        }
        let regex = automaton_builder().build_many_from_hir(&hirs).ok()?;
        Some(Automaton { regex, patterns })
    }

    /// The rules (indices into `rules`, the ones this automaton was built from) that match
    /// the match form `form` and whose `max_chars` it fits.
    fn matching_rules(&self, form: &str, rules: &[BoilerplateRule]) -> RuleSet {
        let mut found = regex_automata::PatternSet::new(self.regex.pattern_len());
        // Every pattern is anchored at the start: the DFA stops as soon as no pattern can
        // match any more, after a word or two of most body text.
        let input = regex_automata::Input::new(form).anchored(regex_automata::Anchored::Yes);
        self.regex.which_overlapping_matches(&input, &mut found);
        let mut matched = RuleSet::default();
        for pattern in found.iter() {
            let Some(&(rule_index, pattern_index, confirm)) = self.patterns.get(pattern.as_usize())
            else {
                continue;
            };
            let Some(rule) = rules.get(rule_index) else {
                continue;
            };
            if matched.contains(rule_index) || !rule.fits(form) {
                continue;
            }
            let exact = !confirm
                || rule
                    .patterns
                    .get(pattern_index)
                    .is_some_and(|regex| regex.is_match(form));
            if exact {
                matched.insert(rule_index);
            }
        }
        matched
    }
}

/// The automaton's configuration: every match reported (which-patterns semantics), no
/// captures, a lazy DFA cache large enough for all the patterns.
fn automaton_builder() -> regex_automata::meta::Builder {
    let mut builder = regex_automata::meta::Builder::new();
    builder.configure(
        regex_automata::meta::Config::new()
            .match_kind(regex_automata::MatchKind::All)
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
            // The patterns' Arabic letter classes need more states than the default 2 MB
            // cache holds: the lazy DFA would then give up on every form.
            .hybrid_cache_capacity(AUTOMATON_CACHE_BYTES),
    );
    builder
}

/// `hir` as a pattern that must match from the start of the form: unchanged when it begins
/// with `^`, else preceded by `(?s:.)*` (matching anywhere is matching after any prefix).
fn anchored_at_start(hir: Hir) -> Hir {
    if hir.properties().look_set_prefix().contains(Look::Start) {
        return hir;
    }
    let any = Hir::class(regex_syntax::hir::Class::Unicode(
        regex_syntax::hir::ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new(
            '\0',
            char::MAX,
        )]),
    ));
    let prefix = Hir::repetition(Repetition {
        min: 0,
        max: None,
        greedy: false,
        sub: Box::new(any),
    });
    Hir::concat(vec![prefix, hir])
}

/// `hir` with every word-boundary assertion (`\b`, `\B`, `\<`, `\>` …) replaced by the
/// empty match.
fn without_word_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look)
            if !matches!(
                look,
                Look::Start
                    | Look::End
                    | Look::StartLF
                    | Look::EndLF
                    | Look::StartCRLF
                    | Look::EndCRLF
            ) =>
        {
            Hir::empty()
        }
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(without_word_boundaries(&repetition.sub)),
            ..repetition.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(without_word_boundaries(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_word_boundaries).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(without_word_boundaries).collect())
        }
        _ => hir.clone(),
    }
}

/// Rule ids are stored as reasons: keep them plain (`snake_case` ASCII).
fn check_id(file: &str, key: &str, id: &str) -> Result<(), RulesError> {
    let plain = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(rule_error(
            file,
            key,
            format!("`{id}` must be snake_case ASCII (a-z, 0-9, _), starting with a letter"),
        ))
    }
}

/// True if `text` has more than `max_chars` code points (stops counting early).
fn longer_than(text: &str, max_chars: usize) -> bool {
    text.len() > max_chars && text.chars().nth(max_chars).is_some()
}

/// Flags boilerplate sentences: one entry per sentence, `Some(reason)` (a rule id such as
/// `"read_also"`) for boilerplate, `None` for content.
///
/// Each sentence belongs to the line holding its first character. The repeated-title check
/// runs first, then the rules in file order; the first rule to flag a sentence gives the
/// reason. Spans that do not fit `text` are never flagged.
pub fn flag_boilerplate(
    text: &str,
    sentences: &[SentenceSpan],
    rules: &BoilerplateRules,
) -> Vec<Option<String>> {
    flag(text, sentences, rules, true)
}

/// [`flag_boilerplate`] trying every rule's patterns one by one on every line and sentence,
/// without the automaton that tells in one pass which rules match: the reference the tests (and
/// `benches/import_breakdown.rs`) compare the fast path against. Same result, slower.
pub fn flag_boilerplate_each_pattern(
    text: &str,
    sentences: &[SentenceSpan],
    rules: &BoilerplateRules,
) -> Vec<Option<String>> {
    flag(text, sentences, rules, false)
}

fn flag(
    text: &str,
    sentences: &[SentenceSpan],
    rules: &BoilerplateRules,
    one_pass: bool,
) -> Vec<Option<String>> {
    let mut reasons: Vec<Option<String>> = vec![None; sentences.len()];

    // Sentence indices in text order; spans that do not fit the text are left out.
    let mut order: Vec<usize> = sentences
        .iter()
        .enumerate()
        .filter(|(_, span)| span.start_byte < span.end_byte && span.text(text).is_some())
        .map(|(index, _)| index)
        .collect();
    order.sort_by_key(|&index| (sentences[index].start_byte, index));

    let repeated_title = rules
        .repeated_title
        .as_ref()
        .and_then(|title| Some((title, repeated_title_line(text, rules)?)));

    // Walk lines and sentences together: each sentence belongs to the line holding its
    // first character.
    let mut members: Vec<usize> = Vec::new();
    let mut next = 0;
    // The list of links a heading opened: its reason, its shape, the lines it may still take.
    let mut open_list: Option<(&str, ListAfter, usize)> = None;
    for line in line_ranges(text) {
        members.clear();
        while let Some(&index) = order.get(next)
            && sentences[index].start_byte <= line.end
        {
            members.push(index);
            next += 1;
        }
        if members.is_empty() {
            if next >= order.len() {
                break;
            }
            continue;
        }
        let line_text = text.get(line.clone()).unwrap_or_default();
        match &repeated_title {
            Some((title, title_line)) if *title_line == line => {
                for &member in &members {
                    reasons[member] = Some(title.id.clone());
                }
            }
            _ => flag_line(
                text,
                line_text,
                sentences,
                &members,
                (rules, one_pass),
                &mut reasons,
            ),
        }
        let flagged_by_rule = members.iter().all(|&member| reasons[member].is_some());
        if !flagged_by_rule && let Some((id, list, left)) = open_list.as_mut() {
            if list.takes(line_text, rules) {
                for &member in &members {
                    reasons[member].get_or_insert_with(|| (*id).to_owned());
                }
                *left -= 1;
                if *left == 0 {
                    open_list = None;
                }
            } else {
                open_list = None;
            }
        }
        if flagged_by_rule
            && let Some(rule) = members
                .last()
                .and_then(|&member| reasons[member].as_deref())
                .and_then(|id| rules.rules.iter().find(|rule| rule.id == id))
            && let Some(list) = rule.list
        {
            open_list = Some((&rule.id, list, list.lines));
        }
    }
    reasons
}

/// The byte range of the line that repeats the title: the second non-empty line, if its
/// match form equals the first's.
fn repeated_title_line(text: &str, rules: &BoilerplateRules) -> Option<Range<usize>> {
    let mut non_empty = line_ranges(text)
        .filter_map(|range| text.get(range.clone()).map(|line| (range, line)))
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, title) = non_empty.next()?;
    let (second_range, second) = non_empty.next()?;
    let title_form = rules.match_form(title)?;
    let second_form = rules.match_form(second)?;
    (title_form == second_form).then_some(second_range)
}

/// Applies the pattern rules to the sentences `members` (indices into `sentences`, in text
/// order) of one line.
fn flag_line(
    text: &str,
    line_text: &str,
    sentences: &[SentenceSpan],
    members: &[usize],
    (rules, one_pass): (&BoilerplateRules, bool),
    reasons: &mut [Option<String>],
) {
    // Match forms, computed on first use: `None` = not yet, `Some(None)` = too long.
    let mut line_form: Option<Option<RuleSet>> = None;
    let mut sentence_forms: Vec<Option<Option<RuleSet>>> = vec![None; members.len()];
    // A line that is exactly one sentence (news sites print one per line): one form for both.
    if let [member] = members
        && sentences[*member].text(text) == Some(line_text)
    {
        let form = rules.candidate(line_text, one_pass);
        sentence_forms[0] = Some(form);
        line_form = Some(form);
    }

    for (index, rule) in rules.rules.iter().enumerate() {
        if members.iter().all(|&member| reasons[member].is_some()) {
            return;
        }
        match rule.scope {
            RuleScope::Line => {
                let form = line_form.get_or_insert_with(|| rules.candidate(line_text, one_pass));
                if form.as_ref().is_some_and(|form| form.contains(index)) {
                    for &member in members {
                        reasons[member].get_or_insert_with(|| rule.id.clone());
                    }
                }
            }
            RuleScope::Sentence | RuleScope::RestOfLine => {
                for (position, &member) in members.iter().enumerate() {
                    if reasons[member].is_some() {
                        continue;
                    }
                    let form = sentence_forms[position].get_or_insert_with(|| {
                        sentences[member]
                            .text(text)
                            .and_then(|sentence| rules.candidate(sentence, one_pass))
                    });
                    if !form.as_ref().is_some_and(|form| form.contains(index)) {
                        continue;
                    }
                    let flagged = if rule.scope == RuleScope::RestOfLine {
                        &members[position..]
                    } else {
                        &members[position..=position]
                    };
                    for &later in flagged {
                        reasons[later].get_or_insert_with(|| rule.id.clone());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::segment::{SegmentationRules, split_sentences};
    use proptest::prelude::*;

    const SEED_000: &str = include_str!("../../seeds/000_94999b6dfeaf2c9a.txt");
    const SEED_001: &str = include_str!("../../seeds/001_27af32c0e69d882f.txt");
    const SEED_002: &str = include_str!("../../seeds/002_d334092499d7ec8c.txt");
    const SEED_003: &str = include_str!("../../seeds/003_33ebafb7f274a61d.txt");
    const SEED_004: &str = include_str!("../../seeds/004_1f4fa77edfffa84d.txt");

    fn rules() -> &'static BoilerplateRules {
        BoilerplateRules::builtin()
    }

    /// Each sentence of `text` with its flag.
    fn flagged(text: &str) -> Vec<(String, Option<String>)> {
        let spans = split_sentences(text, SegmentationRules::builtin());
        let reasons = flag_boilerplate(text, &spans, rules());
        assert_eq!(reasons.len(), spans.len());
        spans
            .iter()
            .map(|span| span.text(text).unwrap().to_owned())
            .zip(reasons)
            .collect()
    }

    /// The reasons only.
    fn reasons(text: &str) -> Vec<Option<String>> {
        flagged(text)
            .into_iter()
            .map(|(_, reason)| reason)
            .collect()
    }

    /// The flag of a text that is a single line (every sentence gets the same one).
    fn line_flag(line: &str) -> Option<String> {
        let text = format!("عنوان المقال\n{line}\nنص المقال.");
        let found = flagged(&text);
        let on_line: Vec<_> = found[1..found.len() - 1]
            .iter()
            .map(|(_, r)| r.clone())
            .collect();
        assert!(
            on_line.windows(2).all(|pair| pair[0] == pair[1]),
            "{line}: {on_line:?}"
        );
        on_line.into_iter().next().flatten()
    }

    fn assert_flag(id: &str, lines: &[&str]) {
        for line in lines {
            assert_eq!(line_flag(line).as_deref(), Some(id), "{line}");
        }
    }

    fn assert_content(lines: &[&str]) {
        for line in lines {
            assert_eq!(line_flag(line), None, "{line}");
        }
    }

    /// (sentence index, reason) of the flagged sentences.
    fn flagged_indices(text: &str) -> Vec<(usize, String)> {
        reasons(text)
            .into_iter()
            .enumerate()
            .filter_map(|(index, reason)| reason.map(|reason| (index, reason)))
            .collect()
    }

    fn expected(pairs: &[(usize, &str)]) -> Vec<(usize, String)> {
        pairs
            .iter()
            .map(|&(index, id)| (index, id.to_owned()))
            .collect()
    }

    #[test]
    fn builtin_rules_parse() {
        let parsed = BoilerplateRules::from_toml(BUILTIN_BOILERPLATE);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        let ids: Vec<&str> = rules().rules().iter().map(BoilerplateRule::id).collect();
        for id in [
            "read_also",
            "related_articles",
            "comment_form",
            "cookie_notice",
            "byline",
            "counter",
        ] {
            assert!(ids.contains(&id), "{id}");
        }
        assert!(rules().description_of("repeated_title").is_some());
        assert!(rules().description_of("read_also").is_some());
        assert_eq!(rules().description_of("no_such_rule"), None);
    }

    // ----- errors in the data file -----

    fn error_for(source: &str) -> String {
        match BoilerplateRules::from_toml(source) {
            Ok(_) => panic!("broken rules were accepted"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn broken_toml_names_the_file() {
        let message = error_for("[[rule]\nid =");
        assert!(
            message.starts_with("schema/boilerplate.toml: "),
            "{message}"
        );
    }

    #[test]
    fn bad_pattern_names_the_rule_and_pattern() {
        let source = BUILTIN_BOILERPLATE.replacen(
            "patterns = [\n    '^\\W*(?:اقرا",
            "patterns = [\n    '(^\\W*(?:اقرا",
            1,
        );
        let message = error_for(&source);
        assert!(message.contains("schema/boilerplate.toml"), "{message}");
        assert!(
            message.contains("rule[0] (id `read_also`).patterns[0]"),
            "{message}"
        );
    }

    #[test]
    fn bad_scope_names_the_rule() {
        let source =
            BUILTIN_BOILERPLATE.replacen("scope = \"rest_of_line\"", "scope = \"paragraph\"", 1);
        let message = error_for(&source);
        assert!(
            message.contains("rule[0] (id `read_also`).scope"),
            "{message}"
        );
    }

    #[test]
    fn duplicate_and_malformed_ids_are_refused() {
        let source = BUILTIN_BOILERPLATE.replacen("id = \"read_more\"", "id = \"read_also\"", 1);
        assert!(error_for(&source).contains("(id `read_also`).id"));
        let source = BUILTIN_BOILERPLATE.replacen("id = \"read_more\"", "id = \"Read More\"", 1);
        assert!(error_for(&source).contains("rule[2].id"));
    }

    #[test]
    fn a_broken_repeated_line_table_is_refused() {
        let source = BUILTIN_BOILERPLATE.replacen("\nmin_documents = 2", "\nmin_documents = 1", 1);
        assert!(error_for(&source).contains("repeated_line.min_documents"));
        let source = BUILTIN_BOILERPLATE.replacen("\nmax_words = 12", "\nmax_words = 0", 1);
        assert!(error_for(&source).contains("repeated_line.max_words"));
        let source =
            BUILTIN_BOILERPLATE.replacen("id = \"repeated_line\"", "id = \"read_more\"", 1);
        assert!(
            error_for(&source).contains("(id `read_more`).id"),
            "{}",
            error_for(&source)
        );
        let source =
            BUILTIN_BOILERPLATE.replacen("body_patterns = [", "body_patterns = [\n    '(',", 1);
        assert!(error_for(&source).contains("repeated_line.body_patterns[0]"));
        let source = BUILTIN_BOILERPLATE.replacen("list = { lines = 8", "list = { lines = 0", 1);
        assert!(error_for(&source).contains(".list"));
    }

    #[test]
    fn the_body_guard() {
        let check = rules().repeated_line().unwrap();
        let body = |line: &str| check.looks_like_body(&rules().match_form(line).unwrap());
        for line in [
            "وأكدت الوزارة",
            "قال الناطق",
            "بحسب مصادر محلية",
            "وفقاً للبيان",
            "مشيراً إلى الاتفاق",
            "لم يصدر أي تعليق",
            "الجيش يتقدم نحو المدينة ويسيطر على ثلاث قرى قرب الطريق الدولي السريع بين حلب ودمشق",
            "وصل الوفد إلى العاصمة.",
            "تم نسخ الرابط بنجاح!",
        ] {
            assert!(body(line), "{line}");
        }
        for line in [
            "موضوعات مقترحة",
            "ركن القراء | اكتب لنا",
            "نبض الشام",
            "تم النسخ!",
        ] {
            assert!(!body(line), "{line}");
        }
        assert_eq!(check.id(), "repeated_line");
        assert_eq!(check.min_documents(), 2);
        assert!(rules().description_of("repeated_line").is_some());
    }

    #[test]
    fn unknown_key_names_the_key() {
        let source =
            BUILTIN_BOILERPLATE.replacen("scope = \"line\"", "scope = \"line\"\nmax_char = 3", 1);
        assert!(error_for(&source).contains("max_char"));
    }

    #[test]
    fn custom_rules_apply_their_scope() {
        let source = r#"
            version = 1
            [matching]
            max_chars = 100
            dashes = []
            [repeated_title]
            enabled = false
            id = "repeated_title"
            description = "off"
            [[rule]]
            id = "promo"
            description = "one sentence"
            scope = "sentence"
            patterns = ['^اشتر']
            [[rule]]
            id = "tail"
            description = "rest of the line"
            scope = "rest_of_line"
            max_chars = 20
            patterns = ['^ملاحظه']
        "#;
        let custom = BoilerplateRules::from_toml_named(source, "custom.toml").unwrap();
        let text = "عنوان\nعنوان\nنص أول. اشترِ الآن! نص ثان. ملاحظة: قصيرة. تتمة.\nملاحظة طويلة جداً جداً جداً جداً.";
        let spans = split_sentences(text, SegmentationRules::builtin());
        let found = flag_boilerplate(text, &spans, &custom);
        let promo = Some("promo".to_owned());
        let tail = Some("tail".to_owned());
        assert_eq!(
            found,
            [None, None, None, promo, None, tail.clone(), tail, None]
        );
        let error = BoilerplateRules::from_toml_named("version = 1", "custom.toml")
            .err()
            .unwrap();
        assert!(error.to_string().starts_with("custom.toml: "), "{error}");
    }

    // ----- the match form -----

    #[test]
    fn match_form_unifies_dashes_and_folds() {
        assert_eq!(
            rules().match_form("عواصم ـ وكالات").as_deref(),
            Some("عواصم - وكالات")
        );
        assert_eq!(
            rules().match_form("طيف بوست – فريق التحرير").as_deref(),
            Some("طيف بوست - فريق التحرير")
        );
        assert_eq!(rules().match_form("ـــ").as_deref(), Some("-"));
        // A tatweel inside a word is not a dash.
        assert_eq!(rules().match_form("بـ منـ.ـعه").as_deref(), Some("ب من.عه"));
        assert_eq!(
            rules().match_form("اقرأ أيضاً").as_deref(),
            Some("اقرا ايضا")
        );
        assert_eq!(rules().match_form(&"ا".repeat(1001)), None);
    }

    // ----- each rule -----

    #[test]
    fn read_also_links() {
        assert_flag(
            "read_also",
            &[
                "اقرأ أيضاً: هل ينجح بشار الأسد بالبقاء على رأس السلطة مجدداً.. خمس نقاط أساسية تحدد مصيره ومستقبله!",
                "اقرأ أيضا: عنوان",
                "اقرأ ايضاً عنوان مقال آخر",
                "إقرأ أيضًا: عنوان",
                "اقرا ايضا - عنوان",
                "طالع أيضاً: عنوان",
                "قد يهمك أيضاً:",
            ],
        );
        assert_content(&[
            "وقال إن على الجميع أن يقرأ أيضاً ما كتبه",
            "اقرأوا التاريخ جيداً.",
        ]);
    }

    #[test]
    fn read_also_inside_a_paragraph_flags_the_rest_of_the_line() {
        let text = "العنوان\nقال المسؤول إن المحادثات مستمرة. اقرأ أيضاً: عنوان آخر.. تتمة!\nنص.";
        assert_eq!(
            reasons(text),
            [
                None,
                None,
                Some("read_also".to_owned()),
                Some("read_also".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn related_articles_and_read_more() {
        assert_flag(
            "related_articles",
            &[
                "مقالات ذات صلة",
                "مواضيع ذات صلة",
                "أخبار ذات صلة:",
                "مقالات مشابهة",
                "الأكثر قراءة",
            ],
        );
        assert_flag(
            "read_more",
            &["اقرأ المزيد", "قراءة المزيد »", "للمزيد", "Read more"],
        );
        assert_content(&[
            "وأكد أن المقالات ذات الصلة بالموضوع نشرت أمس.",
            "المزيد من الضحايا سقطوا في القصف",
        ]);
    }

    #[test]
    fn back_to_top() {
        assert_flag(
            "back_to_top",
            &[
                "زر الذهاب إلى الأعلى",
                "العودة إلى الأعلى",
                "الذهاب للأعلى",
                "Back to top",
            ],
        );
        assert_content(&["وطالب بالذهاب إلى الأعلى في سلم المفاوضات"]);
    }

    #[test]
    fn comment_forms() {
        assert_flag(
            "comment_form",
            &[
                "اترك تعليقا",
                "اترك تعليقاً",
                "اترك رداً",
                "أضف تعليق",
                "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
                "الحقول الإلزامية مشار إليها بـ *",
                "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي.",
                "إرسال التعليق",
                "3 تعليقات",
            ],
        );
        assert_content(&[
            "وترك تعليقاً على صفحته انتقد فيه الحكومة.",
            "اترك الأمر للقضاء، قال الوزير.",
        ]);
    }

    #[test]
    fn cookie_and_privacy_notices() {
        assert_flag(
            "cookie_notice",
            &[
                "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. سنفترض أنك موافق على ذلك ، ولكن يمكنك إلغاء الاشتراك إذا كنت ترغب في ذلك. قبول قراءة المزيد",
                "نستخدم ملفات تعريف الارتباط لتحسين تجربتك",
                "سياسة الخصوصية وملفات تعريف الارتباط",
                "سياسة الخصوصية",
                "باستخدامك هذا الموقع فإنك توافق على سياسة الخصوصية",
                "قبول",
                "This website uses cookies to improve your experience.",
            ],
        );
        assert_content(&[
            "وقالت الهيئة إن ملفات تعريف الارتباط تجمع بيانات المستخدمين دون علمهم.",
            "سياسة الخصوصية الجديدة لفيسبوك تثير غضب المستخدمين",
            "قبول روسيا بالمقترح التركي يفتح الباب أمام تسوية",
        ]);
    }

    #[test]
    fn subscription_calls() {
        assert_flag(
            "subscribe_call",
            &[
                "لمتابعة كل جديد اشترك في قناة صحيفة حبر على تلغرام بالضغط هنا",
                "اشترك في قناتنا على يوتيوب",
                "تابعونا على تويتر",
                "تابعوا آخر الأخبار على تلغرام",
                "انضموا إلى قناتنا على واتساب",
            ],
        );
        assert_content(&[
            "تابعوا في ذلك الوقت تطورات الملف عن كثب",
            "وتابع الرئيس حديثه قائلاً إن الحكومة ستستمر.",
            "اشترك الجيشان في مناورات مشتركة",
        ]);
    }

    #[test]
    fn share_buttons() {
        assert_flag(
            "share_buttons",
            &[
                "شارك",
                "مشاركة",
                "فيسبوك تويتر واتساب تلغرام",
                "Facebook Twitter WhatsApp Telegram Email",
                "شارك على فيسبوك",
                "شارك هذا المقال",
            ],
        );
        assert_content(&[
            "شارك آلاف المتظاهرين في المسيرة يوم الجمعة",
            "مشاركة روسيا في المؤتمر",
        ]);
    }

    #[test]
    fn bylines_and_datelines() {
        assert_flag(
            "byline",
            &[
                "طيف بوست – فريق التحرير",
                "عواصم ـ وكالات",
                "دمشق - خاص",
                "بيروت – رويترز",
                "إسطنبول — الأناضول",
                "باريس - (فرانس برس)",
                "القاهرة - متابعات",
                "وكالات - دمشق",
                "بقلم: أحمد محمد",
                "كتب: سامر العلي",
            ],
        );
        assert_content(&[
            // A dateline prefix inside a long content sentence is content.
            "دمشق - وكالات: أعلن مسؤول سوري اليوم أن المحادثات ستستأنف الأسبوع المقبل في جنيف بعد توقف دام شهرين.",
            // A short line with an agency word but no separator, or a separator but no agency word.
            "لقاء خاص",
            "سوريا - روسيا",
            "عواصم وكالات",
            // A word-stretching tatweel is not a separator.
            "لقاء خاص بـ الرئيس",
        ]);
    }

    #[test]
    fn bare_counters() {
        assert_flag("counter", &["0 701", "1,234", "12 | 5", "٠ ٧٠١"]);
        assert_content(&["0 701 قتيل", "في عام 2011"]);
    }

    #[test]
    fn lines_without_letters() {
        assert_flag("no_letters", &["* * *", "—", "\u{200B}"]);
    }

    #[test]
    fn breadcrumbs_tags_and_copyright() {
        assert_flag(
            "breadcrumb",
            &["الرئيسية / أخبار / سوريا", "الرئيسية » سياسة"],
        );
        assert_flag(
            "tags",
            &["الوسوم: سوريا روسيا الأسد", "كلمات مفتاحية: سوريا"],
        );
        assert_flag(
            "copyright",
            &["جميع الحقوق محفوظة © 2020", "© 2021 طيف بوست"],
        );
        assert_content(&["الرئيسية في هذا الملف هي عودة اللاجئين"]);
    }

    #[test]
    fn suggested_topics_and_the_links_under_them() {
        assert_flag(
            "related_articles",
            &[
                "موضوعات مقترحة",
                "مواضيع مقترحة:",
                "قد يعجبك أيضاً",
                "لا يفوتك",
                "Recommended",
            ],
        );
        // The headlines listed under the heading are links, up to the first body sentence.
        let text = "العنوان\nنص المقال هنا.\nموضوعات مقترحة\nوزير الري يتفقد سد الفرات\n\nأمطار غزيرة تغمر مخيمات الشمال\nوقال الوزير إن العمل مستمر في المشروع منذ أشهر.\nسطر أخير";
        assert_eq!(
            flagged_indices(text),
            expected(&[
                (2, "related_articles"),
                (3, "related_articles"),
                (4, "related_articles"),
            ])
        );
        // A read-more link takes the one headline after it, not the body.
        let text = "العنوان\nنص.\nاقرأ المزيد\nالمبعوث الأممي يصل إلى دمشق\nوأعلنت الوزارة عن خطة جديدة للكهرباء.";
        assert_eq!(
            flagged_indices(text),
            expected(&[(2, "read_more"), (3, "read_more")])
        );
    }

    #[test]
    fn copy_link_notices() {
        assert_flag(
            "copy_link",
            &[
                "تم نسخ الرابط بنجاح",
                "تم نسخ الرابط بنجاح!",
                "انسخ الرابط المختصر",
                "الرابط المختصر: https://example.org/a1b2",
                "Link copied",
            ],
        );
        assert_flag("share_buttons", &["نسخ الرابط"]);
        assert_content(&["وتم نسخ الرابط إلى عشرات المواقع الأخرى خلال ساعات."]);
    }

    #[test]
    fn date_and_view_count_lines() {
        assert_flag(
            "date_line",
            &[
                "3 نيسان 2024 - 07:45 م",
                "الخميس، 5 حزيران 2025 10:20 ص",
                "السبت 12 رمضان 1446 هـ",
                "آخر تحديث: 14 كانون الأول 2024",
                "نُشر في: 20 أيلول 2023 | 3 دقائق للقراءة",
                "منذ 4 ساعات",
                "2.350 مشاهدة",
                "عدد المشاهدات: 512",
                "Updated 11 March 2025, 09:00 GMT",
            ],
        );
        assert_content(&[
            "في عام 2011 خرجت المظاهرات",
            "وقتل 12 شخصاً يوم الخميس",
            "الخميس 5 حزيران موعد الجلسة المقبلة للبرلمان",
            "12 قتيلاً في قصف على ريف حماة",
        ]);
    }

    #[test]
    fn photo_captions_and_credits() {
        assert_flag(
            "photo_caption",
            &[
                "(صورة: أرشيفية)",
                "(الصورة من موقع الوزارة)",
                "[تصوير: علي حسن]",
                "تصوير: فريق الموقع",
                "صورة أرشيفية",
                "أرشيفية",
                "نازحون في مخيم قرب الحدود التركية (أ ف ب)",
                "الوزير خلال المؤتمر الصحفي في بيروت (مواقع التواصل)",
            ],
        );
        assert_content(&[
            "صورة قاتمة ترسمها التقارير الأممية عن الوضع الإنساني",
            "وقال المتحدث إن القصف طال الأحياء السكنية (رويترز).",
            "وأظهرت صورة نشرها ناشطون دماراً واسعاً في السوق.",
        ]);
    }

    #[test]
    fn advertisement_and_media_player_labels() {
        assert_flag(
            "ad_label",
            &[
                "إعلان",
                "- إعلان -",
                "مساحة إعلانية",
                "محتوى مدعوم",
                "Advertisement",
            ],
        );
        assert_flag(
            "media_player",
            &[
                "play icon",
                "Play video",
                "شاهد الفيديو",
                "فيديو",
                "00:00 / 02:15",
                "بث مباشر",
            ],
        );
        assert_content(&[
            "إعلان دمشق عاصمة للثقافة العربية",
            "فيديو يوثق لحظة انهيار المبنى في حلب",
            "شاهد عيان يروي تفاصيل الهجوم",
        ]);
    }

    #[test]
    fn page_controls_and_latin_ui_tokens() {
        assert_flag(
            "ui_tokens",
            &[
                "AA",
                "A+ A-",
                "حجم الخط",
                "تسجيل الدخول",
                "بحث",
                "السابق التالي",
                "Menu Search",
            ],
        );
        assert_flag(
            "share_buttons",
            &["Share", "Tweet", "WhatsApp", "Print", "Share Tweet"],
        );
        assert_content(&[
            "تسجيل الدخول إلى الاتحاد الأوروبي مطلب تركي قديم",
            "البحث عن المفقودين مستمر",
        ]);
    }

    #[test]
    fn widgets() {
        assert_flag(
            "widget",
            &[
                "مواقيت الصلاة",
                "مواقيت الصلاة في حلب",
                "الفجر 04:41 الظهر 12:03 العصر 15:22 المغرب 17:48 العشاء 19:05",
                "أسعار العملات",
                "الدولار 14,250 ليرة | اليورو 15,600 ليرة",
                "سعر الدولار: 13500 شراء 13650 مبيع",
                "13500 ليرة سورية",
                "الذهب عيار 21: 1.150.000",
                "دمشق 17° غائم جزئياً",
                "حالة الطقس",
            ],
        );
        assert_content(&[
            "الدولار يتخطى عتبة 15 ألف ليرة للمرة الأولى",
            "ارتفعت أسعار الذهب في دمشق إلى مستوى قياسي.",
            "الحرارة تتجاوز 45 درجة مئوية في دير الزور",
            "الطقس البارد يفاقم معاناة النازحين في المخيمات",
            "المغرب يستضيف قمة عربية طارئة",
        ]);
    }

    #[test]
    fn newsletter_and_account_calls() {
        assert_flag(
            "newsletter",
            &[
                "احصل على نشرتنا اليومية في بريدك",
                "النشرة الإخبارية",
                "أدخل بريدك الإلكتروني",
                "سجّل الدخول للتعليق",
                "بالضغط على اشترك فإنك توافق على شروط الاستخدام",
            ],
        );
        assert_content(&[
            "وقال إن النشرة البريدية للمنظمة كشفت عن أرقام جديدة.",
            "اشتركت فصائل عدة في الهجوم على البلدة",
        ]);
    }

    #[test]
    fn source_credit_lines() {
        assert_flag(
            "source_line",
            &[
                "المصدر: وكالات",
                "المصدر: الشرق + وكالات",
                "Source: Reuters",
                "المصدر - سانا",
            ],
        );
        assert_content(&[
            "المصدر: الهجوم استهدف مقر القيادة. وقال إن الخسائر كبيرة.",
            "وأكد المصدر أن الاجتماع سيعقد الأسبوع المقبل.",
        ]);
    }

    #[test]
    fn more_bylines() {
        assert_flag(
            "byline",
            &[
                "حلب - «النهار العربي»",
                "عمّان - \"الرأي\" ووكالات",
                "موقع الجسر – فريق التحرير | 3 آذار 2024",
                "فريق التحرير",
                "متابعات",
            ],
        );
        assert_content(&[
            "فريق التحرير في الصحيفة يرفض الرقابة",
            "سوريا - تركيا: جولة جديدة",
        ]);
    }

    #[test]
    fn subheadings_are_content() {
        assert_content(&[
            "موقف المعارضة السورية من الدعوة الروسية",
            "مباحثات روسية أمريكية حول الحل في سوريا",
            "حديث أمريكي عن انهيار نظام الأسد",
        ]);
    }

    // ----- the repeated title -----

    #[test]
    fn a_repeated_title_is_flagged() {
        let text = "بوتين يلتقي الأسد!\n\nبوتين يلتقي الأسد!\nالنص.";
        assert_eq!(
            reasons(text),
            [None, Some("repeated_title".to_owned()), None]
        );
        // Spelling variants fold together.
        let text = "اقتراح أمريكي جديد\nاقتراح امريكي جديد\nالنص.";
        assert_eq!(
            reasons(text),
            [None, Some("repeated_title".to_owned()), None]
        );
    }

    #[test]
    fn a_title_variant_or_a_later_repeat_is_content() {
        let text = "حراك روسي في سوريا.. ما الجديد؟\nحراك روسي بشأن سوريا .. ما الجديد..؟\nالنص.";
        assert!(reasons(text).iter().all(Option::is_none));
        let text = "العنوان الكامل\nسطر آخر\nالعنوان الكامل";
        assert!(reasons(text).iter().all(Option::is_none));
    }

    // ----- the seeds -----

    #[test]
    fn seed_000_flags() {
        assert_eq!(
            flagged_indices(SEED_000),
            expected(&[
                (1, "repeated_title"),
                (2, "byline"),
                (12, "read_also"),
                (13, "read_also"),
                (19, "read_also"),
                (20, "read_also"),
            ])
        );
    }

    #[test]
    fn seed_001_flags() {
        assert_eq!(
            flagged_indices(SEED_001),
            expected(&[
                (1, "counter"),
                (7, "read_also"),
                (10, "subscribe_call"),
                (20, "comment_form"),
                (21, "cookie_notice"),
                (22, "cookie_notice"),
                (23, "cookie_notice"),
                (24, "cookie_notice"),
            ])
        );
    }

    #[test]
    fn seed_002_flags() {
        assert_eq!(
            flagged_indices(SEED_002),
            expected(&[(1, "byline"), (15, "related_articles"), (16, "back_to_top"),])
        );
    }

    #[test]
    fn seed_003_flags() {
        assert_eq!(
            flagged_indices(SEED_003),
            expected(&[
                (11, "related_articles"),
                (12, "comment_form"),
                (13, "comment_form"),
                (14, "comment_form"),
                (15, "back_to_top"),
            ])
        );
    }

    #[test]
    fn seed_004_flags() {
        let found = flagged(SEED_004);
        assert_eq!(
            flagged_indices(SEED_004),
            expected(&[
                (4, "byline"),
                (17, "read_also"),
                (18, "read_also"),
                (26, "read_also"),
                (27, "read_also"),
            ])
        );
        assert_eq!(
            found[27].0,
            "وتركيا تراقب الوضع في إدلب عبر “Karagöz GAG”..!"
        );
        // The second line is a variant of the title, not a repeat: content.
        assert_eq!(
            found[2],
            ("حراك دبلوماسي روسي مكثف بشأن سوريا ..".to_owned(), None)
        );
        assert!(found[7].0.contains("17 تموز/ يوليو") && found[7].1.is_none());
    }

    // ----- the automaton -----

    /// The fast path and the reference (every pattern tried) flag the same sentences.
    fn assert_same_flags(text: &str) {
        let spans = split_sentences(text, SegmentationRules::builtin());
        assert_eq!(
            flag_boilerplate(text, &spans, rules()),
            flag_boilerplate_each_pattern(text, &spans, rules()),
            "{text:?}"
        );
    }

    #[test]
    fn the_builtin_rules_have_an_automaton() {
        assert!(rules().automaton.is_some());
    }

    fn one_rule(patterns: &str, max_chars: &str) -> BoilerplateRules {
        let source = format!(
            r#"
            version = 1
            [matching]
            max_chars = 100
            dashes = []
            [repeated_title]
            enabled = false
            id = "repeated_title"
            description = "off"
            [[rule]]
            id = "first"
            description = "word boundaries"
            scope = "line"
            {max_chars}
            patterns = [{patterns}]
            [[rule]]
            id = "second"
            description = "plain"
            scope = "line"
            patterns = ['^x$', '^ax$']
            "#
        );
        BoilerplateRules::from_toml_named(&source, "one.toml").unwrap()
    }

    #[test]
    fn the_automaton_tells_which_rules_match_and_confirms_word_boundaries() {
        let custom = one_rule(r"'^\W*(?:اقرا|طالع)\s*ايضا\b', '^copyright\b', '\Bx$'", "");
        let automaton = custom.automaton.as_ref().unwrap();
        let matched = |form: &str| {
            let set = automaton.matching_rules(form, &custom.rules);
            (set.contains(0), set.contains(1))
        };
        assert_eq!(matched("اقرا ايضا: عنوان"), (true, false));
        assert_eq!(matched("copyright 2020"), (true, false));
        // Both rules at once: `\Bx$` (inside a word) and `^ax$`.
        assert_eq!(matched("ax"), (true, true));
        assert_eq!(matched("x"), (false, true));
        // The automaton alone would say yes (no word boundary), the confirmation says no.
        assert_eq!(matched("طالع ايضاتها"), (false, false));
        assert_eq!(matched("copyrights"), (false, false));
        for no in ["وقال اقرا ايضا", "a copyright", "x y"] {
            assert_eq!(matched(no), (false, false), "{no}");
        }
    }

    #[test]
    fn the_automaton_keeps_each_rules_length_limit() {
        let custom = one_rule("'^a+$'", "max_chars = 3");
        let automaton = custom.automaton.as_ref().unwrap();
        assert!(automaton.matching_rules("aaa", &custom.rules).contains(0));
        assert!(!automaton.matching_rules("aaaa", &custom.rules).contains(0));
    }

    #[test]
    fn too_many_rules_are_refused() {
        let mut source = BUILTIN_BOILERPLATE.to_owned();
        for index in 0..RuleSet::CAPACITY {
            source.push_str(&format!(
                "\n[[rule]]\nid = \"extra_{index}\"\ndescription = \"x\"\nscope = \"line\"\npatterns = ['^x{index}$']\n"
            ));
        }
        assert!(error_for(&source).contains("at most 128"));
    }

    #[test]
    fn fast_and_reference_flags_agree_on_the_seeds_and_every_rule_example() {
        for text in [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004] {
            assert_same_flags(text);
            // Every line alone, and with its neighbours joined into one paragraph.
            let lines: Vec<&str> = text.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                assert_same_flags(&format!("عنوان\n{line}\nنص."));
                let joined = lines[index..(index + 3).min(lines.len())].join(" ");
                assert_same_flags(&format!("عنوان\n{joined}"));
            }
        }
        for pattern_rule in rules().rules() {
            for pattern in &pattern_rule.patterns {
                // Text made of the pattern's own literals (what it is likely to match).
                let literal: String = pattern
                    .as_str()
                    .chars()
                    .filter(|c| !"^$\\()[]{}?*+|:".contains(*c))
                    .collect();
                assert_same_flags(&format!("عنوان\n{literal}\n{literal}: نص. {literal}"));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn fast_and_reference_flags_agree_on_tricky_text(text in tricky_text()) {
            let spans = split_sentences(&text, SegmentationRules::builtin());
            prop_assert_eq!(
                flag_boilerplate(&text, &spans, rules()),
                flag_boilerplate_each_pattern(&text, &spans, rules())
            );
        }
    }

    // ----- robustness -----

    #[test]
    fn spans_that_do_not_fit_are_not_flagged() {
        let text = "اترك تعليقا\nمقالات ذات صلة";
        let bogus = [
            SentenceSpan {
                start: 0,
                end: 99,
                start_byte: 0,
                end_byte: 999,
            },
            SentenceSpan {
                start: 0,
                end: 1,
                start_byte: 1,
                end_byte: 2,
            },
            SentenceSpan {
                start: 5,
                end: 1,
                start_byte: 9,
                end_byte: 3,
            },
        ];
        assert_eq!(flag_boilerplate(text, &bogus, rules()), [None, None, None]);
        assert!(flag_boilerplate(text, &[], rules()).is_empty());
    }

    #[test]
    fn a_huge_line_is_not_boilerplate() {
        let text = format!("اقرأ أيضاً: {}", "كلمة ".repeat(1_000_000));
        let spans = split_sentences(&text, SegmentationRules::builtin());
        assert!(
            spans.len() > 1,
            "cut at the segmenter's sentence length limit"
        );
        let flags = flag_boilerplate(&text, &spans, rules());
        assert!(flags.iter().all(Option::is_none), "{:?}", &flags[..3]);
    }

    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "اقرأ أيضاً",
            "مقالات ذات صلة",
            "اترك تعليقا",
            "ـ",
            " - ",
            "وكالات",
            "0 701",
            " ",
            "\n",
            "\r\n",
            ".",
            "..",
            "!",
            "؟",
            "”",
            "\"",
            "ا",
            "ب",
            "1",
            "\u{200B}",
            "😀",
            "قبول",
            "سياسة الخصوصية",
            "عنوان",
            "\u{2029}",
            "بقلم:",
            "©",
            "جميع الحقوق محفوظة",
            "تابعونا على",
            "شارك",
            "الرئيسية /",
            "الوسوم:",
            "Read more",
            "copyright",
            "يستخدم هذا الموقع ملفات تعريف الارتباط",
            "باستخدامك",
            "لمتابعة كل",
            "اشترك",
            "قناتنا",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn one_flag_per_sentence(text in any::<String>()) {
            let spans = split_sentences(&text, SegmentationRules::builtin());
            prop_assert_eq!(flag_boilerplate(&text, &spans, rules()).len(), spans.len());
        }

        #[test]
        fn one_flag_per_sentence_on_tricky_text(text in tricky_text()) {
            let spans = split_sentences(&text, SegmentationRules::builtin());
            prop_assert_eq!(flag_boilerplate(&text, &spans, rules()).len(), spans.len());
        }

        #[test]
        fn arbitrary_spans_never_panic(
            text in tricky_text(),
            raw in prop::collection::vec((0usize..300, 0usize..300), 0..8),
        ) {
            let spans: Vec<SentenceSpan> = raw
                .iter()
                .map(|&(start_byte, end_byte)| SentenceSpan { start: start_byte, end: end_byte, start_byte, end_byte })
                .collect();
            prop_assert_eq!(flag_boilerplate(&text, &spans, rules()).len(), spans.len());
        }
    }
}
