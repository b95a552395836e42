//! Deterministic benchmark data for `benches/compare.sh` (not a user command):
//!
//! ```text
//! cargo run --release --example gen_corpus -- txt --out DIR --articles 2000 --sentences 50000
//! cargo run --release --example gen_corpus -- db --out big.db --articles 40000 --sentences 1000000 \
//!     --annotators a1,a2,a3,a4 --annotate 250000 --claim-rate 1
//! cargo run --release --example gen_corpus -- matrix --out m.txt --units 100000 --annotators 3
//! cargo run --release --example gen_corpus -- article --sentences 500
//! ```
//!
//! Articles are recombined from the seed articles' sentences (see `benches/common/corpus.rs`);
//! claims and "no claim" marks go in through `Store::import_claims`.

#![allow(clippy::unwrap_used, reason = "a benchmark tool: fail loudly")]

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Args {
    /// Seed of every random choice.
    #[arg(long, default_value_t = corpus::DEFAULT_SEED, global = true)]
    seed: u64,
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// `.txt` articles (one per file, in sub-folders of 1,000).
    Txt {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 2000)]
        articles: usize,
        #[arg(long, default_value_t = 50_000)]
        sentences: usize,
    },
    /// An Isnad database with articles, the starter registry and optionally annotations.
    Db {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 40_000)]
        articles: usize,
        #[arg(long, default_value_t = 1_000_000)]
        sentences: usize,
        /// Also store one article with this many sentences first (the "long article").
        #[arg(long)]
        long: Option<usize>,
        /// Annotators (comma-separated) deciding the first --annotate content sentences.
        #[arg(long, value_delimiter = ',')]
        annotators: Vec<String>,
        #[arg(long, default_value_t = 0)]
        annotate: usize,
        #[arg(long, default_value_t = 0.35)]
        claim_rate: f64,
        #[arg(long, default_value_t = 0.15)]
        disagreement: f64,
    },
    /// A units × annotators nominal matrix (coders × units text, -1 = missing).
    Matrix {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        units: usize,
        #[arg(long, default_value_t = 3)]
        annotators: usize,
        #[arg(long, default_value_t = 4)]
        categories: usize,
        #[arg(long, default_value_t = 0.2)]
        disagreement: f64,
        #[arg(long, default_value_t = 0.1)]
        missing: f64,
    },
    /// Print one article.
    Article {
        #[arg(long, default_value_t = 0)]
        index: usize,
        #[arg(long, default_value_t = 25)]
        sentences: usize,
    },
}

fn main() {
    let args = Args::parse();
    let started = Instant::now();
    match args.what {
        What::Txt {
            out,
            articles,
            sentences,
        } => {
            std::fs::create_dir_all(&out).unwrap();
            let bytes = corpus::write_txt_corpus(&out, args.seed, articles, sentences).unwrap();
            eprintln!(
                "{articles} articles, {sentences} sentences, {:.1} MB in {:.1}s → {}",
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                out.display()
            );
        }
        What::Db {
            out,
            articles,
            sentences,
            long,
            annotators,
            annotate,
            claim_rate,
            disagreement,
        } => {
            let mut store = isnad::store::open(
                &isnad::store::Location::from(out.clone().into_os_string()),
                isnad::store::Access::ReadWrite,
            )
            .unwrap();
            isnad::model::project::prepare_project(&mut *store).unwrap();
            isnad::model::project::load_starter_registry(&mut *store).unwrap();
            let extra: Vec<(usize, usize)> = long.map(|n| (9_999_999, n)).into_iter().collect();
            let (documents, stored) = corpus::fill_store(
                &mut *store,
                args.seed,
                articles,
                sentences,
                &extra,
                |done, total| {
                    if done % 10_000 == 0 || done == total {
                        eprintln!(
                            "  {done}/{total} articles ({:.0}s)",
                            started.elapsed().as_secs_f64()
                        );
                    }
                },
            )
            .unwrap();
            eprintln!(
                "{documents} documents, {stored} sentences in {:.1}s",
                started.elapsed().as_secs_f64()
            );
            if !annotators.is_empty() && annotate > 0 {
                let plan = corpus::AnnotationPlan {
                    annotators,
                    max_sentences: annotate,
                    claim_rate,
                    disagreement,
                };
                let done = corpus::annotate(&mut *store, args.seed, &plan, |n| {
                    eprintln!(
                        "  {n} sentences annotated ({:.0}s)",
                        started.elapsed().as_secs_f64()
                    );
                })
                .unwrap();
                eprintln!(
                    "{} sentences: {} claims, {} no-claim marks ({:.1}s)",
                    done.sentences,
                    done.claims,
                    done.marks,
                    started.elapsed().as_secs_f64()
                );
            }
            // Through the location: a server URL prints without its password.
            println!(
                "{}",
                isnad::store::Location::from(out.clone().into_os_string())
            );
        }
        What::Matrix {
            out,
            units,
            annotators,
            categories,
            disagreement,
            missing,
        } => {
            let matrix = corpus::reliability_matrix(
                args.seed,
                units,
                annotators,
                categories,
                disagreement,
                missing,
            );
            corpus::write_matrix(&out, &matrix).unwrap();
            eprintln!(
                "{units} units × {annotators} annotators → {}",
                out.display()
            );
        }
        What::Article { index, sentences } => {
            let pool = corpus::SentencePool::from_seeds();
            print!(
                "{}",
                corpus::article_text(&pool, args.seed, index, sentences)
            );
        }
    }
}
