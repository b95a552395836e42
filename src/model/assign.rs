//! Handing out the work (`isnad assign`): a reproducible split of the documents between
//! annotators, with a fixed fraction given to several annotators for agreement, written as
//! one self-contained database per annotator (their documents, the label schema, the
//! guidelines and the entity registry).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::{FileImport, NewDocument, NewSentence};
use crate::progress::Monitor;
use crate::store::{Access, Location, Store};

use super::ModelError;
use super::project::{self, Project, keys};

/// Who gets which documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentPlan {
    /// Annotator → document ids (in the project's order).
    pub per_annotator: BTreeMap<String, Vec<String>>,
    /// Documents given to several annotators.
    pub overlap: Vec<String>,
}

/// Plans the split. `documents` are (id, content sentences) in project order; `overlap` is
/// the fraction of documents (rounded up) given to `per_overlap` annotators (clamped to
/// 2..=all); the rest are spread so that every annotator gets about the same number of
/// sentences. The same inputs and seed always give the same plan.
pub fn plan_assignment(
    documents: &[(String, usize)],
    annotators: &[String],
    overlap: f64,
    per_overlap: Option<usize>,
    seed: u64,
) -> Result<AssignmentPlan, ModelError> {
    if annotators.is_empty() {
        return Err(ModelError::Invalid("no annotators given".into()));
    }
    let mut unique = annotators.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != annotators.len() {
        return Err(ModelError::Invalid("an annotator is named twice".into()));
    }
    if !(0.0..=1.0).contains(&overlap) || overlap.is_nan() {
        return Err(ModelError::Invalid(format!(
            "--overlap must be between 0 and 1, not {overlap}"
        )));
    }
    let count = annotators.len();
    let per_overlap = per_overlap.unwrap_or(count).clamp(2.min(count), count);
    // A seeded, order-independent shuffle: sort by hash(seed, id).
    let mut shuffled: Vec<&(String, usize)> = documents.iter().collect();
    shuffled.sort_by_key(|(id, _)| {
        let digest = Sha256::digest(format!("{seed}\0{id}").as_bytes());
        (digest.to_vec(), id.clone())
    });
    let overlap_count = if count < 2 {
        0
    } else {
        ((overlap * documents.len() as f64).ceil() as usize).min(documents.len())
    };
    let mut load: BTreeMap<&str, usize> = annotators.iter().map(|a| (a.as_str(), 0)).collect();
    let mut given: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut overlap_ids = Vec::new();
    for (index, (id, sentences)) in shuffled.iter().enumerate() {
        if index < overlap_count {
            overlap_ids.push(id.clone());
            for offset in 0..per_overlap {
                let annotator = annotators[(index + offset) % count].as_str();
                given.entry(annotator.to_owned()).or_default().push(id);
                *load.entry(annotator).or_default() += sentences;
            }
        } else {
            // The annotator with the least work so far (ties: the order given).
            let annotator = annotators
                .iter()
                .min_by_key(|a| load.get(a.as_str()).copied().unwrap_or(0))
                .map_or("", String::as_str);
            given.entry(annotator.to_owned()).or_default().push(id);
            *load.entry(annotator).or_default() += sentences.max(&1);
        }
    }
    // Back to the project's order inside each package.
    let position: BTreeMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let per_annotator = annotators
        .iter()
        .map(|a| {
            let mut ids: Vec<&str> = given.remove(a).unwrap_or_default();
            ids.sort_by_key(|id| position.get(id).copied().unwrap_or(usize::MAX));
            (a.clone(), ids.into_iter().map(str::to_owned).collect())
        })
        .collect();
    overlap_ids.sort_by_key(|id| position.get(id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(AssignmentPlan {
        per_annotator,
        overlap: overlap_ids,
    })
}

/// Longest annotator part of a package file name, in bytes (file names are limited to 255).
const MAX_SLUG_BYTES: usize = 120;

/// A file name for an annotator's package that cannot leave the output folder.
pub fn package_file_name(annotator: &str, index: usize) -> String {
    let slug: String = annotator
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let slug = slug.trim_matches('_');
    // A file name is at most 255 bytes on common file systems: keep the slug well inside,
    // cut on a character boundary (the index keeps long names that share a prefix apart).
    let mut cut = slug.len().min(MAX_SLUG_BYTES);
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let slug = if cut < slug.len() {
        format!("{}-{}", &slug[..cut], index + 1)
    } else {
        slug.to_owned()
    };
    if slug.is_empty() {
        format!("annotator-{}.isnad.db", index + 1)
    } else {
        format!("{slug}.isnad.db")
    }
}

/// The package file of each annotator (in the plan's order), refused when two annotators
/// would share one. File names keep letters, digits, `-` and `_` of a name (so `a` and `a/`
/// both make `a.isnad.db`); they are compared without regard to case or Unicode
/// normalisation, because macOS and Windows file systems (and zip files unpacked there) make
/// `A.isnad.db` and `a.isnad.db` one file.
pub fn package_file_names(annotators: &[&str]) -> Result<Vec<String>, ModelError> {
    use unicode_normalization::UnicodeNormalization;
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    let mut names = Vec::with_capacity(annotators.len());
    for (index, annotator) in annotators.iter().enumerate() {
        let name = package_file_name(annotator, index);
        let key: String = name.nfc().collect::<String>().to_lowercase();
        if let Some(first) = owners.insert(key, annotator) {
            return Err(ModelError::Invalid(format!(
                "annotators {first:?} and {annotator:?} would get the same package file \
                 {name} (package names keep only letters, digits, '-' and '_', and ignore \
                 case); rename one of them — nothing was written"
            )));
        }
        names.push(name);
    }
    Ok(names)
}

/// Writes one package database per annotator into `out_dir` (which must not already hold
/// them) and records the assignments in the lead's database. Returns the package paths.
/// Names that would share a package file are refused before anything is written.
pub fn write_packages(
    lead: &mut dyn Store,
    plan: &AssignmentPlan,
    out_dir: &Path,
) -> Result<Vec<(String, PathBuf, usize)>, ModelError> {
    write_packages_with(lead, plan, out_dir, &mut Monitor::none())
}

/// What every package holds besides its documents.
struct ProjectParts {
    schema_text: String,
    guidelines: String,
    lead_project: String,
    entities: Vec<(crate::domain::EntityRow, Vec<String>)>,
}

/// Documents copied so far into packages, of all.
struct Copied<'m, 'a> {
    monitor: &'m mut Monitor<'a>,
    done: usize,
    total: usize,
}

/// [`write_packages`], reporting the documents copied to `monitor`. Failed or cancelled, it
/// removes every package it wrote (and the folder, if it made it) and leaves the lead's
/// database unchanged.
pub fn write_packages_with(
    lead: &mut dyn Store,
    plan: &AssignmentPlan,
    out_dir: &Path,
    monitor: &mut Monitor<'_>,
) -> Result<Vec<(String, PathBuf, usize)>, ModelError> {
    let annotators: Vec<&str> = plan.per_annotator.keys().map(String::as_str).collect();
    let file_names = package_file_names(&annotators)?;
    let mut planned = Vec::new();
    for (annotator, name) in annotators.iter().zip(file_names) {
        let path = out_dir.join(&name);
        // `symlink_metadata` does not follow links: a dangling symlink planted under the
        // package's name must not lead the package outside the chosen folder.
        if path.symlink_metadata().is_ok() {
            return Err(ModelError::Invalid(format!(
                "{} already exists; choose an empty folder (packages are never overwritten)",
                path.display()
            )));
        }
        planned.push(((*annotator).to_owned(), path));
    }
    let created = crate::files::create_missing_folders(out_dir)
        .map_err(|e| ModelError::Invalid(e.to_string()))?;
    let mut written = Vec::new();
    let result = write_planned(lead, plan, &planned, monitor, &mut written);
    if result.is_err() {
        for path in &written {
            remove_database(path);
        }
        crate::files::remove_created_folders(&created);
    }
    result
}

/// Removes a database file and the journal files SQLite may have left beside it.
fn remove_database(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
}

/// Writes the planned packages; `written` collects every file started, for clean-up.
fn write_planned(
    lead: &mut dyn Store,
    plan: &AssignmentPlan,
    planned: &[(String, PathBuf)],
    monitor: &mut Monitor<'_>,
    written: &mut Vec<PathBuf>,
) -> Result<Vec<(String, PathBuf, usize)>, ModelError> {
    let parts = ProjectParts {
        schema_text: lead
            .meta(keys::LABEL_SCHEMA)?
            .unwrap_or_else(|| crate::labels::BUILTIN_LABELS_TOML.to_owned()),
        guidelines: project::guidelines(lead)?,
        lead_project: lead.project_id()?,
        entities: lead
            .entities()?
            .into_iter()
            .map(|e| (e.entity, e.aliases))
            .collect(),
    };
    let mut copied = Copied {
        total: plan.per_annotator.values().map(Vec::len).sum(),
        done: 0,
        monitor,
    };
    copied.monitor.step(0, copied.total, "documents")?;
    let mut packages = Vec::new();
    let mut assignments = Vec::new();
    for (annotator, path) in planned {
        let ids = plan
            .per_annotator
            .get(annotator)
            .cloned()
            .unwrap_or_default();
        written.push(path.clone());
        write_package(lead, path, annotator, &ids, &parts, &mut copied)?;
        for id in &ids {
            assignments.push((id.clone(), annotator.clone(), plan.overlap.contains(id)));
        }
        packages.push((annotator.clone(), path.clone(), ids.len()));
    }
    // The last point to stop at: the lead's database is written only after it.
    copied.monitor.check()?;
    lead.record_assignments(&assignments)?;
    Ok(packages)
}

fn write_package(
    lead: &dyn Store,
    path: &Path,
    annotator: &str,
    ids: &[String],
    parts: &ProjectParts,
    copied: &mut Copied<'_, '_>,
) -> Result<(), ModelError> {
    let mut package = Project::open(&Location::from(path), Access::ReadWrite)?.into_store();
    let mut documents = Vec::with_capacity(ids.len());
    for id in ids {
        copied.done += 1;
        copied
            .monitor
            .step(copied.done, copied.total, "documents")?;
        let Some(row) = lead.document(id)? else {
            continue;
        };
        let sentences = lead
            .sentences(id)?
            .into_iter()
            .map(|s| NewSentence {
                start: s.start,
                end: s.end,
                text: s.text,
                boilerplate: if s.boilerplate {
                    Some(s.boilerplate_reason.unwrap_or_else(|| "manual".into()))
                } else {
                    None
                },
            })
            .collect();
        let metadata = serde_json::from_str(&row.metadata).unwrap_or_default();
        documents.push(NewDocument {
            id: row.id,
            title: row.title,
            text: row.text,
            source: row.source,
            url: row.url,
            published: row.published,
            encoding: row.encoding,
            metadata,
            origin: row.origin.unwrap_or_default(),
            sentences,
        });
    }
    let results = package.import_files(&[FileImport {
        origin: lead.location().to_string(),
        documents,
    }])?;
    for result in results {
        result.result.map_err(ModelError::Invalid)?;
    }
    project::set_label_schema(&mut *package, &parts.schema_text)?;
    package.set_meta(keys::GUIDELINES, &parts.guidelines)?;
    package.set_meta("assigned_to", annotator)?;
    package.set_meta("package_of", &parts.lead_project)?;
    package.set_meta(keys::STARTER_REGISTRY, "from the lead's registry")?;
    package.add_entities(&parts.entities)?;
    package.ensure_annotator(annotator)?;
    package.record_assignments(
        &ids.iter()
            .map(|id| (id.clone(), annotator.to_owned(), false))
            .collect::<Vec<_>>(),
    )?;
    Ok(())
}

/// Writes the plan as assignments on a team project on a server (no packages): each
/// annotator then sees exactly their documents. Returns warnings for annotators who are no
/// members of the project (they cannot log in to work on their share until added).
pub fn record_server_assignments(
    store: &mut dyn Store,
    plan: &AssignmentPlan,
) -> Result<Vec<String>, ModelError> {
    let mut rows = Vec::new();
    for (annotator, ids) in &plan.per_annotator {
        for id in ids {
            rows.push((id.clone(), annotator.clone(), plan.overlap.contains(id)));
        }
    }
    let members: Vec<String> = match super::server::members(store.location(), None) {
        Ok(members) => members.into_iter().map(|m| m.name).collect(),
        Err(_) => Vec::new(),
    };
    store.record_assignments(&rows)?;
    Ok(plan
        .per_annotator
        .keys()
        .filter(|a| !members.is_empty() && !members.contains(a))
        .map(|a| format!("{a} is not a member of this project: add them with `isnad server add-user {a} --role annotator`"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(n: usize) -> Vec<(String, usize)> {
        (0..n).map(|i| (format!("doc{i:03}"), 10 + i % 7)).collect()
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_split_is_reproducible_and_covers_every_document() {
        let documents = docs(50);
        let annotators = names(&["A", "B", "C"]);
        let plan = plan_assignment(&documents, &annotators, 0.2, None, 7).unwrap();
        assert_eq!(
            plan,
            plan_assignment(&documents, &annotators, 0.2, None, 7).unwrap()
        );
        assert_ne!(
            plan.overlap,
            plan_assignment(&documents, &annotators, 0.2, None, 8)
                .unwrap()
                .overlap,
            "another seed, another sample"
        );
        assert_eq!(plan.overlap.len(), 10);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for ids in plan.per_annotator.values() {
            for id in ids {
                *seen.entry(id).or_default() += 1;
            }
        }
        assert_eq!(seen.len(), 50, "every document is given to someone");
        for (id, times) in seen {
            let expected = if plan.overlap.iter().any(|o| o == id) {
                3
            } else {
                1
            };
            assert_eq!(times, expected, "{id}");
        }
        // Balanced: packages differ by at most a couple of documents.
        let sizes: Vec<usize> = plan.per_annotator.values().map(Vec::len).collect();
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 2,
            "{sizes:?}"
        );
    }

    #[test]
    fn overlap_can_go_to_two_of_four() {
        let plan =
            plan_assignment(&docs(20), &names(&["A", "B", "C", "D"]), 0.25, Some(2), 1).unwrap();
        assert_eq!(plan.overlap.len(), 5);
        let total: usize = plan.per_annotator.values().map(Vec::len).sum();
        assert_eq!(total, 20 + 5);
    }

    #[test]
    fn package_names_stay_inside_the_folder() {
        assert_eq!(
            package_file_name("../../etc/passwd", 0),
            "etc_passwd.isnad.db"
        );
        assert_eq!(package_file_name("هالة", 1), "هالة.isnad.db");
        assert_eq!(package_file_name("///", 2), "annotator-3.isnad.db");
        assert!(!package_file_name("a/b", 0).contains('/'));
    }

    #[test]
    fn names_that_share_a_package_file_are_refused() {
        assert!(package_file_names(&["a", "a-3", "a/"]).is_err());
        assert!(
            package_file_names(&["A", "a"]).is_err(),
            "case-insensitive file systems"
        );
        // "هالة" composed and decomposed are one file on macOS.
        assert!(package_file_names(&["\u{0622}", "\u{0627}\u{0653}"]).is_err());
        assert_eq!(
            package_file_names(&["a", "a-3", "b"]).unwrap(),
            ["a.isnad.db", "a-3.isnad.db", "b.isnad.db"]
        );
    }

    #[test]
    fn bad_arguments_are_refused() {
        assert!(plan_assignment(&docs(3), &[], 0.2, None, 0).is_err());
        assert!(plan_assignment(&docs(3), &names(&["A", "A"]), 0.2, None, 0).is_err());
        assert!(plan_assignment(&docs(3), &names(&["A"]), 1.5, None, 0).is_err());
    }
}
