//! Dialogs for project work: import files, export a dataset, merge annotators' databases,
//! assign documents. Paths can be typed (always) or picked with the system file dialog
//! (`rfd`, run on a thread so the window stays responsive). Without a desktop portal or
//! zenity the system dialog cannot open; the dialog then says so and the typed path
//! remains — never a silent no-op.

use std::path::PathBuf;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use crate::app::state::{Action, Dialog, DialogKind, FloatingWindow, ViewState};
use crate::export::gold::SplitRatios;
use crate::export::{Format, What};

impl Dialog {
    fn typed_paths(&self) -> Vec<PathBuf> {
        self.paths
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| PathBuf::from(expand_home(l)))
            .collect()
    }

    fn start_browse(&mut self, folder: bool) {
        let (sender, receiver) = channel();
        let kind = self.kind;
        std::thread::spawn(move || {
            let dialog = rfd::FileDialog::new();
            let picked = match (kind, folder) {
                (DialogKind::Export, _) => dialog.save_file().map(|p| vec![p]),
                (DialogKind::Assign, _) | (_, true) => dialog.pick_folder().map(|p| vec![p]),
                (DialogKind::Merge, _) => dialog
                    .add_filter("Isnad database", &["db", "sqlite"])
                    .pick_files(),
                (DialogKind::Import, false) => dialog
                    .add_filter("Articles", &["txt", "jsonl"])
                    .pick_files(),
            };
            let _ = sender.send(picked);
        });
        self.browse = Some((receiver, Instant::now()));
        self.note = Some("Waiting for the system file dialog…".into());
    }

    fn poll_browse(&mut self) {
        let Some((receiver, started)) = &self.browse else {
            return;
        };
        let Ok(picked) = receiver.try_recv() else {
            return;
        };
        let quick = started.elapsed() < Duration::from_millis(600);
        self.browse = None;
        match picked {
            Some(paths) if !paths.is_empty() => {
                self.paths = paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\n");
                self.note = None;
            }
            _ if quick => {
                self.note = Some(
                    "No system file dialog is available here (it needs an XDG desktop portal or zenity). \
                     Type the path in the box instead."
                        .into(),
                );
            }
            _ => self.note = Some("No file chosen.".into()),
        }
    }
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_owned(),
    }
}

/// The window's id, the same for every kind (the app finds it in egui's layer order: Esc
/// closes the window in front).
pub const WINDOW_ID: &str = "isnad-project-dialog";

