//! The reading view: the current sentence large and right-aligned, a few sentences of
//! context before and after (dimmed, smaller, selectable — an implicit speaker can be
//! pointed at in an earlier sentence), suggestions and the claim being built highlighted.
//! Drag to select (snaps to whole words), click a word to select it, double-click a word.

use std::ops::Range;

use egui::{Color32, Stroke};

use crate::app::state::{
    Action, Selection, SentenceGeometry, ViewState, effective_range, role_colour,
};
use crate::domain::{ClaimRow, ClaimStatus, SentenceRow, Span};
use crate::model::{Intent, OpenDocument, Role};
use crate::suggest::{Suggestion, SuggestionKind};
use crate::text::{Highlight, ParagraphResponse, ParagraphView, TextDirection};

/// Colour of cue suggestions and of entity suggestions.
const CUE_SUGGESTION: Color32 = Color32::from_rgb(0x2a, 0x9d, 0x5c);
const ENTITY_SUGGESTION: Color32 = Color32::from_rgb(0x4c, 0x9a, 0xe0);

/// Draws the open document; `suggestions` are the current sentence's (the app computes them).
/// Returns where the current sentence was drawn.
pub fn show(
    ui: &mut egui::Ui,
    state: &ViewState<'_>,
    suggestions: &[Suggestion],
    actions: &mut Vec<Action>,
) -> Option<SentenceGeometry> {
    let direction = state.direction;
    let show_suggestions = state.settings.show_suggestions;
    let context = state.settings.context_sentences;
    let size = state.settings.sentence_font_size;
    let dark = ui.visuals().dark_mode;
    let workspace = state.workspace?;
    let Some(doc) = workspace.document() else {
        ui.centered_and_justified(|ui| ui.label("Choose a document on the left."));
        return None;
    };
    let show_boilerplate = workspace.show_boilerplate();
    let current = doc.current;
    header(ui, doc, direction, actions);
    let visible = visible_sentences(doc, context, show_boilerplate);
    let active = workspace.active_claim().cloned();
    let selection = state.ui.selection;
    let mut geometry = None;
    let scroll_to_current = state.ui.scroll_to_current;

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width() - 16.0;
            for &index in &visible {
                let sentence = &doc.sentences[index];
                let is_current = index == current;
                let highlights = highlights(doc, index, active.as_ref(), suggestions, dark);
                let block = Block {
                    doc,
                    index,
                    highlights: &highlights,
                    selection,
                    size: if is_current { size } else { size * 0.68 },
                    direction,
                    width,
                };
                let inner = block.show(ui, actions);
                if is_current {
                    if scroll_to_current {
                        inner.response.scroll_to_me(Some(egui::Align::Center));
                    }
                    geometry = Some(SentenceGeometry {
                        sentence: index,
                        paragraph: inner.inner,
                    });
                    if sentence.boilerplate {
                        boilerplate_note(ui, sentence, index, actions);
                    }
                }
                ui.add_space(2.0);
            }
            if show_suggestions && !suggestions.is_empty() {
                legend(ui);
            }
        });
    geometry
}

/// The navigation buttons, the position, the document's title.
fn header(
    ui: &mut egui::Ui,
    doc: &OpenDocument,
    direction: Option<TextDirection>,
    actions: &mut Vec<Action>,
) {
    let (done, total) = doc.done_counts();
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("⏶")
            .on_hover_text("Previous sentence (k, Up)")
            .clicked()
        {
            actions.push(Action::Model(Intent::PreviousSentence));
        }
        if ui
            .button("⏷")
            .on_hover_text("Next sentence (j, Down)")
            .clicked()
        {
            actions.push(Action::Model(Intent::NextSentence));
        }
        ui.label(format!(
            "Sentence {} of {} · {done}/{total} decided",
            doc.current + 1,
            doc.sentences.len()
        ));
    });
    let header_width = ui.available_width();
    ParagraphView::new(&doc.row.title)
        .font_size(18.0)
        .color(ui.visuals().strong_text_color())
        .max_width(header_width)
        .direction(direction)
        .sense(egui::Sense::hover())
        .id_salt("doc-title")
        .show(ui);
    ui.separator();
}

