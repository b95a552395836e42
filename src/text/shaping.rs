//! Fonts without egui: which characters a font covers (read from its `cmap` table), its
//! vertical metrics, how harfrust guesses a run's direction, and harfrust shaping of a
//! single-font run into glyph clusters (for widths and caret positions).
//!
//! Shaping here is done exactly as epaint 0.37 does it for a one-font galley (same harfrust
//! version, `guess_segment_properties`, beginning/end-of-text flags, advances scaled by
//! `font_size × tweak scale / units_per_em`), so widths measured here are the widths of the
//! galleys the widget paints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use harfrust::{
    BufferFlags, Direction, FontRef, Script, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer,
};

use crate::text::bidi::TextDirection;

/// Raw font file bytes shared with egui.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Errors reading a font file.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("font {name:?}: {reason}")]
    Unparsable { name: String, reason: String },
    #[error("font {name:?} has no Unicode cmap subtable (format 4 or 12)")]
    NoUnicodeCmap { name: String },
}

/// Index of a face in a [`FontSet`]; each piece of text is drawn with exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontSlot(pub u8);

/// The set of code points a font maps to a real glyph, as sorted inclusive ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CharCoverage {
    ranges: Vec<(u32, u32)>,
}

impl CharCoverage {
    pub fn covers(&self, c: char) -> bool {
        let c = c as u32;
        let idx = self.ranges.partition_point(|&(_, end)| end < c);
        self.ranges.get(idx).is_some_and(|&(start, _)| start <= c)
    }

