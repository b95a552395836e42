//! Many annotators at once, and annotators killed mid-commit: 20 annotator processes apply
//! 500 actions each against one server, each through its own login (row-level security in
//! force); afterwards every acknowledged action is there, nothing is duplicated, nothing
//! unacknowledged is half there. A second test SIGKILLs annotator processes at random
//! moments while they commit and checks the same.
//!
//! The annotator processes are this test binary re-executed (`load::annotator_process`,
//! ignored in a normal run) with the project URL in `ISNAD_LOAD_URL`. Each action is a new
//! confirmed claim (85 %) or an undo (15 %), applied with the store calls the app makes;
//! after the call returns, the process prints `ACK|claim|ID|MICROS` or `ACK|undo|MICROS`
//! (`ACK|undo-none|…` when there was nothing to undo). The parent replays the
//! acknowledgements per annotator as a stack (an undo takes back the last live claim) and
//! requires exactly that stack's claims live on the server, and the action log holding one
//! entry per acknowledged claim — plus, for a killed process, at most the one action whose
//! commit raced the kill.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use isnad::domain::{ClaimRow, ClaimStatus, DocumentListQuery, RowState, StatusFilter};
use isnad::store::{self, Access, Location};

use crate::support::Team;

const URL_VAR: &str = "ISNAD_LOAD_URL";
const ACTIONS_VAR: &str = "ISNAD_LOAD_ACTIONS";
const SEED_VAR: &str = "ISNAD_LOAD_SEED";

/// A project with `n` annotators (`PREFIX01`…; each test its own logins, which are the
/// cluster's), the seed articles imported and assigned.
fn team_of(prefix: &str, n: usize) -> (Team, Vec<String>) {
    let team = Team::new();
    let names: Vec<String> = (1..=n).map(|i| format!("{prefix}{i:02}")).collect();
    for name in &names {
        team.add(name, "annotator");
    }
    let seeds = crate::util::seeds_dir();
    team.isnad_admin(&["import", seeds.to_str().unwrap(), "--quiet"])
        .expect_code(0);
    team.isnad_admin(&["assign", "--annotators", &names.join(","), "--overlap", "1"])
        .expect_code(0);
    (team, names)
}

