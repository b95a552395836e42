//! Output folders made on demand and taken away again: an export into `dataset/gold.jsonl`
//! or packages into `packages/` create the missing folders, and a failed or cancelled run
//! removes the ones it made, so that it leaves nothing behind.

use std::path::{Path, PathBuf};

/// Creates `dir` and its missing parents; returns the folders it created, outermost first
/// (empty when `dir` existed). On failure, those made so far are removed again.
pub fn create_missing_folders(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut folder = Some(dir);
    while let Some(current) = folder.filter(|d| !d.as_os_str().is_empty()) {
        if current.symlink_metadata().is_ok() {
            break;
        }
        missing.push(current.to_path_buf());
        folder = current.parent();
    }
    missing.reverse();
    for (made, folder) in missing.iter().enumerate() {
        if let Err(e) = std::fs::create_dir(folder) {
            remove_created_folders(&missing[..made]);
            return Err(std::io::Error::new(
                e.kind(),
                format!("cannot create the folder {}: {e}", folder.display()),
            ));
        }
    }
    Ok(missing)
}

/// Removes folders [`create_missing_folders`] made, innermost first, if they are empty.
pub fn remove_created_folders(created: &[PathBuf]) {
    for folder in created.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_folders_are_listed_and_removed() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b/c");
        let made = create_missing_folders(&deep).unwrap();
        assert_eq!(made.len(), 3);
        assert!(deep.is_dir());
        assert!(create_missing_folders(&deep).unwrap().is_empty());
        remove_created_folders(&made);
        assert!(!root.path().join("a").exists());
        std::fs::write(root.path().join("file"), "x").unwrap();
        assert!(create_missing_folders(&root.path().join("file/inner")).is_err());
    }
}
