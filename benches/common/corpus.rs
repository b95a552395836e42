//! Deterministic benchmark corpus: Arabic news articles recombined from the seed articles'
//! sentences (varied lengths, numbers in Western and Arabic-Indic digits, Latin names, a
//! little boilerplate), plus claims and "no claim" marks of several annotators, plus a
//! units × annotators reliability matrix for agreement.
//!
//! Everything is a pure function of a seed: the same arguments give the same bytes on every
//! machine. Included by the benches (`#[path = "common/corpus.rs"] mod corpus;`) and by
//! `examples/gen_corpus.rs`; not part of the crate.

#![allow(
    dead_code,
    reason = "each bench and example uses a different part of the generator"
)]

use std::path::Path;

use isnad::corpus::boilerplate::{BoilerplateRules, flag_boilerplate};
use isnad::corpus::reader::{InputFormat, read_documents};
use isnad::corpus::segment::{SegmentationRules, split_sentences};
use isnad::domain::{ClaimRow, ClaimStatus, FileImport, MarkRow, Span};
use isnad::store::{self, Access, Location, Store, StoreError};

/// The seed every figure in BENCHMARKS.md was produced with.
pub const DEFAULT_SEED: u64 = 0x15_4A_D0;

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A generator for item `index` of a stream, independent of the other items.
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Rng {
        let mut rng = Rng::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.0 ^= index.wrapping_mul(0xA24B_AED4_963E_E407);
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Latin names and sources as they appear in Arabic news copy.
const LATIN_NAMES: &[&str] = &[
    "Reuters",
    "AFP",
    "Vladimir Putin",
    "Joe Biden",
    "Antonio Guterres",
    "Sergei Lavrov",
    "Geir Pedersen",
    "NATO",
    "UN Security Council",
    "Al Jazeera",
    "BBC Arabic",
    "Human Rights Watch",
];

const ARABIC_DIGITS: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

const MONTHS: &[&str] = &[
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];

/// Sentences taken from the seed articles with the crate's own segmenter.
#[derive(Debug, Clone)]
pub struct SentencePool {
    /// Content sentences, as in the seeds.
    pub sentences: Vec<String>,
    /// Clauses (cut at "،"), for short sentences and recombination.
    pub clauses: Vec<String>,
    /// Sentences the boilerplate rules flag (read-also, bylines …).
    pub boilerplate: Vec<String>,
}

impl SentencePool {
    pub fn from_seeds() -> SentencePool {
        let segmentation = SegmentationRules::builtin();
        let rules = BoilerplateRules::builtin();
        let mut pool = SentencePool {
            sentences: Vec::new(),
            clauses: Vec::new(),
            boilerplate: Vec::new(),
        };
        for (_, text) in isnad::seeds::SEED_ARTICLES {
            let spans = split_sentences(text, segmentation);
            let flags = flag_boilerplate(text, &spans, rules);
            for (index, (span, flag)) in spans.iter().zip(flags).enumerate() {
                let Some(sentence) = span.text(text) else {
                    continue;
                };
                let sentence = sentence.trim().to_owned();
                if index == 0 || sentence.chars().count() < 12 {
                    continue;
                }
                if flag.is_some() {
                    pool.boilerplate.push(sentence);
                    continue;
                }
                for clause in sentence.split('،') {
                    let clause = strip_end(clause.trim());
                    if clause.chars().count() >= 15 {
                        pool.clauses.push(clause.to_owned());
                    }
                }
                pool.sentences.push(sentence);
            }
        }
        pool
    }
}

/// `text` without trailing end marks, quotes and colons.
fn strip_end(text: &str) -> &str {
    text.trim_end_matches(|c: char| {
        matches!(
            c,
            '.' | '!' | '?' | '؟' | '…' | ':' | '”' | '"' | '»' | ')' | ' '
        )
    })
}

fn arabic_indic(n: u64) -> String {
    n.to_string()
        .chars()
        .map(|c| ARABIC_DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

fn number(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("{}", 1990 + rng.below(36)),
        1 => format!("{}.{}", 1 + rng.below(99), rng.below(10)),
        2 => arabic_indic(1 + rng.below(5000) as u64),
        3 => format!("{}%", 1 + rng.below(99)),
        4 => format!(
            "{} {} {}",
            1 + rng.below(28),
            rng.pick(MONTHS),
            2000 + rng.below(26)
        ),
        _ => format!("{} ألف", 2 + rng.below(500)),
    }
}

/// Inserts `insert` at a word boundary near the middle of `sentence`.
fn insert_words(sentence: &str, insert: &str, rng: &mut Rng) -> String {
    let spaces: Vec<usize> = sentence.match_indices(' ').map(|(i, _)| i).collect();
    if spaces.len() < 3 {
        return format!("{sentence} {insert}");
    }
    let at = spaces[1 + rng.below(spaces.len() - 2)];
    format!("{} {insert}{}", &sentence[..at], &sentence[at..])
}

/// One body sentence: a seed sentence, a short clause, or a long recombination, sometimes
/// with a number and sometimes with a Latin name. Always one sentence for the segmenter.
pub fn sentence(pool: &SentencePool, rng: &mut Rng) -> String {
    let mut text = match rng.below(100) {
        0..55 => rng.pick::<String>(&pool.sentences).clone(),
        55..70 => format!("{}.", rng.pick::<String>(&pool.clauses)),
        70..88 => format!(
            "{}، و{}.",
            rng.pick::<String>(&pool.clauses),
            rng.pick::<String>(&pool.clauses)
        ),
        _ => format!(
            "{}، {}، في حين {}.",
            strip_end(rng.pick::<String>(&pool.sentences)),
            rng.pick::<String>(&pool.clauses),
            rng.pick::<String>(&pool.clauses)
        ),
    };
    if rng.chance(0.3) {
        let n = number(rng);
        text = insert_words(&text, &n, rng);
    }
    if rng.chance(0.2) {
        let name = rng.pick(LATIN_NAMES);
        let quoted = if rng.chance(0.5) {
            format!("({name})")
        } else {
            format!("“{name}”")
        };
        text = insert_words(&text, &quoted, rng);
    }
    text
}

/// The text of article `index` with `sentences` sentences (the title is sentence 0), one
/// sentence per line as news sites print them. Unique per index (the title carries it).
pub fn article_text(pool: &SentencePool, seed: u64, index: usize, sentences: usize) -> String {
    let mut rng = Rng::for_item(seed, 1, index as u64);
    let mut text = String::with_capacity(sentences * 160);
    let title = one_sentence(|| {
        format!(
            "{} | العدد {}",
            strip_end(rng.pick::<String>(&pool.clauses)),
            index + 1
        )
    });
    text.push_str(&title);
    text.push('\n');
    let body = sentences.saturating_sub(1);
    // A little boilerplate near the end of about one article in five.
    let boilerplate_at = (body > 8 && rng.chance(0.2)).then(|| body - 1 - rng.below(3));
    for line in 0..body {
        if Some(line) == boilerplate_at && !pool.boilerplate.is_empty() {
            text.push_str(&one_sentence(|| {
                rng.pick::<String>(&pool.boilerplate).clone()
            }));
        } else {
            text.push_str(&one_sentence(|| sentence(pool, &mut rng)));
        }
        text.push('\n');
    }
    text
}

/// The first text `make` returns that the crate's segmenter keeps as exactly one sentence
/// (so that generated articles have exactly the sentence counts asked for).
fn one_sentence(mut make: impl FnMut() -> String) -> String {
    let rules = SegmentationRules::builtin();
    let mut text = make();
    for _ in 0..50 {
        if split_sentences(&text, rules).len() == 1 {
            break;
        }
        text = make();
    }
    text
}

/// Sentence counts of `articles` articles summing to exactly `total` (each ≥ 6), varied
/// around the mean.
pub fn sentence_counts(seed: u64, articles: usize, total: usize) -> Vec<usize> {
    assert!(articles > 0 && total >= articles * 6, "too few sentences");
    let mean = total / articles;
    let spread = (mean - 6).min(mean / 2 + 1);
    let mut rng = Rng::for_item(seed, 2, 0);
    let mut counts: Vec<usize> = (0..articles)
        .map(|_| mean - spread + rng.below(2 * spread + 1))
        .collect();
    let mut sum: usize = counts.iter().sum();
    let mut i = 0;
    while sum != total {
        let slot = &mut counts[i % articles];
        if sum < total {
            *slot += 1;
            sum += 1;
        } else if *slot > 6 {
            *slot -= 1;
            sum -= 1;
        }
        i += 1;
    }
    counts
}

/// File name of article `index` in a `.txt` corpus folder.
pub fn article_file_name(index: usize) -> String {
    format!("{:02}/{index:06}.txt", index / 1000)
}

/// Writes `articles` `.txt` files (in sub-folders of 1,000) under `dir` with `total`
/// sentences in all. Returns the bytes written.
pub fn write_txt_corpus(
    dir: &Path,
    seed: u64,
    articles: usize,
    total: usize,
) -> std::io::Result<u64> {
    let pool = SentencePool::from_seeds();
    let counts = sentence_counts(seed, articles, total);
    let mut bytes = 0u64;
    for (index, &count) in counts.iter().enumerate() {
        let path = dir.join(article_file_name(index));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = article_text(&pool, seed, index, count);
        bytes += text.len() as u64;
        std::fs::write(path, text)?;
    }
    Ok(bytes)
}

/// Imports articles straight into a store (segmented and flagged by the crate, exactly as
/// `isnad import` does, without the files). `extra` articles (index, sentences) are added
/// first. Returns (documents, sentences) stored.
pub fn fill_store(
    store: &mut dyn Store,
    seed: u64,
    articles: usize,
    total: usize,
    extra: &[(usize, usize)],
    mut progress: impl FnMut(usize, usize),
) -> Result<(usize, usize), StoreError> {
    let pool = SentencePool::from_seeds();
    let mut jobs: Vec<(usize, usize)> = extra.to_vec();
    if articles > 0 {
        jobs.extend(
            sentence_counts(seed, articles, total)
                .into_iter()
                .enumerate(),
        );
    }
    let segmentation = SegmentationRules::builtin();
    let rules = BoilerplateRules::builtin();
    let mut documents = 0;
    let mut sentences = 0;
    for (batch_index, batch) in jobs.chunks(1000).enumerate() {
        let files: Vec<FileImport> = batch
            .iter()
            .map(|&(index, count)| {
                let text = article_text(&pool, seed, index, count);
                let origin = format!("bench/{}", article_file_name(index));
                let raws = read_documents(text.as_bytes(), InputFormat::Txt, &origin, None)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                Ok(FileImport {
                    origin,
                    documents: raws
                        .into_iter()
                        .map(|raw| isnad::importer::prepare_document(raw, segmentation, rules))
                        .collect(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        for result in store.import_files(&files)? {
            let outcomes = result.result.map_err(StoreError::Invalid)?;
            for (_, _, count) in outcomes {
                documents += 1;
                sentences += count;
            }
        }
        progress(batch_index * 1000 + batch.len(), jobs.len());
    }
    Ok((documents, sentences))
}

/// How the annotators of [`annotate`] behave.
#[derive(Debug, Clone)]
pub struct AnnotationPlan {
    pub annotators: Vec<String>,
    /// Stop after this many content sentences (documents in import order).
    pub max_sentences: usize,
    /// Probability that a sentence holds a claim (otherwise all annotators decide "no
    /// claim", up to disagreement).
    pub claim_rate: f64,
    /// Probability that an annotator departs from the shared "truth" on a decision.
    pub disagreement: f64,
}

/// What [`annotate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Annotated {
    pub sentences: usize,
    pub claims: usize,
    pub marks: usize,
}

const STANCES: [&str; 4] = ["favor", "against", "neutral", "unclear"];
const CLAIM_TIME: &str = "2026-01-15T09:30:00.000Z";

/// Writes confirmed claims and "no claim" marks through [`Store::import_claims`] (the path
/// `isnad import-claims` ends in) for every annotator of `plan` on the first
/// `plan.max_sentences` content sentences. Needs the starter registry in the store.
pub fn annotate(
    store: &mut dyn Store,
    seed: u64,
    plan: &AnnotationPlan,
    mut progress: impl FnMut(usize),
) -> Result<Annotated, StoreError> {
    let entities: Vec<String> = store.entities()?.into_iter().map(|e| e.entity.id).collect();
    assert!(
        entities.len() >= 2,
        "load the starter registry before annotating"
    );
    let schema_version = isnad::labels::LabelSchema::builtin().version;
    let mut doc_ids = Vec::new();
    store.for_each_document(&mut |row| {
        doc_ids.push(row.id);
        Ok(())
    })?;
    let mut done = Annotated::default();
    let mut claims: Vec<ClaimRow> = Vec::new();
    let mut marks: Vec<MarkRow> = Vec::new();
    'documents: for doc_id in doc_ids {
        for sentence in store.sentences(&doc_id)? {
            if done.sentences >= plan.max_sentences {
                break 'documents;
            }
            if sentence.boilerplate {
                continue;
            }
            done.sentences += 1;
            let mut rng = Rng::for_item(seed, 3, done.sentences as u64);
            let truth_claim = rng.chance(plan.claim_rate);
            let speaker = rng.below(entities.len());
            let target = (speaker + 1 + rng.below(entities.len() - 1)) % entities.len();
            let stance = rng.below(STANCES.len());
            // The speaker span: the sentence's second word (document offsets).
            let words: Vec<(usize, usize)> = word_spans(&sentence.text);
            let speaker_span = words
                .get(1)
                .or(words.first())
                .map(|&(s, e)| Span::new(sentence.start + s, sentence.start + e));
            for (annotator_index, annotator) in plan.annotators.iter().enumerate() {
                let mut has_claim = truth_claim;
                if rng.chance(plan.disagreement) {
                    has_claim = !has_claim;
                }
                if !has_claim {
                    marks.push(MarkRow {
                        doc_id: doc_id.clone(),
                        sentence_idx: sentence.index,
                        annotator: annotator.clone(),
                        mark: "no_claim".into(),
                        lead_time_s: 4.0,
                        created_at: CLAIM_TIME.into(),
                        updated_at: CLAIM_TIME.into(),
                        deleted: false,
                    });
                    continue;
                }
                let stance = if rng.chance(plan.disagreement) {
                    STANCES[rng.below(STANCES.len())]
                } else {
                    STANCES[stance]
                };
                let speaker = if rng.chance(plan.disagreement / 2.0) {
                    rng.below(entities.len())
                } else {
                    speaker
                };
                claims.push(ClaimRow {
                    id: format!("bench-{:08}-{annotator_index}", done.sentences),
                    doc_id: doc_id.clone(),
                    sentence_idx: sentence.index,
                    annotator: annotator.clone(),
                    status: ClaimStatus::Confirmed,
                    stance: Some(stance.to_owned()),
                    claim_type: None,
                    speaker_entity: Some(entities[speaker].clone()),
                    speaker_span,
                    target_entity: Some(entities[target].clone()),
                    target_span: None,
                    cue_span: None,
                    content_span: Some(Span::new(sentence.start, sentence.end)),
                    note: String::new(),
                    lead_time_s: 12.5,
                    schema_version,
                    origin: "bench".into(),
                    created_at: CLAIM_TIME.into(),
                    updated_at: CLAIM_TIME.into(),
                    deleted: false,
                });
            }
            if claims.len() + marks.len() >= 200_000 {
                done.claims += claims.len();
                done.marks += marks.len();
                store.import_claims(&[], &claims, &marks)?;
                claims.clear();
                marks.clear();
                progress(done.sentences);
            }
        }
    }
    done.claims += claims.len();
    done.marks += marks.len();
    store.import_claims(&[], &claims, &marks)?;
    progress(done.sentences);
    Ok(done)
}

/// Code-point spans of the space-separated words of `text`.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut index = 0;
    for c in text.chars() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                spans.push((s, index));
            }
        } else if start.is_none() {
            start = Some(index);
        }
        index += 1;
    }
    if let Some(s) = start {
        spans.push((s, index));
    }
    spans
}

/// A units × annotators matrix of nominal codes in `0..categories` (`None` = missing):
/// each unit has a skewed "true" category, each annotator agrees with it with probability
/// `1 - disagreement`, and each cell is missing with probability `missing`.
pub fn reliability_matrix(
    seed: u64,
    units: usize,
    annotators: usize,
    categories: usize,
    disagreement: f64,
    missing: f64,
) -> Vec<Vec<Option<u32>>> {
    let mut rng = Rng::for_item(seed, 6, 0);
    (0..units)
        .map(|_| {
            // Skewed: category k with weight ∝ 1/(k+1).
            let truth = {
                let roll = rng.below(1000);
                let mut weights: Vec<usize> = (0..categories).map(|k| 1000 / (k + 1)).collect();
                let total: usize = weights.iter().sum();
                for w in &mut weights {
                    *w = *w * 1000 / total;
                }
                let mut acc = 0;
                let mut chosen = categories - 1;
                for (k, w) in weights.iter().enumerate() {
                    acc += w;
                    if roll < acc {
                        chosen = k;
                        break;
                    }
                }
                chosen
            };
            (0..annotators)
                .map(|_| {
                    if rng.chance(missing) {
                        None
                    } else if rng.chance(disagreement) {
                        Some(rng.below(categories) as u32)
                    } else {
                        Some(truth as u32)
                    }
                })
                .collect()
        })
        .collect()
}

/// Writes a matrix as text: a header `units annotators`, then one line per annotator of
/// space-separated codes, `-1` for missing (what `numpy.loadtxt` reads, coders × units as
/// `krippendorff.alpha` takes it).
pub fn write_matrix(path: &Path, matrix: &[Vec<Option<u32>>]) -> std::io::Result<()> {
    use std::io::Write;
    let annotators = matrix.first().map_or(0, Vec::len);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "# {} {annotators}", matrix.len())?;
    for a in 0..annotators {
        let mut first = true;
        for unit in matrix {
            if !first {
                out.write_all(b" ")?;
            }
            first = false;
            match unit[a] {
                Some(code) => write!(out, "{code}")?,
                None => out.write_all(b"-1")?,
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Reads what [`write_matrix`] wrote back as units × annotators.
pub fn read_matrix(path: &Path) -> std::io::Result<Vec<Vec<Option<u32>>>> {
    let text = std::fs::read_to_string(path)?;
    let rows: Vec<Vec<Option<u32>>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            line.split_ascii_whitespace()
                .map(|v| v.parse::<i64>().ok().and_then(|n| u32::try_from(n).ok()))
                .collect()
        })
        .collect();
    let units = rows.first().map_or(0, Vec::len);
    Ok((0..units)
        .map(|u| rows.iter().map(|row| row[u]).collect())
        .collect())
}

/// A database file for the in-process benches: the starter registry, the label schema,
/// one article of `long` sentences (stored first) and `articles` articles with `total`
/// sentences. Returns the store and the long article's id.
pub fn bench_database(
    path: &Path,
    seed: u64,
    articles: usize,
    total: usize,
    long: usize,
) -> Result<(Box<dyn Store>, String), StoreError> {
    let mut store = store::open(&Location::from(path), Access::ReadWrite)?;
    isnad::model::project::prepare_project(&mut *store)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    isnad::model::project::load_starter_registry(&mut *store)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    fill_store(
        &mut *store,
        seed,
        articles,
        total,
        &[(9_999_999, long)],
        |_, _| {},
    )?;
    let first = store.document_summaries(&isnad::domain::DocumentListQuery {
        text: "",
        status: isnad::domain::StatusFilter::All,
        annotator: None,
        gold: false,
        offset: 0,
        limit: 1,
    })?;
    let id = first
        .first()
        .map(|d| d.id.clone())
        .ok_or_else(|| StoreError::Invalid("no document".into()))?;
    Ok((store, id))
}
