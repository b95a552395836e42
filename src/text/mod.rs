//! The text layer: bidi-correct, shaped, wrapped, selectable and hit-testable paragraphs.
//!
//! epaint 0.37 shapes with harfrust but has no bidi: it lays a galley's font runs out left to
//! right in logical order and lets harfrust guess each run's direction from its first
//! character with a real script. This layer therefore does the Unicode Bidirectional
//! Algorithm itself and hands epaint only *pieces* that are single-font and single-direction,
//! in the form that makes harfrust draw them the right way round.
//!
//! Pipeline (all pure Rust except the last two modules):
//! - [`bidi`]: paragraph direction, resolved embedding levels (UAX #9 via `unicode-bidi`,
//!   adjusted so retained formatting characters sit where ICU puts them), rule L1 per line,
//!   rule L2, mirroring.
//! - [`chars`]: which characters are drawn as visible markers (bidi controls, zero-width
//!   and other invisible characters, characters no font has).
//! - [`breaking`]: UAX #14 line-break opportunities.
//! - [`shaping`]: fonts without egui: `cmap` coverage, harfrust shaping of a run into glyph
//!   clusters (widths and caret positions), the direction harfrust will guess.
//! - [`layout`]: splits a paragraph into measured atoms, breaks lines in logical order,
//!   reorders each visual line, and places runs; generic over a [`layout::TextBackend`] so
//!   the GUI (font metrics) and the CLI (one column per character) share one code path.
//! - [`geometry`]: hit-testing (position → caret / character) and range → rectangles.
//! - [`words`]: word snapping and clitic boundaries for Arabic.
//! - [`elide`]: cutting a name to a width with "…", measured by the real layout.
//! - [`plain`]: [`visual_lines`], plain-text visual order (one column per character) for
//!   `isnad bidi` and the layout tests.
//! - [`fonts`] (egui): installs Noto Naskh Arabic plus egui's Latin font and names the
//!   families the widget uses.
//! - [`widget`] (egui): [`ParagraphView`], the paragraph widget with highlights, selection,
//!   markers for invisible characters, caching and AccessKit output.

pub mod bidi;
pub mod breaking;
pub mod chars;
pub mod elide;
pub mod fonts;
pub mod geometry;
pub mod layout;
pub mod plain;
pub mod shaping;
pub mod widget;
pub mod words;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod kittest_tests;
#[cfg(test)]
mod layout_tests;

pub use bidi::TextDirection;
pub use fonts::{install_fonts, standard_font_set};
pub use geometry::{CharRect, PointF};
pub use layout::{LayoutOptions, ParagraphLayout};
pub use plain::visual_lines;
pub use widget::{Highlight, ParagraphResponse, ParagraphView};
