//! The views of the app, one file each. A view draws from the app's state and pushes
//! [`crate::app::Action`]s; it never writes to the database itself.

pub mod adjudication;
pub mod agreement;
pub mod claim_panel;
pub mod dialogs;
pub mod documents;
pub mod entity_picker;
pub mod guidelines;
pub mod menu;
pub mod reading;
pub mod shortcuts;
pub mod status;
pub mod welcome;

use crate::text::ParagraphView;

/// Mixed Arabic/Latin text drawn bidi-correct (egui's own labels have no bidi). Not
/// selectable; wraps at the available width.
pub fn text_label(ui: &mut egui::Ui, text: &str, size: f32) -> egui::Response {
    ParagraphView::new(text)
        .font_size(size)
        .shrink_to_fit()
        .sense(egui::Sense::hover())
        .show(ui)
        .response
}

/// Like [`text_label`] with a colour and a fixed wrap width.
pub fn text_label_colored(
    ui: &mut egui::Ui,
    text: &str,
    size: f32,
    color: egui::Color32,
    width: f32,
) -> egui::Response {
    ParagraphView::new(text)
        .font_size(size)
        .color(color)
        .max_width(width)
        .shrink_to_fit()
        .sense(egui::Sense::hover())
        .show(ui)
        .response
}

/// A short piece of mixed text on one line (names, labels) at the body size, bidi-correct.
pub fn inline(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let size = egui::TextStyle::Body.resolve(ui.style()).size;
    ParagraphView::new(text)
        .font_size(size)
        .max_width(ui.available_width().max(size * 4.0))
        .shrink_to_fit()
        .sense(egui::Sense::hover())
        .show(ui)
        .response
}

/// `text` elided with "…" to `max_width` at `size` points (measured by the real layout,
/// [`crate::text::elide`]).
pub fn elided<'a>(
    ui: &egui::Ui,
    text: &'a str,
    size: f32,
    max_width: f32,
) -> std::borrow::Cow<'a, str> {
    let ctx = ui.ctx();
    crate::text::elide::elide(text, max_width, |candidate| {
        crate::text::widget::natural_width(ctx, candidate, size, None)
    })
}

/// Like [`inline`] on one line no wider than `max_width`: a longer text is elided with "…",
/// the whole of it shown on hover.
pub fn inline_elided(ui: &mut egui::Ui, text: &str, max_width: f32) -> egui::Response {
    let size = egui::TextStyle::Body.resolve(ui.style()).size;
    let shown = elided(ui, text, size, max_width);
    let response = ParagraphView::new(&shown)
        .font_size(size)
        .max_width(max_width.max(1.0))
        .shrink_to_fit()
        .sense(egui::Sense::hover())
        .show(ui)
        .response;
    if shown == text {
        response
    } else {
        response.on_hover_ui(|ui| {
            text_label(ui, text, size);
        })
    }
}

/// The width [`inline`] takes for `text`, unwrapped.
pub fn inline_width(ui: &egui::Ui, text: &str) -> f32 {
    let size = egui::TextStyle::Body.resolve(ui.style()).size;
    crate::text::widget::natural_width(ui.ctx(), text, size, None)
}

/// The height [`inline`] takes for `text` on one line.
pub fn inline_height(ui: &egui::Ui, text: &str) -> f32 {
    let size = egui::TextStyle::Body.resolve(ui.style()).size;
    let options = crate::text::LayoutOptions {
        max_width: None,
        direction: None,
        hard_breaks: true,
    };
    crate::text::widget::cached_layout(ui.ctx(), text, &options, size)
        .height()
        .max(1.0)
}

/// Two names on one line, "first ➡ second", each elided to its share of `max_width`.
/// Returns the two names' responses.
pub fn name_pair(
    ui: &mut egui::Ui,
    first: &str,
    second: &str,
    max_width: f32,
) -> (egui::Response, egui::Response) {
    let arrow = ui
        .painter()
        .layout_no_wrap(
            "➡".to_owned(),
            egui::TextStyle::Body.resolve(ui.style()),
            egui::Color32::WHITE,
        )
        .size()
        .x;
    let spacing = ui.spacing().item_spacing.x * 2.0;
    let (a, b) = crate::text::elide::share_width(
        inline_width(ui, first),
        inline_width(ui, second),
        max_width - arrow - spacing,
    );
    let first = inline_elided(ui, first, a);
    ui.label("➡");
    let second = inline_elided(ui, second, b);
    (first, second)
}

/// A button whose label may mix Arabic and Latin (egui's buttons have no bidi), laid out
/// left to right. `fill` colours the button when `selected`.
pub fn bidi_button(
    ui: &mut egui::Ui,
    text: &str,
    text_color: egui::Color32,
    fill: Option<egui::Color32>,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
) -> egui::Response {
    let size = egui::TextStyle::Button.resolve(ui.style()).size;
    let padding = ui.spacing().button_padding;
    let visuals = ui.visuals().clone();
    let inner = egui::Frame::NONE
        .inner_margin(egui::Margin::symmetric(padding.x as i8, padding.y as i8))
        .corner_radius(visuals.widgets.inactive.corner_radius)
        .fill(fill.unwrap_or(visuals.widgets.inactive.weak_bg_fill))
        .show(ui, |ui| {
            ParagraphView::new(text)
                .font_size(size)
                .color(text_color)
                .direction(Some(crate::text::TextDirection::Ltr))
                .max_width(size * 30.0)
                .shrink_to_fit()
                .sense(egui::Sense::hover())
                .id_salt(("bidi-button", id_salt))
                .show(ui)
        });
    let response = inner.response.interact(egui::Sense::click());
    if response.hovered() {
        ui.painter().rect_stroke(
            response.rect,
            visuals.widgets.hovered.corner_radius,
            visuals.widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text));
    response
}

/// Text cut to `max_chars` characters with an ellipsis.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// True when the first strong character of the text is right-to-left (UAX #9 P2).
pub fn is_rtl(text: &str) -> bool {
    use unicode_bidi::BidiClass;
    text.chars()
        .map(unicode_bidi::bidi_class)
        .find(|class| matches!(class, BidiClass::L | BidiClass::R | BidiClass::AL))
        .is_some_and(|class| class != BidiClass::L)
}
