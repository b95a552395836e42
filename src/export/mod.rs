//! Dataset export: documents, sentences (and, with later issues, claims and gold) as JSON
//! Lines or CSV, streamed from the store so memory stays flat on large projects.
//!
//! JSONL: one JSON object per line, UTF-8, keys always present (null when absent), so
//! `pandas.read_json(path, lines=True)` and Hugging Face `datasets.load_dataset("json", …)`
//! read it as is. CSV: RFC 4180, UTF-8 without BOM, a header row; nested values
//! (`metadata`) are JSON text in one column.
//!
//! `output` holds what every export shares (formats, errors, the record writer, atomic
//! files), [`gold`] the gold standard and its dataset card; the claims record format itself
//! is [`crate::claims_record`].

pub mod gold;
mod output;

use std::io::Write;

use serde::Serialize;

use crate::claims_record::{
    CLAIM_CSV_FIELDS, CLAIM_FIELDS, CharIndex, ClaimCsvRecord, ClaimRecord, claim_record,
    no_claim_record,
};
use crate::domain::{DocumentRow, SentenceRow};
use crate::progress::Monitor;
use crate::store::{Store, StoreError};
pub use output::{
    ExportError, Format, RecordFields, RecordWriter, entity_names, write_file_atomically,
};
use output::{create_parent_folders, remove_created_folders, temporary_path};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Documents,
    Sentences,
    /// Confirmed claims and "no claim" sentences of every annotator (or one).
    Claims,
    /// The adjudicated gold standard.
    Gold,
}

/// What to export, and for whom.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub what: What,
    pub format: Format,
    /// Only this annotator's claims (claims export).
    pub annotator: Option<String>,
    /// Only this split of the gold standard, computed with these ratios and seed.
    pub gold_split: Option<(gold::SplitRatios, u64, &'static str)>,
}

/// A document as exported.
#[derive(Debug, Serialize)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub encoding: String,
    /// Further input fields, as JSON text (`json.loads` it).
    pub metadata: String,
    pub origin: Option<String>,
    pub imported_at: String,
    pub sentence_count: usize,
}

impl From<DocumentRow> for DocumentRecord {
    fn from(row: DocumentRow) -> Self {
        DocumentRecord {
            id: row.id,
            title: row.title,
            text: row.text,
            source: row.source,
            url: row.url,
            published: row.published,
            encoding: row.encoding,
            metadata: row.metadata,
            origin: row.origin,
            imported_at: row.imported_at,
            sentence_count: row.sentence_count,
        }
    }
}

/// A sentence as exported: `text == document.text[start:end]` in code points.
#[derive(Debug, Serialize)]
pub struct SentenceRecord {
    pub doc_id: String,
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub boilerplate: bool,
    pub boilerplate_reason: Option<String>,
}

impl From<SentenceRow> for SentenceRecord {
    fn from(row: SentenceRow) -> Self {
        SentenceRecord {
            doc_id: row.doc_id,
            index: row.index,
            start: row.start,
            end: row.end,
            text: row.text,
            boilerplate: row.boilerplate,
            boilerplate_reason: row.boilerplate_reason,
        }
    }
}

impl RecordFields for DocumentRecord {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "text",
        "source",
        "url",
        "published",
        "encoding",
        "metadata",
        "origin",
        "imported_at",
        "sentence_count",
    ];
}

impl RecordFields for SentenceRecord {
    const FIELDS: &'static [&'static str] = &[
        "doc_id",
        "index",
        "start",
        "end",
        "text",
        "boilerplate",
        "boilerplate_reason",
    ];
}

impl RecordFields for ClaimRecord {
    const FIELDS: &'static [&'static str] = CLAIM_FIELDS;
}

impl RecordFields for ClaimCsvRecord {
    const FIELDS: &'static [&'static str] = CLAIM_CSV_FIELDS;
}

/// Exports everything of one kind; returns the number of records written.
pub fn export<W: Write>(
    store: &dyn Store,
    request: &ExportRequest,
    out: W,
) -> Result<usize, ExportError> {
    export_with(store, request, out, &mut Monitor::none())
}

