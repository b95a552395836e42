//! The document list: title, sentence count and this annotator's progress, filtered by
//! text and status, virtualised (only visible rows are queried and drawn) so that a project
//! of a million sentences scrolls as fast as one of five articles.

use crate::app::{Action, DocListKey, IsnadApp, MainView};
use crate::domain::{DocumentListQuery, StatusFilter};
use crate::model::Intent;
use crate::model::adjudicate::AdjudicationIntent;

const ROW_HEIGHT: f32 = 48.0;
const TITLE_SIZE: f32 = 15.0;

pub fn show(ui: &mut egui::Ui, app: &mut IsnadApp, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Documents");
        if ui.button("Import…").clicked() {
            app.ui.dialog = Some(super::dialogs::Dialog::import());
        }
    });
    let filter = ui.add(
        egui::TextEdit::singleline(&mut app.ui.doc_filter)
            .hint_text("Filter by title or id (Ctrl+F)")
            .desired_width(f32::INFINITY),
    );
    if app.ui.focus_filter {
        filter.request_focus();
        app.ui.focus_filter = false;
    }
    if filter.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        filter.surrender_focus();
    }
    egui::ComboBox::new("status-filter", "Status")
        .selected_text(status_name(app.ui.doc_status))
        .show_ui(ui, |ui| {
            for status in [
                StatusFilter::All,
                StatusFilter::NotStarted,
                StatusFilter::InProgress,
                StatusFilter::Done,
            ] {
                ui.selectable_value(&mut app.ui.doc_status, status, status_name(status));
            }
        });
    ui.separator();

    if app.workspace.is_none() {
        return;
    }
    pace_footer(ui, app);
    let Some(workspace) = app.workspace.as_ref() else {
        return;
    };
    let gold = app.view == MainView::Adjudicate;
    let key = DocListKey {
        filter: app.ui.doc_filter.clone(),
        status: app.ui.doc_status,
        generation: app.ui.generation,
        gold,
    };
    let annotator = workspace.annotator().to_owned();
    let total = match &app.ui.doc_list_cache {
        Some((cached, total, _, _)) if *cached == key => *total,
        _ => {
            let total = workspace
                .store()
                .count_documents(&DocumentListQuery {
                    text: &key.filter,
                    status: key.status,
                    annotator: Some(&annotator),
                    gold,
                    offset: 0,
                    limit: 0,
                })
                .unwrap_or(0);
            app.ui.doc_list_cache = Some((key.clone(), total, 0, Vec::new()));
            total
        }
    };
    if total == 0 {
        ui.weak("No documents. Project > Import files… (or isnad import PATH).");
        return;
    }
    let current = match app.view {
        MainView::Adjudicate => workspace.adjudication().map(|a| a.row.id.clone()),
        _ => workspace.document().map(|d| d.row.id.clone()),
    };
    let view = app.view;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, total, |ui, rows| {
            let needs_query = match &app.ui.doc_list_cache {
                Some((cached, _, first, loaded)) => {
                    *cached != key || rows.start < *first || rows.end > first + loaded.len()
                }
                None => true,
            };
            if needs_query {
                let first = rows.start.saturating_sub(20);
                let page = workspace
                    .store()
                    .document_summaries(&DocumentListQuery {
                        text: &key.filter,
                        status: key.status,
                        annotator: Some(&annotator),
                        gold,
                        offset: first,
                        limit: rows.len() + 40,
                    })
                    .unwrap_or_default();
                app.ui.doc_list_cache = Some((key.clone(), total, first, page));
            }
            let Some((_, _, first, loaded)) = &app.ui.doc_list_cache else {
                return;
            };
            let width = ui.available_width();
            for row in rows {
                let Some(doc) = loaded.get(row - first) else {
                    continue;
                };
                let selected = current.as_deref() == Some(doc.id.as_str());
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
                let mut row_ui = ui
                    .new_child(egui::UiBuilder::new().max_rect(rect.shrink2(egui::vec2(6.0, 3.0))));
                // One line: about half an em per character in Naskh at this size.
                let fits = ((rect.width() - 16.0) / (TITLE_SIZE * 0.5)).max(8.0) as usize;
                let title = crate::ui::shorten(&doc.title, fits);
                row_ui.set_clip_rect(rect);
                crate::text::ParagraphView::new(&title)
                    .font_size(TITLE_SIZE)
                    .max_width(rect.width() - 12.0)
                    .sense(egui::Sense::hover())
                    .id_salt(("doc-title", row))
                    .show(&mut row_ui);
                let progress = if gold {
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
                ui.painter().text(
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
                ui.painter()
                    .rect_filled(bar, 2.0, ui.visuals().extreme_bg_color);
                if doc.content_sentences > 0 {
                    let fraction = doc.done_sentences as f32 / doc.content_sentences as f32;
                    let mut done = bar;
                    done.set_width(bar.width() * fraction.min(1.0));
                    ui.painter()
                        .rect_filled(done, 2.0, egui::Color32::from_rgb(0x2a, 0x9d, 0x5c));
                }
                let response = response.on_hover_text(format!("{}\n{}", doc.title, doc.id));
                if response.clicked() {
                    match view {
                        MainView::Adjudicate => {
                            actions.push(Action::Adjudicate(AdjudicationIntent::Open {
                                doc_id: doc.id.clone(),
                                sentence: None,
                            }))
                        }
                        _ => actions.push(Action::Model(Intent::OpenDocument {
                            doc_id: doc.id.clone(),
                            sentence: None,
                        })),
                    }
                }
            }
        });
}

/// Each annotator's pace (decided sentences per active hour), at the bottom of the panel;
/// computed only while the section is open.
fn pace_footer(ui: &mut egui::Ui, app: &mut IsnadApp) {
    let generation = app.ui.generation;
    egui::Panel::bottom("pace").show(ui, |ui| {
        egui::CollapsingHeader::new("Pace (sentences per active hour)")
            .default_open(false)
            .show(ui, |ui| {
                let Some(workspace) = app.workspace.as_ref() else {
                    return;
                };
                if app.ui.pace.as_ref().is_none_or(|(g, _)| *g != generation) {
                    let rows = workspace.store().annotator_pace().unwrap_or_default();
                    app.ui.pace = Some((generation, rows));
                }
                let me = workspace.annotator();
                let Some((_, rows)) = &app.ui.pace else {
                    return;
                };
                for row in rows {
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
