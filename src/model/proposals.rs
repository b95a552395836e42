//! Whole-claim proposals as the app and `isnad suggest` use them: the proposer
//! ([`crate::propose`]) over the project's registry, and proposals turned into claim
//! records in the `import-claims` format.

use std::ops::Range;

use crate::claims_record::{ClaimRecord, RoleRecord};
use crate::domain::SentenceRow;
use crate::propose::{EntityIndex, EntityProposal, Lexicon, Proposal, Proposer, SentenceIn};
use crate::store::Store;
use crate::suggest::{CueMatcher, Suggestion, SuggestionKind};

use super::error::ModelResult;
use super::learning::Learned;
use super::registry::Registry;
pub use super::registry::entity_index;

/// The annotator name `isnad suggest` writes by default.
pub const SUGGEST_ANNOTATOR: &str = "isnad-suggest";

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
    let learned = super::learning::train_from_store(store)?;
    let context = RecordContext {
        annotator: request.annotator,
        fallback_stance,
        stances: schema.stances.iter().map(|s| s.id.clone()).collect(),
        schema_version: schema.version,
        schema_hash: schema.hash.clone(),
        now,
        learned: learned.as_ref(),
    };
    let mut count = 0;
    for id in ids {
        let sentences = store.sentences(&id)?;
        let mut proposals = propose_sentences(&cues, &index, &sentences);
        if let Some(learned) = context.learned {
            learned.improve(&index, &sentences, &context.stances, &mut proposals);
        }
        for (sentence, found) in sentences.iter().zip(proposals) {
            for proposal in found {
                each(context.record(&id, &sentences, sentence, &proposal))?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// What every record of one `suggest` run shares.
struct RecordContext<'a> {
    annotator: &'a str,
    fallback_stance: Option<String>,
    /// The schema's stance ids: a predicted stance must be one of them.
    stances: Vec<String>,
    schema_version: u32,
    schema_hash: String,
    now: String,
    learned: Option<&'a Learned>,
}

impl RecordContext<'_> {
    /// The claim record of one proposal, with its predicted stance (the model was
    /// confident), else the fallback ("unclear").
    fn record(
        &self,
        doc_id: &str,
        sentences: &[SentenceRow],
        sentence: &SentenceRow,
        proposal: &Proposal,
    ) -> ClaimRecord {
        let mut note = proposal_note(sentences, proposal);
        let stance = match &proposal.stance {
            Some(predicted) => {
                note = note.replace(
                    NOT_PREDICTED,
                    &format!(
                        "stance predicted (p={:.2}, trained on {} claims)",
                        predicted.confidence, predicted.trained_on
                    ),
                );
                Some(predicted.stance.clone())
            }
            None => self.fallback_stance.clone(),
        };
        ClaimRecord {
            record_type: "claim".into(),
            doc_id: doc_id.to_owned(),
            sentence_index: sentence.index,
            annotator: self.annotator.to_owned(),
            claim_id: None,
            stance,
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
            note,
            lead_time_s: 0.0,
            created_at: self.now.clone(),
            updated_at: self.now.clone(),
            schema_version: self.schema_version,
            schema_hash: self.schema_hash.clone(),
        }
    }
}

/// What the note says when no stance was predicted.
const NOT_PREDICTED: &str = "stance not predicted";

/// A note saying what was proposed and how sure it is.
fn proposal_note(sentences: &[SentenceRow], proposal: &Proposal) -> String {
    let mut note = format!("proposed by isnad suggest; {NOT_PREDICTED}");
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
