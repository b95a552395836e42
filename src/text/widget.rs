//! [`ParagraphView`]: an egui widget that shows one paragraph of mixed Arabic/Latin text
//! bidi-correct, shaped and wrapped, paints highlights and a selection, shows invisible
//! characters as small tagged markers (hover for their name), and reports the hovered
//! character and the carets under the pointer so the caller owns the selection state.
//!
//! Layouts are cached per (text, width, font size, direction) — not per colour, so the same
//! paragraph drawn dimmed or highlighted costs nothing extra — and evicted after a while
//! unused. Each run is drawn as its own epaint galley (fetched from epaint's galley cache).
//!
//! The widget reports AccessKit information: a `Label` node named with the whole text, one
//! `TextRun` child per visual line (logical text, direction, bounds), and the selection.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use egui::text::{LayoutJob, TextFormat};
use egui::{
    Color32, CornerRadius, FontId, Id, Pos2, Rect, Response, Sense, Stroke, Ui, Vec2, vec2,
};

use crate::text::bidi::TextDirection;
use crate::text::chars::{self, MarkerKind};
use crate::text::fonts::{self, ARABIC_SLOT, LATIN_SLOT};
use crate::text::geometry::{CharRect, PointF};
use crate::text::layout::{
    FontBackend, LayoutOptions, MARKER_FONT_SCALE, ParagraphLayout, RunKind, WidthCache,
    layout_paragraph,
};
use crate::text::words;

/// A coloured span of the paragraph (speaker, target, cue, claim, suggestion …).
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    /// Code-point range.
    pub range: Range<usize>,
    /// Background fill.
    pub fill: Option<Color32>,
    /// Line under the text.
    pub underline: Option<Stroke>,
}

impl Highlight {
    pub fn fill(range: Range<usize>, fill: Color32) -> Self {
        Self {
            range,
            fill: Some(fill),
            underline: None,
        }
    }

    pub fn underline(range: Range<usize>, stroke: Stroke) -> Self {
        Self {
            range,
            fill: None,
            underline: Some(stroke),
        }
    }
}

/// A paragraph widget. Build with [`ParagraphView::new`], configure, then [`show`](Self::show).
#[derive(Clone, Debug)]
pub struct ParagraphView<'a> {
    text: &'a str,
    font_size: f32,
    color: Option<Color32>,
    direction: Option<TextDirection>,
    max_width: Option<f32>,
    highlights: &'a [Highlight],
    selection: Option<Range<usize>>,
    selection_color: Option<Color32>,
    caret: Option<usize>,
    id_salt: Option<egui::IdSalt>,
    sense: Sense,
    shrink_to_fit: bool,
}

/// What happened to the paragraph this frame. Offsets are code-point indices.
#[derive(Clone, Debug)]
pub struct ParagraphResponse {
    pub response: Response,
    pub layout: Arc<ParagraphLayout>,
    /// Screen position of the layout's top-left corner.
    pub origin: Pos2,
    /// Character under the pointer.
    pub hovered_char: Option<usize>,
    /// Caret nearest to the pointer while it hovers the paragraph.
    pub hover_caret: Option<usize>,
    /// Caret where the primary button went down on the paragraph this frame.
    pub press_caret: Option<usize>,
    /// Caret under the pointer while the primary button is held after a press on the
    /// paragraph (also on the frame it is released): the other end of a drag selection.
    pub drag_caret: Option<usize>,
    /// The word under the pointer when the paragraph was double-clicked.
    pub double_clicked_word: Option<Range<usize>>,
}

