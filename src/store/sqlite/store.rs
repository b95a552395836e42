//! [`Store`] for [`SqliteStore`]: each method calls the method of the same name in the file
//! of its concern (`documents.rs`, `actions.rs`, ...).

use super::connection::SqliteStore;
use crate::domain::{
    ActionEntry, AdjudicationProgress, AnnotatorPace, ClaimRow, DocumentListQuery, DocumentRow,
    DocumentSummary, EntityRow, EntityWithAliases, FileImport, FileImportResult, GoldClaimRow,
    GoldSentenceRow, MarkRow, Member, RowState, SentenceProgress, SentenceRow, SteppedAction,
};
use crate::store::error::StoreResult;
use crate::store::interface::{Access, EachAnnotatedDocument, Store};
use crate::store::location::Location;
use crate::store::merge_rows::MergeTarget;

impl Store for SqliteStore {
    fn location(&self) -> &Location {
        &self.location
    }

    fn access(&self) -> Access {
        self.access
    }

    fn member(&self) -> Option<&Member> {
        None
    }

    fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        SqliteStore::integrity_problems(self)
    }

    fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        SqliteStore::meta(self, key)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()> {
        SqliteStore::set_meta(self, key, value)
    }

    fn project_id(&self) -> StoreResult<String> {
        SqliteStore::project_id(self)
    }

    fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        SqliteStore::import_files(self, files)
    }

    fn document_count(&self) -> StoreResult<usize> {
        SqliteStore::document_count(self)
    }

    fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        SqliteStore::document_summaries(self, list)
    }

    fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        SqliteStore::count_documents(self, list)
    }

    fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        SqliteStore::record_assignments(self, rows)
    }

    fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        SqliteStore::assignments(self)
    }

    fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        SqliteStore::document(self, id)
    }

    fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        SqliteStore::sentences(self, doc_id)
    }

    fn sentence_count(&self) -> StoreResult<usize> {
        SqliteStore::sentence_count(self)
    }

    fn for_each_document(
        &self,
        each: &mut dyn FnMut(DocumentRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        SqliteStore::for_each_document(self, each)
    }

    fn for_each_sentence(
        &self,
        each: &mut dyn FnMut(SentenceRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        SqliteStore::for_each_sentence(self, each)
    }

    fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        SqliteStore::ensure_annotator(self, name)
    }

    fn annotators(&self) -> StoreResult<Vec<String>> {
        SqliteStore::annotators(self)
    }

    fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        SqliteStore::apply_action(self, annotator, session_id, label, targets)
    }

    fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        SqliteStore::undo(self, annotator)
    }

    fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        SqliteStore::redo(self, annotator)
    }

    fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        SqliteStore::history_labels(self, annotator)
    }

    fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        SqliteStore::recent_actions(self, annotator, limit)
    }

    fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        SqliteStore::claim(self, id)
    }

    fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        SqliteStore::claims_in_document(self, doc_id, annotator)
    }

    fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        SqliteStore::marks_in_document(self, doc_id, annotator)
    }

    fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        SqliteStore::import_claims(self, entities, claims, marks)
    }

    fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        each: &mut EachAnnotatedDocument<'_>,
    ) -> StoreResult<()> {
        SqliteStore::for_each_annotated_document(self, annotator, each)
    }

    fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        SqliteStore::decision_count(self, annotator)
    }

    fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        SqliteStore::content_decisions(self, doc_id)
    }

    fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        SqliteStore::sentence_progress(self, doc_id, annotator)
    }

    fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()> {
        SqliteStore::add_sentence_activity(self, doc_id, sentence_idx, annotator, active_s)
    }

    fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        SqliteStore::sentence_active_seconds(self, doc_id, sentence_idx, annotator)
    }

    fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        SqliteStore::annotator_pace(self)
    }

    fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        SqliteStore::entities(self)
    }

    fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        SqliteStore::add_entities(self, entities)
    }

    fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        SqliteStore::gold_claims(self, doc_id, with_deleted)
    }

    fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        SqliteStore::gold_sentences(self, doc_id)
    }

    fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        SqliteStore::adjudication_overview(self)
    }

    fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        SqliteStore::begin_merge(self)
    }
}
