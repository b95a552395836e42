//! What a backend provides so that the merge (`merge.rs`) can run between any two stores:
//! reading everything of a source ([`MergeSource`], a supertrait of
//! [`crate::store::Store`]), and one transaction on the target ([`MergeTarget`]) with the
//! lookups, writes and bookkeeping (`merge_seen`, the source's last merge) the algorithm
//! needs. The rows are domain types, plus the few things a store keeps that the program
//! otherwise never reads (a document's checksum, a sentence's boilerplate history).

use super::error::StoreResult;
use crate::domain::{
    ClaimRow, DocumentRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, SentenceRow,
};

/// A document as a store keeps it, to copy it into another store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    pub row: DocumentRow,
    /// Hex SHA-256 of the text.
    pub text_sha256: String,
    /// The text's length in code points.
    pub char_count: usize,
    pub sentences: Vec<StoredSentence>,
}

impl StoredDocument {
    /// What tells this document from another with the same id (its text and sentences).
    pub fn shape(&self) -> DocumentShape {
        DocumentShape {
            text_sha256: self.text_sha256.clone(),
            sentence_bounds: self
                .sentences
                .iter()
                .map(|s| (s.row.start, s.row.end))
                .collect(),
        }
    }
}

/// A sentence as a store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSentence {
    pub row: SentenceRow,
    /// The boilerplate rule that matched at import, whatever the flag says now.
    pub boilerplate_auto: Option<String>,
    /// When a user last set or cleared the flag (None: as the rules set it at import).
    pub boilerplate_updated_at: Option<String>,
}

/// What tells one document from another with the same id: its text (by checksum) and
/// where its sentences are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentShape {
    pub text_sha256: String,
    /// (start, end) of each sentence, in order.
    pub sentence_bounds: Vec<(usize, usize)>,
}

/// A sentence's boilerplate flag as merge compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoilerplateFlag {
    pub doc_id: String,
    pub sentence_idx: usize,
    pub boilerplate: bool,
    pub reason: Option<String>,
    /// When a user last set or cleared it (None: as the rules set it at import).
    pub updated_at: Option<String>,
}

/// A registered annotator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotatorRow {
    pub name: String,
    pub created_at: String,
}

/// An alias of an entity, as stored (with its folded form, as the source folded it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasRow {
    pub entity_id: String,
    pub alias: String,
    pub alias_folded: String,
}

/// An annotator's reading time on a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub doc_id: String,
    pub sentence_idx: usize,
    pub annotator: String,
    pub active_s: f64,
    pub first_seen_at: String,
    pub last_seen_at: String,
}

/// A store as the source of a merge: everything it holds, and the checks that refuse a
/// source before anything is written. Read errors name the source.
pub trait MergeSource {
    /// How this database's tables differ from the ones this Isnad makes, if they do.
    fn schema_difference(&self) -> StoreResult<Option<String>>;

    /// The first thing found that a sound database never holds and the database's own
    /// checks cannot see (a text that does not match its checksum, a sentence or span
    /// outside its document), if any.
    fn inconsistency(&self) -> StoreResult<Option<String>>;

    /// Calls `each` for every document, in import order, with its sentences.
    fn for_each_stored_document(
        &self,
        each: &mut dyn FnMut(StoredDocument) -> StoreResult<()>,
    ) -> StoreResult<()>;

    /// Every registered annotator.
    fn annotator_rows(&self) -> StoreResult<Vec<AnnotatorRow>>;

    /// Every entity, without aliases.
    fn entity_rows(&self) -> StoreResult<Vec<EntityRow>>;

    /// Every alias.
    fn alias_rows(&self) -> StoreResult<Vec<AliasRow>>;

    /// Every claim, deleted ones (tombstones) too, in the order they were made.
    fn all_claims(&self) -> StoreResult<Vec<ClaimRow>>;

    /// Every "no claim" mark, deleted ones too.
    fn all_marks(&self) -> StoreResult<Vec<MarkRow>>;

    /// Every gold claim, rejected ones too.
    fn all_gold_claims(&self) -> StoreResult<Vec<GoldClaimRow>>;