impl<'a> ParagraphView<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            font_size: 20.0,
            color: None,
            direction: None,
            max_width: None,
            highlights: &[],
            selection: None,
            selection_color: None,
            caret: None,
            id_salt: None,
            sense: Sense::click_and_drag(),
            shrink_to_fit: false,
        }
    }

    /// Take only the width the text needs (up to the maximum width) instead of the whole
    /// maximum width: for labels, names and buttons inside rows.
    pub fn shrink_to_fit(mut self) -> Self {
        self.shrink_to_fit = true;
        self
    }

    /// Font size in points (the current sentence large, context smaller).
    pub fn font_size(mut self, size: f32) -> Self {
        self.font_size = if size.is_finite() && size > 1.0 {
            size
        } else {
            1.0
        };
        self
    }

    /// Text colour (default: the style's text colour). Dim context sentences with it.
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// Force the base direction (per-project override); default: from the text.
    pub fn direction(mut self, direction: Option<TextDirection>) -> Self {
        self.direction = direction;
        self
    }

    /// Wrap width in points (default: the available width).
    pub fn max_width(mut self, width: f32) -> Self {
        self.max_width = Some(width);
        self
    }

    pub fn highlights(mut self, highlights: &'a [Highlight]) -> Self {
        self.highlights = highlights;
        self
    }

    /// Selection to paint (the caller owns it).
    pub fn selection(mut self, selection: Option<Range<usize>>) -> Self {
        self.selection = selection;
        self
    }

    pub fn selection_color(mut self, color: Color32) -> Self {
        self.selection_color = Some(color);
        self
    }

    /// Draw a caret at this offset.
    pub fn caret(mut self, caret: Option<usize>) -> Self {
        self.caret = caret;
        self
    }

    /// Distinguish several paragraphs with the same text in one `Ui`.
    pub fn id_salt(mut self, salt: impl egui::AsIdSalt) -> Self {
        self.id_salt = Some(egui::IdSalt::new(salt));
        self
    }

    /// Default `click_and_drag`; use `Sense::hover()` for context that is not selectable.
    pub fn sense(mut self, sense: Sense) -> Self {
        self.sense = sense;
        self
    }

    /// Lays out (cached), allocates space, handles the pointer and paints.
    pub fn show(self, ui: &mut Ui) -> ParagraphResponse {
        let mut width = self
            .max_width
            .unwrap_or_else(|| ui.available_width())
            .max(self.font_size * 2.0);
        if self.shrink_to_fit {
            width = width
                .min(natural_width(
                    ui.ctx(),
                    self.text,
                    self.font_size,
                    self.direction,
                ))
                .max(1.0);
        }
        let options = LayoutOptions {
            max_width: Some(width),
            direction: self.direction,
            hard_breaks: true,
        };
        let (layout, key) = cached_layout_with_key(ui.ctx(), self.text, &options, self.font_size);

        let size = vec2(layout.width(), layout.height().max(1.0));
        let (auto_id, space) = ui.allocate_space(size);
        let rect = ui.layout().align_size_within_rect(size, space);
        let id = self
            .id_salt
            .map_or(auto_id, |salt| ui.make_persistent_id(salt));
        let mut response = ui.interact(rect, id, self.sense);
        let origin = rect.min;
        let to_layout = |p: Pos2| PointF::new(p.x - origin.x, p.y - origin.y);

        let hover_pos = response.hover_pos();
        let hovered_char = hover_pos.and_then(|p| layout.char_at(to_layout(p)));
        let hover_caret = hover_pos.map(|p| layout.caret_at(to_layout(p)));
        let (pressed, press_origin, pointer_pos, primary_down) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.press_origin(),
                i.pointer.interact_pos(),
                i.pointer.primary_down(),
            )
        });
        let press_caret = (pressed && response.contains_pointer())
            .then_some(press_origin.or(pointer_pos))
            .flatten()
            .map(|p| layout.caret_at(to_layout(p)));
        let dragging = response.is_pointer_button_down_on()
            || response.drag_stopped()
            || (primary_down && response.dragged());
        let drag_caret = if dragging {
            pointer_pos.map(|p| layout.caret_at(to_layout(p)))
        } else {
            None
        };
        let double_clicked_word = if response.double_clicked() {
            hovered_char.and_then(|c| words::word_at(layout.text(), c))
        } else {
            None
        };

        if ui.is_rect_visible(rect) {
            self.paint(ui, &layout, key, origin);
        }

        if let Some(c) = hovered_char
            && is_marker_at(&layout, c)
            && let Some(&ch) = layout.chars().get(c)
        {
            response = response.on_hover_text_at_pointer(chars::marker_tooltip(ch));
        }

        report_accesskit(ui, &response, &layout, origin, self.selection.clone());

        ParagraphResponse {
            response,
            layout,
            origin,
            hovered_char,
            hover_caret,
            press_caret,
            drag_caret,
            double_clicked_word,
        }
    }

    fn paint(&self, ui: &Ui, layout: &ParagraphLayout, key: LayoutKey, origin: Pos2) {
        let painter = ui.painter();
        let visuals = ui.visuals();
        let text_color = self.color.unwrap_or_else(|| visuals.text_color());
        let to_screen =
            |r: CharRect| Rect::from_min_max(origin + vec2(r.x0, r.y0), origin + vec2(r.x1, r.y1));
        let radius = CornerRadius::same(2);

        for h in self.highlights {
            if let Some(fill) = h.fill {
                for r in layout.range_rects(h.range.clone()) {
                    painter.rect_filled(to_screen(r), radius, fill);
                }
            }
        }
        if let Some(selection) = &self.selection {
            let fill = self.selection_color.unwrap_or(visuals.selection.bg_fill);
            for r in layout.range_rects(selection.clone()) {
                painter.rect_filled(to_screen(r), radius, fill);
            }
        }

        // Text runs: one galley each, kept with the layout while the font atlas lives.
        let families_ok = fonts::fonts_installed(ui.ctx());
        let galleys = run_galleys(ui.ctx(), layout, key, self.font_size, families_ok);
        for (baseline, x, galley) in galleys.iter() {
            let galley_baseline = galley
                .rows
                .first()
                .and_then(|row| row.glyphs.first().map(|g| row.pos.y + g.pos.y))
                .unwrap_or(0.0);
            painter.galley(
                origin + vec2(*x, baseline - galley_baseline),
                Arc::clone(galley),
                text_color,
            );
        }

        // Markers.
        for line in layout.lines() {
            for run in &line.runs {
                if let RunKind::Marker { kind, label } = &run.kind {
                    let height = self.font_size * 0.75;
                    let top = line.baseline - height * 0.85;
                    let rect = Rect::from_min_size(
                        origin + vec2(run.x + 1.0, top),
                        vec2((run.width - 2.0).max(1.0), height),
                    );
                    let fill = marker_color(*kind);
                    painter.rect_filled(rect, CornerRadius::same(3), fill.gamma_multiply(0.25));
                    painter.rect_stroke(
                        rect,
                        CornerRadius::same(3),
                        Stroke::new(1.0, fill),
                        egui::StrokeKind::Inside,
                    );
                    painter.text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        label,
                        FontId::new(
                            self.font_size * MARKER_FONT_SCALE,
                            if families_ok {
                                fonts::slot_family(LATIN_SLOT)
                            } else {
                                egui::FontFamily::Proportional
                            },
                        ),
                        fill,
                    );
                }
            }
        }

        for h in self.highlights {
            if let Some(stroke) = h.underline {
                for r in layout.range_rects(h.range.clone()) {
                    let y = origin.y + r.y1 - stroke.width.max(1.0);
                    painter.hline((origin.x + r.x0)..=(origin.x + r.x1), y, stroke);
                }
            }
        }

        if let Some(caret) = self.caret {
            let r = layout.caret_rect(caret, 2.0);
            painter.rect_filled(to_screen(r), 0.0, text_color);
        }
    }
}

