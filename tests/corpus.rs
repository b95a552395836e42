//! The import pipeline's fast paths give exactly what their reference definitions give, on
//! the benchmark corpus (`benches/common/corpus.rs`, the articles `benches/compare.sh`
//! imports): the same boilerplate flags as trying every pattern one by one, the same
//! normalised text (hence the same ids) as the first id normalisation. Ids and flags are
//! stored in projects: they must never change.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

#[path = "../benches/common/corpus.rs"]
mod corpus;

use isnad::corpus::boilerplate::{
    BoilerplateRules, flag_boilerplate, flag_boilerplate_each_pattern,
};
use isnad::corpus::ids::{normalise_for_id, normalise_for_id_reference};
use isnad::corpus::segment::{SegmentationRules, split_sentences};

#[test]
fn fast_paths_match_their_references_on_the_benchmark_corpus() {
    let pool = corpus::SentencePool::from_seeds();
    let segmentation = SegmentationRules::builtin();
    let rules = BoilerplateRules::builtin();
    let counts = corpus::sentence_counts(corpus::DEFAULT_SEED, 300, 7_500);
    let (mut sentences, mut flagged) = (0, 0);
    for (index, count) in counts.into_iter().enumerate() {
        let text = corpus::article_text(&pool, corpus::DEFAULT_SEED, index, count);
        assert_eq!(
            normalise_for_id(&text),
            normalise_for_id_reference(&text),
            "article {index}"
        );
        let spans = split_sentences(&text, segmentation);
        let fast = flag_boilerplate(&text, &spans, rules);
        assert_eq!(
            fast,
            flag_boilerplate_each_pattern(&text, &spans, rules),
            "article {index}"
        );
        sentences += spans.len();
        flagged += fast.iter().filter(|flag| flag.is_some()).count();
        // The same article as one paragraph per three lines (several sentences per line,
        // where the line and rest-of-line rules differ), with Windows line endings.
        let lines: Vec<&str> = text.lines().collect();
        let paragraphs = lines
            .chunks(3)
            .map(|chunk| chunk.join(" "))
            .collect::<Vec<_>>()
            .join("\r\n");
        let spans = split_sentences(&paragraphs, segmentation);
        assert_eq!(
            flag_boilerplate(&paragraphs, &spans, rules),
            flag_boilerplate_each_pattern(&paragraphs, &spans, rules),
            "article {index} in paragraphs"
        );
        assert_eq!(
            normalise_for_id(&paragraphs),
            normalise_for_id_reference(&paragraphs)
        );
    }
    assert_eq!(sentences, 7_500);
    // The corpus holds boilerplate, so the comparison covers sentences the rules flag.
    assert!(flagged >= 20, "{flagged} flagged");
}
