//! `isnad report matrix|graph|timeline`, compared with pivots of `isnad export` computed
//! here, and the graph read back by networkx.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::util::{Sandbox, jsonl};

const STANCES: [&str; 4] = ["favor", "against", "neutral", "unclear"];
const SPEAKERS: [(&str, &str); 3] = [("Russia", "state"), ("Turkey", "state"), ("Iran", "state")];
const TARGETS: [(&str, &str); 2] = [("Bashar al-Assad", "person"), ("Opposition", "group")];
const ANNOTATORS: [&str; 3] = ["hala", "omar", "sami"];

/// (id, source, published, sentences)
const DOCS: [(&str, Option<&str>, Option<&str>, usize); 3] = [
    ("d1", Some("site-a"), Some("2024-01-15"), 6),
    ("d2", Some("site-b"), Some("2024-03-02T08:00:00Z"), 6),
    ("d3", None, None, 4),
];

/// A project of three documents and three annotators' claims: on every sentence each
/// annotator gives one pair a stance (the same pair, so that a majority is defined), and
/// on even sentences a second pair; one claim has a target span but no entity.
fn project() -> Sandbox {
    let sandbox = Sandbox::new();
    let docs: String = DOCS
        .iter()
        .map(|(id, source, published, n)| {
            let mut lines = vec![format!("عنوان {id}")];
            lines.extend((1..=*n).map(|i| format!("هذه الجملة رقم {i} من خبر {id}.")));
            let mut doc = json!({"id": id, "text": lines.join("\n")});
            if let Some(source) = source {
                doc["source"] = json!(source);
            }
            if let Some(published) = published {
                doc["published"] = json!(published);
            }
            format!("{doc}\n")
        })
        .collect();
    let file = sandbox.write("docs.jsonl", docs);
    sandbox
        .run(["import".as_ref(), file.as_os_str()])
        .expect_code(0);
    let mut seed: u64 = 7;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % n as u64) as usize
    };
    let mut claims = String::new();
    for (doc, _, _, n) in DOCS {
        for sentence in 1..=n {
            let first = (sentence % 3, sentence % 2);
            let second = ((sentence + 1) % 3, (sentence + 1) % 2);
            for annotator in ANNOTATORS {
                let mut pairs = vec![first];
                if sentence % 2 == 0 {
                    pairs.push(second);
                }
                for (s, t) in pairs {
                    let claim = json!({
                        "doc_id": doc, "sentence_index": sentence, "annotator": annotator,
                        "stance": STANCES[next(4)],
                        "speaker": {"entity": SPEAKERS[s].0, "entity_type": SPEAKERS[s].1},
                        "target": {"entity": TARGETS[t].0, "entity_type": TARGETS[t].1},
                    });
                    claims.push_str(&format!("{claim}\n"));
                }
            }
        }
    }
    let span_only = json!({
        "doc_id": "d1", "sentence_index": 1, "annotator": "hala", "stance": "favor",
        "speaker": {"entity": "Russia", "entity_type": "state"},
        "target": {"text": "الجملة", "start": 13, "end": 19},
    });
    claims.push_str(&format!("{span_only}\n"));
    let file = sandbox.write("claims.jsonl", claims);
    sandbox
        .run(["import-claims".as_ref(), file.as_os_str()])
        .expect_code(0);
    sandbox
}

type Pivot = BTreeMap<(String, String), BTreeMap<String, u64>>;

/// The pivot of export records: per (speaker, target) entity, claims per stance and total.
fn pivot<'a>(records: impl IntoIterator<Item = &'a Value>) -> Pivot {
    let mut out = Pivot::new();
    for r in records {
        let (Some(speaker), Some(target)) = (
            r["speaker"]["entity"].as_str(),
            r["target"]["entity"].as_str(),
        ) else {
            continue;
        };
        let cell = out
            .entry((speaker.to_owned(), target.to_owned()))
            .or_insert_with(|| STANCES.iter().map(|s| (s.to_string(), 0)).collect());
        *cell.get_mut(r["stance"].as_str().unwrap()).unwrap() += 1;
        *cell.entry("total".into()).or_default() += 1;
    }
    out
}

/// `report matrix --format json` as a pivot.
fn reported(sandbox: &Sandbox, args: &[&str]) -> Pivot {
    let mut command = vec!["report", "matrix", "--format", "json"];
    command.extend(args);
    let run = sandbox.run(command).expect_code(0);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    rows.iter()
        .map(|row| {
            let key = (
                row["speaker"].as_str().unwrap().to_owned(),
                row["target"].as_str().unwrap().to_owned(),
            );
            let counts = STANCES
                .iter()
                .chain(&["total"])
                .map(|s| (s.to_string(), row[*s].as_u64().unwrap()))
                .collect();
            (key, counts)
        })
        .collect()
}