impl ParagraphResponse {
    fn to_screen(&self, r: CharRect) -> Rect {
        Rect::from_min_max(
            self.origin + vec2(r.x0, r.y0),
            self.origin + vec2(r.x1, r.y1),
        )
    }

    /// Screen rectangles covering the characters of `range`.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<Rect> {
        self.layout
            .range_rects(range)
            .into_iter()
            .map(|r| self.to_screen(r))
            .collect()
    }

    /// Screen rectangle of the caret at `offset`.
    pub fn caret_rect(&self, offset: usize) -> Rect {
        self.to_screen(self.layout.caret_rect(offset, 2.0))
    }

    /// Caret nearest to a screen position.
    pub fn caret_at(&self, pos: Pos2) -> usize {
        self.layout
            .caret_at(PointF::new(pos.x - self.origin.x, pos.y - self.origin.y))
    }

    /// Character under a screen position.
    pub fn char_at(&self, pos: Pos2) -> Option<usize> {
        self.layout
            .char_at(PointF::new(pos.x - self.origin.x, pos.y - self.origin.y))
    }

    /// Screen position just inside the leading edge of character `offset` (for tests and
    /// for scrolling a caret into view).
    pub fn caret_pos(&self, offset: usize) -> Pos2 {
        let p = self.layout.caret_point(offset);
        self.origin + Vec2::new(p.x, p.y)
    }
}

