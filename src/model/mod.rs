//! The annotation model: what an annotator is looking at and what they can do to it.
//!
//! Views never touch the database: they emit [`Intent`]s, and [`Workspace::apply`] turns each
//! into one store action — one transaction, logged for undo — then refreshes the in-memory
//! state of the open document. There is no "save": every intent is saved when `apply`
//! returns. Plain Rust, no egui: tested without a window.

mod accept;
pub mod activity;
pub mod adjudicate;
mod adjudication_doc;
pub mod assign;
pub mod cues;
mod error;
pub mod insight;
pub mod learning;
pub mod lists;
pub mod measure_agreement;
pub mod project;
pub mod proposals;
pub mod registry;
pub mod server;

use std::collections::HashMap;
use std::time::Instant;

use crate::domain::{
    ClaimRow, ClaimStatus, DocumentRow, EntityRow, MarkRow, Member, RowState, SentenceProgress,
    SentenceRow, Span,
};
use crate::labels::LabelSchema;
use crate::store::Store;
use crate::suggest::{CueMatcher, Suggestion};

use activity::Activity;
pub use project::Project;
use registry::{Registry, entity_id_for};

pub use error::{ModelError, ModelResult};

/// The parts of a claim that hold a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Speaker,
    Target,
    Cue,
    Content,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Speaker, Role::Target, Role::Cue, Role::Content];

    /// Human name, also used in undo labels.
    pub fn name(self) -> &'static str {
        match self {
            Role::Speaker => "speaker",
            Role::Target => "target",
            Role::Cue => "cue",
            Role::Content => "claim content",
        }
    }

    /// Speaker and target link to entities; cue and content are spans only.
    pub fn takes_entity(self) -> bool {
        matches!(self, Role::Speaker | Role::Target)
    }
}

/// Everything a view can ask the model to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    OpenDocument {
        doc_id: String,
        sentence: Option<usize>,
    },
    GoToSentence(usize),
    NextSentence,
    PreviousSentence,
    /// Sets a role's span (document code-point offsets); speaker/target also look the
    /// mention up in the registry.
    SetSpan {
        role: Role,
        span: Span,
    },
    /// Links speaker/target to an entity, keeping the span.
    SetEntity {
        role: Role,
        entity_id: String,
    },
    /// Speaker/target given by entity alone: an implicit speaker ("وأكد أنه…") or target.
    SetImplicitEntity {
        role: Role,
        entity_id: String,
    },
    ClearRole(Role),
    SetStance(String),
    SetClaimType(Option<String>),
    SetNote(String),
    ConfirmClaim,
    DiscardDraft,
    EditClaim(String),
    StopEditing,
    DeleteClaim(String),
    ToggleNoClaim,
    SetBoilerplate {
        sentence: usize,
        boilerplate: bool,
    },
    CreateEntity {
        name: String,
        kind: String,
        alias: Option<String>,
        assign_to: Option<Role>,
    },
    AddAlias {
        entity_id: String,
        alias: String,
    },
    AcceptSuggestions,
    SetShowBoilerplate(bool),
    Undo,
    Redo,
}

/// What applying an intent did, for the view to react to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Something was written to the database.
    pub saved: bool,
    /// A message for the status bar.
    pub message: Option<String>,
    /// A speaker/target span was set but matched no known entity: ask which one.
    pub needs_entity: Option<Role>,
    /// With `needs_entity`: a proposed new entity to offer, its name prefilled.
    pub entity_hint: Option<EntityHint>,
}

/// A new entity the proposal offers: the name and kind prefilled in the New entity dialog,
/// and the mention to keep as its alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityHint {
    pub name: String,
    pub kind: String,
    pub alias: Option<String>,
}

impl Applied {
    fn saved(message: impl Into<String>) -> Applied {
        Applied {
            saved: true,
            message: Some(message.into()),
            needs_entity: None,
            entity_hint: None,
        }
    }

    fn quiet() -> Applied {
        Applied::default()
    }
}

/// The document being annotated, as loaded in memory.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub row: DocumentRow,
    pub sentences: Vec<SentenceRow>,
    /// This annotator's live claims in the document (drafts included).
    pub claims: Vec<ClaimRow>,
    /// This annotator's live "no claim" marks, by sentence index.
    pub marks: HashMap<usize, MarkRow>,
    pub progress: Vec<SentenceProgress>,
    /// The sentence on screen.
    pub current: usize,
    /// A confirmed claim opened for editing.
    pub editing: Option<String>,
}

