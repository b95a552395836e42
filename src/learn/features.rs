//! Hashed sparse features of a claim, and the columns a trained model keeps of them.
//!
//! A feature is a string ("w:ماضية", "c3:ماض", "pair:لافروف|سوريا") hashed with 64-bit
//! FNV-1a into one of [`BUCKETS`] buckets. Training keeps only the buckets seen in at least
//! [`MIN_DOCUMENT_COUNT`] examples and numbers them densely ([`Columns`]), so the learner's
//! matrix has as many columns as the data has evidence for, not a million.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::normalize::fold;

use super::types::ClaimText;

/// The hash space of features.
pub const BUCKETS: u64 = 1 << 20;

/// A bucket is a column when at least this many training examples have it.
pub const MIN_DOCUMENT_COUNT: usize = 2;

/// Words that turn a clause around: a claim "لن تقبل" is not one "تقبل".
pub const NEGATIONS: &[&str] = &[
    "لا", "لن", "لم", "ليس", "ليست", "غير", "عدم", "دون", "بدون", "رفض", "ترفض", "يرفض", "لما",
];

/// 64-bit FNV-1a: stable across runs, platforms and compiler versions (the standard
/// library's hasher is not), so a model's features are deterministic.
pub fn hash(feature: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in feature.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % BUCKETS
}

/// The folded words of a text, punctuation stripped.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The hashed stance features of a claim: a set of buckets (binary features).
pub fn stance_features(claim: &ClaimText<'_>) -> BTreeSet<u64> {
    let mut out = BTreeSet::new();
    let mut add = |feature: String| {
        out.insert(hash(&feature));
    };
    let content = words(claim.content);
    for (index, word) in content.iter().enumerate() {
        add(format!("w:{word}"));
        if let Some(next) = content.get(index + 1) {
            add(format!("b:{word}_{next}"));
        }
        for gram in char_grams(word, 3).chain(char_grams(word, 4)) {
            add(format!("c:{gram}"));
        }
        if NEGATIONS.contains(&word.as_str()) {
            add("neg".into());
            if let Some(next) = content.get(index + 1) {
                add(format!("neg:{next}"));
            }
        }
    }
    let content_set: BTreeSet<&String> = content.iter().collect();
    for word in words(claim.sentence) {
        if !content_set.contains(&word) {
            add(format!("s:{word}"));
        }
    }
    add(format!("cue:{}", fold(claim.cue)));
    let speaker = claim.speaker.map(fold);
    let target = claim.target.map(fold);
    if let Some(speaker) = &speaker {
        add(format!("spk:{speaker}"));
    }
    if let Some(target) = &target {
        add(format!("tgt:{target}"));
        for (before, after) in around(&content, &words(target)) {
            add(format!("tb:{before}"));
            add(format!("ta:{after}"));
        }
    }
    if let (Some(speaker), Some(target)) = (&speaker, &target) {
        add(format!("pair:{speaker}|{target}"));
    }
    out
}

/// The words just before and after each occurrence of `needle` in `haystack` ("^"/"$" at
/// the ends).
fn around(haystack: &[String], needle: &[String]) -> Vec<(String, String)> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return Vec::new();
    }
    (0..=haystack.len() - needle.len())
        .filter(|&i| haystack[i..i + needle.len()] == *needle)
        .map(|i| {
            let before = i.checked_sub(1).map_or("^", |b| haystack[b].as_str());
            let after = haystack.get(i + needle.len()).map_or("$", String::as_str);
            (before.to_owned(), after.to_owned())
        })
        .collect()
}

/// The character n-grams of a word with its boundaries marked ("<ماض", "ضية>").
fn char_grams(word: &str, n: usize) -> impl Iterator<Item = String> {
    let chars: Vec<char> = std::iter::once('<')
        .chain(word.chars())
        .chain(std::iter::once('>'))
        .collect();
    let count = chars.len().saturating_sub(n - 1);
    (0..count).map(move |i| chars[i..i + n].iter().collect())
}

/// The buckets a model keeps, numbered as its matrix's columns.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    index: BTreeMap<u64, usize>,
}

impl Columns {
    /// The buckets present in at least `min_count` of `rows`.
    pub fn from_rows(rows: &[BTreeSet<u64>], min_count: usize) -> Columns {
        let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
        for row in rows {
            for &bucket in row {
                *counts.entry(bucket).or_default() += 1;
            }
        }
        let index = counts
            .into_iter()
            .filter(|&(_, count)| count >= min_count)
            .map(|(bucket, _)| bucket)
            .enumerate()
            .map(|(column, bucket)| (bucket, column))
            .collect();
        Columns { index }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Writes a row's kept buckets into `out` (as long as [`Columns::len`]) as an
    /// L2-normalised binary vector.
    pub fn fill(&self, row: &BTreeSet<u64>, out: &mut [f64]) {
        let kept: Vec<usize> = row
            .iter()
            .filter_map(|bucket| self.index.get(bucket).copied())
            .collect();
        if kept.is_empty() {
            return;
        }
        let value = 1.0 / (kept.len() as f64).sqrt();
        for column in kept {
            out[column] = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_stable() {
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c % BUCKETS);
    }

    #[test]
    fn features_name_the_content_the_negation_and_the_pair() {
        let claim = ClaimText {
            sentence: "وقال لافروف إن موسكو لن تقبل بأي تدخل في سوريا.",
            content: "إن موسكو لن تقبل بأي تدخل في سوريا",
            cue: "وقال",
            speaker: Some("لافروف"),
            target: Some("سوريا"),
        };
        let features = stance_features(&claim);
        for wanted in [
            "w:تقبل",
            "neg",
            "neg:تقبل",
            "pair:لافروف|سوريا",
            "tb:في",
            "ta:$",
        ] {
            assert!(features.contains(&hash(wanted)), "{wanted}");
        }
        assert!(features.contains(&hash(&format!("cue:{}", fold("وقال")))));
    }

    #[test]
    fn columns_keep_what_enough_rows_share() {
        let rows = vec![
            BTreeSet::from([1, 2]),
            BTreeSet::from([2, 3]),
            BTreeSet::from([2]),
        ];
        let columns = Columns::from_rows(&rows, 2);
        assert_eq!(columns.len(), 1);
        let mut out = vec![0.0; 1];
        columns.fill(&rows[0], &mut out);
        assert_eq!(out, vec![1.0]);
    }
}
