//! Where the time of `isnad import` goes, stage by stage, on the compare.sh corpus (2,000
//! articles, 50,000 sentences): reading, decoding, ids, segmentation, boilerplate flags,
//! storing — and, in-process, what SQLite alone needs to store the same rows. Also times the
//! reference definitions the fast paths replaced (ids: the first normalisation; boilerplate:
//! every pattern tried on every form) and checks both give the same output.
//!
//! `cargo bench --bench import_breakdown`

#![allow(
    clippy::unwrap_used,
    reason = "benchmarks fail loudly on unexpected errors"
)]
#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use isnad::corpus::boilerplate::{
    BoilerplateRules, flag_boilerplate, flag_boilerplate_each_pattern,
};
use isnad::corpus::normalize::fold;
use isnad::corpus::reader::{InputFormat, read_documents};
use isnad::corpus::segment::{SegmentationRules, line_ranges, split_sentences};
use isnad::corpus::{decode, ids};
use isnad::domain::FileImport;
use isnad::importer::{ImportOptions, collect_inputs, import_paths, prepare_document};
use isnad::store::{self, Access, Location};
use sha2::Digest;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

const REPEAT: usize = 3;

/// Best of `REPEAT` runs.
fn best(mut run: impl FnMut() -> Duration) -> Duration {
    (0..REPEAT).map(|_| run()).min().unwrap_or_default()
}