impl OpenDocument {
    /// The current sentence.
    pub fn sentence(&self) -> Option<&SentenceRow> {
        self.sentences.get(self.current)
    }

    /// Claims of a sentence.
    pub fn claims_in(&self, sentence: usize) -> impl Iterator<Item = &ClaimRow> {
        self.claims
            .iter()
            .filter(move |c| c.sentence_idx == sentence)
    }

    /// Content sentences decided / content sentences.
    pub fn done_counts(&self) -> (usize, usize) {
        let mut done = 0;
        let mut total = 0;
        for (sentence, progress) in self.sentences.iter().zip(&self.progress) {
            if !sentence.boilerplate {
                total += 1;
                if progress.is_done() {
                    done += 1;
                }
            }
        }
        (done, total)
    }

    /// Text of a document span.
    pub fn span_text(&self, span: Span) -> String {
        self.row
            .text
            .chars()
            .skip(span.start)
            .take(span.len())
            .collect()
    }
}

/// The annotator's session on one database.
pub struct Workspace {
    store: Box<dyn Store>,
    annotator: String,
    session_id: String,
    schema: LabelSchema,
    registry: Registry,
    /// The built-in cue list plus the project's own entries ([`cues`]).
    cues: CueMatcher,
    doc: Option<OpenDocument>,
    show_boilerplate: bool,
    last_saved: Option<String>,
    activity: Activity,
    suggestion_cache: HashMap<(String, usize), Vec<Suggestion>>,
    /// The proposer's view of the registry (rebuilt with it) and the open document's
    /// proposals (sentence code points), computed once per document and registry.
    entity_index: crate::propose::EntityIndex,
    proposal_cache: Option<(String, Vec<Vec<crate::propose::Proposal>>)>,
    /// What was learnt from the project's confirmed claims (trained off the UI thread and
    /// handed in with [`Workspace::set_learned`]): it re-ranks the proposals' targets and
    /// proposes their stance.
    learned: Option<std::sync::Arc<learning::Learned>>,
    /// The draft `a` filled from a proposal: a stance key confirms it once it is complete.
    accepted_proposal: Option<String>,
    adjudication: Option<adjudication_doc::AdjudicationDoc>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("annotator", &self.annotator)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// Opens a workspace for `annotator` on a store (registering the annotator, and giving
    /// the project its label schema and guidelines if it has none). On a server the
    /// annotator is the login ([`Store::member`]) whatever `annotator` says: the server
    /// records every label under the login, and a name that differed would show labels
    /// as someone else's.
    pub fn new(mut store: Box<dyn Store>, annotator: &str) -> ModelResult<Workspace> {
        let login = store.member().map(|member| member.login.clone());
        let annotator = login.as_deref().unwrap_or(annotator).trim();
        if annotator.is_empty() {
            return Err(ModelError::Invalid("the annotator name is empty".into()));
        }
        store.ensure_annotator(annotator)?;
        let schema = project::prepare_project(&mut *store)?;
        let registry = Registry::load(&*store)?;
        let entity_index = proposals::entity_index(&registry);
        let cues = cues::project_cue_matcher(&*store)?;
        Ok(Workspace {
            store,
            annotator: annotator.to_owned(),
            session_id: uuid::Uuid::new_v4().simple().to_string(),
            schema,
            registry,
            cues,
            doc: None,
            show_boilerplate: false,
            last_saved: None,
            activity: Activity::default(),
            suggestion_cache: HashMap::new(),
            entity_index,
            proposal_cache: None,
            learned: None,
            accepted_proposal: None,
            adjudication: None,
        })
    }

    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Mutable access for work that is not an annotation action (imports, merges).
    pub fn store_mut(&mut self) -> &mut dyn Store {
        &mut *self.store
    }

    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// On a server: the login this workspace works as and its role; `None` for a file.
    pub fn member(&self) -> Option<&Member> {
        self.store.member()
    }

    /// Who is annotating, as the app shows it: the name, or on a server "login (role)".
    pub fn annotator_label(&self) -> String {
        match self.member() {
            Some(member) => format!(
                "{} ({})",
                member.login,
                member.role.map_or("not a member", |role| role.as_str())
            ),
            None => self.annotator.clone(),
        }
    }

