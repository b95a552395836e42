//! Retraining the project's learnt model ([`crate::model::learning`]) off the UI thread:
//! once when the project opens, then whenever labels were saved and a few seconds have
//! passed, on a connection of its own. The frame only polls a finished thread; a training
//! that fails keeps the model in use and says why.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::model::learning::{Training, training_from_store};
use crate::store::Access;

use super::connection::Target;

/// How long after the last start a new training may begin: labels saved in a burst are
/// learnt together.
pub const RETRAIN_AFTER: Duration = Duration::from_secs(5);

/// A training in the background and what the last one gave.
#[derive(Default)]
pub struct Trainer {
    running: Option<(u64, JoinHandle<Result<Training, String>>)>,
    /// The label generation ([`super::UiState::generation`]) the model in use was trained at.
    trained_at: Option<u64>,
    started: Option<Instant>,
    /// How long the last training took: the next waits at least four times that, so a
    /// large project's training never takes more than a fifth of a core.
    took: Duration,
    /// What the last training said (for the claim panel).
    pub summary: Option<String>,
}

impl std::fmt::Debug for Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("trained_at", &self.trained_at)
            .field("running", &self.running.is_some())
            .finish_non_exhaustive()
    }
}

/// What a poll found.
pub enum Polled {
    /// Nothing new.
    Idle,
    /// A training finished: the model to use from now on (none: too few claims yet).
    Trained(Option<Arc<crate::model::learning::Learned>>),
    /// A training failed ([`Trainer::summary`] says why); the model in use stays.
    Failed,
}

impl Trainer {
    /// True while a training runs.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Takes a finished training's result, or starts one when the labels changed since the
    /// model in use was trained and the last start is [`RETRAIN_AFTER`] ago.
    pub fn poll(&mut self, ctx: &egui::Context, db: &Target, generation: u64) -> Polled {
        if let Some((at, handle)) = self.running.take_if(|(_, h)| h.is_finished()) {
            self.took = self.started.map_or(Duration::ZERO, |s| s.elapsed());
            let result = handle
                .join()
                .unwrap_or_else(|_| Err("the training thread crashed".into()));
            return match result {
                Ok(training) => {
                    self.trained_at = Some(at);
                    self.summary = Some(training.summary());
                    Polled::Trained(training.learned.map(Arc::new))
                }
                Err(reason) => {
                    // Not again for this generation: the next saved label tries anew.
                    self.trained_at = Some(at);
                    self.summary = Some(format!("the stance model was not retrained: {reason}"));
                    Polled::Failed
                }
            };
        }
        if self.running.is_some() || self.trained_at == Some(generation) {
            return Polled::Idle;
        }
        let pause = RETRAIN_AFTER.max(self.took * 5);
        let wait = self
            .started
            .map_or(Duration::ZERO, |s| pause.saturating_sub(s.elapsed()));
        if !wait.is_zero() {
            ctx.request_repaint_after(wait);
            return Polled::Idle;
        }
        self.start(ctx, db.clone(), generation);
        Polled::Idle
    }

    fn start(&mut self, ctx: &egui::Context, db: Target, generation: u64) {
        let repaint = ctx.clone();
        let handle = std::thread::spawn(move || {
            let result = db
                .open(Access::ReadOnly)
                .map_err(|e| e.to_string())
                .and_then(|store| training_from_store(&*store).map_err(|e| e.to_string()));
            repaint.request_repaint();
            result
        });
        self.started = Some(Instant::now());
        self.running = Some((generation, handle));
    }
}
