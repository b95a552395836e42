//! The agreement dashboard: Krippendorff's α, Fleiss' κ and percent agreement per field with
//! the units they rest on, Cohen's κ per pair, span F1, a confusion matrix, α per document,
//! and each annotator's pace (sentences per active hour). Computed on a background thread.

use egui_plot::{Bar, BarChart, Plot};

use crate::agreement::report::{FIELDS, SPAN_ROLES};
use crate::app::{Action, IsnadApp};

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

pub fn show(ui: &mut egui::Ui, app: &mut IsnadApp, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Inter-annotator agreement");
        if ui.button("Recompute").clicked() {
            actions.push(Action::ComputeAgreement);
        }
        let current_doc = app
            .workspace
            .as_ref()
            .and_then(|w| w.document().map(|d| d.row.id.clone()));
        let mut only_current = app.ui.agreement_doc.is_some();
        if ui
            .checkbox(&mut only_current, "only the open document")
            .changed()
        {
            app.ui.agreement_doc = if only_current { current_doc } else { None };
            actions.push(Action::ComputeAgreement);
        }
    });
    ui.weak("Boilerplate sentences are excluded; a sentence an annotator has not decided is a missing value. Same figures as `isnad agreement --json`.");
    ui.separator();
    let Some(report) = &app.ui.agreement else {
        if app.job.is_some() {
            ui.spinner();
        } else {
            ui.label("Not computed yet (or fewer than two annotators have decisions). Merge annotators' databases, then Recompute.");
        }
        return;
    };
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(format!(
                "{} annotators ({}), {} documents, {} decided content sentences",
                report.annotators.len(),
                report.annotators.join(", "),
                report.documents,
                report.overall.sentences
            ));
            ui.add_space(6.0);
            egui::Grid::new("agreement-fields")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for header in [
                        "field",
                        "units",
                        "Krippendorff's α",
                        "Fleiss' κ",
                        "% agreement",
                        "Cohen's κ per pair (units)",
                    ] {
                        ui.strong(header);
                    }
                    ui.end_row();
                    for field in FIELDS {
                        let Some(f) = report.overall.fields.get(field) else {
                            continue;
                        };
                        let a = &f.agreement;
                        ui.label(field);
                        ui.label(a.units.to_string());
                        ui.label(format!(
                            "{} ({})",
                            figure(a.krippendorff_alpha),
                            a.krippendorff_alpha_units
                        ));
                        ui.label(format!(
                            "{} ({})",
                            figure(a.fleiss_kappa),
                            a.fleiss_kappa_units
                        ));
                        ui.label(figure(a.percent_agreement));
                        ui.label(
                            a.cohen_kappa
                                .iter()
                                .map(|(pair, k)| {
                                    format!(
                                        "{pair}: {} ({})",
                                        figure(*k),
                                        a.cohen_kappa_units.get(pair).copied().unwrap_or(0)
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join(", "),
                        );
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            let bars: Vec<Bar> = FIELDS
                .iter()
                .enumerate()
                .filter_map(|(i, field)| {
                    let a = &report.overall.fields.get(*field)?.agreement;
                    Some(Bar::new(i as f64, a.krippendorff_alpha.unwrap_or(0.0)).name(*field))
                })
                .collect();
            ui.label("Krippendorff's α per field");
            Plot::new("alpha-per-field")
                .height(180.0)
                .include_y(0.0)
                .include_y(1.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .x_axis_formatter(|mark, _| {
                    FIELDS
                        .get(mark.value.round() as usize)
                        .filter(|_| (mark.value - mark.value.round()).abs() < 1e-6)
                        .map(|s| (*s).to_owned())
                        .unwrap_or_default()
                })
                .show(ui, |plot| {
                    plot.bar_chart(BarChart::new("α", bars).width(0.6))
                });

            ui.add_space(8.0);
            ui.heading("Spans");
            egui::Grid::new("agreement-spans")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.strong("span");
                    ui.strong("exact-match F1");
                    ui.strong("overlap F1");
                    ui.end_row();
                    for role in SPAN_ROLES {
                        if let Some(s) = report.overall.spans.get(role) {
                            ui.label(role);
                            ui.label(figure(s.mean_exact_f1));
                            ui.label(figure(s.mean_overlap_f1));
                            ui.end_row();
                        }
                    }
                });

            ui.add_space(8.0);
            ui.heading("Confusion (all pairs pooled)");
            for field in ["has_claim", "stance"] {
                let Some(f) = report.overall.fields.get(field) else {
                    continue;
                };
                ui.label(field);
                let matrix = &f.confusion;
                egui::Grid::new(("confusion", field))
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label("");
                        for category in &matrix.categories {
                            ui.strong(category);
                        }
                        ui.end_row();
                        for (row, category) in matrix.categories.iter().enumerate() {
                            ui.strong(category);
                            for count in &matrix.counts[row] {
                                ui.label(count.to_string());
                            }
                            ui.end_row();
                        }
                    });
            }

            if report.per_document.len() > 1 {
                ui.add_space(8.0);
                ui.label("has_claim α per document");
                let bars: Vec<Bar> = report
                    .per_document
                    .iter()
                    .enumerate()
                    .map(|(i, (doc, figures))| {
                        let alpha = figures
                            .fields
                            .get("has_claim")
                            .and_then(|f| f.agreement.krippendorff_alpha)
                            .unwrap_or(0.0);
                        Bar::new(i as f64, alpha).name(doc)
                    })
                    .collect();
                Plot::new("alpha-per-document")
                    .height(180.0)
                    .include_y(0.0)
                    .include_y(1.0)
                    .show(ui, |plot| {
                        plot.bar_chart(BarChart::new("α", bars).width(0.7))
                    });
            }

            if let Some(workspace) = &app.workspace
                && let Ok(pace) = workspace.store().annotator_pace()
            {
                ui.add_space(8.0);
                ui.heading("Pace");
                egui::Grid::new("pace").striped(true).show(ui, |ui| {
                    ui.strong("annotator");
                    ui.strong("decided sentences");
                    ui.strong("active hours");
                    ui.strong("sentences / hour");
                    ui.end_row();
                    for row in pace {
                        ui.label(&row.name);
                        ui.label(row.decided_sentences.to_string());
                        ui.label(format!("{:.2}", row.active_hours));
                        ui.label(
                            row.sentences_per_hour()
                                .map_or_else(|| "—".to_owned(), |p| format!("{p:.0}")),
                        );
                        ui.end_row();
                    }
                });
            }
        });
}
