//! The document list: title, sentence count and this annotator's progress, filtered by
//! text and status, virtualised (only visible rows are queried and drawn) so that a project
//! of a million sentences scrolls as fast as one of five articles.

use crate::app::state::{Action, DialogKind, MainView, ViewState};
use crate::domain::{DocumentSummary, StatusFilter};
use crate::model::Intent;
use crate::model::adjudicate::AdjudicationIntent;

const ROW_HEIGHT: f32 = 48.0;
const TITLE_SIZE: f32 = 15.0;

/// What the collapsed documents list's toggle is called (its button's accessible name).
pub const SHOW_LIST: &str = "Show the documents list";

/// The documents list collapsed to its toggle (a narrow window): one button that opens it.
pub fn toggle(ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    let response = ui
        .add(egui::Button::new(egui::RichText::new("☰").heading()).frame(true))
        .on_hover_text(format!(
            "{SHOW_LIST} (it closes again once you open a document)"
        ));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, SHOW_LIST));
    if response.clicked() {
        actions.push(Action::ToggleDocuments);
    }
}

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Documents");
        if ui.button("Import…").clicked() {
            actions.push(Action::OpenDialog(DialogKind::Import));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("◀")
                .on_hover_text("Hide the documents list (the reading view gets its width)")
                .clicked()
            {
                actions.push(Action::ToggleDocuments);
            }
        });
    });
    filters(ui, state, actions);
    ui.separator();

    let Some(workspace) = state.workspace else {
        return;
    };
    pace_footer(ui, state, actions);
    if let Some(error) = &state.ui.doc_list_error {
        ui.colored_label(ui.visuals().error_fg_color, error);
        return;
    }
    let Some(page) = &state.ui.doc_list_cache else {
        return;
    };
    if page.total == 0 {
        ui.weak("No documents. Project > Import files… (or isnad import PATH).");
        return;
    }
    let current = match state.view {
        MainView::Adjudicate => workspace.adjudication().map(|a| a.row.id.clone()),
        _ => workspace.document().map(|d| d.row.id.clone()),
    };
    let view = state.view;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, page.total, |ui, rows| {
            if !page.covers(rows.clone()) {
                // The app reads the rows around these through the workspace (next frame).
                actions.push(Action::LoadDocuments {
                    first: rows.start.saturating_sub(20),
                    len: rows.len() + 40,
                });
            }
            let width = ui.available_width();
            for row in rows {
                let Some(doc) = row
                    .checked_sub(page.first)
                    .and_then(|index| page.rows.get(index))
                else {
                    continue;
                };
                let selected = current.as_deref() == Some(doc.id.as_str());
                document_row(ui, row, doc, selected, view, width, actions);
            }
        });
}

/// The text and status filters: edits are pushed as actions, the app applies them.
fn filters(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    let mut text = state.ui.doc_filter.clone();
    let filter = ui.add(
        egui::TextEdit::singleline(&mut text)
            .hint_text("Filter by title or id (Ctrl+F)")
            .desired_width(f32::INFINITY),
    );
    if text != state.ui.doc_filter {
        actions.push(Action::SetDocFilter(text));
    }
    if state.ui.focus_filter {
        filter.request_focus();
        actions.push(Action::FilterFocused);
    }
    if filter.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        filter.surrender_focus();
    }
    let mut chosen = state.ui.doc_status;
    egui::ComboBox::new("status-filter", "Status")
        .selected_text(status_name(chosen))
        .show_ui(ui, |ui| {
            for status in [
                StatusFilter::All,
                StatusFilter::NotStarted,
                StatusFilter::InProgress,
                StatusFilter::Done,
            ] {
                ui.selectable_value(&mut chosen, status, status_name(status));
            }
        });
    if chosen != state.ui.doc_status {
        actions.push(Action::SetDocStatus(chosen));
    }
}

