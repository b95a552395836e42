//! The annotation app: an `eframe::App` that holds the [`Workspace`] (the model), the
//! view state (selection, pickers, dialogs), and runs one frame as
//! *read input ➡ draw views ➡ collect [`Action`]s ➡ apply them through the model*.
//! Views never touch the database; every change is an [`Intent`] applied by the model in
//! one transaction, so there is no Save button and a kill loses nothing shown as saved.

pub mod caches;
pub mod commands;
pub mod connection;
pub mod jobs;
pub mod layout;
pub mod learning;
pub mod settings;
pub mod state;

#[cfg(test)]
mod interaction_proptests;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod test_store;

use std::time::{Duration, Instant};

use crate::domain::Span;
use crate::model::adjudicate::AdjudicationIntent;
use crate::model::{Intent, ModelError, Role, Workspace};
use crate::store::{Location, Store};
use crate::text::TextDirection;
use crate::ui;

use commands::{Command, Scope};
use connection::{Link, Opened, Opener, Password, is_unreachable};
use settings::{Settings, ThemeChoice};
pub use state::{
    Action, DocListKey, DocListPage, EntityPicker, FloatingWindow, HistoryLabels, MainView,
    PasswordPrompt, PickerMode, Selection, StatusLine, UiState, ViewState, effective_range,
    role_colour,
};

/// How the app was started.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The project's database: a file, or a project on a PostgreSQL server (printed only
    /// through [`Location`]'s `Display`, which hides a password in the URL).
    pub db: Location,
    /// `--annotator`: overrides (and replaces) the remembered name.
    pub annotator: Option<String>,
    /// `--open DOC_ID[:SENTENCE]`.
    pub open: Option<(String, Option<usize>)>,
    /// `--view`: the view to start in.
    pub view: MainView,
}

/// The app.
pub struct IsnadApp {
    pub settings: Settings,
    pub config: AppConfig,
    pub workspace: Option<Workspace>,
    pending_store: Option<Box<dyn Store>>,
    pub startup_error: Option<String>,
    pub name_prompt: String,
    /// The server asked for a password: the dialog's state (None: not asked).
    pub password_prompt: Option<PasswordPrompt>,
    /// How the store is opened ([`connection::project_opener`]; tests inject a fake).
    opener: Opener,
    /// The password the server took, for the background jobs' connections (memory only).
    password: Option<Password>,
    /// The server connection as last seen: lost after a step found it out of reach.
    pub link: Link,
    /// Why the server was out of reach (the driver's words), while it is.
    unreachable_detail: String,
    /// A step of the actions being applied was not saved because the server was out of
    /// reach: the picker the view closes after it stays open, with what was typed.
    not_saved_in_batch: bool,
    /// When a server project's lists were last read again ([`connection::LIVE_EVERY`]).
    last_live: Instant,
    pub view: MainView,
    pub ui: UiState,
    /// The panels as laid out this frame.
    pub layout: Option<layout::Plan>,
    pub status: StatusLine,
    pub job: Option<jobs::Job>,
    /// The stance model's training in the background ([`learning::Trainer`]).
    pub trainer: learning::Trainer,
    pub guidelines: String,
    zoom_applied: bool,
    last_activity_flush: Instant,
    /// The view to switch to on the first frame (`--view`).
    pending_view: Option<MainView>,
    /// The project's paragraph direction override (None: from each text).
    direction_override: Option<TextDirection>,
    /// The settings as last saved, to wake eframe's autosave when they change.
    saved_settings: Option<Settings>,
}

impl std::fmt::Debug for IsnadApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IsnadApp")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Key under which eframe stores the settings.
pub const SETTINGS_KEY: &str = "isnad-settings";

