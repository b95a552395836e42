//! Aligning annotators' claims for adjudication (pure: no database, no user interface).
//!
//! In each sentence, every annotator's confirmed claims are grouped by (speaker entity,
//! target entity): one *group* is one candidate gold claim, with one *version* per
//! annotator who made it. A group is **unanimous** when every annotator who decided the
//! sentence (at least two) made it with the same stance and claim type; unanimous groups
//! are accepted into gold automatically. For the spans of an accepted group, the span most
//! annotators chose wins (ties: the annotator first by name). Differences between versions
//! are reported field by field so the view can highlight them.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{ClaimRow, GoldClaimRow, Span};

/// A field of a claim, for highlighting differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaimField {
    Stance,
    ClaimType,
    SpeakerSpan,
    TargetSpan,
    Cue,
    Content,
    Note,
}

/// One candidate gold claim: the versions of the annotators who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimGroup {
    pub speaker_entity: Option<String>,
    pub target_entity: Option<String>,
    /// Annotator → their claim (their first, if they made several with this key).
    pub versions: BTreeMap<String, ClaimRow>,
    /// Fields whose value is not the same in every version (and missing versions).
    pub differences: BTreeSet<ClaimField>,
    pub unanimous: bool,
}

/// A sentence as the adjudicator sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SentenceAlignment {
    pub sentence: usize,
    /// Annotators who decided the sentence (claims or "no claim"), sorted.
    pub decided_by: Vec<String>,
    /// Of those, the ones who marked it "no claim".
    pub no_claim_by: Vec<String>,
    pub groups: Vec<ClaimGroup>,
}

impl SentenceAlignment {
    /// Every decider marked "no claim" (and there are at least two).
    pub fn unanimous_no_claim(&self) -> bool {
        self.decided_by.len() >= 2 && self.no_claim_by.len() == self.decided_by.len()
    }

    /// Nothing to adjudicate: unanimous "no claim", or every group unanimous and every
    /// decider made exactly those claims.
    pub fn fully_unanimous(&self) -> bool {
        self.unanimous_no_claim()
            || (self.decided_by.len() >= 2
                && self.no_claim_by.is_empty()
                && !self.groups.is_empty()
                && self.groups.iter().all(|g| g.unanimous))
    }
}

/// Aligns the confirmed claims of one sentence. `deciders` are the annotators who decided
/// the sentence, `no_claim_by` those of them who marked it "no claim".
pub fn align_sentence(
    sentence: usize,
    claims: &[ClaimRow],
    no_claim_by: &[String],
) -> SentenceAlignment {
    let mut deciders: BTreeSet<String> = no_claim_by.iter().cloned().collect();
    let mut groups: BTreeMap<(Option<String>, Option<String>), BTreeMap<String, ClaimRow>> =
        BTreeMap::new();
    for claim in claims
        .iter()
        .filter(|c| c.sentence_idx == sentence && !c.deleted)
    {
        deciders.insert(claim.annotator.clone());
        groups
            .entry((claim.speaker_entity.clone(), claim.target_entity.clone()))
            .or_default()
            .entry(claim.annotator.clone())
            .or_insert_with(|| claim.clone());
    }
    let decided_by: Vec<String> = deciders.into_iter().collect();
    let groups = groups
        .into_iter()
        .map(|((speaker_entity, target_entity), versions)| {
            let differences = differences(&versions, decided_by.len());
            let unanimous = decided_by.len() >= 2
                && versions.len() == decided_by.len()
                && !differences.contains(&ClaimField::Stance)
                && !differences.contains(&ClaimField::ClaimType);
            ClaimGroup {
                speaker_entity,
                target_entity,
                versions,
                differences,
                unanimous,
            }
        })
        .collect();
    let mut no_claim_by = no_claim_by.to_vec();
    no_claim_by.sort();
    no_claim_by.dedup();
    SentenceAlignment {
        sentence,
        decided_by,
        no_claim_by,
        groups,
    }
}