    /// A cheap read of the store, to see whether a server that went away answers again
    /// (the store connects again by itself on its next call).
    pub fn check_connection(&self) -> ModelResult<()> {
        self.store.document_count()?;
        Ok(())
    }

    pub fn schema(&self) -> &LabelSchema {
        &self.schema
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn document(&self) -> Option<&OpenDocument> {
        self.doc.as_ref()
    }

    pub fn show_boilerplate(&self) -> bool {
        self.show_boilerplate
    }

    /// Time of the last saved action (RFC 3339), for the status bar.
    pub fn last_saved(&self) -> Option<&str> {
        self.last_saved.as_deref()
    }

    /// Labels of what undo and redo would do now.
    pub fn history_labels(&self) -> ModelResult<(Option<String>, Option<String>)> {
        Ok(self.store.history_labels(&self.annotator)?)
    }

    /// Reloads the registry after entities changed elsewhere (merge, import).
    pub fn reload_registry(&mut self) -> ModelResult<()> {
        self.registry = Registry::load(&*self.store)?;
        self.entity_index = proposals::entity_index(&self.registry);
        self.suggestion_cache.clear();
        self.proposal_cache = None;
        Ok(())
    }

    /// Hands in a newly trained model (or none): the open document's proposals are
    /// computed again with it.
    pub fn set_learned(&mut self, learned: Option<std::sync::Arc<learning::Learned>>) {
        self.learned = learned;
        self.proposal_cache = None;
    }

    /// What was learnt, if a model is in use.
    pub fn learned(&self) -> Option<&learning::Learned> {
        self.learned.as_deref()
    }

    /// Tells the model the user did something (key, click, pointer move): active time.
    pub fn note_input(&mut self, now: Instant) {
        self.activity.note_input(now);
    }

    /// The claim being built or edited in the current sentence.
    pub fn active_claim(&self) -> Option<&ClaimRow> {
        let doc = self.doc.as_ref()?;
        if let Some(id) = &doc.editing {
            return doc.claims.iter().find(|c| &c.id == id);
        }
        doc.claims_in(doc.current)
            .find(|c| c.status == ClaimStatus::Draft)
    }

    /// Cue and entity suggestions for a sentence (document code-point offsets), cached.
    pub fn suggestions(&mut self, sentence: usize) -> Vec<Suggestion> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        let key = (doc.row.id.clone(), sentence);
        if let Some(found) = self.suggestion_cache.get(&key) {
            return found.clone();
        }
        let Some(row) = doc.sentences.get(sentence) else {
            return Vec::new();
        };
        let (text, start) = (row.text.clone(), row.start);
        let mut found = self.cues.find_cues(&text);
        found.extend(self.registry.mentions(&text));
        found.extend(proposals::proposal_suggestions(
            &self.proposals(sentence),
            &found,
        ));
        for suggestion in &mut found {
            suggestion.start += start;
            suggestion.end += start;
        }
        found.sort_by_key(|s| (s.start, s.end));
        self.suggestion_cache.insert(key, found.clone());
        found
    }

    /// Applies one intent. Errors leave the database and the view as they were.
    pub fn apply(&mut self, intent: Intent) -> ModelResult<Applied> {
        let result = self.apply_inner(intent);
        if matches!(result, Ok(Applied { saved: true, .. })) {
            self.last_saved = Some(crate::clock::now_rfc3339());
        }
        result
    }

