//! Merging another annotator's database into this one (`isnad merge OTHER.db`).
//!
//! The other database is opened read-only and validated first (an Isnad database of this
//! schema version, passing `integrity_check`, not this very database). Then, in one
//! transaction — all of a source or nothing of it:
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
//! * Boilerplate flags a user set or cleared (`u`) are keyed by (document, sentence) and
//!   merged the same way; a flag nobody touched on one side (still as the rules set it at
//!   import) counts as unchanged there, so the first merge of a package takes its flips
//!   without reporting conflicts.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::connection::SqliteStore;
use super::documents::text_sha256;
use super::errors::classify;
use super::rows::{
    CLAIM_COLUMNS, GOLD_CLAIM_COLUMNS, GOLD_SENTENCE_COLUMNS, MARK_COLUMNS, claim_from_row,
    entity_from_row, get_claim, get_gold_claim, get_gold_sentence, get_mark, gold_claim_from_row,
    gold_sentence_from_row, mark_from_row, put_claim, put_gold_claim, put_gold_sentence, put_mark,
};
use crate::domain::{
    ClaimRow, EntityRow, GoldClaimRow, GoldSentenceRow, MarkRow, MergeConflict, MergeReport,
};
use crate::store::error::{StoreError, StoreResult};

fn content_hash<T: Serialize>(row: &T) -> String {
    let json = serde_json::to_string(row).unwrap_or_default();
    Sha256::digest(json.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The decision for one keyed row.
enum Outcome {
    Add,
    Update,
    Unchanged,
    KeepHere,
    Conflict { take_theirs: bool },
}

/// One keyed row of the other database, and ours.
struct Keyed<'a> {
    /// `claim`, `no_claim`, `gold_claim`, `gold_sentence`, `boilerplate`.
    kind: &'a str,
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

impl SqliteStore {
    /// Merges `other` (opened read-only) into this database.
    pub(super) fn merge_from(&mut self, other: &SqliteStore) -> StoreResult<MergeReport> {
        let other_path = other.location.to_string();
        let problems = other.integrity_problems()?;
        if !problems.is_empty() {
            return Err(StoreError::Invalid(format!(
                "refusing to merge a damaged database ({}): {other_path}",
                problems.into_iter().take(3).collect::<Vec<_>>().join("; ")
            )));
        }
        if let Some(problem) = same_tables(&self.conn, &other.conn)
            .map_err(|e| StoreError::Invalid(format!("reading {other_path}: {e}")))?
        {
            return Err(StoreError::Invalid(format!(
                "refusing to merge a database whose tables differ from this Isnad's ({problem}); \
                 nothing was merged: {other_path}"
            )));
        }
        if let Some(problem) = inconsistency(&other.conn)
            .map_err(|e| StoreError::Invalid(format!("reading {other_path}: {e}")))?
        {
            return Err(StoreError::Invalid(format!(
                "refusing to merge an inconsistent database ({problem}); it was damaged or \
                 edited by hand; nothing was merged: {other_path}"
            )));
        }
        let source_project = other.project_id()?;
        if source_project == self.project_id()? {
            return Err(StoreError::Invalid(format!(
                "this is the same database (same project id); nothing to merge: {other_path}"
            )));
        }
        let mut report = MergeReport {
            source: other_path.clone(),
            source_project: source_project.clone(),
            ..MergeReport::default()
        };
        let location = &self.location;
        let now = crate::clock::now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(location, e))?;
        let db = |e: rusqlite::Error| classify(location, e);
        let theirs = |e: rusqlite::Error| StoreError::Invalid(format!("reading {other_path}: {e}"));

        // Documents.
        let mut accepted: HashSet<String> = HashSet::new();
        {
            let mut stmt = other
                .conn
                .prepare(
                    "SELECT id, title, text, text_sha256, char_count, source, url, published, encoding,
                            metadata, origin, imported_at, sentence_count FROM documents ORDER BY rowid",
                )
                .map_err(theirs)?;
            let mut rows = stmt.query([]).map_err(theirs)?;
            while let Some(row) = rows.next().map_err(theirs)? {
                let id: String = row.get(0).map_err(theirs)?;
                let sha: String = row.get(3).map_err(theirs)?;
                let their_sentences = sentence_bounds(&other.conn, &id).map_err(theirs)?;
                let ours: Option<String> = tx
                    .query_row(
                        "SELECT text_sha256 FROM documents WHERE id = ?1",
                        [&id],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(db)?;
                match ours {
                    Some(our_sha) if our_sha != sha => {
                        report.documents_refused.push((
                            id,
                            "the same document id holds a different text here; nothing of this document was merged"
                                .into(),
                        ));
                    }
                    Some(_) => {
                        if sentence_bounds(&tx, &id).map_err(db)? == their_sentences {
                            report.documents_same += 1;
                            accepted.insert(id);
                        } else {
                            report.documents_refused.push((
                                id,
                                "same text but different sentence boundaries (made by another version of the segmenter); nothing of this document was merged"
                                    .into(),
                            ));
                        }
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO documents (id, title, text, text_sha256, char_count, source, url,
                                published, encoding, metadata, origin, imported_at, sentence_count)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                            params![
                                id,
                                row.get::<_, String>(1).map_err(theirs)?,
                                row.get::<_, String>(2).map_err(theirs)?,
                                sha,
                                row.get::<_, i64>(4).map_err(theirs)?,
                                row.get::<_, Option<String>>(5).map_err(theirs)?,
                                row.get::<_, Option<String>>(6).map_err(theirs)?,
                                row.get::<_, Option<String>>(7).map_err(theirs)?,
                                row.get::<_, String>(8).map_err(theirs)?,
                                row.get::<_, String>(9).map_err(theirs)?,
                                row.get::<_, Option<String>>(10).map_err(theirs)?,
                                row.get::<_, String>(11).map_err(theirs)?,
                                row.get::<_, i64>(12).map_err(theirs)?,
                            ],
                        )
                        .map_err(db)?;
                        copy_sentences(&other.conn, &tx, &id).map_err(theirs)?;
                        report.documents_added += 1;
                        accepted.insert(id);
                    }
                }
            }
        }

        // Annotators.
        {
            let mut stmt = other
                .conn
                .prepare("SELECT name, created_at FROM annotators")
                .map_err(theirs)?;
            let names: Vec<(String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|r| r.collect())
                .map_err(theirs)?;
            for (name, created) in names {
                report.annotators_added += tx
                    .execute(
                        "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?1, ?2)",
                        params![name, created],
                    )
                    .map_err(db)?;
            }
        }

        // Entities, by canonical name.
        let mut entity_map: HashMap<String, String> = HashMap::new();
        {
            let mut stmt = other
                .conn
                .prepare(
                    "SELECT id, canonical_name, kind, note, created_at, updated_at FROM entities",
                )
                .map_err(theirs)?;
            let entities: Vec<EntityRow> = stmt
                .query_map([], entity_from_row)
                .and_then(|r| r.collect())
                .map_err(theirs)?;
            for entity in entities {
                let ours: Option<String> = tx
                    .query_row(
                        "SELECT id FROM entities WHERE canonical_name = ?1",
                        [&entity.canonical_name],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(db)?;
                let id = match ours {
                    Some(id) => {
                        report.entities_matched += 1;
                        id
                    }
                    None => {
                        let taken: bool = tx
                            .query_row("SELECT 1 FROM entities WHERE id = ?1", [&entity.id], |_| {
                                Ok(true)
                            })
                            .optional()
                            .map_err(db)?
                            .unwrap_or(false);
                        let id = if taken {
                            format!(
                                "{}-{}",
                                entity.id,
                                &content_hash(&entity.canonical_name)[..6]
                            )
                        } else {
                            entity.id.clone()
                        };
                        tx.execute(
                            "INSERT INTO entities (id, canonical_name, kind, note, created_at, updated_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![
                                id,
                                entity.canonical_name,
                                entity.kind,
                                entity.note,
                                entity.created_at,
                                entity.updated_at
                            ],
                        )
                        .map_err(db)?;
                        report.entities_added += 1;
                        id
                    }
                };
                entity_map.insert(entity.id, id);
            }
            let mut stmt = other
                .conn
                .prepare("SELECT entity_id, alias, alias_folded FROM entity_aliases")
                .map_err(theirs)?;
            let aliases: Vec<(String, String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(|r| r.collect())
                .map_err(theirs)?;
            for (entity_id, alias, folded) in aliases {
                let Some(ours) = entity_map.get(&entity_id) else {
                    continue;
                };
                report.aliases_added += tx
                    .execute(
                        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_folded, created_at)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![ours, alias, folded, now],
                    )
                    .map_err(db)?;
            }
        }
        let map_entity = |id: &mut Option<String>| {
            if let Some(current) = id.as_ref()
                && let Some(mapped) = entity_map.get(current)
            {
                *id = Some(mapped.clone());
            }
        };

        let merge_row = |item: Keyed<'_>, report: &mut MergeReport| -> StoreResult<bool> {
            let seen: Option<String> = tx
                .query_row(
                    "SELECT content_hash FROM merge_seen WHERE project_id = ?1 AND item_kind = ?2 AND item_key = ?3",
                    params![source_project, item.kind, item.key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            let outcome = decide(&item, seen.as_deref());
            tx.execute(
                "INSERT OR REPLACE INTO merge_seen (project_id, item_kind, item_key, content_hash)
                 VALUES (?1, ?2, ?3, ?4)",
                params![source_project, item.kind, item.key, item.theirs_hash],
            )
            .map_err(db)?;
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
        };

        // Claims.
        let claims: Vec<ClaimRow> = other
            .conn
            .prepare(&format!(
                "SELECT {CLAIM_COLUMNS} FROM claims ORDER BY rowid"
            ))
            .and_then(|mut s| s.query_map([], claim_from_row)?.collect())
            .map_err(theirs)?;
        for mut claim in claims {
            if !accepted.contains(&claim.doc_id) {
                continue;
            }
            map_entity(&mut claim.speaker_entity);
            map_entity(&mut claim.target_entity);
            let ours = get_claim(&tx, &claim.id).map_err(db)?;
            let take = merge_row(
                Keyed {
                    kind: "claim",
                    key: &claim.id,
                    doc_id: &claim.doc_id,
                    sentence: claim.sentence_idx,
                    ours_hash: ours.as_ref().map(content_hash),
                    theirs_hash: content_hash(&claim),
                    ours_updated: ours.as_ref().map_or("", |o| o.updated_at.as_str()),
                    theirs_updated: &claim.updated_at,
                    base: None,
                },
                &mut report,
            )?;
            if take {
                put_claim(&tx, &claim).map_err(db)?;
            }
        }

        // "No claim" marks.
        let marks: Vec<MarkRow> = other
            .conn
            .prepare(&format!("SELECT {MARK_COLUMNS} FROM sentence_marks"))
            .and_then(|mut s| s.query_map([], mark_from_row)?.collect())
            .map_err(theirs)?;
        for mark in marks {
            if !accepted.contains(&mark.doc_id) {
                continue;
            }
            let key = format!("{}|{}|{}", mark.doc_id, mark.sentence_idx, mark.annotator);
            let ours =
                get_mark(&tx, &mark.doc_id, mark.sentence_idx, &mark.annotator).map_err(db)?;
            let take = merge_row(
                Keyed {
                    kind: "no_claim",
                    key: &key,
                    doc_id: &mark.doc_id,
                    sentence: mark.sentence_idx,
                    ours_hash: ours.as_ref().map(content_hash),
                    theirs_hash: content_hash(&mark),
                    ours_updated: ours.as_ref().map_or("", |o| o.updated_at.as_str()),
                    theirs_updated: &mark.updated_at,
                    base: None,
                },
                &mut report,
            )?;
            if take {
                put_mark(&tx, &mark).map_err(db)?;
            }
        }

        // Gold claims and sentences (adjudicators working on several machines).
        let gold_claims: Vec<GoldClaimRow> = other
            .conn
            .prepare(&format!("SELECT {GOLD_CLAIM_COLUMNS} FROM gold_claims"))
            .and_then(|mut s| s.query_map([], gold_claim_from_row)?.collect())
            .map_err(theirs)?;
        for mut gold in gold_claims {
            if !accepted.contains(&gold.doc_id) {
                continue;
            }
            map_entity(&mut gold.speaker_entity);
            map_entity(&mut gold.target_entity);
            let ours = get_gold_claim(&tx, &gold.id).map_err(db)?;
            let take = merge_row(
                Keyed {
                    kind: "gold_claim",
                    key: &gold.id,
                    doc_id: &gold.doc_id,
                    sentence: gold.sentence_idx,
                    ours_hash: ours.as_ref().map(content_hash),
                    theirs_hash: content_hash(&gold),
                    ours_updated: ours.as_ref().map_or("", |o| o.updated_at.as_str()),
                    theirs_updated: &gold.updated_at,
                    base: None,
                },
                &mut report,
            )?;
            if take {
                put_gold_claim(&tx, &gold).map_err(db)?;
            }
        }
        let gold_sentences: Vec<GoldSentenceRow> = other
            .conn
            .prepare(&format!(
                "SELECT {GOLD_SENTENCE_COLUMNS} FROM gold_sentences"
            ))
            .and_then(|mut s| s.query_map([], gold_sentence_from_row)?.collect())
            .map_err(theirs)?;
        for gold in gold_sentences {
            if !accepted.contains(&gold.doc_id) {
                continue;
            }
            let key = format!("{}|{}", gold.doc_id, gold.sentence_idx);
            let ours = get_gold_sentence(&tx, &gold.doc_id, gold.sentence_idx).map_err(db)?;
            let take = merge_row(
                Keyed {
                    kind: "gold_sentence",
                    key: &key,
                    doc_id: &gold.doc_id,
                    sentence: gold.sentence_idx,
                    ours_hash: ours.as_ref().map(content_hash),
                    theirs_hash: content_hash(&gold),
                    ours_updated: ours.as_ref().map_or("", |o| o.updated_at.as_str()),
                    theirs_updated: &gold.updated_at,
                    base: None,
                },
                &mut report,
            )?;
            if take {
                put_gold_sentence(&tx, &gold).map_err(db)?;
            }
        }

        // Boilerplate flags a user flipped there.
        for flag in flipped_flags(&other.conn).map_err(theirs)? {
            if !accepted.contains(&flag.doc_id) {
                continue;
            }
            let Some(ours) = boilerplate_flag(&tx, &flag.doc_id, flag.sentence_idx).map_err(db)?
            else {
                continue;
            };
            let key = format!("{}|{}", flag.doc_id, flag.sentence_idx);
            let take = merge_row(
                Keyed {
                    kind: "boilerplate",
                    key: &key,
                    doc_id: &flag.doc_id,
                    sentence: flag.sentence_idx,
                    ours_hash: Some(ours.content_hash()),
                    theirs_hash: flag.content_hash(),
                    ours_updated: ours.updated_at.as_deref().unwrap_or(""),
                    theirs_updated: flag.updated_at.as_deref().unwrap_or(""),
                    base: ours.updated_at.is_none().then(|| ours.content_hash()),
                },
                &mut report,
            )?;
            if take {
                tx.execute(
                    "UPDATE sentences SET boilerplate = ?3, boilerplate_reason = ?4,
                            boilerplate_updated_at = ?5
                     WHERE doc_id = ?1 AND idx = ?2",
                    params![
                        flag.doc_id,
                        flag.sentence_idx as i64,
                        flag.boilerplate,
                        flag.reason,
                        flag.updated_at
                    ],
                )
                .map_err(db)?;
            }
        }

        // Reading time: the larger figure (the annotator's own database is authoritative).
        let activity: Vec<(String, i64, String, f64, String, String)> = other
            .conn
            .prepare(
                "SELECT doc_id, sentence_idx, annotator, active_s, first_seen_at, last_seen_at FROM sentence_activity",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
                })?
                .collect()
            })
            .map_err(theirs)?;
        for (doc_id, sentence, annotator, active, first, last) in activity {
            if !accepted.contains(&doc_id) {
                continue;
            }
            tx.execute(
                "INSERT INTO sentence_activity (doc_id, sentence_idx, annotator, active_s, first_seen_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (doc_id, sentence_idx, annotator) DO UPDATE SET
                    active_s = max(active_s, excluded.active_s),
                    first_seen_at = min(first_seen_at, excluded.first_seen_at),
                    last_seen_at = max(last_seen_at, excluded.last_seen_at)",
                params![doc_id, sentence, annotator, active, first, last],
            )
            .map_err(db)?;
        }

        tx.execute(
            "INSERT OR REPLACE INTO merge_sources (project_id, last_path, last_merged_at) VALUES (?1, ?2, ?3)",
            params![source_project, other_path, now],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(report)
    }
}