    /// Number of covered code points.
    pub fn len(&self) -> usize {
        self.ranges.iter().map(|&(s, e)| (e - s + 1) as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    fn from_code_points(mut points: Vec<u32>) -> Self {
        points.sort_unstable();
        points.dedup();
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for p in points {
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == p => *end = p,
                _ => ranges.push((p, p)),
            }
        }
        Self { ranges }
    }

    /// Reads the Unicode `cmap` subtables (formats 4 and 12) of a font file.
    pub fn from_font(name: &str, bytes: &[u8]) -> Result<Self, FontError> {
        let unparsable = |reason: &str| FontError::Unparsable {
            name: name.to_owned(),
            reason: reason.to_owned(),
        };
        let font = FontRef::new(bytes).map_err(|e| unparsable(&e.to_string()))?;
        let cmap = font
            .table_data(harfrust::Tag::new(b"cmap"))
            .ok_or_else(|| unparsable("no cmap table"))?;
        let data = cmap.as_bytes();
        let num_tables = read_u16(data, 2).ok_or_else(|| unparsable("truncated cmap"))?;
        let mut points = Vec::new();
        let mut found = false;
        for t in 0..num_tables as usize {
            let rec = 4 + t * 8;
            let (Some(platform), Some(encoding), Some(offset)) = (
                read_u16(data, rec),
                read_u16(data, rec + 2),
                read_u32(data, rec + 4),
            ) else {
                break;
            };
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if !unicode {
                continue;
            }
            let Some(sub) = data.get(offset as usize..) else {
                continue;
            };
            match read_u16(sub, 0) {
                Some(4) => found |= read_format4(sub, &mut points),
                Some(12) => found |= read_format12(sub, &mut points),
                _ => {}
            }
        }
        if !found {
            return Err(FontError::NoUnicodeCmap {
                name: name.to_owned(),
            });
        }
        Ok(Self::from_code_points(points))
    }
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at + 2)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn read_i16(data: &[u8], at: usize) -> Option<i16> {
    read_u16(data, at).map(|v| v as i16)
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// cmap format 4 (BMP segments). Returns whether the subtable was readable.
fn read_format4(sub: &[u8], points: &mut Vec<u32>) -> bool {
    let Some(seg_count_x2) = read_u16(sub, 6) else {
        return false;
    };
    let seg_count = seg_count_x2 as usize / 2;
    let end_codes = 14;
    let start_codes = end_codes + seg_count_x2 as usize + 2;
    let id_deltas = start_codes + seg_count_x2 as usize;
    let id_range_offsets = id_deltas + seg_count_x2 as usize;
    for s in 0..seg_count {
        let (Some(end), Some(start), Some(delta), Some(range_offset)) = (
            read_u16(sub, end_codes + 2 * s),
            read_u16(sub, start_codes + 2 * s),
            read_u16(sub, id_deltas + 2 * s),
            read_u16(sub, id_range_offsets + 2 * s),
        ) else {
            return false;
        };
        if start > end {
            continue;
        }
        for c in start..=end {
            let glyph = if range_offset == 0 {
                c.wrapping_add(delta)
            } else {
                let at =
                    id_range_offsets + 2 * s + range_offset as usize + 2 * (c - start) as usize;
                match read_u16(sub, at) {
                    Some(0) | None => 0,
                    Some(g) => g.wrapping_add(delta),
                }
            };
            if glyph != 0 && c != 0xFFFF {
                points.push(c as u32);
            }
        }
    }
    true
}

/// cmap format 12 (segmented coverage, all planes).
fn read_format12(sub: &[u8], points: &mut Vec<u32>) -> bool {
    let Some(groups) = read_u32(sub, 12) else {
        return false;
    };
    for g in 0..groups as usize {
        let at = 16 + g * 12;
        let (Some(start), Some(end), Some(glyph)) = (
            read_u32(sub, at),
            read_u32(sub, at + 4),
            read_u32(sub, at + 8),
        ) else {
            return false;
        };
        if start > end || end > 0x10FFFF || end - start > 0x10FFFF {
            continue;
        }
        for c in start..=end {
            if glyph + (c - start) != 0 {
                points.push(c);
            }
        }
    }
    true
}

/// Vertical metrics in font units (hhea, or OS/2 typo metrics when USE_TYPO_METRICS is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaceMetrics {
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    pub line_gap: i16,
}

impl FaceMetrics {
    fn read(font: &FontRef<'_>) -> Option<Self> {
        let head = font.table_data(harfrust::Tag::new(b"head"))?;
        let units_per_em = read_u16(head.as_bytes(), 18)?;
        let hhea = font.table_data(harfrust::Tag::new(b"hhea"))?;
        let hhea = hhea.as_bytes();
        let mut metrics = Self {
            units_per_em,
            ascender: read_i16(hhea, 4)?,
            descender: read_i16(hhea, 6)?,
            line_gap: read_i16(hhea, 8)?,
        };
        if let Some(os2) = font.table_data(harfrust::Tag::new(b"OS/2")) {
            let os2 = os2.as_bytes();
            let use_typo = read_u16(os2, 62).is_some_and(|fs| fs & (1 << 7) != 0);
            if (use_typo || metrics.ascender == 0)
                && let (Some(a), Some(d), Some(g)) =
                    (read_i16(os2, 68), read_i16(os2, 70), read_i16(os2, 72))
            {
                metrics.ascender = a;
                metrics.descender = d;
                metrics.line_gap = g;
            }
        }
        Some(metrics)
    }
}

/// One font of a [`FontSet`].
pub struct Face {
    pub name: String,
    bytes: FontBytes,
    /// epaint's `FontTweak::scale` for this face (glyphs are drawn `scale` times larger).
    pub scale: f32,
    pub coverage: CharCoverage,
    pub metrics: FaceMetrics,
    shaper_data: ShaperData,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("name", &self.name)
            .field("scale", &self.scale)
            .field("covered", &self.coverage.len())
            .field("metrics", &self.metrics)
            .finish()
    }
}

