//! The real app driven through egui_kittest (no GPU, no window): pointer drags over the
//! Arabic words where they are drawn, key presses, and AccessKit queries for what the screen
//! shows. Checks the database and the export after each step.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use isnad::app::{AppConfig, IsnadApp, settings::Settings};
use isnad::domain::ClaimStatus;
use isnad::export::{ExportRequest, Format, What, export};
use isnad::store::{self, Access, Location};

/// A database with the seeds and the starter registry; returns the id of seed 000.
fn seeded_database(path: &Path) -> String {
    let mut store = store::open(&Location::from(path), Access::ReadWrite).unwrap();
    isnad::seeds::import_seeds(&mut *store).unwrap();
    isnad::model::project::load_starter_registry(&mut *store).unwrap();
    store
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "نصر الحريري يكشف",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone()
}

fn harness(db: &Path, open: Option<(String, Option<usize>)>) -> Harness<'static, IsnadApp> {
    let config = AppConfig {
        db: Location::from(db),
        annotator: Some("kit".into()),
        open,
        view: isnad::app::MainView::Annotate,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_context_setup(isnad::text::install_fonts)
        .build_eframe(move |cc| {
            isnad::text::install_fonts(&cc.egui_ctx);
            IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default())
        });
    harness.run_steps(4);
    harness
}

/// Drags over the characters `needle` of the current sentence, as a user would.
fn select(harness: &mut Harness<'static, IsnadApp>, needle: &str) {
    let (first, last) = {
        let app = harness.state();
        let geometry = app
            .ui
            .current_sentence_geometry
            .as_ref()
            .expect("current sentence drawn");
        let doc = app.workspace.as_ref().unwrap().document().unwrap();
        let text = &doc.sentences[geometry.sentence].text;
        let byte = text.find(needle).expect("needle in the current sentence");
        let start = text[..byte].chars().count();
        let end = start + needle.chars().count();
        let first = geometry.range_rects(start..start + 1)[0].center();
        let last = geometry.range_rects(end - 1..end)[0].center();
        (first, last)
    };
    harness.event(egui::Event::PointerMoved(first));
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: first,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    harness.event(egui::Event::PointerMoved(last));
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: last,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(2);
    let selected = harness
        .state()
        .selection_span()
        .expect("something selected");
    let text = harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .span_text(selected);
    assert_eq!(text, needle, "the drag selects exactly the dragged words");
}

fn press(harness: &mut Harness<'static, IsnadApp>, key: egui::Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

fn claims_export(db: &Path) -> Vec<serde_json::Value> {
    let store = store::open(&Location::from(db), Access::ReadOnly).unwrap();
    let mut out = Vec::new();
    let request = ExportRequest {
        what: What::Claims,
        format: Format::Jsonl,
        annotator: None,
        gold_split: None,
    };
    export(&*store, &request, &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn annotate_a_claim_with_the_keyboard_undo_it_and_find_it_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let doc_id = seeded_database(&db);
    // Sentence 5: وأكد “الحريري” أنه دعا القيادة الروسية إلى التخلي عن “بشار الأسد”، …
    let mut harness = harness(&db, Some((doc_id.clone(), Some(5))));
    {
        let sentence = &harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .document()
            .unwrap()
            .sentences[5];
        assert!(sentence.text.starts_with("وأكد"));
        // The sentence is on screen, found through AccessKit.
        harness.get_by_label(&sentence.text.clone());
    }

    select(&mut harness, "الحريري");
    press(&mut harness, egui::Key::S);
    select(&mut harness, "بشار الأسد");
    press(&mut harness, egui::Key::T);
    press(&mut harness, egui::Key::Num2);
    press(&mut harness, egui::Key::Enter);

    let records = claims_export(&db);
    assert_eq!(records.len(), 1, "{records:?}");
    let claim = &records[0];
    assert_eq!(claim["doc_id"], doc_id.as_str());
    assert_eq!(claim["sentence_index"], 5);
    assert_eq!(claim["speaker"]["text"], "الحريري");
    assert_eq!(claim["speaker"]["entity"], "Nasr al-Hariri");
    assert_eq!(claim["target"]["text"], "بشار الأسد");
    assert_eq!(claim["target"]["entity"], "Bashar al-Assad");
    assert_eq!(claim["stance"], "against");
    assert_eq!(claim["annotator"], "kit");
    // The offsets point at exactly the selected text of the stored document.
    let store = store::open(&Location::from(&db), Access::ReadOnly).unwrap();
    let text = store.document(&doc_id).unwrap().unwrap().text;
    for role in ["speaker", "target"] {
        let start = claim[role]["start"].as_u64().unwrap() as usize;
        let end = claim[role]["end"].as_u64().unwrap() as usize;
        let slice: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(slice, claim[role]["text"].as_str().unwrap());
    }
    // The claim panel shows it.
    harness.get_by_label_contains("1 claim(s)");

    // Undo (Ctrl+Z) takes the confirmation back: nothing in the export.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(
        claims_export(&db).is_empty(),
        "undo removed the claim from the dataset"
    );
    // Redo brings it back.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert_eq!(claims_export(&db).len(), 1);

    // x on the next sentence marks it "no claim" and moves on.
    press(&mut harness, egui::Key::J);
    let marked = harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .current;
    press(&mut harness, egui::Key::X);
    let progress = harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .progress[marked];
    assert!(progress.no_claim);
    drop(harness);

    // Reopen: everything is there, also on screen.
    let mut again = harness_at(&db, &doc_id, 5);
    again.run_steps(2);
    let doc = again
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .clone();
    let confirmed: Vec<_> = doc
        .claims
        .iter()
        .filter(|c| c.status == ClaimStatus::Confirmed)
        .collect();
    assert_eq!(confirmed.len(), 1);
    assert!(doc.progress[marked].no_claim);
    again.get_by_label_contains("1 claim(s)");
    let records = claims_export(&db);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["type"], "no_claim");
}

