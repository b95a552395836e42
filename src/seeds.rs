//! The five seed articles, embedded in the binary so that a new database can be filled from
//! any working directory: the default database is created from them on first run.

use crate::corpus::reader::InputFormat;
use crate::domain::FileImport;
use crate::importer::{self, ImportOptions};
use crate::store::{Store, StoreError};

/// (file name, content) of every seed article, in order.
pub const SEED_ARTICLES: &[(&str, &str)] = &[
    (
        "000_94999b6dfeaf2c9a.txt",
        include_str!("../seeds/000_94999b6dfeaf2c9a.txt"),
    ),
    (
        "001_27af32c0e69d882f.txt",
        include_str!("../seeds/001_27af32c0e69d882f.txt"),
    ),
    (
        "002_d334092499d7ec8c.txt",
        include_str!("../seeds/002_d334092499d7ec8c.txt"),
    ),
    (
        "003_33ebafb7f274a61d.txt",
        include_str!("../seeds/003_33ebafb7f274a61d.txt"),
    ),
    (
        "004_1f4fa77edfffa84d.txt",
        include_str!("../seeds/004_1f4fa77edfffa84d.txt"),
    ),
];

/// Imports the embedded seed articles; returns how many documents were added.
pub fn import_seeds(store: &mut dyn Store) -> Result<usize, StoreError> {
    let options = ImportOptions::default();
    let mut files: Vec<FileImport> = Vec::new();
    for (name, content) in SEED_ARTICLES {
        let origin = format!("seeds/{name}");
        let raws = crate::corpus::reader::read_documents(
            content.as_bytes(),
            InputFormat::Txt,
            &origin,
            options.encoding.as_deref(),
        )
        .map_err(|e| StoreError::Invalid(format!("{origin}: {e}")))?;
        files.push(FileImport {
            origin,
            documents: raws
                .into_iter()
                .map(|raw| {
                    importer::prepare_document(
                        raw,
                        crate::corpus::segment::SegmentationRules::builtin(),
                        crate::corpus::boilerplate::BoilerplateRules::builtin(),
                    )
                })
                .collect(),
        });
    }
    let results = store.import_files(&files)?;
    let mut added = 0;
    for result in results {
        match result.result {
            Ok(docs) => {
                added += docs
                    .iter()
                    .filter(|(_, outcome, _)| *outcome == crate::domain::DocumentOutcome::Added)
                    .count();
            }
            Err(reason) => return Err(StoreError::Invalid(format!("{}: {reason}", result.origin))),
        }
    }
    Ok(added)
}