impl Face {
    pub fn new(name: &str, bytes: FontBytes, scale: f32) -> Result<Self, FontError> {
        let data: &[u8] = (*bytes).as_ref();
        let font = FontRef::new(data).map_err(|e| FontError::Unparsable {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        let metrics = FaceMetrics::read(&font).ok_or_else(|| FontError::Unparsable {
            name: name.to_owned(),
            reason: "missing head/hhea table".to_owned(),
        })?;
        let coverage = CharCoverage::from_font(name, data)?;
        let shaper_data = ShaperData::new(&font);
        Ok(Self {
            name: name.to_owned(),
            bytes,
            scale,
            coverage,
            metrics,
            shaper_data,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        (*self.bytes).as_ref()
    }

    pub fn shared_bytes(&self) -> FontBytes {
        Arc::clone(&self.bytes)
    }

    /// Points per font unit at `font_size`.
    pub fn units_to_points(&self, font_size: f32) -> f32 {
        font_size * self.scale / f32::from(self.metrics.units_per_em.max(1))
    }
}

/// A glyph cluster of a shaped run, in visual order: the text bytes `bytes` of the shaped
/// string drawn between `x0` and `x1` (points, from the run's left edge).
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub bytes: std::ops::Range<usize>,
    pub x0: f32,
    pub x1: f32,
}

/// A shaped run: total advance and clusters left to right.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShapedRun {
    pub width: f32,
    pub clusters: Vec<Cluster>,
}

type PlanKey = (FontSlot, bool, Option<Script>);

/// The faces text is drawn with, in fallback order (slot 0 first), plus caches of harfrust
/// shape plans.
pub struct FontSet {
    faces: Vec<Face>,
    plans: Mutex<HashMap<PlanKey, Arc<ShapePlan>>>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("faces", &self.faces)
            .finish()
    }
}

impl FontSet {
    pub fn new(faces: Vec<Face>) -> Self {
        Self {
            faces,
            plans: Mutex::new(HashMap::new()),
        }
    }

    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    pub fn face(&self, slot: FontSlot) -> Option<&Face> {
        self.faces.get(slot.0 as usize)
    }

    /// Bit `k` set when face `k` covers `c` (at most 32 faces are considered).
    pub fn coverage_mask(&self, c: char) -> u32 {
        let mut mask = 0;
        for (k, face) in self.faces.iter().enumerate().take(32) {
            if face.coverage.covers(c) {
                mask |= 1 << k;
            }
        }
        mask
    }

    /// Shapes `text` with the face in `slot` as epaint does for a one-font galley.
    pub fn shape(&self, slot: FontSlot, text: &str, font_size: f32) -> ShapedRun {
        let Some(face) = self.face(slot) else {
            return ShapedRun::default();
        };
        if text.is_empty() {
            return ShapedRun::default();
        }
        let Ok(font) = FontRef::new(face.bytes()) else {
            return ShapedRun::default();
        };
        let shaper = face.shaper_data.shaper(&font).build();

        let mut buffer = UnicodeBuffer::new();
        buffer.set_flags(BufferFlags::BEGINNING_OF_TEXT | BufferFlags::END_OF_TEXT);
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let rtl = buffer.direction() == Direction::RightToLeft;
        let script = Some(buffer.script()).filter(|s| *s != harfrust::script::UNKNOWN);

        let plan = {
            let key = (slot, rtl, script);
            let mut plans = self
                .plans
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(plans.entry(key).or_insert_with(|| {
                Arc::new(ShapePlan::new(
                    &shaper,
                    buffer.direction(),
                    script,
                    None,
                    &[],
                ))
            }))
        };
        let glyphs = shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)));

        let scale = face.units_to_points(font_size);
        let mut starts: Vec<usize> = glyphs
            .glyph_infos()
            .iter()
            .map(|g| g.cluster as usize)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |start: usize| {
            let idx = starts.partition_point(|&s| s <= start);
            starts.get(idx).copied().unwrap_or(text.len())
        };

        let mut x = 0.0f32;
        let mut clusters: Vec<Cluster> = Vec::new();
        for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
            let advance = pos.x_advance as f32 * scale;
            let start = info.cluster as usize;
            match clusters.last_mut() {
                Some(last) if last.bytes.start == start => last.x1 = x + advance,
                _ => clusters.push(Cluster {
                    bytes: start..end_of(start),
                    x0: x,
                    x1: x + advance,
                }),
            }
            x += advance;
        }
        ShapedRun { width: x, clusters }
    }
}

