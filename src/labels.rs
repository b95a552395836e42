//! The label schema: stance labels (favor / against / neutral / unclear by default) and the
//! optional claim types, read from a TOML file such as the built-in `schema/labels.toml`.
//!
//! A schema is stamped by [`LabelSchema::hash`], the hex SHA-256 of the file's bytes, which the
//! database stores with every annotation so that a dataset always says which labels it used.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::data_files::{self, DataFile, DataFileError};

/// Path of the built-in schema inside the repository, used as its origin in error messages.
pub const BUILTIN_LABELS_ORIGIN: &str = DataFile::Labels.builtin_path();

/// Text of the built-in schema, embedded at compile time.
pub const BUILTIN_LABELS_TOML: &str = DataFile::Labels.builtin_text();

/// Letter keys the app uses for its own commands (speaker, target, cue, claim content,
/// no claim, navigation, …); no claim type may take one of them.
pub const RESERVED_KEYS: [char; 13] = [
    's', 't', 'c', 'm', 'x', 'j', 'k', 'n', 'p', 'u', 'r', 'e', 'a',
];

/// An sRGB colour parsed from `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Colour {
    /// Parses `#RRGGBB` (either case); `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Colour> {
        let digits = text.strip_prefix('#')?;
        if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |range: std::ops::Range<usize>| u8::from_str_radix(&digits[range], 16).ok();
        Some(Colour {
            r: channel(0..2)?,
            g: channel(2..4)?,
            b: channel(4..6)?,
        })
    }

    /// `#RRGGBB` in upper case.
    pub fn to_hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// One stance label, e.g. `favor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceLabel {
    /// Stable identifier stored in the database (`favor`, `against`, …).
    pub id: String,
    /// The number key (1–9) that sets this stance.
    pub key: u8,
    pub name_en: String,
    pub name_ar: String,
    pub colour: Colour,
    /// One paragraph, shown on hover.
    pub description: String,
}

/// One optional claim type, e.g. `demand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimType {
    /// Stable identifier stored in the database (`demand`, `accusation`, …).
    pub id: String,
    /// The key that sets this claim type: a lower-case ASCII letter or a digit not used by a
    /// stance, never one of [`RESERVED_KEYS`].
    pub key: char,
    pub name_en: String,
    pub name_ar: String,
    /// One paragraph, shown on hover.
    pub description: String,
}

/// A validated label schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSchema {
    pub name: String,
    pub version: u32,
    pub stances: Vec<StanceLabel>,
    pub claim_types: Vec<ClaimType>,
    /// Hex SHA-256 of the file's bytes.
    pub hash: String,
}

/// What is wrong in a well-formed label schema file: the field or entry at fault, and why
/// ([`LabelsError`] adds the file's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("`{field}` must not be empty")]
    EmptyField { field: String },
    #[error("version must be 1 or more, found {version}")]
    BadVersion { version: u32 },
    #[error("at least two stances are needed, found {count}")]
    TooFewStances { count: usize },
    #[error("{entry}: `{field}` must not be empty")]
    EmptyEntryField { entry: String, field: String },
    #[error("{entry}: id {id:?} must be lower-case ASCII letters, digits or underscores")]
    BadId { entry: String, id: String },
    #[error("{entry}: id {id:?} is used twice")]
    DuplicateId { entry: String, id: String },
    #[error("{entry}: stance key must be a number key 1–9, found {key}")]
    BadStanceKey { entry: String, key: i64 },
    #[error("{entry}: key {key:?} must be one lower-case ASCII letter or digit 1–9")]
    BadClaimTypeKey { entry: String, key: String },
    #[error("{entry}: key {key:?} is reserved by the app")]
    ReservedKey { entry: String, key: char },
    #[error("{entry}: key {key:?} is already used by {other}")]
    DuplicateKey {
        entry: String,
        key: char,
        other: String,
    },
    #[error("{entry}: colour {colour:?} is not #RRGGBB")]
    BadColour { entry: String, colour: String },
}