fn harness_at(db: &Path, doc: &str, sentence: usize) -> Harness<'static, IsnadApp> {
    harness(db, Some((doc.to_owned(), Some(sentence))))
}

#[test]
fn every_key_has_a_mouse_equivalent_buttons_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mouse.db");
    let doc_id = seeded_database(&db);
    let mut harness = harness(&db, Some((doc_id, Some(5))));
    select(&mut harness, "الحريري");
    harness.get_by_label("⬅ selection (s)").click();
    harness.run_steps(2);
    select(&mut harness, "بشار الأسد");
    harness.get_by_label("⬅ selection (t)").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::Role::Button, "1 Favor · مؤيد")
        .click();
    harness.run_steps(2);
    harness.get_by_label("✔ Confirm claim (Enter)").click();
    harness.run_steps(2);
    let records = claims_export(&db);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["stance"], "favor");
    // Delete with the mouse.
    harness.get_by_label("🗑").click();
    harness.run_steps(2);
    assert!(claims_export(&db).is_empty());
    // Navigation buttons.
    harness.get_by_label("⏷").click();
    harness.run_steps(2);
    assert_eq!(
        harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .document()
            .unwrap()
            .current,
        6
    );
    harness.get_by_label("☐ No claim here (x)").click();
    harness.run_steps(2);
    assert_eq!(claims_export(&db).len(), 1, "the no-claim mark is exported");
}

#[test]
fn a_right_proposal_is_shown_and_taken_with_two_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("proposal.db");
    let doc_id = seeded_database(&db);
    // Seed 000, sentence 5: "وأكد “الحريري” أنه دعا القيادة الروسية إلى التخلي عن …".
    let mut harness = harness(&db, Some((doc_id, Some(5))));
    harness.get_by_label("Proposed claim");
    harness.get_by_label("Accept (a)");
    harness.get_by_label_contains("Nasr al-Hariri");
    press(&mut harness, egui::Key::A);
    let claim = draft(&harness).expect("the proposal is the claim being built");
    assert!(claim.cue_span.is_some() && claim.content_span.is_some());
    assert!(claim.speaker_entity.is_some() && claim.target_entity.is_some());
    press(&mut harness, egui::Key::Num2);
    let claims = claims_export(&db);
    assert_eq!(claims.len(), 1, "a and a stance key: one confirmed claim");
    assert_eq!(claims[0]["speaker"]["entity"], "Nasr al-Hariri");
    assert_eq!(claims[0]["stance"], "against");
    assert_eq!(claims[0]["cue"]["text"], "وأكد");
    assert!(draft(&harness).is_none());
}

