//! Results the views show that take a query to compute, kept until something changes: each
//! is stored with the key it was computed at, views ask for a refresh (an action) when the
//! key moved on, and the app recomputes it once.

use crate::domain::AnnotatorPace;

/// Each annotator's pace (decided sentences per active hour), as last computed.
#[derive(Debug, Default)]
pub struct PaceCache {
    /// What the rows were computed at (see [`super::IsnadApp::pace_key`]).
    pub key: Option<PaceKey>,
    pub rows: Vec<AnnotatorPace>,
    /// Why the rows could not be read, if they could not.
    pub error: Option<String>,
    /// How many times the rows were computed (the tests read it).
    pub computations: u64,
}

/// What the pace depends on: the saved changes and the active time written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceKey {
    /// [`super::UiState::generation`]: bumped by every saved change.
    pub generation: u64,
    /// Bumped by every periodic write of the active reading time.
    pub activity_writes: u64,
}

impl PaceCache {
    /// True when the rows were computed at `key`.
    pub fn is_current(&self, key: PaceKey) -> bool {
        self.key == Some(key)
    }

    /// Stores rows (or the error reading them) computed at `key`.
    pub fn store(&mut self, key: PaceKey, rows: Result<Vec<AnnotatorPace>, String>) {
        self.key = Some(key);
        self.computations += 1;
        match rows {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(error) => {
                self.rows.clear();
                self.error = Some(error);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_is_current_only_at_the_key_it_was_computed_at() {
        let mut cache = PaceCache::default();
        let key = PaceKey {
            generation: 3,
            activity_writes: 1,
        };
        assert!(!cache.is_current(key));
        cache.store(key, Err("disk I/O error".into()));
        assert!(cache.is_current(key));
        assert_eq!(cache.error.as_deref(), Some("disk I/O error"));
        let later = PaceKey {
            generation: 4,
            ..key
        };
        assert!(!cache.is_current(later));
        let row = AnnotatorPace {
            name: "hala".into(),
            decided_sentences: 12,
            active_hours: 0.5,
        };
        cache.store(later, Ok(vec![row.clone()]));
        assert_eq!((cache.rows.clone(), cache.error.clone()), (vec![row], None));
        assert_eq!(cache.computations, 2);
    }
}
