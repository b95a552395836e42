//! Fonts for egui: the bundled Noto Naskh Arabic plus egui's default Latin font
//! (Ubuntu-Light) and icon font, installed into an [`egui::Context`] under one family per
//! *font slot*, and the same faces as a pure [`FontSet`] for layout and hit-testing.
//!
//! A piece of text drawn in slot `k` uses the family [`slot_family`]`(k)`, whose first face
//! is face `k`. Layout only gives a slot characters that face covers, so epaint never
//! splits a piece into several font runs (which it would lay out left to right).
//!
//! Call [`install_fonts`] once at start-up (eframe creation context) and in every test
//! harness: `Harness::builder().with_context_setup(isnad::text::install_fonts)`.

use std::sync::{Arc, OnceLock};

use crate::text::shaping::{Face, FontBytes, FontSet, FontSlot};

/// The bundled Arabic font.
pub const NOTO_NASKH_ARABIC: &[u8] = include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf");

/// Name of the Arabic font in egui's font definitions.
pub const ARABIC_FONT_NAME: &str = "NotoNaskhArabic-Regular";
/// Name of egui's default proportional Latin font.
pub const LATIN_FONT_NAME: &str = "Ubuntu-Light";
/// Name of egui's icon font.
pub const SYMBOL_FONT_NAME: &str = "egui-icons";

/// Slot of the Arabic face (preferred for digits and punctuation in right-to-left text).
pub const ARABIC_SLOT: FontSlot = FontSlot(0);
/// Slot of the Latin face (preferred in left-to-right text, draws marker labels).
pub const LATIN_SLOT: FontSlot = FontSlot(1);
/// Slot of the icon face.
pub const SYMBOL_SLOT: FontSlot = FontSlot(2);

/// Naskh is drawn this much larger than its nominal size so Arabic and Latin letters of
/// one font size look alike (Naskh's letters are small for its em).
pub const ARABIC_SCALE: f32 = 1.15;

/// egui's monochrome emoji fonts (arrows, check marks, symbols), the last fallbacks.
pub const EMOJI_FONT_NAMES: [&str; 2] = ["NotoEmoji-Regular", "emoji-icon-font"];

/// Face names in slot order.
const FACE_NAMES: [&str; 5] = [
    ARABIC_FONT_NAME,
    LATIN_FONT_NAME,
    SYMBOL_FONT_NAME,
    EMOJI_FONT_NAMES[0],
    EMOJI_FONT_NAMES[1],
];

/// The egui family that draws with slot `slot` first.
pub fn slot_family(slot: FontSlot) -> egui::FontFamily {
    egui::FontFamily::Name(format!("isnad-slot-{}", slot.0).into())
}

/// egui's default definitions plus Noto Naskh Arabic: one family per slot, and Naskh as
/// the last fallback of the Proportional and Monospace families (so ordinary labels can
/// draw Arabic letters too, although without bidi).
pub fn font_definitions() -> egui::FontDefinitions {
    let mut defs = egui::FontDefinitions::default();
    defs.font_data.insert(
        ARABIC_FONT_NAME.to_owned(),
        Arc::new(egui::FontData::from_static(NOTO_NASKH_ARABIC).tweak(
            egui::epaint::text::FontTweak {
                scale: ARABIC_SCALE,
                ..Default::default()
            },
        )),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = defs.families.entry(family).or_default();
        if !list.iter().any(|n| n == ARABIC_FONT_NAME) {
            list.push(ARABIC_FONT_NAME.to_owned());
        }
    }
    let available: Vec<&str> = FACE_NAMES
        .iter()
        .copied()
        .filter(|name| defs.font_data.contains_key(*name))
        .collect();
    for (k, first) in available.iter().enumerate() {
        let mut chain = vec![(*first).to_owned()];
        chain.extend(
            available
                .iter()
                .filter(|n| *n != first)
                .map(|n| (*n).to_owned()),
        );
        defs.families.insert(slot_family(FontSlot(k as u8)), chain);
    }
    defs
}

/// Installs the fonts into `ctx` (takes effect from the next pass).
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// Are the slot families installed in `ctx`?
pub fn fonts_installed(ctx: &egui::Context) -> bool {
    ctx.fonts(|f| {
        f.definitions()
            .families
            .contains_key(&slot_family(ARABIC_SLOT))
    })
}

/// The faces of [`font_definitions`] in slot order, for layout and hit-testing. Built once.
pub fn standard_font_set() -> &'static FontSet {
    static SET: OnceLock<FontSet> = OnceLock::new();
    SET.get_or_init(|| {
        let defs = font_definitions();
        let mut faces = Vec::new();
        for name in FACE_NAMES {
            let Some(data) = defs.font_data.get(name) else {
                continue;
            };
            let bytes: FontBytes = Arc::clone(&data.font);
            match Face::new(name, bytes, data.tweak.scale) {
                Ok(face) => faces.push(face),
                Err(error) => log_font_error(&error),
            }
        }
        FontSet::new(faces)
    })
}

fn log_font_error(error: &crate::text::shaping::FontError) {
    eprintln!("isnad: font not usable: {error}");
}

/// The font file of `slot` (the bytes harfrust shapes for hit-testing).
pub fn font_bytes(slot: FontSlot) -> Option<&'static [u8]> {
    standard_font_set().face(slot).map(Face::bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_set_has_arabic_latin_and_symbols() {
        let set = standard_font_set();
        let names: Vec<&str> = set.faces().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, FACE_NAMES.to_vec());
        assert!(
            set.face(ARABIC_SLOT)
                .is_some_and(|f| f.coverage.covers('ب'))
        );
        assert!(set.face(LATIN_SLOT).is_some_and(|f| f.coverage.covers('ö')));
        assert!(set.face(LATIN_SLOT).is_some_and(|f| f.coverage.covers('“')));
        assert!(font_bytes(ARABIC_SLOT).is_some_and(|b| b.len() > 10_000));
    }

    #[test]
    fn every_slot_family_starts_with_its_face() {
        let defs = font_definitions();
        for (k, name) in FACE_NAMES.iter().enumerate() {
            let family = defs.families.get(&slot_family(FontSlot(k as u8)));
            assert_eq!(
                family.and_then(|f| f.first()).map(String::as_str),
                Some(*name)
            );
        }
    }

    #[test]
    fn mirrored_pairs_of_covered_brackets_are_covered() {
        // Layout may swap a bracket for its mirror image in the same face.
        let set = standard_font_set();
        for face in set.faces() {
            for c in "()[]{}<>«»‹›".chars() {
                if face.coverage.covers(c) {
                    let m = crate::text::bidi::mirrored(c).unwrap_or(c);
                    assert!(
                        face.coverage.covers(m),
                        "{} covers {c:?} but not {m:?}",
                        face.name
                    );
                }
            }
        }
    }
}
