//! The store interface: every query and write the program makes, backend-neutral.

use super::error::StoreResult;
use super::location::Location;
use super::merge_rows::{MergeSource, MergeTarget};
use crate::domain::{
    ActionEntry, AdjudicationProgress, AnnotatorPace, ClaimRow, DocumentListQuery, DocumentRow,
    DocumentSummary, EntityRow, EntityWithAliases, FileImport, FileImportResult, GoldClaimRow,
    GoldSentenceRow, MarkRow, Member, RowState, SentenceProgress, SentenceRow, SteppedAction,
};

/// The callback of [`Store::for_each_annotated_document`]: `(doc_id, text, claims, marks)`.
pub type EachAnnotatedDocument<'a> =
    dyn FnMut(&str, &str, Vec<ClaimRow>, Vec<MarkRow>) -> StoreResult<()> + 'a;

/// Whether a store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// An open Isnad database, whatever keeps it.
///
/// # Why a trait, not an enum over backends
///
/// As atuin's server has one `Database` trait with each backend in its own crate
/// (`crates/atuin-server-database/src/lib.rs`; there a generic parameter), Isnad has one
/// `Store` trait; the rest of the program holds it as a trait object (`Box<dyn Store>`,
/// `&dyn Store`, `&mut dyn Store`), so the backend is chosen at run time from the location
/// without making every layer generic. With a trait, a backend is a folder of its own
/// (`sqlite/`, next `postgres/`) that implements these methods, the conformance suite
/// (`conformance/`) takes any backend through a factory, and the merge algorithm
/// (`merge.rs`) runs between any two backends. An enum
/// would put one `match` arm per backend into each of these methods, make every backend's
/// driver a dependency of the enum's file, and have the merge and the suite match on
/// backends too. The cost of the trait is one virtual call per method, which is nothing
/// next to a query; the hot paths (a document's sentences, claims and progress, one
/// action) are one call each, and nothing loops over virtual calls per row except the
/// streaming `for_each_*` callbacks (exports) and a merge's lookups and writes, which do
/// I/O per row anyway.
///
/// The methods are object safe: callbacks are `&mut dyn FnMut`, nothing is generic.
/// Every write is one transaction; a failed write leaves nothing.
pub trait Store: MergeSource + Send + std::fmt::Debug {
    // ------------------------------------------------------------ the database itself

    /// Where this store was opened from.
    fn location(&self) -> &Location;

    /// Read-only or read-write.
    fn access(&self) -> Access;

    /// On a server: the login this store works as and its role in the project (the
    /// annotator of every label it writes for a member that is not a lead); `None` for a
    /// project file, which has no logins.
    fn member(&self) -> Option<&Member>;

    /// Problems of the database itself (damage, broken references, progress counts that
    /// differ from a recount); empty when it is sound.
    fn integrity_problems(&self) -> StoreResult<Vec<String>>;

    /// A value of the project's settings (label schema, guidelines, ...).
    fn meta(&self, key: &str) -> StoreResult<Option<String>>;

    /// Sets a value of the project's settings.
    fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()>;

    /// This database's project id (random, made when the database was created).
    fn project_id(&self) -> StoreResult<String>;

    // ------------------------------------------------------------ documents

    /// Stores the documents of several files in one transaction, each file whole or not
    /// at all: a file whose documents cannot all be stored (an id that already exists with
    /// a different text, ...) is rolled back and reported, the others are kept. One result
    /// per file, in order; faults of the database itself (full, busy, read-only, damaged)
    /// abort the whole batch.
    fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>>;

    /// Number of documents.
    fn document_count(&self) -> StoreResult<usize>;

