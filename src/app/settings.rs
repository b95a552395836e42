//! What the app remembers between runs (eframe persistence): the annotator's name, theme,
//! zoom, view options, and where the annotator left off in each database. Every field has a
//! default so older saves still load.

use serde::{Deserialize, Serialize};

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    Light,
    #[default]
    Dark,
}

/// Persisted settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The annotator's name (asked once).
    pub annotator: Option<String>,
    pub theme: ThemeChoice,
    /// egui zoom factor (Ctrl + / − / 0).
    pub zoom: f32,
    /// Size of the current sentence in points.
    pub sentence_font_size: f32,
    /// Context sentences shown before and after the current one.
    pub context_sentences: usize,
    pub show_boilerplate: bool,
    pub show_suggestions: bool,
    pub show_guidelines: bool,
    /// Last position per database path: (document id, sentence index).
    pub last_position: std::collections::BTreeMap<String, (String, usize)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            annotator: None,
            theme: ThemeChoice::Dark,
            zoom: 1.0,
            sentence_font_size: 26.0,
            context_sentences: 3,
            show_boilerplate: false,
            show_suggestions: true,
            show_guidelines: false,
            last_position: std::collections::BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_saves_with_missing_fields_still_load() {
        let settings: Settings = serde_json::from_str(r#"{"annotator": "hala"}"#).unwrap();
        assert_eq!(settings.annotator.as_deref(), Some("hala"));
        assert_eq!(settings.context_sentences, 3);
    }
}
