//! The stance tuple: one claim as insight reads it.

/// One claim as insight reads it: who said what stance about whom, where, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceTuple {
    pub doc_id: String,
    pub sentence_idx: usize,
    /// The annotator whose claim it is; `None` for gold.
    pub annotator: Option<String>,
    /// The speaker and target entities' canonical names.
    pub speaker: String,
    pub target: String,
    /// A stance id of the label schema.
    pub stance: String,
    pub claim_type: Option<String>,
    /// The document's `published` date as imported (ISO 8601 prefix, e.g. 2024-03-05).
    pub published: Option<String>,
}
