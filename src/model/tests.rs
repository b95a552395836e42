//! Model tests on the seed articles: building, confirming, undoing claims; no-claim marks;
//! entities; suggestions.

use super::*;
use crate::store::{self, Access, Location};

fn workspace() -> Workspace {
    let mut store = store::open_in_memory().unwrap();
    crate::seeds::import_seeds(&mut *store).unwrap();
    project::load_starter_registry(&mut *store).unwrap();
    Workspace::new(store, "hala").unwrap()
}

/// Seed 001 ("روسيا تبدي استعدادها…") and the span of `needle` in sentence `index`.
fn open_seed_001(ws: &mut Workspace, index: usize) {
    let id = ws
        .store()
        .document_summaries(&crate::domain::DocumentListQuery {
            text: "روسيا تبدي",
            status: crate::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone();
    ws.apply(Intent::OpenDocument {
        doc_id: id,
        sentence: Some(index),
    })
    .unwrap();
}

fn span_of(ws: &Workspace, needle: &str) -> Span {
    let doc = ws.document().unwrap();
    let sentence = doc.sentence().unwrap();
    let byte = sentence.text.find(needle).expect("needle in sentence");
    let start = sentence.start + sentence.text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn entity(ws: &Workspace, name: &str) -> String {
    ws.registry().by_name(name).expect(name).entity.id.clone()
}

#[test]
fn a_claim_is_built_confirmed_and_undone() {
    let mut ws = workspace();
    open_seed_001(&mut ws, 2); // أبدت روسيا استعدادها للتعاون مع المعارضة …
    let speaker = span_of(&ws, "روسيا");
    let applied = ws
        .apply(Intent::SetSpan {
            role: Role::Speaker,
            span: speaker,
        })
        .unwrap();
    assert!(applied.saved);
    assert_eq!(applied.needs_entity, None, "روسيا is a known alias");
    let draft = ws.active_claim().unwrap().clone();
    assert_eq!(draft.status, ClaimStatus::Draft);
    assert_eq!(
        draft.speaker_entity.as_deref(),
        Some(entity(&ws, "Russia").as_str())
    );

    let error = ws.apply(Intent::ConfirmClaim).unwrap_err();
    assert!(error.to_string().contains("target"), "{error}");

    let target = span_of(&ws, "المعارضة");
    ws.apply(Intent::SetSpan {
        role: Role::Target,
        span: target,
    })
    .unwrap();
    ws.apply(Intent::SetStance("favor".into())).unwrap();
    ws.apply(Intent::ConfirmClaim).unwrap();
    assert!(ws.active_claim().is_none(), "confirming ends the draft");
    let doc = ws.document().unwrap();
    let claims: Vec<_> = doc.claims_in(2).collect();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].status, ClaimStatus::Confirmed);
    assert_eq!(doc.span_text(claims[0].speaker_span.unwrap()), "روسيا");
    assert_eq!(doc.span_text(claims[0].target_span.unwrap()), "المعارضة");
    assert!(doc.progress[2].is_done());

    // Undo the confirmation, then everything: the claim disappears.
    ws.apply(Intent::Undo).unwrap();
    assert_eq!(ws.active_claim().unwrap().status, ClaimStatus::Draft);
    for _ in 0..3 {
        ws.apply(Intent::Undo).unwrap();
    }
    assert!(ws.document().unwrap().claims.is_empty());
    assert_eq!(
        ws.apply(Intent::Undo).unwrap().message.as_deref(),
        Some("Nothing to undo")
    );
    ws.apply(Intent::Redo).unwrap();
    assert_eq!(ws.document().unwrap().claims.len(), 1);
}

#[test]
fn unknown_mentions_ask_for_an_entity_which_can_be_created_from_the_span() {
    let mut ws = workspace();
    open_seed_001(&mut ws, 2);
    let span = span_of(&ws, "الهدوء في إدلب");
    let applied = ws
        .apply(Intent::SetSpan {
            role: Role::Target,
            span,
        })
        .unwrap();
    assert_eq!(applied.needs_entity, Some(Role::Target));
    ws.apply(Intent::CreateEntity {
        name: "Calm in Idlib".into(),
        kind: "other".into(),
        alias: Some("الهدوء في إدلب".into()),
        assign_to: Some(Role::Target),
    })
    .unwrap();
    let id = entity(&ws, "Calm in Idlib");
    assert_eq!(
        ws.active_claim().unwrap().target_entity.as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        ws.registry().resolve_mention("الهدوء في إدلب").as_deref(),
        Some(id.as_str())
    );
    // Undo removes the entity again (nothing else uses it).
    ws.apply(Intent::Undo).unwrap();
    assert!(ws.registry().by_name("Calm in Idlib").is_none());
}

#[test]
fn implicit_speaker_and_no_claim_marks() {
    let mut ws = workspace();
    open_seed_001(&mut ws, 4); // وأضاف أن الدول الضامنة … (speaker dropped)
    let lavrentiev = entity(&ws, "Alexander Lavrentiev");
    ws.apply(Intent::SetImplicitEntity {
        role: Role::Speaker,
        entity_id: lavrentiev.clone(),
    })
    .unwrap();
    let claim = ws.active_claim().unwrap();
    assert_eq!(claim.speaker_entity.as_deref(), Some(lavrentiev.as_str()));
    assert_eq!(claim.speaker_span, None);

    let error = ws.apply(Intent::ToggleNoClaim).unwrap_err();
    assert!(error.to_string().contains("being built"), "{error}");
    ws.apply(Intent::DiscardDraft).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    let doc = ws.document().unwrap();
    assert!(doc.progress[4].no_claim && doc.progress[4].is_done());
    assert_eq!(doc.current, 5, "marking moves on to the next sentence");
    ws.apply(Intent::GoToSentence(4)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    assert!(!ws.document().unwrap().progress[4].no_claim);
}

#[test]
fn navigation_skips_hidden_boilerplate() {
    let mut ws = workspace();
    open_seed_001(&mut ws, 0);
    ws.apply(Intent::NextSentence).unwrap();
    assert_eq!(
        ws.document().unwrap().current,
        2,
        "sentence 1 (\"0 701\") is boilerplate"
    );
    ws.apply(Intent::SetShowBoilerplate(true)).unwrap();
    ws.apply(Intent::PreviousSentence).unwrap();
    assert_eq!(ws.document().unwrap().current, 1);
    ws.apply(Intent::SetBoilerplate {
        sentence: 1,
        boilerplate: false,
    })
    .unwrap();
    assert!(!ws.document().unwrap().sentences[1].boilerplate);
    ws.apply(Intent::Undo).unwrap();
    let sentence = &ws.document().unwrap().sentences[1];
    assert!(sentence.boilerplate);
    assert_eq!(sentence.boilerplate_reason.as_deref(), Some("counter"));
}

#[test]
fn accepting_suggestions_sets_cue_and_speaker() {
    let mut ws = workspace();
    open_seed_001(&mut ws, 3); // وقال المبعوث الخاص للرئيس الروسي إلى سورية ألكسندر لافرنتيف: …
    ws.apply(Intent::AcceptSuggestions).unwrap();
    let claim = ws.active_claim().unwrap().clone();
    let doc = ws.document().unwrap();
    assert_eq!(doc.span_text(claim.cue_span.unwrap()), "وقال");
    assert!(claim.speaker_entity.is_some());
}

/// The confirmed claims of a sentence of the open document.
fn confirmed_in(ws: &Workspace, sentence: usize) -> Vec<ClaimRow> {
    ws.document()
        .unwrap()
        .claims_in(sentence)
        .filter(|c| c.status == ClaimStatus::Confirmed)
        .cloned()
        .collect()
}

#[test]
fn a_right_proposal_is_a_claim_in_two_keys() {
    let mut ws = workspace();
    // Seed 000, sentence 5: "وأكد “الحريري” أنه دعا القيادة الروسية إلى التخلي عن “بشار الأسد”…".
    ws.apply(Intent::OpenDocument {
        doc_id: "84e982cc28d456d5".into(),
        sentence: Some(5),
    })
    .unwrap();
    let proposal = ws.proposals(5).into_iter().next().expect("a proposal");
    assert!(proposal.content.is_some() && proposal.target.is_some());
    let applied = ws.apply(Intent::AcceptSuggestions).unwrap();
    assert_eq!(applied.needs_entity, None, "every part is a known entity");
    let claim = ws.active_claim().unwrap().clone();
    let doc = ws.document().unwrap();
    assert_eq!(doc.span_text(claim.cue_span.unwrap()), "وأكد");
    assert_eq!(doc.span_text(claim.speaker_span.unwrap()), "الحريري");
    assert!(
        doc.span_text(claim.content_span.unwrap())
            .starts_with("أنه دعا")
    );
    assert_eq!(claim.speaker_entity, Some(entity(&ws, "Nasr al-Hariri")));
    assert!(claim.target_entity.is_some());
    // The second key, the stance, confirms the complete accepted draft.
    ws.apply(Intent::SetStance("against".into())).unwrap();
    let confirmed = confirmed_in(&ws, 5);
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].stance.as_deref(), Some("against"));
    assert!(ws.active_claim().is_none());
    // The next `a` in the sentence goes to a proposal not yet taken, if any.
    let next = ws.next_proposal().map(|p| p.cue.clone());
    assert_ne!(next, Some(proposal.cue));
}

