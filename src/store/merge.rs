//! Merging another annotator's database into this one (`isnad merge OTHER.db`), between
//! any two stores: the algorithm is here, once; a backend only provides the rows and one
//! transaction (`merge_rows.rs`).
//!
//! The other database is opened read-only and validated first (an Isnad database of this
//! schema version, sound by its own checks, with the tables this Isnad makes, consistent,
//! not this very database). Then, in one transaction — all of a source or nothing of it:
//!
//! * Documents are keyed by id. Same id and same text (and the same sentences): one
//!   document. Same id, different text or sentences: that document is refused with a
//!   message and nothing of it (claims, marks, gold) is merged. Missing here: copied.
//! * Entities are merged by canonical name (the other's ids are mapped to ours); aliases are
//!   united.
//! * Claims, "no claim" marks and gold rows are keyed by claim id, (document, sentence,
//!   annotator) and (document, sentence). For each we remember the content last seen from
//!   that source (`merge_seen`), which tells "changed there" from "changed here": changed
//!   only there → taken; changed only here → kept; changed in both places → a conflict,
//!   the later edit (`updated_at`) wins and the conflict is reported. Deletions are
//!   tombstones and travel like edits. Merging the same database twice changes nothing.
//! * Boilerplate flags a user set or cleared are keyed by (document, sentence) and merged
//!   the same way; a flag nobody touched on one side (still as the rules set it at import)
//!   counts as unchanged there, so the first merge of a package takes its flips without
//!   reporting conflicts.
//! * Reading time: the larger figure (the annotator's own database is authoritative).
//!
//! Every keyed table goes through one generic merge ([`TableMerge::rows`]); what differs
//! between tables — the key, what is compared, entity links — is the [`MergeItem`] of its
//! row type.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::{StoreError, StoreResult};
use super::interface::Store;
use super::merge_rows::{AliasRow, BoilerplateFlag, MergeTarget};
use crate::domain::{
    ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, MergeConflict, MergeReport,
};

impl dyn Store + '_ {
    /// Merges `other` (opened read-only) into this database: all of it or nothing.
    pub fn merge_from(&mut self, other: &dyn Store) -> StoreResult<MergeReport> {
        merge(self, other)
    }
}

/// Merges `source` into `target` (see the module documentation).
pub fn merge(target: &mut dyn Store, source: &dyn Store) -> StoreResult<MergeReport> {
    let source_name = source.location().to_string();
    refuse_unfit_source(target, source, &source_name)?;
    let source_project = source.project_id()?;
    let mut report = MergeReport {
        source: source_name.clone(),
        source_project: source_project.clone(),
        ..MergeReport::default()
    };
    let now = crate::clock::now_rfc3339();
    let mut tx = target.begin_merge()?;
    let accepted = merge_documents(source, tx.as_mut(), &mut report)?;
    for annotator in source.annotator_rows()? {
        report.annotators_added += usize::from(tx.add_annotator(&annotator)?);
    }
    let entities = merge_entities(source, tx.as_mut(), &mut report, &now)?;
    let mut table = TableMerge {
        tx: tx.as_mut(),
        source_project: &source_project,
        accepted: &accepted,
        entities: &entities,
        report: &mut report,
    };
    table.rows(source.all_claims()?)?;
    table.rows(source.all_marks()?)?;
    table.rows(source.all_gold_claims()?)?;
    table.rows(source.all_gold_sentences()?)?;
    table.rows(source.flipped_flags()?)?;
    for activity in source.activity_rows()? {
        if accepted.contains(&activity.doc_id) {
            tx.merge_activity(&activity)?;
        }
    }
    tx.record_source(&source_project, &source_name, &now)?;
    tx.commit()?;
    Ok(report)
}

