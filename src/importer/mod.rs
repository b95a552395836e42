//! Importing articles (and, in [`claims`], labels): finding the input files (folders walked recursively, symlink loops
//! detected), reading and decoding them, segmenting into sentences, flagging boilerplate (by
//! the rules, and the lines repeated across the run's documents: when the run spans several
//! read windows, every file is first read once just to count its lines), and
//! storing them in batched transactions — each file all-or-nothing, so a bad file leaves the
//! database exactly as it was. Used by `isnad import` and by the GUI's import (on a thread).

pub mod claims;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::corpus::boilerplate::{self, BoilerplateRules};
use crate::corpus::decode;
use crate::corpus::reader::{self, InputFormat, RawDocument};
use crate::corpus::repeated_lines::{self, LineCounts};
use crate::corpus::segment::{self, SegmentationRules};
use crate::domain::{DocumentOutcome, FileImport, NewDocument, NewSentence};
use crate::store::{Store, StoreError};

/// Options of an import run.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Decode every file with this WHATWG encoding label instead of detecting it.
    pub encoding: Option<String>,
    /// Documents per transaction (files are never split across transactions).
    pub batch_documents: usize,
    /// Set from another thread to stop after the current batch (what is committed stays).
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            encoding: None,
            batch_documents: 500,
            cancel: None,
        }
    }
}

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedFile {
    pub path: String,
    pub reason: String,
}

/// Why one input file or folder cannot be imported (the [`FailedFile::reason`] of a
/// report is its message).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("no such file or folder")]
    NotFound,
    #[error("permission denied (cannot read it)")]
    PermissionDenied,
    #[error("too many levels of symbolic links (a symlink loop)")]
    SymlinkLoop,
    /// Any other operating-system error.
    #[error("{0}")]
    Io(std::io::Error),
    #[error("it is a folder, not a file")]
    Folder,
    /// A pipe, socket or device: see [`NOT_A_REGULAR_FILE`].
    #[error("{}", NOT_A_REGULAR_FILE)]
    NotRegular,
    #[error(
        "unsupported file type: expected a .txt (one article) or .jsonl (one article per line) file"
    )]
    Unsupported,
    #[error(
        "the file is too large to read into memory ({bytes} bytes): split it into smaller files"
    )]
    TooLarge { bytes: u64 },
    /// Read, but not decodable or not valid records.
    #[error(transparent)]
    Read(#[from] reader::ReadError),
    /// A reading thread ended without a result for the file.
    #[error("the file was not read")]
    NotRead,
}

impl FileError {
    /// Names the usual I/O failures in words (a symlink loop has no stable `ErrorKind`).
    pub fn io(error: std::io::Error) -> FileError {
        match error.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound,
            std::io::ErrorKind::PermissionDenied => FileError::PermissionDenied,
            _ if error.raw_os_error().is_some() && error.raw_os_error() == SYMLINK_LOOP => {
                FileError::SymlinkLoop
            }
            _ => FileError::Io(error),
        }
    }
}

impl FailedFile {
    fn new(path: &Path, error: FileError) -> FailedFile {
        FailedFile {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }
}

/// What an import run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub files_seen: usize,
    pub documents_added: usize,
    pub documents_already_present: usize,
    pub sentences_added: usize,
    pub failed: Vec<FailedFile>,
    /// Files inside folders skipped because they are not .txt/.jsonl.
    pub skipped_other_files: usize,
    /// Encodings used, with the number of files decoded from each (sorted by name).
    pub encodings: Vec<(String, usize)>,
    pub cancelled: bool,
    pub seconds: f64,
}

impl ImportReport {
    /// True when nothing valid was imported (no document added or already present) while
    /// something failed: the CLI exits with code 1.
    pub fn nothing_valid(&self) -> bool {
        self.documents_added + self.documents_already_present == 0
    }

    /// The one summary line printed at the end.
    pub fn summary_line(&self) -> String {
        let encodings = self
            .encodings
            .iter()
            .map(|(name, n)| format!("{name} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{} added, {} already present, {} failed; {} sentences; {:.2}s{}{}{}",
            self.documents_added,
            self.documents_already_present,
            self.failed.len(),
            self.sentences_added,
            self.seconds,
            if encodings.is_empty() {
                String::new()
            } else {
                format!("; encodings: {encodings}")
            },
            if self.skipped_other_files > 0 {
                format!(
                    "; {} other files skipped (not .txt/.jsonl)",
                    self.skipped_other_files
                )
            } else {
                String::new()
            },
            if self.cancelled { "; cancelled" } else { "" },
        )
    }
}

/// Progress of an import, reported after each file is read and after each batch is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProgress {
    pub files_done: usize,
    pub files_total: usize,
    pub current: String,
}

