//! The agreement dashboard: Krippendorff's α, Fleiss' κ and percent agreement per field with
//! the units they rest on, Cohen's κ per pair, span F1, a confusion matrix, α per document,
//! and each annotator's pace (sentences per active hour). Computed on a background thread;
//! the pace when something changed. An undefined α is written "undefined" with its reason,
//! never drawn as a bar of height 0.

use egui_plot::{Bar, BarChart, Plot, PlotPoint, Text};

use crate::agreement::report::{AgreementReport, FIELDS, SPAN_ROLES};
use crate::agreement::{AlphaUndefined, FieldAgreement};
use crate::app::state::PaceCache;
use crate::app::state::{Action, ViewState};

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

/// An α chart: bars for the defined values, the reasons for the others.
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaChart {
    /// (position, α, name) of each bar.
    pub bars: Vec<(f64, f64, String)>,
    /// (position, name, why) of each undefined α: no bar there.
    pub undefined: Vec<(f64, String, AlphaUndefined)>,
}

/// The chart of `items` (name, figures; `None` when there are no figures: left out), at
/// positions 0, 1, 2 … in order.
pub fn alpha_chart<'a>(
    items: impl IntoIterator<Item = (&'a str, Option<&'a FieldAgreement>)>,
) -> AlphaChart {
    let mut chart = AlphaChart {
        bars: Vec::new(),
        undefined: Vec::new(),
    };
    for (index, (name, figures)) in items.into_iter().enumerate() {
        let Some(figures) = figures else {
            continue;
        };
        let x = index as f64;
        match (figures.krippendorff_alpha, figures.alpha_undefined()) {
            (Some(alpha), _) => chart.bars.push((x, alpha, name.to_owned())),
            (None, Some(why)) => chart.undefined.push((x, name.to_owned(), why)),
            (None, None) => {}
        }
    }
    chart
}

/// The undefined values of a chart, one line per reason: "speaker, target: undefined: …".
pub fn undefined_lines(chart: &AlphaChart) -> Vec<String> {
    let mut lines = Vec::new();
    for why in [AlphaUndefined::NoPairableUnit, AlphaUndefined::OneCategory] {
        let names: Vec<&str> = chart
            .undefined
            .iter()
            .filter(|(_, _, w)| *w == why)
            .map(|(_, name, _)| name.as_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let shown = if names.len() > 6 {
            format!("{} and {} more", names[..6].join(", "), names.len() - 6)
        } else {
            names.join(", ")
        };
        lines.push(format!("{shown}: undefined: {}", why.reason()));
    }
    lines
}

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    header(ui, state, actions);
    let Some(report) = &state.ui.agreement else {
        if state.job.is_some() {
            ui.spinner();
        } else {
            ui.label("Not computed yet (or fewer than two annotators have decisions). Merge annotators' databases, then Recompute.");
        }
        return;
    };
    if !state.ui.pace.is_current(state.pace_key) {
        actions.push(Action::RefreshPace);
    }
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
            fields_table(ui, report);
            ui.add_space(8.0);
            ui.label("Krippendorff's α per field");
            let chart = alpha_chart(FIELDS.iter().map(|field| {
                (
                    *field,
                    report.overall.fields.get(*field).map(|f| &f.agreement),
                )
            }));
            alpha_plot(ui, "alpha-per-field", &chart, true);
            ui.add_space(8.0);
            spans_and_confusion(ui, report);
            if report.per_document.len() > 1 {
                ui.add_space(8.0);
                ui.label("has_claim α per document");
                let chart = alpha_chart(report.per_document.iter().map(|(doc, figures)| {
                    (
                        doc.as_str(),
                        figures.fields.get("has_claim").map(|f| &f.agreement),
                    )
                }));
                alpha_plot(ui, "alpha-per-document", &chart, false);
            }
            pace_grid(ui, &state.ui.pace);
        });
}

fn header(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Inter-annotator agreement");
        if ui.button("Recompute").clicked() {
            actions.push(Action::ComputeAgreement);
        }
        let current_doc = state
            .workspace
            .and_then(|w| w.document().map(|d| d.row.id.clone()));
        let mut only_current = state.ui.agreement_doc.is_some();
        if ui
            .checkbox(&mut only_current, "only the open document")
            .changed()
        {
            actions.push(Action::SetAgreementDoc(if only_current {
                current_doc
            } else {
                None
            }));
            actions.push(Action::ComputeAgreement);
        }
    });
    ui.weak("Boilerplate sentences are excluded; a sentence an annotator has not decided is a missing value. Same figures as `isnad agreement --json`.");
    ui.separator();
}

