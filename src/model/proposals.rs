//! Whole-claim proposals as the app and `isnad suggest` use them: the proposer
//! ([`crate::propose`]) over the project's registry, and proposals turned into claim
//! records in the `import-claims` format.

use std::ops::Range;

use crate::claims_record::{ClaimRecord, RoleRecord};
use crate::domain::SentenceRow;
use crate::propose::entities::ProjectEntity;
use crate::propose::{EntityIndex, EntityProposal, Lexicon, Proposal, Proposer, SentenceIn};
use crate::starter_entities::EntityKind;
use crate::store::Store;
use crate::suggest::{CueMatcher, Suggestion, SuggestionKind};

use super::error::ModelResult;
use super::registry::Registry;

/// The annotator name `isnad suggest` writes by default.
pub const SUGGEST_ANNOTATOR: &str = "isnad-suggest";

/// The proposer's entity index for a registry.
pub fn entity_index(registry: &Registry) -> EntityIndex {
    EntityIndex::new(registry.all().iter().map(|e| ProjectEntity {
        key: e.entity.id.clone(),
        name: e.entity.canonical_name.clone(),
        kind: EntityKind::from_id(&e.entity.kind).unwrap_or(EntityKind::Other),
        aliases: e.aliases.clone(),
    }))
}

/// Proposals for every sentence of a document (sentence code points).
pub fn propose_sentences(
    cues: &CueMatcher,
    index: &EntityIndex,
    sentences: &[SentenceRow],
) -> Vec<Vec<Proposal>> {
    let proposer = Proposer {
        cues,
        entities: index,
        lexicon: Lexicon::builtin(),
    };
    let input: Vec<SentenceIn<'_>> = sentences
        .iter()
        .map(|s| SentenceIn {
            text: &s.text,
            boilerplate: s.boilerplate,
        })
        .collect();
    proposer.document(&input)
}

/// What `isnad suggest` writes for.
pub struct SuggestRequest<'a> {
    /// One document, or all.
    pub doc: Option<&'a str>,
    pub annotator: &'a str,
}

/// Writes the proposals of the requested documents as claim records, through `each`;
/// returns how many.
pub fn suggestion_records(
    store: &dyn Store,
    request: &SuggestRequest<'_>,
    each: &mut dyn FnMut(ClaimRecord) -> ModelResult<()>,
) -> ModelResult<usize> {
    let registry = Registry::load(store)?;
    let index = entity_index(&registry);
    let cues = super::cues::project_cue_matcher(store)?;
    let schema = super::project::label_schema(store)?;
    let fallback_stance = schema
        .stances
        .iter()
        .find(|s| s.id == "unclear")
        .or(schema.stances.last())
        .map(|s| s.id.clone());
    let now = crate::clock::now_rfc3339();
    let ids: Vec<String> = match request.doc {
        Some(id) => {
            if store.document(id)?.is_none() {
                return Err(super::error::ModelError::Invalid(format!(
                    "no document {id:?}"
                )));
            }
            vec![id.to_owned()]
        }
        None => {
            let mut ids = Vec::new();
            store.for_each_document(&mut |doc| {
                ids.push(doc.id);
                Ok(())
            })?;
            ids
        }
    };
    let mut count = 0;
    for id in ids {
        let sentences = store.sentences(&id)?;
        let proposals = propose_sentences(&cues, &index, &sentences);
        for (sentence, found) in sentences.iter().zip(&proposals) {
            for proposal in found {
                let record = ClaimRecord {
                    record_type: "claim".into(),
                    doc_id: id.clone(),
                    sentence_index: sentence.index,
                    annotator: request.annotator.to_owned(),
                    claim_id: None,
                    stance: fallback_stance.clone(),
                    claim_type: None,
                    speaker: speaker_role(sentence, proposal),
                    target: proposal
                        .target
                        .as_ref()
                        .map(|t| entity_role(sentence, t, t.span.clone()))
                        .unwrap_or_default(),
                    cue: span_role(sentence, &proposal.cue),
                    claim: proposal
                        .content
                        .as_ref()
                        .map(|c| span_role(sentence, c))
                        .unwrap_or_default(),
                    note: proposal_note(&sentences, proposal),
                    lead_time_s: 0.0,
                    created_at: now.clone(),
                    updated_at: now.clone(),
                    schema_version: schema.version,
                    schema_hash: schema.hash.clone(),
                };
                each(record)?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// A note saying what was proposed and how sure it is.
fn proposal_note(sentences: &[SentenceRow], proposal: &Proposal) -> String {
    let mut note = String::from("proposed by isnad suggest; stance not predicted");
    if let Some((sentence, phrase)) = proposal
        .speaker
        .as_ref()
        .and_then(|s| s.antecedent.as_ref())
        && let Some(row) = sentences.get(*sentence)
    {
        let said = crate::propose::part_text(&row.text, phrase);
        note.push_str(&format!("; implicit speaker: {said} (sentence {sentence})"));
    }
    note
}

/// The role object of a span of the sentence, in document code points.
fn span_role(sentence: &SentenceRow, range: &Range<usize>) -> RoleRecord {
    RoleRecord {
        entity: None,
        entity_type: None,
        text: Some(crate::propose::part_text(&sentence.text, range)),
        start: Some(sentence.start + range.start),
        end: Some(sentence.start + range.end),
    }
}

/// The role object of an entity with an optional span.
fn entity_role(
    sentence: &SentenceRow,
    entity: &EntityProposal,
    span: Option<Range<usize>>,
) -> RoleRecord {
    let located = span.map(|s| span_role(sentence, &s)).unwrap_or_default();
    RoleRecord {
        entity: Some(entity.name.clone()).filter(|name| !name.is_empty()),
        entity_type: Some(entity.kind.id().to_owned()),
        ..located
    }
}

/// The speaker's role object: the phrase as its span, or no span for an implicit speaker.
fn speaker_role(sentence: &SentenceRow, proposal: &Proposal) -> RoleRecord {
    match &proposal.speaker {
        Some(speaker) => entity_role(sentence, &speaker.entity, speaker.span()),
        None => RoleRecord::default(),
    }
}

/// The highlights of a sentence's proposals that the cue and alias matchers do not already
/// give: contextual cues and headline colons, the speaker phrases, the contents and the
/// targets (sentence code points).
pub fn proposal_suggestions(found: &[Proposal], existing: &[Suggestion]) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for proposal in found {
        let cue_known = existing.iter().any(|s| {
            matches!(s.kind, SuggestionKind::Cue { .. })
                && s.start < proposal.cue.end
                && proposal.cue.start < s.end
        });
        if !cue_known {
            out.push(Suggestion {
                start: proposal.cue.start,
                end: proposal.cue.end,
                kind: SuggestionKind::Cue {
                    lemma: proposal.cue_lemma.clone(),
                },
            });
        }
        if let Some(phrase) = proposal.speaker.as_ref().and_then(|s| s.phrase.clone()) {
            out.push(Suggestion {
                start: phrase.start,
                end: phrase.end,
                kind: SuggestionKind::Speaker,
            });
        }
        if let Some(content) = &proposal.content {
            out.push(Suggestion {
                start: content.start,
                end: content.end,
                kind: SuggestionKind::Content,
            });
        }
    }
    out
}
