//! The stance tuples of a project ([`crate::insight`]) read from a store: the confirmed
//! claims of every annotator, of one, the majority per sentence, or gold — with the
//! filters of the Corpus view and `isnad report` — and the matrix, graph and timeline made
//! of them.
//!
//! The claims are those `isnad export --what claims` writes (live, confirmed, every
//! sentence) or `--what gold` (live gold claims), so every figure equals a pivot of that
//! export; a claim without both a speaker and a target entity is not a stance of anyone on
//! anything, and is counted apart.

use std::collections::{BTreeMap, HashMap};

use crate::domain::ClaimStatus;
use crate::insight::{Matrix, Period, StanceTuple, Timeline};
use crate::store::Store;

use super::error::{ModelError, ModelResult};
use super::registry::Registry;

/// Whose claims are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The adjudicated gold standard.
    Gold,
    /// Every annotator's confirmed claims, each counted once per annotator.
    All,
    /// One annotator's.
    Annotator(String),
    /// Per sentence and speaker → target pair, the stance more than half of the
    /// annotators who recorded that pair there gave (once); ties are not counted.
    Majority,
}

impl std::str::FromStr for Source {
    type Err = String;

    fn from_str(text: &str) -> Result<Source, String> {
        match text {
            "gold" => Ok(Source::Gold),
            "all" => Ok(Source::All),
            "majority" => Ok(Source::Majority),
            _ => match text.strip_prefix("annotator:").map(str::trim) {
                Some(name) if !name.is_empty() => Ok(Source::Annotator(name.to_owned())),
                _ => Err(format!(
                    "{text:?}: expected gold, all, majority or annotator:NAME"
                )),
            },
        }
    }
}

/// Which claims are counted, besides their source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these documents (empty: all).
    pub documents: Vec<String>,
    /// Only documents of this source / site.
    pub site: Option<String>,
    /// Only documents published on or after / on or before this date (`YYYY-MM-DD`;
    /// documents without a date are then left out).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only claims of this claim type.
    pub claim_type: Option<String>,
    /// Only claims of this speaker / about this target (canonical names).
    pub speaker: Option<String>,
    pub target: Option<String>,
}

/// The stance tuples of a source and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Tuples {
    pub tuples: Vec<StanceTuple>,
    /// The schema's stance ids, in order.
    pub stances: Vec<String>,
    /// Claims without a speaker or a target entity.
    pub without_entities: usize,
    /// With [`Source::Majority`]: sentence pairs no stance had more than half the votes of.
    pub ties: usize,
}

/// What insight needs of a document.
#[derive(Debug, Clone)]
struct DocumentFacts {
    site: Option<String>,
    published: Option<String>,
}

fn documents(store: &dyn Store) -> ModelResult<HashMap<String, DocumentFacts>> {
    let mut facts = HashMap::new();
    store.for_each_document(&mut |doc| {
        facts.insert(
            doc.id,
            DocumentFacts {
                site: doc.source,
                published: doc.published,
            },
        );
        Ok(())
    })?;
    Ok(facts)
}

impl Filter {
    fn keeps_document(&self, id: &str, facts: Option<&DocumentFacts>) -> bool {
        if !self.documents.is_empty() && !self.documents.iter().any(|d| d == id) {
            return false;
        }
        if let Some(site) = &self.site
            && facts.and_then(|f| f.site.as_deref()) != Some(site.as_str())
        {
            return false;
        }
        // Compared as dates (what the timeline reads): a value that is not one counts as
        // undated, and is left out by either bound.
        let date = facts
            .and_then(|f| f.published.as_deref())
            .and_then(published_date);
        let bound = |b: &Option<String>| b.as_deref().and_then(published_date);
        let after = self.from.is_none()
            || bound(&self.from).is_some_and(|from| date.is_some_and(|d| d >= from));
        let before =
            self.to.is_none() || bound(&self.to).is_some_and(|to| date.is_some_and(|d| d <= to));
        after && before
    }

    fn keeps_tuple(&self, tuple: &StanceTuple) -> bool {
        self.claim_type
            .as_deref()
            .is_none_or(|t| tuple.claim_type.as_deref() == Some(t))
            && self.speaker.as_deref().is_none_or(|s| tuple.speaker == s)
            && self.target.as_deref().is_none_or(|t| tuple.target == t)
    }
}

/// The calendar date a `published` value starts with (`YYYY-MM-DD…`, spaces trimmed).
fn published_date(published: &str) -> Option<jiff::civil::Date> {
    published.trim().get(..10)?.parse().ok()
}

/// The claim parts insight reads, from an annotator's or a gold claim.
struct Parts<'a> {
    doc_id: &'a str,
    sentence_idx: usize,
    annotator: Option<&'a str>,
    speaker: Option<&'a str>,
    target: Option<&'a str>,
    stance: Option<&'a str>,
    claim_type: Option<&'a str>,
}

