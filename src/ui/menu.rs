//! The menu bar: project actions (import, export, merge, assign), views, help.

use crate::app::settings::ThemeChoice;
use crate::app::{Action, IsnadApp, MainView};
use crate::model::Intent;

use super::dialogs::Dialog;

pub fn show(ui: &mut egui::Ui, app: &mut IsnadApp, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("Project", |ui| {
            if ui.button("Import files…").clicked() {
                app.ui.dialog = Some(Dialog::import());
                ui.close();
            }
            if ui.button("Export…").clicked() {
                app.ui.dialog = Some(Dialog::export());
                ui.close();
            }
            ui.separator();
            if ui.button("Merge annotators' databases…").clicked() {
                app.ui.dialog = Some(Dialog::merge());
                ui.close();
            }
            if ui.button("Assign documents to annotators…").clicked() {
                app.ui.dialog = Some(Dialog::assign());
                ui.close();
            }
            ui.separator();
            ui.label(format!("Database: {}", app.config.db_path.display()));
        });
        ui.menu_button("Edit", |ui| {
            let (undo, redo) = app
                .workspace
                .as_ref()
                .and_then(|w| w.history_labels().ok())
                .unwrap_or_default();
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
            let mut show = app.settings.show_boilerplate;
            if ui
                .checkbox(&mut show, "Show boilerplate sentences")
                .changed()
            {
                app.settings.show_boilerplate = show;
                actions.push(Action::Model(Intent::SetShowBoilerplate(show)));
            }
            ui.checkbox(
                &mut app.settings.show_suggestions,
                "Highlight suggested cues and entities",
            );
            ui.add(
                egui::Slider::new(&mut app.settings.context_sentences, 0..=8)
                    .text("context sentences"),
            );
            ui.add(
                egui::Slider::new(&mut app.settings.sentence_font_size, 16.0..=48.0)
                    .text("sentence size"),
            );
            ui.separator();
            ui.label("Paragraph direction (this project):");
            let direction = app.direction();
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
            let dark = app.settings.theme == ThemeChoice::Dark;
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
            if ui.selectable_label(app.view == view, label).clicked() && app.view != view {
                actions.push(Action::SwitchView(view));
            }
        }
    });
}