/// Claims like the ones a team confirmed: calls to drop Assad against him, support for a
/// political solution for it.
fn learnt_examples() -> Vec<crate::learn::Example> {
    (0..40)
        .map(|i| {
            let (content, stance) = if i % 2 == 0 {
                (
                    format!("أنه دعا الحكومة {i} إلى التخلي عن بشار الأسد"),
                    "against",
                )
            } else {
                (format!("أن موسكو تدعم الحل السياسي {i} وتؤيده"), "favor")
            };
            crate::learn::Example {
                sentence: format!("وأكد المتحدث {content}."),
                content,
                cue: "وأكد".into(),
                speaker: Some("Nasr al-Hariri".into()),
                target: Some("Bashar al-Assad".into()),
                stance: Some(stance.into()),
                candidates: Vec::new(),
                chosen: None,
            }
        })
        .collect()
}

#[test]
fn a_learnt_stance_is_proposed_with_its_confidence_and_enter_keeps_it() {
    let mut ws = workspace();
    ws.apply(Intent::OpenDocument {
        doc_id: "84e982cc28d456d5".into(),
        sentence: Some(5),
    })
    .unwrap();
    assert_eq!(ws.proposals(5)[0].stance, None, "nothing learnt yet");
    let learned = learning::Learned::from_examples(&learnt_examples()).expect("40 claims");
    ws.set_learned(Some(std::sync::Arc::new(learned)));
    let proposal = ws.proposals(5).into_iter().next().unwrap();
    let predicted = proposal.stance.expect("a confident stance");
    assert_eq!(predicted.stance, "against");
    assert!(predicted.confidence >= 0.5 && predicted.trained_on == 40);
    ws.apply(Intent::AcceptSuggestions).unwrap();
    assert_eq!(
        ws.active_claim().unwrap().stance.as_deref(),
        Some("against"),
        "preselected on the draft"
    );
    ws.apply(Intent::ConfirmClaim).unwrap();
    let confirmed = confirmed_in(&ws, 5);
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].stance.as_deref(), Some("against"));
}