/// Reads the stance tuples of `source` that `filter` keeps.
pub fn stance_tuples(store: &dyn Store, source: &Source, filter: &Filter) -> ModelResult<Tuples> {
    let registry = Registry::load(store)?;
    let schema = super::project::label_schema(store)?;
    let facts = documents(store)?;
    let mut out = Tuples {
        stances: schema.stances.iter().map(|s| s.id.clone()).collect(),
        ..Tuples::default()
    };
    let mut add = |parts: Parts<'_>| {
        let facts = facts.get(parts.doc_id);
        if !filter.keeps_document(parts.doc_id, facts) {
            return;
        }
        let (Some(speaker), Some(target), Some(stance)) =
            (parts.speaker, parts.target, parts.stance)
        else {
            // Left out; counted when the other filters would have kept it.
            let named = |id: Option<&str>, wanted: &Option<String>| {
                wanted.is_none() || id.map(|i| registry.name(i)) == wanted.as_deref()
            };
            let kept = filter
                .claim_type
                .as_deref()
                .is_none_or(|t| parts.claim_type == Some(t))
                && named(parts.speaker, &filter.speaker)
                && named(parts.target, &filter.target);
            out.without_entities += usize::from(kept);
            return;
        };
        let tuple = StanceTuple {
            doc_id: parts.doc_id.to_owned(),
            sentence_idx: parts.sentence_idx,
            annotator: parts.annotator.map(str::to_owned),
            speaker: registry.name(speaker).to_owned(),
            target: registry.name(target).to_owned(),
            stance: stance.to_owned(),
            claim_type: parts.claim_type.map(str::to_owned),
            published: facts.and_then(|f| f.published.clone()),
        };
        if filter.keeps_tuple(&tuple) {
            out.tuples.push(tuple);
        }
    };
    match source {
        Source::Gold => {
            // As the gold export: the claims of sentences decided with claims.
            let decided: std::collections::HashSet<(String, usize)> = store
                .gold_sentences(None)?
                .into_iter()
                .filter(|s| !s.deleted && s.status == "claims")
                .map(|s| (s.doc_id, s.sentence_idx))
                .collect();
            for claim in store.gold_claims(None, false)? {
                if !decided.contains(&(claim.doc_id.clone(), claim.sentence_idx)) {
                    continue;
                }
                add(Parts {
                    doc_id: &claim.doc_id,
                    sentence_idx: claim.sentence_idx,
                    annotator: None,
                    speaker: claim.speaker_entity.as_deref(),
                    target: claim.target_entity.as_deref(),
                    stance: Some(&claim.stance),
                    claim_type: claim.claim_type.as_deref(),
                });
            }
        }
        Source::All | Source::Majority | Source::Annotator(_) => {
            let annotator = match source {
                Source::Annotator(name) => Some(name.as_str()),
                _ => None,
            };
            store.for_each_annotated_document(annotator, &mut |_, _, claims, _| {
                for claim in claims.iter().filter(|c| c.status == ClaimStatus::Confirmed) {
                    add(Parts {
                        doc_id: &claim.doc_id,
                        sentence_idx: claim.sentence_idx,
                        annotator: Some(&claim.annotator),
                        speaker: claim.speaker_entity.as_deref(),
                        target: claim.target_entity.as_deref(),
                        stance: claim.stance.as_deref(),
                        claim_type: claim.claim_type.as_deref(),
                    });
                }
                Ok(())
            })?;
        }
    }
    if *source == Source::Majority {
        majority(&mut out);
    }
    Ok(out)
}

/// Replaces every annotator's tuples by the majority stance per sentence and pair.
fn majority(out: &mut Tuples) {
    type Key = (String, usize, String, String);
    let mut groups: BTreeMap<Key, Vec<StanceTuple>> = BTreeMap::new();
    for tuple in out.tuples.drain(..) {
        let key = (
            tuple.doc_id.clone(),
            tuple.sentence_idx,
            tuple.speaker.clone(),
            tuple.target.clone(),
        );
        groups.entry(key).or_default().push(tuple);
    }
    for (_, group) in groups {
        // One vote per annotator: the stance of their first claim on the pair there.
        let mut votes: BTreeMap<&str, &str> = BTreeMap::new();
        for tuple in &group {
            let who = tuple.annotator.as_deref().unwrap_or("");
            votes.entry(who).or_insert(tuple.stance.as_str());
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for stance in votes.values() {
            *counts.entry(stance).or_default() += 1;
        }
        let voters = votes.len();
        match counts.iter().find(|(_, n)| **n * 2 > voters) {
            Some((stance, _)) => {
                let stance = (*stance).to_owned();
                if let Some(first) = group.into_iter().next() {
                    out.tuples.push(StanceTuple {
                        annotator: None,
                        stance,
                        ..first
                    });
                }
            }
            None => out.ties += 1,
        }
    }
}

/// Each entity's kind, by canonical name (the graph's node `type`).
pub fn entity_kinds(store: &dyn Store) -> ModelResult<HashMap<String, String>> {
    let registry = Registry::load(store)?;
    Ok(registry
        .all()
        .iter()
        .map(|e| (e.entity.canonical_name.clone(), e.entity.kind.clone()))
        .collect())
}

/// The stance matrix of a source.
pub fn matrix(
    store: &dyn Store,
    source: &Source,
    filter: &Filter,
) -> ModelResult<(Matrix, Tuples)> {
    let tuples = stance_tuples(store, source, filter)?;
    let matrix = Matrix::from_tuples(&tuples.stances, &tuples.tuples);
    Ok((matrix, tuples))
}

/// The timeline of a source (usually filtered to one speaker, and a target).
pub fn timeline(
    store: &dyn Store,
    source: &Source,
    filter: &Filter,
    period: Period,
) -> ModelResult<(Timeline, Tuples)> {
    let tuples = stance_tuples(store, source, filter)?;
    let timeline = Timeline::from_tuples(&tuples.stances, period, &tuples.tuples);
    Ok((timeline, tuples))
}

/// The canonical name of an entity given by name or alias, or an error naming it.
pub fn entity_named(store: &dyn Store, name: &str) -> ModelResult<String> {
    let registry = Registry::load(store)?;
    let folded = crate::corpus::normalize::fold(name.trim());
    registry
        .all()
        .iter()
        .find(|e| {
            crate::corpus::normalize::fold(&e.entity.canonical_name) == folded
                || e.aliases
                    .iter()
                    .any(|a| crate::corpus::normalize::fold(a) == folded)
        })
        .map(|e| e.entity.canonical_name.clone())
        .ok_or_else(|| ModelError::Invalid(format!("no entity named {name:?} in the registry")))
}
