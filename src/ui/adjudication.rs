//! The adjudication view: one sentence at a time, the annotators' claims side by side and
//! aligned by (speaker, target), differences highlighted field by field, unanimous claims
//! already accepted (and marked so), the gold claim beside them. Keyboard-first: 1–9 take
//! annotator N's version, r rejects, Alt+1–4 sets the gold stance, Enter decides the
//! sentence and moves to the next undecided one.

use egui::{Color32, RichText};

use crate::adjudication::{ClaimField, ClaimGroup, SentenceAlignment};
use crate::app::state::{Action, MainView, ViewState};
use crate::domain::{ClaimRow, GoldClaimRow, Span};
use crate::labels::LabelSchema;
use crate::model::adjudicate::AdjudicationDoc;
use crate::model::adjudicate::AdjudicationIntent;
use crate::model::registry::Registry;
use crate::text::{Highlight, ParagraphView};

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    let direction = state.direction;
    let size = state.settings.sentence_font_size;
    let dark = ui.visuals().dark_mode;
    let Some(workspace) = state.workspace.as_ref() else {
        return;
    };
    let Some(doc) = workspace.adjudication() else {
        ui.centered_and_justified(|ui| {
            ui.label("Choose a document on the left to adjudicate its annotators' claims.");
        });
        return;
    };
    let schema = workspace.schema();
    let registry = workspace.registry();
    let sentence = &doc.sentences[doc.current];
    let alignment = &doc.alignments[doc.current];

    header(ui, doc, direction, actions);
    sentence_panel(ui, doc, size, direction, dark);
    if sentence.boilerplate {
        ui.weak("Boilerplate: not adjudicated.");
        return;
    }
    if alignment.decided_by.is_empty() {
        ui.weak("No annotator decided this sentence yet.");
        return;
    }
    decision_rows(ui, doc, actions);
    ui.separator();

    let width = ui.available_width();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (group_index, group) in alignment.groups.iter().enumerate() {
                let focused = group_index == doc.focus;
                let gold = doc.gold_for(doc.current, group_index);
                let rejected = gold.is_none()
                    && doc.gold_claims.iter().any(|c| {
                        c.deleted
                            && c.sentence_idx == doc.current
                            && c.speaker_entity == group.speaker_entity
                            && c.target_entity == group.target_entity
                    });
                let frame = egui::Frame::group(ui.style()).stroke(if focused {
                    egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
                } else {
                    ui.visuals().widgets.noninteractive.bg_stroke
                });
                let card = GroupCard {
                    doc,
                    alignment,
                    group_index,
                    group,
                    gold,
                    rejected,
                    schema,
                    registry,
                    width,
                };
                let response = frame.show(ui, |ui| card.show(ui, actions)).response;
                if response.interact(egui::Sense::click()).clicked() && !focused {
                    actions.push(Action::Adjudicate(AdjudicationIntent::Focus(group_index)));
                }
                ui.add_space(4.0);
            }
            if alignment.groups.is_empty() {
                ui.label("No claims: decide the sentence as “no claim”.");
            }
            ui.add_space(8.0);
            if ui
                .button(RichText::new("Decide sentence (Enter)").strong())
                .on_hover_text("Record the gold decision and go to the next undecided sentence")
                .clicked()
            {
                actions.push(Action::Adjudicate(AdjudicationIntent::DecideSentence));
            }
        });
}

/// Navigation, progress, and the document's title.
fn header(
    ui: &mut egui::Ui,
    doc: &AdjudicationDoc,
    direction: Option<crate::text::TextDirection>,
    actions: &mut Vec<Action>,
) {
    let (decided, total) = doc.progress();
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("⏶")
            .on_hover_text("Previous sentence (k)")
            .clicked()
        {
            actions.push(Action::Adjudicate(AdjudicationIntent::Previous));
        }
        if ui.button("⏷").on_hover_text("Next sentence (j)").clicked() {
            actions.push(Action::Adjudicate(AdjudicationIntent::Next));
        }
        if ui.button("Next undecided (n)").clicked() {
            actions.push(Action::Adjudicate(AdjudicationIntent::NextUndecided));
        }
        ui.label(format!(
            "Sentence {} of {} · {decided}/{total} annotated sentences decided",
            doc.current + 1,
            doc.sentences.len()
        ));
        if ui.button("Back to annotating").clicked() {
            actions.push(Action::SwitchView(MainView::Annotate));
        }
    });
    ParagraphView::new(&doc.row.title)
        .font_size(17.0)
        .direction(direction)
        .sense(egui::Sense::hover())
        .id_salt("adj-title")
        .show(ui);
    ui.separator();
}

