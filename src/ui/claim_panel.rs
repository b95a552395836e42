//! The claim panel: the claim being built or edited (speaker ➡ target ➡ stance, cue,
//! content, claim type, note) with a mouse button for every key, the sentence's confirmed
//! claims, and the sentence decision ("no claim").

use egui::{Color32, RichText};

use crate::app::{Action, IsnadApp, PickerMode, role_colour};
use crate::domain::{ClaimRow, ClaimStatus, Span};
use crate::labels::Colour;
use crate::model::{Intent, Role};

fn colour(c: Colour) -> Color32 {
    Color32::from_rgb(c.r, c.g, c.b)
}

pub fn show(ui: &mut egui::Ui, app: &mut IsnadApp, actions: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    let has_selection = app.selection_span().is_some();
    let Some(workspace) = app.workspace.as_ref() else {
        return;
    };
    let Some(doc) = workspace.document() else {
        return;
    };
    let schema = workspace.schema();
    let registry = workspace.registry();
    let current = doc.current;
    let active = workspace.active_claim().cloned();
    let width = ui.available_width();

    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.add_space(4.0);
        let heading = match &active {
            Some(claim) if claim.status == ClaimStatus::Confirmed => "Editing a claim",
            Some(_) => "Claim being built",
            None => "New claim",
        };
        ui.heading(heading);
        if !has_selection && active.is_none() {
            ui.weak("Select the speaker's words in the sentence and press s (or click a word), then t for the target, a stance key, Enter.");
        }
        ui.add_space(4.0);

        for role in Role::ALL {
            let (entity, span) = match (&active, role) {
                (Some(c), Role::Speaker) => (c.speaker_entity.clone(), c.speaker_span),
                (Some(c), Role::Target) => (c.target_entity.clone(), c.target_span),
                (Some(c), Role::Cue) => (None, c.cue_span),
                (Some(c), Role::Content) => (None, c.content_span),
                (None, _) => (None, None),
            };
            let key = match role {
                Role::Speaker => "s",
                Role::Target => "t",
                Role::Cue => "c",
                Role::Content => "m",
            };
            egui::Frame::group(ui.style())
                .fill(role_colour(role, dark).gamma_multiply(0.35))
                .show(ui, |ui| {
                    ui.set_width(width - 20.0);
                    ui.horizontal(|ui| {
                        ui.strong(capitalised(role.name()));
                        if let Some(id) = &entity {
                            ui.label("➡");
                            crate::ui::inline(ui, registry.name(id));
                        } else if role.takes_entity() && span.is_some() {
                            ui.colored_label(ui.visuals().warn_fg_color, "➡ no entity yet (e)");
                        }
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if (entity.is_some() || span.is_some())
                                && ui.small_button("✖").on_hover_text(format!("Clear the {}", role.name())).clicked()
                            {
                                actions.push(Action::Model(Intent::ClearRole(role)));
                            }
                            if ui
                                .add_enabled(has_selection, egui::Button::new(format!("⬅ selection ({key})")).small())
                                .on_hover_text(format!("The selected text becomes the {}", role.name()))
                                .clicked()
                            {
                                actions.push(Action::SelectionTo(role));
                            }
                            if role.takes_entity() {
                                if ui.small_button("Entity…").on_hover_text("Choose the entity (e)").clicked() {
                                    actions.push(Action::OpenPicker(role, PickerMode::Link));
                                }
                                if role == Role::Speaker
                                    && ui
                                        .small_button("Implicit…")
                                        .on_hover_text("The speaker is not named in this sentence (i)")
                                        .clicked()
                                {
                                    actions.push(Action::OpenPicker(role, PickerMode::Implicit));
                                }
                            }
                        });
                    });
                    match span {
                        Some(span) => {
                            let text = doc.span_text(span);
                            let outside = doc
                                .sentence()
                                .is_some_and(|s| span.start < s.start || span.end > s.end);
                            crate::ui::text_label(ui, &crate::ui::shorten(&text, 200), 17.0);
                            if outside {
                                ui.weak("(mentioned in an earlier sentence)");
                            }
                        }
                        None if entity.is_some() => {
                            ui.weak("implicit (no span in this sentence)");
                        }
                        None => {}
                    }
                });
        }

        ui.add_space(6.0);
        ui.strong("Stance");
        let current_stance = active.as_ref().and_then(|c| c.stance.clone());
        egui::Grid::new("stances").num_columns(2).show(ui, |ui| {
            for (index, stance) in schema.stances.iter().enumerate() {
                let selected = current_stance.as_deref() == Some(stance.id.as_str());
                let text = format!("{} {} · {}", stance.key, stance.name_en, stance.name_ar);
                let response = crate::ui::bidi_button(
                    ui,
                    &text,
                    if selected { Color32::WHITE } else { colour(stance.colour) },
                    selected.then(|| colour(stance.colour)),
                    ("stance", &stance.id),
                );
                if response.on_hover_text(&stance.description).clicked() {
                    actions.push(Action::Model(Intent::SetStance(stance.id.clone())));
                }
                if index % 2 == 1 {
                    ui.end_row();
                }
            }
        });
        if !schema.claim_types.is_empty() {
            let current_type = active.as_ref().and_then(|c| c.claim_type.clone());
            let label = current_type
                .as_deref()
                .and_then(|id| schema.claim_type(id))
                .map_or("— none —".to_owned(), |t| format!("{} ({})", t.name_en, t.key));
            egui::ComboBox::from_label("Claim type (optional)")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(current_type.is_none(), "— none —").clicked() {
                        actions.push(Action::Model(Intent::SetClaimType(None)));
                    }
                    for t in &schema.claim_types {
                        let selected = current_type.as_deref() == Some(t.id.as_str());
                        if ui
                            .selectable_label(selected, format!("{} ({})", t.name_en, t.key))
                            .on_hover_text(&t.description)
                            .clicked()
                        {
                            actions.push(Action::Model(Intent::SetClaimType(Some(t.id.clone()))));
                        }
                    }
                });
        }
        if let Some(claim) = &active {
            ui.add_space(4.0);
            ui.label("Note");
            let entry = app
                .ui
                .note_draft
                .get_or_insert_with(|| (claim.id.clone(), claim.note.clone()));
            if entry.0 != claim.id {
                *entry = (claim.id.clone(), claim.note.clone());
            }
            let response = ui.add(
                egui::TextEdit::multiline(&mut entry.1)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("Why, doubts, sarcasm… (saved when you leave the field)"),
            );
            if response.lost_focus() && entry.1 != claim.note {
                actions.push(Action::Model(Intent::SetNote(entry.1.clone())));
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(active.is_some(), egui::Button::new(RichText::new("✔ Confirm claim (Enter)").strong()))
                .clicked()
            {
                actions.push(Action::Model(Intent::ConfirmClaim));
            }
            let editing = active.as_ref().is_some_and(|c| c.status == ClaimStatus::Confirmed);
            let discard = if editing { "Stop editing (Esc)" } else { "Discard (Esc)" };
            if ui.add_enabled(active.is_some(), egui::Button::new(discard)).clicked() {
                actions.push(Action::Model(if editing { Intent::StopEditing } else { Intent::DiscardDraft }));
            }
        });
        ui.horizontal(|ui| {
            if ui.button("Accept suggestions (a)").clicked() {
                actions.push(Action::Model(Intent::AcceptSuggestions));
            }
            if ui.add_enabled(has_selection, egui::Button::new("New entity… (n)")).clicked() {
                actions.push(Action::OpenPicker(Role::Speaker, PickerMode::Create));
            }
        });

        ui.separator();
        let claims: Vec<&ClaimRow> = doc
            .claims_in(current)
            .filter(|c| c.status == ClaimStatus::Confirmed)
            .collect();
        let progress = doc.progress.get(current).copied().unwrap_or_default();
        ui.horizontal(|ui| {
            ui.heading(format!("This sentence: {} claim(s)", claims.len()));
        });
        let no_claim_label = if progress.no_claim {
            "☑ No claim here (x)"
        } else {
            "☐ No claim here (x)"
        };
        if ui
            .add_enabled(claims.is_empty(), egui::Button::new(no_claim_label).selected(progress.no_claim))
            .on_hover_text("Done, nothing to annotate here — different from not yet seen")
            .clicked()
        {
            actions.push(Action::Model(Intent::ToggleNoClaim));
        }
        for claim in claims {
            let stance = claim
                .stance
                .as_deref()
                .and_then(|s| schema.stance(s));
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(width - 20.0);
                ui.horizontal(|ui| {
                    let speaker = claim.speaker_entity.as_deref().map_or("?", |id| registry.name(id));
                    let target = claim.target_entity.as_deref().map_or("?", |id| registry.name(id));
                    crate::ui::inline(ui, speaker);
                    ui.label("➡");
                    crate::ui::inline(ui, target);
                    if let Some(stance) = stance {
                        ui.colored_label(colour(stance.colour), &stance.name_en);
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.small_button("🗑").on_hover_text("Delete this claim (undo: Ctrl+Z)").clicked() {
                            actions.push(Action::Model(Intent::DeleteClaim(claim.id.clone())));
                        }
                        if ui.small_button("Edit").clicked() {
                            actions.push(Action::Model(Intent::EditClaim(claim.id.clone())));
                        }
                    });
                });
                if let Some(span) = claim.content_span.or(claim.cue_span) {
                    crate::ui::text_label_colored(
                        ui,
                        &crate::ui::shorten(&doc.span_text(Span::new(span.start, span.end)), 120),
                        14.0,
                        ui.visuals().weak_text_color(),
                        width - 30.0,
                    );
                }
                if !claim.note.is_empty() {
                    crate::ui::text_label_colored(
                        ui,
                        &format!("Note: {}", crate::ui::shorten(&claim.note, 120)),
                        13.0,
                        ui.visuals().weak_text_color(),
                        width - 30.0,
                    );
                }
            });
        }
    });
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