fn is_marker_at(layout: &ParagraphLayout, c: usize) -> bool {
    layout.lines().iter().any(|line| {
        line.chars.contains(&c)
            && line
                .runs
                .iter()
                .any(|r| r.chars.contains(&c) && matches!(r.kind, RunKind::Marker { .. }))
    })
}

/// Marker colours: embeddings/overrides red-orange, isolates violet, marks blue, other
/// invisibles grey, controls and missing glyphs brown.
pub fn marker_color(kind: MarkerKind) -> Color32 {
    match kind {
        MarkerKind::Embedding => Color32::from_rgb(230, 90, 30),
        MarkerKind::Isolate => Color32::from_rgb(150, 90, 220),
        MarkerKind::Mark => Color32::from_rgb(40, 140, 230),
        MarkerKind::Invisible => Color32::from_rgb(130, 130, 130),
        MarkerKind::Control | MarkerKind::Missing => Color32::from_rgb(170, 110, 40),
    }
}

// ---------------------------------------------------------------------------------------------
// Cache

/// What a cached layout depends on (colour is not part of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayoutKey {
    text_hash: u64,
    text_len: usize,
    width_half_points: i32,
    size_bits: u32,
    direction: Option<TextDirection>,
}

type PlacedGalleys = Arc<Vec<(f32, f32, Arc<egui::Galley>)>>;

/// Galleys of a layout's text runs, valid for one pixels-per-point and atlas generation.
struct GalleySet {
    pixels_per_point: f32,
    atlas_generation: u64,
    families_ok: bool,
    galleys: PlacedGalleys,
}

#[derive(Default)]
struct LayoutCache {
    entries: HashMap<LayoutKey, (Arc<ParagraphLayout>, u64)>,
    galleys: HashMap<LayoutKey, GalleySet>,
    widths: HashMap<u32, WidthCache>,
    last_sweep: u64,
    /// Bumped whenever epaint's glyph atlas is seen to have been cleared (its fill ratio
    /// dropped): galleys made before point into the old atlas.
    atlas_generation: u64,
    last_fill_ratio: f32,
    last_atlas_check: Option<u64>,
}

impl LayoutCache {
    /// Entries unused for this many passes are dropped.
    const MAX_IDLE_PASSES: u64 = 600;
    const MAX_ENTRIES: usize = 20_000;

    fn sweep(&mut self, pass: u64) {
        if pass < self.last_sweep + 60 && self.entries.len() < Self::MAX_ENTRIES {
            return;
        }
        self.last_sweep = pass;
        self.entries
            .retain(|_, (_, used)| pass.saturating_sub(*used) <= Self::MAX_IDLE_PASSES);
        if self.entries.len() >= Self::MAX_ENTRIES {
            self.entries.clear();
        }
        let entries = &self.entries;
        self.galleys.retain(|key, _| entries.contains_key(key));
    }

