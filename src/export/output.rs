//! What every export shares: the output formats, the errors, the record writer (JSON Lines
//! or CSV), CSV flattening of nested role objects, and files written through a temporary
//! file renamed at the end.

use std::io::Write;

use serde::Serialize;

use crate::claims_record::EntityNames;
use crate::progress::Cancelled;
use crate::store::{Store, StoreError};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
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

/// The CSV header of a record type whose nested role objects become `role_field` columns.
pub(super) fn flat_header<T: RecordFields>() -> Vec<String> {
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
pub(super) fn flatten_record<T: Serialize>(
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

/// Creates the missing folders above `path` (`--out dataset/gold.jsonl` into a new
/// `dataset/`); returns the folders it created, so that a failed export can take them away.
pub(super) fn create_parent_folders(
    path: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, ExportError> {
    match path.parent() {
        Some(dir) => Ok(crate::files::create_missing_folders(dir)?),
        None => Ok(Vec::new()),
    }
}

pub(super) use crate::files::remove_created_folders;

/// `.NAME.tmp-PID` beside `path`: where a file is written before it is renamed into place.
pub(super) fn temporary_path(path: &std::path::Path) -> Result<std::path::PathBuf, ExportError> {
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