impl IsnadApp {
    /// Creates the app: installs fonts, loads settings, opens the database.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> IsnadApp {
        crate::text::install_fonts(&cc.egui_ctx);
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        IsnadApp::with_settings(&cc.egui_ctx, config, settings)
    }

    /// Creates the app with given settings (tests use this without storage).
    pub fn with_settings(ctx: &egui::Context, config: AppConfig, settings: Settings) -> IsnadApp {
        IsnadApp::with_opener(ctx, config, settings, connection::project_opener())
    }

    /// Creates the app opening its store with `opener` (tests: a fake server).
    pub fn with_opener(
        ctx: &egui::Context,
        config: AppConfig,
        settings: Settings,
        opener: Opener,
    ) -> IsnadApp {
        apply_theme(ctx, settings.theme);
        let mut app = IsnadApp {
            settings,
            config,
            workspace: None,
            pending_store: None,
            startup_error: None,
            name_prompt: String::new(),
            password_prompt: None,
            opener,
            password: None,
            link: Link::Up,
            unreachable_detail: String::new(),
            not_saved_in_batch: false,
            last_live: Instant::now(),
            view: MainView::Annotate,
            ui: UiState {
                scroll_to_current: true,
                ..UiState::default()
            },
            status: StatusLine::default(),
            layout: None,
            job: None,
            trainer: learning::Trainer::default(),
            guidelines: String::new(),
            zoom_applied: false,
            last_activity_flush: Instant::now(),
            pending_view: None,
            direction_override: None,
            saved_settings: None,
        };
        app.open_project(None);
        app
    }

    /// One attempt to open the project, with the password just typed if there is one: on
    /// success the workspace starts if the annotator is known; a server that refuses the
    /// login gets the password dialog (again, with its answer).
    fn open_project(&mut self, password: Option<Password>) {
        match connection::attempt(&mut self.opener, &self.config.db, password.as_ref()) {
            Opened::Store(store) => {
                self.password = password;
                self.password_prompt = None;
                self.startup_error = None;
                self.link = Link::Up;
                self.pending_store = Some(store);
                self.start_if_named();
            }
            Opened::Unreachable(why) => {
                // Kept for the next try (a password the server has not answered yet).
                self.password = password;
                self.password_prompt = None;
                self.startup_error = Some(format!(
                    "{why}\n\nTrying again every {} s…",
                    connection::RETRY_EVERY.as_secs()
                ));
                self.link.lose(Instant::now());
            }
            Opened::NeedsPassword { refusal } => {
                self.password_prompt = Some(PasswordPrompt {
                    typed: String::new(),
                    refusal,
                });
            }
            Opened::Failed(why) => {
                self.password_prompt = None;
                self.startup_error = Some(why);
            }
        }
    }

    /// Tries the password typed into the dialog (the dialog's Enter or button).
    pub fn submit_password(&mut self) {
        let Some(prompt) = self.password_prompt.as_mut() else {
            return;
        };
        let typed = std::mem::take(&mut prompt.typed);
        self.open_project(Some(Password::new(typed)));
    }

    /// Starts the workspace when the annotator is known: on a server the login, else
    /// `--annotator` or the remembered name (else the welcome screen asks).
    fn start_if_named(&mut self) {
        let login = self
            .pending_store
            .as_ref()
            .and_then(|store| store.member())
            .map(|member| member.login.clone());
        let given = self
            .config
            .annotator
            .as_ref()
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty());
        if let Some(name) = login.or(given).or_else(|| self.settings.annotator.clone()) {
            self.start_workspace(&name);
        }
    }

    /// The project and its password, for a background job's own connection.
    fn target(&self) -> connection::Target {
        connection::Target {
            location: self.config.db.clone(),
            password: self.password.clone(),
        }
    }

    /// Opens the workspace as `annotator` and goes to the requested or remembered place.
    pub fn start_workspace(&mut self, annotator: &str) {
        let Some(store) = self.pending_store.take() else {
            return;
        };
        match Workspace::new(store, annotator) {
            Ok(mut workspace) => {
                match workspace.member().map(|member| member.login.clone()) {
                    // On a server the login annotates; the name remembered for files stays.
                    Some(login) => self.say_who_annotates(&login),
                    None => self.settings.annotator = Some(annotator.to_owned()),
                }
                self.guidelines =
                    crate::model::project::guidelines(workspace.store()).unwrap_or_default();
                if self.settings.show_boilerplate {
                    let _ = workspace.apply(Intent::SetShowBoilerplate(true));
                }
                let key = self.config.db.to_string();
                let target = self.config.open.clone().or_else(|| {
                    self.settings
                        .last_position
                        .get(&key)
                        .map(|(doc, sentence)| (doc.clone(), Some(*sentence)))
                });
                let opened = match target {
                    Some((doc_id, sentence)) => workspace
                        .apply(Intent::OpenDocument { doc_id, sentence })
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    None => Ok(()),
                };
                if let Err(message) = opened {
                    self.set_status(message, true);
                }
                if workspace.document().is_none() {
                    // Start on the first document.
                    if let Ok(first) =
                        workspace
                            .store()
                            .document_summaries(&crate::domain::DocumentListQuery {
                                text: "",
                                status: crate::domain::StatusFilter::All,
                                annotator: None,
                                gold: false,
                                offset: 0,
                                limit: 1,
                            })
                        && let Some(doc) = first.first()
                    {
                        let _ = workspace.apply(Intent::OpenDocument {
                            doc_id: doc.id.clone(),
                            sentence: None,
                        });
                    }
                }
                self.direction_override =
                    crate::model::project::paragraph_direction(workspace.store());
                self.workspace = Some(workspace);
                self.pending_view = Some(self.config.view);
            }
            Err(e) => self.startup_error = Some(e.to_string()),
        }
    }

    /// On a server: an `--annotator` that is not the login is not used, and said so.
    fn say_who_annotates(&mut self, login: &str) {
        if let Some(given) = self
            .config
            .annotator
            .as_deref()
            .map(str::trim)
            .filter(|given| !given.is_empty() && *given != login)
        {
            let message = format!(
                "The server annotates as its login {login}: --annotator {given} is not used \
                 (every label is recorded under the login)"
            );
            self.set_status(message, true);
        }
    }

    /// The current sentence's suggestions, when they are shown (the model caches them).
    fn current_suggestions(&mut self) -> Vec<crate::suggest::Suggestion> {
        let show = self.settings.show_suggestions;
        // The claim panel reads the proposal `a` accepts from the model's cache.
        if let Some(workspace) = self.workspace.as_mut()
            && let Some(current) = workspace.document().map(|d| d.current)
        {
            workspace.proposals(current);
        }
        match self.workspace.as_mut() {
            Some(workspace) if show => match workspace.document().map(|d| d.current) {
                Some(current) => workspace.suggestions(current),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// What the views read this frame.
    pub fn view_state(&self) -> ViewState<'_> {
        ViewState {
            view: self.view,
            ui: &self.ui,
            settings: &self.settings,
            status: &self.status,
            workspace: self.workspace.as_ref(),
            job: self.job.as_ref(),
            guidelines: &self.guidelines,
            db: &self.config.db,
            direction: self.direction_override,
            pace_key: self.pace_key(),
            selection_span: self.selection_span(),
            claims_shown: self.layout.is_none_or(|plan| plan.claims.is_some()),
            unreachable: self
                .link
                .is_lost()
                .then_some(self.unreachable_detail.as_str()),
            learning: self.trainer.summary.as_deref(),
        }
    }

    /// The documents list's key now: what its count and page depend on.
    fn doc_list_key(&self) -> DocListKey {
        DocListKey {
            filter: self.ui.doc_filter.clone(),
            status: self.ui.doc_status,
            generation: self.ui.generation,
            gold: self.view == MainView::Adjudicate,
            live: self.ui.live_tick,
        }
    }

    /// Reads the documents list's count and the page `first..first + len` through the
    /// workspace, when the key moved on or those rows are not loaded (the view asks with
    /// [`Action::LoadDocuments`]). An error goes to the status bar and stays on the list.
    pub fn refresh_doc_list(&mut self, first: usize, len: usize) {
        let key = self.doc_list_key();
        let Some(workspace) = self.workspace.as_ref() else {
            return;
        };
        if self.link.is_lost() {
            // The list as last read stays; read again once the server answers.
            return;
        }
        if self
            .ui
            .doc_list_cache
            .as_ref()
            .is_some_and(|page| page.key == key && page.covers(first..first + len))
        {
            return;
        }
        if self.ui.doc_list_error.is_some()
            && self
                .ui
                .doc_list_cache
                .as_ref()
                .is_some_and(|p| p.key == key)
        {
            // It failed at this key: read again when something changes, not every frame.
            return;
        }
        let filter = crate::model::lists::DocumentFilter {
            text: &key.filter,
            status: key.status,
            gold: key.gold,
        };
        let read = workspace.document_count(filter).and_then(|total| {
            let first = first.min(total);
            workspace
                .document_page(filter, first, len)
                .map(|rows| (total, first, rows))
        });
        match read {
            Ok((total, first, rows)) => {
                self.ui.doc_list_error = None;
                self.ui.doc_list_cache = Some(DocListPage {
                    key,
                    total,
                    first,
                    rows,
                });
            }
            Err(e) if is_unreachable(&e) => self.connection_lost(&e),
            Err(e) => {
                let message = format!("The documents list could not be read: {e}");
                self.ui.doc_list_error = Some(message.clone());
                self.ui.doc_list_cache = Some(DocListPage {
                    key,
                    total: 0,
                    first: 0,
                    rows: Vec::new(),
                });
                self.set_status(message, true);
            }
        }
    }

    pub fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = StatusLine {
            text: text.into(),
            error,
            at: Some(Instant::now()),
        };
    }

    /// A step failed: a server out of reach is said by the status bar's red line (and
    /// tried again), anything else is the status message.
    fn report(&mut self, error: &ModelError) {
        if is_unreachable(error) {
            self.connection_lost(error);
        } else {
            self.set_status(error.to_string(), true);
        }
    }

    /// The server could not be reached: nothing of the step was saved. The status bar
    /// says so until it answers again; nothing older (a "Saved" message) stays beside it.
    fn connection_lost(&mut self, error: &ModelError) {
        self.link.lose(Instant::now());
        self.unreachable_detail = error.to_string();
        self.not_saved_in_batch = true;
        self.status = StatusLine::default();
    }

    /// A step was saved: a server that was lost is back.
    fn saved_so_reachable(&mut self) {
        if self.link.is_lost() {
            self.link = Link::Up;
            // What was read before it went away is read again.
            self.ui.generation += 1;
        }
    }

    /// While the server is lost: every [`connection::RETRY_EVERY`], a cheap read; when it
    /// answers, the red line goes and the lists are read again.
    fn retry_connection(&mut self, ctx: &egui::Context) {
        let now = Instant::now();
        let Some(wait) = self.link.next_try(now) else {
            return;
        };
        if !wait.is_zero() {
            ctx.request_repaint_after(wait);
            return;
        }
        let Some(workspace) = self.workspace.as_ref() else {
            // Not open yet: the server was out of reach at start-up. Open it again.
            if self.pending_store.is_none() && self.password_prompt.is_none() {
                self.open_project(self.password.clone());
                ctx.request_repaint_after(connection::RETRY_EVERY);
            }
            return;
        };
        match workspace.check_connection() {
            Err(e) if is_unreachable(&e) => {
                self.link.lose(now);
                self.unreachable_detail = e.to_string();
                ctx.request_repaint_after(connection::RETRY_EVERY);
            }
            // Any answer, even a refusal, is the server being back.
            _ => {
                self.saved_so_reachable();
                self.set_status(connection::REACHABLE_AGAIN, false);
                ctx.request_repaint();
            }
        }
    }

    /// On a server project: every [`connection::LIVE_EVERY`] the documents list's page and
    /// the progress figures are read again (the next frame that shows them), so a lead
    /// sees everyone's progress as it happens; a repaint is asked for, so this goes on
    /// while the window is idle.
    fn live_refresh(&mut self, ctx: &egui::Context) {
        let on_server = self
            .workspace
            .as_ref()
            .is_some_and(|workspace| workspace.member().is_some());
        if !on_server || self.link.is_lost() {
            return;
        }
        let elapsed = self.last_live.elapsed();
        if elapsed >= connection::LIVE_EVERY {
            self.ui.live_tick += 1;
            self.last_live = Instant::now();
            ctx.request_repaint_after(connection::LIVE_EVERY);
        } else {
            ctx.request_repaint_after(connection::LIVE_EVERY - elapsed);
        }
    }

    /// Reads what undo and redo would do when something was saved since the last read
    /// (the Edit menu and the status bar show it; views never ask the store).
    fn refresh_history(&mut self) {
        let generation = self.ui.generation;
        if self.link.is_lost() || self.ui.history.generation == Some(generation) {
            return;
        }
        let Some(workspace) = self.workspace.as_ref() else {
            return;
        };
        let (undo, redo) = match workspace.history_labels() {
            Ok(labels) => labels,
            Err(e) if is_unreachable(&e) => return self.connection_lost(&e),
            Err(_) => (None, None),
        };
        self.ui.history = HistoryLabels {
            generation: Some(generation),
            undo,
            redo,
        };
    }

    /// What the annotators' pace depends on now.
    pub fn pace_key(&self) -> caches::PaceKey {
        caches::PaceKey {
            generation: self.ui.generation,
            activity_writes: self.ui.activity_writes,
            live: self.ui.live_tick,
        }
    }

    /// The paragraph direction override of the project (None: from the text).
    pub fn direction(&self) -> Option<TextDirection> {
        self.direction_override
    }

    /// Applies actions collected during the frame.
    pub fn apply_actions(&mut self, ctx: &egui::Context, actions: Vec<Action>) {
        self.not_saved_in_batch = false;
        for action in actions {
            if self.not_saved_in_batch && action == Action::ClosePicker {
                // The step the picker was for was not saved: it stays, as it was typed.
                continue;
            }
            self.apply_action(ctx, action);
        }
    }

    /// The actions that change only what the views show (no database write).
    fn apply_view_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::CloseWindow(window) => match window {
                FloatingWindow::Picker => self.ui.picker = None,
                FloatingWindow::Dialog => self.ui.dialog = None,
                FloatingWindow::Shortcuts => self.ui.show_shortcuts = false,
            },
            Action::OpenDialog(kind) => {
                self.ui.dialog = Some(state::Dialog::new(kind));
                // Shown from the next frame on: ask for it now.
                ctx.request_repaint();
            }
            Action::SetDocFilter(text) => {
                self.ui.doc_filter = text;
                ctx.request_repaint();
            }
            Action::SetDocStatus(status) => {
                self.ui.doc_status = status;
                ctx.request_repaint();
            }
            Action::FilterFocused => self.ui.focus_filter = false,
            Action::SetAgreementDoc(doc) => self.ui.agreement_doc = doc,
            Action::SetSettings(settings) => {
                self.settings = settings;
                ctx.request_repaint();
            }
            _ => {}
        }
    }

    fn apply_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Model(intent) => self.apply_intent(intent),
            Action::Adjudicate(intent) => {
                let Some(workspace) = self.workspace.as_mut() else {
                    return;
                };
                match workspace.adjudicate(intent) {
                    Ok(applied) => {
                        if applied.saved {
                            self.saved_so_reachable();
                            self.ui.generation += 1;
                        }
                        if let Some(message) = applied.message {
                            self.set_status(message, false);
                        }
                    }
                    Err(e) => self.report(&e),
                }
            }
            Action::SelectionTo(role) => self.selection_to(role),
            Action::OpenPicker(role, mode) => self.open_picker(role, mode),
            Action::ClosePicker => self.ui.picker = None,
            Action::SetSelection(selection) => self.ui.selection = selection,
            Action::SwitchView(view) => {
                self.view = view;
                if view == MainView::Adjudicate {
                    self.open_adjudication_of_current();
                }
                if view == MainView::Agreement && self.ui.agreement.is_none() {
                    self.apply_action(ctx, Action::ComputeAgreement);
                }
            }
            Action::OpenDialog(_)
            | Action::SetDocFilter(_)
            | Action::SetDocStatus(_)
            | Action::FilterFocused
            | Action::SetAgreementDoc(_)
            | Action::SetSettings(_)
            | Action::CloseWindow(_) => self.apply_view_action(ctx, action),
            Action::ToggleShortcuts => self.ui.show_shortcuts = !self.ui.show_shortcuts,
            Action::SetDirection(direction) => {
                if let Some(workspace) = self.workspace.as_mut() {
                    match crate::model::project::set_paragraph_direction(
                        workspace.store_mut(),
                        direction,
                    ) {
                        Ok(()) => {
                            self.direction_override = direction;
                            self.set_status("Paragraph direction saved for this project", false);
                        }
                        Err(e) => self.report(&e),
                    }
                }
            }
            Action::ToggleDocuments => {
                let shown = self
                    .layout
                    .is_some_and(|plan| matches!(plan.documents, layout::Documents::Shown(_)));
                self.ui.documents_open = Some(!shown);
            }
            Action::ToggleGuidelines => {
                self.settings.show_guidelines = !self.settings.show_guidelines
            }
            Action::SetTheme(theme) => {
                self.settings.theme = theme;
                apply_theme(ctx, theme);
            }
            Action::Import(paths) => {
                if self.job.is_none() {
                    self.job = Some(jobs::start_import(ctx, self.target(), paths));
                }
            }
            Action::Export {
                what,
                format,
                path,
                gold_split,
            } => {
                if self.job.is_none() {
                    self.job = Some(jobs::start_export(
                        ctx,
                        self.target(),
                        what,
                        format,
                        path,
                        gold_split,
                    ));
                }
            }
            Action::Merge(paths) => {
                if self.job.is_none() {
                    self.job = Some(jobs::start_merge(ctx, self.target(), paths));
                }
            }
            Action::Assign {
                annotators,
                overlap,
                seed,
                out,
            } => {
                if self.job.is_none() {
                    self.job = Some(jobs::start_assign(
                        ctx,
                        self.target(),
                        annotators,
                        overlap,
                        seed,
                        out,
                    ));
                }
            }
            Action::ComputeAgreement => {
                if self.job.is_none() {
                    let scope = crate::model::measure_agreement::AgreementScope {
                        annotators: None,
                        doc_id: self.ui.agreement_doc.clone(),
                    };
                    self.job = Some(jobs::start_agreement(ctx, self.target(), scope));
                }
            }
            Action::LoadDocuments { first, len } => {
                self.refresh_doc_list(first, len);
                ctx.request_repaint();
            }
            Action::RefreshPace => self.refresh_pace(ctx),
            Action::CancelJob => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
            Action::Message(text) => self.set_status(text, false),
        }
    }

    /// Recomputes the pace once if it is out of date (two views may ask in one frame).
    fn refresh_pace(&mut self, ctx: &egui::Context) {
        let key = self.pace_key();
        let Some(workspace) = self.workspace.as_ref() else {
            return;
        };
        if !self.ui.pace.is_current(key) && !self.link.is_lost() {
            match workspace.annotator_pace() {
                Err(e) if is_unreachable(&e) => self.connection_lost(&e),
                rows => self.ui.pace.store(key, rows.map_err(|e| e.to_string())),
            }
            ctx.request_repaint();
        }
    }

    fn apply_intent(&mut self, intent: Intent) {
        let Some(workspace) = self.workspace.as_mut() else {
            return;
        };
        let moves = matches!(
            intent,
            Intent::NextSentence
                | Intent::PreviousSentence
                | Intent::GoToSentence(_)
                | Intent::OpenDocument { .. }
                | Intent::ToggleNoClaim
                | Intent::Undo
                | Intent::Redo
        );
        let clears_selection = matches!(
            intent,
            Intent::SetSpan { .. } | Intent::ConfirmClaim | Intent::CreateEntity { .. }
        ) || moves;
        let before = workspace.document().map(|d| (d.row.id.clone(), d.current));
        match workspace.apply(intent) {
            Ok(applied) => {
                if applied.saved {
                    self.saved_so_reachable();
                    self.ui.generation += 1;
                }
                if let Some(role) = applied.needs_entity {
                    self.ui.picker = Some(match applied.entity_hint {
                        // A proposed name the registry does not know: offered as a new
                        // entity, its name and kind prefilled (Enter creates it).
                        Some(hint) => {
                            let mut picker = new_picker(role, PickerMode::Create, hint.alias);
                            picker.new_name = hint.name;
                            picker.new_kind = hint.kind;
                            picker
                        }
                        None => {
                            let mention = self.ui.selection.and_then(|_| self.selection_text());
                            new_picker(role, PickerMode::Link, mention)
                        }
                    });
                }
                if let Some(message) = applied.message {
                    self.set_status(message, false);
                }
                if clears_selection {
                    self.ui.selection = None;
                }
            }
            // Not saved: the selection, the note and the picker stay for another try.
            Err(e) => self.report(&e),
        }
        let after = self
            .workspace
            .as_ref()
            .and_then(|w| w.document().map(|d| (d.row.id.clone(), d.current)));
        if before != after {
            if before.as_ref().map(|b| &b.0) != after.as_ref().map(|a| &a.0)
                && self.ui.documents_open == Some(true)
            {
                // A list opened to choose a document goes back to automatic once chosen.
                self.ui.documents_open = None;
            }
            self.ui.scroll_to_current = true;
            self.ui.selection = None;
            self.ui.note_draft = None;
            if let Some((doc, sentence)) = after {
                self.settings
                    .last_position
                    .insert(self.config.db.to_string(), (doc, sentence));
            }
        }
    }

    /// The current selection as document offsets.
    pub fn selection_span(&self) -> Option<Span> {
        let selection = self.ui.selection?;
        let doc = self.workspace.as_ref()?.document()?;
        let sentence = doc.sentences.get(selection.sentence)?;
        let range = effective_range(&sentence.text, selection);
        (range.start < range.end)
            .then(|| Span::new(sentence.start + range.start, sentence.start + range.end))
    }

    fn selection_text(&self) -> Option<String> {
        let span = self.selection_span()?;
        Some(self.workspace.as_ref()?.document()?.span_text(span))
    }

    fn selection_to(&mut self, role: Role) {
        match self.selection_span() {
            Some(span) => self.apply_intent(Intent::SetSpan { role, span }),
            None if role.takes_entity() => self.open_picker(role, PickerMode::Implicit),
            None => self.set_status(
                format!(
                    "Select the {} in the text first (drag over it)",
                    role.name()
                ),
                true,
            ),
        }
    }

    fn open_picker(&mut self, role: Role, mode: PickerMode) {
        let mention = self.selection_text();
        if mode == PickerMode::Create && mention.is_none() {
            self.ui.picker = Some(new_picker(role, PickerMode::Create, None));
            return;
        }
        self.ui.picker = Some(new_picker(role, mode, mention));
    }

    fn open_adjudication_of_current(&mut self) {
        let Some(workspace) = self.workspace.as_mut() else {
            return;
        };
        let doc = workspace
            .adjudication()
            .map(|a| a.row.id.clone())
            .or_else(|| workspace.document().map(|d| d.row.id.clone()));
        if let Some(doc_id) = doc
            && workspace.adjudication().is_none_or(|a| a.row.id != doc_id)
        {
            match workspace.adjudicate(AdjudicationIntent::Open {
                doc_id,
                sentence: None,
            }) {
                Ok(applied) => {
                    if let Some(message) = applied.message {
                        self.set_status(message, false);
                    }
                }
                Err(e) => self.report(&e),
            }
        }
    }

    /// Turns keyboard commands into actions.
    fn keyboard(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let letters_allowed =
            !ctx.text_edit_focused() && self.ui.picker.is_none() && self.ui.dialog.is_none();
        let scope = match self.view {
            MainView::Adjudicate => Scope::Adjudicate,
            _ => Scope::Annotate,
        };
        let claim_type_keys: Vec<(egui::Key, String)> = self
            .workspace
            .as_ref()
            .map(|w| {
                w.schema()
                    .claim_types
                    .iter()
                    .filter_map(|t| {
                        egui::Key::from_name(&t.key.to_ascii_uppercase().to_string())
                            .map(|k| (k, t.id.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut actions: Vec<Action> = self.escape(ctx).into_iter().collect();
        if letters_allowed && self.view == MainView::Annotate {
            ctx.input_mut(|input| {
                for (key, id) in &claim_type_keys {
                    if input.consume_key(egui::Modifiers::NONE, *key) {
                        actions.push(Action::Model(Intent::SetClaimType(Some(id.clone()))));
                    }
                }
            });
        }
        let commands = commands::take_commands(ctx, scope, letters_allowed);
        for command in commands {
            if let Some(action) = self.command_action(command) {
                actions.push(action);
            }
        }
        actions
    }

    /// Esc belongs to what is in front: it closes the topmost floating window, else an open
    /// menu or list, else leaves the text field that had the keyboard (egui took the focus
    /// away as the frame began). Only with none of these is it left for the Discard command
    /// (clear the selection, else discard the draft or stop editing).
    fn escape(&mut self, ctx: &egui::Context) -> Option<Action> {
        let pressed = ctx.input(|i| i.key_pressed(egui::Key::Escape) && i.modifiers.is_none());
        if !pressed {
            return None;
        }
        let window = self.topmost_window(ctx);
        let popup = egui::Popup::is_any_open(ctx);
        if window.is_none() && !popup && !self.ui.text_field_focused {
            return None;
        }
        ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        if window.is_none() && popup {
            egui::Popup::close_all(ctx);
        }
        window.map(Action::CloseWindow)
    }

    /// The floating window in front: the picker (a modal), else the open window egui drew
    /// last on top (one opened this frame, not drawn yet, counts as in front).
    pub fn topmost_window(&self, ctx: &egui::Context) -> Option<FloatingWindow> {
        if self.ui.picker.is_some() {
            return Some(FloatingWindow::Picker);
        }
        let order: Vec<egui::LayerId> = ctx.memory(|m| m.layer_ids().collect());
        let rank = |id: &str| {
            let layer = egui::LayerId::new(egui::Order::Middle, egui::Id::unique(id));
            order.iter().position(|l| *l == layer).unwrap_or(usize::MAX)
        };
        [
            (
                self.ui.dialog.is_some(),
                FloatingWindow::Dialog,
                ui::dialogs::WINDOW_ID,
            ),
            (
                self.ui.show_shortcuts,
                FloatingWindow::Shortcuts,
                ui::shortcuts::WINDOW_ID,
            ),
        ]
        .into_iter()
        .filter(|(open, _, _)| *open)
        .max_by_key(|(_, _, id)| rank(id))
        .map(|(_, window, _)| window)
    }

    fn command_action(&mut self, command: Command) -> Option<Action> {
        let workspace = self.workspace.as_ref()?;
        let rtl = self.direction() != Some(TextDirection::Ltr);
        Some(match command {
            Command::NextSentence => Action::Model(Intent::NextSentence),
            Command::PreviousSentence => Action::Model(Intent::PreviousSentence),
            Command::NextSentenceVisual => Action::Model(if rtl {
                Intent::NextSentence
            } else {
                Intent::PreviousSentence
            }),
            Command::PreviousSentenceVisual => Action::Model(if rtl {
                Intent::PreviousSentence
            } else {
                Intent::NextSentence
            }),
            Command::SetSpeaker => Action::SelectionTo(Role::Speaker),
            Command::SetTarget => Action::SelectionTo(Role::Target),
            Command::SetCue => Action::SelectionTo(Role::Cue),
            Command::SetContent => Action::SelectionTo(Role::Content),
            Command::Stance(n) => {
                let Some(stance) = workspace.schema().stance_by_key(n) else {
                    self.set_status(format!("no stance on key {n}"), true);
                    return None;
                };
                Action::Model(Intent::SetStance(stance.id.clone()))
            }
            Command::Confirm => Action::Model(Intent::ConfirmClaim),
            Command::NoClaim => Action::Model(Intent::ToggleNoClaim),
            Command::Discard => {
                if self.ui.selection.is_some() {
                    Action::SetSelection(None)
                } else if workspace
                    .document()
                    .and_then(|d| d.editing.as_ref())
                    .is_some()
                {
                    Action::Model(Intent::StopEditing)
                } else {
                    Action::Model(Intent::DiscardDraft)
                }
            }
            Command::ImplicitSpeaker => Action::OpenPicker(Role::Speaker, PickerMode::Implicit),
            Command::ChooseEntity => {
                let claim = workspace.active_claim();
                let role = if claim
                    .is_some_and(|c| c.speaker_entity.is_some() && c.target_entity.is_none())
                {
                    Role::Target
                } else {
                    Role::Speaker
                };
                Action::OpenPicker(role, PickerMode::Link)
            }
            Command::NewEntity => {
                let claim = workspace.active_claim();
                let role = if claim
                    .is_some_and(|c| c.speaker_entity.is_some() && c.target_entity.is_none())
                {
                    Role::Target
                } else {
                    Role::Speaker
                };
                Action::OpenPicker(role, PickerMode::Create)
            }
            Command::AcceptSuggestions => Action::Model(Intent::AcceptSuggestions),
            Command::ToggleBoilerplate => {
                let doc = workspace.document()?;
                let sentence = doc.sentence()?;
                Action::Model(Intent::SetBoilerplate {
                    sentence: doc.current,
                    boilerplate: !sentence.boilerplate,
                })
            }
            Command::ExtendSelectionEnd => {
                return self.refine_selection(true, if rtl { 1 } else { -1 });
            }
            Command::ShrinkSelectionEnd => {
                return self.refine_selection(true, if rtl { -1 } else { 1 });
            }
            Command::ShrinkSelectionStart => {
                return self.refine_selection(false, if rtl { 1 } else { -1 });
            }
            Command::ExtendSelectionStart => {
                return self.refine_selection(false, if rtl { -1 } else { 1 });
            }
            Command::DeleteClaim => {
                let id = workspace.document()?.editing.clone()?;
                Action::Model(Intent::DeleteClaim(id))
            }
            Command::Undo => Action::Model(Intent::Undo),
            Command::Redo => Action::Model(Intent::Redo),
            Command::Guidelines => Action::ToggleGuidelines,
            Command::Shortcuts => Action::ToggleShortcuts,
            Command::FocusDocumentFilter => {
                self.ui.focus_filter = true;
                return None;
            }
            Command::AdjNext => Action::Adjudicate(AdjudicationIntent::Next),
            Command::AdjPrevious => Action::Adjudicate(AdjudicationIntent::Previous),
            Command::AdjNextUndecided => Action::Adjudicate(AdjudicationIntent::NextUndecided),
            Command::AdjFocusNext | Command::AdjFocusPrevious => {
                let adj = workspace.adjudication()?;
                let groups = adj.alignments.get(adj.current)?.groups.len().max(1);
                let next = if command == Command::AdjFocusNext {
                    (adj.focus + 1) % groups
                } else {
                    (adj.focus + groups - 1) % groups
                };
                Action::Adjudicate(AdjudicationIntent::Focus(next))
            }
            Command::AdjTake(n) => {
                let adj = workspace.adjudication()?;
                let alignment = adj.alignments.get(adj.current)?;
                let annotator = alignment.decided_by.get(usize::from(n) - 1)?.clone();
                Action::Adjudicate(AdjudicationIntent::Adopt {
                    group: adj.focus,
                    annotator,
                })
            }
            Command::AdjReject => {
                let adj = workspace.adjudication()?;
                Action::Adjudicate(AdjudicationIntent::Reject { group: adj.focus })
            }
            Command::AdjStance(n) => {
                let adj = workspace.adjudication()?;
                let stance = workspace.schema().stance_by_key(n)?.id.clone();
                Action::Adjudicate(AdjudicationIntent::SetStance {
                    group: adj.focus,
                    stance,
                })
            }
            Command::AdjDecide => Action::Adjudicate(AdjudicationIntent::DecideSentence),
            Command::AdjReopen => Action::Adjudicate(AdjudicationIntent::ReopenSentence),
        })
    }

    /// Moves one edge of the selection by one character (logical direction `delta`);
    /// nothing when that edge cannot move (see [`refined_range`]).
    fn refine_selection(&mut self, end: bool, delta: isize) -> Option<Action> {
        let selection = self.ui.selection?;
        let doc = self.workspace.as_ref()?.document()?;
        let text = &doc.sentences.get(selection.sentence)?.text;
        let length = text.chars().count();
        let range = refined_range(effective_range(text, selection), length, end, delta)?;
        Some(Action::SetSelection(Some(Selection {
            sentence: selection.sentence,
            anchor: range.start,
            head: range.end,
            snap: false,
        })))
    }

    /// Hands a finished training's model to the workspace, or starts the next training
    /// when labels changed ([`learning::Trainer::poll`]).
    fn poll_trainer(&mut self, ctx: &egui::Context) {
        if self.workspace.is_none() {
            return;
        }
        let target = self.target();
        let polled = self.trainer.poll(ctx, &target, self.ui.generation);
        if let (learning::Polled::Trained(learned), Some(workspace)) =
            (polled, self.workspace.as_mut())
        {
            workspace.set_learned(learned);
        }
    }

    fn poll_job(&mut self) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        let Some(result) = job.try_finish() else {
            return;
        };
        self.job = None;
        match result {
            Err(message) => self.set_status(message, true),
            Ok(jobs::JobOutcome::Import(report)) => {
                let failed = report
                    .failed
                    .iter()
                    .map(|f| format!("{}: {}", f.path, f.reason))
                    .collect::<Vec<_>>();
                let mut text = report.summary_line();
                if let Some(first) = failed.first() {
                    text.push_str(&format!(" — {first}"));
                }
                self.set_status(text, !failed.is_empty());
                self.after_external_change();
            }
            Ok(jobs::JobOutcome::Export {
                path,
                records,
                gold,
            }) => {
                let text = match gold {
                    Some(files) => {
                        let names: Vec<String> = files
                            .files
                            .iter()
                            .map(|(file, count)| format!("{} ({count})", file.display()))
                            .collect();
                        format!(
                            "{records} gold records written to {}; dataset card {}",
                            names.join(", "),
                            files.card.display()
                        )
                    }
                    None => format!("{records} records written to {}", path.display()),
                };
                self.set_status(text, false);
            }
            Ok(jobs::JobOutcome::Merge(reports)) => {
                let lines: Vec<String> = reports
                    .iter()
                    .map(|r| match r {
                        Ok(report) => report.summary_line(),
                        Err(e) => format!("failed: {e}"),
                    })
                    .collect();
                let error = reports.iter().any(Result::is_err);
                self.set_status(lines.join(" · "), error);
                self.after_external_change();
            }
            Ok(jobs::JobOutcome::Assign(written)) => {
                let list = written
                    .iter()
                    .map(|(name, path, n)| format!("{name}: {n} documents ➡ {}", path.display()))
                    .collect::<Vec<_>>()
                    .join(" · ");
                self.set_status(list, false);
            }
            Ok(jobs::JobOutcome::Agreement(report)) => {
                self.ui.agreement = Some(*report);
                self.set_status("Agreement computed", false);
            }
        }
    }

    /// After an import or merge: reload the registry and the open documents.
    fn after_external_change(&mut self) {
        if let Some(workspace) = self.workspace.as_mut() {
            let _ = workspace.reload_registry();
            let _ = workspace.reload_adjudication();
            if let Some(doc) = workspace.document() {
                let (doc_id, sentence) = (doc.row.id.clone(), doc.current);
                let _ = workspace.apply(Intent::OpenDocument {
                    doc_id,
                    sentence: Some(sentence),
                });
            }
        }
        self.ui.agreement = None;
        self.ui.generation += 1;
    }
}

/// A fresh picker.
fn new_picker(role: Role, mode: PickerMode, mention: Option<String>) -> EntityPicker {
    EntityPicker {
        role,
        mode,
        query: if mode == PickerMode::Create {
            String::new()
        } else {
            mention.clone().unwrap_or_default()
        },
        new_name: mention.clone().unwrap_or_default(),
        mention,
        highlighted: 0,
        new_kind: "person".into(),
        focus_requested: false,
    }
}

/// `range` (of a sentence of `length` characters) with its end (`end`) or start moved by
/// `delta` characters, kept inside the sentence and at least one character long. `None`
/// when that edge cannot move: an empty selection at the very end of the sentence has no
/// end to move, one at the very start no start (a click before the first character or
/// past the last one leaves such a selection), and an empty sentence has neither.
pub fn refined_range(
    range: std::ops::Range<usize>,
    length: usize,
    end: bool,
    delta: isize,
) -> Option<std::ops::Range<usize>> {
    let start = range.start.min(length);
    let stop = range.end.clamp(start, length);
    let moved = |edge: usize| edge.checked_add_signed(delta);
    if end {
        let lowest = start + 1;
        (lowest <= length).then(|| start..moved(stop).unwrap_or(0).clamp(lowest, length))
    } else {
        let highest = stop.checked_sub(1)?;
        Some(moved(start).unwrap_or(0).min(highest)..stop)
    }
}

/// Keeps the window's input method (IME) off. Arabic and Latin are typed through the
/// keyboard layout; with an IME allowed, X11 sessions without an input-method server (e.g.
/// a virtual display) deliver no typed text at all to text fields.
fn without_ime(ctx: &egui::Context) {
    ctx.output_mut(|output| output.ime = None);
}

fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::Light => egui::Theme::Light,
        ThemeChoice::Dark => egui::Theme::Dark,
    });
}

impl eframe::App for IsnadApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if !self.zoom_applied {
            ctx.set_zoom_factor(self.settings.zoom.clamp(0.5, 3.0));
            self.zoom_applied = true;
        }
        self.settings.zoom = ctx.zoom_factor();
        if self.saved_settings.as_ref() != Some(&self.settings) {
            // eframe saves only during a frame: make sure one comes after the interval.
            ctx.request_repaint_after(self.auto_save_interval() + Duration::from_millis(500));
        }
        self.background_work(&ctx);

        if self.workspace.is_none() {
            let (mut start_with, mut password_typed) = (None, false);
            egui::CentralPanel::default().show(ui, |ui| match self.password_prompt.as_mut() {
                Some(prompt) => password_typed = ui::welcome::password(ui, &self.config.db, prompt),
                None => {
                    start_with = ui::welcome::show(
                        ui,
                        &self.config.db,
                        self.startup_error.as_deref(),
                        &mut self.name_prompt,
                    );
                }
            });
            if password_typed {
                self.submit_password();
            }
            if let Some(name) = start_with {
                self.start_workspace(&name);
            }
            without_ime(&ctx);
            return;
        }

        let mut actions = self.keyboard(&ctx);
        if let Some(view) = self.pending_view.take()
            && view != MainView::Annotate
        {
            actions.push(Action::SwitchView(view));
        }
        egui::Panel::top("menu").show(ui, |ui| {
            ui::menu::show(ui, &self.view_state(), &mut actions)
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            ui::status::show(ui, &self.view_state(), &mut actions)
        });
        self.main_views(ui, &mut actions);
        // The picker's and the dialog's forms are drafts their views edit in place.
        if let Some(mut picker) = self.ui.picker.take() {
            ui::entity_picker::show(&ctx, &self.view_state(), &mut picker, &mut actions);
            self.ui.picker = Some(picker);
        }
        ui::shortcuts::show(&ctx, &self.view_state(), &mut actions);
        if let Some(mut dialog) = self.ui.dialog.take() {
            ui::dialogs::show(&ctx, &self.view_state(), &mut dialog, &mut actions);
            self.ui.dialog = Some(dialog);
        }
        self.apply_actions(&ctx, actions);
        self.ui.text_field_focused = ctx.text_edit_focused();
        without_ime(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(workspace) = self.workspace.as_mut() {
            let _ = workspace.flush_activity();
        }
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
        self.saved_settings = Some(self.settings.clone());
    }

    /// Settings (name, zoom, position) are small: save them often, so that even a killed
    /// app remembers them. Annotations never wait for this: they are in the database.
    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(5)
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }
}