#[test]
fn the_stance_model_is_trained_in_the_background_and_its_proposals_shown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("learning.db");
    let doc_id = seeded_database(&db);
    let mut harness = harness(&db, Some((doc_id.clone(), Some(5))));
    harness.get_by_label("Proposed claim");
    for _ in 0..200 {
        if harness.state().trainer.summary.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.run_steps(1);
    }
    harness.run_steps(2);
    harness.get_by_label_contains("start at 30 confirmed claims with two stances (0 so far)");
    // Another annotator's 40 confirmed claims on the other seed sentences: the next saved
    // label makes the app train again, off the UI thread, and the model reaches the
    // proposals.
    {
        let mut store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
        let content: Vec<usize> = store
            .sentences(&doc_id)
            .unwrap()
            .iter()
            .filter(|s| !s.boilerplate && s.index > 5)
            .map(|s| s.index)
            .take(10)
            .collect();
        assert_eq!(content.len(), 10);
        let records: String = (0..40)
            .map(|i| {
                let record = serde_json::json!({
                    "doc_id": doc_id, "sentence_index": content[i % 10], "annotator": "hala",
                    "stance": if i % 2 == 0 { "against" } else { "favor" },
                    "speaker": {"entity": format!("Speaker {i}"), "entity_type": "person"},
                    "target": {"entity": "Bashar al-Assad", "entity_type": "person"},
                });
                format!("{record}\n")
            })
            .collect();
        isnad::importer::claims::import_claims_text(&mut *store, &records, "test", None).unwrap();
    }
    press(&mut harness, egui::Key::X);
    assert!(harness.state().ui.generation > 0, "x saved a decision");
    for _ in 0..1500 {
        if harness
            .state()
            .workspace
            .as_ref()
            .and_then(|w| w.learned())
            .is_some()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.run_steps(1);
    }
    let learned = harness.state().workspace.as_ref().unwrap().learned();
    assert_eq!(learned.map(|l| l.stance_examples()), Some(40));
    press(&mut harness, egui::Key::X);
    harness.run_steps(2);
    harness.get_by_label_contains("learnt from 40");
}

#[test]
fn a_proposed_name_the_registry_lacks_is_offered_prefilled_and_enter_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new-name.db");
    {
        let mut store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
        let raw = isnad::corpus::reader::RawDocument {
            id: "d1".into(),
            title: "عنوان".into(),
            text: "عنوان\nوقال وزير الطاقة السوري محمد البشير إن الشبكة ستتحسن.".into(),
            source: None,
            url: None,
            published: None,
            encoding: "utf-8".into(),
            metadata: serde_json::Map::new(),
            origin: "test".into(),
        };
        let document = isnad::importer::prepare_document(
            raw,
            isnad::corpus::segment::SegmentationRules::builtin(),
            isnad::corpus::boilerplate::BoilerplateRules::builtin(),
        );
        store
            .import_files(&[isnad::domain::FileImport {
                origin: "test".into(),
                documents: vec![document],
            }])
            .unwrap();
    }
    let mut harness = harness(&db, Some(("d1".into(), Some(1))));
    press(&mut harness, egui::Key::A);
    let picker = harness
        .state()
        .ui
        .picker
        .as_ref()
        .expect("the New entity dialog");
    assert_eq!(picker.new_name, "محمد البشير");
    assert_eq!(picker.new_kind, "person");
    press(&mut harness, egui::Key::Enter);
    let workspace = harness.state().workspace.as_ref().unwrap();
    let entity = workspace
        .registry()
        .by_name("محمد البشير")
        .expect("created");
    assert_eq!(
        workspace.active_claim().unwrap().speaker_entity.as_deref(),
        Some(entity.entity.id.as_str())
    );
}

#[test]
fn an_unknown_mention_opens_the_entity_picker_and_a_new_entity_is_made_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("entity.db");
    let doc_id = seeded_database(&db);
    let mut harness = harness(&db, Some((doc_id, Some(5))));
    select(&mut harness, "تقنية الفيديو");
    press(&mut harness, egui::Key::T);
    assert!(harness.state().ui.picker.is_some(), "the picker opened");
    harness
        .get_by_label("New entity from the mention (Ctrl+Enter)")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Create (Enter)").click();
    harness.run_steps(3);
    let workspace = harness.state().workspace.as_ref().unwrap();
    let entity = workspace
        .registry()
        .by_name("تقنية الفيديو")
        .expect("created");
    assert_eq!(
        workspace.active_claim().unwrap().target_entity.as_deref(),
        Some(entity.entity.id.as_str())
    );
}

#[test]
fn the_shortcut_overlay_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("help.db");
    seeded_database(&db);
    let mut harness = harness(&db, None);
    press(&mut harness, egui::Key::Questionmark);
    for info in isnad::app::commands::COMMANDS {
        assert!(
            harness.query_all_by_label(info.label).next().is_some(),
            "{} is not in the overlay",
            info.label
        );
    }
    press(&mut harness, egui::Key::F1);
    harness.get_by_label("Guidelines");
}

