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
        db_path: db.to_path_buf(),
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
        db_path: db.clone(),
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
    harness.run_steps(2);
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
    for _ in 0..500 {
        if harness.state().job.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.run_steps(1);
    }
    assert!(
        harness.state().job.is_none(),
        "the export job did not finish"
    );
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
        db_path: db.clone(),
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