    fn check_atlas(&mut self, ctx: &egui::Context, pass: u64) {
        if self.last_atlas_check == Some(pass) {
            return;
        }
        self.last_atlas_check = Some(pass);
        let fill = ctx.fonts(|f| f.font_atlas_fill_ratio());
        if fill < self.last_fill_ratio {
            self.atlas_generation += 1;
            self.galleys.clear();
        }
        self.last_fill_ratio = fill;
    }
}

/// Forget every cached galley (call after replacing the fonts of a context).
pub fn invalidate_galleys(ctx: &egui::Context) {
    let cache = cache_handle(ctx);
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.atlas_generation += 1;
    cache.galleys.clear();
}

/// The galleys of `layout`'s text runs with their baseline and x, from the cache or made now.
fn run_galleys(
    ctx: &egui::Context,
    layout: &ParagraphLayout,
    key: LayoutKey,
    font_size: f32,
    families_ok: bool,
) -> PlacedGalleys {
    let pass = ctx.cumulative_pass_nr();
    let ppp = ctx.pixels_per_point();
    let cache = cache_handle(ctx);
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.check_atlas(ctx, pass);
    let generation = cache.atlas_generation;
    if let Some(set) = cache.galleys.get(&key)
        && set.pixels_per_point == ppp
        && set.atlas_generation == generation
        && set.families_ok == families_ok
    {
        return Arc::clone(&set.galleys);
    }
    let mut galleys = Vec::new();
    ctx.fonts_mut(|f| {
        for line in layout.lines() {
            for run in &line.runs {
                if let RunKind::Text { slot } = run.kind {
                    let family = if families_ok {
                        fonts::slot_family(slot)
                    } else {
                        egui::FontFamily::Proportional
                    };
                    let job = LayoutJob::single_section(
                        run.display.clone(),
                        TextFormat::simple(FontId::new(font_size, family), Color32::PLACEHOLDER),
                    );
                    galleys.push((line.baseline, run.x, f.layout_job(job)));
                }
            }
        }
    });
    let galleys = Arc::new(galleys);
    cache.galleys.insert(
        key,
        GalleySet {
            pixels_per_point: ppp,
            atlas_generation: generation,
            families_ok,
            galleys: Arc::clone(&galleys),
        },
    );
    galleys
}

type SharedCache = Arc<Mutex<LayoutCache>>;

fn cache_handle(ctx: &egui::Context) -> SharedCache {
    let id = Id::unique("isnad::text::layout_cache");
    ctx.data_mut(|d| {
        d.get_temp_mut_or_insert_with(id, SharedCache::default)
            .clone()
    })
}

/// The width a [`ParagraphView`] that [shrinks to fit](ParagraphView::shrink_to_fit) takes
/// to show `text` on one line (unwrapped): what a text must measure to fit a given width.
pub fn natural_width(
    ctx: &egui::Context,
    text: &str,
    font_size: f32,
    direction: Option<TextDirection>,
) -> f32 {
    let options = LayoutOptions {
        max_width: None,
        direction,
        hard_breaks: true,
    };
    cached_layout(ctx, text, &options, font_size).width().ceil() + 1.0
}

/// The layout of `text` for these options, from the cache or computed now.
pub fn cached_layout(
    ctx: &egui::Context,
    text: &str,
    options: &LayoutOptions,
    font_size: f32,
) -> Arc<ParagraphLayout> {
    cached_layout_with_key(ctx, text, options, font_size).0
}