/// Refuses, before anything is written, a source that is damaged, shaped differently,
/// inconsistent, or this very database.
fn refuse_unfit_source(target: &dyn Store, source: &dyn Store, name: &str) -> StoreResult<()> {
    let problems = source.integrity_problems()?;
    if !problems.is_empty() {
        return Err(StoreError::Invalid(format!(
            "refusing to merge a damaged database ({}): {name}",
            problems.into_iter().take(3).collect::<Vec<_>>().join("; ")
        )));
    }
    if let Some(problem) = source.schema_difference()? {
        return Err(StoreError::Invalid(format!(
            "refusing to merge a database whose tables differ from this Isnad's ({problem}); \
             nothing was merged: {name}"
        )));
    }
    if let Some(problem) = source.inconsistency()? {
        return Err(StoreError::Invalid(format!(
            "refusing to merge an inconsistent database ({problem}); it was damaged or \
             edited by hand; nothing was merged: {name}"
        )));
    }
    if source.project_id()? == target.project_id()? {
        return Err(StoreError::Invalid(format!(
            "this is the same database (same project id); nothing to merge: {name}"
        )));
    }
    Ok(())
}

/// Copies the documents missing here; returns the ids of the documents whose annotations
/// are merged (copied, or the same here).
fn merge_documents(
    source: &dyn Store,
    tx: &mut dyn MergeTarget,
    report: &mut MergeReport,
) -> StoreResult<HashSet<String>> {
    let mut accepted = HashSet::new();
    source.for_each_stored_document(&mut |document| {
        let id = document.row.id.clone();
        match tx.document_shape(&id)? {
            Some(ours) if ours.text_sha256 != document.text_sha256 => {
                report.documents_refused.push((
                    id,
                    "the same document id holds a different text here; nothing of this document was merged"
                        .into(),
                ));
            }
            Some(ours) if ours != document.shape() => {
                report.documents_refused.push((
                    id,
                    "same text but different sentence boundaries (made by another version of the segmenter); nothing of this document was merged"
                        .into(),
                ));
            }
            Some(_) => {
                report.documents_same += 1;
                accepted.insert(id);
            }
            None => {
                tx.insert_document(&document)?;
                report.documents_added += 1;
                accepted.insert(id);
            }
        }
        Ok(())
    })?;
    Ok(accepted)
}

/// Entities by canonical name (a new one keeps its id unless that id is taken here) and
/// their aliases; returns the map from the source's entity ids to ours.
fn merge_entities(
    source: &dyn Store,
    tx: &mut dyn MergeTarget,
    report: &mut MergeReport,
    now: &str,
) -> StoreResult<HashMap<String, String>> {
    let mut map = HashMap::new();
    for entity in source.entity_rows()? {
        let id = match tx.entity_named(&entity.canonical_name)? {
            Some(id) => {
                report.entities_matched += 1;
                id
            }
            None => {
                let id = if tx.entity_exists(&entity.id)? {
                    format!(
                        "{}-{}",
                        entity.id,
                        &content_hash(&entity.canonical_name)[..6]
                    )
                } else {
                    entity.id.clone()
                };
                tx.insert_entity(&EntityRow {
                    id: id.clone(),
                    ..entity.clone()
                })?;
                report.entities_added += 1;
                id
            }
        };
        map.insert(entity.id, id);
    }
    for alias in source.alias_rows()? {
        let Some(ours) = map.get(&alias.entity_id) else {
            continue;
        };
        let alias = AliasRow {
            entity_id: ours.clone(),
            ..alias
        };
        report.aliases_added += usize::from(tx.add_alias(&alias, now)?);
    }
    Ok(map)
}

