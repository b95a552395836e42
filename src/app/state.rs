//! The state the views read and the actions they push. Both sides import this file and
//! nothing else of each other: `src/ui/*` → `state` ← `src/app/mod.rs` (and app → ui),
//! never ui → app. The views get a read-only [`ViewState`] each frame and push [`Action`]s;
//! `src/app/mod.rs` is the only writer of the app's state. The one exception are the form
//! drafts a view edits in place with egui's text fields (a dialog's fields, the entity
//! picker's query and new-entity form, the note being written, the name on the welcome
//! screen): the app hands the view `&mut` to that draft alone, and only the actions the view
//! pushes from it change anything else.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use egui::Color32;

use crate::domain::{AnnotatorPace, DocumentSummary, Span, StatusFilter};
use crate::export::gold::SplitRatios;
use crate::export::{Format, What};
use crate::model::adjudicate::AdjudicationIntent;
use crate::model::{Intent, Role, Workspace};
use crate::store::Location;
use crate::text::{ParagraphResponse, TextDirection};

pub use super::commands::{COMMANDS, CommandInfo, Scope};
pub use super::connection::UNREACHABLE;
pub use super::jobs::Job;
pub use super::settings::{Settings, ThemeChoice};

/// What the views read this frame: borrowed from the app, read-only.
pub struct ViewState<'a> {
    pub view: MainView,
    pub ui: &'a UiState,
    pub settings: &'a Settings,
    pub status: &'a StatusLine,
    pub workspace: Option<&'a Workspace>,
    /// The background job running, if one is.
    pub job: Option<&'a Job>,
    pub guidelines: &'a str,
    /// The project's database (print it with `Display`: a URL's password is hidden).
    pub db: &'a Location,
    /// The project's paragraph direction override (None: from each text).
    pub direction: Option<TextDirection>,
    /// What the annotators' pace depends on now.
    pub pace_key: PaceKey,
    /// The current selection as a span, if there is one.
    pub selection_span: Option<Span>,
    /// The claim panel is shown this frame (the layout may leave it out).
    pub claims_shown: bool,
    /// The server could not be reached by the last step: the status bar says
    /// [`UNREACHABLE`] until it answers again (with why, on hover).
    pub unreachable: Option<&'a str>,
    /// What the last training of the stance model said ([`super::learning::Trainer`]).
    pub learning: Option<&'a str>,
}

impl ViewState<'_> {
    /// A background job is running.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MainView {
    #[default]
    Annotate,
    Adjudicate,
    Agreement,
}

/// A selection inside one sentence, in code points of that sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub sentence: usize,
    pub anchor: usize,
    pub head: usize,
    /// Grow to whole words (drag); false after character-level refinement.
    pub snap: bool,
}

/// What the entity picker is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerMode {
    /// Link the role's span to an entity.
    Link,
    /// An implicit speaker/target: the entity without a span.
    Implicit,
    /// Create a new entity (from the selection).
    Create,
}

/// The entity picker's state.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityPicker {
    pub role: Role,
    pub mode: PickerMode,
    pub query: String,
    /// The mention text (the span), offered as alias.
    pub mention: Option<String>,
    pub highlighted: usize,
    pub new_name: String,
    pub new_kind: String,
    pub focus_requested: bool,
}

/// A floating window of the app; Esc closes the one in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatingWindow {
    /// The entity picker (modal: always in front).
    Picker,
    /// A project dialog (import, export, merge, assign).
    Dialog,
    /// The keyboard shortcuts.
    Shortcuts,
}

