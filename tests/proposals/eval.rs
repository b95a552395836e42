//! The evaluation of proposals on the hand-labelled set of `tests/fixtures/proposals/`:
//! gold labels read from the fixtures, the system's output read from `isnad import`,
//! `isnad export --what sentences` and `isnad suggest`, and the figures of issue 14.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

/// A gold sentence: its span in the document and its labels.
pub struct GoldSentence {
    pub start: usize,
    pub end: usize,
    pub boilerplate: bool,
    pub claims: Vec<GoldClaim>,
}

/// A gold claim, as document code-point spans.
pub struct GoldClaim {
    pub cue: (usize, usize),
    pub speaker: Option<(usize, usize)>,
    /// For an implicit speaker: (sentence, claim) of the claim it refers to.
    pub implicit: Option<(usize, usize)>,
    pub content: Option<(usize, usize)>,
    /// The proper name inside the speaker phrase, when the labels give one.
    pub name: Option<(usize, usize)>,
}

/// A fixture document: the text the importer sees and its gold sentences.
pub struct GoldDocument {
    pub id: String,
    pub site: String,
    pub text: String,
    pub sentences: Vec<GoldSentence>,
}

/// Code points of the first occurrence of `part` in `sentence`, offset by `base`.
fn locate(sentence: &str, part: &str, base: usize) -> (usize, usize) {
    let byte = sentence
        .find(part)
        .unwrap_or_else(|| panic!("{part:?} is not in {sentence:?}"));
    let start = base + sentence[..byte].chars().count();
    (start, start + part.chars().count())
}

fn field<'a>(claim: &'a Value, key: &str) -> Option<&'a str> {
    claim.get(key).and_then(Value::as_str)
}

/// Reads one fixture file.
pub fn read_document(path: &Path) -> GoldDocument {
    let json: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut text = String::new();
    let mut sentences: Vec<GoldSentence> = Vec::new();
    // Speaker string → (sentence, claim) of its latest occurrence, for implicit links.
    let mut speakers: HashMap<String, (usize, usize)> = HashMap::new();
    for (line_no, line) in json["lines"].as_array().unwrap().iter().enumerate() {
        if line_no > 0 {
            text.push('\n');
        }
        for (k, sentence) in line.as_array().unwrap().iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            let t = sentence["t"].as_str().unwrap();
            let base = text.chars().count();
            text.push_str(t);
            let index = sentences.len();
            let mut claims = Vec::new();
            for claim in sentence
                .get("claims")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let implicit = field(claim, "implicit").map(|said| {
                    *speakers.get(said).unwrap_or_else(|| {
                        panic!("{}: implicit {said:?} has no antecedent", path.display())
                    })
                });
                let gold = GoldClaim {
                    cue: locate(t, field(claim, "cue").unwrap(), base),
                    speaker: field(claim, "speaker").map(|s| locate(t, s, base)),
                    implicit,
                    content: field(claim, "content").map(|c| locate(t, c, base)),
                    name: field(claim, "name").map(|n| locate(t, n, base)),
                };
                if let Some(s) = field(claim, "speaker") {
                    speakers.insert(s.to_owned(), (index, claims.len()));
                }
                claims.push(gold);
            }
            sentences.push(GoldSentence {
                start: base,
                end: base + t.chars().count(),
                boilerplate: sentence.get("bp").and_then(Value::as_bool).unwrap_or(false),
                claims,
            });
        }
    }
    GoldDocument {
        id: json["id"].as_str().unwrap().to_owned(),
        site: json["site"].as_str().unwrap().to_owned(),
        text,
        sentences,
    }
}

/// Every fixture document of a split, by file name.
pub fn read_split(dir: &Path) -> Vec<GoldDocument> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_document(p)).collect()
}

/// A system sentence from `export --what sentences`.
pub struct SystemSentence {
    pub start: usize,
    pub end: usize,
    pub boilerplate: bool,
}