#[test]
fn an_unknown_speaker_is_offered_as_a_new_entity_with_its_name() {
    let mut store = store::open_in_memory().unwrap();
    let text = "عنوان\nوقال وزير الطاقة السوري محمد البشير إن الشبكة ستتحسن.";
    let raw = crate::corpus::reader::RawDocument {
        id: "d1".into(),
        title: "عنوان".into(),
        text: text.into(),
        source: None,
        url: None,
        published: None,
        encoding: "utf-8".into(),
        metadata: serde_json::Map::new(),
        origin: "test".into(),
    };
    let document = crate::importer::prepare_document(
        raw,
        crate::corpus::segment::SegmentationRules::builtin(),
        crate::corpus::boilerplate::BoilerplateRules::builtin(),
    );
    store
        .import_files(&[crate::domain::FileImport {
            origin: "test".into(),
            documents: vec![document],
        }])
        .unwrap();
    let mut ws = Workspace::new(store, "hala").unwrap();
    ws.apply(Intent::OpenDocument {
        doc_id: "d1".into(),
        sentence: Some(1),
    })
    .unwrap();
    let applied = ws.apply(Intent::AcceptSuggestions).unwrap();
    assert_eq!(applied.needs_entity, Some(Role::Speaker));
    let hint = applied.entity_hint.expect("a prefilled new entity");
    assert_eq!(hint.name, "محمد البشير");
    assert_eq!(hint.kind, "person");
    let claim = ws.active_claim().unwrap().clone();
    assert_eq!(
        ws.document()
            .unwrap()
            .span_text(claim.speaker_span.unwrap()),
        "محمد البشير"
    );
    // Enter in the dialog: the entity is created and becomes the speaker.
    ws.apply(Intent::CreateEntity {
        name: hint.name,
        kind: hint.kind,
        alias: hint.alias,
        assign_to: Some(Role::Speaker),
    })
    .unwrap();
    assert!(ws.active_claim().unwrap().speaker_entity.is_some());
}