/// Everything the views can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Model(Intent),
    Adjudicate(AdjudicationIntent),
    /// The current selection becomes this role's span.
    SelectionTo(Role),
    OpenPicker(Role, PickerMode),
    ClosePicker,
    /// Close a floating window (Esc closes the one in front).
    CloseWindow(FloatingWindow),
    SetSelection(Option<Selection>),
    SwitchView(MainView),
    ToggleShortcuts,
    /// Open a project dialog (import, export, merge, assign).
    OpenDialog(DialogKind),
    /// The documents list's text filter.
    SetDocFilter(String),
    /// The documents list's status filter.
    SetDocStatus(StatusFilter),
    /// The documents filter took the keyboard focus it was asked to take.
    FilterFocused,
    /// The agreement view's scope: one document, or all (None).
    SetAgreementDoc(Option<String>),
    /// The view settings (boilerplate, suggestions, context, sentence size) as edited.
    SetSettings(Settings),
    ToggleGuidelines,
    /// Show or collapse the documents list (its toggle).
    ToggleDocuments,
    /// The project's paragraph direction (None: from each text).
    SetDirection(Option<TextDirection>),
    SetTheme(ThemeChoice),
    Import(Vec<PathBuf>),
    Export {
        what: What,
        format: Format,
        path: PathBuf,
        /// Gold only: split by document into train/dev/test with these ratios and seed.
        gold_split: Option<(SplitRatios, u64)>,
    },
    Merge(Vec<PathBuf>),
    Assign {
        annotators: Vec<String>,
        overlap: f64,
        seed: u64,
        out: PathBuf,
    },
    ComputeAgreement,
    /// Load the documents list's rows `first..first + len` (scrolled past the loaded ones).
    LoadDocuments {
        first: usize,
        len: usize,
    },
    /// Recompute the annotators' pace (a view shows it and it is out of date).
    RefreshPace,
    CancelJob,
    Message(String),
}

/// Transient UI state (not persisted).
#[derive(Debug, Default)]
pub struct UiState {
    pub selection: Option<Selection>,
    pub picker: Option<EntityPicker>,
    pub show_shortcuts: bool,
    /// A text field had the keyboard at the end of the last frame (an Esc now leaves it).
    pub text_field_focused: bool,
    pub doc_filter: String,
    pub doc_status: StatusFilter,
    pub focus_filter: bool,
    pub dialog: Option<Dialog>,
    pub note_draft: Option<(String, String)>,
    pub scroll_to_current: bool,
    /// Screen geometry of the current sentence (last frame), for tests and hit-testing.
    pub current_sentence_geometry: Option<SentenceGeometry>,
    pub agreement: Option<crate::agreement::report::AgreementReport>,
    pub agreement_doc: Option<String>,
    /// The documents list as the annotator set it with its toggle (None: automatic).
    pub documents_open: Option<bool>,
    /// Bumped whenever something was saved: cached lists refresh.
    pub generation: u64,
    /// Annotators' pace as last computed.
    pub pace: PaceCache,
    /// Bumped by every periodic write of the active reading time.
    pub activity_writes: u64,
    /// The document list as last queried: (key, total, first row, rows).
    pub doc_list_cache: Option<DocListPage>,
    /// Why the documents list could not be read, if it could not (the status bar says it).
    pub doc_list_error: Option<String>,
    /// What undo and redo would do, as last read (the Edit menu and the status bar).
    pub history: HistoryLabels,
    /// Bumped every [`super::connection::LIVE_EVERY`] on a server project: the lists and
    /// progress figures are read again, to show the others' work as it happens.
    pub live_tick: u64,
}

/// The labels of what undo and redo would do now, read by the app when something was
/// saved (the views never ask the store).
#[derive(Debug, Default)]
pub struct HistoryLabels {
    /// [`UiState::generation`] they were read at.
    pub generation: Option<u64>,
    pub undo: Option<String>,
    pub redo: Option<String>,
}

/// The password dialog's state: the password as typed (this view's draft; never printed
/// or saved) and the server's answer to the last one tried.
#[derive(Default)]
pub struct PasswordPrompt {
    pub typed: String,
    /// Why the server refused the last password, if one was tried.
    pub refusal: Option<String>,
}

impl std::fmt::Debug for PasswordPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordPrompt")
            .field("typed", &"***")
            .field("refusal", &self.refusal)
            .finish()
    }
}

/// What a cached document-list page was queried with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocListKey {
    pub filter: String,
    pub status: StatusFilter,
    pub generation: u64,
    /// Adjudication progress instead of the annotator's.
    pub gold: bool,
    /// [`UiState::live_tick`]: a server project's list is read again as others work.
    pub live: u64,
}

/// The status line: the last message, and whether it is an error.
#[derive(Debug, Clone, Default)]
pub struct StatusLine {
    pub text: String,
    pub error: bool,
    pub at: Option<Instant>,
}

/// A page of the documents list as the app last read it through the workspace.
#[derive(Debug, Clone)]
pub struct DocListPage {
    /// What it was read with.
    pub key: DocListKey,
    /// How many documents match.
    pub total: usize,
    /// Index of the first row.
    pub first: usize,
    pub rows: Vec<DocumentSummary>,
}

