//! CPU time of one frame of the annotation view on a 500-sentence article, headless
//! (`egui::Context::run_ui` + tessellation, no GPU), against plain `egui::Label`s of the same
//! text.
//!
//! * `app/*`: the real `IsnadApp` (`eframe::App::ui` with `eframe::Frame::_new_kittest()`,
//!   the frame egui_kittest uses): menu, status bar, virtualised document list, claim panel
//!   and reading view, with the 500-sentence article open at sentence 250. Steady state: no
//!   input, caches warm — what every repaint costs.
//! * `reading_visible/*`: the reading view's text — the current sentence (26 pt) and three
//!   content sentences before and after (17.7 pt) — as `ParagraphView`s vs as `Label`s with
//!   the same font family, sizes and wrap width.
//! * `whole_article/*`: all 500 sentences in one scroll area, `ParagraphView` vs `Label`
//!   (the cost if the view ever showed the whole article).
//!
//! `cargo bench --bench frame`

#![allow(
    clippy::unwrap_used,
    reason = "benchmarks fail loudly on unexpected errors"
)]

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/headless.rs"]
mod headless;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use headless::{Headless, visible_sentences};
use isnad::app::{AppConfig, IsnadApp, MainView, settings::Settings};
use isnad::domain::SentenceRow;
use isnad::text::ParagraphView;

const CURRENT: usize = 250;
const SCREEN: (f32, f32) = (1400.0, 900.0);
/// The reading column of the app at 1400 pt: 1400 − documents (300) − claims (360) − margins.
const READING_WIDTH: f32 = 720.0;

fn arabic_family() -> egui::FontFamily {
    isnad::text::fonts::slot_family(isnad::text::fonts::ARABIC_SLOT)
}

fn paragraphs(ui: &mut egui::Ui, sentences: &[SentenceRow], which: &[usize], current: usize) {
    paragraphs_at(ui, sentences, which, current, READING_WIDTH);
}

fn labels(ui: &mut egui::Ui, sentences: &[SentenceRow], which: &[usize], current: usize) {
    labels_at(ui, sentences, which, current, READING_WIDTH);
}

fn paragraphs_at(
    ui: &mut egui::Ui,
    sentences: &[SentenceRow],
    which: &[usize],
    current: usize,
    width: f32,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for &index in which {
                let is_current = index == current;
                ParagraphView::new(&sentences[index].text)
                    .font_size(if is_current { 26.0 } else { 26.0 * 0.68 })
                    .max_width(width - 36.0)
                    .id_salt(("sentence", index))
                    .show(ui);
                ui.add_space(2.0);
            }
        });
}

fn labels_at(
    ui: &mut egui::Ui,
    sentences: &[SentenceRow],
    which: &[usize],
    current: usize,
    width: f32,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(width - 36.0);
            for &index in which {
                let is_current = index == current;
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(&sentences[index].text)
                            .size(if is_current { 26.0 } else { 26.0 * 0.68 })
                            .family(arabic_family()),
                    )
                    .wrap(),
                );
                ui.add_space(2.0);
            }
        });
}

fn bench_frames(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frame.db");
    let (store, long_id) =
        corpus::bench_database(&db, corpus::DEFAULT_SEED, 300, 7_500, 500).unwrap();
    let sentences = store.sentences(&long_id).unwrap();
    assert_eq!(sentences.len(), 500, "the long article has 500 sentences");
    drop(store);

    let mut group = c.benchmark_group("frame_500_sentence_article");
    group
        .sample_size(60)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_secs(2));

    // The real app.
    let mut screen = Headless::new(SCREEN.0, SCREEN.1);
    let config = AppConfig {
        db: isnad::store::Location::from(db.clone()),
        annotator: Some("bench".into()),
        open: Some((long_id.clone(), Some(CURRENT))),
        view: MainView::Annotate,
    };
    let mut app = IsnadApp::with_settings(&screen.ctx, config, Settings::default());
    let mut frame = eframe::Frame::_new_kittest();
    for _ in 0..10 {
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame));
    }
    assert_eq!(
        app.workspace
            .as_ref()
            .and_then(|w| w.document())
            .map(|d| (d.row.id.clone(), d.current)),
        Some((long_id.clone(), CURRENT)),
        "the app shows the long article at sentence {CURRENT}"
    );
    group.bench_function("app/logic", |b| {
        b.iter(|| {
            black_box(screen.frame(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame)))
        })
    });
    group.bench_function("app/logic+tessellate", |b| {
        b.iter(|| {
            black_box(
                screen
                    .frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame)),
            )
        })
    });
    drop(app);

    // The reading view's text, as ParagraphViews and as Labels.
    let visible = visible_sentences(&sentences, CURRENT, 3);
    let all: Vec<usize> = (0..sentences.len()).collect();
    for (name, which) in [("reading_visible", &visible), ("whole_article", &all)] {
        let mut screen = Headless::new(READING_WIDTH, SCREEN.1);
        for _ in 0..3 {
            screen.frame_tessellated(Vec::new(), |ui| paragraphs(ui, &sentences, which, CURRENT));
        }
        group.bench_function(format!("{name}/paragraph_view"), |b| {
            b.iter(|| {
                black_box(
                    screen.frame_tessellated(Vec::new(), |ui| {
                        paragraphs(ui, &sentences, which, CURRENT)
                    }),
                )
            })
        });
        let mut screen = Headless::new(READING_WIDTH, SCREEN.1);
        for _ in 0..3 {
            screen.frame_tessellated(Vec::new(), |ui| labels(ui, &sentences, which, CURRENT));
        }
        group.bench_function(format!("{name}/egui_label"), |b| {
            b.iter(|| {
                black_box(
                    screen
                        .frame_tessellated(Vec::new(), |ui| labels(ui, &sentences, which, CURRENT)),
                )
            })
        });
    }

    // The same visible sentences laid out afresh every frame (what a frame costs when the
    // text changes: another sentence, a resized window): each iteration uses another whole
    // point width, cycling through 700 widths — longer than ParagraphView's cache keeps an
    // unused layout (600 passes) and than epaint keeps an unused galley (1 pass).
    let relayout_width = |i: u64| 300.0 + (i % 700) as f32;
    let mut screen = Headless::new(1100.0, SCREEN.1);
    let mut i = 0u64;
    group.bench_function("reading_visible_relayout/paragraph_view", |b| {
        b.iter(|| {
            i += 1;
            let width = relayout_width(i);
            black_box(screen.frame_tessellated(Vec::new(), |ui| {
                paragraphs_at(ui, &sentences, &visible, CURRENT, width)
            }))
        })
    });
    let mut screen = Headless::new(1100.0, SCREEN.1);
    let mut i = 0u64;
    group.bench_function("reading_visible_relayout/egui_label", |b| {
        b.iter(|| {
            i += 1;
            let width = relayout_width(i);
            black_box(screen.frame_tessellated(Vec::new(), |ui| {
                labels_at(ui, &sentences, &visible, CURRENT, width)
            }))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);
