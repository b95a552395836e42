//! The `?` overlay: every keyboard shortcut with its mouse equivalent, generated from the
//! command table and the label schema, so it is always complete.

use crate::app::state::{Action, FloatingWindow, ViewState};
use crate::app::state::{COMMANDS, Scope};

/// The window's id (the app finds it in egui's layer order: Esc closes the window in front).
pub const WINDOW_ID: &str = "isnad-shortcuts";

pub fn show(ctx: &egui::Context, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    if !state.ui.show_shortcuts {
        return;
    }
    let mut open = true;
    // Never wider or taller than the window: on a small one the list scrolls both ways.
    let screen = ctx.content_rect();
    egui::Window::new("Keyboard shortcuts")
        .id(egui::Id::unique(WINDOW_ID))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(720.0_f32.min(screen.width() - 24.0))
        .max_width(screen.width() - 24.0)
        .constrain(true)
        .show(ctx, |ui| {
            let height = (screen.height() - 120.0).clamp(120.0, 560.0);
            egui::ScrollArea::both().max_height(height).show(ui, |ui| {
                for (scope, title) in [
                    (Scope::Global, "Everywhere"),
                    (Scope::Annotate, "Annotating"),
                    (Scope::Adjudicate, "Adjudicating"),
                ] {
                    ui.heading(title);
                    egui::Grid::new(("shortcuts", title))
                        .striped(true)
                        .num_columns(3)
                        .show(ui, |ui| {
                            for info in COMMANDS.iter().filter(|c| c.scope == scope) {
                                let keys = info
                                    .shortcuts
                                    .iter()
                                    .map(|s| s.label())
                                    .collect::<Vec<_>>()
                                    .join(" / ");
                                ui.monospace(keys);
                                ui.label(info.label);
                                ui.weak(info.mouse);
                                ui.end_row();
                            }
                            if let Some(workspace) = &state.workspace {
                                let schema = workspace.schema();
                                if scope == Scope::Annotate {
                                    for stance in &schema.stances {
                                        ui.monospace(stance.key.to_string());
                                        ui.label(format!("Stance: {} ({})", stance.name_en, stance.name_ar));
                                        ui.weak("stance buttons");
                                        ui.end_row();
                                    }
                                    for claim_type in &schema.claim_types {
                                        ui.monospace(claim_type.key.to_string());
                                        ui.label(format!("Claim type: {}", claim_type.name_en));
                                        ui.weak("claim type list");
                                        ui.end_row();
                                    }
                                }
                                if scope == Scope::Adjudicate {
                                    ui.monospace("1 … 9");
                                    ui.label("Take annotator N's version of the focused claim");
                                    ui.weak("Take");
                                    ui.end_row();
                                    ui.monospace("Alt+1 … Alt+4");
                                    ui.label("Set the gold stance of the focused claim");
                                    ui.weak("stance buttons");
                                    ui.end_row();
                                }
                            }
                            if scope == Scope::Global {
                                ui.monospace("Ctrl++ / Ctrl+− / Ctrl+0");
                                ui.label("Zoom in / out / reset (remembered)");
                                ui.weak("View menu");
                                ui.end_row();
                            }
                        });
                    ui.add_space(8.0);
                }
                ui.weak("Single-letter keys do nothing while a text field has the keyboard (Esc leaves it).");
            });
        });
    if !open {
        actions.push(Action::CloseWindow(FloatingWindow::Shortcuts));
    }
}
