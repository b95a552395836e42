//! Adjudication: the lead's view of one document with every annotator's claims aligned,
//! unanimous claims accepted automatically, and decisions written to the gold standard
//! through the same undoable action log as annotations.

use crate::adjudication::{SentenceAlignment, align_sentence, gold_from_group};
use crate::domain::{ClaimStatus, GoldClaimRow, GoldSentenceRow, RowState};

pub use super::adjudication_doc::{AdjudicationDoc, AdjudicationIntent};
use super::error::{ModelError, ModelResult};
use super::{Applied, Workspace};

impl Workspace {
    /// The document open for adjudication.
    pub fn adjudication(&self) -> Option<&AdjudicationDoc> {
        self.adjudication.as_ref()
    }

    /// Applies an adjudication intent.
    pub fn adjudicate(&mut self, intent: AdjudicationIntent) -> ModelResult<Applied> {
        let result = self.adjudicate_inner(intent);
        if matches!(result, Ok(Applied { saved: true, .. })) {
            self.last_saved = Some(crate::clock::now_rfc3339());
        }
        result
    }

    fn adjudicate_inner(&mut self, intent: AdjudicationIntent) -> ModelResult<Applied> {
        match intent {
            AdjudicationIntent::Open { doc_id, sentence } => {
                self.open_adjudication(&doc_id, sentence)
            }
            AdjudicationIntent::GoTo(index) => {
                let doc = self.adj_mut()?;
                if index >= doc.sentences.len() {
                    return Err(ModelError::Invalid(format!("there is no sentence {index}")));
                }
                doc.current = index;
                doc.focus = 0;
                Ok(Applied::quiet())
            }
            AdjudicationIntent::Next => self.adjudication_step(true),
            AdjudicationIntent::Previous => self.adjudication_step(false),
            AdjudicationIntent::NextUndecided => self.next_undecided(),
            AdjudicationIntent::Focus(group) => {
                let doc = self.adj_mut()?;
                let groups = doc.alignments[doc.current].groups.len();
                doc.focus = group.min(groups.saturating_sub(1));
                Ok(Applied::quiet())
            }
            AdjudicationIntent::Adopt { group, annotator } => self.adopt(group, &annotator),
            AdjudicationIntent::Reject { group } => self.reject(group),
            AdjudicationIntent::SetStance { group, stance } => self.set_gold_stance(group, stance),
            AdjudicationIntent::DecideSentence => self.decide_sentence(),
            AdjudicationIntent::ReopenSentence => self.reopen_sentence(),
        }
    }

    /// The next (`forward`) or previous sentence that is not boilerplate, if any.
    fn adjudication_step(&mut self, forward: bool) -> ModelResult<Applied> {
        let doc = self.adj_mut()?;
        let mut index = doc.current as isize;
        loop {
            index += if forward { 1 } else { -1 };
            if index < 0 || index as usize >= doc.sentences.len() {
                break;
            }
            if !doc.sentences[index as usize].boilerplate {
                doc.current = index as usize;
                doc.focus = 0;
                break;
            }
        }
        Ok(Applied::quiet())
    }

    fn next_undecided(&mut self) -> ModelResult<Applied> {
        let doc = self.adj_mut()?;
        let count = doc.sentences.len();
        let found = (1..=count)
            .map(|step| (doc.current + step) % count.max(1))
            .find(|&i| {
                !doc.alignments[i].decided_by.is_empty() && !doc.gold_sentences.contains_key(&i)
            });
        match found {
            Some(i) => {
                doc.current = i;
                doc.focus = 0;
                Ok(Applied::quiet())
            }
            None => Ok(Applied {
                message: Some("Every annotated sentence of this document is decided".into()),
                ..Applied::default()
            }),
        }
    }

    /// Takes `annotator`'s version of `group` as the gold claim.
    fn adopt(&mut self, group: usize, annotator: &str) -> ModelResult<Applied> {
        let doc = self.adj()?;
        let alignment = &doc.alignments[doc.current];
        let g = alignment
            .groups
            .get(group)
            .ok_or_else(|| ModelError::Invalid("no such claim group".into()))?;
        if !g.versions.contains_key(annotator) {
            return Err(ModelError::Invalid(format!(
                "{annotator} made no such claim"
            )));
        }
        let decision = if g.unanimous { "unanimous" } else { "adopted" };
        let now = crate::clock::now_rfc3339();
        let gold = gold_from_group(
            g,
            Some(annotator),
            decision,
            alignment.decided_by.len(),
            &self.annotator,
            &now,
        )
        .ok_or_else(|| ModelError::Invalid("no such version".into()))?;
        self.write_gold(
            &format!("Gold: take {annotator}'s claim"),
            vec![RowState::GoldClaim(gold)],
        )
    }

