//! In-process measurements for `benches/compare.sh` (not a user command). Each subcommand
//! prints `name<TAB>value` lines that the script collects.
//!
//! ```text
//! bench_probe alpha --matrix m.txt            # krippendorff_alpha_nominal, timed
//! bench_probe scale --db big.db               # open / list / jump on a large database
//! bench_probe first-frame --db seeds.db       # cold start to the first frame, headless
//! ```

#![allow(clippy::unwrap_used, reason = "a benchmark tool: fail loudly")]
#![allow(clippy::print_stdout, reason = "a benchmark tool prints its figures")]

#[path = "../benches/common/actions.rs"]
mod actions;
#[path = "../benches/common/corpus.rs"]
mod corpus;
#[path = "../benches/common/headless.rs"]
mod headless;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use isnad::agreement::{ReliabilityData, field_agreement, krippendorff_alpha_nominal};
use isnad::app::{Action, AppConfig, IsnadApp, MainView, settings::Settings};
use isnad::domain::{DocumentListQuery, StatusFilter};
use isnad::model::{Intent, Workspace};
use isnad::store::{self, Access, Location, Store};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Krippendorff's α (nominal) on a matrix written by `gen_corpus matrix`.
    Alpha {
        #[arg(long)]
        matrix: PathBuf,
        #[arg(long, default_value_t = 30)]
        repeat: usize,
    },
    /// Open, list and jump on a (large) database, through the store, the model and the app.
    Scale {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value = "a1")]
        annotator: String,
        /// Which measurements: store, app or both.
        #[arg(long, default_value = "both")]
        part: String,
    },
    /// Key → commit → next frame through the app on a database (writes claims of "bench":
    /// use a copy).
    Actions {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 300)]
        actions: usize,
    },
    /// From process start to the first frame of the app, headless (no window, no GPU).
    FirstFrame {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value = "bench")]
        annotator: String,
    },
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, ms(started.elapsed()))
}

/// Peak resident set size so far, from /proc/self/status (kB → MB).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn alpha(matrix: &std::path::Path, repeat: usize) {
    let (units, read_ms) = timed(|| corpus::read_matrix(matrix).unwrap());
    let annotators = units.first().map_or(0, Vec::len);
    let categories = units.iter().flatten().flatten().max().map_or(0, |m| m + 1);
    let names: Vec<String> = (0..annotators).map(|a| format!("a{}", a + 1)).collect();
    let labels: Vec<String> = (0..categories).map(|k| k.to_string()).collect();
    let unit_count = units.len();
    let (data, build_ms) = timed(|| ReliabilityData::new(names, labels, units).unwrap());
    let mut alpha_times = Vec::new();
    let mut value = None;
    for _ in 0..repeat {
        let (result, t) = timed(|| krippendorff_alpha_nominal(&data));
        value = result.alpha;
        alpha_times.push(t);
    }
    let mut field_times = Vec::new();
    for _ in 0..repeat.div_ceil(3) {
        let (_, t) = timed(|| field_agreement(&data));
        field_times.push(t);
    }
    alpha_times.sort_by(f64::total_cmp);
    field_times.sort_by(f64::total_cmp);
    println!("units\t{unit_count}");
    println!("annotators\t{annotators}");
    println!("alpha\t{:.17}", value.unwrap_or(f64::NAN));
    println!("read_ms\t{read_ms:.3}");
    println!("build_ms\t{build_ms:.3}");
    println!("alpha_min_ms\t{:.4}", alpha_times[0]);
    println!("alpha_median_ms\t{:.4}", alpha_times[alpha_times.len() / 2]);
    println!(
        "field_agreement_median_ms\t{:.4}",
        field_times[field_times.len() / 2]
    );
}

fn page(
    store: &dyn Store,
    annotator: &str,
    offset: usize,
    text: &str,
    status: StatusFilter,
) -> usize {
    store
        .document_summaries(&DocumentListQuery {
            text,
            status,
            annotator: Some(annotator),
            gold: false,
            offset,
            limit: 60,
        })
        .unwrap()
        .len()
}