#[test]
fn accepting_suggestions_takes_the_person_in_the_subject_not_the_organisation() {
    let mut ws = workspace();
    // Seed 000, sentence 3: "كشف رئيس الائتلاف الوطني السوري “نصر الحريري” عن حوار…".
    ws.apply(Intent::OpenDocument {
        doc_id: "84e982cc28d456d5".into(),
        sentence: Some(3),
    })
    .unwrap();
    ws.apply(Intent::AcceptSuggestions).unwrap();
    let claim = ws.active_claim().unwrap().clone();
    let doc = ws.document().unwrap();
    assert_eq!(doc.span_text(claim.cue_span.unwrap()), "كشف");
    assert_eq!(doc.span_text(claim.speaker_span.unwrap()), "نصر الحريري");
    assert_eq!(claim.speaker_entity, Some(entity(&ws, "Nasr al-Hariri")));
}

#[test]
fn marks_and_claims_survive_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    {
        let mut store = store::open(&Location::from(&path), Access::ReadWrite).unwrap();
        crate::seeds::import_seeds(&mut *store).unwrap();
        project::load_starter_registry(&mut *store).unwrap();
        let mut ws = Workspace::new(store, "hala").unwrap();
        open_seed_001(&mut ws, 2);
        let speaker = span_of(&ws, "روسيا");
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: speaker,
        })
        .unwrap();
    }
    let project = Project::open(&Location::from(&path), Access::ReadWrite).unwrap();
    assert_eq!(project.location(), &Location::from(&path));
    let mut ws = Workspace::new(project.into_store(), "hala").unwrap();
    open_seed_001(&mut ws, 2);
    assert!(ws.active_claim().is_some(), "the draft survived");
    assert_eq!(
        ws.history_labels().unwrap().0.as_deref(),
        Some("Set speaker")
    );
    ws.apply(Intent::Undo).unwrap();
    assert!(ws.active_claim().is_none(), "undo works after a restart");
}

#[test]
fn a_project_opens_by_location_read_only_and_refuses_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let location = Location::from(dir.path().join("p.db"));
    let mut project = Project::open(&location, Access::ReadWrite).unwrap();
    project.store_mut().set_meta("k", "v").unwrap();
    drop(project);
    let project = Project::open(&location, Access::ReadOnly).unwrap();
    assert_eq!(project.store().access(), Access::ReadOnly);
    assert_eq!(project.store().meta("k").unwrap().as_deref(), Some("v"));
    let error = Project::open(
        &Location::parse("postgresql://lead:hunter2@team.example/isnad"),
        Access::ReadWrite,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("postgresql://lead:***@team.example/isnad")
            && !message.contains("hunter2"),
        "{message}"
    );
}

mod adjudication {
    use super::*;
    use crate::model::adjudicate::AdjudicationIntent as Adj;

