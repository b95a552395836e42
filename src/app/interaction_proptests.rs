//! No sequence of clicks, drags and keys may panic the app. The property test drives the
//! functions a frame runs, on a headless egui context: the selection actions the reading
//! view pushes for a press, a drag or a double-click at a caret (before the first character
//! and past the last one included), and key events through the real keyboard path
//! (`keyboard` ➡ `take_commands` ➡ `command_action` ➡ `apply_actions`). It runs over the
//! seed articles and a document of ours whose sentences start with « “ ( and end with
//! punctuation. After every step the selection and the position stay inside the text.

#![allow(clippy::unwrap_used, reason = "test set-up fails loudly")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use egui::{Key, Modifiers};
use proptest::prelude::*;

use super::{Action, AppConfig, IsnadApp, MainView, Selection, settings::Settings};
use crate::domain::{DocumentListQuery, StatusFilter};
use crate::model::Intent;
use crate::store::{Access, Location, Store};

/// Sentences that start with an opening quote or bracket and end with punctuation (our own
/// text, no news).
const PUNCTUATED_ARTICLE: &str = "اختبار علامات الترقيم في أول الجملة\n\
«سنعود إلى الطاولة قريباً»، قال المفاوض بعد الجلسة الطويلة.\n\
“لا نقبل هذا الشرط أبداً”، أضاف ممثل الوفد الآخر.\n\
(ملاحظة: الأرقام أولية وقد تتغير بعد المراجعة.)\n\
وقالت الناطقة إن الحوار سيستمر «حتى الوصول إلى حل».\n";

/// A database with the seeds, the starter registry and [`PUNCTUATED_ARTICLE`], made once;
/// each case works on a copy.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let article = dir.path().join("punctuated.txt");
        std::fs::write(&article, PUNCTUATED_ARTICLE).unwrap();
        let mut store = crate::store::open(&Location::from(&path), Access::ReadWrite).unwrap();
        crate::seeds::import_seeds(&mut *store).unwrap();
        crate::model::project::load_starter_registry(&mut *store).unwrap();
        let report = crate::importer::import_paths(
            &mut *store,
            &[article],
            &crate::importer::ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(report.failed, Vec::new());
        drop(store);
        (dir, path)
    });
    path
}

fn document_ids(store: &dyn Store) -> Vec<String> {
    let ids: Vec<String> = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 100,
        })
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids.len(), 6, "five seeds and ours");
    ids
}

/// One thing the user does.
#[derive(Debug, Clone)]
enum Step {
    /// A press on a shown sentence (`offset` from the current one), at a caret given as a
    /// fraction of its length: 0 is before the first character, 1 past the last.
    Click { offset: i8, at: f64 },
    /// A drag over the current sentence.
    Drag { from: f64, to: f64 },
    /// A double-click on the current sentence.
    DoubleClick { at: f64 },
    /// A key with modifiers.
    Key { key: Key, modifiers: Modifiers },
    /// A click on the n-th entity of the registry while the picker is open.
    PickEntity(usize),
    /// The picker's Cancel button.
    ClosePicker,
    /// A document from the list (index into the documents, sentence as a fraction).
    Open { doc: usize, at: f64 },
}

const KEYS: &[Key] = &[
    Key::ArrowLeft,
    Key::ArrowRight,
    Key::ArrowUp,
    Key::ArrowDown,
    Key::Home,
    Key::End,
    Key::A,
    Key::U,
    Key::Escape,
    Key::Enter,
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num9,
    Key::S,
    Key::T,
    Key::C,
    Key::M,
    Key::X,
    Key::I,
    Key::E,
    Key::N,
    Key::J,
    Key::K,
    Key::V,
    Key::D,
    Key::B,
    Key::G,
    Key::Delete,
    Key::Backspace,
    Key::Tab,
    Key::Z,
    Key::Y,
    Key::F1,
    Key::Questionmark,
];

fn position() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64]
}