/// The current sentence with `context` shown sentences before and after it.
fn visible_sentences(doc: &OpenDocument, context: usize, show_boilerplate: bool) -> Vec<usize> {
    let current = doc.current;
    let shown = |i: usize| show_boilerplate || !doc.sentences[i].boilerplate || i == current;
    let before: Vec<usize> = (0..current)
        .rev()
        .filter(|&i| shown(i))
        .take(context)
        .collect();
    let after: Vec<usize> = (current + 1..doc.sentences.len())
        .filter(|&i| shown(i))
        .take(context)
        .collect();
    before
        .into_iter()
        .rev()
        .chain(std::iter::once(current))
        .chain(after)
        .collect()
}

/// What sentence `index` shows highlighted: on the current one the suggestions and the
/// confirmed claims' speakers and targets; everywhere the claim being built.
fn highlights(
    doc: &OpenDocument,
    index: usize,
    active: Option<&ClaimRow>,
    suggestions: &[Suggestion],
    dark: bool,
) -> Vec<Highlight> {
    let sentence = &doc.sentences[index];
    let relative = |span: Span| -> Option<Range<usize>> {
        (span.start >= sentence.start && span.end <= sentence.end)
            .then(|| span.start - sentence.start..span.end - sentence.start)
    };
    let mut highlights: Vec<Highlight> = Vec::new();
    if index == doc.current {
        for suggestion in suggestions {
            let Some(range) = relative(Span::new(suggestion.start, suggestion.end)) else {
                continue;
            };
            let (colour, width) = match suggestion.kind {
                SuggestionKind::Cue { .. } => (CUE_SUGGESTION, 2.0),
                SuggestionKind::Entity { .. } => (ENTITY_SUGGESTION, 2.0),
                // The proposed claim: its speaker phrase and content, thin, in their roles'
                // colours (the legend says what `a` accepts).
                SuggestionKind::Speaker => (role_colour(Role::Speaker, dark), 1.0),
                SuggestionKind::Content => (role_colour(Role::Content, dark), 1.0),
            };
            highlights.push(Highlight::underline(
                range,
                Stroke::new(width, colour.gamma_multiply(0.8)),
            ));
        }
        for claim in doc
            .claims_in(index)
            .filter(|c| c.status == ClaimStatus::Confirmed)
        {
            if active.is_some_and(|a| a.id == claim.id) {
                continue;
            }
            for (role, span) in [
                (Role::Speaker, claim.speaker_span),
                (Role::Target, claim.target_span),
            ] {
                if let Some(range) = span.and_then(relative) {
                    highlights.push(Highlight::fill(
                        range,
                        role_colour(role, dark).gamma_multiply(0.35),
                    ));
                }
            }
        }
    }
    if let Some(claim) = active {
        for (role, span) in [
            (Role::Content, claim.content_span),
            (Role::Cue, claim.cue_span),
            (Role::Speaker, claim.speaker_span),
            (Role::Target, claim.target_span),
        ] {
            if let Some(range) = span.and_then(relative) {
                highlights.push(Highlight::fill(range, role_colour(role, dark)));
            }
        }
    }
    highlights
}

/// One shown sentence: its badge and progress, then its text, selectable.
struct Block<'a> {
    doc: &'a OpenDocument,
    index: usize,
    highlights: &'a [Highlight],
    selection: Option<Selection>,
    size: f32,
    direction: Option<TextDirection>,
    width: f32,
}

