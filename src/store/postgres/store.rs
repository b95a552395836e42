//! [`Store`] for [`PgStore`]: each method calls the method of the same name in the file
//! of its concern (`documents.rs`, `actions.rs`, ...).

use super::connection::PgStore;
use crate::domain::{
    ActionEntry, AdjudicationProgress, AnnotatorPace, ClaimRow, DocumentListQuery, DocumentRow,
    DocumentSummary, EntityRow, EntityWithAliases, FileImport, FileImportResult, GoldClaimRow,
    GoldSentenceRow, MarkRow, Member, RowState, SentenceProgress, SentenceRow, SteppedAction,
};
use crate::store::error::StoreResult;
use crate::store::interface::{Access, EachAnnotatedDocument, Store};
use crate::store::location::Location;
use crate::store::merge_rows::MergeTarget;

impl Store for PgStore {
    fn location(&self) -> &Location {
        &self.location
    }

    fn access(&self) -> Access {
        self.access
    }

    fn member(&self) -> Option<&Member> {
        Some(&self.member)
    }

    fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        PgStore::integrity_problems(self)
    }

    fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        PgStore::meta(self, key)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()> {
        PgStore::set_meta(self, key, value)
    }

    fn project_id(&self) -> StoreResult<String> {
        PgStore::project_id(self)
    }

    fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        PgStore::import_files(self, files)
    }

    fn document_count(&self) -> StoreResult<usize> {
        PgStore::document_count(self)
    }

    fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        PgStore::document_summaries(self, list)
    }

    fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        PgStore::count_documents(self, list)
    }

    fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        PgStore::record_assignments(self, rows)
    }

    fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        PgStore::assignments(self)
    }

    fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        PgStore::document(self, id)
    }

    fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        PgStore::sentences(self, doc_id)
    }

    fn sentence_count(&self) -> StoreResult<usize> {
        PgStore::sentence_count(self)
    }

    fn for_each_document(
        &self,
        each: &mut dyn FnMut(DocumentRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        PgStore::for_each_document(self, each)
    }

    fn for_each_sentence(
        &self,
        each: &mut dyn FnMut(SentenceRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        PgStore::for_each_sentence(self, each)
    }

    fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        PgStore::ensure_annotator(self, name)
    }

    fn annotators(&self) -> StoreResult<Vec<String>> {
        PgStore::annotators(self)
    }

    fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        PgStore::apply_action(self, annotator, session_id, label, targets)
    }

    fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        PgStore::undo(self, annotator)
    }

    fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        PgStore::redo(self, annotator)
    }

    fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        PgStore::history_labels(self, annotator)
    }

    fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        PgStore::recent_actions(self, annotator, limit)
    }

    fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        PgStore::claim(self, id)
    }

    fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        PgStore::claims_in_document(self, doc_id, annotator)
    }

    fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        PgStore::marks_in_document(self, doc_id, annotator)
    }

    fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        PgStore::import_claims(self, entities, claims, marks)
    }

    fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        each: &mut EachAnnotatedDocument<'_>,
    ) -> StoreResult<()> {
        PgStore::for_each_annotated_document(self, annotator, each)
    }

    fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        PgStore::decision_count(self, annotator)
    }

    fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        PgStore::content_decisions(self, doc_id)
    }

    fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        PgStore::sentence_progress(self, doc_id, annotator)
    }

    fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()> {
        PgStore::add_sentence_activity(self, doc_id, sentence_idx, annotator, active_s)
    }

    fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        PgStore::sentence_active_seconds(self, doc_id, sentence_idx, annotator)
    }

    fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        PgStore::annotator_pace(self)
    }

    fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        PgStore::entities(self)
    }

    fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        PgStore::add_entities(self, entities)
    }

    fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        PgStore::gold_claims(self, doc_id, with_deleted)
    }

    fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        PgStore::gold_sentences(self, doc_id)
    }

    fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        PgStore::adjudication_overview(self)
    }

    fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        PgStore::begin_merge(self)
    }
}