fn modifiers() -> impl Strategy<Value = Modifiers> {
    prop_oneof![
        4 => Just(Modifiers::NONE),
        3 => Just(Modifiers::SHIFT),
        3 => Just(Modifiers::ALT | Modifiers::SHIFT),
        1 => Just(Modifiers::ALT),
        1 => Just(Modifiers::COMMAND),
        1 => Just(Modifiers::COMMAND | Modifiers::SHIFT),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let arrows = prop_oneof![
        Just(Key::ArrowLeft),
        Just(Key::ArrowRight),
        Just(Key::Home),
        Just(Key::End)
    ];
    prop_oneof![
        4 => (-1i8..=1, position()).prop_map(|(offset, at)| Step::Click { offset, at }),
        2 => (position(), position()).prop_map(|(from, to)| Step::Drag { from, to }),
        1 => position().prop_map(|at| Step::DoubleClick { at }),
        5 => (arrows, modifiers()).prop_map(|(key, modifiers)| Step::Key { key, modifiers }),
        5 => (proptest::sample::select(KEYS), modifiers())
            .prop_map(|(key, modifiers)| Step::Key { key, modifiers }),
        1 => (0usize..40).prop_map(Step::PickEntity),
        1 => Just(Step::ClosePicker),
        1 => (0usize..6, position()).prop_map(|(doc, at)| Step::Open { doc, at }),
    ]
}

/// A caret at `at` (fraction) of a text of `len` characters.
fn caret(len: usize, at: f64) -> usize {
    ((len as f64) * at).round().clamp(0.0, len as f64) as usize
}

/// The app on a copy of the template, at document `doc`, sentence `at`.
fn app_at(ctx: &egui::Context, db: &Path, doc: usize, at: f64) -> IsnadApp {
    std::fs::copy(template(), db).unwrap();
    let ids = document_ids(&*crate::store::open(&Location::from(db), Access::ReadOnly).unwrap());
    let config = AppConfig {
        db: Location::from(db),
        annotator: Some("prop".into()),
        open: Some((ids[doc].clone(), None)),
        view: MainView::Annotate,
    };
    let mut app = IsnadApp::with_settings(ctx, config, Settings::default());
    let count = app
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .sentences
        .len();
    let sentence = caret(count.saturating_sub(1), at);
    app.apply_actions(ctx, vec![Action::Model(Intent::GoToSentence(sentence))]);
    app
}

/// One frame: the key events through the keyboard path, then the views' actions.
fn frame(app: &mut IsnadApp, ctx: &egui::Context, events: Vec<egui::Event>, views: Vec<Action>) {
    let input = egui::RawInput {
        events,
        ..egui::RawInput::default()
    };
    let mut views = Some(views);
    ctx.run_ui(input, |ui| {
        let ctx = ui.ctx().clone();
        let mut actions = app.keyboard(&ctx);
        actions.extend(views.take().unwrap_or_default());
        app.apply_actions(&ctx, actions);
    })
    .drop_without_applying_deltas();
}

/// The actions a view pushes for `step`, or the key events it is.
fn perform(app: &mut IsnadApp, ctx: &egui::Context, ids: &[String], step: &Step) {
    let workspace = app.workspace.as_ref().unwrap();
    let doc = workspace.document().unwrap();
    let current = doc.current;
    let len_of = |index: usize| doc.sentences[index].text.chars().count();
    let select = |sentence: usize, anchor: usize, head: usize| {
        Action::SetSelection(Some(Selection {
            sentence,
            anchor,
            head,
            snap: true,
        }))
    };
    let (events, actions) = match step {
        Step::Click { offset, at } => {
            let index = current as isize + isize::from(*offset);
            if index < 0 || index as usize >= doc.sentences.len() {
                return;
            }
            let index = index as usize;
            let c = caret(len_of(index), *at);
            (Vec::new(), vec![select(index, c, c)])
        }
        Step::Drag { from, to } => {
            let len = len_of(current);
            let anchor = caret(len, *from);
            let press = select(current, anchor, anchor);
            let drag = select(current, anchor, caret(len, *to));
            (Vec::new(), vec![press, drag])
        }
        Step::DoubleClick { at } => {
            let text = &doc.sentences[current].text;
            let c = caret(len_of(current), *at);
            match crate::text::words::word_at(text, c) {
                Some(word) => (Vec::new(), vec![select(current, word.start, word.end)]),
                None => (Vec::new(), vec![select(current, c, c)]),
            }
        }
        Step::Key { key, modifiers } => {
            let event = egui::Event::Key {
                key: *key,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: *modifiers,
            };
            (vec![event], Vec::new())
        }
        Step::PickEntity(n) => {
            let Some(picker) = &app.ui.picker else {
                return;
            };
            let all = workspace.registry().all();
            let Some(entity) = all.get(n % all.len().max(1)) else {
                return;
            };
            let entity_id = entity.entity.id.clone();
            let intent = match picker.mode {
                super::PickerMode::Implicit => Intent::SetImplicitEntity {
                    role: picker.role,
                    entity_id,
                },
                _ => Intent::SetEntity {
                    role: picker.role,
                    entity_id,
                },
            };
            (Vec::new(), vec![Action::Model(intent), Action::ClosePicker])
        }
        Step::ClosePicker => (Vec::new(), vec![Action::ClosePicker]),
        Step::Open { doc, at } => {
            let doc_id = ids[*doc % ids.len()].clone();
            (
                Vec::new(),
                vec![Action::Model(Intent::OpenDocument {
                    doc_id,
                    sentence: Some(caret(3, *at)),
                })],
            )
        }
    };
    frame(app, ctx, events, actions);
}

/// The selection and the position are inside the open document.
fn check_invariants(app: &IsnadApp) {
    let doc = app.workspace.as_ref().unwrap().document().unwrap();
    assert!(doc.current < doc.sentences.len());
    if let Some(selection) = app.ui.selection {
        let sentence = doc
            .sentences
            .get(selection.sentence)
            .expect("the selection is in a sentence of the document");
        let len = sentence.text.chars().count();
        assert!(
            selection.anchor <= len && selection.head <= len,
            "{selection:?} in a sentence of {len} characters"
        );
    }
    let _ = app.selection_span();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 40,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_click_or_key_sequence_panics(
        doc in 0usize..6,
        at in position(),
        steps in proptest::collection::vec(step(), 1..30),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("case.db");
        let ctx = egui::Context::default();
        let mut app = app_at(&ctx, &db, doc, at);
        let ids = document_ids(app.workspace.as_ref().unwrap().store());
        for step in &steps {
            perform(&mut app, &ctx, &ids, step);
            check_invariants(&app);
        }
    }
}

/// The reported crash, step by step: a click before the first character of a sentence
/// that starts with “ (an empty selection at 0), then Alt+Shift+← and Alt+Shift+→; a click
/// past the end of a sentence that ends with a full stop, then Shift+← and Shift+→.
#[test]
fn refining_an_empty_selection_at_either_end_of_a_sentence_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let ctx = egui::Context::default();
    let mut app = app_at(&ctx, &db, 0, 0.0);
    let ids = document_ids(app.workspace.as_ref().unwrap().store());
    let ours = ids
        .iter()
        .position(|id| {
            let store = app.workspace.as_ref().unwrap().store();
            store
                .document(id)
                .unwrap()
                .is_some_and(|d| d.title.starts_with("اختبار علامات"))
        })
        .unwrap();
    perform(&mut app, &ctx, &ids, &Step::Open { doc: ours, at: 0.0 });
    let doc = app.workspace.as_ref().unwrap().document().unwrap();
    let quoted = doc
        .sentences
        .iter()
        .position(|s| s.text.starts_with('“'))
        .expect("a sentence starting with “");
    let len = doc.sentences[quoted].text.chars().count();
    app.apply_actions(&ctx, vec![Action::Model(Intent::GoToSentence(quoted))]);
    for (at, modifiers) in [
        (0.0, Modifiers::ALT | Modifiers::SHIFT),
        (1.0, Modifiers::SHIFT),
    ] {
        for key in [Key::ArrowLeft, Key::ArrowRight] {
            perform(&mut app, &ctx, &ids, &Step::Click { offset: 0, at });
            let selection = app.ui.selection.expect("the click selects");
            assert_eq!(
                super::effective_range(&app_sentence(&app, quoted), selection).len(),
                0,
                "the click leaves an empty selection"
            );
            perform(&mut app, &ctx, &ids, &Step::Key { key, modifiers });
            check_invariants(&app);
            let selection = app.ui.selection.expect("still a selection");
            assert!(selection.anchor <= len && selection.head <= len);
        }
    }
}

