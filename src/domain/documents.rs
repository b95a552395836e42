//! Documents and their sentences: what an import stores, what a read returns, and the
//! document list's queries and pages.

/// A document ready to be stored, with its sentences already segmented and flagged.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDocument {
    pub id: String,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub encoding: String,
    /// A JSON object of any further fields.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Where it came from, e.g. `seeds/000.txt` or `news.jsonl:17`.
    pub origin: String,
    pub sentences: Vec<NewSentence>,
}

/// A sentence of a [`NewDocument`]: code-point offsets into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The boilerplate rule that matched, if any.
    pub boilerplate: Option<String>,
}

/// The documents of one input file: stored all together or not at all.
#[derive(Debug, Clone)]
pub struct FileImport {
    pub origin: String,
    pub documents: Vec<NewDocument>,
}

/// What happened to one document of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOutcome {
    Added,
    AlreadyPresent,
}

/// What happened to one file of an import.
#[derive(Debug, Clone)]
pub struct FileImportResult {
    pub origin: String,
    /// Per document: id, outcome and sentence count; or why the whole file was refused.
    pub result: Result<Vec<(String, DocumentOutcome, usize)>, String>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    pub id: String,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub encoding: String,
    /// JSON object text.
    pub metadata: String,
    pub origin: Option<String>,
    pub imported_at: String,
    pub sentence_count: usize,
}

/// A stored sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceRow {
    pub doc_id: String,
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub boilerplate: bool,
    pub boilerplate_reason: Option<String>,
}

/// One line of the document list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    pub sentence_count: usize,
    /// Sentences not flagged as boilerplate: what annotators work on.
    pub content_sentences: usize,
    /// Content sentences the annotator has decided (a confirmed claim or "no claim").
    pub done_sentences: usize,
}

/// Which documents to list, by the annotator's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    NotStarted,
    InProgress,
    Done,
}

/// A page of the document list.
#[derive(Debug, Clone, Copy)]
pub struct DocumentListQuery<'a> {
    /// Only documents whose title or id contains this text ("" for all).
    pub text: &'a str,
    pub status: StatusFilter,
    /// Whose progress to report (`None`: nobody's, done = 0).
    pub annotator: Option<&'a str>,
    /// Report adjudication progress instead: done = sentences with a gold decision.
    pub gold: bool,
    pub offset: usize,
    pub limit: usize,
}
