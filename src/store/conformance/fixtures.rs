//! A small project for the suite: three documents (one sentence flagged as boilerplate),
//! two annotators, and rows of every kind built in one place.

use crate::domain::{
    ClaimRow, ClaimStatus, EntityRow, FileImport, GoldClaimRow, GoldSentenceRow, MarkRow,
    NewDocument, NewSentence, RowState, Span,
};
use crate::store::interface::Store;

pub const HALA: &str = "hala";
pub const OMAR: &str = "omar";
pub const SESSION: &str = "conformance";
pub const T0: &str = "2020-01-01T00:00:00.000Z";

/// A document of these sentences (joined by one space), the last `boilerplate` of them
/// flagged by a rule.
pub fn document(id: &str, title: &str, sentences: &[&str], boilerplate: usize) -> NewDocument {
    let text = sentences.join(" ");
    let mut start = 0;
    let mut rows = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let end = start + sentence.chars().count();
        rows.push(NewSentence {
            start,
            end,
            text: (*sentence).to_owned(),
            boilerplate: (index + boilerplate >= sentences.len()).then(|| "footer".to_owned()),
        });
        start = end + 1;
    }
    NewDocument {
        id: id.into(),
        title: title.into(),
        text,
        source: Some("conformance".into()),
        url: None,
        published: Some("2026-01-01".into()),
        encoding: "utf-8".into(),
        metadata: serde_json::Map::new(),
        origin: format!("{id}.txt"),
        sentences: rows,
    }
}

/// The suite's corpus: `d1` (three sentences, the last boilerplate), `d2` (two), `d3`
/// (one, a title full of LIKE wildcards), in two files.
pub fn corpus() -> Vec<FileImport> {
    vec![
        FileImport {
            origin: "a.jsonl".into(),
            documents: vec![
                document(
                    "d1",
                    "قمة الرياض",
                    &[
                        "قال الرئيس إن المحادثات مثمرة.",
                        "وأضاف الوزير أن الحل قريب.",
                        "جميع الحقوق محفوظة.",
                    ],
                    1,
                ),
                document(
                    "d2",
                    "Talks in Cairo",
                    &["The minister said talks went well.", "Critics disagreed."],
                    0,
                ),
            ],
        },
        FileImport {
            origin: "b.jsonl".into(),
            documents: vec![document("d3", "50%_off \\ sale", &["لا تعليق."], 0)],
        },
    ]
}

/// A store with the corpus and both annotators.
pub fn seed(store: &mut dyn Store) {
    let results = store.import_files(&corpus()).expect("import");
    assert!(results.iter().all(|r| r.result.is_ok()), "{results:?}");
    store.ensure_annotator(HALA).expect("annotator");
    store.ensure_annotator(OMAR).expect("annotator");
}

/// A draft claim of `annotator` on a sentence, with a speaker span.
pub fn claim(id: &str, doc_id: &str, sentence_idx: usize, annotator: &str) -> ClaimRow {
    ClaimRow {
        id: id.into(),
        doc_id: doc_id.into(),
        sentence_idx,
        annotator: annotator.into(),
        status: ClaimStatus::Draft,
        stance: None,
        claim_type: None,
        speaker_entity: None,
        speaker_span: Some(Span::new(0, 3)),
        target_entity: None,
        target_span: None,
        cue_span: None,
        content_span: None,
        note: String::new(),
        lead_time_s: 1.5,
        schema_version: 1,
        origin: "manual".into(),
        created_at: T0.into(),
        updated_at: T0.into(),
        deleted: false,
    }
}

/// The same claim, confirmed with a stance.
pub fn confirmed(mut claim: ClaimRow, stance: &str) -> ClaimRow {
    claim.status = ClaimStatus::Confirmed;
    claim.stance = Some(stance.into());
    claim
}

/// A live "no claim" mark.
pub fn mark(doc_id: &str, sentence_idx: usize, annotator: &str) -> MarkRow {
    MarkRow {
        doc_id: doc_id.into(),
        sentence_idx,
        annotator: annotator.into(),
        mark: "no_claim".into(),
        lead_time_s: 2.0,
        created_at: T0.into(),
        updated_at: T0.into(),
        deleted: false,
    }
}

pub fn entity(id: &str, name: &str) -> EntityRow {
    EntityRow {
        id: id.into(),
        canonical_name: name.into(),
        kind: "person".into(),
        note: String::new(),
        created_at: T0.into(),
        updated_at: T0.into(),
    }
}

pub fn gold_claim(id: &str, doc_id: &str, sentence_idx: usize) -> GoldClaimRow {
    GoldClaimRow {
        id: id.into(),
        doc_id: doc_id.into(),
        sentence_idx,
        stance: "favor".into(),
        claim_type: None,
        speaker_entity: None,
        speaker_span: Some(Span::new(0, 3)),
        target_entity: None,
        target_span: None,
        cue_span: None,
        content_span: None,
        note: String::new(),
        decision: "adopted".into(),
        source_claims: vec!["c1".into()],
        n_annotators: 2,
        decided_by: "lead".into(),
        decided_at: T0.into(),
        updated_at: T0.into(),
        deleted: false,
    }
}

pub fn gold_sentence(doc_id: &str, sentence_idx: usize, status: &str) -> GoldSentenceRow {
    GoldSentenceRow {
        doc_id: doc_id.into(),
        sentence_idx,
        status: status.into(),
        decision: "adjudicated".into(),
        n_annotators: 2,
        decided_by: "lead".into(),
        decided_at: T0.into(),
        updated_at: T0.into(),
        deleted: false,
    }
}

/// Applies one action of `annotator` (panics on failure).
pub fn act(store: &mut dyn Store, annotator: &str, label: &str, targets: Vec<RowState>) -> i64 {
    store
        .apply_action(annotator, SESSION, label, &targets)
        .expect("apply the action")
}