fn claims_export(sandbox: &Sandbox) -> Vec<Value> {
    jsonl(
        &sandbox
            .run(["export", "--what", "claims", "-q"])
            .expect_code(0)
            .stdout,
    )
    .into_iter()
    .filter(|r| r["type"] == "claim")
    .collect()
}

#[test]
fn the_matrix_equals_a_pivot_of_the_export_for_every_source_and_filter() {
    let sandbox = project();
    let claims = claims_export(&sandbox);
    assert_eq!(claims.len(), 3 * (16 + 8) + 1);
    let all = pivot(&claims);
    assert_eq!(reported(&sandbox, &[]), all);
    let run = sandbox.run(["report", "matrix"]).expect_code(0);
    assert!(
        run.stderr
            .contains("72 claim(s) counted; 1 without a speaker or target entity left out"),
        "{}",
        run.stderr
    );
    let header = run.stdout.lines().next().unwrap();
    assert_eq!(header, "speaker,target,favor,against,neutral,unclear,total");
    assert_eq!(run.stdout.lines().count(), all.len() + 1);

    let hala = pivot(claims.iter().filter(|r| r["annotator"] == "hala"));
    assert_eq!(reported(&sandbox, &["--source", "annotator:hala"]), hala);
    let site_a = pivot(claims.iter().filter(|r| r["doc_id"] == "d1"));
    assert_eq!(reported(&sandbox, &["--site", "site-a"]), site_a);
    let from_february = pivot(claims.iter().filter(|r| r["doc_id"] == "d2"));
    assert_eq!(reported(&sandbox, &["--from", "2024-02-01"]), from_february);
    assert_eq!(reported(&sandbox, &["--to", "2024-02-01"]), site_a);
    let d3 = pivot(claims.iter().filter(|r| r["doc_id"] == "d3"));
    assert_eq!(reported(&sandbox, &["--doc", "d3"]), d3);
    let russia = pivot(claims.iter().filter(|r| r["speaker"]["entity"] == "Russia"));
    assert_eq!(reported(&sandbox, &["--speaker", "russia"]), russia);

    // Majority: per sentence and pair, the stance more than half of its annotators gave.
    let mut votes: BTreeMap<(String, u64, String, String), Vec<String>> = BTreeMap::new();
    for r in claims.iter().filter(|r| r["target"]["entity"].is_string()) {
        let key = (
            r["doc_id"].as_str().unwrap().to_owned(),
            r["sentence_index"].as_u64().unwrap(),
            r["speaker"]["entity"].as_str().unwrap().to_owned(),
            r["target"]["entity"].as_str().unwrap().to_owned(),
        );
        votes
            .entry(key)
            .or_default()
            .push(r["stance"].as_str().unwrap().to_owned());
    }
    let mut majority: Vec<Value> = Vec::new();
    let mut ties = 0;
    for ((_, _, speaker, target), stances) in &votes {
        let winner = STANCES
            .iter()
            .find(|s| stances.iter().filter(|x| x == *s).count() * 2 > stances.len());
        match winner {
            Some(stance) => majority.push(json!({
                "speaker": {"entity": speaker}, "target": {"entity": target}, "stance": stance,
            })),
            None => ties += 1,
        }
    }
    assert!(ties > 0 && !majority.is_empty(), "the data has both");
    assert_eq!(
        reported(&sandbox, &["--source", "majority"]),
        pivot(&majority)
    );
    let run = sandbox
        .run(["report", "matrix", "--source", "majority"])
        .expect_code(0);
    assert!(
        run.stderr
            .contains(&format!("{ties} sentence pair(s) with no majority")),
        "{}",
        run.stderr
    );
}

