//! The claim panel: the claim being built or edited (speaker ➡ target ➡ stance, cue,
//! content, claim type, note) with a mouse button for every key, the sentence's confirmed
//! claims, and the sentence decision ("no claim").
//!
//! Rows with buttons lay the buttons out first, from the right edge; names take what is
//! left, elided with "…" (the whole name on hover), or move to a line of their own when too
//! little is left: a name is never drawn under a button.

use egui::{Color32, RichText};

use crate::app::state::{Action, PickerMode, ViewState, role_colour};
use crate::domain::{ClaimRow, ClaimStatus, Span};
use crate::labels::{Colour, LabelSchema};
use crate::model::registry::Registry;
use crate::model::{Intent, OpenDocument, Role};

/// Below this width left beside a row's buttons, its names go on a line of their own.
const NAME_ROOM_MIN: f32 = 110.0;

fn colour(c: Colour) -> Color32 {
    Color32::from_rgb(c.r, c.g, c.b)
}

/// `note_draft` is the note being written (the form draft this view edits).
pub fn show(
    ui: &mut egui::Ui,
    state: &ViewState<'_>,
    note_draft: &mut Option<(String, String)>,
    actions: &mut Vec<Action>,
) {
    let has_selection = state.selection_span.is_some();
    let Some(workspace) = state.workspace.as_ref() else {
        return;
    };
    let Some(doc) = workspace.document() else {
        return;
    };
    let schema = workspace.schema();
    let registry = workspace.registry();
    let active = workspace.active_claim().cloned();

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
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
                role_box(ui, role, active.as_ref(), doc, registry, has_selection, actions);
            }
            ui.add_space(6.0);
            stance_and_type(ui, schema, active.as_ref(), actions);
            if let Some(claim) = &active {
                note(ui, claim, note_draft, actions);
            }
            // Before a claim is started: what `a` would fill in.
            if active.is_none()
                && let Some(proposal) = workspace.next_proposal()
            {
                ui.add_space(6.0);
                let learning = state.learning;
                proposal_box(ui, proposal, doc, registry, schema, learning, actions);
            }
            ui.add_space(6.0);
            claim_buttons(ui, active.as_ref(), has_selection, actions);
            ui.separator();
            sentence_claims(ui, doc, schema, registry, actions);
        });
}

/// One role of the claim being built: its name, entity and span, and its buttons.
fn role_box(
    ui: &mut egui::Ui,
    role: Role,
    active: Option<&ClaimRow>,
    doc: &OpenDocument,
    registry: &Registry,
    has_selection: bool,
    actions: &mut Vec<Action>,
) {
    let (entity, span) = match (active, role) {
        (Some(c), Role::Speaker) => (c.speaker_entity.clone(), c.speaker_span),
        (Some(c), Role::Target) => (c.target_entity.clone(), c.target_span),
        (Some(c), Role::Cue) => (None, c.cue_span),
        (Some(c), Role::Content) => (None, c.content_span),
        (None, _) => (None, None),
    };
    let dark = ui.visuals().dark_mode;
    egui::Frame::group(ui.style())
        .fill(role_colour(role, dark).gamma_multiply(0.35))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let name = entity.as_deref().map(|id| registry.name(id));
            let missing = entity.is_none() && role.takes_entity() && span.is_some();
            let buttons = role_buttons(role, entity.is_some() || span.is_some(), has_selection);
            let name_height = match name {
                Some(name) => crate::ui::inline_height(ui, name),
                None if missing => ui.spacing().interact_size.y,
                None => 0.0,
            };
            header_row(
                ui,
                &capitalised(role.name()),
                &buttons,
                name_height,
                actions,
                |ui, room| entity_line(ui, name, missing, room),
            );
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

/// A small button of a row: its text, hover text, whether it is enabled, what it does.
struct RowButton {
    text: String,
    hover: String,
    enabled: bool,
    action: Action,
}

impl RowButton {
    fn new(text: impl Into<String>, hover: impl Into<String>, action: Action) -> RowButton {
        RowButton {
            text: text.into(),
            hover: hover.into(),
            enabled: true,
            action,
        }
    }

    fn show(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let button = egui::Button::new(self.text.as_str()).small();
        if ui
            .add_enabled(self.enabled, button)
            .on_hover_text(&self.hover)
            .clicked()
        {
            actions.push(self.action.clone());
        }
    }

    /// The width the button takes.
    fn width(&self, ui: &egui::Ui) -> f32 {
        let font = egui::TextStyle::Button.resolve(ui.style());
        let text = ui
            .painter()
            .layout_no_wrap(self.text.clone(), font, Color32::WHITE)
            .size()
            .x;
        text + 2.0 * ui.spacing().button_padding.x
    }
}

/// How a row of a label, a name and buttons fits a width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFit {
    /// Label, name and buttons on one line.
    OneLine,
    /// Label and buttons, the name on the next line.
    NameBelow,
    /// Label and name, the buttons (wrapped) on the next line.
    ButtonsBelow,
}

