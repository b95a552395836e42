//! A headless egui "window" for the benches: one `egui::Context` with Isnad's fonts, a fixed
//! screen, a clock that advances one 60 Hz frame per pass, and tessellation — the CPU work of
//! a frame without a GPU (what eframe does before handing meshes to glow).

#![allow(dead_code, reason = "each bench uses a different part of the helper")]

use egui::{Event, Key, Modifiers, Pos2, RawInput, Rect, ViewportId, vec2};

pub struct Headless {
    pub ctx: egui::Context,
    input: RawInput,
    time: f64,
}

impl Headless {
    /// A `width` × `height` point screen at 1 pixel per point, Isnad's fonts installed, dark
    /// theme (the app's default), AccessKit off (as in the app until a screen reader asks).
    pub fn new(width: f32, height: f32) -> Headless {
        let ctx = egui::Context::default();
        isnad::text::install_fonts(&ctx);
        ctx.set_theme(egui::Theme::Dark);
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(width, height))),
            ..RawInput::default()
        };
        if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(1.0);
        }
        let mut headless = Headless {
            ctx,
            input,
            time: 0.0,
        };
        // Fonts take effect from the next pass.
        headless.frame(Vec::new(), |_| {});
        headless
    }

    /// Runs one pass (egui logic and layout) with these input events.
    pub fn frame(
        &mut self,
        events: Vec<Event>,
        mut run: impl FnMut(&mut egui::Ui),
    ) -> egui::FullOutput {
        self.time += 1.0 / 60.0;
        let mut input = self.input.clone();
        input.time = Some(self.time);
        input.predicted_dt = 1.0 / 60.0;
        input.events = events;
        self.ctx.run_ui(input, |ui| run(ui))
    }

    /// One pass plus tessellation into meshes: the CPU part of a frame. Returns the number
    /// of primitives (so the work cannot be optimised away).
    pub fn frame_tessellated(
        &mut self,
        events: Vec<Event>,
        run: impl FnMut(&mut egui::Ui),
    ) -> usize {
        let output = self.frame(events, run);
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        primitives.len()
    }
}

/// A key press (this frame) — commands are read from presses.
pub fn press(key: Key) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// The matching release (next frame).
pub fn release(key: Key) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed: false,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// The sentences the reading view shows around `current` (the same rule as
/// `ui::reading::show`: `context` shown sentences before and after, boilerplate hidden).
pub fn visible_sentences(
    sentences: &[isnad::domain::SentenceRow],
    current: usize,
    context: usize,
) -> Vec<usize> {
    let shown = |i: usize| !sentences[i].boilerplate || i == current;
    let before: Vec<usize> = (0..current)
        .rev()
        .filter(|&i| shown(i))
        .take(context)
        .collect();
    let after: Vec<usize> = (current + 1..sentences.len())
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
