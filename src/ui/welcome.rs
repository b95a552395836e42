//! First start: ask the annotator's name once (it is remembered), or explain why the
//! database could not be opened; for a server that wants one, ask for the password.

use crate::app::state::PasswordPrompt;

/// Returns the name to start with, when the annotator confirms it. `startup_error`: why
/// the database could not be opened; `name_prompt`: the name as typed (this view's draft).
pub fn show(
    ui: &mut egui::Ui,
    db: &dyn std::fmt::Display,
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
            ui.label(format!("Database: {db}"));
            ui.label("Start isnad with --db PATH to use another database.");
            return None;
        }
        ui.label(format!("Database: {db}"));
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

/// The password dialog, when the server refused the login without a password: a masked
/// field (the typed text is never drawn), the server's answer to the last password tried,
/// and a button. Returns true when the user submits what they typed (Enter or the button).
pub fn password(
    ui: &mut egui::Ui,
    db: &dyn std::fmt::Display,
    prompt: &mut PasswordPrompt,
) -> bool {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.heading("Isnad — إسناد");
        ui.add_space(24.0);
        ui.label(format!("The server asks for a password: {db}"));
        if let Some(refusal) = &prompt.refusal {
            ui.add_space(8.0);
            ui.colored_label(ui.visuals().error_fg_color, refusal);
        }
        ui.add_space(12.0);
        let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
        let field = ui.add(
            egui::TextEdit::singleline(&mut prompt.typed)
                .password(true)
                .hint_text("password")
                .desired_width(240.0),
        );
        if !field.has_focus() && !entered {
            field.request_focus();
        }
        ui.weak("It is kept in memory while isnad runs, never saved.");
        let clicked = ui.button("Connect").clicked();
        (entered || clicked) && !prompt.typed.is_empty()
    })
    .inner
}
