//! The six TOML data files, read and parsed by one loader, failing with one error type.
//!
//! | file                       | what it holds                         | checked by                                         |
//! |----------------------------|---------------------------------------|----------------------------------------------------|
//! | `schema/labels.toml`       | the label schema (stances, types)     | [`crate::labels::LabelSchema::from_toml`]          |
//! | `schema/segmentation.toml` | sentence segmentation (abbreviations) | [`crate::corpus::segment::SegmentationRules`]      |
//! | `schema/boilerplate.toml`  | boilerplate rules                     | [`crate::corpus::boilerplate::BoilerplateRules`]   |
//! | `schema/cues.toml`         | reporting cue verbs                   | [`crate::suggest::CueMatcher::from_toml`]          |
//! | `schema/entities.toml`     | the starter entity registry           | [`crate::starter_entities::parse_entities`]        |
//! | `schema/attribution.toml`  | word lists for attribution proposals  | [`crate::propose::Lexicon::from_toml`]             |
//!
//! Each is built in (embedded at compile time) and may be replaced by a user's file. Every
//! file goes through the same two steps here — [`read`] it, [`parse`] it into the file's raw
//! shape (unknown or missing keys and wrong types are syntax errors that name the line,
//! column and key) — and then the module that owns the file checks its content, reporting a
//! problem of its own type `P` that [`DataFileError::Invalid`] carries with the file's name.
//! Every message starts with the file's name.

use std::path::Path;

use serde::de::DeserializeOwned;

/// One of the data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    Labels,
    Segmentation,
    Boilerplate,
    Cues,
    Entities,
    Attribution,
}

impl DataFile {
    pub const ALL: [DataFile; 6] = [
        DataFile::Labels,
        DataFile::Segmentation,
        DataFile::Boilerplate,
        DataFile::Cues,
        DataFile::Entities,
        DataFile::Attribution,
    ];

    /// Where the built-in file lives, relative to the repository root: the name errors in
    /// it are given.
    pub const fn builtin_path(self) -> &'static str {
        match self {
            DataFile::Labels => "schema/labels.toml",
            DataFile::Segmentation => "schema/segmentation.toml",
            DataFile::Boilerplate => "schema/boilerplate.toml",
            DataFile::Cues => "schema/cues.toml",
            DataFile::Entities => "schema/entities.toml",
            DataFile::Attribution => "schema/attribution.toml",
        }
    }

    /// The built-in file's text, embedded at compile time.
    pub const fn builtin_text(self) -> &'static str {
        match self {
            DataFile::Labels => include_str!("../schema/labels.toml"),
            DataFile::Segmentation => include_str!("../schema/segmentation.toml"),
            DataFile::Boilerplate => include_str!("../schema/boilerplate.toml"),
            DataFile::Cues => include_str!("../schema/cues.toml"),
            DataFile::Entities => include_str!("../schema/entities.toml"),
            DataFile::Attribution => include_str!("../schema/attribution.toml"),
        }
    }

    /// What the file is, in "not a valid …" messages.
    pub const fn what(self) -> &'static str {
        match self {
            DataFile::Labels => "label schema",
            DataFile::Segmentation => "segmentation rules file",
            DataFile::Boilerplate => "boilerplate rules file",
            DataFile::Cues => "cue file",
            DataFile::Entities => "entity file",
            DataFile::Attribution => "attribution word list",
        }
    }
}

/// Why a data file cannot be used; `P` is what the file's own checks find wrong in it.
#[derive(Debug, thiserror::Error)]
pub enum DataFileError<P> {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {error}")]
    Read { file: String, error: std::io::Error },
    /// Not TOML, or not the file's shape (unknown or missing keys, wrong types); the message
    /// gives the line, column and key.
    #[error("{file}: not a valid {what}: {message}")]
    Syntax {
        file: String,
        what: &'static str,
        message: String,
    },
    /// Well-formed, but a value is unusable.
    #[error("{file}: {problem}")]
    Invalid { file: String, problem: P },
}

impl<P> DataFileError<P> {
    pub fn invalid(file: &str, problem: P) -> Self {
        DataFileError::Invalid {
            file: file.to_owned(),
            problem,
        }
    }

    /// The file's own problem, if that is what is wrong.
    pub fn problem(&self) -> Option<&P> {
        match self {
            DataFileError::Invalid { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The same error with another problem type (for a file checked in steps).
    pub fn map_problem<Q>(self, f: impl FnOnce(P) -> Q) -> DataFileError<Q> {
        match self {
            DataFileError::Read { file, error } => DataFileError::Read { file, error },
            DataFileError::Syntax {
                file,
                what,
                message,
            } => DataFileError::Syntax {
                file,
                what,
                message,
            },
            DataFileError::Invalid { file, problem } => DataFileError::Invalid {
                file,
                problem: f(problem),
            },
        }
    }
}

/// Reads a data file: its text, and the name its errors give it (the path as written).
pub fn read<P>(path: &Path) -> Result<(String, String), DataFileError<P>> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((text, file)),
        Err(error) => Err(DataFileError::Read { file, error }),
    }
}

/// Parses the text of a `kind` file (named `file` in errors) into its raw shape `T`.
pub fn parse<T: DeserializeOwned, P>(
    kind: DataFile,
    source: &str,
    file: &str,
) -> Result<T, DataFileError<P>> {
    toml::from_str(source).map_err(|error: toml::de::Error| DataFileError::Syntax {
        file: file.to_owned(),
        what: kind.what(),
        message: error.to_string().trim_end().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only parsed")]
    struct Shape {
        version: u32,
    }

    #[test]
    fn every_builtin_file_is_toml() {
        for kind in DataFile::ALL {
            let parsed: Result<toml::Table, DataFileError<String>> =
                parse(kind, kind.builtin_text(), kind.builtin_path());
            assert!(
                parsed.is_ok(),
                "{}: {:?}",
                kind.builtin_path(),
                parsed.err()
            );
        }
    }

    #[test]
    fn errors_name_the_file_and_what_is_wrong() {
        let error = parse::<Shape, String>(DataFile::Cues, "version = 1\nextra = 2", "my.toml")
            .expect_err("unknown key");
        let message = error.to_string();
        assert!(
            message.starts_with("my.toml: not a valid cue file: "),
            "{message}"
        );
        assert!(message.contains("extra"), "{message}");
        assert!(!message.ends_with('\n'), "{message:?}");

        let error = read::<String>(Path::new("/nonexistent/labels.toml")).expect_err("missing");
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/labels.toml: cannot read the file: "),
            "{error}"
        );

        let error = DataFileError::invalid("x.toml", "`a`: is empty".to_owned());
        assert_eq!(error.to_string(), "x.toml: `a`: is empty");
        assert_eq!(error.problem().map(String::as_str), Some("`a`: is empty"));
        let mapped = error.map_problem(|p| p.len());
        assert_eq!(mapped.problem(), Some(&13));
    }
}