    fn annotate(path: &std::path::Path, who: &str, stance3: &str, mark4: bool) {
        let mut ws = Workspace::new(
            store::open(&Location::from(path), Access::ReadWrite).unwrap(),
            who,
        )
        .unwrap();
        open_seed_001(&mut ws, 2);
        let s = span_of(&ws, "روسيا");
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: s,
        })
        .unwrap();
        let t = span_of(&ws, "المعارضة");
        ws.apply(Intent::SetSpan {
            role: Role::Target,
            span: t,
        })
        .unwrap();
        ws.apply(Intent::SetStance("favor".into())).unwrap();
        ws.apply(Intent::ConfirmClaim).unwrap();
        ws.apply(Intent::GoToSentence(3)).unwrap();
        let s = span_of(&ws, "ألكسندر لافرنتيف");
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: s,
        })
        .unwrap();
        let t = span_of(&ws, "المعارضة");
        ws.apply(Intent::SetSpan {
            role: Role::Target,
            span: t,
        })
        .unwrap();
        ws.apply(Intent::SetStance(stance3.into())).unwrap();
        ws.apply(Intent::ConfirmClaim).unwrap();
        if mark4 {
            ws.apply(Intent::GoToSentence(4)).unwrap();
            ws.apply(Intent::ToggleNoClaim).unwrap();
        }
        ws.apply(Intent::GoToSentence(5)).unwrap();
        ws.apply(Intent::ToggleNoClaim).unwrap();
    }

    #[test]
    fn unanimous_decisions_are_accepted_and_the_rest_adjudicated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        {
            let mut store = store::open(&Location::from(&path), Access::ReadWrite).unwrap();
            crate::seeds::import_seeds(&mut *store).unwrap();
            project::load_starter_registry(&mut *store).unwrap();
        }
        annotate(&path, "A", "favor", true);
        annotate(&path, "B", "neutral", false);
        let mut lead = Workspace::new(
            store::open(&Location::from(&path), Access::ReadWrite).unwrap(),
            "lead",
        )
        .unwrap();
        open_seed_001(&mut lead, 0);
        let doc_id = lead.document().unwrap().row.id.clone();
        let applied = lead
            .adjudicate(Adj::Open {
                doc_id: doc_id.clone(),
                sentence: None,
            })
            .unwrap();
        assert!(applied.saved, "unanimous decisions were written");
        let adj = lead.adjudication().unwrap();
        // Sentence 2: same claim by both → gold claim + sentence decided; 5: both "no claim".
        assert!(adj.alignments[2].fully_unanimous());
        assert_eq!(adj.gold_sentences[&2].decision, "unanimous");
        assert_eq!(adj.gold_sentences[&5].status, "no_claim");
        assert_eq!(adj.gold_in(2).count(), 1);
        // Sentence 3 differs in stance: it is where adjudication starts.
        assert_eq!(adj.current, 3);
        assert!(!adj.alignments[3].groups[0].unanimous);
        let error = lead.adjudicate(Adj::DecideSentence).unwrap_err();
        assert!(error.to_string().contains("still open"), "{error}");
        lead.adjudicate(Adj::Adopt {
            group: 0,
            annotator: "B".into(),
        })
        .unwrap();
        let gold = lead.adjudication().unwrap().gold_for(3, 0).unwrap().clone();
        assert_eq!(
            (gold.stance.as_str(), gold.decision.as_str()),
            ("neutral", "adopted")
        );
        lead.adjudicate(Adj::SetStance {
            group: 0,
            stance: "favor".into(),
        })
        .unwrap();
        assert_eq!(
            lead.adjudication()
                .unwrap()
                .gold_for(3, 0)
                .unwrap()
                .decision,
            "edited"
        );
        lead.adjudicate(Adj::DecideSentence).unwrap();
        let adj = lead.adjudication().unwrap();
        assert_eq!(adj.gold_sentences[&3].status, "claims");
        assert_eq!(adj.current, 4, "moves on to the next undecided sentence");
        // Sentence 4: only A decided ("no claim").
        lead.adjudicate(Adj::DecideSentence).unwrap();
        assert_eq!(
            lead.adjudication().unwrap().gold_sentences[&4].status,
            "no_claim"
        );
        assert_eq!(lead.adjudication().unwrap().progress(), (4, 4));
        // Undo works for the adjudicator too.
        lead.apply(Intent::Undo).unwrap();
        assert!(!lead.adjudication().unwrap().gold_sentences.contains_key(&4));
        // Reopening the document does not accept a rejected unanimous claim again.
        lead.adjudicate(Adj::GoTo(2)).unwrap();
        lead.adjudicate(Adj::Reject { group: 0 }).unwrap();
        assert_eq!(lead.adjudication().unwrap().gold_in(2).count(), 0);
        lead.adjudicate(Adj::Open {
            doc_id,
            sentence: Some(2),
        })
        .unwrap();
        assert_eq!(lead.adjudication().unwrap().gold_in(2).count(), 0);
    }
}