/// Why a label schema file cannot be used: unreadable, not TOML of the schema's shape, or a
/// [`SchemaError`]. Every message names the file.
pub type LabelsError = DataFileError<SchemaError>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    name: String,
    version: u32,
    #[serde(default, rename = "stance")]
    stances: Vec<RawStance>,
    #[serde(default, rename = "claim_type")]
    claim_types: Vec<RawClaimType>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStance {
    id: String,
    key: i64,
    name_en: String,
    name_ar: String,
    colour: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimType {
    id: String,
    key: String,
    name_en: String,
    name_ar: String,
    description: String,
}

impl LabelSchema {
    /// The schema shipped with the app (`schema/labels.toml`), parsed once.
    pub fn builtin() -> &'static LabelSchema {
        static BUILTIN: OnceLock<LabelSchema> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            LabelSchema::from_toml(BUILTIN_LABELS_TOML, BUILTIN_LABELS_ORIGIN)
                .expect("the built-in label schema is valid (checked by a unit test)")
        })
    }

    /// Parses and validates a schema; `origin` (usually the file path) names the file in
    /// error messages.
    pub fn from_toml(source: &str, origin: &str) -> Result<LabelSchema, LabelsError> {
        let raw: RawSchema = data_files::parse(DataFile::Labels, source, origin)?;
        Self::checked(raw, source).map_err(|problem| DataFileError::invalid(origin, problem))
    }

    /// The schema of a parsed file, if its content is usable; `source` is hashed.
    fn checked(raw: RawSchema, source: &str) -> Result<LabelSchema, SchemaError> {
        let validator = Validator;
        validator.check_schema(&raw)?;

        let mut ids = HashSet::new();
        // key → description of its owner, for clash messages.
        let mut keys: Vec<(char, String)> = Vec::new();

        let mut stances = Vec::with_capacity(raw.stances.len());
        for (index, stance) in raw.stances.into_iter().enumerate() {
            let entry = entry_name("stance", index, &stance.id);
            validator.check_texts(
                &entry,
                [
                    ("id", &stance.id),
                    ("name_en", &stance.name_en),
                    ("name_ar", &stance.name_ar),
                    ("description", &stance.description),
                ],
            )?;
            validator.check_id(&entry, &stance.id, &mut ids)?;
            let key = u8::try_from(stance.key)
                .ok()
                .filter(|key| (1..=9).contains(key))
                .ok_or_else(|| SchemaError::BadStanceKey {
                    entry: entry.clone(),
                    key: stance.key,
                })?;
            validator.claim_key(&entry, char::from(b'0' + key), &mut keys)?;
            let colour =
                Colour::from_hex(stance.colour.trim()).ok_or_else(|| SchemaError::BadColour {
                    entry: entry.clone(),
                    colour: stance.colour.clone(),
                })?;
            stances.push(StanceLabel {
                id: stance.id,
                key,
                name_en: stance.name_en,
                name_ar: stance.name_ar,
                colour,
                description: stance.description.trim().to_owned(),
            });
        }

        let mut claim_types = Vec::with_capacity(raw.claim_types.len());
        for (index, claim_type) in raw.claim_types.into_iter().enumerate() {
            let entry = entry_name("claim_type", index, &claim_type.id);
            validator.check_texts(
                &entry,
                [
                    ("id", &claim_type.id),
                    ("name_en", &claim_type.name_en),
                    ("name_ar", &claim_type.name_ar),
                    ("description", &claim_type.description),
                ],
            )?;
            validator.check_id(&entry, &claim_type.id, &mut ids)?;
            let key = single_key(&claim_type.key).ok_or_else(|| SchemaError::BadClaimTypeKey {
                entry: entry.clone(),
                key: claim_type.key.clone(),
            })?;
            if RESERVED_KEYS.contains(&key) {
                return Err(SchemaError::ReservedKey { entry, key });
            }
            validator.claim_key(&entry, key, &mut keys)?;
            claim_types.push(ClaimType {
                id: claim_type.id,
                key,
                name_en: claim_type.name_en,
                name_ar: claim_type.name_ar,
                description: claim_type.description.trim().to_owned(),
            });
        }

        Ok(LabelSchema {
            name: raw.name,
            version: raw.version,
            stances,
            claim_types,
            hash: sha256_hex(source.as_bytes()),
        })
    }

    /// The stance with this id.
    pub fn stance(&self, id: &str) -> Option<&StanceLabel> {
        self.stances.iter().find(|stance| stance.id == id)
    }

    /// The stance set by this number key (1–9).
    pub fn stance_by_key(&self, key: u8) -> Option<&StanceLabel> {
        self.stances.iter().find(|stance| stance.key == key)
    }

    /// The claim type with this id.
    pub fn claim_type(&self, id: &str) -> Option<&ClaimType> {
        self.claim_types
            .iter()
            .find(|claim_type| claim_type.id == id)
    }

    /// The claim type set by this key (case-insensitive for letters).
    pub fn claim_type_by_key(&self, key: char) -> Option<&ClaimType> {
        let key = key.to_ascii_lowercase();
        self.claim_types
            .iter()
            .find(|claim_type| claim_type.key == key)
    }
}