/// A hash of a row's content (its JSON form).
fn content_hash<T: Serialize + ?Sized>(row: &T) -> String {
    let json = serde_json::to_string(row).unwrap_or_default();
    Sha256::digest(json.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A kind of row that merge matches by key, compares by content and copies whole.
trait MergeItem: Sized {
    /// The kind, in `merge_seen` and in conflicts: `claim`, `no_claim`, ...
    const KIND: &'static str;
    /// False: a row that has no counterpart here is skipped, not added (a flag of a
    /// sentence we do not have).
    const ADD_MISSING: bool = true;

    fn key(&self) -> Cow<'_, str>;
    fn doc_id(&self) -> &str;
    fn sentence(&self) -> usize;
    /// When it was last edited ("" when never).
    fn updated_at(&self) -> &str;
    /// What is compared.
    fn content_hash(&self) -> String;
    /// The content both sides started from, when `ours` tells it without a previous merge.
    fn base(_ours: &Self) -> Option<String> {
        None
    }
    /// Points the row's entity links at our ids.
    fn map_entities(&mut self, _map: &HashMap<String, String>) {}
    /// Our row with the same key.
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>>;
    /// Writes the row here as it is.
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()>;
}

/// The decision for one keyed row.
enum Outcome {
    Add,
    Update,
    Unchanged,
    KeepHere,
    Conflict { take_theirs: bool },
}

/// One keyed row of the other database, and ours, as the decision sees them.
struct Keyed<'a> {
    kind: &'static str,
    key: &'a str,
    doc_id: &'a str,
    sentence: usize,
    /// None: we have no such row.
    ours_hash: Option<String>,
    theirs_hash: String,
    ours_updated: &'a str,
    theirs_updated: &'a str,
    /// The content both sides started from, when known without a previous merge (a
    /// boilerplate flag nobody touched here).
    base: Option<String>,
}

fn decide(item: &Keyed<'_>, seen: Option<&str>) -> Outcome {
    let Some(ours_hash) = item.ours_hash.as_deref() else {
        return Outcome::Add;
    };
    let theirs_hash = item.theirs_hash.as_str();
    if ours_hash == theirs_hash {
        return Outcome::Unchanged;
    }
    let seen = seen.or(item.base.as_deref());
    let changed_there = seen != Some(theirs_hash);
    let changed_here = seen != Some(ours_hash);
    match (changed_here, changed_there) {
        (false, _) => Outcome::Update,
        (true, false) => Outcome::KeepHere,
        (true, true) => Outcome::Conflict {
            take_theirs: item.theirs_updated > item.ours_updated,
        },
    }
}

/// The merge of the keyed tables, inside the merge's transaction.
struct TableMerge<'a> {
    tx: &'a mut dyn MergeTarget,
    source_project: &'a str,
    /// Documents whose annotations are merged.
    accepted: &'a HashSet<String>,
    /// The source's entity ids → ours.
    entities: &'a HashMap<String, String>,
    report: &'a mut MergeReport,
}

impl TableMerge<'_> {
    /// Merges the rows of one table of the source.
    fn rows<R: MergeItem>(&mut self, rows: Vec<R>) -> StoreResult<()> {
        for mut theirs in rows {
            if !self.accepted.contains(theirs.doc_id()) {
                continue;
            }
            theirs.map_entities(self.entities);
            let ours = R::ours(self.tx, &theirs)?;
            if ours.is_none() && !R::ADD_MISSING {
                continue;
            }
            let key = theirs.key();
            let take = self.decide(Keyed {
                kind: R::KIND,
                key: &key,
                doc_id: theirs.doc_id(),
                sentence: theirs.sentence(),
                ours_hash: ours.as_ref().map(R::content_hash),
                theirs_hash: theirs.content_hash(),
                ours_updated: ours.as_ref().map_or("", R::updated_at),
                theirs_updated: theirs.updated_at(),
                base: ours.as_ref().and_then(R::base),
            })?;
            if take {
                theirs.write(self.tx)?;
            }
        }
        Ok(())
    }

    /// Decides one row from what was last seen of it, remembers what is seen now and
    /// counts the outcome; true when their row is to be written here.
    fn decide(&mut self, item: Keyed<'_>) -> StoreResult<bool> {
        let seen = self
            .tx
            .seen_hash(self.source_project, item.kind, item.key)?;
        let outcome = decide(&item, seen.as_deref());
        self.tx
            .set_seen_hash(self.source_project, item.kind, item.key, &item.theirs_hash)?;
        let report = &mut *self.report;
        Ok(match outcome {
            Outcome::Add => {
                report.rows_added += 1;
                true
            }
            Outcome::Update => {
                report.rows_updated += 1;
                true
            }
            Outcome::Unchanged => {
                report.rows_unchanged += 1;
                false
            }
            Outcome::KeepHere => {
                report.rows_kept_here += 1;
                false
            }
            Outcome::Conflict { take_theirs } => {
                report.conflicts.push(MergeConflict {
                    kind: item.kind.to_owned(),
                    key: item.key.to_owned(),
                    doc_id: item.doc_id.to_owned(),
                    sentence: item.sentence,
                    winner: if take_theirs { "there" } else { "here" }.to_owned(),
                    here_updated_at: item.ours_updated.to_owned(),
                    there_updated_at: item.theirs_updated.to_owned(),
                });
                if take_theirs {
                    report.rows_updated += 1;
                }
                take_theirs
            }
        })
    }
}