    fn apply_inner(&mut self, intent: Intent) -> ModelResult<Applied> {
        match intent {
            Intent::OpenDocument { doc_id, sentence } => {
                self.open_document(&doc_id, sentence)?;
                Ok(Applied::quiet())
            }
            Intent::GoToSentence(index) => {
                self.go_to(index)?;
                Ok(Applied::quiet())
            }
            Intent::NextSentence => {
                self.step(1)?;
                Ok(Applied::quiet())
            }
            Intent::PreviousSentence => {
                self.step(-1)?;
                Ok(Applied::quiet())
            }
            Intent::SetShowBoilerplate(show) => {
                self.show_boilerplate = show;
                Ok(Applied::quiet())
            }
            Intent::SetSpan { role, span } => self.set_span(role, span),
            Intent::SetEntity { role, entity_id } => self.set_entity(role, entity_id, false),
            Intent::SetImplicitEntity { role, entity_id } => self.set_entity(role, entity_id, true),
            Intent::ClearRole(role) => self.clear_role(role),
            Intent::SetStance(stance) => {
                let label = self.schema.stance(&stance).ok_or_else(|| {
                    ModelError::Invalid(format!("no stance {stance:?} in the label schema"))
                })?;
                let name = label.name_en.clone();
                if self.stance_confirms() {
                    return self.confirm_accepted_proposal(stance, &name);
                }
                self.edit_claim(&format!("Stance: {name}"), |claim| {
                    claim.stance = Some(stance);
                    Ok(())
                })
            }
            Intent::SetClaimType(claim_type) => {
                if let Some(id) = &claim_type
                    && self.schema.claim_type(id).is_none()
                {
                    return Err(ModelError::Invalid(format!(
                        "no claim type {id:?} in the label schema"
                    )));
                }
                self.edit_claim("Claim type", |claim| {
                    claim.claim_type = claim_type;
                    Ok(())
                })
            }
            Intent::SetNote(note) => self.edit_claim("Note", |claim| {
                claim.note = note;
                Ok(())
            }),
            Intent::ConfirmClaim => self.confirm_claim(),
            Intent::DiscardDraft => self.discard_draft(),
            Intent::EditClaim(id) => {
                let doc = self.doc_mut()?;
                let claim = doc
                    .claims
                    .iter()
                    .find(|c| c.id == id)
                    .ok_or_else(|| ModelError::Invalid("that claim is gone".into()))?;
                doc.current = claim.sentence_idx;
                doc.editing = Some(id);
                Ok(Applied::quiet())
            }
            Intent::StopEditing => {
                self.doc_mut()?.editing = None;
                Ok(Applied::quiet())
            }
            Intent::DeleteClaim(id) => self.delete_claim(&id),
            Intent::ToggleNoClaim => self.toggle_no_claim(),
            Intent::SetBoilerplate {
                sentence,
                boilerplate,
            } => self.set_boilerplate(sentence, boilerplate),
            Intent::CreateEntity {
                name,
                kind,
                alias,
                assign_to,
            } => self.create_entity(&name, &kind, alias, assign_to),
            Intent::AddAlias { entity_id, alias } => self.add_alias(&entity_id, &alias),
            Intent::AcceptSuggestions => self.accept_proposal(),
            Intent::Undo => self.step_history(true),
            Intent::Redo => self.step_history(false),
        }
    }

    fn doc(&self) -> ModelResult<&OpenDocument> {
        self.doc
            .as_ref()
            .ok_or_else(|| ModelError::Invalid("open a document first".into()))
    }

    fn doc_mut(&mut self) -> ModelResult<&mut OpenDocument> {
        self.doc
            .as_mut()
            .ok_or_else(|| ModelError::Invalid("open a document first".into()))
    }

    fn open_document(&mut self, doc_id: &str, sentence: Option<usize>) -> ModelResult<()> {
        self.flush_activity()?;
        let row = self
            .store
            .document(doc_id)?
            .ok_or_else(|| ModelError::Invalid(format!("no document with id {doc_id:?}")))?;
        let sentences = self.store.sentences(doc_id)?;
        if let Some(index) = sentence
            && index >= sentences.len()
        {
            return Err(ModelError::Invalid(format!(
                "document {doc_id:?} has {} sentences; there is no sentence {index}",
                sentences.len()
            )));
        }
        let mut doc = OpenDocument {
            row,
            sentences,
            claims: Vec::new(),
            marks: HashMap::new(),
            progress: Vec::new(),
            current: 0,
            editing: None,
        };
        self.load_annotations(&mut doc)?;
        doc.current = match sentence {
            Some(index) => index,
            None => first_open_sentence(&doc, self.show_boilerplate),
        };
        self.doc = Some(doc);
        self.activity.start_sentence();
        Ok(())
    }

    fn load_annotations(&self, doc: &mut OpenDocument) -> ModelResult<()> {
        doc.claims = self
            .store
            .claims_in_document(&doc.row.id, Some(&self.annotator))?;
        doc.marks = self
            .store
            .marks_in_document(&doc.row.id, Some(&self.annotator))?
            .into_iter()
            .map(|m| (m.sentence_idx, m))
            .collect();
        doc.progress = self.store.sentence_progress(&doc.row.id, &self.annotator)?;
        if let Some(id) = &doc.editing
            && !doc.claims.iter().any(|c| &c.id == id)
        {
            doc.editing = None;
        }
        Ok(())
    }

