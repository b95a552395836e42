//! The app on a team project, driven through egui_kittest against a fake server: a SQLite
//! project behind a `postgres://` location and a login ([`FlakyStore`]), opened through
//! the app's injectable opener. The password dialog (masked, asked again after a refusal,
//! kept out of the settings), the annotator being the login, the red line while the
//! server is out of reach (the draft kept, the warning cleared when it answers), and the
//! documents list read again as others work.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::connection::{LIVE_EVERY, Link, Opener, REACHABLE_AGAIN, RETRY_EVERY, UNREACHABLE};
use super::test_store::FlakyStore;
use super::{Action, AppConfig, IsnadApp, MainView, Selection, settings::Settings};
use crate::domain::{Member, Role as MemberRole};
use crate::model::{Intent, Role, Workspace};
use crate::store::{Access, Location, StoreError};

const SERVER: &str = "postgres://hala@db.example:5432/isnad";

/// A project file with the seed articles: what the fake server keeps.
fn seeded(dir: &Path) -> PathBuf {
    let path = dir.join("server.db");
    let mut store = crate::store::open(&Location::from(path.as_path()), Access::ReadWrite).unwrap();
    crate::seeds::import_seeds(&mut *store).unwrap();
    path
}

/// The fake server's switches, shared with every store it opens.
#[derive(Clone, Default)]
struct Switches {
    /// The server is away.
    down: Arc<AtomicBool>,
    /// Calls refused while it was.
    refused: Arc<AtomicUsize>,
    /// The password of every login tried, in order.
    tries: Arc<Mutex<Vec<Option<String>>>>,
}

/// A server keeping the project at `path` that lets in `hala` (a lead), with `password`
/// if it wants one.
fn fake_server(path: PathBuf, password: Option<&'static str>, switches: &Switches) -> Opener {
    let switches = switches.clone();
    Box::new(move |location, access, typed| {
        switches
            .tries
            .lock()
            .unwrap()
            .push(typed.map(str::to_owned));
        if password.is_some() && typed != password {
            return Err(StoreError::AuthFailed {
                location: location.clone(),
                detail: "password authentication failed for user \"hala\"".into(),
            });
        }
        let inner = crate::store::open(&Location::from(path.as_path()), access)?;
        let member = Member {
            login: "hala".into(),
            role: Some(MemberRole::Lead),
        };
        let mut store = FlakyStore::new(inner, location.clone(), Some(member));
        store.down = switches.down.clone();
        store.refused = switches.refused.clone();
        Ok(Box::new(store))
    })
}

fn harness(
    annotator: Option<&str>,
    settings: Settings,
    opener: Opener,
) -> Harness<'static, IsnadApp> {
    let config = AppConfig {
        db: Location::parse(SERVER),
        annotator: annotator.map(str::to_owned),
        open: None,
        view: MainView::Annotate,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_context_setup(crate::text::install_fonts)
        .build_eframe(move |cc| {
            crate::text::install_fonts(&cc.egui_ctx);
            IsnadApp::with_opener(&cc.egui_ctx, config, settings, opener)
        });
    harness.run_steps(3);
    harness
}

/// Whether any node of the screen shows `text` (label or value).
fn shown_anywhere(harness: &Harness<'static, IsnadApp>, text: &'static str) -> bool {
    harness
        .query_by(move |node| {
            node.label().is_some_and(|l| l.contains(text))
                || node.value().is_some_and(|v| v.contains(text))
        })
        .is_some()
}

#[test]
fn the_password_dialog_hides_the_typed_text_asks_again_after_a_refusal_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let switches = Switches::default();
    let opener = fake_server(seeded(dir.path()), Some("right"), &switches);
    let mut harness = harness(None, Settings::default(), opener);
    assert!(harness.state().workspace.is_none());
    assert!(
        harness.state().password_prompt.is_some(),
        "the dialog is up"
    );
    harness.get_by_label_contains("The server asks for a password");

    harness.event(egui::Event::Text("wrong".into()));
    harness.run_steps(2);
    assert_eq!(
        harness.state().password_prompt.as_ref().unwrap().typed,
        "wrong"
    );
    let field = harness.get_by_role(egui::accesskit::Role::PasswordInput);
    let shown = field.value().unwrap_or_default();
    assert_eq!(
        shown.chars().count(),
        5,
        "one mask character per typed one: {shown:?}"
    );
    assert!(!shown.contains("wrong"), "{shown:?}");
    assert!(
        !shown_anywhere(&harness, "wrong"),
        "the typed text is drawn nowhere"
    );

    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    let prompt = harness
        .state()
        .password_prompt
        .as_ref()
        .expect("asked again");
    assert!(
        prompt.typed.is_empty(),
        "the field is cleared for another try"
    );
    assert!(
        prompt
            .refusal
            .as_deref()
            .unwrap()
            .contains("password authentication failed"),
        "{prompt:?}"
    );
    harness.get_by_label_contains("password authentication failed");
    assert!(harness.state().workspace.is_none());

    harness.event(egui::Event::Text("right".into()));
    harness.run_steps(2);
    harness.get_by_label("Connect").click();
    harness.run_steps(3);
    let app = harness.state();
    assert!(app.password_prompt.is_none());
    let workspace = app
        .workspace
        .as_ref()
        .expect("in, with the second password");
    assert_eq!(workspace.annotator(), "hala");
    assert_eq!(
        *switches.tries.lock().unwrap(),
        [None, Some("wrong".into()), Some("right".into())]
    );
    // Kept for the background jobs' connections, in memory; nowhere in what is saved.
    assert_eq!(app.target().password.unwrap().as_str(), "right");
    let saved = serde_json::to_string(&app.settings).unwrap();
    assert!(
        !saved.contains("right") && !saved.contains("wrong"),
        "{saved}"
    );
    assert!(!format!("{app:?} {:?}", app.target()).contains("right"));
}