impl DocListPage {
    /// True when the loaded rows hold every row of `rows` that exists.
    pub fn covers(&self, rows: std::ops::Range<usize>) -> bool {
        let end = rows.end.min(self.total);
        rows.start.min(end) >= self.first && end <= self.first + self.rows.len()
    }
}

/// Each annotator's pace (decided sentences per active hour), as last computed.
#[derive(Debug, Default)]
pub struct PaceCache {
    /// What the rows were computed at (see [`super::IsnadApp::pace_key`]).
    pub key: Option<PaceKey>,
    pub rows: Vec<AnnotatorPace>,
    /// Why the rows could not be read, if they could not.
    pub error: Option<String>,
    /// How many times the rows were computed (the tests read it).
    pub computations: u64,
}

/// What the pace depends on: the saved changes and the active time written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceKey {
    /// [`super::UiState::generation`]: bumped by every saved change.
    pub generation: u64,
    /// Bumped by every periodic write of the active reading time.
    pub activity_writes: u64,
    /// [`UiState::live_tick`]: others' pace changes on a server project.
    pub live: u64,
}

impl PaceCache {
    /// True when the rows were computed at `key`.
    pub fn is_current(&self, key: PaceKey) -> bool {
        self.key == Some(key)
    }

    /// Stores rows (or the error reading them) computed at `key`.
    pub fn store(&mut self, key: PaceKey, rows: Result<Vec<AnnotatorPace>, String>) {
        self.key = Some(key);
        self.computations += 1;
        match rows {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(error) => {
                self.rows.clear();
                self.error = Some(error);
            }
        }
    }
}

/// Which dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    Import,
    Export,
    Merge,
    Assign,
}

/// A dialog's state.
#[derive(Debug)]
pub struct Dialog {
    pub kind: DialogKind,
    /// Paths, one per line.
    pub paths: String,
    pub what: What,
    pub format: Format,
    pub annotators: String,
    pub overlap: f64,
    pub seed: u64,
    /// Gold export: split by document into train/dev/test.
    pub split: bool,
    /// Gold export: the split's proportions, as typed (`80/10/10`).
    pub split_ratios: String,
    /// The system file dialog running in its thread, and when it was started.
    pub browse: Option<(Receiver<Option<Vec<PathBuf>>>, Instant)>,
    pub note: Option<String>,
}

impl Dialog {
    pub fn new(kind: DialogKind) -> Dialog {
        Dialog {
            kind,
            paths: String::new(),
            what: What::Claims,
            format: Format::Jsonl,
            annotators: String::new(),
            overlap: 0.2,
            seed: 0,
            split: false,
            split_ratios: "80/10/10".into(),
            browse: None,
            note: None,
        }
    }

    pub fn import() -> Dialog {
        Dialog::new(DialogKind::Import)
    }

    pub fn export() -> Dialog {
        Dialog::new(DialogKind::Export)
    }

    pub fn merge() -> Dialog {
        Dialog::new(DialogKind::Merge)
    }

    pub fn assign() -> Dialog {
        Dialog::new(DialogKind::Assign)
    }
}

/// The current sentence as drawn last frame (for hit-testing and tests).
#[derive(Debug, Clone)]
pub struct SentenceGeometry {
    pub sentence: usize,
    pub paragraph: ParagraphResponse,
}

impl SentenceGeometry {
    /// Screen rectangles of a range of the sentence (sentence code points).
    pub fn range_rects(&self, range: Range<usize>) -> Vec<egui::Rect> {
        self.paragraph.range_rects(range)
    }
}

/// The selected range of a sentence: snapped to whole words unless refined.
pub fn effective_range(text: &str, selection: Selection) -> std::ops::Range<usize> {
    let (a, b) = if selection.anchor <= selection.head {
        (selection.anchor, selection.head)
    } else {
        (selection.head, selection.anchor)
    };
    if selection.snap {
        crate::text::words::snap_to_words(text, a..b)
    } else {
        a..b
    }
}

/// Colours of the roles (speaker, target, cue, content), light and dark.
pub fn role_colour(role: Role, dark: bool) -> Color32 {
    let (r, g, b) = match role {
        Role::Speaker => (0x1f, 0x78, 0xc1),
        Role::Target => (0xd5, 0x5e, 0x00),
        Role::Cue => (0x2a, 0x9d, 0x5c),
        Role::Content => (0x80, 0x80, 0x80),
    };
    let alpha = if dark { 110 } else { 70 };
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}