    fn reload(&mut self) -> ModelResult<()> {
        if let Some(mut doc) = self.doc.take() {
            let result = self.load_annotations(&mut doc);
            self.doc = Some(doc);
            result?;
        }
        Ok(())
    }

    /// Writes the active reading time of the current sentence.
    pub fn flush_activity(&mut self) -> ModelResult<()> {
        let seconds = self.activity.take_sentence_seconds();
        if let Some(doc) = &self.doc
            && seconds > 0.0
        {
            if let Err(error) =
                self.store
                    .add_sentence_activity(&doc.row.id, doc.current, &self.annotator, seconds)
            {
                self.activity.restore_sentence_seconds(seconds);
                return Err(error.into());
            }
            if let Some(progress) = self.doc.as_mut().and_then(|d| {
                let current = d.current;
                d.progress.get_mut(current)
            }) {
                progress.seen = true;
            }
        }
        Ok(())
    }

    fn go_to(&mut self, index: usize) -> ModelResult<()> {
        let count = self.doc()?.sentences.len();
        if index >= count {
            return Err(ModelError::Invalid(format!("there is no sentence {index}")));
        }
        if index != self.doc()?.current {
            self.flush_activity()?;
            let doc = self.doc_mut()?;
            doc.current = index;
            doc.editing = None;
            self.activity.start_sentence();
        }
        Ok(())
    }

    fn step(&mut self, direction: isize) -> ModelResult<()> {
        let show = self.show_boilerplate;
        let doc = self.doc()?;
        let mut index = doc.current as isize;
        loop {
            index += direction;
            if index < 0 || index as usize >= doc.sentences.len() {
                return Ok(());
            }
            if show || !doc.sentences[index as usize].boilerplate {
                break;
            }
        }
        self.go_to(index as usize)
    }

    /// A new draft claim in the current sentence.
    fn new_draft(&self) -> ModelResult<ClaimRow> {
        let doc = self.doc()?;
        let now = crate::clock::now_rfc3339();
        Ok(ClaimRow {
            id: uuid::Uuid::new_v4().simple().to_string(),
            doc_id: doc.row.id.clone(),
            sentence_idx: doc.current,
            annotator: self.annotator.clone(),
            status: ClaimStatus::Draft,
            stance: None,
            claim_type: None,
            speaker_entity: None,
            speaker_span: None,
            target_entity: None,
            target_span: None,
            cue_span: None,
            content_span: None,
            note: String::new(),
            lead_time_s: 0.0,
            schema_version: self.schema.version,
            origin: "manual".into(),
            created_at: now.clone(),
            updated_at: now,
            deleted: false,
        })
    }

    /// Edits the active claim (a new draft if there is none) and saves it as one action.
    fn edit_claim(
        &mut self,
        label: &str,
        edit: impl FnOnce(&mut ClaimRow) -> ModelResult<()>,
    ) -> ModelResult<Applied> {
        let mut claim = match self.active_claim() {
            Some(claim) => claim.clone(),
            None => self.new_draft()?,
        };
        edit(&mut claim)?;
        self.save_claim(label, claim, Vec::new())
    }