fn count(store: &dyn Store, annotator: &str, text: &str, status: StatusFilter) -> usize {
    store
        .count_documents(&DocumentListQuery {
            text,
            status,
            annotator: Some(annotator),
            gold: false,
            offset: 0,
            limit: 0,
        })
        .unwrap()
}

fn scale_store(db: &std::path::Path, annotator: &str) {
    let (store, t) = timed(|| store::open(&Location::from(db), Access::ReadWrite).unwrap());
    println!("store_open_ms\t{t:.2}");
    let (documents, t) = timed(|| count(&*store, annotator, "", StatusFilter::All));
    println!("documents\t{documents}");
    println!("list_count_ms\t{t:.2}");
    let (_, t) = timed(|| page(&*store, annotator, 0, "", StatusFilter::All));
    println!("list_first_page_ms\t{t:.2}");
    let (_, t) = timed(|| {
        page(
            &*store,
            annotator,
            documents.saturating_sub(60),
            "",
            StatusFilter::All,
        )
    });
    println!("list_last_page_ms\t{t:.2}");
    let (n, t) = timed(|| count(&*store, annotator, "العدد 3999", StatusFilter::All));
    println!("list_filter_count_ms\t{t:.2}\t({n} matches)");
    let (_, t) = timed(|| page(&*store, annotator, 0, "العدد 3999", StatusFilter::All));
    println!("list_filter_page_ms\t{t:.2}");
    let (n, t) = timed(|| count(&*store, annotator, "", StatusFilter::InProgress));
    println!("list_status_count_ms\t{t:.2}\t({n} in progress)");
    let (_, t) = timed(|| page(&*store, annotator, 0, "", StatusFilter::NotStarted));
    println!("list_status_page_ms\t{t:.2}");
    let last = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: documents - 1,
            limit: 1,
        })
        .unwrap()
        .remove(0)
        .id;
    let middle = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: documents / 2,
            limit: 1,
        })
        .unwrap()
        .remove(0)
        .id;
    let first = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1,
        })
        .unwrap()
        .remove(0)
        .id;
    let (mut workspace, t) = timed(|| Workspace::new(store, annotator).unwrap());
    println!("workspace_new_ms\t{t:.2}");
    for (name, id) in [("last", &last), ("middle", &middle), ("first", &first)] {
        let (_, t) = timed(|| {
            workspace
                .apply(Intent::OpenDocument {
                    doc_id: id.clone(),
                    sentence: None,
                })
                .unwrap()
        });
        println!("jump_{name}_document_ms\t{t:.2}");
    }
    println!("store_peak_rss_mb\t{:.1}", peak_rss_mb());
}