/// One document of the list: its title elided to one line, its progress, a click opens it.
fn document_row(
    ui: &mut egui::Ui,
    row: usize,
    doc: &DocumentSummary,
    selected: bool,
    view: MainView,
    width: f32,
    actions: &mut Vec<Action>,
) {
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::click());
    if selected {
        ui.painter().rect_filled(
            rect,
            4.0,
            ui.visuals().selection.bg_fill.gamma_multiply(0.5),
        );
    } else if response.hovered() {
        ui.painter().rect_filled(
            rect,
            4.0,
            ui.visuals().widgets.hovered.bg_fill.gamma_multiply(0.5),
        );
    }
    let mut row_ui =
        ui.new_child(egui::UiBuilder::new().max_rect(rect.shrink2(egui::vec2(6.0, 3.0))));
    // One line, elided to the row's width.
    let title = crate::ui::elided(ui, &doc.title, TITLE_SIZE, rect.width() - 12.0);
    row_ui.set_clip_rect(rect);
    crate::text::ParagraphView::new(&title)
        .font_size(TITLE_SIZE)
        .max_width(rect.width() - 12.0)
        .sense(egui::Sense::hover())
        .id_salt(("doc-title", row))
        .show(&mut row_ui);
    let progress = if view == MainView::Adjudicate {
        format!(
            "{} sentences adjudicated · {} sentences",
            doc.done_sentences, doc.sentence_count
        )
    } else {
        format!(
            "{}/{} decided · {} sentences",
            doc.done_sentences, doc.content_sentences, doc.sentence_count
        )
    };
    let text = ui.painter().text(
        rect.left_bottom() + egui::vec2(8.0, -4.0),
        egui::Align2::LEFT_BOTTOM,
        progress,
        egui::FontId::proportional(11.0),
        ui.visuals().weak_text_color(),
    );
    let bar = egui::Rect::from_min_size(
        rect.right_bottom() + egui::vec2(-70.0, -8.0),
        egui::vec2(60.0, 4.0),
    );
    // The bar only where it does not run into the figures (a narrow list).
    let bar_fits = text.right() + 6.0 <= bar.left();
    if bar_fits {
        ui.painter()
            .rect_filled(bar, 2.0, ui.visuals().extreme_bg_color);
    }
    if bar_fits && doc.content_sentences > 0 {
        let fraction = doc.done_sentences as f32 / doc.content_sentences as f32;
        let mut done = bar;
        done.set_width(bar.width() * fraction.min(1.0));
        ui.painter()
            .rect_filled(done, 2.0, egui::Color32::from_rgb(0x2a, 0x9d, 0x5c));
    }
    let response = response.on_hover_text(format!("{}\n{}", doc.title, doc.id));
    if response.clicked() {
        match view {
            MainView::Adjudicate => actions.push(Action::Adjudicate(AdjudicationIntent::Open {
                doc_id: doc.id.clone(),
                sentence: None,
            })),
            _ => actions.push(Action::Model(Intent::OpenDocument {
                doc_id: doc.id.clone(),
                sentence: None,
            })),
        }
    }
}

/// Each annotator's pace (decided sentences per active hour), at the bottom of the panel;
/// computed when something changed, and only while the section is open.
fn pace_footer(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    egui::Panel::bottom("pace").show(ui, |ui| {
        egui::CollapsingHeader::new("Pace (sentences per active hour)")
            .default_open(false)
            .show(ui, |ui| {
                let Some(workspace) = state.workspace else {
                    return;
                };
                if !state.ui.pace.is_current(state.pace_key) {
                    actions.push(Action::RefreshPace);
                }
                if let Some(error) = &state.ui.pace.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                let me = workspace.annotator();
                for row in &state.ui.pace.rows {
                    let pace = row
                        .sentences_per_hour()
                        .map_or_else(|| "—".to_owned(), |p| format!("{p:.0}/h"));
                    let line = format!(
                        "{}: {} decided in {:.1} h active · {pace}",
                        row.name, row.decided_sentences, row.active_hours
                    );
                    if row.name == me {
                        ui.strong(line);
                    } else {
                        ui.label(line);
                    }
                }
            });
    });
}

fn status_name(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::All => "All documents",
        StatusFilter::NotStarted => "Not started",
        StatusFilter::InProgress => "In progress",
        StatusFilter::Done => "Done",
    }
}