    fn save_claim(
        &mut self,
        label: &str,
        mut claim: ClaimRow,
        mut also: Vec<RowState>,
    ) -> ModelResult<Applied> {
        let seconds = self.activity.take_claim_seconds();
        claim.lead_time_s += seconds;
        claim.updated_at = crate::clock::now_rfc3339();
        let mut targets = vec![RowState::Claim(claim)];
        targets.append(&mut also);
        if let Err(error) =
            self.store
                .apply_action(&self.annotator, &self.session_id, label, &targets)
        {
            // Not saved (a server out of reach?): the time counts with the next write.
            self.activity.restore_claim_seconds(seconds);
            return Err(error.into());
        }
        self.reload()?;
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    fn set_span(&mut self, role: Role, span: Span) -> ModelResult<Applied> {
        let doc = self.doc()?;
        let length = doc.row.text.chars().count();
        if span.is_empty() || span.end > length {
            return Err(ModelError::Invalid("select some text first".into()));
        }
        let sentence = doc
            .sentence()
            .ok_or_else(|| ModelError::Invalid("no sentence".into()))?;
        let inside_sentence = span.start >= sentence.start && span.end <= sentence.end;
        match role {
            Role::Cue | Role::Content if !inside_sentence => {
                return Err(ModelError::Invalid(format!(
                    "the {} must be inside the current sentence",
                    role.name()
                )));
            }
            Role::Speaker | Role::Target if span.start >= sentence.end => {
                return Err(ModelError::Invalid(format!(
                    "the {} must be in this sentence or an earlier one",
                    role.name()
                )));
            }
            _ => {}
        }
        let mention = doc.span_text(span);
        let resolved = if role.takes_entity() {
            self.registry.resolve_mention(&mention)
        } else {
            None
        };
        let mut applied = self.edit_claim(&format!("Set {}", role.name()), |claim| {
            match role {
                Role::Speaker => {
                    claim.speaker_span = Some(span);
                    if resolved.is_some() {
                        claim.speaker_entity.clone_from(&resolved);
                    }
                }
                Role::Target => {
                    claim.target_span = Some(span);
                    if resolved.is_some() {
                        claim.target_entity.clone_from(&resolved);
                    }
                }
                Role::Cue => claim.cue_span = Some(span),
                Role::Content => claim.content_span = Some(span),
            }
            Ok(())
        })?;
        if role.takes_entity() {
            let claim = self.active_claim();
            let entity = claim.and_then(|c| match role {
                Role::Speaker => c.speaker_entity.clone(),
                _ => c.target_entity.clone(),
            });
            match (&resolved, entity) {
                (Some(id), _) => {
                    applied.message = Some(format!(
                        "{}: {} ({mention})",
                        capitalise(role.name()),
                        self.registry.name(id)
                    ));
                }
                (None, _) => {
                    applied.needs_entity = Some(role);
                    applied.message = Some(format!(
                        "“{mention}” is not a known alias: choose the entity or create one"
                    ));
                }
            }
        }
        Ok(applied)
    }

    fn set_entity(
        &mut self,
        role: Role,
        entity_id: String,
        implicit: bool,
    ) -> ModelResult<Applied> {
        if !role.takes_entity() {
            return Err(ModelError::Invalid(format!(
                "the {} has no entity",
                role.name()
            )));
        }
        let name = self
            .registry
            .get(&entity_id)
            .map(|e| e.entity.canonical_name.clone())
            .ok_or_else(|| ModelError::Invalid("unknown entity".into()))?;
        let label = if implicit {
            format!("Implicit {}: {name}", role.name())
        } else {
            format!("{}: {name}", capitalise(role.name()))
        };
        self.edit_claim(&label, |claim| {
            match role {
                Role::Speaker => {
                    claim.speaker_entity = Some(entity_id);
                    if implicit {
                        claim.speaker_span = None;
                    }
                }
                _ => {
                    claim.target_entity = Some(entity_id);
                    if implicit {
                        claim.target_span = None;
                    }
                }
            }
            Ok(())
        })
    }

    fn clear_role(&mut self, role: Role) -> ModelResult<Applied> {
        if self.active_claim().is_none() {
            return Ok(Applied::quiet());
        }
        self.edit_claim(&format!("Clear {}", role.name()), |claim| {
            match role {
                Role::Speaker => {
                    claim.speaker_entity = None;
                    claim.speaker_span = None;
                }
                Role::Target => {
                    claim.target_entity = None;
                    claim.target_span = None;
                }
                Role::Cue => claim.cue_span = None,
                Role::Content => claim.content_span = None,
            }
            Ok(())
        })
    }

    fn confirm_claim(&mut self) -> ModelResult<Applied> {
        let claim = self.active_claim().cloned().ok_or_else(|| {
            ModelError::Invalid("no claim to confirm: select the speaker first (s)".into())
        })?;
        self.confirm(claim, None)
    }

    /// Confirms `claim` (complete) in one action, labelled `label` or "Confirm claim".
    fn confirm(&mut self, claim: ClaimRow, label: Option<&str>) -> ModelResult<Applied> {
        let mut missing = Vec::new();
        if claim.speaker_entity.is_none() {
            missing.push("the speaker's entity (s)");
        }
        if claim.target_entity.is_none() {
            missing.push("the target's entity (t)");
        }
        if claim.stance.is_none() {
            missing.push("a stance (1–4)");
        }
        if !missing.is_empty() {
            return Err(ModelError::Invalid(format!(
                "cannot confirm yet: choose {}",
                missing.join(", ")
            )));
        }
        let was_draft = claim.status == ClaimStatus::Draft;
        let mut confirmed = claim;
        confirmed.status = ClaimStatus::Confirmed;
        // A sentence with a claim is no longer "no claim".
        let doc = self.doc()?;
        let mut also = Vec::new();
        if let Some(mark) = doc.marks.get(&confirmed.sentence_idx) {
            also.push(RowState::Mark(MarkRow {
                deleted: true,
                updated_at: crate::clock::now_rfc3339(),
                ..mark.clone()
            }));
        }
        let label = label.unwrap_or(if was_draft {
            "Confirm claim"
        } else {
            "Update claim"
        });
        let applied = self.save_claim(label, confirmed, also)?;
        self.doc_mut()?.editing = None;
        Ok(applied)
    }

    fn discard_draft(&mut self) -> ModelResult<Applied> {
        let Some(claim) = self.active_claim().cloned() else {
            return Ok(Applied::quiet());
        };
        if claim.status == ClaimStatus::Confirmed {
            self.doc_mut()?.editing = None;
            return Ok(Applied::quiet());
        }
        self.save_claim(
            "Discard draft",
            ClaimRow {
                deleted: true,
                ..claim
            },
            Vec::new(),
        )
    }

    fn delete_claim(&mut self, id: &str) -> ModelResult<Applied> {
        let claim = self
            .doc()?
            .claims
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| ModelError::Invalid("that claim is gone".into()))?;
        let applied = self.save_claim(
            "Delete claim",
            ClaimRow {
                deleted: true,
                ..claim
            },
            Vec::new(),
        )?;
        Ok(applied)
    }