/// The schema's checks.
struct Validator;

impl Validator {
    fn check_schema(&self, raw: &RawSchema) -> Result<(), SchemaError> {
        if raw.name.trim().is_empty() {
            return Err(SchemaError::EmptyField {
                field: "name".to_owned(),
            });
        }
        if raw.version == 0 {
            return Err(SchemaError::BadVersion {
                version: raw.version,
            });
        }
        if raw.stances.len() < 2 {
            return Err(SchemaError::TooFewStances {
                count: raw.stances.len(),
            });
        }
        Ok(())
    }

    fn check_texts<'t>(
        &self,
        entry: &str,
        fields: impl IntoIterator<Item = (&'static str, &'t String)>,
    ) -> Result<(), SchemaError> {
        for (field, value) in fields {
            if value.trim().is_empty() {
                return Err(SchemaError::EmptyEntryField {
                    entry: entry.to_owned(),
                    field: field.to_owned(),
                });
            }
        }
        Ok(())
    }

    fn check_id(
        &self,
        entry: &str,
        id: &str,
        ids: &mut HashSet<String>,
    ) -> Result<(), SchemaError> {
        let well_formed = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            return Err(SchemaError::BadId {
                entry: entry.to_owned(),
                id: id.to_owned(),
            });
        }
        if !ids.insert(id.to_owned()) {
            return Err(SchemaError::DuplicateId {
                entry: entry.to_owned(),
                id: id.to_owned(),
            });
        }
        Ok(())
    }

    fn claim_key(
        &self,
        entry: &str,
        key: char,
        keys: &mut Vec<(char, String)>,
    ) -> Result<(), SchemaError> {
        if let Some((_, other)) = keys.iter().find(|(used, _)| *used == key) {
            return Err(SchemaError::DuplicateKey {
                entry: entry.to_owned(),
                key,
                other: other.clone(),
            });
        }
        keys.push((key, entry.to_owned()));
        Ok(())
    }
}

/// `stance #1 "favor"` (1-based position in the file, then the id), or `stance #3` when the
/// id is empty.
fn entry_name(table: &str, index: usize, id: &str) -> String {
    if id.trim().is_empty() {
        format!("{table} #{}", index + 1)
    } else {
        format!("{table} #{} {id:?}", index + 1)
    }
}

/// The key of a claim type: exactly one lower-case ASCII letter or digit 1–9.
fn single_key(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let key = chars.next()?;
    let valid = key.is_ascii_lowercase() || ('1'..='9').contains(&key);
    (chars.next().is_none() && valid).then_some(key)
}