fn fields_table(ui: &mut egui::Ui, report: &AgreementReport) {
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
                match a.alpha_undefined() {
                    Some(why) => {
                        ui.label(format!("undefined ({})", a.krippendorff_alpha_units))
                            .on_hover_text(why.reason());
                    }
                    None => {
                        ui.label(format!(
                            "{} ({})",
                            figure(a.krippendorff_alpha),
                            a.krippendorff_alpha_units
                        ));
                    }
                }
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
}

/// A bar chart of α: a bar per defined value, "undefined" written where a value is not,
/// and the reasons under it. `field_axis`: the positions are [`FIELDS`], named on the axis.
fn alpha_plot(ui: &mut egui::Ui, id: &str, chart: &AlphaChart, field_axis: bool) {
    let bars: Vec<Bar> = chart
        .bars
        .iter()
        .map(|(x, alpha, name)| Bar::new(*x, *alpha).name(name))
        .collect();
    let weak = ui.visuals().weak_text_color();
    let mut plot = Plot::new(id)
        .height(180.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false);
    if field_axis {
        plot = plot.x_axis_formatter(|mark, _| {
            FIELDS
                .get(mark.value.round() as usize)
                .filter(|_| (mark.value - mark.value.round()).abs() < 1e-6)
                .map(|s| (*s).to_owned())
                .unwrap_or_default()
        });
    }
    plot.show(ui, |plot| {
        plot.bar_chart(BarChart::new("α", bars).width(0.6));
        for (x, _, _) in &chart.undefined {
            plot.text(Text::new(
                "undefined",
                PlotPoint::new(*x, 0.08),
                egui::RichText::new("undefined").color(weak),
            ));
        }
    });
    for line in undefined_lines(chart) {
        ui.label(line);
    }
}

fn spans_and_confusion(ui: &mut egui::Ui, report: &AgreementReport) {
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
}

fn pace_grid(ui: &mut egui::Ui, pace: &PaceCache) {
    ui.add_space(8.0);
    ui.heading("Pace");
    if let Some(error) = &pace.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
        return;
    }
    egui::Grid::new("pace").striped(true).show(ui, |ui| {
        ui.strong("annotator");
        ui.strong("decided sentences");
        ui.strong("active hours");
        ui.strong("sentences / hour");
        ui.end_row();
        for row in &pace.rows {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{ReliabilityData, field_agreement};

    fn figures(units: Vec<Vec<Option<&str>>>) -> FieldAgreement {
        field_agreement(
            &ReliabilityData::from_labels(vec!["A".to_owned(), "B".to_owned()], &units).unwrap(),
        )
    }

    #[test]
    fn an_undefined_alpha_gets_no_bar_but_its_reason() {
        let defined = figures(vec![
            vec![Some("claim"), Some("claim")],
            vec![Some("no_claim"), Some("claim")],
        ]);
        let disagreeing = figures(vec![vec![Some("x"), Some("y")], vec![Some("y"), Some("x")]]);
        let lonely = figures(vec![vec![Some("x"), None], vec![None, Some("y")]]);
        let one_value = figures(vec![vec![Some("x"), Some("x")]]);
        assert_eq!(defined.krippendorff_alpha, Some(0.0), "a real 0");
        assert_eq!(disagreeing.krippendorff_alpha, Some(-0.5));
        let chart = alpha_chart([
            ("has_claim", Some(&defined)),
            ("speaker", Some(&lonely)),
            ("target", None),
            ("stance", Some(&one_value)),
            ("cue", Some(&disagreeing)),
        ]);
        let positions: Vec<f64> = chart.bars.iter().map(|(x, _, _)| *x).collect();
        assert_eq!(positions, [0.0, 4.0], "bars only where α is defined");
        assert_eq!(chart.bars[0].1, 0.0, "a defined 0 is a bar");
        assert_eq!(
            chart.undefined,
            [
                (1.0, "speaker".to_owned(), AlphaUndefined::NoPairableUnit),
                (3.0, "stance".to_owned(), AlphaUndefined::OneCategory),
            ]
        );
        assert_eq!(
            undefined_lines(&chart),
            [
                "speaker: undefined: fewer than two annotators coded a unit".to_owned(),
                format!(
                    "stance: undefined: {}",
                    AlphaUndefined::OneCategory.reason()
                ),
            ]
        );
    }
}