    /// Every gold sentence decision, withdrawn ones too.
    fn all_gold_sentences(&self) -> StoreResult<Vec<GoldSentenceRow>>;

    /// The boilerplate flags a user set or cleared.
    fn flipped_flags(&self) -> StoreResult<Vec<BoilerplateFlag>>;

    /// Every annotator's reading time on every sentence.
    fn activity_rows(&self) -> StoreResult<Vec<ActivityRow>>;
}

/// One merge into a store: a transaction, committed by [`MergeTarget::commit`] and rolled
/// back when dropped without it, so that a failed merge leaves nothing.
pub trait MergeTarget {
    /// The document with this id here, if there is one.
    fn document_shape(&mut self, id: &str) -> StoreResult<Option<DocumentShape>>;

    /// Adds a document that is not here, with its sentences, as it is.
    fn insert_document(&mut self, document: &StoredDocument) -> StoreResult<()>;

    /// Registers an annotator unless registered; true when added.
    fn add_annotator(&mut self, annotator: &AnnotatorRow) -> StoreResult<bool>;

    /// The id of the entity with this canonical name here, if any.
    fn entity_named(&mut self, canonical_name: &str) -> StoreResult<Option<String>>;

    /// Whether an entity has this id here.
    fn entity_exists(&mut self, id: &str) -> StoreResult<bool>;

    /// Adds an entity that is not here.
    fn insert_entity(&mut self, entity: &EntityRow) -> StoreResult<()>;

    /// Adds an alias unless present (created at `at`); true when added.
    fn add_alias(&mut self, alias: &AliasRow, at: &str) -> StoreResult<bool>;

    /// A claim here by id (deleted ones too).
    fn claim(&mut self, id: &str) -> StoreResult<Option<ClaimRow>>;

    /// Writes a claim exactly as given (inserted or replaced by id).
    fn put_claim(&mut self, claim: &ClaimRow) -> StoreResult<()>;

    /// A mark here by (document, sentence, annotator) (deleted ones too).
    fn mark(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
        annotator: &str,
    ) -> StoreResult<Option<MarkRow>>;

    /// Writes a mark exactly as given.
    fn put_mark(&mut self, mark: &MarkRow) -> StoreResult<()>;

    /// A gold claim here by id (rejected ones too).
    fn gold_claim(&mut self, id: &str) -> StoreResult<Option<GoldClaimRow>>;

    /// Writes a gold claim exactly as given.
    fn put_gold_claim(&mut self, gold: &GoldClaimRow) -> StoreResult<()>;

    /// The gold decision here on a sentence (withdrawn ones too).
    fn gold_sentence(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<GoldSentenceRow>>;

    /// Writes a gold sentence decision exactly as given.
    fn put_gold_sentence(&mut self, gold: &GoldSentenceRow) -> StoreResult<()>;

    /// A sentence's boilerplate flag here; None when there is no such sentence.
    fn boilerplate_flag(
        &mut self,
        doc_id: &str,
        sentence_idx: usize,
    ) -> StoreResult<Option<BoilerplateFlag>>;

    /// Sets a sentence's flag, reason and time exactly as given.
    fn put_boilerplate_flag(&mut self, flag: &BoilerplateFlag) -> StoreResult<()>;

    /// Adds reading time: the larger of the two figures, the earliest first and the
    /// latest last sight.
    fn merge_activity(&mut self, activity: &ActivityRow) -> StoreResult<()>;

    /// The content hash of an item as last seen from a source project, if ever seen.
    fn seen_hash(
        &mut self,
        source_project: &str,
        kind: &str,
        key: &str,
    ) -> StoreResult<Option<String>>;

    /// Remembers an item's content hash as seen from a source project now.
    fn set_seen_hash(
        &mut self,
        source_project: &str,
        kind: &str,
        key: &str,
        hash: &str,
    ) -> StoreResult<()>;

    /// Remembers where and when a source project was last merged.
    fn record_source(&mut self, source_project: &str, location: &str, at: &str) -> StoreResult<()>;

    /// Commits the merge.
    fn commit(self: Box<Self>) -> StoreResult<()>;
}