/// Two annotators' claims on seed 001 in one database (as after a merge).
fn team_database(path: &Path) -> String {
    use isnad::domain::Span;
    use isnad::model::{Intent, Role, Workspace};
    let mut store = store::open(&Location::from(path), Access::ReadWrite).unwrap();
    isnad::seeds::import_seeds(&mut *store).unwrap();
    isnad::model::project::load_starter_registry(&mut *store).unwrap();
    let doc_id = store
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "روسيا تبدي",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone();
    drop(store);
    for (annotator, stance) in [("A", "favor"), ("B", "neutral")] {
        let mut ws = Workspace::new(
            store::open(&Location::from(path), Access::ReadWrite).unwrap(),
            annotator,
        )
        .unwrap();
        ws.apply(Intent::OpenDocument {
            doc_id: doc_id.clone(),
            sentence: Some(3),
        })
        .unwrap();
        let span = |ws: &Workspace, needle: &str| {
            let sentence = ws.document().unwrap().sentence().unwrap().clone();
            let byte = sentence.text.find(needle).unwrap();
            let start = sentence.start + sentence.text[..byte].chars().count();
            Span::new(start, start + needle.chars().count())
        };
        let s = span(&ws, "ألكسندر لافرنتيف");
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: s,
        })
        .unwrap();
        let t = span(&ws, "المعارضة");
        ws.apply(Intent::SetSpan {
            role: Role::Target,
            span: t,
        })
        .unwrap();
        ws.apply(Intent::SetStance(stance.into())).unwrap();
        ws.apply(Intent::ConfirmClaim).unwrap();
        ws.apply(Intent::GoToSentence(5)).unwrap();
        ws.apply(Intent::ToggleNoClaim).unwrap();
    }
    doc_id
}

#[test]
fn adjudicate_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let doc_id = team_database(&db);
    let config = AppConfig {
        db: Location::from(db.clone()),
        annotator: Some("lead".into()),
        open: Some((doc_id.clone(), None)),
        view: isnad::app::MainView::Adjudicate,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_context_setup(isnad::text::install_fonts)
        .build_eframe(move |cc| IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default()));
    harness.run_steps(4);
    // Sentence 5 (both "no claim") was accepted automatically; adjudication starts at 3.
    {
        let adj = harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .adjudication()
            .unwrap();
        assert_eq!(adj.current, 3);
        assert_eq!(adj.gold_sentences[&5].decision, "unanimous");
    }
    harness.get_by_label_contains("Open: take a version or reject");
    // Take B's version (key 2), set the gold stance to "against" (Alt+2), decide (Enter).
    press(&mut harness, egui::Key::Num2);
    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::Num2);
    harness.run_steps(2);
    press(&mut harness, egui::Key::Enter);
    {
        let adj = harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .adjudication()
            .unwrap();
        assert_eq!(adj.gold_sentences[&3].status, "claims");
        let gold = adj.gold_in(3).next().unwrap();
        assert_eq!(
            (gold.stance.as_str(), gold.decision.as_str()),
            ("against", "edited")
        );
        assert_eq!(gold.source_claims.len(), 1);
    }
    // The gold export holds it; undo takes the decision back.
    let store = store::open(&Location::from(&db), Access::ReadOnly).unwrap();
    let records = isnad::export::gold::gold_records(&*store, None).unwrap();
    assert_eq!(records.len(), 2, "sentence 3 (claim) and 5 (no claim)");
    drop(store);
    export_gold_split_from_the_dialog(&mut harness, &dir.path().join("out"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(
        !harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .adjudication()
            .unwrap()
            .gold_sentences
            .contains_key(&3)
    );
}

/// Project → Export…, "gold", split 80/10/10: three split files and the dataset card, as
/// `isnad export --what gold --split` writes them.
fn export_gold_split_from_the_dialog(harness: &mut Harness<'static, IsnadApp>, out_dir: &Path) {
    std::fs::create_dir_all(out_dir).unwrap();
    harness.get_by_label("Project").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    // The click asks for the dialog (an action); it is laid out the frame after.
    harness.run_steps(3);
    harness
        .get_by_role_and_label(egui::Role::RadioButton, "gold")
        .click();
    harness.run_steps(2);
    harness
        .get_by_label("Split by document into train/dev/test:")
        .click();
    harness.run_steps(2);
    // The path box is typed into (or filled by the system dialog); set it as typed text.
    harness.state_mut().ui.dialog.as_mut().unwrap().paths =
        out_dir.join("gold.jsonl").display().to_string();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    harness.run_steps(2);
    wait_for_job(harness);
    let mut lines = 0;
    for split in ["train", "dev", "test"] {
        let path = out_dir.join(format!("gold.{split}.jsonl"));
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(record["split"], split);
            lines += 1;
        }
    }
    assert_eq!(lines, 2, "every gold record in exactly one split");
    let card = std::fs::read_to_string(out_dir.join("gold.card.md")).unwrap();
    assert!(card.contains("gold.train.jsonl"), "{card}");
    assert!(!out_dir.join("gold.jsonl").exists());
}

