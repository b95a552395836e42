//! The stance matrix: per speaker → target pair, the number of claims of each stance.

use std::collections::HashMap;

use super::tuple::StanceTuple;

/// One speaker → target pair and its claims per stance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatrixRow {
    pub speaker: String,
    pub target: String,
    /// Claims per stance, in the order of [`Matrix::stances`].
    pub counts: Vec<usize>,
    pub total: usize,
}

/// The stance matrix of a set of claims.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matrix {
    /// The stance ids, in schema order (the columns).
    pub stances: Vec<String>,
    /// Pairs by total (most claims first), then speaker, then target.
    pub rows: Vec<MatrixRow>,
    /// Tuples whose stance is not one of `stances` (not counted).
    pub unknown_stance: usize,
}

impl Matrix {
    /// Counts the tuples per speaker → target pair and stance.
    pub fn from_tuples<'a>(
        stances: &[String],
        tuples: impl IntoIterator<Item = &'a StanceTuple>,
    ) -> Matrix {
        let column: HashMap<&str, usize> = stances
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut cells: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut unknown_stance = 0;
        for tuple in tuples {
            let Some(&at) = column.get(tuple.stance.as_str()) else {
                unknown_stance += 1;
                continue;
            };
            let counts = cells
                .entry((tuple.speaker.as_str(), tuple.target.as_str()))
                .or_insert_with(|| vec![0; stances.len()]);
            counts[at] += 1;
        }
        let mut rows: Vec<MatrixRow> = cells
            .into_iter()
            .map(|((speaker, target), counts)| MatrixRow {
                speaker: speaker.to_owned(),
                target: target.to_owned(),
                total: counts.iter().sum(),
                counts,
            })
            .collect();
        rows.sort_by(|a, b| {
            b.total
                .cmp(&a.total)
                .then_with(|| a.speaker.cmp(&b.speaker))
                .then_with(|| a.target.cmp(&b.target))
        });
        Matrix {
            stances: stances.to_vec(),
            rows,
            unknown_stance,
        }
    }

    /// The count of one stance in a row (0 for a stance the matrix has no column for).
    pub fn count(&self, row: &MatrixRow, stance: &str) -> usize {
        self.stances
            .iter()
            .position(|s| s == stance)
            .and_then(|i| row.counts.get(i).copied())
            .unwrap_or(0)
    }

    /// The stance most claims of a row have (the first in schema order of equals).
    pub fn dominant<'a>(&'a self, row: &MatrixRow) -> Option<&'a str> {
        let best = row.counts.iter().copied().max().filter(|&n| n > 0)?;
        let at = row.counts.iter().position(|&n| n == best)?;
        self.stances.get(at).map(String::as_str)
    }

    /// Writes the matrix as CSV: `speaker, target`, one column per stance, `total`.
    pub fn write_csv(&self, out: impl std::io::Write) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header = vec!["speaker", "target"];
        header.extend(self.stances.iter().map(String::as_str));
        header.push("total");
        writer.write_record(&header)?;
        for row in &self.rows {
            let mut record = vec![row.speaker.clone(), row.target.clone()];
            record.extend(row.counts.iter().map(usize::to_string));
            record.push(row.total.to_string());
            writer.write_record(&record)?;
        }
        writer.flush()?;
        Ok(())
    }

    /// The matrix as JSON records, one object per pair: `speaker`, `target`, one key per
    /// stance, `total` (what pandas `read_json(orient="records")` reads as the CSV's frame).
    pub fn to_json(&self) -> serde_json::Value {
        let records: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut object = serde_json::Map::new();
                object.insert("speaker".into(), row.speaker.clone().into());
                object.insert("target".into(), row.target.clone().into());
                for (stance, count) in self.stances.iter().zip(&row.counts) {
                    object.insert(stance.clone(), (*count).into());
                }
                object.insert("total".into(), row.total.into());
                serde_json::Value::Object(object)
            })
            .collect();
        serde_json::Value::Array(records)
    }
}