fn timed(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn line(name: &str, took: Duration, total: Duration) {
    println!(
        "{name:<58} {:>9.1} ms {:>6.1} %",
        took.as_secs_f64() * 1e3,
        100.0 * took.as_secs_f64() / total.as_secs_f64()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("txt");
    corpus::write_txt_corpus(&corpus_dir, corpus::DEFAULT_SEED, 2000, 50_000).unwrap();
    let inputs = collect_inputs(std::slice::from_ref(&corpus_dir));
    let paths: Vec<_> = inputs.files.iter().map(|(p, _)| p.clone()).collect();
    let segmentation = SegmentationRules::builtin();
    let rules = BoilerplateRules::builtin();

    // The whole import, as `isnad import` runs it (a fresh database each time).
    let total = best(|| {
        let db = dir
            .path()
            .join(format!("whole-{}.db", uuid::Uuid::new_v4().simple()));
        let mut store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
        let took = timed(|| {
            import_paths(
                &mut *store,
                std::slice::from_ref(&corpus_dir),
                &ImportOptions::default(),
                &mut |_| {},
            )
            .unwrap();
        });
        drop(store);
        took
    });

    let mut bytes = Vec::new();
    let read = best(|| {
        timed(|| {
            bytes = paths
                .iter()
                .map(|p| std::fs::read(p).unwrap())
                .collect::<Vec<_>>();
        })
    });
    let mut texts: Vec<String> = Vec::new();
    let decoding = best(|| {
        timed(|| {
            texts = bytes
                .iter()
                .map(|b| decode::decode(b, None).unwrap().text)
                .collect();
        })
    });
    let id_time = best(|| {
        timed(|| {
            for text in &texts {
                black_box(ids::id_from_text(text));
            }
        })
    });
    let id_reference = best(|| {
        timed(|| {
            for text in &texts {
                black_box(sha2::Sha256::digest(
                    ids::normalise_for_id_reference(text).as_bytes(),
                ));
            }
        })
    });
    let same_ids = texts
        .iter()
        .all(|t| ids::normalise_for_id(t) == ids::normalise_for_id_reference(t));
    let nfc_quick = best(|| {
        timed(|| {
            for text in &texts {
                black_box(is_nfc_quick(text.chars()) == IsNormalized::Yes);
            }
        })
    });
    let nfc_full = best(|| {
        timed(|| {
            for text in &texts {
                black_box(text.nfc().count());
            }
        })
    });
    let mut spans = Vec::new();
    let segment_time = best(|| {
        timed(|| {
            spans = texts
                .iter()
                .map(|t| split_sentences(t, segmentation))
                .collect::<Vec<_>>();
        })
    });
    let sentence_count: usize = spans.iter().map(Vec::len).sum();
    let boilerplate_time = best(|| {
        timed(|| {
            for (text, spans) in texts.iter().zip(&spans) {
                black_box(flag_boilerplate(text, spans, rules));
            }
        })
    });
    let boilerplate_reference = best(|| {
        timed(|| {
            for (text, spans) in texts.iter().zip(&spans) {
                black_box(flag_boilerplate_each_pattern(text, spans, rules));
            }
        })
    });
    let same_flags = texts.iter().zip(&spans).all(|(text, spans)| {
        flag_boilerplate(text, spans, rules) == flag_boilerplate_each_pattern(text, spans, rules)
    });
    // Folding alone: every line once and every sentence once (what flag_line does when no
    // rule matches: the line form for line rules, the sentence form for sentence rules).
    let mut pieces: Vec<&str> = Vec::new();
    for (text, spans) in texts.iter().zip(&spans) {
        for range in line_ranges(text) {
            if let Some(l) = text.get(range)
                && !l.trim().is_empty()
            {
                pieces.push(l);
            }
        }
        for span in spans {
            if let Some(s) = span.text(text) {
                pieces.push(s);
            }
        }
    }
    let fold_time = best(|| {
        timed(|| {
            for piece in &pieces {
                black_box(fold(piece));
            }
        })
    });
    // Rule matching: the patterns of schema/boilerplate.toml one regex at a time (as
    // BoilerplateRule::matches does) vs one RegexSet.
    let forms: Vec<String> = pieces.iter().filter_map(|p| rules.match_form(p)).collect();
    let schema: toml::Value = toml::from_str(include_str!("../schema/boilerplate.toml")).unwrap();
    let patterns: Vec<String> = schema["rule"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|rule| rule["patterns"].as_array().unwrap().iter())
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let regexes: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| regex::Regex::new(p).unwrap())
        .collect();
    let each_regex = best(|| {
        timed(|| {
            for form in &forms {
                black_box(regexes.iter().filter(|r| r.is_match(form)).count());
            }
        })
    });
    let mut files: Vec<FileImport> = Vec::new();
    let prepare = best(|| {
        timed(|| {
            files = bytes
                .iter()
                .zip(&paths)
                .map(|(b, p)| {
                    let origin = p.display().to_string();
                    FileImport {
                        documents: read_documents(b, InputFormat::Txt, &origin, None)
                            .unwrap()
                            .into_iter()
                            .map(|raw| prepare_document(raw, segmentation, rules))
                            .collect(),
                        origin,
                    }
                })
                .collect();
        })
    });
    let store_time = best(|| {
        let db = dir
            .path()
            .join(format!("store-{}.db", uuid::Uuid::new_v4().simple()));
        let mut store = store::open(&Location::from(&db), Access::ReadWrite).unwrap();
        timed(|| {
            for batch in files.chunks(500) {
                store.import_files(batch).unwrap();
            }
        })
    });
    // What SQLite alone needs for the same rows (prepared statements, one transaction per
    // 500 documents, WAL + synchronous=FULL): sentences only (the compare.sh anchor's
    // rows), and documents + sentences (what Isnad stores).
    let raw_sqlite = |with_documents: bool| {
        best(|| {
            let db = dir
                .path()
                .join(format!("raw-{}.db", uuid::Uuid::new_v4().simple()));
            let mut conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                 CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL,
                     text_sha256 TEXT NOT NULL, char_count INTEGER NOT NULL, encoding TEXT NOT NULL,
                     metadata TEXT NOT NULL, origin TEXT, imported_at TEXT NOT NULL, sentence_count INTEGER NOT NULL);
                 CREATE TABLE sentences (doc_id TEXT NOT NULL, idx INTEGER NOT NULL, start_char INTEGER NOT NULL,
                     end_char INTEGER NOT NULL, text TEXT NOT NULL, boilerplate INTEGER NOT NULL DEFAULT 0,
                     boilerplate_reason TEXT, boilerplate_auto TEXT, PRIMARY KEY (doc_id, idx)) WITHOUT ROWID;",
            )
            .unwrap();
            timed(|| {
                for batch in files.chunks(500) {
                    let tx = conn.transaction().unwrap();
                    {
                        let mut doc_stmt = tx
                            .prepare_cached(
                                "INSERT INTO documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                            )
                            .unwrap();
                        let mut sentence_stmt = tx
                            .prepare_cached(
                                "INSERT INTO sentences VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                            )
                            .unwrap();
                        for doc in batch.iter().flat_map(|f| &f.documents) {
                            if with_documents {
                                doc_stmt
                                    .execute(rusqlite::params![
                                        doc.id,
                                        doc.title,
                                        doc.text,
                                        "0",
                                        0,
                                        doc.encoding,
                                        "{}",
                                        doc.origin,
                                        "2026",
                                        doc.sentences.len() as i64
                                    ])
                                    .unwrap();
                            }
                            for (i, s) in doc.sentences.iter().enumerate() {
                                sentence_stmt
                                    .execute(rusqlite::params![
                                        doc.id,
                                        i as i64,
                                        s.start as i64,
                                        s.end as i64,
                                        s.text,
                                        s.boilerplate.is_some(),
                                        s.boilerplate
                                    ])
                                    .unwrap();
                            }
                        }
                    }
                    tx.commit().unwrap();
                }
            })
        })
    };
    let raw_sentences = raw_sqlite(false);
    let raw_both = raw_sqlite(true);

    println!(
        "isnad import breakdown: {} files, {sentence_count} sentences, {:.1} MB (best of {REPEAT})",
        paths.len(),
        bytes.iter().map(Vec::len).sum::<usize>() as f64 / 1e6
    );
    line("whole import (importer::import_paths)", total, total);
    line("  read files (fs::read)", read, total);
    line("  decode (corpus::decode::decode)", decoding, total);
    line(
        "  ids (corpus::ids::id_from_text: NFC + SHA-256)",
        id_time,
        total,
    );
    line(
        "    reference: the first normalisation + SHA-256",
        id_reference,
        total,
    );
    println!("      (same normalised texts: {same_ids})");
    line(
        "    of which NFC of the whole text (text.nfc())",
        nfc_full,
        total,
    );
    line(
        "    the is_nfc_quick check (what ids does when it says yes)",
        nfc_quick,
        total,
    );
    line(
        "  segmentation (segment::split_sentences)",
        segment_time,
        total,
    );
    line(
        "  boilerplate (boilerplate::flag_boilerplate)",
        boilerplate_time,
        total,
    );
    line(
        "    reference: every pattern tried (flag_boilerplate_each_pattern)",
        boilerplate_reference,
        total,
    );
    println!("      (same flags: {same_flags})");
    line(
        "    folding every line + sentence (normalize::fold)",
        fold_time,
        total,
    );
    line(
        &format!("    {} patterns, each regex on every form", patterns.len()),
        each_regex,
        total,
    );
    line(
        "  read + decode + id + segment + flag (prepare)",
        prepare,
        total,
    );
    line(
        "  store (Store::import_files, 500 docs per batch)",
        store_time,
        total,
    );
    line(
        "rusqlite alone: sentence rows (the anchor's rows)",
        raw_sentences,
        total,
    );
    line("rusqlite alone: documents + sentence rows", raw_both, total);
}
