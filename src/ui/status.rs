//! The status bar: annotator (on a server "login (role)"), document progress, save state,
//! a red line while the server cannot be reached, the last message, and the progress of a
//! background job with its cancel button.

use crate::app::state::{Action, UNREACHABLE, ViewState};

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let Some(workspace) = state.workspace.as_ref() else {
            return;
        };
        ui.label(format!("👤 {}", workspace.annotator_label()))
            .on_hover_text(format!("Database: {}", state.db));
        ui.separator();
        if let Some(detail) = state.unreachable {
            ui.label(
                egui::RichText::new(UNREACHABLE)
                    .strong()
                    .color(ui.visuals().error_fg_color),
            )
            .on_hover_text(detail);
            ui.separator();
        }
        if state.view == crate::app::state::MainView::Adjudicate {
            if let Some(adj) = workspace.adjudication() {
                let (done, total) = adj.progress();
                ui.label(format!("{done}/{total} annotated sentences adjudicated"));
                ui.separator();
            }
        } else if let Some(doc) = workspace.document() {
            let (done, total) = doc.done_counts();
            ui.label(format!("{done}/{total} sentences decided"));
            ui.separator();
        }
        match workspace.last_saved() {
            _ if state.unreachable.is_some() => ui.label("✖ the last step was not saved"),
            Some(at) => ui.label(format!("✔ saved {}", at.get(11..19).unwrap_or(at))),
            None => ui.label("✔ everything is saved as you go"),
        }
        .on_hover_text("Every action is written to the database at once, in its own transaction. There is no Save button.");
        if let Some(label) = &state.ui.history.undo {
            ui.separator();
            ui.weak(format!("Ctrl+Z: undo “{label}”"));
        }
        if let Some(job) = &state.job {
            ui.separator();
            let progress = job.progress();
            let fraction = if progress.total > 0 {
                progress.done as f32 / progress.total as f32
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(160.0)
                    .text(format!("{} {}/{}", job.title, progress.done, progress.total)),
            );
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelJob);
            }
        }
        if !state.status.text.is_empty() {
            ui.separator();
            let color = if state.status.error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            let text = crate::ui::shorten(&state.status.text, 160);
            let label = crate::text::ParagraphView::new(&text)
                .font_size(14.0)
                .color(color)
                .direction(Some(crate::text::TextDirection::Ltr))
                .max_width(ui.available_width().max(200.0))
                .sense(egui::Sense::hover())
                .show(ui)
                .response;
            if state.status.text.chars().count() > 160 {
                label.on_hover_text(&state.status.text);
            }
        }
    });
}