/// The first table whose definition differs between the two databases (same schema
/// version, so the same `CREATE TABLE` text is expected), if any.
fn same_tables(
    ours: &rusqlite::Connection,
    theirs: &rusqlite::Connection,
) -> rusqlite::Result<Option<String>> {
    let tables = |conn: &rusqlite::Connection| -> rusqlite::Result<HashMap<String, String>> {
        conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    };
    let theirs = tables(theirs)?;
    let mut ours: Vec<(String, String)> = tables(ours)?.into_iter().collect();
    ours.sort();
    for (name, sql) in ours {
        match theirs.get(&name) {
            None => return Ok(Some(format!("no table {name}"))),
            Some(their_sql) if their_sql != &sql => {
                return Ok(Some(format!("table {name} is defined differently")));
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

/// What a sound Isnad database never holds, and the checks of SQLite cannot see: a text that
/// does not match its checksum or its length, sentences that do not fit their document,
/// spans outside their document or sentence. The first one found, if any.
fn inconsistency(conn: &rusqlite::Connection) -> rusqlite::Result<Option<String>> {
    let mut lengths: HashMap<String, (usize, Vec<(usize, usize)>)> = HashMap::new();
    {
        let mut docs = conn
            .prepare("SELECT id, text, text_sha256, char_count, sentence_count FROM documents")?;
        let mut rows = docs.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let text: String = row.get(1)?;
            let sha: String = row.get(2)?;
            let char_count: i64 = row.get(3)?;
            let sentence_count: i64 = row.get(4)?;
            if text_sha256(&text) != sha {
                return Ok(Some(format!(
                    "document {id:?}: its text does not match its checksum"
                )));
            }
            let offsets: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect();
            let chars = offsets.len() - 1;
            if usize::try_from(char_count).ok() != Some(chars) {
                return Ok(Some(format!(
                    "document {id:?}: char_count {char_count}, text has {chars}"
                )));
            }
            let mut sentences = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT idx, start_char, end_char, text FROM sentences WHERE doc_id = ?1 ORDER BY idx",
            )?;
            let mut srows = stmt.query([&id])?;
            while let Some(s) = srows.next()? {
                let idx: i64 = s.get(0)?;
                let (start, end): (i64, i64) = (s.get(1)?, s.get(2)?);
                let stext: String = s.get(3)?;
                let fits = usize::try_from(idx).ok() == Some(sentences.len())
                    && start >= 0
                    && start < end
                    && usize::try_from(end).is_ok_and(|e| e <= chars)
                    && text.get(offsets[start as usize]..offsets[end as usize])
                        == Some(stext.as_str());
                if !fits {
                    return Ok(Some(format!(
                        "document {id:?}: sentence {idx} does not fit the text"
                    )));
                }
                sentences.push((start as usize, end as usize));
            }
            if usize::try_from(sentence_count).ok() != Some(sentences.len()) {
                return Ok(Some(format!(
                    "document {id:?}: sentence_count {sentence_count}, {} sentences",
                    sentences.len()
                )));
            }
            lengths.insert(id, (chars, sentences));
        }
    }
    for table in ["claims", "gold_claims"] {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, doc_id, sentence_idx, speaker_start, speaker_end, target_start, target_end,
                    cue_start, cue_end, content_start, content_end FROM {table}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let doc_id: String = row.get(1)?;
            let sentence: i64 = row.get(2)?;
            let Some((chars, sentences)) = lengths.get(&doc_id) else {
                return Ok(Some(format!("{table} {id:?}: no document {doc_id:?}")));
            };
            let Some(&(sentence_start, sentence_end)) = usize::try_from(sentence)
                .ok()
                .and_then(|i| sentences.get(i))
            else {
                return Ok(Some(format!("{table} {id:?}: no sentence {sentence}")));
            };
            for (role, column, within_sentence) in [
                ("speaker", 3, false),
                ("target", 5, false),
                ("cue", 7, true),
                ("content", 9, true),
            ] {
                let (start, end): (Option<i64>, Option<i64>) =
                    (row.get(column)?, row.get(column + 1)?);
                let (Some(start), Some(end)) = (start, end) else {
                    continue;
                };
                let (lo, hi) = if within_sentence {
                    (sentence_start as i64, sentence_end as i64)
                } else {
                    (0, *chars as i64)
                };
                if start < lo || start >= end || end > hi {
                    return Ok(Some(format!(
                        "{table} {id:?}: the {role} span {start}..{end} is outside its {}",
                        if within_sentence {
                            "sentence"
                        } else {
                            "document"
                        }
                    )));
                }
            }
        }
    }
    Ok(None)
}

/// A sentence's boilerplate flag as merge compares it.
struct BoilerplateFlag {
    doc_id: String,
    sentence_idx: usize,
    boilerplate: bool,
    reason: Option<String>,
    /// When a user last set or cleared it (None: as the rules set it at import).
    updated_at: Option<String>,
}

impl BoilerplateFlag {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BoilerplateFlag> {
        Ok(BoilerplateFlag {
            doc_id: row.get(0)?,
            sentence_idx: row.get::<_, i64>(1)? as usize,
            boilerplate: row.get(2)?,
            reason: row.get(3)?,
            updated_at: row.get(4)?,
        })
    }

    /// The flag itself, not when it was set: the same flag set on both sides is no change.
    fn content_hash(&self) -> String {
        content_hash(&(self.boilerplate, &self.reason))
    }
}

/// The flags a user set or cleared in a database.
fn flipped_flags(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<BoilerplateFlag>> {
    conn.prepare(
        "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
         FROM sentences WHERE boilerplate_updated_at IS NOT NULL ORDER BY doc_id, idx",
    )?
    .query_map([], BoilerplateFlag::from_row)?
    .collect()
}

fn boilerplate_flag(
    conn: &rusqlite::Connection,
    doc_id: &str,
    sentence_idx: usize,
) -> rusqlite::Result<Option<BoilerplateFlag>> {
    conn.prepare_cached(
        "SELECT doc_id, idx, boilerplate, boilerplate_reason, boilerplate_updated_at
         FROM sentences WHERE doc_id = ?1 AND idx = ?2",
    )?
    .query_row(
        params![doc_id, sentence_idx as i64],
        BoilerplateFlag::from_row,
    )
    .optional()
}

fn sentence_bounds(conn: &rusqlite::Connection, doc_id: &str) -> rusqlite::Result<Vec<(i64, i64)>> {
    conn.prepare_cached(
        "SELECT start_char, end_char FROM sentences WHERE doc_id = ?1 ORDER BY idx",
    )?
    .query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

fn copy_sentences(
    from: &rusqlite::Connection,
    to: &rusqlite::Connection,
    doc_id: &str,
) -> rusqlite::Result<()> {
    let mut read = from.prepare_cached(
        "SELECT idx, start_char, end_char, text, boilerplate, boilerplate_reason, boilerplate_auto,
                boilerplate_updated_at
         FROM sentences WHERE doc_id = ?1 ORDER BY idx",
    )?;
    let mut write = to.prepare_cached(
        "INSERT INTO sentences (doc_id, idx, start_char, end_char, text, boilerplate, boilerplate_reason,
                                boilerplate_auto, boilerplate_updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut rows = read.query([doc_id])?;
    while let Some(row) = rows.next()? {
        write.execute(params![
            doc_id,
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, bool>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, Option<String>>(6)?,
            row.get::<_, Option<String>>(7)?,
        ])?;
    }
    Ok(())
}