fn differences(versions: &BTreeMap<String, ClaimRow>, deciders: usize) -> BTreeSet<ClaimField> {
    let mut out = BTreeSet::new();
    let all = |f: &dyn Fn(&ClaimRow) -> String| {
        let values: BTreeSet<String> = versions.values().map(f).collect();
        values.len() > 1 || (versions.len() < deciders && deciders > 1)
    };
    let span = |s: Option<Span>| s.map_or_else(String::new, |s| format!("{}-{}", s.start, s.end));
    if all(&|c| c.stance.clone().unwrap_or_default()) {
        out.insert(ClaimField::Stance);
    }
    if all(&|c| c.claim_type.clone().unwrap_or_default()) {
        out.insert(ClaimField::ClaimType);
    }
    if all(&|c| span(c.speaker_span)) {
        out.insert(ClaimField::SpeakerSpan);
    }
    if all(&|c| span(c.target_span)) {
        out.insert(ClaimField::TargetSpan);
    }
    if all(&|c| span(c.cue_span)) {
        out.insert(ClaimField::Cue);
    }
    if all(&|c| span(c.content_span)) {
        out.insert(ClaimField::Content);
    }
    if versions
        .values()
        .map(|c| c.note.trim())
        .collect::<BTreeSet<_>>()
        .len()
        > 1
    {
        out.insert(ClaimField::Note);
    }
    out
}

/// The most common value (ties: the first annotator by name).
fn majority<T: Clone + PartialEq>(values: &[T]) -> Option<T> {
    let mut best: Option<(usize, &T)> = None;
    for value in values {
        let count = values.iter().filter(|v| *v == value).count();
        if best.is_none_or(|(n, _)| count > n) {
            best = Some((count, value));
        }
    }
    best.map(|(_, v)| v.clone())
}