/// [`export`], reporting the records written to `monitor` and stopping when it is cancelled.
pub fn export_with<W: Write>(
    store: &dyn Store,
    request: &ExportRequest,
    out: W,
    monitor: &mut Monitor<'_>,
) -> Result<usize, ExportError> {
    let format = request.format;
    match request.what {
        What::Documents => {
            let total = store.document_count()?;
            let mut writer = RecordWriter::new::<DocumentRecord>(out, format);
            stream(&mut writer, monitor, total, |each| {
                store.for_each_document(&mut |row| each(DocumentRecord::from(row)))
            })?;
            writer.finish()
        }
        What::Sentences => {
            let total = store.sentence_count()?;
            let mut writer = RecordWriter::new::<SentenceRecord>(out, format);
            stream(&mut writer, monitor, total, |each| {
                store.for_each_sentence(&mut |row| each(SentenceRecord::from(row)))
            })?;
            writer.finish()
        }
        What::Gold => {
            let split = request.gold_split.map(|(ratios, seed, _)| (ratios, seed));
            let records: Vec<gold::GoldRecord> = gold::gold_records_with(store, split, monitor)?
                .into_iter()
                .filter(|r| {
                    request
                        .gold_split
                        .is_none_or(|(_, _, wanted)| r.split.as_deref() == Some(wanted))
                })
                .collect();
            gold::write_gold(&records, format, out, monitor)
        }
        What::Claims => {
            let total = store.decision_count(request.annotator.as_deref())?;
            match format {
                Format::Jsonl => {
                    let mut writer = RecordWriter::new::<ClaimRecord>(out, format);
                    let annotator = request.annotator.as_deref();
                    export_claims(store, annotator, &mut writer, monitor, total, |r| r)?;
                    writer.finish()
                }
                Format::Csv => {
                    let mut writer = RecordWriter::new::<ClaimCsvRecord>(out, format);
                    export_claims(
                        store,
                        request.annotator.as_deref(),
                        &mut writer,
                        monitor,
                        total,
                        ClaimCsvRecord::from,
                    )?;
                    writer.finish()
                }
            }
        }
    }
}

/// Exports into a file through a temporary file renamed at the end, so an interrupted export
/// never leaves a truncated file where the dataset should be.
pub fn export_to_file(
    store: &dyn Store,
    request: &ExportRequest,
    path: &std::path::Path,
) -> Result<usize, ExportError> {
    export_to_file_with(store, request, path, &mut Monitor::none())
}

/// [`export_to_file`] with progress; cancelled, it leaves no file (and no folder it made).
pub fn export_to_file_with(
    store: &dyn Store,
    request: &ExportRequest,
    path: &std::path::Path,
    monitor: &mut Monitor<'_>,
) -> Result<usize, ExportError> {
    let tmp = temporary_path(path)?;
    let created = create_parent_folders(path)?;
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        let count = export_with(store, request, &mut file, monitor)?;
        file.sync_all()?;
        monitor.check()?;
        std::fs::rename(&tmp, path)?;
        Ok(count)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        remove_created_folders(&created);
    }
    result
}

fn export_claims<W: Write, T: Serialize>(
    store: &dyn Store,
    annotator: Option<&str>,
    writer: &mut RecordWriter<W>,
    monitor: &mut Monitor<'_>,
    total: usize,
    shape: impl Fn(ClaimRecord) -> T,
) -> Result<(), ExportError> {
    let schema = crate::model::project::label_schema(store)
        .map_err(|e| ExportError::Project(e.to_string()))?;
    let names = entity_names(store)?;
    stream(writer, monitor, total, |each| {
        store.for_each_annotated_document(annotator, &mut |_, text, claims, marks| {
            let index = CharIndex::new(text);
            let mut records: Vec<ClaimRecord> = claims
                .iter()
                .map(|claim| claim_record(claim, &index, &names, &schema.hash))
                .chain(
                    marks
                        .iter()
                        .map(|mark| no_claim_record(mark, schema.version, &schema.hash)),
                )
                .collect();
            records.sort_by(|a, b| {
                (a.sentence_index, &a.annotator, &a.created_at).cmp(&(
                    b.sentence_index,
                    &b.annotator,
                    &b.created_at,
                ))
            });
            for record in records {
                each(shape(record))?;
            }
            Ok(())
        })
    })
}

/// Drives a store walk that hands records to `writer`, reporting them to `monitor` (of
/// `total`) and keeping the first write error or the cancel (the walk itself only knows
/// store errors).
fn stream<W: Write, T: Serialize>(
    writer: &mut RecordWriter<W>,
    monitor: &mut Monitor<'_>,
    total: usize,
    walk: impl FnOnce(&mut dyn FnMut(T) -> Result<(), StoreError>) -> Result<(), StoreError>,
) -> Result<(), ExportError> {
    monitor.step(0, total, "records")?;
    let mut failure: Option<ExportError> = None;
    let walked = walk(&mut |record: T| {
        let written = writer.write(&record).and_then(|()| {
            // Records added since the total was counted must not make it run backwards.
            let total = total.max(writer.records);
            Ok(monitor.step(writer.records, total, "records")?)
        });
        written.map_err(|e| {
            let message = e.to_string();
            failure = Some(e);
            StoreError::Invalid(message)
        })
    });
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(walked?)
}