    fn toggle_no_claim(&mut self) -> ModelResult<Applied> {
        let doc = self.doc()?;
        let current = doc.current;
        let existing = doc.marks.get(&current).cloned();
        if existing.is_none() {
            let claims: Vec<&ClaimRow> = doc.claims_in(current).collect();
            if claims.iter().any(|c| c.status == ClaimStatus::Confirmed) {
                return Err(ModelError::Invalid(
                    "this sentence has claims; delete them before marking it “no claim”".into(),
                ));
            }
            if claims.iter().any(|c| c.status == ClaimStatus::Draft) {
                return Err(ModelError::Invalid(
                    "a claim is being built here: confirm it (Enter) or discard it (Esc) first"
                        .into(),
                ));
            }
        }
        let now = crate::clock::now_rfc3339();
        let doc_id = doc.row.id.clone();
        self.flush_activity()?;
        let (mark, label) = match existing {
            Some(mark) => (
                MarkRow {
                    deleted: true,
                    updated_at: now,
                    ..mark
                },
                "Unmark no claim",
            ),
            None => {
                let seconds =
                    self.store
                        .sentence_active_seconds(&doc_id, current, &self.annotator)?;
                (
                    MarkRow {
                        doc_id,
                        sentence_idx: current,
                        annotator: self.annotator.clone(),
                        mark: "no_claim".into(),
                        lead_time_s: seconds,
                        created_at: now.clone(),
                        updated_at: now,
                        deleted: false,
                    },
                    "Mark no claim",
                )
            }
        };
        let marked = !mark.deleted;
        self.store.apply_action(
            &self.annotator,
            &self.session_id,
            label,
            &[RowState::Mark(mark)],
        )?;
        self.reload()?;
        if marked {
            self.step(1)?;
        }
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    fn set_boilerplate(&mut self, sentence: usize, boilerplate: bool) -> ModelResult<Applied> {
        let doc = self.doc()?;
        if sentence >= doc.sentences.len() {
            return Err(ModelError::Invalid(format!(
                "there is no sentence {sentence}"
            )));
        }
        let doc_id = doc.row.id.clone();
        let current = doc.current;
        let editing = doc.editing.clone();
        let state = RowState::Boilerplate {
            doc_id: doc_id.clone(),
            sentence_idx: sentence,
            boilerplate,
            reason: boilerplate.then(|| "manual".to_owned()),
        };
        let label = if boilerplate {
            "Flag boilerplate"
        } else {
            "Unflag boilerplate"
        };
        self.store
            .apply_action(&self.annotator, &self.session_id, label, &[state])?;
        self.suggestion_cache.clear();
        self.open_document(&doc_id, Some(current))?;
        self.doc_mut()?.editing = editing;
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    fn create_entity(
        &mut self,
        name: &str,
        kind: &str,
        alias: Option<String>,
        assign_to: Option<Role>,
    ) -> ModelResult<Applied> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ModelError::Invalid("the entity needs a name".into()));
        }
        if crate::starter_entities::EntityKind::from_id(kind).is_none() {
            return Err(ModelError::Invalid(format!("unknown entity type {kind:?}")));
        }
        if let Some(existing) = self.registry.by_name(name) {
            return Err(ModelError::Invalid(format!(
                "an entity named {:?} already exists",
                existing.entity.canonical_name
            )));
        }
        let now = crate::clock::now_rfc3339();
        let entity = EntityRow {
            id: entity_id_for(name),
            canonical_name: name.to_owned(),
            kind: kind.to_owned(),
            note: String::new(),
            created_at: now.clone(),
            updated_at: now,
        };
        let entity_id = entity.id.clone();
        let mut targets = vec![RowState::Entity {
            entity,
            present: true,
        }];
        if let Some(alias) = alias.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()) {
            targets.push(RowState::Alias {
                entity_id: entity_id.clone(),
                alias,
                present: true,
            });
        }
        if let Some(role) = assign_to.filter(|r| r.takes_entity()) {
            let mut claim = match self.active_claim() {
                Some(claim) => claim.clone(),
                None => self.new_draft()?,
            };
            match role {
                Role::Speaker => claim.speaker_entity = Some(entity_id.clone()),
                _ => claim.target_entity = Some(entity_id.clone()),
            }
            claim.lead_time_s += self.activity.take_claim_seconds();
            claim.updated_at = crate::clock::now_rfc3339();
            targets.push(RowState::Claim(claim));
        }
        let label = format!("New entity: {name}");
        self.store
            .apply_action(&self.annotator, &self.session_id, &label, &targets)?;
        self.reload_registry()?;
        self.reload()?;
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    fn add_alias(&mut self, entity_id: &str, alias: &str) -> ModelResult<Applied> {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(ModelError::Invalid("the alias is empty".into()));
        }
        let name = self
            .registry
            .get(entity_id)
            .map(|e| e.entity.canonical_name.clone())
            .ok_or_else(|| ModelError::Invalid("unknown entity".into()))?;
        if let Some(owner) = self.registry.resolve_mention(alias)
            && owner != entity_id
        {
            return Err(ModelError::Invalid(format!(
                "“{alias}” is already an alias of {}",
                self.registry.name(&owner)
            )));
        }
        let label = format!("Alias “{alias}” → {name}");
        self.store.apply_action(
            &self.annotator,
            &self.session_id,
            &label,
            &[RowState::Alias {
                entity_id: entity_id.to_owned(),
                alias: alias.to_owned(),
                present: true,
            }],
        )?;
        self.reload_registry()?;
        Ok(Applied::saved(format!("Saved: {label}")))
    }

    fn step_history(&mut self, undo: bool) -> ModelResult<Applied> {
        let stepped = if undo {
            self.store.undo(&self.annotator)?
        } else {
            self.store.redo(&self.annotator)?
        };
        let Some(stepped) = stepped else {
            return Ok(Applied {
                saved: false,
                message: Some(
                    if undo {
                        "Nothing to undo"
                    } else {
                        "Nothing to redo"
                    }
                    .into(),
                ),
                ..Applied::default()
            });
        };
        self.reload_registry()?;
        self.reload_adjudication()?;
        match (&stepped.location, &self.doc) {
            (Some((doc_id, sentence)), Some(doc)) if &doc.row.id == doc_id => {
                let sentence = *sentence;
                let doc_id = doc_id.clone();
                self.open_document(&doc_id, Some(sentence))?;
            }
            (Some((doc_id, sentence)), _) => {
                let (doc_id, sentence) = (doc_id.clone(), *sentence);
                self.open_document(&doc_id, Some(sentence))?;
            }
            (None, _) => self.reload()?,
        }
        Ok(Applied::saved(format!(
            "{}: {}",
            if undo { "Undone" } else { "Redone" },
            stepped.label
        )))
    }
}

/// The first content sentence not yet decided (or the first sentence).
fn first_open_sentence(doc: &OpenDocument, show_boilerplate: bool) -> usize {
    doc.sentences
        .iter()
        .zip(&doc.progress)
        .position(|(s, p)| (show_boilerplate || !s.boilerplate) && !p.is_done())
        .or_else(|| doc.sentences.iter().position(|s| !s.boilerplate))
        .unwrap_or(0)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