#[test]
fn the_graph_loads_in_networkx_with_the_pivots_counts() {
    let sandbox = project();
    let all = pivot(&claims_export(&sandbox));
    for format in ["graphml", "gexf"] {
        let out = sandbox.path(&format!("stance.{format}"));
        sandbox
            .run([
                "report".as_ref(),
                "graph".as_ref(),
                "--format".as_ref(),
                format.as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ])
            .expect_code(0);
        let script = format!(
            r#"
import json, sys, networkx as nx
g = nx.read_{format}(sys.argv[1])
label = lambda n: g.nodes[n]["label"]
edges = sorted([label(a), label(b), {{k: int(d[k]) for k in ("favor", "against", "neutral", "unclear", "weight")}}] for a, b, d in g.edges(data=True))
kinds = {{label(n): g.nodes[n]["type"] for n in g.nodes}}
print(json.dumps({{"directed": g.is_directed(), "edges": edges, "kinds": kinds}}))
"#
        );
        let python = std::process::Command::new("python3")
            .arg("-c")
            .arg(&script)
            .arg(&out)
            .output()
            .expect("python3 runs (with networkx: apt install python3-networkx)");
        assert!(
            python.status.success(),
            "networkx could not read the {format} file: {}",
            String::from_utf8_lossy(&python.stderr)
        );
        let read: Value = serde_json::from_slice(&python.stdout).unwrap();
        assert_eq!(read["directed"], true);
        let edges = read["edges"].as_array().unwrap();
        assert_eq!(edges.len(), all.len(), "{format}");
        for edge in edges {
            let key = (
                edge[0].as_str().unwrap().to_owned(),
                edge[1].as_str().unwrap().to_owned(),
            );
            let counts = &all[&key];
            for stance in STANCES {
                assert_eq!(
                    edge[2][stance].as_u64(),
                    Some(counts[stance]),
                    "{format} {key:?}"
                );
            }
            assert_eq!(edge[2]["weight"].as_u64(), Some(counts["total"]));
        }
        assert_eq!(read["kinds"]["Russia"], "state");
        assert_eq!(read["kinds"]["Opposition"], "group");
    }
}

#[test]
fn the_timeline_counts_a_pair_per_month_and_says_what_had_no_date() {
    let sandbox = project();
    let claims = claims_export(&sandbox);
    let month = |doc: &str| match doc {
        "d1" => Some("2024-01"),
        "d2" => Some("2024-03"),
        _ => None,
    };
    let pair: Vec<&Value> = claims
        .iter()
        .filter(|r| r["speaker"]["entity"] == "Turkey" && r["target"]["entity"] == "Opposition")
        .collect();
    let mut expected: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    let mut undated = 0;
    for r in &pair {
        match month(r["doc_id"].as_str().unwrap()) {
            Some(m) => {
                *expected
                    .entry(m)
                    .or_default()
                    .entry(r["stance"].as_str().unwrap())
                    .or_default() += 1
            }
            None => undated += 1,
        }
    }
    assert!(undated > 0 && expected.len() == 2, "the data has both");
    let run = sandbox
        .run([
            "report",
            "timeline",
            "--speaker",
            "Turkey",
            "--target",
            "Opposition",
            "--format",
            "json",
        ])
        .expect_code(0);
    let timeline: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(timeline["undated"], undated);
    let periods = timeline["periods"].as_array().unwrap();
    assert_eq!(periods.len(), expected.len());
    for (period, (month, counts)) in periods.iter().zip(&expected) {
        assert_eq!(period["period"], *month);
        for stance in STANCES {
            assert_eq!(
                period[stance].as_u64().unwrap(),
                counts.get(stance).copied().unwrap_or(0)
            );
        }
    }
    assert!(
        run.stderr.contains("without a published date"),
        "{}",
        run.stderr
    );
    let weekly = sandbox
        .run(["report", "timeline", "--speaker", "Turkey", "--by", "week"])
        .expect_code(0);
    assert!(weekly.stdout.contains("2024-W03,"), "{}", weekly.stdout);
    assert!(weekly.stdout.contains("2024-W09,"), "{}", weekly.stdout);
}

#[test]
fn bad_requests_name_what_is_wrong_and_write_nothing() {
    let sandbox = project();
    let source = sandbox
        .run(["report", "matrix", "--source", "everyone"])
        .expect_code(2);
    assert!(
        source.stderr.contains("annotator:NAME"),
        "{}",
        source.stderr
    );
    let date = sandbox
        .run(["report", "matrix", "--from", "2024-13-01"])
        .expect_code(2);
    assert!(date.stderr.contains("2024-13-01"), "{}", date.stderr);
    let out = sandbox.path("never.csv");
    let nobody = sandbox
        .run([
            "report".as_ref(),
            "matrix".as_ref(),
            "--speaker".as_ref(),
            "Nobody".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .expect_code(1);
    assert!(nobody.stderr.contains("Nobody"), "{}", nobody.stderr);
    assert!(!out.exists());
    let timeline = sandbox.run(["report", "timeline"]).expect_code(1);
    assert!(timeline.stderr.contains("--speaker"), "{}", timeline.stderr);
}
