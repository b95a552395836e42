//! A document open for adjudication: its sentences with every annotator's claims aligned,
//! and the gold standard so far (plain data; the intents that change it are in
//! `adjudicate.rs`).

use std::collections::HashMap;

use crate::adjudication::SentenceAlignment;
use crate::domain::{DocumentRow, GoldClaimRow, GoldSentenceRow, SentenceRow};

/// A document open for adjudication.
#[derive(Debug, Clone)]
pub struct AdjudicationDoc {
    pub row: DocumentRow,
    pub sentences: Vec<SentenceRow>,
    /// One per sentence (empty for boilerplate).
    pub alignments: Vec<SentenceAlignment>,
    /// Gold claims, rejected ones (deleted) included.
    pub gold_claims: Vec<GoldClaimRow>,
    pub gold_sentences: HashMap<usize, GoldSentenceRow>,
    pub current: usize,
    /// The focused claim group of the current sentence.
    pub focus: usize,
}

impl AdjudicationDoc {
    /// The live gold claim of a group (same sentence, speaker and target), if any.
    pub fn gold_for(&self, sentence: usize, group: usize) -> Option<&GoldClaimRow> {
        let g = self.alignments.get(sentence)?.groups.get(group)?;
        self.gold_claims.iter().find(|c| {
            c.sentence_idx == sentence
                && !c.deleted
                && c.speaker_entity == g.speaker_entity
                && c.target_entity == g.target_entity
        })
    }

    /// Live gold claims of a sentence.
    pub fn gold_in(&self, sentence: usize) -> impl Iterator<Item = &GoldClaimRow> {
        self.gold_claims
            .iter()
            .filter(move |c| c.sentence_idx == sentence && !c.deleted)
    }

    /// (decided sentences, sentences with annotations to adjudicate).
    pub fn progress(&self) -> (usize, usize) {
        let total = self
            .alignments
            .iter()
            .filter(|a| !a.decided_by.is_empty())
            .count();
        let decided = self
            .alignments
            .iter()
            .filter(|a| !a.decided_by.is_empty() && self.gold_sentences.contains_key(&a.sentence))
            .count();
        (decided, total)
    }
}

/// What the adjudicator can do.
#[derive(Debug, Clone, PartialEq)]
pub enum AdjudicationIntent {
    Open {
        doc_id: String,
        sentence: Option<usize>,
    },
    GoTo(usize),
    Next,
    Previous,
    /// The next sentence with annotations and no gold decision.
    NextUndecided,
    Focus(usize),
    /// Take one annotator's version of a group as the gold claim.
    Adopt {
        group: usize,
        annotator: String,
    },
    /// No gold claim for this group.
    Reject {
        group: usize,
    },
    /// Change the stance of a group's gold claim (an edited decision).
    SetStance {
        group: usize,
        stance: String,
    },
    /// Record the sentence's gold decision: its live gold claims, or "no claim".
    DecideSentence,
    /// Withdraw the sentence's gold decision.
    ReopenSentence,
}
