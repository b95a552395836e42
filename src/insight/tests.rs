use super::graph::{GraphFormat, write};
use super::timeline::period_of;
use super::*;

fn stances() -> Vec<String> {
    ["favor", "against", "neutral", "unclear"]
        .map(String::from)
        .to_vec()
}

fn tuple(speaker: &str, target: &str, stance: &str, published: Option<&str>) -> StanceTuple {
    StanceTuple {
        doc_id: "d".into(),
        sentence_idx: 0,
        annotator: Some("a".into()),
        speaker: speaker.into(),
        target: target.into(),
        stance: stance.into(),
        claim_type: None,
        published: published.map(String::from),
    }
}

#[test]
fn the_matrix_counts_each_pair_per_stance_most_claims_first() {
    let tuples = [
        tuple("Russia", "Assad", "favor", None),
        tuple("Russia", "Assad", "favor", None),
        tuple("Russia", "Assad", "against", None),
        tuple("Turkey", "Assad", "against", None),
        tuple("Turkey", "Assad", "mixed", None),
    ];
    let matrix = Matrix::from_tuples(&stances(), &tuples);
    assert_eq!(matrix.rows.len(), 2);
    assert_eq!(matrix.rows[0].speaker, "Russia");
    assert_eq!(matrix.rows[0].counts, vec![2, 1, 0, 0]);
    assert_eq!(matrix.rows[0].total, 3);
    assert_eq!(matrix.dominant(&matrix.rows[0]), Some("favor"));
    assert_eq!(matrix.rows[1].counts, vec![0, 1, 0, 0]);
    assert_eq!(
        matrix.unknown_stance, 1,
        "a stance the schema lacks is not counted"
    );
    let mut csv = Vec::new();
    matrix.write_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(
        csv.lines().next(),
        Some("speaker,target,favor,against,neutral,unclear,total")
    );
    assert_eq!(csv.lines().nth(1), Some("Russia,Assad,2,1,0,0,3"));
    assert_eq!(matrix.to_json()[1]["against"], 1);
}

#[test]
fn periods_are_months_and_iso_weeks_of_the_published_date() {
    assert_eq!(
        period_of("2024-03-05", Period::Month).as_deref(),
        Some("2024-03")
    );
    assert_eq!(
        period_of("2024-03-05T10:00:00+03:00", Period::Week).as_deref(),
        Some("2024-W10")
    );
    // 2021-01-03 is a Sunday: the last day of ISO week 53 of 2020.
    assert_eq!(
        period_of("2021-01-03", Period::Week).as_deref(),
        Some("2020-W53")
    );
    assert_eq!(period_of("March 2024", Period::Month), None);
    assert_eq!(period_of("2024-02-30", Period::Month), None);
}

#[test]
fn the_timeline_counts_per_period_and_says_what_had_no_date() {
    let tuples = [
        tuple("Russia", "Assad", "favor", Some("2024-03-05")),
        tuple("Russia", "Assad", "against", Some("2024-03-28")),
        tuple("Russia", "Assad", "favor", Some("2024-01-10")),
        tuple("Russia", "Assad", "favor", None),
        tuple("Russia", "Assad", "favor", Some("soon")),
    ];
    let timeline = Timeline::from_tuples(&stances(), Period::Month, &tuples);
    assert_eq!(
        timeline.periods,
        vec![
            ("2024-01".into(), vec![1, 0, 0, 0]),
            ("2024-03".into(), vec![1, 1, 0, 0]),
        ]
    );
    assert_eq!((timeline.undated, timeline.unreadable), (1, 1));
    assert_eq!(timeline.to_json()["undated"], 1);
}

#[test]
fn graphs_name_their_nodes_and_weigh_their_edges_and_escape_names() {
    let tuples = [
        tuple("Russia", "Assad & co", "favor", None),
        tuple("Russia", "Assad & co", "favor", None),
        tuple("\"Turkey\"", "Russia", "against", None),
    ];
    let matrix = Matrix::from_tuples(&stances(), &tuples);
    let kinds = [("Russia".to_owned(), "state".to_owned())].into();
    let graphml = write(&matrix, &kinds, GraphFormat::Graphml);
    assert!(graphml.contains("<data key=\"label\">Assad &amp; co</data>"));
    assert!(graphml.contains("<data key=\"label\">&quot;Turkey&quot;</data>"));
    assert!(graphml.contains("<data key=\"type\">state</data>"));
    assert_eq!(graphml.matches("<edge ").count(), 2);
    assert!(graphml.contains("<data key=\"s_favor\">2</data>"));
    assert!(graphml.contains("<data key=\"weight\">2</data>"));
    let gexf = write(&matrix, &kinds, GraphFormat::Gexf);
    assert_eq!(gexf.matches("<node ").count(), 3);
    assert!(gexf.contains("weight=\"2\""));
    assert!(gexf.contains("<attvalue for=\"dominant\" value=\"against\"/>"));
}
