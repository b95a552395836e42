//! Characters that are drawn as small visible markers instead of (or as well as) doing their
//! invisible job, so a document can never silently display something other than what it
//! contains ("Trojan Source"): bidi embedding/override/isolate controls and marks, zero-width
//! and other format characters, line/paragraph separators and control characters.
//!
//! ZWJ and ZWNJ are deliberately *not* markers: they are legitimate inside Arabic words and
//! must stay inside the shaped run so joining works. Combining marks are never markers.

/// What family of invisible character a marker stands for (the widget colours them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkerKind {
    /// LRE, RLE, PDF, LRO, RLO: embeddings and overrides (the dangerous ones).
    Embedding,
    /// LRI, RLI, FSI, PDI.
    Isolate,
    /// LRM, RLM, ALM.
    Mark,
    /// Zero-width space, word joiner, BOM, soft hyphen and other invisible format characters.
    Invisible,
    /// Line, paragraph and other separators, C0/C1 control characters.
    Control,
    /// A character that no installed font can draw.
    Missing,
}

/// A marker's short label (drawn) and full name (tooltip).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkerInfo {
    pub short: &'static str,
    pub name: &'static str,
    pub kind: MarkerKind,
}

const fn info(short: &'static str, name: &'static str, kind: MarkerKind) -> Option<MarkerInfo> {
    Some(MarkerInfo { short, name, kind })
}

/// The marker drawn for `c`, if `c` is one of the characters that must be made visible.
/// Characters missing from every font are handled separately ([`missing_label`]).
pub fn marker_info(c: char) -> Option<MarkerInfo> {
    use MarkerKind::*;
    match c {
        '\u{202A}' => info("LRE", "LEFT-TO-RIGHT EMBEDDING", Embedding),
        '\u{202B}' => info("RLE", "RIGHT-TO-LEFT EMBEDDING", Embedding),
        '\u{202C}' => info("PDF", "POP DIRECTIONAL FORMATTING", Embedding),
        '\u{202D}' => info("LRO", "LEFT-TO-RIGHT OVERRIDE", Embedding),
        '\u{202E}' => info("RLO", "RIGHT-TO-LEFT OVERRIDE", Embedding),
        '\u{2066}' => info("LRI", "LEFT-TO-RIGHT ISOLATE", Isolate),
        '\u{2067}' => info("RLI", "RIGHT-TO-LEFT ISOLATE", Isolate),
        '\u{2068}' => info("FSI", "FIRST STRONG ISOLATE", Isolate),
        '\u{2069}' => info("PDI", "POP DIRECTIONAL ISOLATE", Isolate),
        '\u{200E}' => info("LRM", "LEFT-TO-RIGHT MARK", Mark),
        '\u{200F}' => info("RLM", "RIGHT-TO-LEFT MARK", Mark),
        '\u{061C}' => info("ALM", "ARABIC LETTER MARK", Mark),
        '\u{200B}' => info("ZWSP", "ZERO WIDTH SPACE", Invisible),
        '\u{2060}' => info("WJ", "WORD JOINER", Invisible),
        '\u{FEFF}' => info(
            "BOM",
            "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)",
            Invisible,
        ),
        '\u{00AD}' => info("SHY", "SOFT HYPHEN", Invisible),
        '\u{180E}' => info("MVS", "MONGOLIAN VOWEL SEPARATOR", Invisible),
        '\u{2061}' => info("FA", "FUNCTION APPLICATION", Invisible),
        '\u{2062}' => info("IT", "INVISIBLE TIMES", Invisible),
        '\u{2063}' => info("IS", "INVISIBLE SEPARATOR", Invisible),
        '\u{2064}' => info("IP", "INVISIBLE PLUS", Invisible),
        '\u{206A}'..='\u{206F}' => info("FMT", "DEPRECATED FORMAT CHARACTER", Invisible),
        '\u{FFF9}'..='\u{FFFB}' => info("ANN", "INTERLINEAR ANNOTATION CHARACTER", Invisible),
        '\u{2028}' => info("LSEP", "LINE SEPARATOR", Control),
        '\u{2029}' => info("PSEP", "PARAGRAPH SEPARATOR", Control),
        '\r' => info("CR", "CARRIAGE RETURN", Control),
        '\u{0B}' => info("VT", "LINE TABULATION", Control),
        '\u{0C}' => info("FF", "FORM FEED", Control),
        '\u{85}' => info("NEL", "NEXT LINE", Control),
        '\u{1C}'..='\u{1F}' => info("SEP", "INFORMATION SEPARATOR", Control),
        '\u{00}'..='\u{08}' | '\u{0E}'..='\u{1B}' | '\u{7F}'..='\u{84}' | '\u{86}'..='\u{9F}' => {
            info("CTRL", "CONTROL CHARACTER", Control)
        }
        _ => None,
    }
}

/// Label for a character no font has: its code point, e.g. `U+1F600`.
pub fn missing_label(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Tooltip text for a marker: code point and name.
pub fn marker_tooltip(c: char) -> String {
    match marker_info(c) {
        Some(info) => format!("U+{:04X} {}", c as u32, info.name),
        None => format!("U+{:04X} (no font can draw this character)", c as u32),
    }
}

/// A line feed ends a paragraph and is drawn as nothing (the line break shows it).
pub fn is_invisible_line_end(c: char) -> bool {
    c == '\n'
}

/// Whitespace that may hang past the end of a line (not counted when fitting a line).
pub fn is_hanging_space(c: char) -> bool {
    c.is_whitespace()
        && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
        && marker_info(c).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_invisibles_are_markers() {
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
            '\u{200B}',
        ] {
            assert!(marker_info(c).is_some(), "{c:?}");
        }
        assert_eq!(marker_info('\u{202E}').map(|m| m.short), Some("RLO"));
    }

    #[test]
    fn joiners_letters_and_marks_are_not_markers() {
        for c in [
            '\u{200C}', '\u{200D}', 'ب', 'a', '\u{064B}', ' ', '\t', '\n', 'ـ',
        ] {
            assert!(marker_info(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn tooltips_name_the_character() {
        assert_eq!(marker_tooltip('\u{202E}'), "U+202E RIGHT-TO-LEFT OVERRIDE");
        assert_eq!(missing_label('😀'), "U+1F600");
    }
}
