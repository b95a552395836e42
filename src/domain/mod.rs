//! The domain: the plain data every layer speaks — documents and sentences, spans, claims
//! and "no claim" marks, entities, the gold standard, progress, the action log's row
//! states and merge reports.
//!
//! The ground floor: no SQL, no egui, no I/O. These types may use only `std` and serde
//! (`serde_json` for a document's free-form metadata); every other module may use them.
//! The store converts its rows to and from them; views, the model, agreement,
//! adjudication, import and export work on them without knowing where they are kept.

mod actions;
mod claims;
mod documents;
mod entities;
mod gold;
mod members;
mod merge;
mod progress;
mod span;

pub use actions::{ActionEntry, RowChange, RowState, SteppedAction};
pub use claims::{ClaimRow, ClaimStatus, MarkRow};
pub use documents::{
    DocumentListQuery, DocumentOutcome, DocumentRow, DocumentSummary, FileImport, FileImportResult,
    NewDocument, NewSentence, SentenceRow, StatusFilter,
};
pub use entities::{EntityRow, EntityWithAliases};
pub use gold::{GoldClaimRow, GoldSentenceRow};
pub use members::{Member, MemberRow, Role};
pub use merge::{MergeConflict, MergeReport};
pub use progress::{AdjudicationProgress, AnnotatorPace, SentenceProgress};
pub use span::Span;
