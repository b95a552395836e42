//! Results the views show that take a query to compute, kept until something changes: each
//! is stored with the key it was computed at, views ask for a refresh (an action) when the
//! key moved on, and the app recomputes it once.

pub use super::state::{PaceCache, PaceKey};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AnnotatorPace;

    #[test]
    fn the_pace_is_current_only_at_the_key_it_was_computed_at() {
        let mut cache = PaceCache::default();
        let key = PaceKey {
            generation: 3,
            activity_writes: 1,
            live: 0,
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