/// A proposed claim from `isnad suggest`, document code points.
#[derive(Clone)]
pub struct SystemClaim {
    pub cue: (usize, usize),
    pub speaker: Option<(usize, usize)>,
    pub speaker_entity: Option<String>,
    pub content: Option<(usize, usize)>,
}

fn span(role: &Value) -> Option<(usize, usize)> {
    Some((
        usize::try_from(role.get("start")?.as_u64()?).ok()?,
        usize::try_from(role.get("end")?.as_u64()?).ok()?,
    ))
}

/// Sentences per document id.
pub fn read_sentences(jsonl: &str) -> HashMap<String, Vec<SystemSentence>> {
    let mut out: HashMap<String, Vec<SystemSentence>> = HashMap::new();
    for line in jsonl.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        out.entry(v["doc_id"].as_str().unwrap().to_owned())
            .or_default()
            .push(SystemSentence {
                start: v["start"].as_u64().unwrap() as usize,
                end: v["end"].as_u64().unwrap() as usize,
                boilerplate: v["boilerplate"].as_bool().unwrap(),
            });
    }
    out
}

/// Proposals per document id.
pub fn read_claims(jsonl: &str) -> HashMap<String, Vec<SystemClaim>> {
    let mut out: HashMap<String, Vec<SystemClaim>> = HashMap::new();
    for line in jsonl.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        out.entry(v["doc_id"].as_str().unwrap().to_owned())
            .or_default()
            .push(SystemClaim {
                cue: span(&v["cue"]).unwrap(),
                speaker: span(&v["speaker"]),
                speaker_entity: v["speaker"]["entity"].as_str().map(str::to_owned),
                content: span(&v["claim"]),
            });
    }
    out
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A ratio with its parts.
#[derive(Default, Clone, Copy)]
pub struct Ratio {
    pub hit: usize,
    pub of: usize,
}

impl Ratio {
    pub fn value(self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.hit as f64 / self.of as f64
        }
    }
    fn count(&mut self, hit: bool) {
        self.of += 1;
        self.hit += usize::from(hit);
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} ({}/{})", self.value(), self.hit, self.of)
    }
}

/// The figures of one split.
#[derive(Default)]
pub struct Figures {
    pub cue: Ratio,
    pub speaker: Ratio,
    pub implicit: Ratio,
    pub content: Ratio,
    pub boilerplate: Ratio,
    pub body_flagged: usize,
    pub boundary_precision: Ratio,
    pub boundary_recall: Ratio,
    pub proposals: usize,
    pub false_proposals: usize,
    /// Gold names (inside explicit speakers) that the proposed speaker span equals exactly.
    pub name_exact: Ratio,
    /// Right proposals (cue, and the explicit or implicit speaker, right) and how many of
    /// them name a speaker new to the project at that point (one more key: Enter).
    pub right: usize,
    pub right_with_new_name: usize,
    pub misses: Vec<String>,
}

