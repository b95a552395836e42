//! Progress and cancellation of long library work — exports, packages for annotators,
//! agreement — so that the command line's progress bars and the app's background jobs show
//! real progress, and a Cancel (the app's button, Ctrl+C) stops the work at the next safe
//! point. The work then undoes what it had started: no output file, no package, no change
//! to the database. Plain Rust: no UI, no store.

use std::sync::atomic::{AtomicBool, Ordering};

/// The work was cancelled; what it had started was taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled; nothing was written")]
pub struct Cancelled;

/// Where long work reports how far it got, and learns whether to stop.
pub struct Monitor<'a> {
    report: Option<&'a mut dyn FnMut(&Step<'_>)>,
    cancel: Option<&'a AtomicBool>,
    /// The last step handed to `report`, to call it about a thousand times per phase at
    /// most however many units there are.
    last: Option<(usize, usize)>,
    last_what: String,
}

/// One report: `done` of `total` units of the phase `what` ("documents", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'s> {
    pub done: usize,
    pub total: usize,
    pub what: &'s str,
}

impl<'a> Monitor<'a> {
    /// Reports to nobody and is never cancelled.
    pub fn none() -> Monitor<'static> {
        Monitor {
            report: None,
            cancel: None,
            last: None,
            last_what: String::new(),
        }
    }

    /// Reports to `report`; stops when `cancel` is set (by another thread or a signal).
    pub fn new(
        report: &'a mut dyn FnMut(&Step<'_>),
        cancel: Option<&'a AtomicBool>,
    ) -> Monitor<'a> {
        Monitor {
            report: Some(report),
            cancel,
            last: None,
            last_what: String::new(),
        }
    }

    /// True once a cancel was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// `Err(Cancelled)` once a cancel was asked for.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Reports `done` of `total` units of `what`, then [`Monitor::check`]s.
    pub fn step(&mut self, done: usize, total: usize, what: &str) -> Result<(), Cancelled> {
        let due = match self.last {
            None => true,
            Some((last_done, last_total)) => {
                last_total != total
                    || done == total
                    || done < last_done
                    || (done - last_done) * 1000 >= total.max(1)
                    || self.last_what != what
            }
        };
        if due && let Some(report) = self.report.as_mut() {
            report(&Step { done, total, what });
            self.last = Some((done, total));
            if self.last_what != what {
                what.clone_into(&mut self.last_what);
            }
        }
        self.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_thinned_and_cancel_is_seen() {
        let mut seen = Vec::new();
        let cancel = AtomicBool::new(false);
        {
            let mut report = |step: &Step<'_>| seen.push((step.done, step.total));
            let mut monitor = Monitor::new(&mut report, Some(&cancel));
            for done in 0..=100_000 {
                monitor.step(done, 100_000, "records").unwrap();
            }
            cancel.store(true, Ordering::Relaxed);
            assert_eq!(monitor.step(1, 2, "other"), Err(Cancelled));
        }
        assert!(seen.len() <= 1002, "{}", seen.len());
        assert_eq!(seen.first(), Some(&(0, 100_000)));
        assert!(seen.contains(&(100_000, 100_000)));
        assert_eq!(seen.last(), Some(&(1, 2)));
        assert!(Monitor::none().step(5, 10, "x").is_ok());
    }
}