/// The layout of a row `width` wide with a label and buttons this wide.
pub fn row_fit(width: f32, label: f32, buttons: f32, spacing: f32) -> RowFit {
    let used = label + spacing + buttons;
    if used + spacing + NAME_ROOM_MIN <= width {
        RowFit::OneLine
    } else if used <= width {
        RowFit::NameBelow
    } else {
        RowFit::ButtonsBelow
    }
}

/// A row with `label` at the left, `buttons` at the right (the first one rightmost) and, in
/// what is left, what `name` draws in the width it is given (`name_height`: how tall that is,
/// 0 when it draws nothing); the name or the buttons move to the next line when they do not
/// fit beside the others. Each line is allocated whole and its parts get their own
/// rectangles, so nothing is drawn over anything else.
fn header_row(
    ui: &mut egui::Ui,
    label: &str,
    buttons: &[RowButton],
    name_height: f32,
    actions: &mut Vec<Action>,
    mut name: impl FnMut(&mut egui::Ui, f32),
) {
    let spacing = ui.spacing().item_spacing.x;
    let label_text = RichText::new(label).strong();
    let label_width = ui
        .painter()
        .layout_no_wrap(
            label.to_owned(),
            egui::TextStyle::Body.resolve(ui.style()),
            Color32::WHITE,
        )
        .size()
        .x;
    let buttons_width: f32 = buttons.iter().map(|b| b.width(ui) + spacing).sum();
    let fit = match row_fit(ui.available_width(), label_width, buttons_width, spacing) {
        RowFit::NameBelow if name_height <= 0.0 => RowFit::OneLine,
        fit => fit,
    };
    let line = ui.spacing().interact_size.y;
    let ltr = egui::Layout::left_to_right(egui::Align::Center);
    match fit {
        RowFit::OneLine => {
            let row = allocate_row(ui, line.max(name_height));
            let left = buttons_at_right(ui, row, buttons, actions) - spacing;
            let mut rest = child(ui, row.with_max_x(left), ltr);
            rest.label(label_text);
            let room = rest.available_width();
            name(&mut rest, room);
        }
        RowFit::NameBelow => {
            let row = allocate_row(ui, line);
            let left = buttons_at_right(ui, row, buttons, actions) - spacing;
            child(ui, row.with_max_x(left), ltr).label(label_text);
            let row = allocate_row(ui, name_height);
            name(&mut child(ui, row, ltr), row.width());
        }
        RowFit::ButtonsBelow => {
            let row = allocate_row(ui, line.max(name_height));
            let mut first = child(ui, row, ltr);
            first.label(label_text);
            let room = first.available_width();
            name(&mut first, room);
            if buttons_width <= ui.available_width() {
                let row = allocate_row(ui, line);
                buttons_at_right(ui, row, buttons, actions);
            } else {
                ui.horizontal_wrapped(|ui| {
                    for button in buttons.iter().rev() {
                        button.show(ui, actions);
                    }
                });
            }
        }
    }
}