fn cached_layout_with_key(
    ctx: &egui::Context,
    text: &str,
    options: &LayoutOptions,
    font_size: f32,
) -> (Arc<ParagraphLayout>, LayoutKey) {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let key = LayoutKey {
        text_hash: hasher.finish(),
        text_len: text.len(),
        width_half_points: options
            .max_width
            .map_or(-1, |w| (w * 2.0).round().clamp(0.0, 1e8) as i32),
        size_bits: font_size.to_bits(),
        direction: options.direction,
    };
    let pass = ctx.cumulative_pass_nr();
    let cache = cache_handle(ctx);
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.sweep(pass);
    if let Some((layout, used)) = cache.entries.get_mut(&key)
        && layout.text() == text
    {
        *used = pass;
        return (Arc::clone(layout), key);
    }
    let widths = cache.widths.entry(font_size.to_bits()).or_default();
    let mut backend = FontBackend::new(
        fonts::standard_font_set(),
        font_size,
        ARABIC_SLOT,
        LATIN_SLOT,
        LATIN_SLOT,
        widths,
    );
    let options = LayoutOptions {
        max_width: key_width(key.width_half_points),
        ..*options
    };
    let layout = Arc::new(layout_paragraph(text, &options, &mut backend));
    cache.entries.insert(key, (Arc::clone(&layout), pass));
    cache.galleys.remove(&key);
    (layout, key)
}

fn key_width(half_points: i32) -> Option<f32> {
    (half_points >= 0).then_some(half_points as f32 * 0.5)
}

// ---------------------------------------------------------------------------------------------
// AccessKit

fn report_accesskit(
    ui: &mut Ui,
    response: &Response,
    layout: &ParagraphLayout,
    origin: Pos2,
    selection: Option<Range<usize>>,
) {
    let enabled = ui.is_enabled();
    let text = layout.text().to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, enabled, &text));
    if ui
        .ctx()
        .accesskit_node_builder(response.id, |_| ())
        .is_none()
    {
        return; // AccessKit is off
    }

    let chars = layout.chars();
    let mut line_ids = Vec::with_capacity(layout.lines().len());
    for (index, line) in layout.lines().iter().enumerate() {
        let id = response.id.with(("isnad-line", index));
        let rect = Rect::from_min_max(
            origin + vec2(line.left, line.top),
            origin + vec2(line.right.max(line.left), line.top + line.height),
        );
        let child = ui.new_child(
            egui::UiBuilder::new()
                .scope_id(id)
                .max_rect(rect)
                .accessibility_parent(response.id)
                .accessibility_role(egui::Role::TextRun),
        );
        let line_chars = &chars[line.chars.clone()];
        let value: String = line_chars.iter().collect();
        let lengths: Vec<u8> = line_chars.iter().map(|c| c.len_utf8() as u8).collect();
        let direction = if line.direction.is_rtl() {
            egui::accesskit::TextDirection::RightToLeft
        } else {
            egui::accesskit::TextDirection::LeftToRight
        };
        ui.ctx().accesskit_node_builder(child.unique_id(), |node| {
            node.set_role(egui::Role::TextRun);
            node.set_value(value);
            node.set_character_lengths(lengths);
            node.set_text_direction(direction);
            node.set_bounds(egui::accesskit::Rect {
                x0: rect.min.x.into(),
                y0: rect.min.y.into(),
                x1: rect.max.x.into(),
                y1: rect.max.y.into(),
            });
        });
        line_ids.push(child.unique_id());
    }

    if let Some(selection) = selection {
        let position = |offset: usize| {
            let offset = offset.min(chars.len());
            let line = layout
                .lines()
                .iter()
                .position(|l| l.chars.contains(&offset))
                .unwrap_or(layout.lines().len().saturating_sub(1));
            let start = layout.lines().get(line).map_or(0, |l| l.chars.start);
            egui::accesskit::TextPosition {
                node: line_ids
                    .get(line)
                    .copied()
                    .unwrap_or(response.id)
                    .accesskit_id(),
                character_index: offset - start,
            }
        };
        let anchor = position(selection.start);
        let focus = position(selection.end);
        ui.ctx().accesskit_node_builder(response.id, |node| {
            node.set_text_selection(egui::accesskit::TextSelection { anchor, focus });
        });
    }
}
