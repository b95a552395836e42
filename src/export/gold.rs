//! The gold standard as a dataset (`isnad export --what gold`): the adjudicated claims and
//! "no claim" sentences of every sentence with a gold decision, each record stamped with the
//! schema version, the label-schema hash and the number of annotators; optionally split
//! into train/dev/test by document with a fixed seed; with a short dataset card.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::agreement::report::AgreementReport;
use crate::claims_record::{CharIndex, RoleRecord, role_record};
use crate::domain::{GoldClaimRow, GoldSentenceRow};
use crate::labels::LabelSchema;
use crate::model::ModelError;
use crate::progress::Monitor;
use crate::store::{Store, StoreError};

use super::output::{
    ExportError, Format, RecordFields, RecordWriter, create_parent_folders, entity_names,
    flat_header, flatten_record, remove_created_folders, temporary_path,
};

/// One gold record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoldRecord {
    /// `claim` or `no_claim`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub doc_id: String,
    pub sentence_index: usize,
    pub sentence_text: String,
    pub claim_id: Option<String>,
    pub stance: Option<String>,
    pub claim_type: Option<String>,
    pub speaker: RoleRecord,
    pub target: RoleRecord,
    pub cue: RoleRecord,
    pub claim: RoleRecord,
    pub note: String,
    /// How the claim was decided: unanimous, adopted, edited, own (for `no_claim`: how the
    /// sentence was decided, unanimous or adjudicated).
    pub decision: String,
    /// Annotators who decided the sentence.
    pub n_annotators: u32,
    pub decided_by: String,
    pub decided_at: String,
    pub schema_version: u32,
    pub schema_hash: String,
    /// train, dev or test (null without --split).
    pub split: Option<String>,
}

impl RecordFields for GoldRecord {
    const FIELDS: &'static [&'static str] = &[
        "type",
        "doc_id",
        "sentence_index",
        "sentence_text",
        "claim_id",
        "stance",
        "claim_type",
        "speaker",
        "target",
        "cue",
        "claim",
        "note",
        "decision",
        "n_annotators",
        "decided_by",
        "decided_at",
        "schema_version",
        "schema_hash",
        "split",
    ];
}

/// Split proportions (percentages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitRatios {
    pub train: f64,
    pub dev: f64,
    pub test: f64,
}

impl SplitRatios {
    /// Parses `80/10/10` (any three non-negative numbers, normalised).
    pub fn parse(text: &str) -> Result<SplitRatios, String> {
        let parts: Vec<f64> = text
            .split(['/', ',', ':'])
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("--split takes three numbers like 80/10/10, not {text:?}"))?;
        let [train, dev, test] = parts[..] else {
            return Err(format!(
                "--split takes three numbers like 80/10/10, not {text:?}"
            ));
        };
        let total = train + dev + test;
        if parts.iter().any(|p| *p < 0.0 || !p.is_finite()) || total <= 0.0 {
            return Err(format!(
                "--split proportions must be non-negative with a positive sum: {text:?}"
            ));
        }
        Ok(SplitRatios {
            train: train / total,
            dev: dev / total,
            test: test / total,
        })
    }

    /// The split of a document: a fixed function of (seed, document id), so a document keeps
    /// its split when others are added.
    pub fn split_of(&self, doc_id: &str, seed: u64) -> &'static str {
        let digest = Sha256::digest(format!("{seed}\0{doc_id}").as_bytes());
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&digest[..8]);
        let position = u64::from_be_bytes(eight) as f64 / u64::MAX as f64;
        if position < self.train {
            "train"
        } else if position < self.train + self.dev {
            "dev"
        } else {
            "test"
        }
    }
}

/// Every gold record, in document and sentence order.
pub fn gold_records(
    store: &dyn Store,
    split: Option<(SplitRatios, u64)>,
) -> Result<Vec<GoldRecord>, StoreError> {
    gold_records_with(store, split, &mut Monitor::none()).map_err(|e| match e {
        ExportError::Store(e) => e,
        other => StoreError::Invalid(other.to_string()),
    })
}