    /// A page of the document list, in import order, with each document's progress.
    fn document_summaries(&self, list: &DocumentListQuery<'_>)
    -> StoreResult<Vec<DocumentSummary>>;

    /// How many documents [`Store::document_summaries`] would list without a limit.
    fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize>;

    /// Records who was given which document: (document id, annotator, overlap).
    fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()>;

    /// (document id, annotator, overlap) of every assignment, by annotator then document.
    fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>>;

    /// One document, if present.
    fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>>;

    /// The sentences of a document, in order.
    fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>>;

    /// Number of sentences of all documents.
    fn sentence_count(&self) -> StoreResult<usize>;

    /// Calls `each` for every document in import order (streaming: memory stays flat).
    fn for_each_document(
        &self,
        each: &mut dyn FnMut(DocumentRow) -> StoreResult<()>,
    ) -> StoreResult<()>;

    /// Calls `each` for every sentence, documents in import order, sentences in order.
    fn for_each_sentence(
        &self,
        each: &mut dyn FnMut(SentenceRow) -> StoreResult<()>,
    ) -> StoreResult<()>;

    // ------------------------------------------------------------ annotators and the log

    /// Registers an annotator name (idempotent).
    fn ensure_annotator(&mut self, name: &str) -> StoreResult<()>;

    /// All annotator names, sorted.
    fn annotators(&self) -> StoreResult<Vec<String>>;

    /// Applies one user action — the target state of each row it changes — in one
    /// transaction, logging each row's state before and after for undo; clears the
    /// annotator's redo stack. Returns the action's sequence number.
    fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64>;

    /// Undoes the annotator's last action (writing the states before it as a new edit);
    /// `None` when there is none.
    fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>>;

    /// Redoes the annotator's last undone action; `None` when there is none.
    fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>>;

    /// The label of the action undo would undo and the one redo would redo.
    fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)>;

    /// The most recent actions of an annotator, newest first.
    fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>>;

    // ------------------------------------------------------------ claims and marks

    /// A claim by id (deleted ones too).
    fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>>;

    /// Live claims of a document, by sentence then creation; one annotator's or everyone's.
    fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>>;

    /// Live "no claim" marks of a document, by sentence then annotator.
    fn marks_in_document(&self, doc_id: &str, annotator: Option<&str>)
    -> StoreResult<Vec<MarkRow>>;

    /// Writes imported claims and marks in one transaction, outside the undo log
    /// (replacing claims with the same id), creating the given entities first. Returns
    /// the number of claims and marks written.
    fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize>;

    /// Calls `each(doc_id, text, claims, marks)` for every document with live confirmed
    /// claims or marks (of `annotator`, or of everyone), in import order, with those
    /// claims and marks sorted by sentence, annotator, creation.
    fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        each: &mut EachAnnotatedDocument<'_>,
    ) -> StoreResult<()>;

    /// How many records [`Store::for_each_annotated_document`] hands out.
    fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize>;

    /// Every live confirmed claim and mark on a content sentence, of one document or all
    /// (agreement, adjudication).
    fn content_decisions(&self, doc_id: Option<&str>)
    -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)>;

    // ------------------------------------------------------------ progress and pace

    /// Per sentence of a document: this annotator's progress.
    fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>>;

    /// Adds active (non-idle) reading time to a sentence for an annotator.
    fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()>;

    /// Active seconds an annotator spent on a sentence.
    fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64>;

    /// Pace per annotator, sorted by name.
    fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>>;

    // ------------------------------------------------------------ entities

    /// The whole registry with aliases, sorted by canonical name.
    fn entities(&self) -> StoreResult<Vec<EntityWithAliases>>;

    /// Adds entities with aliases in one transaction, outside the undo log; an entity
    /// whose canonical name exists gets the new aliases. Returns the number created.
    fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize>;

    // ------------------------------------------------------------ gold standard

    /// Gold claims of a document (or all), by document, sentence, decision time; with
    /// `with_deleted` the rejected ones (tombstones) too.
    fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>>;

    /// Live gold sentence decisions of a document (or all).
    fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>>;

    /// Documents with at least one annotator decision, in import order, with their
    /// adjudication progress.
    fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>>;

    // ------------------------------------------------------------ merge

    /// Starts a merge into this store: one transaction, committed by the merge when it
    /// is done (`merge.rs`; call it as `store.merge_from(&*other)`). Reading a source is
    /// the supertrait [`MergeSource`].
    fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>>;
}