    /// No gold claim for `group`: its gold claim deleted, or a deleted one remembered.
    fn reject(&mut self, group: usize) -> ModelResult<Applied> {
        let doc = self.adj()?;
        let sentence = doc.current;
        let alignment = &doc.alignments[sentence];
        let g = alignment
            .groups
            .get(group)
            .ok_or_else(|| ModelError::Invalid("no such claim group".into()))?;
        let now = crate::clock::now_rfc3339();
        let existing = doc.gold_for(sentence, group).cloned();
        let tombstone = match existing {
            Some(gold) => GoldClaimRow {
                deleted: true,
                updated_at: now,
                ..gold
            },
            None => {
                // Remember the rejection so the unanimous auto-accept does not bring the
                // claim back.
                let mut gold = gold_from_group(
                    g,
                    None,
                    "adopted",
                    alignment.decided_by.len(),
                    &self.annotator,
                    &now,
                )
                .ok_or_else(|| ModelError::Invalid("empty group".into()))?;
                gold.deleted = true;
                gold
            }
        };
        self.write_gold("Gold: reject claim", vec![RowState::GoldClaim(tombstone)])
    }

    /// Changes the stance of `group`'s gold claim (an edited decision).
    fn set_gold_stance(&mut self, group: usize, stance: String) -> ModelResult<Applied> {
        if self.schema.stance(&stance).is_none() {
            return Err(ModelError::Invalid(format!(
                "no stance {stance:?} in the label schema"
            )));
        }
        let doc = self.adj()?;
        let sentence = doc.current;
        let alignment = &doc.alignments[sentence];
        let g = alignment
            .groups
            .get(group)
            .ok_or_else(|| ModelError::Invalid("no such claim group".into()))?;
        let now = crate::clock::now_rfc3339();
        let mut gold = match doc.gold_for(sentence, group) {
            Some(gold) => gold.clone(),
            None => gold_from_group(
                g,
                None,
                "edited",
                alignment.decided_by.len(),
                &self.annotator,
                &now,
            )
            .ok_or_else(|| ModelError::Invalid("empty group".into()))?,
        };
        if gold.stance != stance {
            gold.decision = "edited".into();
        }
        gold.stance = stance;
        gold.deleted = false;
        gold.decided_by.clone_from(&self.annotator);
        gold.decided_at.clone_from(&now);
        gold.updated_at = now;
        self.write_gold("Gold: set stance", vec![RowState::GoldClaim(gold)])
    }

    /// Records the current sentence's gold decision once every group is decided, then
    /// moves to the next undecided sentence.
    fn decide_sentence(&mut self) -> ModelResult<Applied> {
        let doc = self.adj()?;
        let sentence = doc.current;
        let alignment = &doc.alignments[sentence];
        if alignment.decided_by.is_empty() {
            return Err(ModelError::Invalid(
                "no annotator decided this sentence yet".into(),
            ));
        }
        let now = crate::clock::now_rfc3339();
        let has_claims = doc.gold_in(sentence).next().is_some();
        let undecided_groups = alignment
            .groups
            .iter()
            .enumerate()
            .filter(|(i, g)| {
                doc.gold_for(sentence, *i).is_none()
                    && !doc.gold_claims.iter().any(|c| {
                        c.deleted
                            && c.sentence_idx == sentence
                            && c.speaker_entity == g.speaker_entity
                            && c.target_entity == g.target_entity
                    })
            })
            .count();
        if undecided_groups > 0 {
            return Err(ModelError::Invalid(format!(
                "{undecided_groups} claim(s) still open: take a version (1–9) or reject (r) each first"
            )));
        }
        let gold = GoldSentenceRow {
            doc_id: doc.row.id.clone(),
            sentence_idx: sentence,
            status: if has_claims { "claims" } else { "no_claim" }.into(),
            decision: "adjudicated".into(),
            n_annotators: alignment.decided_by.len() as u32,
            decided_by: self.annotator.clone(),
            decided_at: now.clone(),
            updated_at: now,
            deleted: false,
        };
        let applied =
            self.write_gold("Gold: decide sentence", vec![RowState::GoldSentence(gold)])?;
        self.next_undecided()?;
        Ok(applied)
    }

    /// Withdraws the current sentence's gold decision.
    fn reopen_sentence(&mut self) -> ModelResult<Applied> {
        let doc = self.adj()?;
        let Some(existing) = doc.gold_sentences.get(&doc.current).cloned() else {
            return Ok(Applied::quiet());
        };
        let now = crate::clock::now_rfc3339();
        self.write_gold(
            "Gold: reopen sentence",
            vec![RowState::GoldSentence(GoldSentenceRow {
                deleted: true,
                updated_at: now,
                ..existing
            })],
        )
    }

    fn adj(&self) -> ModelResult<&AdjudicationDoc> {
        self.adjudication
            .as_ref()
            .ok_or_else(|| ModelError::Invalid("open a document for adjudication first".into()))
    }

    fn adj_mut(&mut self) -> ModelResult<&mut AdjudicationDoc> {
        self.adjudication
            .as_mut()
            .ok_or_else(|| ModelError::Invalid("open a document for adjudication first".into()))
    }