/// Points an entity link at our id, when the source's entity was mapped.
fn map_entity(id: &mut Option<String>, map: &HashMap<String, String>) {
    if let Some(mapped) = id.as_ref().and_then(|current| map.get(current)) {
        *id = Some(mapped.clone());
    }
}

impl MergeItem for ClaimRow {
    const KIND: &'static str = "claim";

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
    fn doc_id(&self) -> &str {
        &self.doc_id
    }
    fn sentence(&self) -> usize {
        self.sentence_idx
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn content_hash(&self) -> String {
        content_hash(self)
    }
    fn map_entities(&mut self, map: &HashMap<String, String>) {
        map_entity(&mut self.speaker_entity, map);
        map_entity(&mut self.target_entity, map);
    }
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>> {
        tx.claim(&theirs.id)
    }
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()> {
        tx.put_claim(self)
    }
}

impl MergeItem for MarkRow {
    const KIND: &'static str = "no_claim";

    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!(
            "{}|{}|{}",
            self.doc_id, self.sentence_idx, self.annotator
        ))
    }
    fn doc_id(&self) -> &str {
        &self.doc_id
    }
    fn sentence(&self) -> usize {
        self.sentence_idx
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn content_hash(&self) -> String {
        content_hash(self)
    }
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>> {
        tx.mark(&theirs.doc_id, theirs.sentence_idx, &theirs.annotator)
    }
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()> {
        tx.put_mark(self)
    }
}

impl MergeItem for GoldClaimRow {
    const KIND: &'static str = "gold_claim";

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
    fn doc_id(&self) -> &str {
        &self.doc_id
    }
    fn sentence(&self) -> usize {
        self.sentence_idx
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn content_hash(&self) -> String {
        content_hash(self)
    }
    fn map_entities(&mut self, map: &HashMap<String, String>) {
        map_entity(&mut self.speaker_entity, map);
        map_entity(&mut self.target_entity, map);
    }
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>> {
        tx.gold_claim(&theirs.id)
    }
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()> {
        tx.put_gold_claim(self)
    }
}

impl MergeItem for GoldSentenceRow {
    const KIND: &'static str = "gold_sentence";

    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{}|{}", self.doc_id, self.sentence_idx))
    }
    fn doc_id(&self) -> &str {
        &self.doc_id
    }
    fn sentence(&self) -> usize {
        self.sentence_idx
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn content_hash(&self) -> String {
        content_hash(self)
    }
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>> {
        tx.gold_sentence(&theirs.doc_id, theirs.sentence_idx)
    }
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()> {
        tx.put_gold_sentence(self)
    }
}

impl MergeItem for BoilerplateFlag {
    const KIND: &'static str = "boilerplate";
    const ADD_MISSING: bool = false;

    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{}|{}", self.doc_id, self.sentence_idx))
    }
    fn doc_id(&self) -> &str {
        &self.doc_id
    }
    fn sentence(&self) -> usize {
        self.sentence_idx
    }
    fn updated_at(&self) -> &str {
        self.updated_at.as_deref().unwrap_or("")
    }
    /// The flag itself, not when it was set: the same flag set on both sides is no change.
    fn content_hash(&self) -> String {
        content_hash(&(self.boilerplate, &self.reason))
    }
    /// A flag nobody touched here is still what both sides imported.
    fn base(ours: &Self) -> Option<String> {
        ours.updated_at.is_none().then(|| ours.content_hash())
    }
    fn ours(tx: &mut dyn MergeTarget, theirs: &Self) -> StoreResult<Option<Self>> {
        tx.boilerplate_flag(&theirs.doc_id, theirs.sentence_idx)
    }
    fn write(&self, tx: &mut dyn MergeTarget) -> StoreResult<()> {
        tx.put_boilerplate_flag(self)
    }
}
