//! One line of an `import-claims` file: either a full record as `export --what claims` writes
//! it (read back losslessly), or a pre-annotation — a model's output, a hand-written file —
//! that gives only what it knows. Required: `doc_id`, `sentence_index`, and for a claim
//! `stance`, `speaker`, `target`; `annotator` unless `--annotator` is given. Everything else
//! may be missing or `null` and gets its default. Messages name what is missing or wrong;
//! the caller adds the file and line.

use serde_json::{Map, Value};

use super::record::{CLAIM_FIELDS, ClaimRecord, RoleRecord, derived_claim_id};

/// Where the fields a record leaves out come from.
#[derive(Debug, Clone, Copy)]
pub struct RecordDefaults<'a> {
    /// `--annotator`: every record's annotator (and the one of records without one).
    pub annotator: Option<&'a str>,
    /// The project's label schema: records without `schema_version` / `schema_hash` were
    /// made with it; records with others are refused.
    pub schema_version: u32,
    pub schema_hash: &'a str,
    /// `created_at` / `updated_at` of records without them.
    pub now: &'a str,
}

/// A record read from a line, its defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRecord {
    pub record: ClaimRecord,
    /// Neither `created_at` nor `updated_at` was given: they are `now`, and the importer may
    /// keep those of an identical row already stored (importing twice changes nothing).
    pub times_defaulted: bool,
}

/// Reads one non-empty line.
pub fn parse_claim_line(line: &str, defaults: &RecordDefaults<'_>) -> Result<ParsedRecord, String> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| format!("not a claim record ({e})"))?;
    let Value::Object(map) = value else {
        return Err("not a claim record (a JSON object {\"doc_id\": …} is expected)".into());
    };
    if let Some(unknown) = map.keys().find(|key| !CLAIM_FIELDS.contains(&key.as_str())) {
        return Err(format!(
            "unknown field {unknown:?} (a claim record has: {})",
            CLAIM_FIELDS.join(", ")
        ));
    }
    let record_type = string(&map, "type")?.unwrap_or_else(|| "claim".to_owned());
    check_required(&map, &record_type, defaults)?;
    let schema_version = match map.get("schema_version") {
        None | Some(Value::Null) => defaults.schema_version,
        Some(value) => {
            let version = value
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| format!("schema_version must be a whole number, not {value}"))?;
            if version != defaults.schema_version {
                return Err(format!(
                    "schema_version {version} is not this project's label schema version ({}): \
                     the record was made with other labels; import it into a project with that \
                     schema, or leave schema_version and schema_hash out",
                    defaults.schema_version
                ));
            }
            version
        }
    };
    let schema_hash = match string(&map, "schema_hash")? {
        None => defaults.schema_hash.to_owned(),
        Some(hash) if hash == defaults.schema_hash => hash,
        Some(hash) => {
            return Err(format!(
                "schema_hash {hash:?} is not this project's label schema ({}): the record was \
                 made with other labels; import it into a project with that schema, or leave \
                 schema_version and schema_hash out",
                defaults.schema_hash
            ));
        }
    };
    let created_at = string(&map, "created_at")?;
    let updated_at = string(&map, "updated_at")?;
    let times_defaulted = created_at.is_none() && updated_at.is_none();
    let created_at = created_at.unwrap_or_else(|| defaults.now.to_owned());
    let updated_at = updated_at.unwrap_or_else(|| created_at.clone());
    let annotator = string(&map, "annotator")?
        .or_else(|| defaults.annotator.map(str::to_owned))
        .unwrap_or_default();
    let claim_id = string(&map, "claim_id")?.filter(|id| !id.trim().is_empty());
    let claim_id = match (claim_id, record_type.as_str()) {
        (None, "claim") => Some(generated_claim_id(&annotator, &map)),
        (id, _) => id,
    };
    let record = ClaimRecord {
        doc_id: doc_id(&map)?,
        sentence_index: sentence_index(&map)?,
        annotator,
        claim_id,
        stance: string(&map, "stance")?,
        claim_type: string(&map, "claim_type")?,
        speaker: role(&map, "speaker")?,
        target: role(&map, "target")?,
        cue: role(&map, "cue")?,
        claim: role(&map, "claim")?,
        note: string(&map, "note")?.unwrap_or_default(),
        lead_time_s: lead_time(&map)?,
        created_at,
        updated_at,
        schema_version,
        schema_hash,
        record_type,
    };
    Ok(ParsedRecord {
        record,
        times_defaulted,
    })
}

/// Names every required field that is missing or null.
fn check_required(
    map: &Map<String, Value>,
    record_type: &str,
    defaults: &RecordDefaults<'_>,
) -> Result<(), String> {
    let present = |key: &str| map.get(key).is_some_and(|v| !v.is_null());
    let mut required = vec!["doc_id", "sentence_index"];
    if record_type == "claim" {
        required.extend(["stance", "speaker", "target"]);
    }
    let mut missing: Vec<&str> = required.into_iter().filter(|key| !present(key)).collect();
    if defaults.annotator.is_none() && !present("annotator") {
        missing.push("annotator (or pass --annotator)");
    }
    match missing.len() {
        0 => Ok(()),
        1 => Err(format!("missing required field: {}", missing[0])),
        _ => Err(format!("missing required fields: {}", missing.join(", "))),
    }
}

