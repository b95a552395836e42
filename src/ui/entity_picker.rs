//! The entity picker: type-ahead search of the registry (canonical names and aliases), the
//! entities mentioned earlier in the article for implicit speakers, a new entity from the
//! selected span in one step, and "add this span as an alias".
//! Keys: type to search, ↑/↓ to move, Enter to choose, Ctrl+Enter to create a new entity
//! from the mention, Alt+A to add the mention as an alias of the highlighted entity, Esc.

use crate::app::state::{Action, EntityPicker, PickerMode, ViewState};
use crate::domain::EntityWithAliases;
use crate::model::{Intent, Role, Workspace};
use crate::starter_entities::EntityKind;

/// `picker` is the open picker's form (the draft this view edits).
pub fn show(
    ctx: &egui::Context,
    state: &ViewState<'_>,
    picker: &mut EntityPicker,
    actions: &mut Vec<Action>,
) {
    let Some(workspace) = state.workspace.as_ref() else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("entity-picker")).show(ctx, |ui| {
        ui.set_width(460.0);
        let role_name = picker.role.name();
        let title = match picker.mode {
            PickerMode::Link => format!("Which entity is the {role_name}?"),
            PickerMode::Implicit => format!("Implicit {role_name}: who is it?"),
            PickerMode::Create => "New entity".to_owned(),
        };
        ui.heading(title);
        if let Some(mention) = &picker.mention {
            ui.horizontal(|ui| {
                ui.label("Mention:");
                crate::ui::inline(ui, mention);
            });
        }
        ui.separator();
        if picker.mode == PickerMode::Create {
            create_form(ui, picker, actions);
        } else {
            search(ui, picker, workspace, actions);
        }
    });
    if modal.should_close() {
        actions.push(Action::ClosePicker);
    }
}

/// A new entity: its canonical name (the mention to start with) and its type.
fn create_form(ui: &mut egui::Ui, picker: &mut EntityPicker, actions: &mut Vec<Action>) {
    ui.label("Canonical name (one name for all the ways the texts refer to it):");
    let name =
        ui.add(egui::TextEdit::singleline(&mut picker.new_name).desired_width(f32::INFINITY));
    if !picker.focus_requested {
        name.request_focus();
        picker.focus_requested = true;
    }
    egui::ComboBox::from_label("Type")
        .selected_text(&picker.new_kind)
        .show_ui(ui, |ui| {
            for kind in EntityKind::ALL {
                ui.selectable_value(&mut picker.new_kind, kind.id().to_owned(), kind.id());
            }
        });
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.horizontal(|ui| {
        if ui.button("Create (Enter)").clicked() || enter {
            actions.push(Action::Model(Intent::CreateEntity {
                name: picker.new_name.clone(),
                kind: picker.new_kind.clone(),
                alias: picker.mention.clone(),
                assign_to: picker.role.takes_entity().then_some(picker.role),
            }));
            actions.push(Action::ClosePicker);
        }
        if ui.button("Cancel (Esc)").clicked() {
            actions.push(Action::ClosePicker);
        }
    });
}

/// The search field, the matching entities (↑/↓, Enter, click) and the mention's buttons.
fn search(
    ui: &mut egui::Ui,
    picker: &mut EntityPicker,
    workspace: &Workspace,
    actions: &mut Vec<Action>,
) {
    let search = ui.add(
        egui::TextEdit::singleline(&mut picker.query)
            .hint_text("Type a name or alias…")
            .desired_width(f32::INFINITY),
    );
    if !picker.focus_requested {
        search.request_focus();
        picker.focus_requested = true;
    }
    if search.changed() {
        picker.highlighted = 0;
    }
    let (candidates, earlier) = candidates(picker, workspace);
    if earlier {
        ui.weak("Mentioned earlier in this article (most recent first):");
    }
    let (down, up, enter, ctrl_enter, alt_a) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::Enter) && !i.modifiers.ctrl,
            i.key_pressed(egui::Key::Enter) && i.modifiers.ctrl,
            i.key_pressed(egui::Key::A) && i.modifiers.alt,
        )
    });
    if down {
        picker.highlighted = (picker.highlighted + 1).min(candidates.len().saturating_sub(1));
    }
    if up {
        picker.highlighted = picker.highlighted.saturating_sub(1);
    }
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            if candidates.is_empty() {
                ui.weak("No entity matches. Create one from the mention (Ctrl+Enter).");
            }
            for (index, entity) in candidates.iter().enumerate() {
                if candidate_row(ui, entity, index == picker.highlighted).clicked() {
                    choose(entity, actions, picker.role, picker.mode);
                }
            }
        });
    if enter && let Some(entity) = candidates.get(picker.highlighted) {
        choose(entity, actions, picker.role, picker.mode);
    }
    ui.separator();
    mention_buttons(ui, picker, &candidates, ctrl_enter, alt_a, actions);
}