/// [`gold_records`], reporting the decided sentences read to `monitor`.
pub fn gold_records_with(
    store: &dyn Store,
    split: Option<(SplitRatios, u64)>,
    monitor: &mut Monitor<'_>,
) -> Result<Vec<GoldRecord>, ExportError> {
    let schema = crate::model::project::label_schema(store)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let names = entity_names(store)?;
    let sentences: Vec<GoldSentenceRow> = store.gold_sentences(None)?;
    let claims: Vec<GoldClaimRow> = store.gold_claims(None, false)?;
    let mut claims_by_sentence: BTreeMap<(String, usize), Vec<GoldClaimRow>> = BTreeMap::new();
    for claim in claims {
        claims_by_sentence
            .entry((claim.doc_id.clone(), claim.sentence_idx))
            .or_default()
            .push(claim);
    }
    let mut records = Vec::new();
    let mut current_doc: Option<(String, String, Vec<crate::domain::SentenceRow>)> = None;
    let total = sentences.len();
    for (done, decided) in sentences.into_iter().enumerate() {
        monitor.step(done, total, "gold sentences")?;
        if current_doc
            .as_ref()
            .is_none_or(|(id, _, _)| id != &decided.doc_id)
        {
            let Some(doc) = store.document(&decided.doc_id)? else {
                continue;
            };
            let rows = store.sentences(&decided.doc_id)?;
            current_doc = Some((doc.id, doc.text, rows));
        }
        let Some((doc_id, text, rows)) = &current_doc else {
            continue;
        };
        let index = CharIndex::new(text);
        let sentence_text = rows
            .get(decided.sentence_idx)
            .map(|s| s.text.clone())
            .unwrap_or_default();
        let split_name = split.map(|(ratios, seed)| ratios.split_of(doc_id, seed).to_owned());
        let gold = claims_by_sentence
            .remove(&(doc_id.clone(), decided.sentence_idx))
            .unwrap_or_default();
        if decided.status == "claims" && !gold.is_empty() {
            for claim in gold {
                records.push(GoldRecord {
                    record_type: "claim".into(),
                    doc_id: doc_id.clone(),
                    sentence_index: decided.sentence_idx,
                    sentence_text: sentence_text.clone(),
                    claim_id: Some(claim.id.clone()),
                    stance: Some(claim.stance.clone()),
                    claim_type: claim.claim_type.clone(),
                    speaker: role_record(
                        &index,
                        claim.speaker_span,
                        claim.speaker_entity.as_ref(),
                        &names,
                    ),
                    target: role_record(
                        &index,
                        claim.target_span,
                        claim.target_entity.as_ref(),
                        &names,
                    ),
                    cue: role_record(&index, claim.cue_span, None, &names),
                    claim: role_record(&index, claim.content_span, None, &names),
                    note: claim.note.clone(),
                    decision: claim.decision.clone(),
                    n_annotators: claim.n_annotators,
                    decided_by: claim.decided_by.clone(),
                    decided_at: claim.decided_at.clone(),
                    schema_version: schema.version,
                    schema_hash: schema.hash.clone(),
                    split: split_name.clone(),
                });
            }
        } else {
            records.push(GoldRecord {
                record_type: "no_claim".into(),
                doc_id: doc_id.clone(),
                sentence_index: decided.sentence_idx,
                sentence_text,
                claim_id: None,
                stance: None,
                claim_type: None,
                speaker: RoleRecord::default(),
                target: RoleRecord::default(),
                cue: RoleRecord::default(),
                claim: RoleRecord::default(),
                note: String::new(),
                decision: decided.decision.clone(),
                n_annotators: decided.n_annotators,
                decided_by: decided.decided_by.clone(),
                decided_at: decided.decided_at.clone(),
                schema_version: schema.version,
                schema_hash: schema.hash.clone(),
                split: split_name,
            });
        }
    }
    monitor.step(total, total, "gold sentences")?;
    Ok(records)
}

