//! The proposed claim of a sentence, shown and accepted whole with `a`: the reporting cue,
//! the speaker phrase and its entity (an implicit speaker by entity alone), the claim
//! content and the target. Parts the annotator already set are kept; a name the registry
//! does not know is offered as a new entity with its name prefilled.

use crate::domain::{ClaimStatus, Span};
use crate::propose::{EntityProposal, Proposal};

use super::{Applied, EntityHint, ModelError, ModelResult, Role, Workspace, proposals};

impl Workspace {
    /// The proposals of a sentence of the open document (sentence code points), computed
    /// for the whole document at once and cached until the document or the registry changes.
    pub fn proposals(&mut self, sentence: usize) -> Vec<Proposal> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        let stale = self
            .proposal_cache
            .as_ref()
            .is_none_or(|(id, _)| id != &doc.row.id);
        if stale {
            let mut all =
                proposals::propose_sentences(&self.cues, &self.entity_index, &doc.sentences);
            if let Some(learned) = &self.learned {
                let stances: Vec<String> =
                    self.schema.stances.iter().map(|s| s.id.clone()).collect();
                learned.improve(&self.entity_index, &doc.sentences, &stances, &mut all);
            }
            self.proposal_cache = Some((doc.row.id.clone(), all));
        }
        self.proposal_cache
            .as_ref()
            .and_then(|(_, all)| all.get(sentence))
            .cloned()
            .unwrap_or_default()
    }

    /// The proposal `a` accepts in the current sentence: the first whose cue no confirmed
    /// claim of this annotator in the sentence has yet. Needs [`Workspace::proposals`] to
    /// have run for the document (the app calls it every frame).
    pub fn next_proposal(&self) -> Option<&Proposal> {
        let doc = self.doc.as_ref()?;
        let (id, all) = self.proposal_cache.as_ref()?;
        if id != &doc.row.id {
            return None;
        }
        let sentence = doc.sentences.get(doc.current)?;
        let used: Vec<Span> = doc
            .claims_in(doc.current)
            .filter(|c| c.status == ClaimStatus::Confirmed)
            .filter_map(|c| c.cue_span)
            .collect();
        all.get(doc.current)?.iter().find(|p| {
            let cue = Span::new(sentence.start + p.cue.start, sentence.start + p.cue.end);
            !used.contains(&cue)
        })
    }

    /// Accepts the next proposal of the current sentence into the claim being built (a new
    /// draft when there is none), keeping what the annotator already set.
    pub(super) fn accept_proposal(&mut self) -> ModelResult<Applied> {
        let current = self.doc()?.current;
        self.proposals(current);
        let proposal = self.next_proposal().cloned().ok_or_else(|| {
            ModelError::Invalid("no proposed claim in this sentence (select the speaker: s)".into())
        })?;
        let offset = self.doc()?.sentences[current].start;
        let at =
            |range: &std::ops::Range<usize>| Span::new(offset + range.start, offset + range.end);
        let mut claim = match self.active_claim() {
            Some(claim) => claim.clone(),
            None => self.new_draft()?,
        };
        claim.cue_span = claim.cue_span.or(Some(at(&proposal.cue)));
        if claim.content_span.is_none() {
            claim.content_span = proposal.content.as_ref().map(at);
        }
        let mut offer: Option<(Role, EntityHint)> = None;
        let mut parts = vec!["cue"];
        if claim.speaker_entity.is_none()
            && claim.speaker_span.is_none()
            && let Some(speaker) = &proposal.speaker
        {
            claim.speaker_span = speaker.span().as_ref().map(at);
            claim.speaker_entity = speaker.entity.known.clone();
            if claim.speaker_entity.is_none() {
                offer = Some((
                    Role::Speaker,
                    self.hint(&speaker.entity, claim.speaker_span),
                ));
            }
            parts.push(if speaker.phrase.is_some() {
                "speaker"
            } else {
                "implicit speaker"
            });
        }
        if claim.target_entity.is_none()
            && claim.target_span.is_none()
            && let Some(target) = &proposal.target
        {
            claim.target_span = target.span.as_ref().map(at);
            claim.target_entity = target.known.clone();
            if claim.target_entity.is_none() && offer.is_none() {
                offer = Some((Role::Target, self.hint(target, claim.target_span)));
            }
            parts.push("target");
        }
        if proposal.content.is_some() {
            parts.push("content");
        }
        // The learnt stance is for the proposal's speaker and target: only when the claim
        // took both from it.
        let took_pair = parts.contains(&"target")
            && (parts.contains(&"speaker") || parts.contains(&"implicit speaker"));
        if claim.stance.is_none()
            && took_pair
            && let Some(predicted) = &proposal.stance
        {
            // The learnt stance, preselected: Enter confirms it, a stance key overrides it.
            claim.stance = Some(predicted.stance.clone());
            parts.push("stance");
        }
        let label = format!("Accept the proposed {}", parts.join(", "));
        let id = claim.id.clone();
        let mut applied = self.save_claim(&label, claim, Vec::new())?;
        self.accepted_proposal = Some(id);
        if let Some((role, hint)) = offer {
            applied.message = Some(format!(
                "{label}: “{}” is new — Enter creates it, or choose another entity",
                hint.name
            ));
            applied.needs_entity = Some(role);
            applied.entity_hint = Some(hint);
        }
        Ok(applied)
    }

    /// True when a stance key now confirms the claim being built: it is the draft `a`
    /// filled from a proposal and has both its entities, so that a right proposal costs two
    /// keys (`a`, the stance). Other drafts wait for Enter as before.
    pub fn stance_confirms(&self) -> bool {
        self.active_claim().is_some_and(|claim| {
            claim.status == ClaimStatus::Draft
                && claim.speaker_entity.is_some()
                && claim.target_entity.is_some()
                && self.accepted_proposal.as_deref() == Some(claim.id.as_str())
        })
    }

    /// Sets the stance of the accepted proposal's draft and confirms it, in one action.
    pub(super) fn confirm_accepted_proposal(
        &mut self,
        stance: String,
        name: &str,
    ) -> ModelResult<Applied> {
        let mut claim = self
            .active_claim()
            .cloned()
            .ok_or_else(|| ModelError::Invalid("no claim to confirm".into()))?;
        claim.stance = Some(stance);
        self.accepted_proposal = None;
        let label = format!("Stance: {name}, claim confirmed");
        self.confirm(claim, Some(&label))
    }

    /// The New entity dialog's prefill for a proposed entity the project does not have.
    fn hint(&self, entity: &EntityProposal, span: Option<Span>) -> EntityHint {
        let alias = span
            .and_then(|s| self.doc.as_ref().map(|d| d.span_text(s)))
            .or_else(|| entity.span.is_none().then(|| entity.name.clone()));
        EntityHint {
            name: entity.name.clone(),
            kind: entity.kind.id().to_owned(),
            alias,
        }
    }
}
