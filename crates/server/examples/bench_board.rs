//! `cargo xtask bench` runs this (optimised): the central team's board
//! over 10,000 bureaux (a party's primary), as a coordinator's browser asks
//! for it — the first page (the 100 worst bureaux, with the counts), the
//! late only, one département's — and its refresh while nothing changed
//! (a 304). Goal: the first page in at most 200 ms on the server.
//!
//! Setup (not timed): the election stored with every bureau's details,
//! 8,000 phones enrolled, a coordinator's session; the server listens on a
//! local port in this process.

use pointage_core::operator::Role;
use pointage_core::roster::BureauDetails;
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Bureau, Election, ElectionInfo, Mode};
use pointage_server::db::Db;
use pointage_server::db::operators::Operator;
use pointage_server::{AppState, demo, router};
use pointage_testkit as kit;
use std::time::{Duration, Instant};

const BUREAUX: usize = 10_000;
const ENROLLED: usize = 8_000;
const RUNS: usize = 30;
const GOAL: Duration = Duration::from_millis(200);

fn fail(what: &str) -> ! {
    eprintln!("bench_board: {what}");
    std::process::exit(1)
}

fn election() -> Election {
    Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: "board-10k".into(),
        name: "Primaire, 10 000 bureaux".into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: demo::election().candidates().to_vec(),
        bureaux: (0..BUREAUX)
            .map(|i| Bureau {
                code: format!("B{i:05}"),
                name: format!("Bureau {i}"),
                commune: format!("Commune {}", i / 7),
                inscrits: Some(900 + (i % 400) as u32),
            })
            .collect(),
    })
    .unwrap_or_else(|e| fail(&e.to_string()))
}

/// The median and the 95th percentile of `times`.
fn median_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("pointage-bench-board-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = Db::open(&dir).unwrap_or_else(|e| fail(&e.to_string()));
    let e = election();
    let details: Vec<BureauDetails> = e
        .bureaux()
        .iter()
        .enumerate()
        .map(|(i, b)| BureauDetails {
            bureau: b.code.clone(),
            address: Some(format!("{i} rue de la République")),
            departement: Some(format!("{:02}", 1 + i % 95)),
            president: Some(format!("Président {i}")),
            phone: Some(format!(
                "06 {:02} {:02} {:02} {:02}",
                i % 100,
                i / 100 % 100,
                12,
                34
            )),
        })
        .collect();
    let codes = db
        .store_election_with(&e, &details, 0)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let keys: Vec<String> = (0..ENROLLED)
        .map(|i| public_key_hex(&kit::device_secret("board", i)))
        .collect();
    let devices: Vec<(&str, &str)> = codes
        .iter()
        .zip(&keys)
        .map(|(c, k)| (c.code.as_str(), k.as_str()))
        .collect();
    db.enroll_all(&devices, 1)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let op = Operator {
        id: "bench".into(),
        name: "Coordination".into(),
        role: Role::Coordinator,
        created_at: 0,
    };
    db.operator_create(&op, "bench-key", "{}")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let now = pointage_server::system::now_ms();
    let cookie = pointage_server::operators::open_session(&db, &op, now)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let cookie = cookie
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let dist = dir.join("dist");
    let _ = std::fs::create_dir_all(&dist);
    let _ = std::fs::write(dist.join("index.html"), "<!doctype html>");
    let state = AppState::new(db.clone()).unwrap_or_else(|e| fail(&e.to_string()));
    let addr = pointage_server::serve::on_free_port(router(state, dist))
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let client = reqwest::Client::new();
    let mut failed = false;
    for (what, query) in [
        ("first page", "election=board-10k"),
        ("late only", "election=board-10k&late=1"),
        ("one département", "election=board-10k&departement=42"),
    ] {
        let url = format!("http://{addr}/operateur?{query}");
        let mut times = Vec::new();
        let mut tag = String::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let r = client
                .get(&url)
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
            if r.status() != 200 {
                fail(&format!("{what}: {}", r.status()));
            }
            tag = r.headers()["etag"].to_str().unwrap_or_default().to_owned();
            let page = r.text().await.unwrap_or_default();
            times.push(started.elapsed());
            if !page.contains("board-title") {
                fail(&format!("{what}: not the board"));
            }
        }
        let (median, p95) = median_p95(times);
        let mut refresh = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let r = client
                .get(&url)
                .header("cookie", &cookie)
                .header("if-none-match", &tag)
                .send()
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
            refresh.push(started.elapsed());
            if r.status() != 304 {
                fail(&format!(
                    "{what}: a refresh while nothing changed gave {}",
                    r.status()
                ));
            }
        }
        let (r_median, r_p95) = median_p95(refresh);
        println!(
            "board over {BUREAUX} bureaux, {what}: median {:.1} ms, p95 {:.1} ms (goal ≤ {} ms); \
             refresh while nothing changed: 304, median {:.1} ms, p95 {:.1} ms",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            GOAL.as_millis(),
            r_median.as_secs_f64() * 1e3,
            r_p95.as_secs_f64() * 1e3,
        );
        failed |= median > GOAL;
    }
    let _ = std::fs::remove_dir_all(&dir);
    if failed {
        fail("the board's first page took more than its goal");
    }
}