/// Takes a line of the full width, `height` tall.
fn allocate_row(ui: &mut egui::Ui, height: f32) -> egui::Rect {
    ui.allocate_space(egui::vec2(ui.available_width(), height))
        .1
}

fn child(ui: &mut egui::Ui, rect: egui::Rect, layout: egui::Layout) -> egui::Ui {
    ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(layout))
}

/// Draws `buttons` from the right edge of `row`; returns the left edge of the leftmost.
fn buttons_at_right(
    ui: &mut egui::Ui,
    row: egui::Rect,
    buttons: &[RowButton],
    actions: &mut Vec<Action>,
) -> f32 {
    let mut right = child(ui, row, egui::Layout::right_to_left(egui::Align::Center));
    for button in buttons {
        button.show(&mut right, actions);
    }
    if buttons.is_empty() {
        row.right()
    } else {
        right.min_rect().left()
    }
}

/// "➡ entity" (elided to `room`), or the warning that the span has no entity yet.
fn entity_line(ui: &mut egui::Ui, name: Option<&str>, missing_entity: bool, room: f32) {
    if let Some(name) = name {
        let arrow = ui.label("➡").rect.width() + ui.spacing().item_spacing.x;
        crate::ui::inline_elided(ui, name, room - arrow);
    } else if missing_entity {
        ui.add(
            egui::Label::new(
                RichText::new("➡ no entity yet (e)").color(ui.visuals().warn_fg_color),
            )
            .truncate(),
        );
    }
}

/// The buttons of a role's row, the rightmost first.
fn role_buttons(role: Role, filled: bool, has_selection: bool) -> Vec<RowButton> {
    let key = match role {
        Role::Speaker => "s",
        Role::Target => "t",
        Role::Cue => "c",
        Role::Content => "m",
    };
    let mut buttons = Vec::new();
    if filled {
        buttons.push(RowButton::new(
            "✖",
            format!("Clear the {}", role.name()),
            Action::Model(Intent::ClearRole(role)),
        ));
    }
    buttons.push(RowButton {
        enabled: has_selection,
        ..RowButton::new(
            format!("⬅ selection ({key})"),
            format!("The selected text becomes the {}", role.name()),
            Action::SelectionTo(role),
        )
    });
    if role.takes_entity() {
        buttons.push(RowButton::new(
            "Entity…",
            "Choose the entity (e)",
            Action::OpenPicker(role, PickerMode::Link),
        ));
    }
    if role == Role::Speaker {
        buttons.push(RowButton::new(
            "Implicit…",
            "The speaker is not named in this sentence (i)",
            Action::OpenPicker(role, PickerMode::Implicit),
        ));
    }
    buttons
}