impl Block<'_> {
    /// Draws the sentence; a press, a drag or a double-click on it pushes the selection.
    fn show(
        &self,
        ui: &mut egui::Ui,
        actions: &mut Vec<Action>,
    ) -> egui::InnerResponse<ParagraphResponse> {
        let (doc, index) = (self.doc, self.index);
        let sentence = &doc.sentences[index];
        let is_current = index == doc.current;
        let frame = if is_current {
            egui::Frame::group(ui.style())
                .fill(ui.visuals().faint_bg_color)
                .inner_margin(egui::Margin::same(10))
        } else {
            egui::Frame::NONE.inner_margin(egui::Margin::symmetric(10, 4))
        };
        frame.show(ui, |ui| {
            self.badge_row(ui, actions);
            let color = if is_current {
                ui.visuals().strong_text_color()
            } else {
                ui.visuals().weak_text_color()
            };
            let selected = self
                .selection
                .filter(|s| s.sentence == index)
                .map(|s| effective_range(&sentence.text, s));
            let paragraph = ParagraphView::new(&sentence.text)
                .font_size(self.size)
                .color(if sentence.boilerplate && !is_current {
                    color.gamma_multiply(0.6)
                } else {
                    color
                })
                .direction(self.direction)
                .max_width(self.width - 20.0)
                .highlights(self.highlights)
                .selection(selected)
                .id_salt(("sentence", index))
                .show(ui);
            if let Some(caret) = paragraph.press_caret {
                actions.push(Action::SetSelection(Some(Selection {
                    sentence: index,
                    anchor: caret,
                    head: caret,
                    snap: true,
                })));
            } else if let Some(caret) = paragraph.drag_caret
                && let Some(current_selection) = self.selection.filter(|s| s.sentence == index)
                && current_selection.head != caret
            {
                actions.push(Action::SetSelection(Some(Selection {
                    head: caret,
                    ..current_selection
                })));
            }
            if let Some(word) = paragraph.double_clicked_word.clone() {
                actions.push(Action::SetSelection(Some(Selection {
                    sentence: index,
                    anchor: word.start,
                    head: word.end,
                    snap: true,
                })));
            }
            paragraph
        })
    }

    /// The sentence's number (a button to go there) and its progress.
    fn badge_row(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (doc, index) = (self.doc, self.index);
        let sentence = &doc.sentences[index];
        let is_current = index == doc.current;
        ui.horizontal(|ui| {
            let label = if sentence.boilerplate {
                format!("{} · boilerplate", index + 1)
            } else {
                format!("{}", index + 1)
            };
            let badge = ui
                .add(egui::Button::new(egui::RichText::new(label).small()).frame(!is_current))
                .on_hover_text(match &sentence.boilerplate_reason {
                    Some(reason) if sentence.boilerplate => {
                        format!("Boilerplate ({reason}) — go to this sentence")
                    }
                    _ => "Go to this sentence".to_owned(),
                });
            if badge.clicked() && !is_current {
                actions.push(Action::Model(Intent::GoToSentence(index)));
            }
            let progress = doc.progress.get(index).copied().unwrap_or_default();
            if progress.no_claim {
                ui.small("no claim").on_hover_text("Marked “no claim”");
            } else if progress.confirmed_claims > 0 {
                ui.small(format!("✔ {}", progress.confirmed_claims))
                    .on_hover_text("Claims confirmed in this sentence");
            }
        });
    }
}

fn boilerplate_note(
    ui: &mut egui::Ui,
    sentence: &SentenceRow,
    index: usize,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Boilerplate ({}) — hidden from annotation and agreement",
                sentence.boilerplate_reason.as_deref().unwrap_or("manual")
            ),
        );
        if ui.button("Not boilerplate (u)").clicked() {
            actions.push(Action::Model(Intent::SetBoilerplate {
                sentence: index,
                boilerplate: false,
            }));
        }
    });
}

fn legend(ui: &mut egui::Ui) {
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new("suggested cue")
                .color(CUE_SUGGESTION)
                .underline(),
        );
        ui.label(
            egui::RichText::new("known entity")
                .color(ENTITY_SUGGESTION)
                .underline(),
        );
        ui.label(
            egui::RichText::new("proposed speaker")
                .color(role_colour(Role::Speaker, ui.visuals().dark_mode))
                .underline(),
        );
        ui.label(
            egui::RichText::new("proposed content")
                .color(role_colour(Role::Content, ui.visuals().dark_mode))
                .underline(),
        );
        ui.weak("a: accept the proposed claim");
    });
}