#[test]
fn the_annotator_name_is_asked_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("name.db");
    seeded_database(&db);
    let config = AppConfig {
        db: Location::from(db.clone()),
        annotator: None,
        open: None,
        view: isnad::app::MainView::Annotate,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_context_setup(isnad::text::install_fonts)
        .build_eframe(move |cc| IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default()));
    harness.run_steps(3);
    assert!(
        harness.state().workspace.is_none(),
        "no name yet: the welcome screen asks"
    );
    harness.get_by_label_contains("Your name");
    harness.event(egui::Event::Text("hala".into()));
    harness.run_steps(2);
    harness.get_by_label("Start annotating").click();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.workspace.as_ref().unwrap().annotator(), "hala");
    assert_eq!(
        app.settings.annotator.as_deref(),
        Some("hala"),
        "remembered in the settings"
    );
    // The first document is open, ready to annotate.
    assert!(app.workspace.as_ref().unwrap().document().is_some());
}

/// The draft claim of the open document, if any.
fn draft(harness: &Harness<'static, IsnadApp>) -> Option<isnad::domain::ClaimRow> {
    harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .active_claim()
        .cloned()
}

#[test]
fn esc_closes_the_window_in_front_and_never_discards_the_claim_while_one_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("esc.db");
    let doc_id = seeded_database(&db);
    let mut harness = harness(&db, Some((doc_id, Some(5))));
    select(&mut harness, "الحريري");
    press(&mut harness, egui::Key::S);
    let id = draft(&harness).expect("a draft with a speaker").id;

    // The shortcuts window.
    press(&mut harness, egui::Key::Questionmark);
    assert!(harness.state().ui.show_shortcuts);
    press(&mut harness, egui::Key::Escape);
    assert!(
        !harness.state().ui.show_shortcuts,
        "Esc closed the shortcuts"
    );
    assert!(draft(&harness).is_some(), "and kept the draft");

    // Two windows: the one opened last is in front and closes first.
    press(&mut harness, egui::Key::Questionmark);
    harness.get_by_label("Project").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    // The click asks for the dialog (an action); it is laid out the frame after.
    harness.run_steps(3);
    assert!(harness.state().ui.dialog.is_some() && harness.state().ui.show_shortcuts);
    press(&mut harness, egui::Key::Escape);
    assert!(
        harness.state().ui.dialog.is_none(),
        "Esc closed the dialog in front"
    );
    assert!(
        harness.state().ui.show_shortcuts,
        "not the window behind it"
    );
    press(&mut harness, egui::Key::Escape);
    assert!(!harness.state().ui.show_shortcuts);
    assert!(draft(&harness).is_some());

    // The entity picker (a modal).
    press(&mut harness, egui::Key::E);
    assert!(harness.state().ui.picker.is_some());
    press(&mut harness, egui::Key::Escape);
    assert!(harness.state().ui.picker.is_none(), "Esc closed the picker");
    assert!(draft(&harness).is_some());

    // A menu.
    harness.get_by_label("Project").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Export…").is_some());
    press(&mut harness, egui::Key::Escape);
    assert!(
        harness.query_by_label("Export…").is_none(),
        "Esc closed the menu"
    );
    assert!(draft(&harness).is_some());

    // The note field: Esc leaves it (the note is saved when it loses the keyboard).
    harness.get_by_role(egui::Role::MultilineTextInput).click();
    harness.run_steps(2);
    harness.event(egui::Event::Text("ساخر".into()));
    harness.run_steps(2);
    press(&mut harness, egui::Key::Escape);
    assert!(!harness.ctx.text_edit_focused(), "Esc left the field");
    let kept = draft(&harness).expect("the draft stays");
    assert_eq!(kept.note, "ساخر");
    assert_eq!(
        kept.id, id,
        "the same draft, not a new one made for the note"
    );
    assert!(kept.speaker_span.is_some(), "with its speaker");

    // With nothing in front, Esc is Discard again.
    press(&mut harness, egui::Key::Escape);
    assert!(draft(&harness).is_none(), "Esc discarded the draft");
}

/// Runs frames until the background job is done.
fn wait_for_job(harness: &mut Harness<'static, IsnadApp>) {
    for _ in 0..500 {
        if harness.state().job.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.run_steps(1);
    }
    assert!(harness.state().job.is_none(), "the job did not finish");
    harness.run_steps(2);
}

