//! In-process measurements of a project on a server, for `benches/server.sh` (not a user
//! command). Prints `name<TAB>value` lines.
//!
//! ```text
//! server_probe actions --db URL --count 500     # one action's latency (p50/p99), as the app makes it
//! server_probe scale --db URL                   # open / list / filter / jump on a large project
//! ```

#![allow(clippy::unwrap_used, reason = "a benchmark tool: fail loudly")]
#![allow(clippy::print_stdout, reason = "a benchmark tool prints its figures")]

use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use isnad::domain::{ClaimRow, ClaimStatus, DocumentListQuery, RowState, StatusFilter};
use isnad::model::{Intent, Workspace};
use isnad::store::{self, Access, Location, Store};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// New confirmed claims and undos through the store, timed one by one.
    Actions {
        #[arg(long)]
        db: String,
        #[arg(long, default_value_t = 500)]
        count: usize,
    },
    /// Open, list, filter and jump, through the store and the model.
    Scale {
        #[arg(long)]
        db: String,
    },
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, ms(start.elapsed()))
}

fn query<'a>(
    text: &'a str,
    status: StatusFilter,
    annotator: Option<&'a str>,
    offset: usize,
) -> DocumentListQuery<'a> {
    DocumentListQuery {
        text,
        status,
        annotator,
        gold: false,
        offset,
        limit: 60,
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn actions(db: &str, count: usize) {
    let mut store = store::open(&Location::parse(db), Access::ReadWrite).unwrap();
    let login = store.member().unwrap().login.clone();
    store.ensure_annotator(&login).unwrap();
    let doc = store
        .document_summaries(&query("", StatusFilter::All, None, 0))
        .unwrap()
        .remove(0);
    let sentences = store.sentences(&doc.id).unwrap();
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let sentence = &sentences[n % sentences.len()];
        let now = isnad::clock::now_rfc3339();
        let claim = ClaimRow {
            id: format!("probe-{}-{n}", uuid_like(n)),
            doc_id: doc.id.clone(),
            sentence_idx: sentence.index,
            annotator: login.clone(),
            status: ClaimStatus::Confirmed,
            stance: Some("favor".into()),
            claim_type: None,
            speaker_entity: None,
            speaker_span: None,
            target_entity: None,
            target_span: None,
            cue_span: None,
            content_span: None,
            note: String::new(),
            lead_time_s: 1.0,
            schema_version: 1,
            origin: "manual".into(),
            created_at: now.clone(),
            updated_at: now,
            deleted: false,
        };
        let (_, t) = timed(|| {
            if n % 7 == 6 {
                store.undo(&login).unwrap();
            } else {
                store
                    .apply_action(&login, "probe", "New claim", &[RowState::Claim(claim)])
                    .unwrap();
            }
        });
        times.push(t);
    }
    times.sort_by(f64::total_cmp);
    println!("action_count\t{count}");
    println!("action_p50_ms\t{:.3}", percentile(&times, 0.5));
    println!("action_p99_ms\t{:.3}", percentile(&times, 0.99));
    println!("action_max_ms\t{:.3}", times.last().copied().unwrap_or(0.0));
}

fn uuid_like(n: usize) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn nth_document(store: &dyn Store, offset: usize) -> String {
    let mut list = query("", StatusFilter::All, None, offset);
    list.limit = 1;
    store.document_summaries(&list).unwrap().remove(0).id
}

fn scale(db: &str) {
    let (store, t) = timed(|| store::open(&Location::parse(db), Access::ReadWrite).unwrap());
    println!("store_open_ms\t{t:.2}");
    let login = store.member().unwrap().login.clone();
    let me = Some(login.as_str());
    let (documents, t) = timed(|| {
        store
            .count_documents(&query("", StatusFilter::All, me, 0))
            .unwrap()
    });
    println!("documents\t{documents}");
    println!("list_count_ms\t{t:.2}");
    let (_, t) = timed(|| {
        store
            .document_summaries(&query("", StatusFilter::All, me, 0))
            .unwrap()
    });
    println!("list_first_page_ms\t{t:.2}");
    let (_, t) = timed(|| {
        store
            .document_summaries(&query(
                "",
                StatusFilter::All,
                me,
                documents.saturating_sub(60),
            ))
            .unwrap()
    });
    println!("list_last_page_ms\t{t:.2}");
    let (n, t) = timed(|| {
        store
            .count_documents(&query("العدد 3999", StatusFilter::All, me, 0))
            .unwrap()
    });
    println!("list_filter_count_ms\t{t:.2}\t({n} matches)");
    let (_, t) = timed(|| {
        store
            .document_summaries(&query("العدد 3999", StatusFilter::All, me, 0))
            .unwrap()
    });
    println!("list_filter_page_ms\t{t:.2}");
    let (n, t) = timed(|| {
        store
            .count_documents(&query("", StatusFilter::InProgress, me, 0))
            .unwrap()
    });
    println!("list_status_count_ms\t{t:.2}\t({n} in progress)");
    let (_, t) = timed(|| {
        store
            .document_summaries(&query("", StatusFilter::NotStarted, me, 0))
            .unwrap()
    });
    println!("list_status_page_ms\t{t:.2}");
    let last = nth_document(&*store, documents - 1);
    let middle = nth_document(&*store, documents / 2);
    let first = nth_document(&*store, 0);
    let (mut workspace, t) = timed(|| Workspace::new(store, &login).unwrap());
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
}

fn main() {
    match Args::parse().what {
        What::Actions { db, count } => actions(&db, count),
        What::Scale { db } => scale(&db),
    }
}
