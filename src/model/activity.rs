//! Time on task: active (non-idle) seconds, measured from the gaps between user inputs.
//! A gap longer than [`IDLE_AFTER`] counts as idle (the annotator left) and adds nothing.
//! Claims accumulate the active time spent while they are being built; sentences the active
//! time spent reading them (flushed to the database when the annotator moves on).

use std::time::{Duration, Instant};

/// Longer pauses than this between two inputs are idle time.
pub const IDLE_AFTER: Duration = Duration::from_secs(90);

/// Active-time accumulators.
#[derive(Debug, Default, Clone)]
pub struct Activity {
    last_input: Option<Instant>,
    claim_seconds: f64,
    sentence_seconds: f64,
}

impl Activity {
    /// Records an input at `now`; the gap since the previous one is active time unless idle.
    pub fn note_input(&mut self, now: Instant) {
        if let Some(last) = self.last_input {
            let gap = now.saturating_duration_since(last);
            if gap <= IDLE_AFTER {
                let seconds = gap.as_secs_f64();
                self.claim_seconds += seconds;
                self.sentence_seconds += seconds;
            }
        }
        self.last_input = Some(now);
    }

    /// Active seconds for the claim being built since the last claim write.
    pub fn take_claim_seconds(&mut self) -> f64 {
        std::mem::take(&mut self.claim_seconds)
    }

    /// Active seconds on the current sentence since the last flush.
    pub fn take_sentence_seconds(&mut self) -> f64 {
        std::mem::take(&mut self.sentence_seconds)
    }

    /// Gives back claim seconds taken for a write that failed (a server out of reach), so
    /// the time counts with the next write that succeeds.
    pub fn restore_claim_seconds(&mut self, seconds: f64) {
        self.claim_seconds += seconds;
    }

    /// Gives back sentence seconds taken for a write that failed.
    pub fn restore_sentence_seconds(&mut self, seconds: f64) {
        self.sentence_seconds += seconds;
    }

    /// A new sentence is on screen: claim time starts again.
    pub fn start_sentence(&mut self) {
        self.claim_seconds = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_gaps_are_not_counted() {
        let start = Instant::now();
        let mut activity = Activity::default();
        activity.note_input(start);
        activity.note_input(start + Duration::from_secs(5));
        activity.note_input(start + Duration::from_secs(10));
        // Ten minutes away from the desk.
        activity.note_input(start + Duration::from_secs(610));
        activity.note_input(start + Duration::from_secs(612));
        assert!((activity.take_claim_seconds() - 12.0).abs() < 1e-9);
        assert!((activity.take_sentence_seconds() - 12.0).abs() < 1e-9);
        assert_eq!(activity.take_claim_seconds(), 0.0);
    }
}