impl IsnadApp {
    /// What each frame does besides drawing: the active reading time written now and then,
    /// the background job's end, a lost server tried again, a server project's lists read
    /// again, and the undo and redo labels read after a save.
    fn background_work(&mut self, ctx: &egui::Context) {
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        let mut flushed = None;
        if let Some(workspace) = self.workspace.as_mut() {
            if active {
                workspace.note_input(Instant::now());
            }
            if self.last_activity_flush.elapsed() > Duration::from_secs(15) && !self.link.is_lost()
            {
                flushed = Some(workspace.flush_activity());
                self.last_activity_flush = Instant::now();
            }
        }
        match flushed {
            Some(Ok(())) => self.ui.activity_writes += 1,
            Some(Err(e)) if is_unreachable(&e) => self.connection_lost(&e),
            _ => {}
        }
        self.poll_job();
        self.poll_trainer(ctx);
        if self.job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.retry_connection(ctx);
        self.live_refresh(ctx);
        self.refresh_history();
    }

    /// The side panels as the width budget allows ([`layout::plan`]), then the main view in
    /// what is left: no panel is ever drawn over the reading view.
    fn main_views(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let plan = layout::plan(layout::Request {
            width: ui.available_width(),
            view: self.view,
            documents: self.ui.documents_open,
            guidelines: self.settings.show_guidelines,
        });
        self.layout = Some(plan);
        // A shown panel may be dragged wider by its share of the reading view's spare width,
        // up to its maximum.
        let range = |spec: layout::PanelSpec, width: f32| {
            spec.min.min(width)..=(width + plan.slack).min(spec.max.max(width))
        };
        if let layout::Documents::Shown(_) = plan.documents {
            let (first, len) = self
                .ui
                .doc_list_cache
                .as_ref()
                .map_or((0, 60), |page| (page.first, page.rows.len().max(60)));
            self.refresh_doc_list(first, len);
        }
        match plan.documents {
            layout::Documents::Absent => {}
            layout::Documents::Collapsed => {
                egui::Panel::left("documents-toggle")
                    .resizable(false)
                    .exact_size(layout::COLLAPSED)
                    .show(ui, |ui| ui::documents::toggle(ui, actions));
            }
            layout::Documents::Shown(width) => {
                egui::Panel::left("documents")
                    .resizable(true)
                    .default_size(width)
                    .size_range(range(layout::DOCUMENTS, width))
                    .show(ui, |ui| {
                        ui::documents::show(ui, &self.view_state(), actions)
                    });
            }
        }
        if let Some(width) = plan.guidelines {
            egui::Panel::right("guidelines")
                .resizable(true)
                .default_size(width)
                .size_range(range(layout::GUIDELINES, width))
                .show(ui, |ui| {
                    ui::guidelines::show(ui, &self.view_state(), actions)
                });
        }
        if let Some(width) = plan.claims {
            egui::Panel::right("claims")
                .resizable(true)
                .default_size(width)
                .size_range(range(layout::CLAIMS, width))
                .show(ui, |ui| {
                    let mut draft = self.ui.note_draft.take();
                    ui::claim_panel::show(ui, &self.view_state(), &mut draft, actions);
                    self.ui.note_draft = draft;
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            // Whatever a view draws stays inside its own rectangle.
            ui.shrink_clip_rect(ui.max_rect());
            match self.view {
                MainView::Annotate => {
                    let suggestions = self.current_suggestions();
                    let geometry = ui::reading::show(ui, &self.view_state(), &suggestions, actions);
                    if self
                        .workspace
                        .as_ref()
                        .is_some_and(|w| w.document().is_some())
                    {
                        // Scrolled to it this frame.
                        self.ui.scroll_to_current = false;
                    }
                    self.ui.current_sentence_geometry = geometry;
                }
                MainView::Adjudicate => ui::adjudication::show(ui, &self.view_state(), actions),
                MainView::Agreement => ui::agreement::show(ui, &self.view_state(), actions),
            }
        });
    }
}

/// The application icon at 128 px, the same file the .deb installs in the hicolor theme
/// (`packaging/icons/`, drawn by `scripts/make-icons.sh`). Embedded, so the window needs
/// no file lookup; decoding it takes about 0.06 ms, a fifth of what eframe's 256 px egui
/// logo (its default) takes.
const WINDOW_ICON_PNG: &[u8] =
    include_bytes!("../../packaging/icons/hicolor/128x128/apps/isnad.png");

/// The window icon; `None` only if the embedded PNG were broken (then eframe's default).
pub fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(WINDOW_ICON_PNG).ok()
}

/// The desktop entry's name (`packaging/isnad.desktop`): the Wayland app id and the X11
/// window class, by which docks and task bars find the entry and its icon.
pub const APP_ID: &str = "isnad";

/// Runs the app window.
pub fn run_gui(config: AppConfig) -> anyhow::Result<()> {
    // The location through its Display only: a password in the URL never shows.
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(format!("Isnad — إسناد — {}", config.db))
        .with_app_id(APP_ID)
        .with_inner_size([1400.0, 900.0])
        .with_min_inner_size([layout::MIN_USABLE_WIDTH, layout::MIN_USABLE_HEIGHT]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| Ok(Box::new(IsnadApp::new(cc, config)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