/// The status filters of the document list agree with each document's own progress (the
/// per-row figures of the unfiltered list), for an annotator, for nobody and for the text
/// filter; the counts agree with the pages.
#[test]
fn status_filters_agree_with_each_documents_progress() {
    use crate::domain::{DocumentListQuery, StatusFilter};
    let mut ws = workspace();
    let all = |ws: &Workspace, annotator: Option<&str>| {
        ws.store()
            .document_summaries(&DocumentListQuery {
                text: "",
                status: StatusFilter::All,
                annotator,
                gold: false,
                offset: 0,
                limit: 100,
            })
            .unwrap()
    };
    let docs = all(&ws, None);
    assert_eq!(docs.len(), 5);
    // Document 0: every content sentence "no claim" (done); document 1: two (in progress),
    // a third made and undone; document 2: one claim confirmed then deleted (not
    // started again); the rest untouched.
    let decide_all = |ws: &mut Workspace, doc: &str| {
        ws.apply(Intent::OpenDocument {
            doc_id: doc.to_owned(),
            sentence: Some(0),
        })
        .unwrap();
        let content: Vec<usize> = ws
            .document()
            .unwrap()
            .sentences
            .iter()
            .filter(|s| !s.boilerplate)
            .map(|s| s.index)
            .collect();
        for idx in content {
            ws.apply(Intent::GoToSentence(idx)).unwrap();
            ws.apply(Intent::ToggleNoClaim).unwrap();
        }
    };
    decide_all(&mut ws, &docs[0].id);
    ws.apply(Intent::OpenDocument {
        doc_id: docs[1].id.clone(),
        sentence: Some(1),
    })
    .unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    ws.apply(Intent::GoToSentence(2)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    ws.apply(Intent::GoToSentence(3)).unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    ws.apply(Intent::Undo).unwrap(); // unmade
    ws.apply(Intent::OpenDocument {
        doc_id: docs[2].id.clone(),
        sentence: Some(2),
    })
    .unwrap();
    ws.apply(Intent::ToggleNoClaim).unwrap();
    ws.apply(Intent::Undo).unwrap();

    for annotator in [Some("hala"), Some("nobody"), None] {
        let rows = all(&ws, annotator);
        for (status, keep) in [
            (StatusFilter::All, (|_, _| true) as fn(usize, usize) -> bool),
            (StatusFilter::NotStarted, |done, _| done == 0),
            (StatusFilter::InProgress, |done, content| {
                done > 0 && done < content
            }),
            (StatusFilter::Done, |done, content| {
                done > 0 && done >= content
            }),
        ] {
            for text in ["", "ال"] {
                let query = DocumentListQuery {
                    text,
                    status,
                    annotator,
                    gold: false,
                    offset: 0,
                    limit: 100,
                };
                let got: Vec<(String, usize, usize)> = ws
                    .store()
                    .document_summaries(&query)
                    .unwrap()
                    .into_iter()
                    .map(|d| (d.id, d.done_sentences, d.content_sentences))
                    .collect();
                let want: Vec<(String, usize, usize)> = rows
                    .iter()
                    .filter(|d| keep(d.done_sentences, d.content_sentences))
                    .filter(|d| d.title.contains(text) || d.id.contains(text))
                    .map(|d| (d.id.clone(), d.done_sentences, d.content_sentences))
                    .collect();
                assert_eq!(got, want, "{annotator:?} {status:?} {text:?}");
                assert_eq!(
                    ws.store().count_documents(&query).unwrap(),
                    want.len(),
                    "{annotator:?} {status:?} {text:?}"
                );
                // Pages of one row walk the same list.
                let paged: Vec<String> = (0..want.len())
                    .map(|offset| {
                        ws.store()
                            .document_summaries(&DocumentListQuery {
                                offset,
                                limit: 1,
                                ..query
                            })
                            .unwrap()[0]
                            .id
                            .clone()
                    })
                    .collect();
                assert_eq!(paged, want.iter().map(|w| w.0.clone()).collect::<Vec<_>>());
            }
        }
    }
    // Every status was exercised.
    let hala = all(&ws, Some("hala"));
    assert!(hala[0].done_sentences > 0 && hala[0].done_sentences == hala[0].content_sentences);
    assert!(hala[1].done_sentences > 0 && hala[1].done_sentences < hala[1].content_sentences);
    assert_eq!(hala[2].done_sentences, 0);
}