fn app_sentence(app: &IsnadApp, index: usize) -> String {
    app.workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .sentences[index]
        .text
        .clone()
}

#[test]
fn refining_moves_one_edge_inside_the_sentence_and_never_empties_the_selection() {
    use super::refined_range;
    // A word in the middle: both edges move both ways.
    assert_eq!(refined_range(3..6, 10, true, 1), Some(3..7));
    assert_eq!(refined_range(3..6, 10, true, -1), Some(3..5));
    assert_eq!(refined_range(3..6, 10, false, -1), Some(2..6));
    assert_eq!(refined_range(3..6, 10, false, 1), Some(4..6));
    // One character left: the edges stop before it empties.
    assert_eq!(refined_range(3..4, 10, true, -1), Some(3..4));
    assert_eq!(refined_range(3..4, 10, false, 1), Some(3..4));
    // At the ends of the sentence the edges stay inside it.
    assert_eq!(refined_range(7..10, 10, true, 1), Some(7..10));
    assert_eq!(refined_range(0..2, 10, false, -1), Some(0..2));
    // An empty selection before the first character: its end can grow, its start cannot move.
    assert_eq!(refined_range(0..0, 10, true, 1), Some(0..1));
    assert_eq!(refined_range(0..0, 10, true, -1), Some(0..1));
    assert_eq!(refined_range(0..0, 10, false, 1), None);
    assert_eq!(refined_range(0..0, 10, false, -1), None);
    // Past the last one: its start can move back, its end cannot move.
    assert_eq!(refined_range(10..10, 10, false, -1), Some(9..10));
    assert_eq!(refined_range(10..10, 10, false, 1), Some(9..10));
    assert_eq!(refined_range(10..10, 10, true, 1), None);
    assert_eq!(refined_range(10..10, 10, true, -1), None);
    // An empty sentence, and offsets beyond the text.
    assert_eq!(refined_range(0..0, 0, true, 1), None);
    assert_eq!(refined_range(0..0, 0, false, -1), None);
    assert_eq!(refined_range(12..15, 10, true, 1), None);
    assert_eq!(refined_range(12..15, 10, false, -1), Some(9..10));
}