/// The inputs found under the given paths.
#[derive(Debug, Default)]
pub struct InputFiles {
    pub files: Vec<(PathBuf, InputFormat)>,
    pub problems: Vec<FailedFile>,
    pub skipped_other_files: usize,
}

/// Expands files and folders into the list of input files, in a stable order.
pub fn collect_inputs(paths: &[PathBuf]) -> InputFiles {
    let mut inputs = InputFiles::default();
    let mut visited_dirs = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => inputs
                .problems
                .push(FailedFile::new(path, FileError::io(error))),
            Ok(meta) if meta.is_dir() => walk(path, &mut visited_dirs, &mut inputs),
            Ok(meta) if !meta.is_file() => inputs
                .problems
                .push(FailedFile::new(path, FileError::NotRegular)),
            Ok(_) => match InputFormat::of_path(path) {
                Some(format) => inputs.files.push((path.clone(), format)),
                None => inputs
                    .problems
                    .push(FailedFile::new(path, FileError::Unsupported)),
            },
        }
    }
    inputs
}

fn walk(dir: &Path, visited: &mut HashSet<PathBuf>, inputs: &mut InputFiles) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(error) => {
            inputs
                .problems
                .push(FailedFile::new(dir, FileError::io(error)));
            return;
        }
    };
    if !visited.insert(canonical) {
        // A symlink loop, or the same folder given twice: each folder is read once.
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            inputs
                .problems
                .push(FailedFile::new(dir, FileError::io(error)));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&child) {
            Err(error) => inputs
                .problems
                .push(FailedFile::new(&child, FileError::io(error))),
            Ok(meta) if meta.is_dir() => walk(&child, visited, inputs),
            Ok(meta) if !meta.is_file() => {
                if InputFormat::of_path(&child).is_some() {
                    inputs
                        .problems
                        .push(FailedFile::new(&child, FileError::NotRegular));
                } else {
                    inputs.skipped_other_files += 1;
                }
            }
            Ok(_) => match InputFormat::of_path(&child) {
                Some(format) => inputs.files.push((child, format)),
                None => inputs.skipped_other_files += 1,
            },
        }
    }
}

/// Why a pipe, socket or device is not read: it may never end (a FIFO nobody writes to,
/// `/dev/zero`), and reading it would hang the import or fill the memory.
pub const NOT_A_REGULAR_FILE: &str = "not a regular file (a pipe, socket or device), so it was not read: copy its content into a .txt or .jsonl file";

/// The OS error code of a symlink loop (`io::ErrorKind::FilesystemLoop` is not stable yet):
/// ELOOP is 40 on Linux, 62 on macOS and the BSDs; Windows says
/// ERROR_CANT_RESOLVE_FILENAME (1921).
const SYMLINK_LOOP: Option<i32> = if cfg!(any(target_os = "linux", target_os = "android")) {
    Some(40)
} else if cfg!(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly"
)) {
    Some(62)
} else if cfg!(windows) {
    Some(1921)
} else {
    None
};

/// Segments and flags a raw document, giving what the store takes.
pub fn prepare_document(
    raw: RawDocument,
    segmentation: &SegmentationRules,
    rules: &BoilerplateRules,
) -> NewDocument {
    let spans = segment::split_sentences(&raw.text, segmentation);
    let flags = boilerplate::flag_boilerplate(&raw.text, &spans, rules);
    let sentences = spans
        .iter()
        .zip(flags)
        .map(|(span, flag)| NewSentence {
            start: span.start,
            end: span.end,
            text: raw.text[span.start_byte..span.end_byte].to_owned(),
            boilerplate: flag,
        })
        .collect();
    NewDocument {
        id: raw.id,
        title: raw.title,
        text: raw.text,
        source: raw.source,
        url: raw.url,
        published: raw.published,
        encoding: raw.encoding,
        metadata: raw.metadata,
        origin: raw.origin,
        sentences,
    }
}

/// Reads one file into what the store takes, or the reason it cannot be imported.
pub fn read_file(
    path: &Path,
    format: InputFormat,
    options: &ImportOptions,
) -> Result<FileImport, FileError> {
    let bytes = read_regular_file(path)?;
    let origin = path.display().to_string();
    let raws = reader::read_documents(&bytes, format, &origin, options.encoding.as_deref())?;
    let segmentation = SegmentationRules::builtin();
    let rules = BoilerplateRules::builtin();
    Ok(FileImport {
        origin,
        documents: raws
            .into_iter()
            .map(|raw| prepare_document(raw, segmentation, rules))
            .collect(),
    })
}