fn scale_app(db: &std::path::Path, annotator: &str) {
    let started = Instant::now();
    let mut screen = headless::Headless::new(1400.0, 900.0);
    let config = AppConfig {
        db: Location::from(db),
        annotator: Some(annotator.to_owned()),
        open: None,
        view: MainView::Annotate,
    };
    let (mut app, t) = timed(|| IsnadApp::with_settings(&screen.ctx, config, Settings::default()));
    println!("app_open_ms\t{t:.2}");
    let mut frame = eframe::Frame::_new_kittest();
    let (_, t) = timed(|| {
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
    });
    println!("app_first_frame_ms\t{t:.2}");
    println!("app_open_to_first_frame_ms\t{:.2}", ms(started.elapsed()));
    let mut frames = Vec::new();
    for _ in 0..30 {
        let (_, t) = timed(|| {
            screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
        });
        frames.push(t);
    }
    frames.sort_by(f64::total_cmp);
    println!("app_idle_frame_median_ms\t{:.2}", frames[frames.len() / 2]);
    let store = app.workspace.as_ref().unwrap().store();
    let documents = store.document_count().unwrap();
    let last = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: documents - 1,
            limit: 1,
        })
        .unwrap()
        .remove(0)
        .id;
    let ctx = screen.ctx.clone();
    let (_, t) = timed(|| {
        app.apply_actions(
            &ctx,
            vec![Action::Model(Intent::OpenDocument {
                doc_id: last.clone(),
                sentence: None,
            })],
        );
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
    });
    assert_eq!(
        app.workspace
            .as_ref()
            .unwrap()
            .document()
            .map(|d| d.row.id.clone()),
        Some(last)
    );
    println!("app_jump_last_document_and_frame_ms\t{t:.2}");
    // Typing a filter into the document list: the frame after the text changes.
    app.ui.doc_filter = "العدد 3999".into();
    let (_, t) = timed(|| {
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
    });
    println!("app_filter_frame_ms\t{t:.2}");
    app.ui.doc_filter.clear();
    app.ui.doc_status = StatusFilter::NotStarted;
    let (_, t) = timed(|| {
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
    });
    println!("app_status_filter_frame_ms\t{t:.2}");
    println!("app_peak_rss_mb\t{:.1}", peak_rss_mb());
}

fn first_frame(db: &std::path::Path, annotator: &str) {
    let started = Instant::now();
    let (mut screen, fonts) = timed(|| headless::Headless::new(1400.0, 900.0));
    let config = AppConfig {
        db: Location::from(db),
        annotator: Some(annotator.to_owned()),
        open: None,
        view: MainView::Annotate,
    };
    let (mut app, open) =
        timed(|| IsnadApp::with_settings(&screen.ctx, config, Settings::default()));
    let mut frame = eframe::Frame::_new_kittest();
    let (_, first) = timed(|| {
        screen.frame_tessellated(Vec::new(), |ui| eframe::App::ui(&mut app, ui, &mut frame))
    });
    println!("context_and_fonts_ms\t{fonts:.2}");
    println!("app_with_settings_ms\t{open:.2}");
    println!("first_frame_ms\t{first:.2}");
    println!("main_to_first_frame_ms\t{:.2}", ms(started.elapsed()));
    assert!(app.workspace.is_some(), "{:?}", app.startup_error);
}

fn app_actions(db: &std::path::Path, count: usize) {
    let store = store::open(&Location::from(db), Access::ReadWrite).unwrap();
    let mut docs = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .document_summaries(&DocumentListQuery {
                text: "",
                status: StatusFilter::All,
                annotator: None,
                gold: false,
                offset,
                limit: 1000,
            })
            .unwrap();
        docs.extend(page.iter().map(|d| d.id.clone()));
        if page.len() < 1000 || docs.len() >= 200 {
            break;
        }
        offset += 1000;
    }
    drop(store);
    let samples = actions::app_actions(db, (docs[0].clone(), None), &docs, count, 10);
    let keys = [
        "stance",
        "stance_key_frame",
        "confirm",
        "confirm_key_frame",
        "next",
        "idle",
    ];
    for (key, samples) in keys.iter().zip(&samples) {
        let (p50, p90, p99, max, _) = samples.summary();
        println!("{key}_p50_ms\t{p50:.2}");
        println!("{key}_p90_ms\t{p90:.2}");
        println!(
            "{key}_p99_ms\t{p99:.2}\t(n={}; max {max:.2})",
            samples.times.len()
        );
    }
}

fn main() {
    let args = Args::parse();
    match args.what {
        What::Alpha { matrix, repeat } => alpha(&matrix, repeat),
        What::Scale {
            db,
            annotator,
            part,
        } => {
            if part != "app" {
                scale_store(&db, &annotator);
            }
            if part != "store" {
                scale_app(&db, &annotator);
            }
        }
        What::FirstFrame { db, annotator } => first_frame(&db, &annotator),
        What::Actions { db, actions } => app_actions(&db, actions),
    }
}