/// The direction harfrust's `guess_segment_properties` gives `text`: that of the script of
/// its first character whose script is not Common/Inherited/Unknown, else left to right.
pub fn guessed_direction(text: &str) -> TextDirection {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    if buffer.direction() == Direction::RightToLeft {
        TextDirection::Rtl
    } else {
        TextDirection::Ltr
    }
}

/// The direction of `c`'s script as harfrust sees it, or `None` for Common, Inherited and
/// Unknown characters (digits, punctuation, spaces, combining marks).
pub fn script_direction(c: char) -> Option<TextDirection> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(TextDirection::Ltr);
    }
    let mut buffer = UnicodeBuffer::new();
    let mut tmp = [0u8; 4];
    buffer.push_str(c.encode_utf8(&mut tmp));
    buffer.guess_segment_properties();
    if buffer.script() == harfrust::script::UNKNOWN {
        return None;
    }
    Some(if buffer.direction() == Direction::RightToLeft {
        TextDirection::Rtl
    } else {
        TextDirection::Ltr
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASKH: &[u8] = include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf");

    fn naskh() -> Face {
        Face::new("naskh", Arc::new(NASKH), 1.0).expect("Noto Naskh parses")
    }

    #[test]
    fn naskh_coverage_matches_the_known_facts() {
        let face = naskh();
        for c in " !,.0123456789:٠١٢٣٤٥٦٧٨٩\u{200C}\u{200D}\u{200E}\u{200F}\u{A0}«»بيتأً".chars()
        {
            assert!(face.coverage.covers(c), "Naskh should cover {c:?}");
        }
        for c in "()“”–…aZ".chars() {
            assert!(!face.coverage.covers(c), "Naskh should not cover {c:?}");
        }
        assert_eq!(face.metrics.units_per_em, 1000);
    }

    #[test]
    fn harfrust_guesses_direction_from_first_real_script() {
        assert_eq!(guessed_direction("2254"), TextDirection::Ltr);
        assert_eq!(guessed_direction("٢٠٢٤"), TextDirection::Rtl);
        assert_eq!(guessed_direction(" «بيت"), TextDirection::Rtl);
        assert_eq!(guessed_direction("،"), TextDirection::Ltr);
        assert_eq!(script_direction('ب'), Some(TextDirection::Rtl));
        assert_eq!(script_direction('٣'), Some(TextDirection::Rtl));
        assert_eq!(script_direction('\u{064B}'), None);
        assert_eq!(script_direction('،'), None);
        assert_eq!(script_direction('ö'), Some(TextDirection::Ltr));
    }

    #[test]
    fn rtl_shaping_gives_visual_order_clusters() {
        let set = FontSet::new(vec![naskh()]);
        let run = set.shape(FontSlot(0), "بيت", 20.0);
        assert!(run.width > 0.0);
        // Visual order left to right: the last logical letter (ت, byte 4) comes first.
        let starts: Vec<usize> = run.clusters.iter().map(|c| c.bytes.start).collect();
        assert_eq!(starts, vec![4, 2, 0]);
    }

    #[test]
    fn harfrust_mirrors_in_rtl_runs() {
        // « and » are both in Naskh; in an RTL run harfrust swaps them by itself.
        let set = FontSet::new(vec![naskh()]);
        let font = FontRef::new(NASKH).expect("font");
        let shaper = set.faces()[0].shaper_data.shaper(&font).build();
        let glyph_of = |text: &str| {
            let mut b = UnicodeBuffer::new();
            b.push_str(text);
            b.guess_segment_properties();
            let out = shaper.shape(b, ShapeOptions::new());
            out.glyph_infos()
                .iter()
                .map(|g| g.glyph_id)
                .collect::<Vec<_>>()
        };
        let ltr_open = glyph_of("«")[0];
        let ltr_close = glyph_of("»")[0];
        // In "«ب" (RTL run) the « is drawn with the » glyph.
        let rtl = glyph_of("«ب");
        assert!(
            rtl.contains(&ltr_close),
            "{rtl:?} should contain the mirrored glyph {ltr_close}"
        );
        assert!(!rtl.contains(&ltr_open));
    }
}
