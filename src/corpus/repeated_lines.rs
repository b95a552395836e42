//! Lines that repeat across documents: a site prints the same chrome (its share row, "موضوعات
//! مقترحة", its footer, a weather widget) on every page, so a short line found in several
//! documents of one source is boilerplate even when no rule knows its words. The sentences of
//! such a line are flagged with the `[repeated_line]` id of `schema/boilerplate.toml`.
//!
//! Documents are grouped by their `source` when they have one; those without one form one
//! group, the import batch as a whole. A line counts when it is not the document's title (the
//! first non-empty line, or a line equal to the given title), is at most
//! `[repeated_line].max_chars` long and does not read as a body sentence
//! ([`RepeatedLine::looks_like_body`]: a reporting cue or verb, more than a few words ending in
//! punctuation, too many words). It is flagged when its match form (the folded text rules
//! match, every number as one `0`) is in at least `min_documents` distinct documents of its
//! group (documents with the same text count once: the same article imported twice repeats
//! every line).
//!
//! Why 2 documents by default: a site's chrome is on every page, so two pages of it in one
//! batch already show it twice; a short line without a verb that two different articles
//! both print on a line of its own is almost always page furniture. The body guard, not the
//! count, keeps content safe: agencies' copy is printed word for word by many sites, and
//! those sentences repeat too.
//!
//! Counting and flagging are separate ([`LineCounts::add`], [`LineCounts::flag`]) so that the
//! importer can count every file of a run first and flag each file as it stores it;
//! [`flag_repeated_lines`] does both over documents held in memory. Sentences already flagged
//! keep their first reason. Pure: no store, no files.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use super::boilerplate::{BoilerplateRules, RepeatedLine};
use super::segment::line_ranges;
use crate::domain::NewDocument;

/// What a document contributes to the counts: its group, its id and the distinct lines that
/// may count (hashes of their match forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLines {
    group: u64,
    id: u64,
    lines: Vec<u64>,
}

/// In how many distinct documents of each group each countable line is.
#[derive(Debug, Default)]
pub struct LineCounts {
    /// (group, line) → documents.
    counts: HashMap<(u64, u64), u32>,
    /// (group, document text) already counted.
    seen: HashSet<(u64, u64)>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The group of a document: its source (trimmed) when it has one, else the batch.
fn group_of(source: Option<&str>) -> u64 {
    hash_of(source.map(str::trim).filter(|source| !source.is_empty()))
}

/// The key a line is counted under: its match form with every run of digits as one `0`, so
/// that chrome carrying a number that changes from page to page ("عدد المشاهدات: 512",
/// "منذ 3 ساعات") is the same line on every page.
fn shape(form: &str) -> String {
    let mut key = String::with_capacity(form.len());
    let mut in_digits = false;
    for c in form.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('0');
            }
            in_digits = true;
        } else {
            key.push(c);
            in_digits = false;
        }
    }
    key
}

/// The lines of `text` that may count as repeated: their byte ranges and the hashes of their
/// match forms, in text order.
fn countable_lines(
    text: &str,
    title: &str,
    rules: &BoilerplateRules,
    check: &RepeatedLine,
) -> Vec<(Range<usize>, u64)> {
    let title_form = rules.match_form(title).filter(|form| !form.is_empty());
    let mut first_form: Option<String> = None;
    let mut found = Vec::new();
    let mut seen_first = false;
    for range in line_ranges(text) {
        let Some(line) = text.get(range.clone()) else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        if !seen_first {
            // The title line is never boilerplate, nor a line equal to it.
            seen_first = true;
            first_form = rules.match_form(line);
            continue;
        }
        // Most lines are body sentences: told apart on the text as written (words and final
        // punctuation are the same in the match form) before folding anything.
        if check.too_long(line) || check.looks_like_body_by_shape(line) {
            continue;
        }
        let Some(form) = rules.match_form(line) else {
            continue;
        };
        if form.is_empty()
            || title_form.as_ref() == Some(&form)
            || first_form.as_ref() == Some(&form)
            || check.looks_like_body(&form)
        {
            continue;
        }
        found.push((range, hash_of(shape(&form))));
    }
    found
}