/// The bytes of a regular file (never a pipe or a device, which may not end), or why not.
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, FileError> {
    use std::io::Read;
    let kind = |meta: &std::fs::Metadata| {
        if meta.is_dir() {
            Err(FileError::Folder)
        } else if !meta.is_file() {
            Err(FileError::NotRegular)
        } else {
            Ok(())
        }
    };
    // Checked before opening too: opening a FIFO for reading waits for a writer.
    kind(&std::fs::metadata(path).map_err(FileError::io)?)?;
    let mut file = std::fs::File::open(path).map_err(FileError::io)?;
    let meta = file.metadata().map_err(FileError::io)?;
    kind(&meta)?;
    let too_large = || FileError::TooLarge { bytes: meta.len() };
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(meta.len()).map_err(|_| too_large())?)
        .map_err(|_| too_large())?;
    file.read_to_end(&mut bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::OutOfMemory => too_large(),
        _ => FileError::io(e),
    })?;
    Ok(bytes)
}

/// Imports the given files and folders into the store.
///
/// Returns `Err` only for faults of the database itself (disk full, busy, read-only); the
/// batch being written is then rolled back, everything committed before stays.
pub fn import_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport, StoreError> {
    let started = Instant::now();
    let inputs = collect_inputs(paths);
    let mut report = ImportReport {
        files_seen: inputs.files.len(),
        skipped_other_files: inputs.skipped_other_files,
        failed: inputs.problems,
        ..ImportReport::default()
    };
    let total = inputs.files.len();
    let mut encodings = std::collections::BTreeMap::<String, usize>::new();
    let mut batch: Vec<FileImport> = Vec::new();
    let mut batch_documents = 0usize;
    let cancelled = || {
        options
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    // Files are read, decoded, segmented and flagged a window ahead, on every core, while the
    // previous window is stored; the store still sees them in the order given.
    let windows = read_windows(&inputs.files);
    // Repeated lines are counted over the whole run before anything is stored: by a first
    // reading pass when the run is more than one window, else from the one window itself.
    let mut counts: Option<LineCounts> = if windows.len() > 1 {
        Some(count_lines(&windows, options, &cancelled))
    } else {
        None
    };
    let mut ahead: Option<Vec<Result<FileImport, FileError>>> = None;
    let mut next_window = 0;
    let mut done = 0usize;
    loop {
        let reading = windows.get(next_window).copied();
        let previous = next_window
            .checked_sub(1)
            .and_then(|i| windows.get(i).copied());
        let (read, stored) = std::thread::scope(|scope| {
            let reader = reading.map(|window| scope.spawn(|| read_window(window, options)));
            let stored = (|| -> Result<(), StoreError> {
                let (Some(results), Some(window)) = (ahead.take(), previous) else {
                    return Ok(());
                };
                let counts = counts.get_or_insert_with(|| counts_of(&results));
                for ((path, _), result) in window.iter().zip(results) {
                    if cancelled() {
                        report.cancelled = true;
                        break;
                    }
                    match result {
                        Ok(mut file) => {
                            let rules = BoilerplateRules::builtin();
                            for document in &mut file.documents {
                                counts.flag(document, rules);
                            }
                            if let Some(first) = file.documents.first() {
                                *encodings.entry(first.encoding.clone()).or_default() += 1;
                            }
                            batch_documents += file.documents.len();
                            batch.push(file);
                        }
                        Err(error) => report.failed.push(FailedFile::new(path, error)),
                    }
                    if batch_documents >= options.batch_documents.max(1) {
                        store_batch(store, &mut batch, &mut report)?;
                        batch_documents = 0;
                    }
                    done += 1;
                    progress(&ImportProgress {
                        files_done: done,
                        files_total: total,
                        current: path.display().to_string(),
                    });
                }
                Ok(())
            })();
            let read = reader.map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            (read, stored)
        });
        stored?;
        if report.cancelled {
            break;
        }
        match read {
            Some(results) => {
                ahead = Some(results);
                next_window += 1;
            }
            None => break,
        }
    }
    store_batch(store, &mut batch, &mut report)?;
    report.encodings = encodings.into_iter().collect();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Most files read ahead of the store at once, and most bytes (memory stays bounded however
/// large the files are).
const READ_AHEAD_FILES: usize = 256;
const READ_AHEAD_BYTES: u64 = 32 << 20;

/// The files cut into consecutive windows of at most [`READ_AHEAD_FILES`] files and about
/// [`READ_AHEAD_BYTES`] bytes (a larger file is a window of its own).
fn read_windows(files: &[(PathBuf, InputFormat)]) -> Vec<&[(PathBuf, InputFormat)]> {
    let mut windows = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (index, (path, _)) in files.iter().enumerate() {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if index > start && (index - start >= READ_AHEAD_FILES || bytes + size > READ_AHEAD_BYTES) {
            windows.push(&files[start..index]);
            (start, bytes) = (index, 0);
        }
        bytes += size;
    }
    if start < files.len() {
        windows.push(&files[start..]);
    }
    windows
}

/// Reads and prepares a window of files on every core; results in the window's order.
fn read_window(
    window: &[(PathBuf, InputFormat)],
    options: &ImportOptions,
) -> Vec<Result<FileImport, FileError>> {
    on_every_core(window, |path, format| read_file(path, format, options))
        .into_iter()
        .map(|result| result.unwrap_or(Err(FileError::NotRead)))
        .collect()
}

/// What the documents of a window contribute to the repeated-line counts.
fn counts_of(results: &[Result<FileImport, FileError>]) -> LineCounts {
    let rules = BoilerplateRules::builtin();
    let mut counts = LineCounts::default();
    for file in results.iter().flatten() {
        for document in &file.documents {
            counts.add_document(document, rules);
        }
    }
    counts
}

/// The repeated-line counts of every file of the run, read window by window on every core
/// (decoded and split into records, not segmented). Files that cannot be read count nothing:
/// the storing pass reports them. Stops early (with what it counted) when cancelled.
fn count_lines(
    windows: &[&[(PathBuf, InputFormat)]],
    options: &ImportOptions,
    cancelled: &dyn Fn() -> bool,
) -> LineCounts {
    let rules = BoilerplateRules::builtin();
    let mut counts = LineCounts::default();
    for window in windows {
        if cancelled() {
            break;
        }
        let lines = on_every_core(window, |path, format| {
            file_lines(path, format, options, rules)
        });
        for document in lines.into_iter().flatten().flatten().flatten() {
            counts.add(document);
        }
    }
    counts
}

/// What one file contributes to the repeated-line counts; `None` if it cannot be read (the
/// storing pass reports why). A `.txt` file is only decoded: its id (a hash of the normalised
/// text) is not needed to count its lines.
fn file_lines(
    path: &Path,
    format: InputFormat,
    options: &ImportOptions,
    rules: &BoilerplateRules,
) -> Option<Vec<repeated_lines::DocumentLines>> {
    let bytes = read_regular_file(path).ok()?;
    match format {
        InputFormat::Txt => {
            let decoded = decode::decode(&bytes, options.encoding.as_deref()).ok()?;
            Some(vec![repeated_lines::document_lines(
                None,
                "",
                &decoded.text,
                rules,
            )])
        }
        InputFormat::Jsonl => {
            let origin = path.display().to_string();
            let raws = reader::read_documents(&bytes, format, &origin, options.encoding.as_deref())
                .ok()?;
            Some(
                raws.iter()
                    .map(|raw| {
                        repeated_lines::document_lines(
                            raw.source.as_deref(),
                            &raw.title,
                            &raw.text,
                            rules,
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// `work` on every file of `window`, on every core; results in the window's order (`None`
/// for a file a thread ended without).
fn on_every_core<T: Send>(
    window: &[(PathBuf, InputFormat)],
    work: impl Fn(&Path, InputFormat) -> T + Sync,
) -> Vec<Option<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(window.len());
    if threads <= 1 {
        return window
            .iter()
            .map(|(path, format)| Some(work(path, *format)))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = std::iter::repeat_with(|| None).take(window.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, format)) = window.get(index) else {
                            break;
                        };
                        mine.push((index, work(path, *format)));
                    }
                    mine
                })
            })
            .collect();
        for worker in workers {
            let mine = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, result) in mine {
                if let Some(slot) = results.get_mut(index) {
                    *slot = Some(result);
                }
            }
        }
    });
    results
}

fn store_batch(
    store: &mut dyn Store,
    batch: &mut Vec<FileImport>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let results = store.import_files(batch)?;
    for result in results {
        match result.result {
            Ok(documents) => {
                for (_, outcome, sentences) in documents {
                    match outcome {
                        DocumentOutcome::Added => {
                            report.documents_added += 1;
                            report.sentences_added += sentences;
                        }
                        DocumentOutcome::AlreadyPresent => report.documents_already_present += 1,
                    }
                }
            }
            Err(reason) => report.failed.push(FailedFile {
                path: result.origin,
                reason,
            }),
        }
    }
    batch.clear();
    Ok(())
}