#[test]
fn on_a_server_the_annotator_is_the_login_whatever_was_given_or_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let opener = fake_server(seeded(dir.path()), None, &Switches::default());
    let remembered = Settings {
        annotator: Some("kit".into()),
        ..Settings::default()
    };
    let harness = harness(Some("omar"), remembered, opener);
    let app = harness.state();
    let workspace = app.workspace.as_ref().expect("no name asked on a server");
    assert_eq!(workspace.annotator(), "hala");
    assert_eq!(workspace.annotator_label(), "hala (lead)");
    harness.get_by_label_contains("hala (lead)");
    assert!(app.status.error, "{:?}", app.status);
    assert!(
        app.status.text.contains("annotates as its login hala")
            && app.status.text.contains("--annotator omar"),
        "{:?}",
        app.status
    );
    assert_eq!(
        app.settings.annotator.as_deref(),
        Some("kit"),
        "the name remembered for files stays"
    );
    assert!(
        workspace.document().is_some(),
        "the first document is open, ready to annotate"
    );
}

#[test]
fn the_model_takes_the_login_as_the_annotator_on_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded(dir.path());
    let mut opener = fake_server(path.clone(), None, &Switches::default());
    let store = opener(&Location::parse(SERVER), Access::ReadWrite, None).unwrap();
    let workspace = Workspace::new(store, "someone else").unwrap();
    assert_eq!(workspace.annotator(), "hala");
    let file = crate::store::open(&Location::from(path.as_path()), Access::ReadWrite).unwrap();
    let workspace = Workspace::new(file, " kit ").unwrap();
    assert_eq!(
        (workspace.annotator(), workspace.annotator_label()),
        ("kit", "kit".into())
    );
    assert!(workspace.member().is_none());
}

/// The current sentence's first `len` characters selected.
fn select_start(harness: &mut Harness<'static, IsnadApp>, len: usize) {
    let ctx = harness.ctx.clone();
    let sentence = harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap()
        .current;
    let selection = Selection {
        sentence,
        anchor: 0,
        head: len,
        snap: false,
    };
    harness
        .state_mut()
        .apply_actions(&ctx, vec![Action::SetSelection(Some(selection))]);
    harness.run_steps(2);
}

fn cue_claims(harness: &Harness<'static, IsnadApp>) -> usize {
    let doc = harness
        .state()
        .workspace
        .as_ref()
        .unwrap()
        .document()
        .unwrap();
    doc.claims.iter().filter(|c| c.cue_span.is_some()).count()
}

#[test]
fn an_unreachable_server_is_said_at_once_the_draft_is_kept_and_the_warning_clears() {
    let dir = tempfile::tempdir().unwrap();
    let switches = Switches::default();
    let opener = fake_server(seeded(dir.path()), None, &switches);
    let mut harness = harness(None, Settings::default(), opener);
    let ctx = harness.ctx.clone();
    select_start(&mut harness, 4);
    assert!(harness.query_by_label(UNREACHABLE).is_none());

    switches.down.store(true, Ordering::SeqCst);
    harness
        .state_mut()
        .apply_actions(&ctx, vec![Action::SelectionTo(Role::Cue)]);
    harness.run_steps(2);
    let app = harness.state();
    assert!(app.link.is_lost());
    assert!(
        app.ui.selection.is_some(),
        "the selection is kept for another try"
    );
    assert_eq!(cue_claims(&harness), 0, "nothing shown as saved");
    harness.get_by_label(UNREACHABLE);
    assert!(!shown_anywhere(&harness, "✔ saved"));
    // While it is away, frames ask the store nothing (no reconnect per frame).
    let refused = switches.refused.load(Ordering::SeqCst);
    harness.run_steps(5);
    assert_eq!(switches.refused.load(Ordering::SeqCst), refused);

    // A try that finds it still away: one cheap read, still red.
    harness.state_mut().link = Link::Lost {
        last_try: Instant::now() - RETRY_EVERY,
    };
    harness.run_steps(2);
    assert_eq!(switches.refused.load(Ordering::SeqCst), refused + 1);
    harness.get_by_label(UNREACHABLE);

    // Back: the next try clears the warning; the kept selection saves now.
    switches.down.store(false, Ordering::SeqCst);
    harness.state_mut().link = Link::Lost {
        last_try: Instant::now() - RETRY_EVERY,
    };
    harness.run_steps(2);
    assert_eq!(harness.state().link, Link::Up);
    assert!(harness.query_by_label(UNREACHABLE).is_none());
    assert_eq!(harness.state().status.text, REACHABLE_AGAIN);
    harness
        .state_mut()
        .apply_actions(&ctx, vec![Action::SelectionTo(Role::Cue)]);
    harness.run_steps(2);
    assert_eq!(cue_claims(&harness), 1);
    assert!(harness.state().ui.selection.is_none());
}