#[test]
fn the_pace_is_computed_after_a_change_not_on_every_frame() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pace.db");
    let doc_id = team_database(&db);
    let mut harness = harness(&db, Some((doc_id, Some(0))));
    let computations = |h: &Harness<'static, IsnadApp>| h.state().ui.pace.computations;
    harness.run_steps(5);
    assert_eq!(computations(&harness), 0, "the pace section is closed");

    harness.get_by_label("📊 Agreement").click();
    harness.run_steps(1);
    wait_for_job(&mut harness);
    harness.get_by_label("Pace");
    let first = computations(&harness);
    assert!(first >= 1, "the dashboard shows the pace");
    harness.run_steps(10);
    assert_eq!(computations(&harness), first, "not again without a change");

    // A change (sentence 0 marked "no claim"), then back to the dashboard: once more.
    harness.get_by_label("✏ Annotate").click();
    harness.run_steps(2);
    press(&mut harness, egui::Key::X);
    harness.get_by_label("📊 Agreement").click();
    harness.run_steps(10);
    assert_eq!(
        computations(&harness),
        first + 1,
        "recomputed once after the change"
    );
    let kit = harness
        .state()
        .ui
        .pace
        .rows
        .iter()
        .find(|row| row.name == "kit")
        .map(|row| row.decided_sentences);
    assert_eq!(kit, Some(1), "the new decision is counted");
}

