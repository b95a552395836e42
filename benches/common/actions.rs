//! Annotation actions driven through the real app, headless: key → intent → transaction
//! committed (fsync, `synchronous = FULL`) → next frame. Shared by `benches/action.rs` and
//! `examples/bench_probe.rs actions` (which runs it on the 1 M-sentence database).

#![allow(dead_code, reason = "the bench and the probe use different parts")]

use std::path::Path;
use std::time::{Duration, Instant};

use isnad::app::{AppConfig, IsnadApp, MainView, settings::Settings};
use isnad::model::{Intent, Role};

use super::headless::{Headless, press, release};

/// Latencies of one kind of action.
#[derive(Debug, Clone)]
pub struct Samples {
    pub name: String,
    pub times: Vec<Duration>,
}

impl Samples {
    pub fn new(name: &str) -> Samples {
        Samples {
            name: name.to_owned(),
            times: Vec::new(),
        }
    }

    /// (p50, p90, p99, max, mean) in milliseconds.
    pub fn summary(&self) -> (f64, f64, f64, f64, f64) {
        let mut times = self.times.clone();
        times.sort();
        let n = times.len();
        if n == 0 {
            return (f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN);
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let at = |q: f64| ms(times[((n as f64 * q).ceil() as usize).clamp(1, n) - 1]);
        let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / n as f64;
        (at(0.5), at(0.9), at(0.99), ms(times[n - 1]), mean)
    }

    pub fn line(&self) -> String {
        let (p50, p90, p99, max, mean) = self.summary();
        format!(
            "{:<48} n={:<5} p50 {p50:>7.2} ms  p90 {p90:>7.2} ms  p99 {p99:>7.2} ms  max {max:>7.2} ms  mean {mean:>6.2} ms",
            self.name,
            self.times.len()
        )
    }

    /// Drops the first `n` samples (warm-up).
    pub fn skip(&mut self, n: usize) {
        self.times.drain(..n.min(self.times.len()));
    }
}

/// Runs `actions` rounds on the app opened on `db` at `open` (document, sentence): speaker
/// and target set through the model (not timed, as the entity picker would), then key `1`
/// (stance), `Enter` (confirm) and `j` (next sentence), each timed from the start of the
/// frame holding the key press to the end of the following frame; an idle frame after.
/// At the end of a document the next one in `docs` is opened (not timed).
pub fn app_actions(
    db: &Path,
    open: (String, Option<usize>),
    docs: &[String],
    actions: usize,
    warm_up: usize,
) -> Vec<Samples> {
    let mut screen = Headless::new(1400.0, 900.0);
    let config = AppConfig {
        db: isnad::store::Location::from(db),
        annotator: Some("bench".into()),
        open: Some(open),
        view: MainView::Annotate,
    };
    let mut app = IsnadApp::with_settings(&screen.ctx, config, Settings::default());
    let mut frame = eframe::Frame::_new_kittest();
    let mut run = |screen: &mut Headless, app: &mut IsnadApp, events: Vec<egui::Event>| {
        let started = Instant::now();
        screen.frame_tessellated(events, |ui| eframe::App::ui(app, ui, &mut frame));
        started.elapsed()
    };
    for _ in 0..5 {
        run(&mut screen, &mut app, Vec::new());
    }
    let (speaker, target) = {
        let all = app
            .workspace
            .as_ref()
            .map(|w| w.registry().all())
            .unwrap_or_default();
        (all[0].entity.id.clone(), all[1].entity.id.clone())
    };
    let mut stance = Samples::new("key 1 (stance) → commit → next frame");
    let mut stance_key_frame = Samples::new("  of which the frame holding the key");
    let mut confirm = Samples::new("Enter (confirm) → commit → next frame");
    let mut confirm_key_frame = Samples::new("  of which the frame holding the key");
    let mut next = Samples::new("j (next sentence) → next frame");
    let mut idle = Samples::new("idle frame (no input)");
    for _ in 0..actions + warm_up {
        let Some(workspace) = app.workspace.as_mut() else {
            break;
        };
        for (role, entity_id) in [(Role::Speaker, &speaker), (Role::Target, &target)] {
            workspace
                .apply(Intent::SetImplicitEntity {
                    role,
                    entity_id: entity_id.clone(),
                })
                .expect("set an implicit entity");
        }
        for (key, total, key_frame) in [
            (egui::Key::Num1, &mut stance, Some(&mut stance_key_frame)),
            (egui::Key::Enter, &mut confirm, Some(&mut confirm_key_frame)),
            (egui::Key::J, &mut next, None),
        ] {
            let first = run(&mut screen, &mut app, vec![press(key)]);
            let second = run(&mut screen, &mut app, vec![release(key)]);
            total.times.push(first + second);
            if let Some(samples) = key_frame {
                samples.times.push(first);
            }
        }
        idle.times.push(run(&mut screen, &mut app, Vec::new()));
        assert!(!app.status.error, "{}", app.status.text);
        let Some(workspace) = app.workspace.as_mut() else {
            break;
        };
        let Some(doc) = workspace.document() else {
            break;
        };
        if doc.current + 1 >= doc.sentences.len() {
            let at = docs.iter().position(|d| *d == doc.row.id).unwrap_or(0);
            workspace
                .apply(Intent::OpenDocument {
                    doc_id: docs[(at + 1) % docs.len()].clone(),
                    sentence: None,
                })
                .expect("open the next document");
            run(&mut screen, &mut app, Vec::new());
        }
    }
    let mut all = vec![
        stance,
        stance_key_frame,
        confirm,
        confirm_key_frame,
        next,
        idle,
    ];
    for samples in &mut all {
        samples.skip(warm_up);
    }
    all
}