/// The dataset card: what the dataset holds, how it was made (with the agreement report of
/// the annotations, or why there is none), how to load it.
pub fn dataset_card(
    store: &dyn Store,
    records: &[GoldRecord],
    files: &[String],
    split: Option<(SplitRatios, u64)>,
    agreement: &Result<AgreementReport, ModelError>,
) -> Result<String, StoreError> {
    let schema = crate::model::project::label_schema(store)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut card = Card::default();
    card.line("# Isnad gold standard: stance and claims in Arabic news".into());
    card.line(String::new());
    card.line(format!(
        "Exported {} from an Isnad project. One record per adjudicated claim (`type: claim`) and per sentence adjudicated as holding no claim (`type: no_claim`). Offsets are Unicode code points into the document text.",
        crate::clock::now_rfc3339()
    ));
    card.line(String::new());
    card.line("## Files".into());
    card.line(String::new());
    for file in files {
        card.line(format!("- `{file}`"));
    }
    card.line(String::new());
    card_counts(&mut card, records, split.is_some(), &schema);
    card_agreement(&mut card, agreement);
    card_schema(&mut card, &schema);
    if let Some((ratios, seed)) = split {
        card.line("## Splits".into());
        card.line(String::new());
        card.line(format!(
            "By document (no document is in two splits), seed {seed}: train {:.0}%, dev {:.0}%, test {:.0}% of documents in expectation; a document's split depends only on its id and the seed.",
            ratios.train * 100.0,
            ratios.dev * 100.0,
            ratios.test * 100.0
        ));
        card.line(String::new());
    }
    card_loading(&mut card, files);
    Ok(card.text)
}

/// The dataset card's Markdown, line by line.
#[derive(Default)]
struct Card {
    text: String,
}

impl Card {
    fn line(&mut self, text: String) {
        self.text.push_str(&text);
        self.text.push('\n');
    }
}