#[test]
fn the_dashboard_writes_an_undefined_alpha_with_its_reason_and_draws_no_bar_for_it() {
    use isnad::model::{Intent, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("undefined.db");
    let doc_id = team_database(&db);
    // Only A decided a sentence of a second document: no unit of it has two annotators.
    let other = store::open(&Location::from(&db), Access::ReadWrite)
        .unwrap()
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "نصر الحريري يكشف",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone();
    let mut a = Workspace::new(
        store::open(&Location::from(&db), Access::ReadWrite).unwrap(),
        "A",
    )
    .unwrap();
    a.apply(Intent::OpenDocument {
        doc_id: other,
        sentence: Some(3),
    })
    .unwrap();
    a.apply(Intent::ToggleNoClaim).unwrap();
    drop(a);

    let mut harness = harness(&db, Some((doc_id, Some(0))));
    harness.get_by_label("📊 Agreement").click();
    harness.run_steps(1);
    wait_for_job(&mut harness);
    let report = harness.state().ui.agreement.clone().expect("computed");
    let speaker = &report.overall.fields["speaker"].agreement;
    assert_eq!(
        speaker.krippendorff_alpha, None,
        "both chose the same speaker"
    );
    // The table and the charts say so, with the reason.
    assert_eq!(
        harness.query_all_by_label("undefined (1)").count(),
        2,
        "speaker, target"
    );
    harness.get_by_label(&format!(
        "speaker, target: undefined: {}",
        isnad::agreement::AlphaUndefined::OneCategory.reason()
    ));
    harness.get_by_label_contains("undefined: fewer than two annotators coded a unit");
}

/// Our own article (no news) whose actors have very long names.
const LONG_NAMES_ARTICLE: &str = "المجلس الاستشاري يعقد دورته السنوية في مدينة الساحل\n\
وقال رئيس المجلس الاستشاري الأعلى لشؤون التنسيق بين الهيئات البلدية والقروية في المحافظات الجنوبية إن الهيئة الوطنية المستقلة لمراقبة جودة مياه الشرب في المناطق الريفية لم تقدم تقريرها السنوي في موعده.\n\
وأضاف أن اللجنة الفرعية طلبت تمديد المهلة ثلاثة أشهر أخرى.\n";
const LONG_ARABIC: &str =
    "المجلس الاستشاري الأعلى لشؤون التنسيق بين الهيئات البلدية والقروية في المحافظات الجنوبية";
const LONG_ENGLISH: &str =
    "The Independent National Authority for Monitoring Drinking Water Quality in Rural Areas";

/// A database with [`LONG_NAMES_ARTICLE`]: in sentence 1, a confirmed claim of "kit" (the
/// long Arabic name ➡ the long English one) and a draft whose speaker is the Arabic name.
fn long_names_database(dir: &Path) -> (std::path::PathBuf, String) {
    use isnad::domain::Span;
    use isnad::model::{Intent, Role, Workspace};
    let db = dir.join("long.db");
    let article = dir.join("long.txt");
    std::fs::write(&article, LONG_NAMES_ARTICLE).unwrap();
    let mut store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
    isnad::importer::import_paths(
        &mut *store,
        &[article],
        &isnad::importer::ImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let doc_id = store
        .document_summaries(&isnad::domain::DocumentListQuery {
            text: "",
            status: isnad::domain::StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()[0]
        .id
        .clone();
    let mut ws = Workspace::new(store, "kit").unwrap();
    ws.apply(Intent::OpenDocument {
        doc_id: doc_id.clone(),
        sentence: Some(1),
    })
    .unwrap();
    for name in [LONG_ARABIC, LONG_ENGLISH] {
        ws.apply(Intent::CreateEntity {
            name: name.into(),
            kind: "organisation".into(),
            alias: None,
            assign_to: None,
        })
        .unwrap();
    }
    let span = |ws: &Workspace, needle: &str| {
        let sentence = ws.document().unwrap().sentence().unwrap().clone();
        let byte = sentence.text.find(needle).unwrap();
        let start = sentence.start + sentence.text[..byte].chars().count();
        Span::new(start, start + needle.chars().count())
    };
    let id = |ws: &Workspace, name: &str| ws.registry().by_name(name).unwrap().entity.id.clone();
    for confirm in [true, false] {
        let s = span(&ws, LONG_ARABIC);
        ws.apply(Intent::SetSpan {
            role: Role::Speaker,
            span: s,
        })
        .unwrap();
        let arabic = id(&ws, LONG_ARABIC);
        ws.apply(Intent::SetEntity {
            role: Role::Speaker,
            entity_id: arabic,
        })
        .unwrap();
        if confirm {
            let t = span(&ws, "الهيئة الوطنية المستقلة");
            ws.apply(Intent::SetSpan {
                role: Role::Target,
                span: t,
            })
            .unwrap();
            let english = id(&ws, LONG_ENGLISH);
            ws.apply(Intent::SetEntity {
                role: Role::Target,
                entity_id: english,
            })
            .unwrap();
            ws.apply(Intent::SetStance("against".into())).unwrap();
            ws.apply(Intent::ConfirmClaim).unwrap();
        }
    }
    (db, doc_id)
}

/// The text of a node: a label's is its value (AccessKit), another widget's its label.
fn node_text(node: &egui_kittest::kittest::AccessKitNode<'_>) -> String {
    let text = if node.role() == egui::accesskit::Role::Label {
        node.value()
    } else {
        node.label()
    };
    text.unwrap_or_default()
}

/// The text and screen rectangle of every AccessKit node matching `predicate`.
fn node_rects(
    harness: &Harness<'static, IsnadApp>,
    predicate: impl Fn(&str, egui::accesskit::Role) -> bool,
) -> Vec<(String, egui::Rect)> {
    use egui_kittest::kittest::NodeT;
    harness
        .query_all(
            egui_kittest::kittest::By::new()
                .predicate(move |node| predicate(&node_text(node), node.role())),
        )
        .map(|node| (node_text(&node.accesskit_node()), node.rect()))
        .collect()
}

#[test]
fn long_names_are_elided_and_never_drawn_under_a_button() {
    let dir = tempfile::tempdir().unwrap();
    let (db, doc_id) = long_names_database(dir.path());
    for size in [egui::vec2(1400.0, 900.0), egui::vec2(1024.0, 700.0)] {
        let config = AppConfig {
            db: Location::from(db.clone()),
            annotator: Some("kit".into()),
            open: Some((doc_id.clone(), Some(1))),
            view: isnad::app::MainView::Annotate,
        };
        let mut harness = Harness::builder()
            .with_size(size)
            .with_context_setup(isnad::text::install_fonts)
            .build_eframe(move |cc| {
                IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default())
            });
        harness.run_steps(4);
        assert!(draft(&harness).is_some_and(|d| d.speaker_entity.is_some()));
        harness.get_by_label_contains("1 claim(s)");

        // The names as drawn (elided) and the labels of the rows.
        let starts = |label: &str, name: &str| {
            let head: String = name.chars().take(12).collect();
            label.starts_with(&head)
        };
        let names = node_rects(&harness, |label, role| {
            role == egui::accesskit::Role::Label
                && (starts(label, LONG_ARABIC)
                    || starts(label, LONG_ENGLISH)
                    || ["Speaker", "Target", "Cue", "Claim content"].contains(&label))
        });
        let buttons = node_rects(&harness, |label, role| {
            role == egui::accesskit::Role::Button
                && ["Implicit…", "Entity…", "✖", "Edit", "🗑"]
                    .iter()
                    .chain(["⬅ selection (s)", "⬅ selection (t)"].iter())
                    .any(|b| label == *b)
        });
        assert!(buttons.len() >= 7, "{buttons:?}");
        for (button, rect) in &buttons {
            assert!(
                egui::Rect::from_min_size(egui::Pos2::ZERO, size).contains_rect(*rect),
                "at {size:?} the button {button:?} {rect:?} is off the window"
            );
        }
        for (name, name_rect) in &names {
            for (button, button_rect) in &buttons {
                let overlap = name_rect.intersect(*button_rect);
                assert!(
                    overlap.width() <= 0.5 || overlap.height() <= 0.5,
                    "at {size:?} {name:?} {name_rect:?} is under the button {button:?} {button_rect:?}"
                );
            }
        }
        for name in [LONG_ARABIC, LONG_ENGLISH] {
            assert!(
                names
                    .iter()
                    .any(|(label, _)| starts(label, name) && label.ends_with('…')),
                "{name} is elided somewhere at {size:?}: {names:?}"
            );
        }
    }
}

#[test]
fn at_800_by_600_the_claim_panel_never_covers_the_reading_view_and_the_documents_collapse() {
    let dir = tempfile::tempdir().unwrap();
    let (db, doc_id) = long_names_database(dir.path());
    let config = AppConfig {
        db: Location::from(db),
        annotator: Some("kit".into()),
        open: Some((doc_id, Some(1))),
        view: isnad::app::MainView::Annotate,
    };
    let size = egui::vec2(800.0, 600.0);
    let mut harness = Harness::builder()
        .with_size(size)
        .with_context_setup(isnad::text::install_fonts)
        .build_eframe(move |cc| IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default()));
    harness.run_steps(4);
    let sentence = {
        let doc = harness
            .state()
            .workspace
            .as_ref()
            .unwrap()
            .document()
            .unwrap();
        doc.sentences[doc.current].text.clone()
    };

    // The claim panel: its heading, role labels and buttons.
    let claim_panel = node_rects(&harness, |text, role| {
        [
            "Claim being built",
            "Speaker",
            "Stance",
            "Implicit…",
            "⬅ selection (s)",
        ]
        .contains(&text)
            && role != egui::accesskit::Role::TextRun
    });
    assert!(
        claim_panel.len() >= 5,
        "the claim panel is shown: {claim_panel:?}"
    );
    let panel_left = claim_panel
        .iter()
        .map(|(_, r)| r.left())
        .fold(f32::INFINITY, f32::min);
    // The current sentence as drawn, and each of its lines.
    let paragraph = harness.get_by_label(&sentence).rect();
    let lines = node_rects(&harness, |_, role| role == egui::accesskit::Role::TextRun);
    let lines: Vec<_> = lines
        .into_iter()
        .filter(|(_, r)| paragraph.contains_rect(*r))
        .collect();
    assert!(lines.len() >= 3, "the long sentence wraps: {lines:?}");
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    for (text, line) in std::iter::once((sentence.clone(), paragraph)).chain(lines) {
        assert!(
            line.right() <= panel_left,
            "{text:?} {line:?} runs under the claim panel (from x = {panel_left})"
        );
        assert!(line.left() >= 0.0 && line.right() <= window.right());
    }

    // The documents list collapsed to its toggle, which opens it.
    let toggle = harness.get_by_label(isnad::ui::documents::SHOW_LIST);
    assert!(toggle.rect().right() <= paragraph.left());
    toggle.click();
    harness.run_steps(2);
    harness.get_by_label("Documents");
}

/// The documents list is read through the workspace, and a failing read says so in the
/// status bar and on the list, instead of showing "No documents" (as `unwrap_or_default`
/// did). The fault: another connection takes the documents table away mid-session.
#[test]
fn a_failing_documents_query_reaches_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broken-list.db");
    let doc_id = seeded_database(&db);
    let mut harness = harness(&db, Some((doc_id, Some(0))));
    harness.run_steps(2);
    assert!(!harness.state().status.error, "a sound database: no error");
    let listed = harness.state().ui.doc_list_cache.as_ref().map(|p| p.total);
    assert!(
        listed.is_some_and(|n| n > 0),
        "the seeds are listed: {listed:?}"
    );

    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute_batch("ALTER TABLE documents RENAME TO documents_taken_away;")
        .unwrap();
    drop(other);
    // A new filter: the app reads the list again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    harness.event(egui::Event::Text("x".into()));
    harness.run_steps(4);

    let status = &harness.state().status;
    assert!(status.error, "an error, not a message: {:?}", status.text);
    assert!(
        status.text.contains("documents list could not be read")
            && status.text.contains("documents"),
        "{:?}",
        status.text
    );
    let error = harness.state().ui.doc_list_error.clone().unwrap();
    assert!(error.contains("no such table"), "{error}");
    assert!(
        harness
            .query_by_label("No documents. Project > Import files… (or isnad import PATH).")
            .is_none(),
        "a failed read is not an empty project"
    );
    assert_eq!(
        harness.query_all_by_label(&error).count(),
        2,
        "said on the list and in the status bar"
    );
}