fn spawn_annotator(team: &Team, name: &str, actions: usize, seed: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--include-ignored",
            "--exact",
            "load::annotator_process",
            "--nocapture",
        ])
        .env(URL_VAR, team.url(name))
        .env(ACTIONS_VAR, actions.to_string())
        .env(SEED_VAR, seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// What one annotator process acknowledged, in order.
#[derive(Debug, Default)]
struct Acks {
    /// The live claims, as a stack (an undo pops).
    stack: Vec<String>,
    /// Undone entries in the action log (a new action clears them: the redo stack).
    undone: usize,
    /// Claims acknowledged in all.
    claims: usize,
    micros: Vec<u64>,
    /// The action announced last and not (yet) acknowledged.
    pending: Option<Pending>,
}

#[derive(Debug, Clone)]
enum Pending {
    Claim(String),
    Undo,
}

impl Acks {
    fn read_line(&mut self, line: &str) {
        let fields: Vec<&str> = line.split('|').collect();
        match fields.as_slice() {
            ["BEGIN", "claim", id] => self.pending = Some(Pending::Claim((*id).to_owned())),
            ["BEGIN", "undo"] => self.pending = Some(Pending::Undo),
            ["ACK", "claim", id, micros] => {
                self.stack.push((*id).to_owned());
                self.undone = 0;
                self.claims += 1;
                self.micros.push(micros.parse().unwrap());
                self.pending = None;
            }
            ["ACK", "undo", micros] => {
                self.stack.pop();
                self.undone += 1;
                self.micros.push(micros.parse().unwrap());
                self.pending = None;
            }
            ["ACK", "undo-none", micros] => {
                self.micros.push(micros.parse().unwrap());
                self.pending = None;
            }
            _ => {}
        }
    }
}

/// Checks the server against an annotator's acknowledgements; `raced` allows the one
/// announced action whose commit may have raced a kill. The action log holds the done
/// entries (the stack) and the undone ones since the last new action.
fn check(team: &Team, name: &str, acks: &Acks, raced: bool) {
    let log_length = acks.stack.len() + acks.undone;
    let live = team.admin_value(&format!(
        "SELECT coalesce(string_agg(id, ',' ORDER BY id), '') FROM claims
          WHERE annotator = '{name}' AND deleted = 0 AND status = 'confirmed'"
    ));
    let mut expected = acks.stack.clone();
    expected.sort();
    let logged: usize = team
        .admin_value(&format!(
            "SELECT count(*) FROM action_log WHERE annotator = '{name}'"
        ))
        .parse()
        .unwrap();
    match (&acks.pending, raced) {
        (Some(Pending::Claim(id)), true) => {
            let mut with = expected.clone();
            with.push(id.clone());
            with.sort();
            if live == with.join(",") {
                assert_eq!(
                    logged,
                    acks.stack.len() + 1,
                    "{name}: the raced claim without its log entry"
                );
                return;
            }
        }
        (Some(Pending::Undo), true) => {
            let mut without = acks.stack.clone();
            without.pop();
            without.sort();
            if live == without.join(",") {
                assert_eq!(
                    logged, log_length,
                    "{name}: the raced undo changed the log's length"
                );
                return;
            }
        }
        _ => {}
    }
    assert_eq!(
        live,
        expected.join(","),
        "{name}: live claims differ from the acknowledged ones"
    );
    assert_eq!(
        logged, log_length,
        "{name}: action log entries differ from the acknowledged actions"
    );
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[test]
fn twenty_annotators_at_once_lose_and_duplicate_nothing() {
    let (team, names) = team_of("load", 20);
    let actions = 500;
    let started = Instant::now();
    let children: Vec<(String, Child)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                name.clone(),
                spawn_annotator(&team, name, actions, i as u64 + 1),
            )
        })
        .collect();
    let mut all = Vec::new();
    for (name, mut child) in children {
        let mut acks = Acks::default();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            acks.read_line(&line.unwrap());
        }
        assert!(child.wait().unwrap().success(), "{name} failed");
        assert_eq!(
            acks.micros.len(),
            actions,
            "{name} acknowledged fewer actions"
        );
        check(&team, &name, &acks, false);
        all.extend(acks.micros);
    }
    let elapsed = started.elapsed();
    let duplicates = team.admin_value(
        "SELECT count(*) FROM (SELECT changes FROM action_log GROUP BY changes HAVING count(*) > 1) x",
    );
    assert_eq!(duplicates, "0", "an action was logged twice");
    let problems = store::open(&team.db.location, Access::ReadOnly)
        .unwrap()
        .integrity_problems()
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    all.sort_unstable();
    println!(
        "LOAD|{} annotators × {actions} actions in {:.1} s: {} actions, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        names.len(),
        elapsed.as_secs_f64(),
        all.len(),
        percentile(&all, 0.50) as f64 / 1000.0,
        percentile(&all, 0.99) as f64 / 1000.0,
        all.last().copied().unwrap_or(0) as f64 / 1000.0
    );
}

#[test]
fn annotators_killed_while_committing_leave_nothing_partial() {
    let (team, names) = team_of("kill", 4);
    let mut rng = Rng(0x5eed);
    let mut kills = 0;
    for round in 0..6u64 {
        let name = &names[round as usize % names.len()];
        // Each round: a fresh annotator process runs until killed after a random time.
        let before = Acks::default();
        let mut child = spawn_annotator(&team, name, 100_000, 100 + round);
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut acks = before;
        // The kill comes a random time after the process began its first action (start-up
        // on a loaded machine can take longer than any fixed delay).
        let started = Instant::now();
        while acks.pending.is_none() && acks.micros.is_empty() {
            let line = rx
                .recv_timeout(Duration::from_secs(60).saturating_sub(started.elapsed()))
                .expect("the annotator process began no action within a minute");
            acks.read_line(&line);
        }
        let deadline = Instant::now() + Duration::from_millis(50 + rng.below(700));
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(5)) {
                acks.read_line(&line);
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(900)));
        child.kill().unwrap();
        kills += 1;
        child.wait().unwrap();
        reader.join().unwrap();
        for line in rx.try_iter() {
            acks.read_line(&line);
        }
        // Every round's process is a new session on a clean slate of its own claims: undo
        // everything this annotator had before, so the stack starts empty.
        check_round(&team, name, &acks);
        team.psql(None, &format!("DELETE FROM claims WHERE annotator = '{name}'; DELETE FROM action_log WHERE annotator = '{name}'"))
            .expect_code(0);
    }
    assert_eq!(kills, 6);
    let problems = store::open(&team.db.location, Access::ReadOnly)
        .unwrap()
        .integrity_problems()
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