/// The sentence, with the focused group's gold (or first version's) spans.
fn sentence_panel(
    ui: &mut egui::Ui,
    doc: &AdjudicationDoc,
    size: f32,
    direction: Option<crate::text::TextDirection>,
    dark: bool,
) {
    let sentence = &doc.sentences[doc.current];
    let alignment = &doc.alignments[doc.current];
    let relative = |span: Option<Span>| {
        span.filter(|s| s.start >= sentence.start && s.end <= sentence.end)
            .map(|s| s.start - sentence.start..s.end - sentence.start)
    };
    let mut highlights = Vec::new();
    if let Some(group) = alignment.groups.get(doc.focus) {
        let shown: Option<(Option<Span>, Option<Span>, Option<Span>)> = doc
            .gold_for(doc.current, doc.focus)
            .map(|g| (g.speaker_span, g.target_span, g.cue_span))
            .or_else(|| {
                group
                    .versions
                    .values()
                    .next()
                    .map(|c| (c.speaker_span, c.target_span, c.cue_span))
            });
        if let Some((speaker, target, cue)) = shown {
            for (role, span) in [
                (crate::model::Role::Speaker, speaker),
                (crate::model::Role::Target, target),
                (crate::model::Role::Cue, cue),
            ] {
                if let Some(range) = relative(span) {
                    highlights.push(Highlight::fill(
                        range,
                        crate::app::state::role_colour(role, dark),
                    ));
                }
            }
        }
    }
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(10))
        .show(ui, |ui| {
            ParagraphView::new(&sentence.text)
                .font_size(size * 0.9)
                .direction(direction)
                .highlights(&highlights)
                .sense(egui::Sense::hover())
                .id_salt(("adj-sentence", doc.current))
                .show(ui);
        });
}

/// Who decided the sentence, and its gold decision if there is one.
fn decision_rows(ui: &mut egui::Ui, doc: &AdjudicationDoc, actions: &mut Vec<Action>) {
    let alignment = &doc.alignments[doc.current];
    ui.horizontal_wrapped(|ui| {
        ui.label("Decided by:");
        for (index, annotator) in alignment.decided_by.iter().enumerate() {
            let no = alignment.no_claim_by.contains(annotator);
            ui.label(
                RichText::new(format!(
                    "{} {annotator}{}",
                    index + 1,
                    if no { " (no claim)" } else { "" }
                ))
                .strong(),
            );
        }
    });
    match doc.gold_sentences.get(&doc.current) {
        Some(gold) => {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    Color32::from_rgb(0x2a, 0x9d, 0x5c),
                    format!(
                        "✔ Decided: {} ({}, by {})",
                        if gold.status == "no_claim" {
                            "no claim"
                        } else {
                            "claims"
                        },
                        gold.decision,
                        gold.decided_by
                    ),
                );
                if ui.button("Reopen (Backspace)").clicked() {
                    actions.push(Action::Adjudicate(AdjudicationIntent::ReopenSentence));
                }
            });
        }
        None => {
            if alignment.unanimous_no_claim() {
                ui.label("Every annotator marked “no claim”.");
            }
        }
    }
}

/// One (speaker, target) group of the sentence: its versions side by side and its gold.
struct GroupCard<'a> {
    doc: &'a AdjudicationDoc,
    alignment: &'a SentenceAlignment,
    group_index: usize,
    group: &'a ClaimGroup,
    gold: Option<&'a GoldClaimRow>,
    rejected: bool,
    schema: &'a LabelSchema,
    registry: &'a Registry,
    width: f32,
}