/// What one document contributes to the counts. Without a `[repeated_line]` check, nothing.
/// Documents are told apart by their text: the same text twice is one document.
pub fn document_lines(
    source: Option<&str>,
    title: &str,
    text: &str,
    rules: &BoilerplateRules,
) -> DocumentLines {
    let mut lines: Vec<u64> = match rules.repeated_line() {
        Some(check) => countable_lines(text, title, rules, check)
            .into_iter()
            .map(|(_, line)| line)
            .collect(),
        None => Vec::new(),
    };
    lines.sort_unstable();
    lines.dedup();
    DocumentLines {
        group: group_of(source),
        id: hash_of(text),
        lines,
    }
}

impl LineCounts {
    /// Counts a document's lines, once per document text and group.
    pub fn add(&mut self, document: DocumentLines) {
        if !self.seen.insert((document.group, document.id)) {
            return;
        }
        for line in document.lines {
            *self.counts.entry((document.group, line)).or_default() += 1;
        }
    }

    /// Counts a document that is already prepared.
    pub fn add_document(&mut self, document: &NewDocument, rules: &BoilerplateRules) {
        self.add(document_lines(
            document.source.as_deref(),
            &document.title,
            &document.text,
            rules,
        ));
    }

    /// Flags the sentences of `document`'s repeated lines that no rule flagged; returns how
    /// many it flagged. Each sentence belongs to the line holding its first character.
    pub fn flag(&self, document: &mut NewDocument, rules: &BoilerplateRules) -> usize {
        let Some(check) = rules.repeated_line() else {
            return 0;
        };
        let group = group_of(document.source.as_deref());
        let min = u32::try_from(check.min_documents()).unwrap_or(u32::MAX);
        let repeated: Vec<Range<usize>> =
            countable_lines(&document.text, &document.title, rules, check)
                .into_iter()
                .filter(|(_, line)| self.counts.get(&(group, *line)).is_some_and(|n| *n >= min))
                .map(|(range, _)| range)
                .collect();
        if repeated.is_empty() {
            return 0;
        }
        let lines = code_point_ranges(&document.text, &repeated);
        let mut flagged = 0;
        for sentence in &mut document.sentences {
            if sentence.boilerplate.is_some() {
                continue;
            }
            // Lines are in text order: the last one starting at or before the sentence.
            let holder = lines.partition_point(|line| line.start <= sentence.start);
            if holder > 0
                && lines
                    .get(holder - 1)
                    .is_some_and(|line| sentence.start <= line.end)
            {
                sentence.boilerplate = Some(check.id().to_owned());
                flagged += 1;
            }
        }
        flagged
    }
}

/// The code-point ranges of the byte ranges `ranges` (in text order, on char boundaries).
fn code_point_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut advance = |to: usize| {
        let piece = text.get(byte..to).unwrap_or_default();
        chars += piece.chars().count();
        byte = byte.max(to);
        chars
    };
    ranges
        .iter()
        .map(|range| {
            let start = advance(range.start);
            let end = advance(range.end);
            start..end
        })
        .collect()
}