/// The gold claim for a group: from one annotator's version (`adopt`), or merged by
/// majority (for unanimous groups).
pub fn gold_from_group(
    group: &ClaimGroup,
    adopt: Option<&str>,
    decision: &str,
    n_annotators: usize,
    decided_by: &str,
    now: &str,
) -> Option<GoldClaimRow> {
    let versions: Vec<&ClaimRow> = match adopt {
        Some(annotator) => vec![group.versions.get(annotator)?],
        None => group.versions.values().collect(),
    };
    let first = versions.first()?;
    let pick = |f: &dyn Fn(&ClaimRow) -> Option<Span>| {
        majority(&versions.iter().map(|c| f(c)).collect::<Vec<_>>()).flatten()
    };
    let source_claims: Vec<String> = versions.iter().map(|c| c.id.clone()).collect();
    Some(GoldClaimRow {
        id: gold_id(
            &first.doc_id,
            first.sentence_idx,
            &group.speaker_entity,
            &group.target_entity,
        ),
        doc_id: first.doc_id.clone(),
        sentence_idx: first.sentence_idx,
        stance: majority(
            &versions
                .iter()
                .map(|c| c.stance.clone())
                .collect::<Vec<_>>(),
        )
        .flatten()
        .unwrap_or_default(),
        claim_type: majority(
            &versions
                .iter()
                .map(|c| c.claim_type.clone())
                .collect::<Vec<_>>(),
        )
        .flatten(),
        speaker_entity: group.speaker_entity.clone(),
        speaker_span: pick(&|c| c.speaker_span),
        target_entity: group.target_entity.clone(),
        target_span: pick(&|c| c.target_span),
        cue_span: pick(&|c| c.cue_span),
        content_span: pick(&|c| c.content_span),
        note: versions
            .iter()
            .map(|c| c.note.trim())
            .filter(|n| !n.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(" | "),
        decision: decision.to_owned(),
        source_claims,
        n_annotators: n_annotators as u32,
        decided_by: decided_by.to_owned(),
        decided_at: now.to_owned(),
        updated_at: now.to_owned(),
        deleted: false,
    })
}

/// The id of the gold claim for (sentence, speaker, target): one gold claim per group.
pub fn gold_id(
    doc_id: &str,
    sentence: usize,
    speaker: &Option<String>,
    target: &Option<String>,
) -> String {
    use sha2::{Digest, Sha256};
    let key = format!(
        "{doc_id}\0{sentence}\0{}\0{}",
        speaker.as_deref().unwrap_or(""),
        target.as_deref().unwrap_or("")
    );
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("g-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ClaimStatus;

    fn claim(
        annotator: &str,
        speaker: &str,
        target: &str,
        stance: &str,
        span: (usize, usize),
    ) -> ClaimRow {
        ClaimRow {
            id: format!("{annotator}-{speaker}-{target}"),
            doc_id: "d".into(),
            sentence_idx: 3,
            annotator: annotator.into(),
            status: ClaimStatus::Confirmed,
            stance: Some(stance.into()),
            claim_type: None,
            speaker_entity: Some(speaker.into()),
            speaker_span: Some(Span::new(span.0, span.1)),
            target_entity: Some(target.into()),
            target_span: None,
            cue_span: None,
            content_span: None,
            note: String::new(),
            lead_time_s: 0.0,
            schema_version: 1,
            origin: "manual".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            deleted: false,
        }
    }

    #[test]
    fn identical_claims_are_unanimous_and_differences_are_named() {
        let claims = vec![
            claim("A", "ru", "assad", "favor", (0, 5)),
            claim("B", "ru", "assad", "favor", (0, 5)),
            claim("C", "ru", "assad", "favor", (1, 5)),
            claim("A", "iran", "assad", "favor", (10, 14)),
            claim("B", "iran", "assad", "against", (10, 14)),
            claim("C", "iran", "assad", "favor", (10, 14)),
        ];
        let aligned = align_sentence(3, &claims, &[]);
        assert_eq!(aligned.decided_by, vec!["A", "B", "C"]);
        assert_eq!(aligned.groups.len(), 2);
        let iran = &aligned.groups[0];
        assert!(!iran.unanimous);
        assert!(iran.differences.contains(&ClaimField::Stance));
        let russia = &aligned.groups[1];
        assert!(
            russia.unanimous,
            "spans may differ; entities and stance agree"
        );
        assert!(russia.differences.contains(&ClaimField::SpeakerSpan));
        let gold = gold_from_group(russia, None, "unanimous", 3, "lead", "now").unwrap();
        assert_eq!(
            gold.speaker_span,
            Some(Span::new(0, 5)),
            "the majority span"
        );
        assert_eq!(gold.source_claims.len(), 3);
        assert!(!aligned.fully_unanimous());
    }

    #[test]
    fn a_claim_one_annotator_missed_is_not_unanimous() {
        let claims = vec![claim("A", "ru", "assad", "favor", (0, 5))];
        let aligned = align_sentence(3, &claims, &["B".to_owned()]);
        assert_eq!(aligned.decided_by, vec!["A", "B"]);
        assert!(!aligned.groups[0].unanimous);
        let both_no = align_sentence(3, &[], &["B".to_owned(), "A".to_owned()]);
        assert!(both_no.unanimous_no_claim() && both_no.fully_unanimous());
        let alone = align_sentence(3, &claims, &[]);
        assert!(
            !alone.groups[0].unanimous,
            "one annotator is not a consensus"
        );
    }

    #[test]
    fn adopting_a_version_copies_it() {
        let claims = vec![
            claim("A", "ru", "assad", "favor", (0, 5)),
            claim("B", "ru", "assad", "against", (1, 5)),
        ];
        let aligned = align_sentence(3, &claims, &[]);
        let gold =
            gold_from_group(&aligned.groups[0], Some("B"), "adopted", 2, "lead", "now").unwrap();
        assert_eq!(gold.stance, "against");
        assert_eq!(gold.speaker_span, Some(Span::new(1, 5)));
        assert_eq!(gold.source_claims, vec!["B-ru-assad"]);
        assert_eq!(
            gold.id,
            gold_id("d", 3, &Some("ru".into()), &Some("assad".into()))
        );
    }
}