impl GroupCard<'_> {
    fn show(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        self.header(ui);
        self.versions(ui, actions);
        self.gold_row(ui, actions);
    }

    /// "speaker ➡ target" elided beside how many annotators have it.
    fn header(&self, ui: &mut egui::Ui) {
        let Self {
            alignment,
            group,
            registry,
            width,
            ..
        } = *self;
        ui.set_width(width - 20.0);
        ui.horizontal(|ui| {
            let speaker = group
                .speaker_entity
                .as_deref()
                .map_or("?", |id| registry.name(id));
            let target = group
                .target_entity
                .as_deref()
                .map_or("?", |id| registry.name(id));
            // The count at the right, the names elided in what is left.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if group.unanimous {
                    ui.colored_label(Color32::from_rgb(0x2a, 0x9d, 0x5c), "unanimous");
                } else {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "{} of {} annotators",
                            group.versions.len(),
                            alignment.decided_by.len()
                        ),
                    );
                }
                let room = ui.available_width();
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    crate::ui::name_pair(ui, speaker, target, room);
                });
            });
        });
    }

    /// Each annotator's version, with the differences framed, and a Take button.
    fn versions(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Self {
            doc,
            alignment,
            group_index,
            group,
            schema,
            width,
            ..
        } = *self;
        egui::Grid::new(("versions", doc.current, group_index))
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                ui.strong("annotator");
                ui.strong("stance");
                ui.strong("speaker");
                ui.strong("target");
                ui.strong("cue / content");
                ui.strong("");
                ui.end_row();
                for (index, annotator) in alignment.decided_by.iter().enumerate() {
                    let Some(claim) = group.versions.get(annotator) else {
                        ui.label(format!("{} {annotator}", index + 1));
                        ui.weak("— no such claim —");
                        ui.end_row();
                        continue;
                    };
                    ui.label(format!("{} {annotator}", index + 1));
                    version_cells(ui, claim, &group.differences, schema, doc, width);
                    if ui
                        .button(format!("Take ({})", index + 1))
                        .on_hover_text("This version becomes the gold claim")
                        .clicked()
                    {
                        actions.push(Action::Adjudicate(AdjudicationIntent::Focus(group_index)));
                        actions.push(Action::Adjudicate(AdjudicationIntent::Adopt {
                            group: group_index,
                            annotator: annotator.clone(),
                        }));
                    }
                    ui.end_row();
                }
            });
    }

    /// The gold claim's stance buttons (or why there is none) and Reject.
    fn gold_row(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Self {
            group_index,
            gold,
            rejected,
            schema,
            ..
        } = *self;
        ui.horizontal_wrapped(|ui| {
            match gold {
                Some(gold) => {
                    ui.strong("Gold:");
                    for stance in &schema.stances {
                        let selected = gold.stance == stance.id;
                        let colour =
                            Color32::from_rgb(stance.colour.r, stance.colour.g, stance.colour.b);
                        let text = RichText::new(format!("Alt+{} {}", stance.key, stance.name_en))
                            .color(if selected { Color32::WHITE } else { colour });
                        let mut button = egui::Button::new(text).selected(selected);
                        if selected {
                            button = button.fill(colour);
                        }
                        if ui.add(button).clicked() {
                            actions
                                .push(Action::Adjudicate(AdjudicationIntent::Focus(group_index)));
                            actions.push(Action::Adjudicate(AdjudicationIntent::SetStance {
                                group: group_index,
                                stance: stance.id.clone(),
                            }));
                        }
                    }
                    ui.weak(format!("({})", gold.decision));
                }
                None if rejected => {
                    ui.colored_label(ui.visuals().weak_text_color(), "Rejected: no gold claim");
                }
                None => {
                    ui.colored_label(ui.visuals().warn_fg_color, "Open: take a version or reject");
                }
            }
            if ui.button("Reject (r)").clicked() {
                actions.push(Action::Adjudicate(AdjudicationIntent::Focus(group_index)));
                actions.push(Action::Adjudicate(AdjudicationIntent::Reject {
                    group: group_index,
                }));
            }
        });
    }
}

fn version_cells(
    ui: &mut egui::Ui,
    claim: &ClaimRow,
    differences: &std::collections::BTreeSet<ClaimField>,
    schema: &crate::labels::LabelSchema,
    doc: &crate::model::adjudicate::AdjudicationDoc,
    width: f32,
) {
    let warn = ui.visuals().warn_fg_color;
    let mark = |ui: &mut egui::Ui, field: ClaimField, add: &mut dyn FnMut(&mut egui::Ui)| {
        if differences.contains(&field) {
            egui::Frame::NONE
                .stroke(egui::Stroke::new(1.0, warn))
                .inner_margin(egui::Margin::same(2))
                .show(ui, |ui| add(ui));
        } else {
            add(ui);
        }
    };
    let text_of = |span: Option<Span>| -> String {
        span.map(|s| doc.row.text.chars().skip(s.start).take(s.len()).collect())
            .unwrap_or_default()
    };
    let cell = (width / 6.0).max(80.0);
    mark(ui, ClaimField::Stance, &mut |ui| {
        let stance = claim.stance.as_deref().and_then(|s| schema.stance(s));
        match stance {
            Some(s) => {
                ui.colored_label(
                    Color32::from_rgb(s.colour.r, s.colour.g, s.colour.b),
                    &s.name_en,
                );
            }
            None => {
                ui.label("?");
            }
        }
    });
    mark(ui, ClaimField::SpeakerSpan, &mut |ui| {
        let text = text_of(claim.speaker_span);
        crate::ui::text_label_colored(
            ui,
            if text.is_empty() { "(implicit)" } else { &text },
            14.0,
            ui.visuals().text_color(),
            cell,
        );
    });
    mark(ui, ClaimField::TargetSpan, &mut |ui| {
        let text = text_of(claim.target_span);
        crate::ui::text_label_colored(
            ui,
            if text.is_empty() { "(implicit)" } else { &text },
            14.0,
            ui.visuals().text_color(),
            cell,
        );
    });
    mark(ui, ClaimField::Cue, &mut |ui| {
        let cue = text_of(claim.cue_span);
        let content = crate::ui::shorten(&text_of(claim.content_span), 60);
        let both = match (cue.is_empty(), content.is_empty()) {
            (true, true) => String::new(),
            (false, true) => cue,
            (true, false) => content,
            (false, false) => format!("{cue} · {content}"),
        };
        crate::ui::text_label_colored(ui, &both, 13.0, ui.visuals().weak_text_color(), cell * 1.5);
    });
}