impl Figures {
    pub fn boundary_f1(&self) -> f64 {
        let (p, r) = (
            self.boundary_precision.value(),
            self.boundary_recall.value(),
        );
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn slice(text: &str, (start, end): (usize, usize)) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Scores one document into `figures`.
pub fn score(
    gold: &GoldDocument,
    sentences: &[SystemSentence],
    claims: &[SystemClaim],
    figures: &mut Figures,
) {
    score_segments(gold, sentences, figures);
    figures.proposals += claims.len();
    let gold_cues: Vec<(usize, usize)> = gold
        .sentences
        .iter()
        .flat_map(|s| s.claims.iter().map(|c| c.cue))
        .collect();
    figures.false_proposals += claims
        .iter()
        .filter(|c| !gold_cues.iter().any(|&g| overlaps(g, c.cue)))
        .count();
    let matched = |cue: (usize, usize)| claims.iter().find(|c| overlaps(c.cue, cue));
    let mut known_names: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (index, sentence) in gold.sentences.iter().enumerate() {
        for claim in &sentence.claims {
            let found = matched(claim.cue);
            figures.cue.count(found.is_some());
            if found.is_none() {
                figures.misses.push(format!(
                    "{} cue {:?}",
                    gold.id,
                    slice(&gold.text, claim.cue)
                ));
            }
            if let Some(gold_speaker) = claim.speaker {
                let hit = found
                    .and_then(|c| c.speaker)
                    .is_some_and(|s| overlaps(s, gold_speaker));
                figures.speaker.count(hit);
                if let Some(name) = claim.name {
                    figures
                        .name_exact
                        .count(found.and_then(|c| c.speaker) == Some(name));
                }
                if hit {
                    figures.right += 1;
                    let entity = found
                        .and_then(|c| c.speaker_entity.clone())
                        .unwrap_or_default();
                    if known_names.insert(entity) {
                        figures.right_with_new_name += 1;
                    }
                }
                if !hit {
                    figures.misses.push(format!(
                        "{} speaker {:?} got {:?}",
                        gold.id,
                        slice(&gold.text, gold_speaker),
                        found.and_then(|c| c.speaker).map(|s| slice(&gold.text, s))
                    ));
                }
            }
            if let Some((at_sentence, at_claim)) = claim.implicit {
                let antecedent = &gold.sentences[at_sentence].claims[at_claim];
                let linked = antecedent.speaker.and_then(|gold_span| {
                    claims.iter().find(|c| {
                        overlaps(c.cue, antecedent.cue)
                            && c.speaker.is_some_and(|s| overlaps(s, gold_span))
                    })
                });
                let hit = match (found, linked) {
                    (Some(proposal), Some(earlier)) => {
                        proposal.speaker.is_none()
                            && proposal.speaker_entity.is_some()
                            && proposal.speaker_entity == earlier.speaker_entity
                    }
                    _ => false,
                };
                figures.implicit.count(hit);
                if hit {
                    figures.right += 1;
                }
                if !hit {
                    figures.misses.push(format!(
                        "{} implicit at {:?} (sentence {index}) got {:?}",
                        gold.id,
                        slice(&gold.text, claim.cue),
                        found.map(|c| (
                            c.speaker_entity.clone(),
                            c.speaker.map(|s| slice(&gold.text, s))
                        ))
                    ));
                }
            }
            if let Some(gold_content) = claim.content {
                let hit = found
                    .and_then(|c| c.content)
                    .is_some_and(|s| overlaps(s, gold_content));
                figures.content.count(hit);
            }
        }
    }
}

/// Sentence boundaries and boilerplate flags.
pub fn score_segments(gold: &GoldDocument, sentences: &[SystemSentence], figures: &mut Figures) {
    let gold_ends: BTreeSet<usize> = gold.sentences.iter().map(|s| s.end).collect();
    let system_ends: BTreeSet<usize> = sentences.iter().map(|s| s.end).collect();
    for end in &system_ends {
        figures.boundary_precision.count(gold_ends.contains(end));
    }
    for end in &gold_ends {
        figures.boundary_recall.count(system_ends.contains(end));
    }
    for sentence in &gold.sentences {
        let flagged = sentences
            .iter()
            .filter(|s| overlaps((s.start, s.end), (sentence.start, sentence.end)))
            .any(|s| s.boilerplate);
        if sentence.boilerplate {
            figures.boilerplate.count(flagged);
            if !flagged {
                figures.misses.push(format!(
                    "{} boilerplate not flagged: {:?}",
                    gold.id,
                    slice(&gold.text, (sentence.start, sentence.end))
                ));
            }
        } else if flagged {
            figures.body_flagged += 1;
            figures.misses.push(format!(
                "{} BODY FLAGGED: {:?}",
                gold.id,
                slice(&gold.text, (sentence.start, sentence.end))
            ));
        }
    }
}