fn stance_and_type(
    ui: &mut egui::Ui,
    schema: &LabelSchema,
    active: Option<&ClaimRow>,
    actions: &mut Vec<Action>,
) {
    ui.strong("Stance");
    let current_stance = active.and_then(|c| c.stance.clone());
    egui::Grid::new("stances").num_columns(2).show(ui, |ui| {
        for (index, stance) in schema.stances.iter().enumerate() {
            let selected = current_stance.as_deref() == Some(stance.id.as_str());
            let text = format!("{} {} · {}", stance.key, stance.name_en, stance.name_ar);
            let response = crate::ui::bidi_button(
                ui,
                &text,
                if selected {
                    Color32::WHITE
                } else {
                    colour(stance.colour)
                },
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
    if schema.claim_types.is_empty() {
        return;
    }
    let current_type = active.and_then(|c| c.claim_type.clone());
    let label = current_type
        .as_deref()
        .and_then(|id| schema.claim_type(id))
        .map_or("— none —".to_owned(), |t| {
            format!("{} ({})", t.name_en, t.key)
        });
    egui::ComboBox::from_label("Claim type (optional)")
        .selected_text(label)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current_type.is_none(), "— none —")
                .clicked()
            {
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

/// The note of the claim being built, saved when the field loses the keyboard.
fn note(
    ui: &mut egui::Ui,
    claim: &ClaimRow,
    draft: &mut Option<(String, String)>,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    ui.label("Note");
    let entry = draft.get_or_insert_with(|| (claim.id.clone(), claim.note.clone()));
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

fn claim_buttons(
    ui: &mut egui::Ui,
    active: Option<&ClaimRow>,
    has_selection: bool,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                active.is_some(),
                egui::Button::new(RichText::new("✔ Confirm claim (Enter)").strong()),
            )
            .clicked()
        {
            actions.push(Action::Model(Intent::ConfirmClaim));
        }
        let editing = active.is_some_and(|c| c.status == ClaimStatus::Confirmed);
        let discard = if editing {
            "Stop editing (Esc)"
        } else {
            "Discard (Esc)"
        };
        if ui
            .add_enabled(active.is_some(), egui::Button::new(discard))
            .clicked()
        {
            actions.push(Action::Model(if editing {
                Intent::StopEditing
            } else {
                Intent::DiscardDraft
            }));
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(has_selection, egui::Button::new("New entity… (n)"))
            .clicked()
        {
            actions.push(Action::OpenPicker(Role::Speaker, PickerMode::Create));
        }
    });
}

/// The claim proposed for the current sentence, part by part, and the key that accepts it.
fn proposal_box(
    ui: &mut egui::Ui,
    proposal: &crate::propose::Proposal,
    doc: &OpenDocument,
    registry: &Registry,
    schema: &LabelSchema,
    learning: Option<&str>,
    actions: &mut Vec<Action>,
) {
    let Some(sentence) = doc.sentence() else {
        return;
    };
    let part = |range: &std::ops::Range<usize>| crate::propose::part_text(&sentence.text, range);
    let entity = |e: &crate::propose::EntityProposal| match &e.known {
        Some(id) => registry.name(id).to_owned(),
        None => format!("{} (new)", e.name),
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.strong("Proposed claim");
            if ui.button("Accept (a)").clicked() {
                actions.push(Action::Model(Intent::AcceptSuggestions));
            }
        });
        let mut line = |label: &str, value: String| {
            ui.horizontal_wrapped(|ui| {
                ui.weak(label);
                crate::ui::text_label(ui, &crate::ui::shorten(&value, 160), 15.0);
            });
        };
        if let Some(speaker) = &proposal.speaker {
            let named = entity(&speaker.entity);
            let said = match &speaker.phrase {
                Some(phrase) if !named.starts_with(&part(phrase)) => {
                    format!("{named} — {}", part(phrase))
                }
                Some(_) => named,
                None => format!("{named} (implicit, named earlier)"),
            };
            line("Speaker:", said);
        }
        line("Cue:", part(&proposal.cue));
        if let Some(target) = &proposal.target {
            line("Target:", entity(target));
        }
        if let Some(content) = &proposal.content {
            line("Content:", part(content));
        }
        match &proposal.stance {
            Some(predicted) => {
                let name = schema
                    .stances
                    .iter()
                    .find(|s| s.id == predicted.stance)
                    .map_or(predicted.stance.as_str(), |s| s.name_en.as_str());
                line(
                    "Stance:",
                    format!(
                        "{name} ({:.0} %, learnt from {} claims): a, then Enter keeps it",
                        predicted.confidence * 100.0,
                        predicted.trained_on
                    ),
                );
            }
            None => {
                if let Some(learning) = learning {
                    ui.weak(format!("Stance: your key ({learning})"));
                }
            }
        }
    });
}

/// The current sentence's confirmed claims and its "no claim" decision.
fn sentence_claims(
    ui: &mut egui::Ui,
    doc: &OpenDocument,
    schema: &LabelSchema,
    registry: &Registry,
    actions: &mut Vec<Action>,
) {
    let current = doc.current;
    let claims: Vec<&ClaimRow> = doc
        .claims_in(current)
        .filter(|c| c.status == ClaimStatus::Confirmed)
        .collect();
    let progress = doc.progress.get(current).copied().unwrap_or_default();
    ui.heading(format!("This sentence: {} claim(s)", claims.len()));
    let no_claim_label = if progress.no_claim {
        "☑ No claim here (x)"
    } else {
        "☐ No claim here (x)"
    };
    if ui
        .add_enabled(
            claims.is_empty(),
            egui::Button::new(no_claim_label).selected(progress.no_claim),
        )
        .on_hover_text("Done, nothing to annotate here — different from not yet seen")
        .clicked()
    {
        actions.push(Action::Model(Intent::ToggleNoClaim));
    }
    for claim in claims {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            confirmed_claim_row(ui, claim, schema, registry, actions);
            let width = ui.available_width();
            if let Some(span) = claim.content_span.or(claim.cue_span) {
                crate::ui::text_label_colored(
                    ui,
                    &crate::ui::shorten(&doc.span_text(Span::new(span.start, span.end)), 120),
                    14.0,
                    ui.visuals().weak_text_color(),
                    width,
                );
            }
            if !claim.note.is_empty() {
                crate::ui::text_label_colored(
                    ui,
                    &format!("Note: {}", crate::ui::shorten(&claim.note, 120)),
                    13.0,
                    ui.visuals().weak_text_color(),
                    width,
                );
            }
        });
    }
}