    fn write_gold(&mut self, label: &str, targets: Vec<RowState>) -> ModelResult<Applied> {
        self.store
            .apply_action(&self.annotator, &self.session_id, label, &targets)?;
        self.reload_adjudication()?;
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    /// Re-reads the open adjudication document (after undo, merge…).
    pub fn reload_adjudication(&mut self) -> ModelResult<()> {
        if let Some(doc) = &self.adjudication {
            let (id, current, focus) = (doc.row.id.clone(), doc.current, doc.focus);
            let mut fresh = self.load_adjudication(&id)?;
            fresh.current = current.min(fresh.sentences.len().saturating_sub(1));
            fresh.focus = focus;
            self.adjudication = Some(fresh);
        }
        Ok(())
    }

    fn load_adjudication(&self, doc_id: &str) -> ModelResult<AdjudicationDoc> {
        let row = self
            .store
            .document(doc_id)?
            .ok_or_else(|| ModelError::Invalid(format!("no document with id {doc_id:?}")))?;
        let sentences = self.store.sentences(doc_id)?;
        let claims: Vec<_> = self
            .store
            .claims_in_document(doc_id, None)?
            .into_iter()
            .filter(|c| c.status == ClaimStatus::Confirmed)
            .collect();
        let marks = self.store.marks_in_document(doc_id, None)?;
        let alignments = sentences
            .iter()
            .map(|s| {
                if s.boilerplate {
                    return SentenceAlignment {
                        sentence: s.index,
                        ..SentenceAlignment::default()
                    };
                }
                let no_claim: Vec<String> = marks
                    .iter()
                    .filter(|m| m.sentence_idx == s.index)
                    .map(|m| m.annotator.clone())
                    .collect();
                let in_sentence: Vec<_> = claims
                    .iter()
                    .filter(|c| c.sentence_idx == s.index)
                    .cloned()
                    .collect();
                align_sentence(s.index, &in_sentence, &no_claim)
            })
            .collect();
        let gold_claims = self.store.gold_claims(Some(doc_id), true)?;
        let gold_sentences = self
            .store
            .gold_sentences(Some(doc_id))?
            .into_iter()
            .map(|g| (g.sentence_idx, g))
            .collect();
        Ok(AdjudicationDoc {
            row,
            sentences,
            alignments,
            gold_claims,
            gold_sentences,
            current: 0,
            focus: 0,
        })
    }

    fn open_adjudication(&mut self, doc_id: &str, sentence: Option<usize>) -> ModelResult<Applied> {
        let doc = self.load_adjudication(doc_id)?;
        // Accept what every annotator agreed on, once (a rejected claim stays rejected).
        let now = crate::clock::now_rfc3339();
        let mut targets = Vec::new();
        for alignment in &doc.alignments {
            let n = alignment.decided_by.len();
            for group in alignment.groups.iter().filter(|g| g.unanimous) {
                let known = doc.gold_claims.iter().any(|c| {
                    c.sentence_idx == alignment.sentence
                        && c.speaker_entity == group.speaker_entity
                        && c.target_entity == group.target_entity
                });
                if !known
                    && let Some(gold) =
                        gold_from_group(group, None, "unanimous", n, &self.annotator, &now)
                {
                    targets.push(RowState::GoldClaim(gold));
                }
            }
            if alignment.fully_unanimous() && !doc.gold_sentences.contains_key(&alignment.sentence)
            {
                targets.push(RowState::GoldSentence(GoldSentenceRow {
                    doc_id: doc.row.id.clone(),
                    sentence_idx: alignment.sentence,
                    status: if alignment.unanimous_no_claim() {
                        "no_claim"
                    } else {
                        "claims"
                    }
                    .into(),
                    decision: "unanimous".into(),
                    n_annotators: n as u32,
                    decided_by: self.annotator.clone(),
                    decided_at: now.clone(),
                    updated_at: now.clone(),
                    deleted: false,
                }));
            }
        }
        let first_open = doc.alignments.iter().position(|a| {
            !a.decided_by.is_empty() && !doc.gold_sentences.contains_key(&a.sentence)
        });
        self.adjudication = Some(doc);
        let mut applied = Applied::quiet();
        if !targets.is_empty() {
            let count = targets.len();
            self.store.apply_action(
                &self.annotator,
                &self.session_id,
                "Gold: accept unanimous decisions",
                &targets,
            )?;
            self.reload_adjudication()?;
            applied = Applied::saved(format!(
                "Accepted {count} unanimous decision(s) automatically"
            ));
        }
        if let Some(doc) = self.adjudication.as_mut() {
            let start = sentence.or(first_open).unwrap_or(0);
            doc.current = start.min(doc.sentences.len().saturating_sub(1));
            if sentence.is_none()
                && let Some(next) = doc.alignments.iter().position(|a| {
                    !a.decided_by.is_empty() && !doc.gold_sentences.contains_key(&a.sentence)
                })
            {
                doc.current = next;
            }
        }
        Ok(applied)
    }
}
