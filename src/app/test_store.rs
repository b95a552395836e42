//! A test store: a real (SQLite) store behind a server's face — a `postgres://` location
//! and a [`Member`] — that can be made unreachable on demand, as a server that went away.
//! Every method delegates to the store inside, after [`FlakyStore::gate`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::domain::{
    ActionEntry, AdjudicationProgress, AnnotatorPace, ClaimRow, DocumentListQuery, DocumentRow,
    DocumentSummary, EntityRow, EntityWithAliases, FileImport, FileImportResult, GoldClaimRow,
    GoldSentenceRow, MarkRow, Member, RowState, SentenceProgress, SentenceRow, SteppedAction,
};
use crate::store::{
    Access, ActivityRow, AliasRow, AnnotatorRow, BoilerplateFlag, EachAnnotatedDocument, Location,
    MergeSource, MergeTarget, Store, StoreError, StoreResult, StoredDocument,
};

/// A store that fails with [`StoreError::Unreachable`] while `down` is set.
#[derive(Debug)]
pub struct FlakyStore {
    inner: Box<dyn Store>,
    location: Location,
    member: Option<Member>,
    /// The server is away: every call fails (set and clear it from the test).
    pub down: Arc<AtomicBool>,
    /// How many calls failed because the server was away.
    pub refused: Arc<AtomicUsize>,
}

impl FlakyStore {
    /// `inner` seen at `location`, working as `member`.
    pub fn new(inner: Box<dyn Store>, location: Location, member: Option<Member>) -> FlakyStore {
        FlakyStore {
            inner,
            location,
            member,
            down: Arc::new(AtomicBool::new(false)),
            refused: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Fails as a server out of reach does while `down` is set.
    fn gate(&self) -> StoreResult<()> {
        if self.down.load(Ordering::SeqCst) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Err(StoreError::Unreachable {
                location: self.location.clone(),
                detail: "connection refused".into(),
            });
        }
        Ok(())
    }
}

impl Store for FlakyStore {
    fn location(&self) -> &Location {
        &self.location
    }

    fn access(&self) -> Access {
        self.inner.access()
    }

    fn member(&self) -> Option<&Member> {
        self.member.as_ref()
    }

    fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        self.gate()?;
        self.inner.integrity_problems()
    }

    fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        self.gate()?;
        self.inner.meta(key)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.gate()?;
        self.inner.set_meta(key, value)
    }

    fn project_id(&self) -> StoreResult<String> {
        self.gate()?;
        self.inner.project_id()
    }

    fn import_files(&mut self, files: &[FileImport]) -> StoreResult<Vec<FileImportResult>> {
        self.gate()?;
        self.inner.import_files(files)
    }

    fn document_count(&self) -> StoreResult<usize> {
        self.gate()?;
        self.inner.document_count()
    }

    fn document_summaries(
        &self,
        list: &DocumentListQuery<'_>,
    ) -> StoreResult<Vec<DocumentSummary>> {
        self.gate()?;
        self.inner.document_summaries(list)
    }

    fn count_documents(&self, list: &DocumentListQuery<'_>) -> StoreResult<usize> {
        self.gate()?;
        self.inner.count_documents(list)
    }

    fn record_assignments(&mut self, rows: &[(String, String, bool)]) -> StoreResult<()> {
        self.gate()?;
        self.inner.record_assignments(rows)
    }

    fn assignments(&self) -> StoreResult<Vec<(String, String, bool)>> {
        self.gate()?;
        self.inner.assignments()
    }

    fn document(&self, id: &str) -> StoreResult<Option<DocumentRow>> {
        self.gate()?;
        self.inner.document(id)
    }

    fn sentences(&self, doc_id: &str) -> StoreResult<Vec<SentenceRow>> {
        self.gate()?;
        self.inner.sentences(doc_id)
    }

    fn sentence_count(&self) -> StoreResult<usize> {
        self.gate()?;
        self.inner.sentence_count()
    }

    fn for_each_document(
        &self,
        each: &mut dyn FnMut(DocumentRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        self.gate()?;
        self.inner.for_each_document(each)
    }

    fn for_each_sentence(
        &self,
        each: &mut dyn FnMut(SentenceRow) -> StoreResult<()>,
    ) -> StoreResult<()> {
        self.gate()?;
        self.inner.for_each_sentence(each)
    }

    fn ensure_annotator(&mut self, name: &str) -> StoreResult<()> {
        self.gate()?;
        self.inner.ensure_annotator(name)
    }

    fn annotators(&self) -> StoreResult<Vec<String>> {
        self.gate()?;
        self.inner.annotators()
    }

    fn apply_action(
        &mut self,
        annotator: &str,
        session_id: &str,
        label: &str,
        targets: &[RowState],
    ) -> StoreResult<i64> {
        self.gate()?;
        self.inner
            .apply_action(annotator, session_id, label, targets)
    }

    fn undo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        self.gate()?;
        self.inner.undo(annotator)
    }

    fn redo(&mut self, annotator: &str) -> StoreResult<Option<SteppedAction>> {
        self.gate()?;
        self.inner.redo(annotator)
    }

    fn history_labels(&self, annotator: &str) -> StoreResult<(Option<String>, Option<String>)> {
        self.gate()?;
        self.inner.history_labels(annotator)
    }

    fn recent_actions(&self, annotator: &str, limit: usize) -> StoreResult<Vec<ActionEntry>> {
        self.gate()?;
        self.inner.recent_actions(annotator, limit)
    }

    fn claim(&self, id: &str) -> StoreResult<Option<ClaimRow>> {
        self.gate()?;
        self.inner.claim(id)
    }

    fn claims_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<ClaimRow>> {
        self.gate()?;
        self.inner.claims_in_document(doc_id, annotator)
    }

    fn marks_in_document(
        &self,
        doc_id: &str,
        annotator: Option<&str>,
    ) -> StoreResult<Vec<MarkRow>> {
        self.gate()?;
        self.inner.marks_in_document(doc_id, annotator)
    }

    fn import_claims(
        &mut self,
        entities: &[(EntityRow, Vec<String>)],
        claims: &[ClaimRow],
        marks: &[MarkRow],
    ) -> StoreResult<usize> {
        self.gate()?;
        self.inner.import_claims(entities, claims, marks)
    }

    fn for_each_annotated_document(
        &self,
        annotator: Option<&str>,
        each: &mut EachAnnotatedDocument<'_>,
    ) -> StoreResult<()> {
        self.gate()?;
        self.inner.for_each_annotated_document(annotator, each)
    }

    fn decision_count(&self, annotator: Option<&str>) -> StoreResult<usize> {
        self.gate()?;
        self.inner.decision_count(annotator)
    }

    fn content_decisions(
        &self,
        doc_id: Option<&str>,
    ) -> StoreResult<(Vec<ClaimRow>, Vec<MarkRow>)> {
        self.gate()?;
        self.inner.content_decisions(doc_id)
    }

    fn sentence_progress(
        &self,
        doc_id: &str,
        annotator: &str,
    ) -> StoreResult<Vec<SentenceProgress>> {
        self.gate()?;
        self.inner.sentence_progress(doc_id, annotator)
    }

    fn add_sentence_activity(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
        active_s: f64,
    ) -> StoreResult<()> {
        self.gate()?;
        self.inner
            .add_sentence_activity(doc_id, sentence_idx, annotator, active_s)
    }

    fn sentence_active_seconds(
        &self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<f64> {
        self.gate()?;
        self.inner
            .sentence_active_seconds(doc_id, sentence_idx, annotator)
    }

    fn annotator_pace(&self) -> StoreResult<Vec<AnnotatorPace>> {
        self.gate()?;
        self.inner.annotator_pace()
    }

    fn entities(&self) -> StoreResult<Vec<EntityWithAliases>> {
        self.gate()?;
        self.inner.entities()
    }

    fn add_entities(&mut self, entities: &[(EntityRow, Vec<String>)]) -> StoreResult<usize> {
        self.gate()?;
        self.inner.add_entities(entities)
    }

    fn gold_claims(
        &self,
        doc_id: Option<&str>,
        with_deleted: bool,
    ) -> StoreResult<Vec<GoldClaimRow>> {
        self.gate()?;
        self.inner.gold_claims(doc_id, with_deleted)
    }

    fn gold_sentences(&self, doc_id: Option<&str>) -> StoreResult<Vec<GoldSentenceRow>> {
        self.gate()?;
        self.inner.gold_sentences(doc_id)
    }

    fn adjudication_overview(&self) -> StoreResult<Vec<AdjudicationProgress>> {
        self.gate()?;
        self.inner.adjudication_overview()
    }

    fn begin_merge(&mut self) -> StoreResult<Box<dyn MergeTarget + '_>> {
        self.gate()?;
        self.inner.begin_merge()
    }
}

impl MergeSource for FlakyStore {
    fn schema_difference(&self) -> StoreResult<Option<String>> {
        self.gate()?;
        self.inner.schema_difference()
    }

    fn inconsistency(&self) -> StoreResult<Option<String>> {
        self.gate()?;
        self.inner.inconsistency()
    }

    fn annotator_rows(&self) -> StoreResult<Vec<AnnotatorRow>> {
        self.gate()?;
        self.inner.annotator_rows()
    }

    fn entity_rows(&self) -> StoreResult<Vec<EntityRow>> {
        self.gate()?;
        self.inner.entity_rows()
    }

    fn alias_rows(&self) -> StoreResult<Vec<AliasRow>> {
        self.gate()?;
        self.inner.alias_rows()
    }

    fn all_claims(&self) -> StoreResult<Vec<ClaimRow>> {
        self.gate()?;
        self.inner.all_claims()
    }

    fn all_marks(&self) -> StoreResult<Vec<MarkRow>> {
        self.gate()?;
        self.inner.all_marks()
    }

    fn all_gold_claims(&self) -> StoreResult<Vec<GoldClaimRow>> {
        self.gate()?;
        self.inner.all_gold_claims()
    }

    fn all_gold_sentences(&self) -> StoreResult<Vec<GoldSentenceRow>> {
        self.gate()?;
        self.inner.all_gold_sentences()
    }

    fn flipped_flags(&self) -> StoreResult<Vec<BoilerplateFlag>> {
        self.gate()?;
        self.inner.flipped_flags()
    }

    fn activity_rows(&self) -> StoreResult<Vec<ActivityRow>> {
        self.gate()?;
        self.inner.activity_rows()
    }

    fn for_each_stored_document(
        &self,
        each: &mut dyn FnMut(StoredDocument) -> StoreResult<()>,
    ) -> StoreResult<()> {
        self.gate()?;
        self.inner.for_each_stored_document(each)
    }
}