/// Lower-case hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> &'static LabelSchema {
        LabelSchema::builtin()
    }

    #[test]
    fn builtin_schema_parses() {
        let schema = LabelSchema::from_toml(BUILTIN_LABELS_TOML, BUILTIN_LABELS_ORIGIN)
            .expect("built-in schema");
        assert_eq!(schema.version, 1);
        assert_eq!(schema.name, "isnad-default-stance");
        assert_eq!(&schema, builtin());
    }

    #[test]
    fn builtin_stances_are_the_four_default_ones_on_keys_one_to_four() {
        let ids: Vec<(&str, u8)> = builtin()
            .stances
            .iter()
            .map(|stance| (stance.id.as_str(), stance.key))
            .collect();
        assert_eq!(
            ids,
            [("favor", 1), ("against", 2), ("neutral", 3), ("unclear", 4)]
        );
        for stance in &builtin().stances {
            assert!(!stance.description.contains('\n'), "{}", stance.id);
            assert!(stance.description.len() > 80, "{}", stance.id);
        }
    }

    #[test]
    fn lookups_by_id_and_key() {
        let schema = builtin();
        assert_eq!(schema.stance("against").map(|s| s.key), Some(2));
        assert_eq!(
            schema.stance_by_key(4).map(|s| s.id.as_str()),
            Some("unclear")
        );
        assert!(schema.stance("pro").is_none());
        assert!(schema.stance_by_key(9).is_none());
        assert_eq!(
            schema.claim_type_by_key('d').map(|c| c.id.as_str()),
            Some("demand")
        );
        assert_eq!(
            schema.claim_type_by_key('D').map(|c| c.id.as_str()),
            Some("demand")
        );
        assert_eq!(schema.claim_type("denial").map(|c| c.key), Some('l'));
        assert!(schema.claim_type_by_key('s').is_none());
    }

    #[test]
    fn claim_type_keys_avoid_app_keys_and_stance_keys() {
        for claim_type in &builtin().claim_types {
            assert!(
                !RESERVED_KEYS.contains(&claim_type.key),
                "{}",
                claim_type.id
            );
            assert!(!('1'..='4').contains(&claim_type.key), "{}", claim_type.id);
        }
    }

    #[test]
    fn hash_is_sha256_of_the_file_bytes() {
        let schema = builtin();
        assert_eq!(schema.hash.len(), 64);
        assert!(schema.hash.chars().all(|c| c.is_ascii_hexdigit()));
        let edited = BUILTIN_LABELS_TOML.replacen("Favor", "Favour", 1);
        let other = LabelSchema::from_toml(&edited, "edited.toml").expect("edited schema");
        assert_ne!(other.hash, schema.hash);
        // Known vector: SHA-256 of the empty string.
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn colours_round_trip() {
        assert_eq!(
            Colour::from_hex("#1f78c1"),
            Some(Colour {
                r: 0x1F,
                g: 0x78,
                b: 0xC1
            })
        );
        assert_eq!(
            Colour::from_hex("#1F78C1").map(Colour::to_hex).as_deref(),
            Some("#1F78C1")
        );
        for bad in ["1F78C1", "#1F78C", "#1F78C1F", "#GG0000", "#١٢٣٤٥٦", ""] {
            assert_eq!(Colour::from_hex(bad), None, "{bad}");
        }
    }

    /// WCAG relative luminance.
    fn luminance(colour: Colour) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)
    }

    fn contrast(a: Colour, b: Colour) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn stance_colours_are_readable_on_light_and_dark_themes() {
        let white = Colour {
            r: 255,
            g: 255,
            b: 255,
        };
        let dark = Colour {
            r: 0x1B,
            g: 0x1B,
            b: 0x1B,
        };
        for stance in &builtin().stances {
            assert!(
                contrast(stance.colour, white) >= 3.5,
                "{} on white",
                stance.id
            );
            assert!(
                contrast(stance.colour, dark) >= 3.5,
                "{} on dark",
                stance.id
            );
        }
    }

    /// CIE L*a*b* of a linear-RGB colour (D65).
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb;
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    #[test]
    fn stance_colours_stay_apart_under_colour_vision_deficiencies() {
        // Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, applied in
        // linear RGB.
        let simulations: [(&str, [[f64; 3]; 3]); 4] = [
            (
                "normal",
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                "protanopia",
                [
                    [0.152286, 1.052583, -0.204868],
                    [0.114503, 0.786281, 0.099216],
                    [-0.003882, -0.048116, 1.051998],
                ],
            ),
            (
                "deuteranopia",
                [
                    [0.367322, 0.860646, -0.227968],
                    [0.280085, 0.672501, 0.047413],
                    [-0.011820, 0.042940, 0.968881],
                ],
            ),
            (
                "tritanopia",
                [
                    [1.255528, -0.076749, -0.178779],
                    [-0.078411, 0.930809, 0.147602],
                    [0.004733, 0.691367, 0.303900],
                ],
            ),
        ];
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let stances = &builtin().stances;
        for (name, matrix) in simulations {
            let seen: Vec<[f64; 3]> = stances
                .iter()
                .map(|stance| {
                    let rgb = [
                        linear(stance.colour.r),
                        linear(stance.colour.g),
                        linear(stance.colour.b),
                    ];
                    let mut out = [0.0; 3];
                    for (row, value) in matrix.iter().zip(out.iter_mut()) {
                        let sum: f64 = row.iter().zip(rgb).map(|(m, c)| m * c).sum();
                        *value = sum.clamp(0.0, 1.0);
                    }
                    lab(out)
                })
                .collect();
            for i in 0..seen.len() {
                for j in i + 1..seen.len() {
                    let distance: f64 = seen[i]
                        .iter()
                        .zip(seen[j])
                        .map(|(a, b)| (a - b).powi(2))
                        .sum::<f64>()
                        .sqrt();
                    assert!(
                        distance >= 25.0,
                        "{name}: {} and {} are only ΔE {distance:.1} apart",
                        stances[i].id,
                        stances[j].id
                    );
                }
            }
        }
    }

    fn broken(from: &str, to: &str) -> LabelsError {
        assert!(
            BUILTIN_LABELS_TOML.contains(from),
            "test edit {from:?} not found"
        );
        let source = BUILTIN_LABELS_TOML.replacen(from, to, 1);
        LabelSchema::from_toml(&source, "broken.toml").expect_err("must be rejected")
    }

    #[test]
    fn rejects_duplicate_ids_naming_the_entry() {
        let error = broken("id = \"against\"", "id = \"favor\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::DuplicateId { .. })),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("broken.toml: stance #2 \"favor\""),
            "{message}"
        );
    }

    #[test]
    fn rejects_duplicate_and_reserved_keys() {
        let error = broken("key = 2", "key = 1");
        assert!(
            matches!(error.problem(), Some(SchemaError::DuplicateKey { .. })),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("stance #2 \"against\""),
            "{error}"
        );
        assert!(error.to_string().contains("stance #1 \"favor\""), "{error}");

        let error = broken("key = \"d\"", "key = \"s\"");
        assert!(
            matches!(
                error.problem(),
                Some(SchemaError::ReservedKey { key: 's', .. })
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("claim_type #2 \"demand\""),
            "{error}"
        );

        let error = broken("key = \"d\"", "key = \"v\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::DuplicateKey { .. })),
            "{error:?}"
        );

        let error = broken("key = \"d\"", "key = \"1\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::DuplicateKey { .. })),
            "{error:?}"
        );

        let error = broken("key = \"d\"", "key = \"dd\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::BadClaimTypeKey { .. })),
            "{error:?}"
        );

        let error = broken("key = 4", "key = 10");
        assert!(
            matches!(
                error.problem(),
                Some(SchemaError::BadStanceKey { key: 10, .. })
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("stance #4 \"unclear\""),
            "{error}"
        );
    }

    #[test]
    fn rejects_bad_colours() {
        let error = broken("colour = \"#808080\"", "colour = \"grey\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::BadColour { .. })),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("stance #3 \"neutral\""),
            "{error}"
        );
    }

    #[test]
    fn rejects_fewer_than_two_stances() {
        let source = r##"
name = "tiny"
version = 1
[[stance]]
id = "favor"
key = 1
name_en = "Favor"
name_ar = "مؤيد"
colour = "#1F78C1"
description = "Support."
"##;
        let error = LabelSchema::from_toml(source, "tiny.toml").expect_err("one stance");
        assert_eq!(
            error.problem(),
            Some(&SchemaError::TooFewStances { count: 1 })
        );
        assert_eq!(
            error.to_string(),
            "tiny.toml: at least two stances are needed, found 1"
        );
    }

    #[test]
    fn rejects_syntax_errors_unknown_fields_and_empty_fields() {
        let error = broken("[[stance]]", "[[stance]");
        assert!(matches!(error, DataFileError::Syntax { .. }), "{error:?}");
        assert!(error.to_string().starts_with("broken.toml:"), "{error}");

        let error = broken("name_ar = \"محايد\"", "name_ar = \"محايد\"\nshade = 3");
        assert!(matches!(error, DataFileError::Syntax { .. }), "{error:?}");

        let error = broken("name_ar = \"محايد\"", "name_ar = \" \"");
        assert!(
            matches!(error.problem(), Some(SchemaError::EmptyEntryField { .. })),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("stance #3 \"neutral\""),
            "{error}"
        );

        let error = broken("id = \"neutral\"", "id = \"Neutral\"");
        assert!(
            matches!(error.problem(), Some(SchemaError::BadId { .. })),
            "{error:?}"
        );

        let error = broken("version = 1", "version = 0");
        assert!(
            matches!(error.problem(), Some(SchemaError::BadVersion { .. })),
            "{error:?}"
        );
    }
}