/// The entities to offer: for an implicit speaker with nothing typed, those mentioned
/// earlier in the article first (and true when there are such), then the search results.
fn candidates<'a>(
    picker: &EntityPicker,
    workspace: &'a Workspace,
) -> (Vec<&'a EntityWithAliases>, bool) {
    let registry = workspace.registry();
    let mut candidates: Vec<&EntityWithAliases> = Vec::new();
    if picker.mode == PickerMode::Implicit
        && picker.query.trim().is_empty()
        && let Some(doc) = workspace.document()
    {
        for sentence in doc.sentences[..doc.current].iter().rev() {
            for mention in registry.mentions(&sentence.text) {
                if let crate::suggest::SuggestionKind::Entity { entity } = mention.kind
                    && let Some(found) = registry.get(&entity)
                    && !candidates.iter().any(|c| c.entity.id == found.entity.id)
                {
                    candidates.push(found);
                }
            }
        }
    }
    let earlier = !candidates.is_empty();
    for found in registry.search(&picker.query, 12) {
        if !candidates.iter().any(|c| c.entity.id == found.entity.id) {
            candidates.push(found);
        }
    }
    (candidates, earlier)
}

/// An entity of the list: its name elided beside its type, its aliases below.
fn candidate_row(
    ui: &mut egui::Ui,
    entity: &EntityWithAliases,
    highlighted: bool,
) -> egui::Response {
    let frame = egui::Frame::NONE
        .fill(if highlighted {
            ui.visuals().selection.bg_fill.gamma_multiply(0.6)
        } else {
            egui::Color32::TRANSPARENT
        })
        .inner_margin(egui::Margin::symmetric(6, 3));
    frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak(format!("({})", entity.entity.kind));
                    let room = ui.available_width();
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        crate::ui::inline_elided(ui, &entity.entity.canonical_name, room);
                    });
                });
            });
            if !entity.aliases.is_empty() {
                crate::ui::text_label_colored(
                    ui,
                    &crate::ui::shorten(&entity.aliases.join("، "), 90),
                    13.0,
                    ui.visuals().weak_text_color(),
                    420.0,
                );
            }
        })
        .response
        .interact(egui::Sense::click())
}

fn choose(entity: &EntityWithAliases, actions: &mut Vec<Action>, role: Role, mode: PickerMode) {
    let intent = match mode {
        PickerMode::Implicit => Intent::SetImplicitEntity {
            role,
            entity_id: entity.entity.id.clone(),
        },
        _ => Intent::SetEntity {
            role,
            entity_id: entity.entity.id.clone(),
        },
    };
    actions.push(Action::Model(intent));
    actions.push(Action::ClosePicker);
}

/// A new entity from the mention, the mention as an alias of the highlighted entity, Cancel.
fn mention_buttons(
    ui: &mut egui::Ui,
    picker: &mut EntityPicker,
    candidates: &[&EntityWithAliases],
    ctrl_enter: bool,
    alt_a: bool,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        let mention = picker.mention.clone();
        if ui
            .add_enabled(
                mention.is_some(),
                egui::Button::new("New entity from the mention (Ctrl+Enter)"),
            )
            .clicked()
            || (ctrl_enter && mention.is_some())
        {
            picker.mode = PickerMode::Create;
            picker.focus_requested = false;
        }
        let target = candidates.get(picker.highlighted);
        let add_alias = ui
            .add_enabled(
                mention.is_some() && target.is_some(),
                egui::Button::new("Add the mention as alias (Alt+A)"),
            )
            .on_hover_text(
                "The highlighted entity gets the selected words as an alias, and is chosen",
            )
            .clicked()
            || alt_a;
        if add_alias && let (Some(alias), Some(entity)) = (mention, target) {
            actions.push(Action::Model(Intent::AddAlias {
                entity_id: entity.entity.id.clone(),
                alias,
            }));
            choose(entity, actions, picker.role, picker.mode);
        }
        if ui.button("Cancel (Esc)").clicked() {
            actions.push(Action::ClosePicker);
        }
    });
}