#[test]
fn an_unsaved_entity_choice_leaves_the_picker_open_with_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let switches = Switches::default();
    let opener = fake_server(seeded(dir.path()), None, &switches);
    let mut harness = harness(None, Settings::default(), opener);
    let ctx = harness.ctx.clone();
    let app = harness.state_mut();
    app.ui.picker = Some(super::new_picker(
        Role::Speaker,
        super::PickerMode::Create,
        None,
    ));
    app.ui.picker.as_mut().unwrap().new_name = "الحريري".into();
    switches.down.store(true, Ordering::SeqCst);
    // What the picker's Create button pushes.
    app.apply_actions(
        &ctx,
        vec![
            Action::Model(Intent::CreateEntity {
                name: "الحريري".into(),
                kind: "person".into(),
                alias: None,
                assign_to: Some(Role::Speaker),
            }),
            Action::ClosePicker,
        ],
    );
    assert!(app.link.is_lost());
    assert_eq!(app.ui.picker.as_ref().unwrap().new_name, "الحريري");
}

#[test]
fn a_server_projects_documents_list_is_read_again_as_others_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded(dir.path());
    let opener = fake_server(path.clone(), None, &Switches::default());
    let mut harness = harness(None, Settings::default(), opener);
    harness.run_steps(2);
    let page = |harness: &Harness<'static, IsnadApp>| {
        let page = harness
            .state()
            .ui
            .doc_list_cache
            .clone()
            .expect("list shown");
        (
            page.key.live,
            page.rows[0].id.clone(),
            page.rows[0].done_sentences,
        )
    };
    let (live, first, done) = page(&harness);
    assert_eq!(done, 0);

    // hala works in another window (another connection) on the first document.
    let other = crate::store::open(&Location::from(path.as_path()), Access::ReadWrite).unwrap();
    let mut elsewhere = Workspace::new(other, "hala").unwrap();
    elsewhere
        .apply(Intent::OpenDocument {
            doc_id: first.clone(),
            sentence: None,
        })
        .unwrap();
    if elsewhere
        .document()
        .unwrap()
        .sentence()
        .unwrap()
        .boilerplate
    {
        elsewhere.apply(Intent::NextSentence).unwrap();
    }
    elsewhere.apply(Intent::ToggleNoClaim).unwrap();

    harness.run_steps(2);
    assert_eq!(page(&harness).2, 0, "not read again before the interval");
    harness.state_mut().last_live = Instant::now() - LIVE_EVERY;
    harness.run_steps(2);
    let (live_after, first_after, done_after) = page(&harness);
    assert_eq!(live_after, live + 1);
    assert_eq!(first_after, first, "the same page");
    assert_eq!(done_after, 1, "the other window's decision shows");
}

#[test]
fn a_server_out_of_reach_at_start_up_is_said_and_opened_when_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = seeded(dir.path());
    let switches = Switches::default();
    let mut inner = fake_server(path, None, &switches);
    let away = Arc::new(AtomicBool::new(true));
    let away_for_opener = away.clone();
    let opener: Opener = Box::new(move |location, access, typed| {
        if away_for_opener.load(Ordering::SeqCst) {
            return Err(StoreError::Unreachable {
                location: location.clone(),
                detail: "Connection refused".into(),
            });
        }
        inner(location, access, typed)
    });
    let mut harness = harness(None, Settings::default(), opener);
    assert!(harness.state().workspace.is_none());
    let said = harness.state().startup_error.clone().unwrap_or_default();
    assert!(
        said.contains("cannot be reached") && said.contains("Trying again"),
        "{said}"
    );
    assert!(
        harness
            .query_all_by(|node| {
                node.label().is_some_and(|l| l.contains("Trying again"))
                    || node.value().is_some_and(|v| v.contains("Trying again"))
            })
            .next()
            .is_some(),
        "the welcome screen does not say it"
    );
    // Still away at the next try: still said, nothing opened.
    std::thread::sleep(RETRY_EVERY + std::time::Duration::from_millis(100));
    harness.run_steps(2);
    assert!(harness.state().workspace.is_none());
    // Back: the next try opens the project as the login, and the message goes.
    away.store(false, Ordering::SeqCst);
    std::thread::sleep(RETRY_EVERY + std::time::Duration::from_millis(100));
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(
        app.workspace
            .as_ref()
            .map(|w| w.annotator().to_owned())
            .as_deref(),
        Some("hala")
    );
    assert!(app.startup_error.is_none());
}
