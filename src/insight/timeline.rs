//! Stance counts over time: per week or month of the documents' `published` date.

use std::collections::BTreeMap;

use super::tuple::StanceTuple;

/// How claims are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Period {
    /// ISO 8601 weeks (`2024-W09`: Monday to Sunday; the week's year may differ from the
    /// date's in the first and last days of a year).
    Week,
    /// Calendar months (`2024-03`).
    #[default]
    Month,
}

/// Stance counts per period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    /// The stance ids, in schema order.
    pub stances: Vec<String>,
    /// Per period (in time order): claims per stance, in the order of `stances`.
    pub periods: Vec<(String, Vec<usize>)>,
    /// Claims of documents with no `published` date.
    pub undated: usize,
    /// Claims of documents whose `published` is not a date (`YYYY-MM-DD…`).
    pub unreadable: usize,
    /// Claims whose stance is not one of `stances`.
    pub unknown_stance: usize,
}

/// The period of a `published` value: its leading `YYYY-MM-DD` read as a calendar date.
pub fn period_of(published: &str, period: Period) -> Option<String> {
    let date: jiff::civil::Date = published.get(..10)?.parse().ok()?;
    Some(match period {
        Period::Month => format!("{:04}-{:02}", date.year(), date.month()),
        Period::Week => {
            let week = date.iso_week_date();
            format!("{:04}-W{:02}", week.year(), week.week())
        }
    })
}

impl Timeline {
    /// Counts the tuples per period and stance.
    pub fn from_tuples<'a>(
        stances: &[String],
        period: Period,
        tuples: impl IntoIterator<Item = &'a StanceTuple>,
    ) -> Timeline {
        let mut timeline = Timeline {
            stances: stances.to_vec(),
            ..Timeline::default()
        };
        let mut periods: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for tuple in tuples {
            let Some(at) = stances.iter().position(|s| *s == tuple.stance) else {
                timeline.unknown_stance += 1;
                continue;
            };
            let Some(published) = tuple.published.as_deref().filter(|p| !p.trim().is_empty())
            else {
                timeline.undated += 1;
                continue;
            };
            let Some(key) = period_of(published.trim(), period) else {
                timeline.unreadable += 1;
                continue;
            };
            periods.entry(key).or_insert_with(|| vec![0; stances.len()])[at] += 1;
        }
        timeline.periods = periods.into_iter().collect();
        timeline
    }

    /// Writes the timeline as CSV: `period`, one column per stance, `total`.
    pub fn write_csv(&self, out: impl std::io::Write) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header = vec!["period"];
        header.extend(self.stances.iter().map(String::as_str));
        header.push("total");
        writer.write_record(&header)?;
        for (period, counts) in &self.periods {
            let mut record = vec![period.clone()];
            record.extend(counts.iter().map(usize::to_string));
            record.push(counts.iter().sum::<usize>().to_string());
            writer.write_record(&record)?;
        }
        writer.flush()?;
        Ok(())
    }

    /// The timeline as JSON: `periods` (records like the CSV's rows), and the claims left
    /// out with why (`undated`, `unreadable_date`, `unknown_stance`).
    pub fn to_json(&self) -> serde_json::Value {
        let periods: Vec<serde_json::Value> = self
            .periods
            .iter()
            .map(|(period, counts)| {
                let mut object = serde_json::Map::new();
                object.insert("period".into(), period.clone().into());
                for (stance, count) in self.stances.iter().zip(counts) {
                    object.insert(stance.clone(), (*count).into());
                }
                object.insert("total".into(), counts.iter().sum::<usize>().into());
                serde_json::Value::Object(object)
            })
            .collect();
        serde_json::json!({
            "periods": periods,
            "undated": self.undated,
            "unreadable_date": self.unreadable,
            "unknown_stance": self.unknown_stance,
        })
    }
}