/// `dialog` is the open dialog's form (the draft this view edits).
pub fn show(
    ctx: &egui::Context,
    state: &ViewState<'_>,
    dialog: &mut Dialog,
    actions: &mut Vec<Action>,
) {
    dialog.poll_browse();
    if dialog.browse.is_some() {
        ctx.request_repaint_after(Duration::from_millis(100));
    }
    let busy = state.job.is_some();
    let mut close = false;
    let title = match dialog.kind {
        DialogKind::Import => "Import articles",
        DialogKind::Export => "Export",
        DialogKind::Merge => "Merge annotators' databases",
        DialogKind::Assign => "Assign documents to annotators",
    };
    egui::Window::new(title)
        .id(egui::Id::unique(WINDOW_ID))
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .show(ctx, |ui| {
            kind_fields(ui, dialog);
            ui.add(
                egui::TextEdit::multiline(&mut dialog.paths)
                    .desired_rows(
                        if dialog.kind == DialogKind::Export || dialog.kind == DialogKind::Assign {
                            1
                        } else {
                            4
                        },
                    )
                    .desired_width(f32::INFINITY)
                    .hint_text("/path/to/file"),
            );
            ui.horizontal(|ui| {
                let label = match dialog.kind {
                    DialogKind::Export => "Browse… (save as)",
                    DialogKind::Assign => "Browse… (folder)",
                    _ => "Browse files…",
                };
                if ui
                    .add_enabled(dialog.browse.is_none(), egui::Button::new(label))
                    .clicked()
                {
                    dialog.start_browse(false);
                }
                if dialog.kind == DialogKind::Import
                    && ui
                        .add_enabled(dialog.browse.is_none(), egui::Button::new("Browse folder…"))
                        .clicked()
                {
                    dialog.start_browse(true);
                }
            });
            if let Some(note) = &dialog.note {
                ui.colored_label(ui.visuals().warn_fg_color, note);
            }
            if busy {
                ui.weak("Another job is running (see the status bar); wait for it or cancel it.");
            }
            ui.separator();
            ui.horizontal(|ui| {
                let paths = dialog.typed_paths();
                let gold_split = (dialog.kind == DialogKind::Export
                    && dialog.what == What::Gold
                    && dialog.split)
                    .then(|| SplitRatios::parse(&dialog.split_ratios).map(|r| (r, dialog.seed)));
                let split_ok = !matches!(gold_split, Some(Err(_)));
                let ready = !paths.is_empty() && !busy && split_ok;
                let go = match dialog.kind {
                    DialogKind::Import => "Import",
                    DialogKind::Export => "Export",
                    DialogKind::Merge => "Merge",
                    DialogKind::Assign => "Write packages",
                };
                if ui.add_enabled(ready, egui::Button::new(go)).clicked() {
                    match dialog.kind {
                        DialogKind::Import => actions.push(Action::Import(paths)),
                        DialogKind::Export => {
                            if let Some(path) = paths.into_iter().next() {
                                actions.push(Action::Export {
                                    what: dialog.what,
                                    format: dialog.format,
                                    path,
                                    gold_split: gold_split.and_then(Result::ok),
                                });
                            }
                        }
                        DialogKind::Merge => actions.push(Action::Merge(paths)),
                        DialogKind::Assign => {
                            let annotators: Vec<String> = dialog
                                .annotators
                                .split(',')
                                .map(|a| a.trim().to_owned())
                                .filter(|a| !a.is_empty())
                                .collect();
                            if let Some(out) = paths.into_iter().next() {
                                actions.push(Action::Assign {
                                    annotators,
                                    overlap: dialog.overlap,
                                    seed: dialog.seed,
                                    out,
                                });
                            }
                        }
                    }
                    close = true;
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
        });
    if close {
        actions.push(Action::CloseWindow(FloatingWindow::Dialog));
    }
}

/// What the dialog asks besides the paths, by kind.
fn kind_fields(ui: &mut egui::Ui, dialog: &mut Dialog) {
    match dialog.kind {
        DialogKind::Import => {
            ui.label(".txt files (one article each, first line = title), .jsonl files (one article per line), or folders. One path per line.");
        }
        DialogKind::Export => {
            ui.horizontal(|ui| {
                ui.label("What:");
                for (what, name) in [
                    (What::Claims, "claims"),
                    (What::Gold, "gold"),
                    (What::Sentences, "sentences"),
                    (What::Documents, "documents"),
                ] {
                    ui.radio_value(&mut dialog.what, what, name);
                }
            });
            ui.horizontal(|ui| {
                ui.label("Format:");
                ui.radio_value(&mut dialog.format, Format::Jsonl, "JSON Lines");
                ui.radio_value(&mut dialog.format, Format::Csv, "CSV");
            });
            if dialog.what == What::Gold {
                ui.horizontal(|ui| {
                    ui.checkbox(&mut dialog.split, "Split by document into train/dev/test:");
                    ui.add_enabled(
                        dialog.split,
                        egui::TextEdit::singleline(&mut dialog.split_ratios).desired_width(80.0),
                    );
                    ui.label("seed");
                    ui.add_enabled(dialog.split, egui::DragValue::new(&mut dialog.seed));
                });
                if dialog.split
                    && let Err(e) = SplitRatios::parse(&dialog.split_ratios)
                {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.weak("A dataset card (STEM.card.md: counts per label, agreement, schema) is written beside the data; with a split, STEM.train/dev/test files.");
            }
            ui.label("Output file:");
        }
        DialogKind::Merge => {
            ui.label("Other Isnad databases (annotators' packages or copies), one per line. Each is opened read-only and checked first; conflicts are reported.");
        }
        DialogKind::Assign => {
            ui.horizontal(|ui| {
                ui.label("Annotators (comma-separated):");
                ui.text_edit_singleline(&mut dialog.annotators);
            });
            ui.add(
                egui::Slider::new(&mut dialog.overlap, 0.0..=1.0)
                    .text("overlap (given to all, for agreement)"),
            );
            ui.horizontal(|ui| {
                ui.label("Seed:");
                ui.add(egui::DragValue::new(&mut dialog.seed));
            });
            ui.label("Folder for the packages:");
        }
    }
}
