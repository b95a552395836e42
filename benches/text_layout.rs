//! Text layout of long paragraphs: Isnad's bidi layout (`text::layout::layout_paragraph`
//! with the GUI's `FontBackend`: UAX #9, UAX #14, harfrust widths) against epaint's own
//! layout of the same text (`Fonts::layout_job`, shaped, wrapped, no bidi), same font, size
//! and wrap width. Both uncached at the paragraph level; Isnad's per-word width cache and
//! epaint's glyph atlas are warm, as they are in the app after the first frame.
//!
//! `cargo bench --bench text_layout`

#![allow(
    clippy::unwrap_used,
    reason = "benchmarks fail loudly on unexpected errors"
)]

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/headless.rs"]
mod headless;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use isnad::text::fonts::{ARABIC_SLOT, LATIN_SLOT, slot_family, standard_font_set};
use isnad::text::layout::{FontBackend, LayoutOptions, WidthCache, layout_paragraph};

const FONT_SIZE: f32 = 26.0;
const WIDTH: f32 = 684.0;

/// Paragraphs of about `chars` characters made of generated sentences.
fn paragraph(seed_index: u64, chars: usize) -> String {
    let pool = corpus::SentencePool::from_seeds();
    let mut rng = corpus::Rng::for_item(corpus::DEFAULT_SEED, 10, seed_index);
    let mut text = String::new();
    while text.chars().count() < chars {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&corpus::sentence(&pool, &mut rng));
    }
    text
}

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("text_layout");
    group
        .sample_size(40)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    let screen = headless::Headless::new(800.0, 600.0);
    for (name, chars) in [
        ("sentence_200", 200),
        ("paragraph_2k", 2_000),
        ("long_10k", 10_000),
    ] {
        let text = paragraph(chars as u64, chars);
        group.throughput(Throughput::Elements(text.chars().count() as u64));
        // epaint caches galleys by job and rounds wrap widths to whole points, so each
        // iteration uses another whole-point width (the same sequence for both sides) and two
        // empty passes every 100 layouts (not timed) let epaint evict the unused galleys.
        let width = |i: u64| WIDTH - (i % 100) as f32;
        let mut widths = WidthCache::default();
        group.bench_with_input(
            BenchmarkId::new("isnad_layout_paragraph", name),
            &text,
            |b, text| {
                b.iter_custom(|iters| {
                    let started = Instant::now();
                    for i in 0..iters {
                        let options = LayoutOptions {
                            max_width: Some(width(i)),
                            direction: None,
                            hard_breaks: true,
                        };
                        let mut backend = FontBackend::new(
                            standard_font_set(),
                            FONT_SIZE,
                            ARABIC_SLOT,
                            LATIN_SLOT,
                            LATIN_SLOT,
                            &mut widths,
                        );
                        black_box(layout_paragraph(text, &options, &mut backend).lines().len());
                    }
                    started.elapsed()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("isnad_layout_paragraph_cold_widths", name),
            &text,
            |b, text| {
                b.iter_custom(|iters| {
                    let started = Instant::now();
                    for i in 0..iters {
                        let options = LayoutOptions {
                            max_width: Some(width(i)),
                            direction: None,
                            hard_breaks: true,
                        };
                        let mut widths = WidthCache::default();
                        let mut backend = FontBackend::new(
                            standard_font_set(),
                            FONT_SIZE,
                            ARABIC_SLOT,
                            LATIN_SLOT,
                            LATIN_SLOT,
                            &mut widths,
                        );
                        black_box(layout_paragraph(text, &options, &mut backend).lines().len());
                    }
                    started.elapsed()
                })
            },
        );
        let ctx = screen.ctx.clone();
        let evict = || {
            for _ in 0..2 {
                let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
            }
        };
        group.bench_with_input(
            BenchmarkId::new("egui_layout_job", name),
            &text,
            |b, text| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for i in 0..iters {
                        if i % 100 == 0 {
                            evict();
                        }
                        let job = egui::text::LayoutJob::simple(
                            text.clone(),
                            egui::FontId::new(FONT_SIZE, slot_family(ARABIC_SLOT)),
                            egui::Color32::WHITE,
                            width(i),
                        );
                        let started = Instant::now();
                        let rows = screen.ctx.fonts_mut(|f| f.layout_job(job).rows.len());
                        total += started.elapsed();
                        black_box(rows);
                    }
                    total
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