fn check_round(team: &Team, name: &str, acks: &Acks) {
    assert!(
        acks.claims > 0 || acks.pending.is_some(),
        "{name}: the process did nothing before the kill"
    );
    check(team, name, acks, true);
}

/// A small deterministic random generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One annotator process (see the module's documentation); run by the tests above.
#[test]
#[ignore = "an annotator process of the load and kill tests, started by them"]
fn annotator_process() {
    let url = std::env::var(URL_VAR).expect("started by the load tests");
    let actions: usize = std::env::var(ACTIONS_VAR).unwrap().parse().unwrap();
    let mut rng = Rng(std::env::var(SEED_VAR).unwrap().parse::<u64>().unwrap() | 1);
    let mut store = store::open(&Location::parse(&url), Access::ReadWrite).unwrap();
    let login = store.member().unwrap().login.clone();
    store.ensure_annotator(&login).unwrap();
    let documents = store
        .document_summaries(&DocumentListQuery {
            text: "",
            status: StatusFilter::All,
            annotator: None,
            gold: false,
            offset: 0,
            limit: 1000,
        })
        .unwrap();
    assert!(!documents.is_empty(), "{login} has no documents assigned");
    let sentences: Vec<(String, usize)> = documents
        .iter()
        .flat_map(|d| {
            store
                .sentences(&d.id)
                .unwrap()
                .into_iter()
                .map(|s| (s.doc_id, s.index))
                .collect::<Vec<_>>()
        })
        .collect();
    let session = format!("load-{login}");
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    for n in 0..actions {
        let started = Instant::now();
        if rng.below(100) < 15 {
            writeln!(out, "BEGIN|undo").unwrap();
            out.flush().unwrap();
            let undone = store.undo(&login).unwrap();
            let micros = started.elapsed().as_micros();
            let kind = if undone.is_some() {
                "undo"
            } else {
                "undo-none"
            };
            writeln!(out, "ACK|{kind}|{micros}").unwrap();
        } else {
            let (doc_id, sentence_idx) =
                sentences[rng.below(sentences.len() as u64) as usize].clone();
            let now = isnad::clock::now_rfc3339();
            let id = format!("{login}-{n}-{}", rng.next() % 1_000_000);
            let claim = ClaimRow {
                id: id.clone(),
                doc_id,
                sentence_idx,
                annotator: login.clone(),
                status: ClaimStatus::Confirmed,
                stance: Some(["favor", "against", "neutral"][n % 3].to_owned()),
                claim_type: None,
                speaker_entity: None,
                speaker_span: None,
                target_entity: None,
                target_span: None,
                cue_span: None,
                content_span: None,
                note: String::new(),
                lead_time_s: 1.0,
                schema_version: 1,
                origin: "manual".into(),
                created_at: now.clone(),
                updated_at: now,
                deleted: false,
            };
            writeln!(out, "BEGIN|claim|{id}").unwrap();
            out.flush().unwrap();
            store
                .apply_action(&login, &session, "New claim", &[RowState::Claim(claim)])
                .unwrap();
            let micros = started.elapsed().as_micros();
            writeln!(out, "ACK|claim|{id}|{micros}").unwrap();
        }
        out.flush().unwrap();
    }
}