/// "speaker ➡ target stance" with the Edit and delete buttons at the right; the names on a
/// line of their own when they do not fit beside the buttons.
fn confirmed_claim_row(
    ui: &mut egui::Ui,
    claim: &ClaimRow,
    schema: &LabelSchema,
    registry: &Registry,
    actions: &mut Vec<Action>,
) {
    let speaker = claim
        .speaker_entity
        .as_deref()
        .map_or("?", |id| registry.name(id));
    let target = claim
        .target_entity
        .as_deref()
        .map_or("?", |id| registry.name(id));
    let stance = claim.stance.as_deref().and_then(|s| schema.stance(s));
    let names_width = crate::ui::inline_width(ui, speaker) + crate::ui::inline_width(ui, target);
    let mut placed = false;
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("🗑")
                .on_hover_text("Delete this claim (undo: Ctrl+Z)")
                .clicked()
            {
                actions.push(Action::Model(Intent::DeleteClaim(claim.id.clone())));
            }
            if ui.small_button("Edit").clicked() {
                actions.push(Action::Model(Intent::EditClaim(claim.id.clone())));
            }
            if let Some(stance) = stance {
                ui.colored_label(colour(stance.colour), &stance.name_en);
            }
            let room = ui.available_width();
            // The names stay beside the buttons when they fit, or when there is room enough
            // to show a fair part of each.
            if names_width + 40.0 <= room || room >= 2.0 * NAME_ROOM_MIN {
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    crate::ui::name_pair(ui, speaker, target, room);
                });
                placed = true;
            }
        });
    });
    if !placed {
        ui.horizontal(|ui| {
            let room = ui.available_width();
            crate::ui::name_pair(ui, speaker, target, room);
        });
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_puts_the_name_then_the_buttons_on_the_next_line_when_they_do_not_fit() {
        // Label 60, buttons 200, spacing 8: a name needs NAME_ROOM_MIN beside them.
        let one_line = 60.0 + 8.0 + 200.0 + 8.0 + NAME_ROOM_MIN;
        assert_eq!(row_fit(one_line, 60.0, 200.0, 8.0), RowFit::OneLine);
        assert_eq!(row_fit(one_line - 1.0, 60.0, 200.0, 8.0), RowFit::NameBelow);
        assert_eq!(row_fit(268.0, 60.0, 200.0, 8.0), RowFit::NameBelow);
        assert_eq!(row_fit(267.0, 60.0, 200.0, 8.0), RowFit::ButtonsBelow);
    }
}