/// "Counts": documents, sentences, claims, a stance × split table, gold decisions.
fn card_counts(card: &mut Card, records: &[GoldRecord], split: bool, schema: &LabelSchema) {
    use std::fmt::Write;
    card.line("## Counts".into());
    card.line(String::new());
    let documents: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.doc_id.as_str()).collect();
    let sentences: std::collections::BTreeSet<(&str, usize)> = records
        .iter()
        .map(|r| (r.doc_id.as_str(), r.sentence_index))
        .collect();
    card.line(format!("- documents: {}", documents.len()));
    card.line(format!("- adjudicated sentences: {}", sentences.len()));
    card.line(format!(
        "- claims: {}; no-claim sentences: {}",
        records.iter().filter(|r| r.record_type == "claim").count(),
        records
            .iter()
            .filter(|r| r.record_type == "no_claim")
            .count()
    ));
    card.line(String::new());
    let splits: Vec<&str> = if split {
        vec!["train", "dev", "test"]
    } else {
        vec!["all"]
    };
    let mut header = "| stance |".to_owned();
    let mut rule = "|---|".to_owned();
    for s in &splits {
        let _ = write!(header, " {s} |");
        rule.push_str("---:|");
    }
    card.line(header);
    card.line(rule);
    let mut labels: Vec<String> = schema.stances.iter().map(|s| s.id.clone()).collect();
    labels.push("no_claim".into());
    for label in &labels {
        let mut row = format!("| {label} |");
        for s in &splits {
            let count = records
                .iter()
                .filter(|r| *s == "all" || r.split.as_deref() == Some(*s))
                .filter(|r| match label.as_str() {
                    "no_claim" => r.record_type == "no_claim",
                    stance => r.stance.as_deref() == Some(stance),
                })
                .count();
            let _ = write!(row, " {count} |");
        }
        card.line(row);
    }
    card.line(String::new());
    let mut decisions: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r.record_type == "claim") {
        *decisions.entry(r.decision.as_str()).or_default() += 1;
    }
    card.line(format!(
        "Gold claims by decision: {}.",
        decisions
            .iter()
            .map(|(d, n)| format!("{d} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    card.line(String::new());
}

/// "Inter-annotator agreement": the report's overall table, or why there is none.
fn card_agreement(card: &mut Card, agreement: &Result<AgreementReport, ModelError>) {
    card.line("## Inter-annotator agreement (before adjudication)".into());
    card.line(String::new());
    match agreement {
        Ok(report) => {
            card.line(format!(
                "{} annotators ({}); {} decided content sentences.",
                report.annotators.len(),
                report.annotators.join(", "),
                report.overall.sentences
            ));
            card.line(String::new());
            card.line("| field | units | Krippendorff's α | Fleiss' κ | % agreement |".into());
            card.line("|---|---:|---:|---:|---:|".into());
            let fmt = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.3}"));
            for field in crate::agreement::report::FIELDS {
                if let Some(f) = report.overall.fields.get(field) {
                    let a = &f.agreement;
                    card.line(format!(
                        "| {field} | {} | {} | {} | {} |",
                        a.units,
                        fmt(a.krippendorff_alpha),
                        fmt(a.fleiss_kappa),
                        fmt(a.percent_agreement)
                    ));
                }
            }
        }
        Err(e) => card.line(format!("Not available: {e}.")),
    }
    card.line(String::new());
}

/// "Label schema": its name, version and hash, and every stance.
fn card_schema(card: &mut Card, schema: &LabelSchema) {
    card.line("## Label schema".into());
    card.line(String::new());
    card.line(format!(
        "`{}` version {}, SHA-256 `{}` (every record carries `schema_version` and `schema_hash`).",
        schema.name, schema.version, schema.hash
    ));
    card.line(String::new());
    for stance in &schema.stances {
        card.line(format!(
            "- `{}` ({} / {}): {}",
            stance.id,
            stance.name_en,
            stance.name_ar,
            stance.description.replace('\n', " ")
        ));
    }
    card.line(String::new());
}

/// "Loading": pandas and Hugging Face `datasets` on the first file.
fn card_loading(card: &mut Card, files: &[String]) {
    card.line("## Loading".into());
    card.line(String::new());
    card.line("```python".into());
    card.line("import pandas as pd".into());
    card.line(format!(
        "df = pd.read_json({:?}, lines=True)",
        files.first().cloned().unwrap_or_default()
    ));
    card.line("from datasets import load_dataset".into());
    card.line(format!(
        "ds = load_dataset(\"json\", data_files={:?})",
        files.first().cloned().unwrap_or_default()
    ));
    card.line("```".into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_ratios_parse_and_assign_stably() {
        let ratios = SplitRatios::parse("80/10/10").unwrap();
        assert!((ratios.train - 0.8).abs() < 1e-12);
        assert!(SplitRatios::parse("1/2").is_err());
        assert!(SplitRatios::parse("a/b/c").is_err());
        assert!(SplitRatios::parse("0/0/0").is_err());
        let counts = (0..1000).fold([0usize; 3], |mut counts, i| {
            match ratios.split_of(&format!("doc{i}"), 42) {
                "train" => counts[0] += 1,
                "dev" => counts[1] += 1,
                _ => counts[2] += 1,
            }
            counts
        });
        assert!(counts[0] > 740 && counts[0] < 860, "{counts:?}");
        assert_eq!(ratios.split_of("x", 1), ratios.split_of("x", 1));
    }
}

/// What [`export_gold_files`] wrote.
#[derive(Debug, Clone)]
pub struct GoldFiles {
    /// Each data file and its number of records (one file, or train/dev/test).
    pub files: Vec<(std::path::PathBuf, usize)>,
    /// The dataset card written beside them (`STEM.card.md`).
    pub card: std::path::PathBuf,
}

impl GoldFiles {
    /// Records in all files together.
    pub fn records(&self) -> usize {
        self.files.iter().map(|(_, count)| count).sum()
    }
}

/// Writes gold records in `format`, reporting them to `monitor`.
pub fn write_gold<W: std::io::Write>(
    records: &[GoldRecord],
    format: Format,
    out: W,
    monitor: &mut Monitor<'_>,
) -> Result<usize, ExportError> {
    let total = records.len();
    match format {
        Format::Jsonl => {
            let mut writer = RecordWriter::new::<GoldRecord>(out, format);
            for (done, record) in records.iter().enumerate() {
                monitor.step(done, total, "gold records")?;
                writer.write(record)?;
            }
            writer.finish()
        }
        Format::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out);
            let header = flat_header::<GoldRecord>();
            writer.write_record(&header)?;
            for (done, record) in records.iter().enumerate() {
                monitor.step(done, total, "gold records")?;
                writer.write_record(flatten_record(record, &header)?)?;
            }
            writer.flush()?;
            Ok(total)
        }
    }
}

/// Writes the gold standard to `out` — or, with a split, to `STEM.train.EXT`, `STEM.dev.EXT`
/// and `STEM.test.EXT` beside it — and the dataset card `STEM.card.md`. The CLI's `export
/// --what gold --out` and the app's export dialog both call this.
pub fn export_gold_files(
    store: &dyn Store,
    format: Format,
    out: &std::path::Path,
    split: Option<(SplitRatios, u64)>,
) -> Result<GoldFiles, ExportError> {
    export_gold_files_with(store, format, out, split, &mut Monitor::none())
}

/// [`export_gold_files`] with progress. Every file is written to a temporary file first and
/// all are renamed into place at the end: a failed or cancelled export leaves none of them
/// (and no folder it made).
pub fn export_gold_files_with(
    store: &dyn Store,
    format: Format,
    out: &std::path::Path,
    split: Option<(SplitRatios, u64)>,
    monitor: &mut Monitor<'_>,
) -> Result<GoldFiles, ExportError> {
    let created = create_parent_folders(out)?;
    let mut temporary: Vec<std::path::PathBuf> = Vec::new();
    let result = write_gold_files(store, format, out, split, monitor, &mut temporary);
    if result.is_err() {
        for tmp in &temporary {
            let _ = std::fs::remove_file(tmp);
        }
        remove_created_folders(&created);
    }
    result
}

fn write_gold_files(
    store: &dyn Store,
    format: Format,
    out: &std::path::Path,
    split: Option<(SplitRatios, u64)>,
    monitor: &mut Monitor<'_>,
    temporary: &mut Vec<std::path::PathBuf>,
) -> Result<GoldFiles, ExportError> {
    use std::io::Write;
    let extension = match format {
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
    };
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gold".into());
    let dir = out
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let names: Vec<Option<&'static str>> = match split {
        Some(_) => vec![Some("train"), Some("dev"), Some("test")],
        None => vec![None],
    };
    let records = gold_records_with(store, split, monitor)?;
    // (temporary file, final path, records)
    let mut written = Vec::new();
    for name in names {
        let path = match name {
            Some(name) => dir.join(format!("{stem}.{name}.{extension}")),
            None => out.to_path_buf(),
        };
        let part: Vec<GoldRecord> = records
            .iter()
            .filter(|r| name.is_none() || r.split.as_deref() == name)
            .cloned()
            .collect();
        let tmp = temporary_path(&path)?;
        temporary.push(tmp.clone());
        let mut file = std::fs::File::create(&tmp)?;
        let count = write_gold(&part, format, &mut file, monitor)?;
        file.sync_all()?;
        written.push((tmp, path, count));
    }
    let file_names: Vec<String> = written
        .iter()
        .map(|(_, path, _)| {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    monitor.step(0, 1, "agreement for the dataset card")?;
    let agreement = crate::model::measure_agreement::compute_agreement_with(
        store,
        &Default::default(),
        monitor,
    );
    if let Err(ModelError::Cancelled(cancelled)) = agreement {
        return Err(cancelled.into());
    }
    let card_text = dataset_card(store, &records, &file_names, split, &agreement)?;
    let card = dir.join(format!("{stem}.card.md"));
    let card_tmp = temporary_path(&card)?;
    temporary.push(card_tmp.clone());
    let mut file = std::fs::File::create(&card_tmp)?;
    file.write_all(card_text.as_bytes())?;
    file.sync_all()?;
    // The last point to stop at: after it, only renames.
    monitor.check()?;
    written.push((card_tmp, card.clone(), 0));
    for (tmp, path, _) in &written {
        std::fs::rename(tmp, path)?;
    }
    written.pop();
    Ok(GoldFiles {
        files: written.into_iter().map(|(_, path, n)| (path, n)).collect(),
        card,
    })
}
