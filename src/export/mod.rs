//! Dataset export: documents, sentences (and, with later issues, claims and gold) as JSON
//! Lines or CSV, streamed from the store so memory stays flat on large projects.
//!
//! JSONL: one JSON object per line, UTF-8, keys always present (null when absent), so
//! `pandas.read_json(path, lines=True)` and Hugging Face `datasets.load_dataset("json", …)`
//! read it as is. CSV: RFC 4180, UTF-8 without BOM, a header row; nested values
//! (`metadata`) are JSON text in one column.

pub mod claims;
pub mod gold;

use std::io::Write;

use serde::Serialize;

use crate::domain::{DocumentRow, SentenceRow};
use crate::progress::{Cancelled, Monitor};
use crate::store::{Store, StoreError};
use claims::{CharIndex, ClaimCsvRecord, ClaimRecord, EntityNames};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

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

/// Export failures.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Project(String),
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

impl ExportError {
    /// True when the reader of our output went away (e.g. `isnad export | head`).
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            ExportError::Io(e) => Some(e),
            ExportError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e),
                _ => None,
            },
            ExportError::Json(e) => {
                return e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe);
            }
            ExportError::Store(_) | ExportError::Project(_) | ExportError::Cancelled(_) => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
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

/// Writes records of one type in the chosen format.
pub struct RecordWriter<W: Write> {
    inner: RecordSink<W>,
    /// CSV header written when no record was (serde writes it with the first record).
    empty_header: &'static [&'static str],
    pub records: usize,
}

/// Field names of a record type, in serialisation order.
pub trait RecordFields {
    const FIELDS: &'static [&'static str];
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

enum RecordSink<W: Write> {
    Jsonl(std::io::BufWriter<W>),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> RecordWriter<W> {
    pub fn new<T: RecordFields>(out: W, format: Format) -> Self {
        let inner = match format {
            Format::Jsonl => RecordSink::Jsonl(std::io::BufWriter::with_capacity(1 << 16, out)),
            Format::Csv => RecordSink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out),
            )),
        };
        RecordWriter {
            inner,
            empty_header: T::FIELDS,
            records: 0,
        }
    }

    pub fn write<T: Serialize>(&mut self, record: &T) -> Result<(), ExportError> {
        match &mut self.inner {
            RecordSink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")?;
            }
            RecordSink::Csv(out) => out.serialize(record)?,
        }
        self.records += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<usize, ExportError> {
        match self.inner {
            RecordSink::Jsonl(mut out) => out.flush()?,
            RecordSink::Csv(mut out) => {
                if self.records == 0 {
                    out.write_record(self.empty_header)?;
                }
                out.flush()?;
            }
        }
        Ok(self.records)
    }
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

/// The CSV header of a record type whose nested role objects become `role_field` columns.
pub(crate) fn flat_header<T: RecordFields>() -> Vec<String> {
    let mut header = Vec::new();
    for field in T::FIELDS {
        if ["speaker", "target", "cue", "claim"].contains(field) {
            for part in ["entity", "entity_type", "text", "start", "end"] {
                header.push(format!("{field}_{part}"));
            }
        } else {
            header.push((*field).to_owned());
        }
    }
    header
}

/// One CSV row of a record, in `header` order (JSON nulls are empty fields).
pub(crate) fn flatten_record<T: Serialize>(
    record: &T,
    header: &[String],
) -> Result<Vec<String>, ExportError> {
    let value = serde_json::to_value(record)?;
    let mut flat = std::collections::HashMap::new();
    if let serde_json::Value::Object(map) = value {
        for (key, value) in map {
            match value {
                serde_json::Value::Object(inner) => {
                    for (part, v) in inner {
                        flat.insert(format!("{key}_{part}"), v);
                    }
                }
                other => {
                    flat.insert(key, other);
                }
            }
        }
    }
    Ok(header
        .iter()
        .map(|h| match flat.get(h) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        })
        .collect())
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

/// Creates the missing folders above `path` (`--out dataset/gold.jsonl` into a new
/// `dataset/`); returns the folders it created, so that a failed export can take them away.
pub(crate) fn create_parent_folders(
    path: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, ExportError> {
    match path.parent() {
        Some(dir) => Ok(crate::files::create_missing_folders(dir)?),
        None => Ok(Vec::new()),
    }
}

pub(crate) use crate::files::remove_created_folders;

/// `.NAME.tmp-PID` beside `path`: where a file is written before it is renamed into place.
pub(crate) fn temporary_path(path: &std::path::Path) -> Result<std::path::PathBuf, ExportError> {
    let file_name = path.file_name().ok_or_else(|| {
        ExportError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a file path: {}", path.display()),
        ))
    })?;
    Ok(path.with_file_name(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    )))
}

/// Writes `bytes` to `path` through a temporary file renamed at the end (never half a file).
pub fn write_file_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), ExportError> {
    let tmp = temporary_path(path)?;
    create_parent_folders(path)?;
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(result?)
}

/// Entity id → (canonical name, type) for the whole registry.
pub fn entity_names(store: &dyn Store) -> Result<EntityNames, StoreError> {
    Ok(store
        .entities()?
        .into_iter()
        .map(|e| (e.entity.id, (e.entity.canonical_name, e.entity.kind)))
        .collect())
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
                .map(|claim| claims::claim_record(claim, &index, &names, &schema.hash))
                .chain(
                    marks
                        .iter()
                        .map(|mark| claims::no_claim_record(mark, schema.version, &schema.hash)),
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