/// Flags the repeated lines of `documents`, counted over these documents alone (one import
/// batch held in memory); returns how many sentences it flagged.
pub fn flag_repeated_lines(documents: &mut [NewDocument], rules: &BoilerplateRules) -> usize {
    let mut counts = LineCounts::default();
    for document in documents.iter() {
        counts.add_document(document, rules);
    }
    documents
        .iter_mut()
        .map(|document| counts.flag(document, rules))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::boilerplate::flag_boilerplate;
    use crate::corpus::segment::{SegmentationRules, split_sentences};
    use crate::domain::NewSentence;

    fn rules() -> &'static BoilerplateRules {
        BoilerplateRules::builtin()
    }

    /// A document as the importer prepares it (rule flags included).
    fn document(id: &str, source: Option<&str>, text: &str) -> NewDocument {
        let spans = split_sentences(text, SegmentationRules::builtin());
        let flags = flag_boilerplate(text, &spans, rules());
        NewDocument {
            id: id.to_owned(),
            title: text.lines().next().unwrap_or_default().to_owned(),
            text: text.to_owned(),
            source: source.map(str::to_owned),
            url: None,
            published: None,
            encoding: "UTF-8".to_owned(),
            metadata: serde_json::Map::new(),
            origin: format!("{id}.txt"),
            sentences: spans
                .iter()
                .zip(flags)
                .map(|(span, boilerplate)| NewSentence {
                    start: span.start,
                    end: span.end,
                    text: span.text(text).unwrap().to_owned(),
                    boilerplate,
                })
                .collect(),
        }
    }

    /// (sentence text, reason) of the flagged sentences.
    fn flagged(document: &NewDocument) -> Vec<(&str, &str)> {
        document
            .sentences
            .iter()
            .filter_map(|s| Some((s.text.as_str(), s.boilerplate.as_deref()?)))
            .collect()
    }

    // Made-up pages of one made-up site: the same chrome around different articles.
    const PAGE_A: &str = "وزير الخارجية يصل إلى أنقرة في زيارة رسمية\nنبض الشام\nالقسم السياسي | خاص\nوصل وزير الخارجية إلى أنقرة صباح اليوم في زيارة تستمر يومين.\nوقال مصدر في الوزارة إن الزيارة تتناول ملف المعابر.\nملحق الأحد الثقافي\nنبض الشام";
    const PAGE_B: &str = "ارتفاع أسعار الخبز في ريف حلب\nنبض الشام\nالقسم السياسي | خاص\nارتفعت أسعار الخبز في ريف حلب الشمالي للمرة الثالثة هذا العام.\nوأكد أحد الأفران أن الطحين لم يصل منذ أسبوع.\nملحق الأحد الثقافي\nنبض الشام";

    #[test]
    fn chrome_printed_on_two_pages_is_flagged_on_both() {
        let mut documents = [document("a", None, PAGE_A), document("b", None, PAGE_B)];
        let flagged_count = flag_repeated_lines(&mut documents, rules());
        assert_eq!(flagged_count, 8);
        for document in &documents {
            assert_eq!(
                flagged(document),
                [
                    ("نبض الشام", "repeated_line"),
                    ("القسم السياسي | خاص", "repeated_line"),
                    ("ملحق الأحد الثقافي", "repeated_line"),
                    ("نبض الشام", "repeated_line"),
                ]
            );
        }
    }

    #[test]
    fn one_page_alone_has_no_repeated_line() {
        // The site name is twice in one page, but in one document only.
        let mut documents = [document("a", None, PAGE_A)];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 0);
    }

    #[test]
    fn the_same_article_twice_counts_once() {
        let mut documents = [document("a", None, PAGE_A), document("a", None, PAGE_A)];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 0);
    }

    #[test]
    fn documents_are_grouped_by_source() {
        let mut documents = [
            document("a", Some("site-1"), PAGE_A),
            document("b", Some("site-2"), PAGE_B),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 0);
        let mut documents = [
            document("a", Some("site-1"), PAGE_A),
            document("b", Some(" site-1 "), PAGE_B),
            document("c", None, PAGE_B),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 8);
        assert!(flagged(&documents[2]).is_empty());
    }

    #[test]
    fn body_sentences_repeated_word_for_word_stay_content() {
        // Agency copy printed by two pages: cues, verbs and full sentences are content.
        let shared = [
            "وقال المتحدث باسم الوزارة إن المفاوضات مستمرة",
            "وأضافت الوزارة: لا تعليق",
            "أعلنت الحكومة عن خطة جديدة للطاقة.",
            "وصلت قافلة المساعدات إلى المدينة بعد أسبوع من الانتظار.",
            "مصادر: الاتفاق لن يوقع قبل الخريف",
            "أن الاتفاق بات قريباً",
            "الأمم المتحدة تحذر من موجة نزوح جديدة في شمال غرب سوريا وتدعو إلى فتح المعابر فوراً",
        ]
        .join("\n");
        let mut documents = [
            document("a", None, &format!("عنوان أول\n{shared}")),
            document("b", None, &format!("عنوان ثان\n{shared}")),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 0);
    }

    #[test]
    fn a_title_is_never_a_repeated_line() {
        // The same headline on two pages (a follow-up), and as the title's twin line.
        let title = "لقاء ثلاثي في جنيف";
        let mut documents = [
            document(
                "a",
                None,
                &format!("{title}\nنص أول طويل بما يكفي.\nركن القراء"),
            ),
            document(
                "b",
                None,
                &format!("{title}\nنص ثان مختلف تماماً.\nركن القراء"),
            ),
            document("c", None, &format!("عنوان آخر\n{title}\nركن القراء")),
        ];
        flag_repeated_lines(&mut documents, rules());
        for document in &documents[..2] {
            assert_eq!(flagged(document), [("ركن القراء", "repeated_line")]);
        }
        // In c the headline line is not c's title: it repeats a's and b's title lines, which
        // do not count, so it is content too.
        assert_eq!(flagged(&documents[2]), [("ركن القراء", "repeated_line")]);
    }

    #[test]
    fn a_rule_keeps_its_reason() {
        let text = |body: &str| format!("عنوان {body}\nشارك\n{body}.\nشارك");
        let mut documents = [
            document("a", None, &text("أول")),
            document("b", None, &text("ثان")),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 0);
        assert_eq!(
            flagged(&documents[0]),
            [("شارك", "share_buttons"), ("شارك", "share_buttons")]
        );
    }

    #[test]
    fn every_sentence_of_a_repeated_line_is_flagged() {
        let chrome = "حقوق الصور: الأرشيف. تصميم: الموقع";
        let mut documents = [
            document("a", None, &format!("عنوان أول\nنص أول.\n{chrome}")),
            document("b", None, &format!("عنوان ثان\nنص ثان.\n{chrome}")),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 4);
        assert_eq!(documents[0].sentences.len(), 4);
    }

    #[test]
    fn counting_in_two_steps_is_the_same_as_in_one() {
        let mut one = [document("a", None, PAGE_A), document("b", None, PAGE_B)];
        flag_repeated_lines(&mut one, rules());
        let mut counts = LineCounts::default();
        for text in [PAGE_A, PAGE_B] {
            let title = text.lines().next().unwrap();
            counts.add(document_lines(None, title, text, rules()));
        }
        let mut two = [document("a", None, PAGE_A), document("b", None, PAGE_B)];
        for document in &mut two {
            counts.flag(document, rules());
        }
        assert_eq!(one, two);
    }

    #[test]
    fn numbers_that_change_from_page_to_page_are_the_same_line() {
        let text =
            |body: &str, n: usize| format!("عنوان {body}\nقرّاء هذه الصفحة {n}\n{body} طويل.");
        let mut documents = [
            document("a", None, &text("أول", 12)),
            document("b", None, &text("ثان", 3407)),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 2);
        assert_eq!(shape("منذ 3 ساعات و12 دقيقة"), "منذ 0 ساعات و0 دقيقة");
    }

    #[test]
    fn crlf_and_blank_lines_are_handled() {
        let text = |body: &str| format!("\r\nعنوان {body}\r\n\r\nزاوية الرأي\r\n{body} طويل.\r\n");
        let mut documents = [
            document("a", None, &text("أول")),
            document("b", None, &text("ثان")),
        ];
        assert_eq!(flag_repeated_lines(&mut documents, rules()), 2);
        assert_eq!(flagged(&documents[1]), [("زاوية الرأي", "repeated_line")]);
    }
}
