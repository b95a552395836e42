//! Input formats: one article per `.txt` file, or one article per line of a `.jsonl` file.
//!
//! `.txt`: the first non-empty line is the title; the stored text is the whole file as
//! decoded (byte-order mark removed, nothing else changed), so the title is sentence 0 and
//! every offset indexes exactly what the file holds.
//!
//! `.jsonl`: one JSON object per line; `text` (string) is required; `id` (string or integer),
//! `title`, `source`, `url`, `published` (strings or null) are optional; any other field is
//! kept as metadata. Blank lines are skipped. A `.jsonl` file is **all or nothing**: if any
//! line is broken, no line of the file is imported and every broken line is reported, so a
//! file is never half in the database; fix the lines and import again (documents already
//! present are recognised by id and not duplicated).

use std::path::Path;

use super::decode::{self, DecodeError};
use super::ids;

/// An article read from a file, before segmentation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub id: String,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub encoding: String,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// `path` for a .txt file, `path:line` for a JSONL record.
    pub origin: String,
}

/// The supported input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Txt,
    Jsonl,
}

impl InputFormat {
    /// The format of a path, from its extension (case-insensitive).
    pub fn of_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(InputFormat::Txt),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            _ => None,
        }
    }
}

/// Why a file could not be read. `line` is 1-based where known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("{count} broken line(s), so nothing of this file was imported: {}", summarize(.lines))]
    BrokenLines { count: usize, lines: Vec<LineError> },
    #[error("no documents in the file (only blank lines)")]
    NoRecords,
}

/// One broken JSONL line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub error: RecordError,
}

/// What is wrong with one JSONL record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The line is not JSON (serde's message: it is neither `Clone` nor `Eq`).
    #[error("invalid JSON ({0})")]
    InvalidJson(String),
    #[error("expected a JSON object with a \"text\" field")]
    NotAnObject,
    #[error("missing the required \"text\" field")]
    MissingText,
    /// `field` holds a value of the wrong JSON type.
    #[error("\"{field}\" must be {expected}, found {found}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    #[error("\"{0}\" is empty")]
    Empty(&'static str),
    #[error("\"{0}\" contains NUL characters")]
    Nul(&'static str),
    #[error("\"id\" must be at most {MAX_ID_CHARS} characters without control characters")]
    BadId,
    #[error(
        "\"title\" is {chars} characters long (at most {MAX_GIVEN_TITLE_CHARS}): \
         is the article's text in the title field?"
    )]
    TitleTooLong { chars: usize },
}

fn summarize(lines: &[LineError]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = lines
        .iter()
        .take(SHOWN)
        .map(|e| format!("line {}: {}", e.line, e.error))
        .collect();
    if lines.len() > SHOWN {
        parts.push(format!("… and {} more", lines.len() - SHOWN));
    }
    parts.join("; ")
}

/// Reads the documents of one file's bytes.
pub fn read_documents(
    bytes: &[u8],
    format: InputFormat,
    origin: &str,
    forced_encoding: Option<&str>,
) -> Result<Vec<RawDocument>, ReadError> {
    let decoded = decode::decode(bytes, forced_encoding)?;
    match format {
        InputFormat::Txt => Ok(vec![txt_document(decoded, origin)?]),
        InputFormat::Jsonl => jsonl_documents(&decoded, origin),
    }
}

fn txt_document(decoded: decode::Decoded, origin: &str) -> Result<RawDocument, ReadError> {
    // The first non-empty line, cut like a JSONL record's (a file that is one 50 MB line
    // must not give a 50 MB title to every list that shows it).
    let title = title_from_text(&decoded.text);
    Ok(RawDocument {
        id: ids::id_from_text(&decoded.text),
        title,
        text: decoded.text,
        source: None,
        url: None,
        published: None,
        encoding: decoded.encoding,
        metadata: serde_json::Map::new(),
        origin: origin.to_owned(),
    })
}

/// Longest title accepted from a JSONL record (titles are shown in every document list).
const MAX_GIVEN_TITLE_CHARS: usize = 1_000;

/// Longest id accepted from input (ids appear in file names, URLs and command lines).
const MAX_ID_CHARS: usize = 256;

fn jsonl_documents(decoded: &decode::Decoded, origin: &str) -> Result<Vec<RawDocument>, ReadError> {
    let mut documents = Vec::new();
    let mut broken = Vec::new();
    for (index, line) in decoded.text.split('\n').enumerate() {
        let line_number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        match jsonl_record(line, &decoded.encoding, &format!("{origin}:{line_number}")) {
            Ok(document) => documents.push(document),
            Err(error) => broken.push(LineError {
                line: line_number,
                error,
            }),
        }
    }
    if !broken.is_empty() {
        return Err(ReadError::BrokenLines {
            count: broken.len(),
            lines: broken,
        });
    }
    if documents.is_empty() {
        return Err(ReadError::NoRecords);
    }
    Ok(documents)
}

