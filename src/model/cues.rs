//! The project's own reporting cues: cue forms the annotators marked that the cue list does
//! not know (proposed to the lead as cue-file entries), and the project cue file (extra
//! `[[cue]]` entries, stored in the project) that the matcher uses beside the built-in list.

use std::collections::{BTreeMap, HashMap};

use crate::corpus::normalize::fold;
use crate::store::Store;
use crate::suggest::{BUILTIN_CUES_ORIGIN, BUILTIN_CUES_TOML, CueMatcher};

use super::error::{ModelError, ModelResult};

/// The project meta key holding the project's extra cue entries (cue-file TOML).
pub const PROJECT_CUES: &str = "project_cues";

/// A cue form annotators marked that no listed cue matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedCue {
    /// The form as most often written, without an attached و/ف.
    pub form: String,
    /// How many confirmed claims mark it.
    pub claims: usize,
    /// One of those claims: document id and sentence index.
    pub example: (String, usize),
}

/// The cue matcher of a project: the built-in cue list plus the project's own entries.
pub fn project_cue_matcher(store: &dyn Store) -> ModelResult<CueMatcher> {
    let extra = store.meta(PROJECT_CUES)?;
    matcher_with(extra.as_deref())
}

fn matcher_with(extra: Option<&str>) -> ModelResult<CueMatcher> {
    match extra {
        None => Ok(CueMatcher::builtin().clone()),
        Some(extra) => {
            let combined = format!("{BUILTIN_CUES_TOML}\n{extra}");
            CueMatcher::from_toml(&combined, "the project's cue list").map_err(|e| {
                ModelError::Invalid(format!(
                    "{e} (the project's entries come after those of {BUILTIN_CUES_ORIGIN})"
                ))
            })
        }
    }
}

/// Replaces the project's extra cue entries with `toml_text` (checked together with the
/// built-in list first: a form listed twice is refused with the entry at fault).
pub fn set_project_cues(store: &mut dyn Store, toml_text: &str) -> ModelResult<usize> {
    let matcher = matcher_with(Some(toml_text))?;
    store.set_meta(PROJECT_CUES, toml_text)?;
    Ok(matcher.entries().len() - CueMatcher::builtin().entries().len())
}

/// Of one folded cue form: the written forms with their counts, the claims, the first example.
type Seen = (HashMap<String, usize>, usize, (String, usize));

/// Cue forms of confirmed claims that the project's matcher does not find, most marked first.
pub fn unlisted_cue_forms(store: &dyn Store) -> ModelResult<Vec<UnlistedCue>> {
    let cues = project_cue_matcher(store)?;
    let (claims, _) = store.content_decisions(None)?;
    let mut texts: HashMap<String, String> = HashMap::new();
    // Folded form → what was seen of it.
    let mut found: BTreeMap<String, Seen> = BTreeMap::new();
    for claim in claims {
        let Some(span) = claim.cue_span else { continue };
        if !texts.contains_key(&claim.doc_id) {
            let text = store
                .document(&claim.doc_id)?
                .map(|d| d.text)
                .unwrap_or_default();
            texts.insert(claim.doc_id.clone(), text);
        }
        let text = &texts[&claim.doc_id];
        let marked: String = text.chars().skip(span.start).take(span.len()).collect();
        let marked = marked.trim();
        if marked.is_empty()
            || !marked.chars().any(char::is_alphabetic)
            || !cues.find_cues(marked).is_empty()
        {
            continue;
        }
        let written = crate::propose::words::strip_conjunction(marked).to_owned();
        let entry = found.entry(fold(&written)).or_insert_with(|| {
            (
                HashMap::new(),
                0,
                (claim.doc_id.clone(), claim.sentence_idx),
            )
        });
        *entry.0.entry(written).or_default() += 1;
        entry.1 += 1;
    }
    let mut out: Vec<UnlistedCue> = found
        .into_values()
        .map(|(written, claims, example)| {
            let mut forms: Vec<(String, usize)> = written.into_iter().collect();
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            UnlistedCue {
                form: forms.first().map(|f| f.0.clone()).unwrap_or_default(),
                claims,
                example,
            }
        })
        .collect();
    out.sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.form.cmp(&b.form)));
    Ok(out)
}

/// Cue-file entries for unlisted forms, ready to be reviewed and given to
/// [`set_project_cues`] (`isnad cues --add`).
pub fn as_cue_entries(unlisted: &[UnlistedCue]) -> String {
    let mut out = String::new();
    for cue in unlisted {
        out.push_str(&format!(
            "# {} confirmed claim(s) mark “{}” as their cue (e.g. document {}, sentence {}).\n\
             [[cue]]\nlemma = {:?}\ngloss = \"\"\nforms = [{:?}]\n\n",
            cue.claims, cue.form, cue.example.0, cue.example.1, cue.form, cue.form
        ));
    }
    out
}