/// A string field; missing or null is `None`.
fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!("{key} must be a string, not {other}")),
    }
}

/// `doc_id`: a string, or an integer as `import` accepts for article ids.
fn doc_id(map: &Map<String, Value>) -> Result<String, String> {
    match map.get("doc_id") {
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        _ => Ok(string(map, "doc_id")?.unwrap_or_default()),
    }
}

fn sentence_index(map: &Map<String, Value>) -> Result<usize, String> {
    let value = map.get("sentence_index").unwrap_or(&Value::Null);
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("sentence_index must be a whole number ≥ 0, not {value}"))
}

fn lead_time(map: &Map<String, Value>) -> Result<f64, String> {
    match map.get("lead_time_s") {
        None | Some(Value::Null) => Ok(0.0),
        Some(value) => value
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| format!("lead_time_s must be a number of seconds ≥ 0, not {value}")),
    }
}

/// `speaker` / `target` / `cue` / `claim`: missing or null is absent; a string is an entity
/// name; an object has any of `entity, entity_type, text, start, end`.
fn role(map: &Map<String, Value>, key: &str) -> Result<RoleRecord, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(RoleRecord::default()),
        Some(Value::String(name)) => Ok(RoleRecord {
            entity: Some(name.clone()),
            ..RoleRecord::default()
        }),
        Some(value @ Value::Object(_)) => serde_json::from_value(value.clone())
            .map_err(|e| format!("{key}: {e} (its fields: entity, entity_type, text, start, end)")),
        Some(other) => Err(format!(
            "{key} must be an object {{entity, entity_type, text, start, end}} or an entity \
             name, not {other}"
        )),
    }
}

/// The id of a claim record that has none: the same record always gets the same id, so
/// importing a file twice changes nothing.
fn generated_claim_id(annotator: &str, map: &Map<String, Value>) -> String {
    let content = Value::Object(map.clone()).to_string();
    derived_claim_id(annotator, &format!("generated\0{content}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: RecordDefaults<'static> = RecordDefaults {
        annotator: None,
        schema_version: 1,
        schema_hash: "abc",
        now: "2026-01-01T00:00:00.000Z",
    };

    #[test]
    fn a_minimal_claim_gets_its_defaults() {
        let line = r#"{"doc_id": 7, "sentence_index": 2, "annotator": "m", "stance": "favor",
                       "speaker": "Russia", "target": {"text": "x", "start": 1, "end": 2}}"#;
        let parsed = parse_claim_line(line, &DEFAULTS).unwrap();
        let record = parsed.record;
        assert!(parsed.times_defaulted);
        assert_eq!(record.record_type, "claim");
        assert_eq!(record.doc_id, "7");
        assert_eq!(record.speaker.entity.as_deref(), Some("Russia"));
        assert_eq!(record.target.start, Some(1));
        assert_eq!(record.cue, RoleRecord::default());
        assert_eq!(record.note, "");
        assert_eq!(record.lead_time_s, 0.0);
        assert_eq!(record.created_at, DEFAULTS.now);
        assert_eq!(record.updated_at, DEFAULTS.now);
        assert_eq!(
            (record.schema_version, record.schema_hash.as_str()),
            (1, "abc")
        );
        let id = record.claim_id.unwrap();
        assert_eq!(
            parse_claim_line(line, &DEFAULTS).unwrap().record.claim_id,
            Some(id),
            "the generated id is stable"
        );
    }

    #[test]
    fn missing_and_wrong_fields_are_named() {
        let error = parse_claim_line(r#"{"doc_id": "d", "speaker": null}"#, &DEFAULTS);
        assert_eq!(
            error.unwrap_err(),
            "missing required fields: sentence_index, stance, speaker, target, \
             annotator (or pass --annotator)"
        );
        let with_annotator = RecordDefaults {
            annotator: Some("m"),
            ..DEFAULTS
        };
        let no_claim = r#"{"type": "no_claim", "doc_id": "d", "sentence_index": 0}"#;
        assert!(parse_claim_line(no_claim, &with_annotator).is_ok());
        let cases = [
            (
                r#"{"doc_id": "d", "sentence_index": -1, "stance": "x", "speaker": "a", "target": "b"}"#,
                "sentence_index",
            ),
            (r#"[1]"#, "JSON object"),
            (r#"{"doc_id": "d", "extra": 1}"#, "unknown field \"extra\""),
            (r#"{"schema_version": 2}"#, "schema_version 2"),
            (r#"{"schema_hash": "zzz"}"#, "schema_hash \"zzz\""),
            (r#"{"speaker": {"name": "x"}}"#, "speaker: unknown field"),
            (r#"{"lead_time_s": "3"}"#, "lead_time_s"),
        ];
        for (line, expected) in cases {
            let full = if line.starts_with('{') && !line.contains("\"doc_id\"") {
                line.replacen(
                    '{',
                    r#"{"doc_id": "d", "sentence_index": 0, "stance": "favor", "speaker": "a", "target": "b", "#,
                    1,
                )
            } else {
                line.to_owned()
            };
            let error = parse_claim_line(&full, &with_annotator).unwrap_err();
            assert!(error.contains(expected), "{line}: {error}");
        }
    }
}