fn jsonl_record(line: &str, encoding: &str, origin: &str) -> Result<RawDocument, RecordError> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| RecordError::InvalidJson(e.to_string()))?;
    let serde_json::Value::Object(mut fields) = value else {
        return Err(RecordError::NotAnObject);
    };
    let text = match fields.remove("text") {
        Some(serde_json::Value::String(text)) => text,
        Some(other) => {
            return Err(RecordError::WrongType {
                field: "text",
                expected: "a string",
                found: json_type(&other),
            });
        }
        None => return Err(RecordError::MissingText),
    };
    if text.trim().is_empty() {
        return Err(RecordError::Empty("text"));
    }
    if text.contains('\0') {
        return Err(RecordError::Nul("text"));
    }
    let id = match fields.remove("id") {
        None | Some(serde_json::Value::Null) => ids::id_from_text(&text),
        Some(serde_json::Value::String(id)) => {
            let id = id.trim().to_owned();
            if id.is_empty() {
                return Err(RecordError::Empty("id"));
            }
            if id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
                return Err(RecordError::BadId);
            }
            id
        }
        Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => {
            return Err(RecordError::WrongType {
                field: "id",
                expected: "a string or an integer",
                found: json_type(&other),
            });
        }
    };
    let title = optional_string(&mut fields, "title")?.unwrap_or_else(|| title_from_text(&text));
    let title_chars = title.chars().count();
    if title_chars > MAX_GIVEN_TITLE_CHARS {
        return Err(RecordError::TitleTooLong { chars: title_chars });
    }
    let source = optional_string(&mut fields, "source")?;
    let url = optional_string(&mut fields, "url")?;
    let published = optional_string(&mut fields, "published")?;
    Ok(RawDocument {
        id,
        title,
        text,
        source,
        url,
        published,
        encoding: encoding.to_owned(),
        metadata: fields,
        origin: origin.to_owned(),
    })
}

fn optional_string(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    key: &'static str,
) -> Result<Option<String>, RecordError> {
    match fields.remove(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.contains('\0') => Err(RecordError::Nul(key)),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(RecordError::WrongType {
            field: key,
            expected: "a string",
            found: json_type(&other),
        }),
    }
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A title for a record that has none: its first non-empty line, cut at a word boundary.
fn title_from_text(text: &str) -> String {
    const MAX_TITLE_CHARS: usize = 120;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(MAX_TITLE_CHARS).collect();
    match cut.rfind(char::is_whitespace) {
        Some(space) if space > 0 => format!("{}…", cut[..space].trim_end()),
        _ => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_title_is_the_first_non_empty_line_and_text_is_untouched() {
        let text = "\n  عنوان الخبر  \r\nقال الرئيس.\r\n";
        let docs = read_documents(text.as_bytes(), InputFormat::Txt, "a.txt", None).unwrap();
        assert_eq!(docs[0].title, "عنوان الخبر");
        assert_eq!(docs[0].text, text);
        assert_eq!(docs[0].encoding, "utf-8");
    }

    #[test]
    fn jsonl_fields_and_metadata() {
        let line = r#"{"id": 7, "text": "قال.", "title": "ع", "source": "s", "lang": "ar", "tags": ["a"]}"#;
        let docs = read_documents(line.as_bytes(), InputFormat::Jsonl, "n.jsonl", None).unwrap();
        assert_eq!(docs[0].id, "7");
        assert_eq!(docs[0].title, "ع");
        assert_eq!(docs[0].source.as_deref(), Some("s"));
        assert_eq!(docs[0].metadata["lang"], "ar");
        assert_eq!(docs[0].origin, "n.jsonl:1");
    }

    #[test]
    fn jsonl_is_all_or_nothing_and_names_every_broken_line() {
        let input = "{\"text\": \"أ\"}\n{broken\n\n{\"text\": 5}\n{\"id\": \"x\"}\n";
        let error =
            read_documents(input.as_bytes(), InputFormat::Jsonl, "n.jsonl", None).unwrap_err();
        let ReadError::BrokenLines { lines, .. } = &error else {
            panic!("{error:?}")
        };
        let numbers: Vec<usize> = lines.iter().map(|l| l.line).collect();
        assert_eq!(numbers, vec![2, 4, 5]);
        assert!(matches!(lines[0].error, RecordError::InvalidJson(_)));
        assert_eq!(
            lines[1].error,
            RecordError::WrongType {
                field: "text",
                expected: "a string",
                found: "a number"
            }
        );
        assert_eq!(lines[2].error, RecordError::MissingText);
        let message = error.to_string();
        assert!(message.contains("line 2: invalid JSON"), "{message}");
        assert!(
            message.contains("line 4: \"text\" must be a string, found a number"),
            "{message}"
        );
        assert!(
            message.contains("line 5: missing the required \"text\" field"),
            "{message}"
        );
    }

    #[test]
    fn wrong_types_are_named() {
        for (line, expected) in [
            (
                r#"{"text": "a", "title": 3}"#,
                "\"title\" must be a string, found a number",
            ),
            (
                r#"{"text": "a", "id": 1.5}"#,
                "\"id\" must be a string or an integer, found a number",
            ),
            (r#"{"text": "a", "id": ""}"#, "\"id\" is empty"),
            (r#"[1, 2]"#, "expected a JSON object"),
            (r#"{"text": "  "}"#, "\"text\" is empty"),
        ] {
            let error = read_documents(line.as_bytes(), InputFormat::Jsonl, "n", None).unwrap_err();
            assert!(error.to_string().contains(expected), "{error} / {expected}");
        }
    }

    #[test]
    fn long_first_line_gives_a_cut_title() {
        let text = "كلمة ".repeat(100);
        let title = title_from_text(&text);
        assert!(title.chars().count() <= 121, "{title}");
        assert!(title.ends_with('…'));
    }
}
