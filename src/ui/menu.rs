//! The menu bar: project actions (import, export, merge, assign), views, help.

use crate::app::state::ThemeChoice;
use crate::app::state::{Action, DialogKind, MainView, ViewState};
use crate::model::Intent;

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("Project", |ui| {
            if ui.button("Import files…").clicked() {
                actions.push(Action::OpenDialog(DialogKind::Import));
                ui.close();
            }
            if ui.button("Export…").clicked() {
                actions.push(Action::OpenDialog(DialogKind::Export));
                ui.close();
            }
            ui.separator();
            if ui.button("Merge annotators' databases…").clicked() {
                actions.push(Action::OpenDialog(DialogKind::Merge));
                ui.close();
            }
            if ui.button("Assign documents to annotators…").clicked() {
                actions.push(Action::OpenDialog(DialogKind::Assign));
                ui.close();
            }
            ui.separator();
            ui.label(format!("Database: {}", state.db));
        });
        ui.menu_button("Edit", |ui| {
            let (undo, redo) = (state.ui.history.undo.clone(), state.ui.history.redo.clone());
            if ui
                .add_enabled(
                    undo.is_some(),
                    egui::Button::new(format!("Undo {}", undo.unwrap_or_default()))
                        .shortcut_text("Ctrl+Z"),
                )
                .clicked()
            {
                actions.push(Action::Model(Intent::Undo));
                ui.close();
            }
            if ui
                .add_enabled(
                    redo.is_some(),
                    egui::Button::new(format!("Redo {}", redo.unwrap_or_default()))
                        .shortcut_text("Ctrl+Shift+Z"),
                )
                .clicked()
            {
                actions.push(Action::Model(Intent::Redo));
                ui.close();
            }
        });
        ui.menu_button("View", |ui| {
            let mut settings = state.settings.clone();
            if ui
                .checkbox(&mut settings.show_boilerplate, "Show boilerplate sentences")
                .changed()
            {
                actions.push(Action::Model(Intent::SetShowBoilerplate(
                    settings.show_boilerplate,
                )));
            }
            ui.checkbox(
                &mut settings.show_suggestions,
                "Highlight suggested cues and entities",
            );
            ui.add(
                egui::Slider::new(&mut settings.context_sentences, 0..=8).text("context sentences"),
            );
            ui.add(
                egui::Slider::new(&mut settings.sentence_font_size, 16.0..=48.0)
                    .text("sentence size"),
            );
            if settings != *state.settings {
                actions.push(Action::SetSettings(settings));
            }
            ui.separator();
            ui.label("Paragraph direction (this project):");
            let direction = state.direction;
            for (value, label) in [
                (None, "Automatic (from each text)"),
                (Some(crate::text::TextDirection::Rtl), "Right to left"),
                (Some(crate::text::TextDirection::Ltr), "Left to right"),
            ] {
                if ui.radio(direction == value, label).clicked() && direction != value {
                    actions.push(Action::SetDirection(value));
                }
            }
            ui.separator();
            let dark = state.settings.theme == ThemeChoice::Dark;
            if ui.radio(!dark, "Light theme").clicked() {
                actions.push(Action::SetTheme(ThemeChoice::Light));
            }
            if ui.radio(dark, "Dark theme").clicked() {
                actions.push(Action::SetTheme(ThemeChoice::Dark));
            }
            ui.label("Zoom: Ctrl + / Ctrl − / Ctrl 0");
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Guidelines").on_hover_text("F1").clicked() {
                actions.push(Action::ToggleGuidelines);
                ui.close();
            }
            if ui.button("Keyboard shortcuts").on_hover_text("?").clicked() {
                actions.push(Action::ToggleShortcuts);
                ui.close();
            }
        });
        ui.separator();
        for (view, label) in [
            (MainView::Annotate, "✏ Annotate"),
            (MainView::Adjudicate, "⚖ Adjudicate"),
            (MainView::Agreement, "📊 Agreement"),
        ] {
            if ui.selectable_label(state.view == view, label).clicked() && state.view != view {
                actions.push(Action::SwitchView(view));
            }
        }
    });
}
