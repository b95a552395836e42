//! First start: ask the annotator's name once (it is remembered), or explain why the
//! database could not be opened.

/// Returns the name to start with, when the annotator confirms it. `startup_error`: why
/// the database could not be opened; `name_prompt`: the name as typed (this view's draft).
pub fn show(
    ui: &mut egui::Ui,
    db_path: &std::path::Path,
    startup_error: Option<&str>,
    name_prompt: &mut String,
) -> Option<String> {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.heading("Isnad — إسناد");
        ui.label("Stance and claim annotation for Arabic news");
        ui.add_space(24.0);
        if let Some(error) = startup_error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                "The database could not be opened:",
            );
            ui.label(error);
            ui.add_space(8.0);
            ui.label(format!("Database: {}", db_path.display()));
            ui.label("Start isnad with --db PATH to use another database.");
            return None;
        }
        ui.label(format!("Database: {}", db_path.display()));
        ui.add_space(12.0);
        ui.label("Your name (it is stored with every label you make):");
        let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
        let field = ui.add(
            egui::TextEdit::singleline(name_prompt)
                .hint_text("e.g. hala")
                .desired_width(240.0),
        );
        if !field.has_focus() && !entered {
            field.request_focus();
        }
        let clicked = ui.button("Start annotating").clicked();
        let name = name_prompt.trim().to_owned();
        if (entered || clicked) && !name.is_empty() {
            return Some(name);
        }
        None
    })
    .inner
}
