//! `cargo xtask bench` runs this (optimised): election night under attack.
//! 1,000 honest returns flow (8 phones at once, about 100 a second) while
//! each attack of issue 32 runs against the same server, and the honest
//! receipts' latency (p50, p95, max), the honest returns refused, and the
//! server's memory are reported per attack. Goal: p95 ≤ 50 ms and nothing
//! honest refused under every attack.
//!
//! The election has 20,000 returns already (its record is 25 MB), so the
//! public reads cost what they would late in the night. The attacks:
//! - `/api/v1/elections`, 4 loops, each request dropped after 50 ms;
//! - `/api/v1/record`, 2 loops reading the whole record, and 2 asking it
//!   with a query no cache in front has seen (`?nonce=N`);
//! - one enrolled phone replaying its stored 63 KB return (39 table
//!   sheets), 4 loops;
//! - the same phone sending new 63 KB versions 1 (each refused at the
//!   version chain, after its sheets are checked), 4 loops;
//! - 1,000 connections that trickle a request's headers a byte at a time;
//! - the command line importing an election and reissuing codes (another
//!   connection to the same database) while the returns flow.
//!
//! With `POINTAGE_BENCH_POSTGRES` (libpq's `host=… port=… user=…`), on
//! PostgreSQL instead of SQLite.

use pointage_core::gathering::Slot;
use pointage_core::sheet::{Invitation, PacketLine, TableSheet};
use pointage_core::signed_return::public_key_hex;
use pointage_core::{
    Election, ProcesVerbal, ReturnDraft, RuleCode, SignedReturn, TallyEvent, TallyLog,
};
use pointage_server::db::Db;
use pointage_server::{AppState, router};
use pointage_testkit as kit;

#[path = "common/scratch_db.rs"]
mod scratch_db;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const STORED: usize = 20_000;
const HONEST: usize = 1_000;
const SCENARIOS: usize = 7;
const CANDIDATES: usize = 4;
/// The hostile phone's bureau: the last one.
const HOSTILE: usize = STORED + SCENARIOS * HONEST;
const GOAL_P95_MS: f64 = 50.0;

fn fail(what: &str) -> ! {
    eprintln!("bench_attack: {what}");
    std::process::exit(1)
}

fn pv(voix: [u32; 4], blancs: u32, observations: &str) -> ProcesVerbal {
    let exprimes: u32 = voix.iter().sum();
    ProcesVerbal {
        inscrits: Some(1_000),
        emargements: Some(exprimes + blancs),
        enveloppes: Some(exprimes + blancs),
        blancs: Some(blancs),
        nuls: Some(0),
        exprimes: Some(exprimes),
        voix: (0..CANDIDATES)
            .map(kit::candidate_id)
            .zip(voix)
            .map(|(c, v)| (c, Some(v)))
            .collect(),
        contributions_cents: None,
        members: kit::members(),
        observations: observations.into(),
    }
}

/// An honest bureau's return, about 1 KB.
fn honest(e: &Election, i: usize) -> Vec<u8> {
    let entry = kit::agreed(pv([40 + (i % 20) as u32, 30, 20, 10], 2, ""));
    let draft = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: &kit::bureau_code(i),
        entry: &entry,
        explanations: BTreeMap::new(),
        tally: None,
        correction: None,
    };
    SignedReturn::sign(
        e,
        draft,
        &kit::device_secret("attack bench", i),
        1_800_000_000_000,
    )
    .unwrap_or_else(|e| fail(&e.to_string()))
    .to_bytes()
}

/// The hostile phone's return: 39 table sheets (tables 1 to 19 on two
/// phones, table 20 on one), each recorder's name long, about 63 KB;
/// `observations` makes each one another return.
fn hostile(e: &Election, observations: &str) -> Vec<u8> {
    let bureau = kit::bureau_code(HOSTILE);
    let at = 1_800_000_000_000;
    let line = |number| PacketLine {
        number,
        envelopes: 4,
        voix: (0..CANDIDATES).map(|c| (kit::candidate_id(c), 1)).collect(),
        blancs: 0,
        nuls: 0,
    };
    let mut sheets = Vec::new();
    for table in 1..=20u32 {
        for (n, slot) in [Slot::A, Slot::B].into_iter().enumerate() {
            if table == 20 && slot == Slot::B {
                continue;
            }
            let inv = Invitation::sign(
                e,
                &bureau,
                table,
                slot,
                &kit::device_secret("attack bench", HOSTILE),
                at,
            )
            .unwrap_or_else(|e| fail(&e.to_string()));
            let who = format!("{}{table}{n}", "Recorder ".repeat(54));
            let key = [(table * 2) as u8 + n as u8; 32];
            sheets.push(
                TableSheet::sign(inv, &who, [3; 32], vec![line(table)], &key, at)
                    .unwrap_or_else(|e| fail(&e.to_string())),
            );
        }
    }
    let mut log = TallyLog::new((0..CANDIDATES).map(kit::candidate_id).collect(), [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 80,
        enveloppes: 80,
        explanation: String::new(),
    })
    .unwrap_or_else(|e| fail(&e.to_string()));
    let entry = kit::agreed(pv([20, 20, 20, 20], 0, observations));
    let draft = ReturnDraft {
        turnout: None,
        tables: &sheets,
        bureau: &bureau,
        entry: &entry,
        explanations: [(
            RuleCode::W6,
            "Table 20 : second pointeur sur papier.".to_owned(),
        )]
        .into(),
        tally: Some(&log),
        correction: None,
    };
    SignedReturn::sign(e, draft, &kit::device_secret("attack bench", HOSTILE), at)
        .unwrap_or_else(|e| fail(&e.to_string()))
        .to_bytes()
}

/// This process's resident memory, in MB (Linux).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[derive(Clone, Copy, PartialEq)]
enum Attack {
    Quiet,
    Elections,
    Record,
    Replay,
    NewVersions,
    SlowClients,
    Admin,
}

impl Attack {
    fn key(self) -> &'static str {
        match self {
            Attack::Quiet => "quiet",
            Attack::Elections => "elections",
            Attack::Record => "record",
            Attack::Replay => "replay",
            Attack::NewVersions => "versions",
            Attack::SlowClients => "slow",
            Attack::Admin => "admin",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Attack::Quiet => "no attack",
            Attack::Elections => "/elections, dropped after 50 ms ×4",
            Attack::Record => "/record whole ×2, ?nonce=N ×2",
            Attack::Replay => "a stored 63 KB return replayed ×4",
            Attack::NewVersions => "new 63 KB versions 1 ×4",
            Attack::SlowClients => "1,000 trickling connections",
            Attack::Admin => "import and reissues meanwhile",
        }
    }
}

struct Ctx {
    base: String,
    addr: std::net::SocketAddr,
    client: reqwest::Client,
    election_id: String,
    replay: Vec<u8>,
    variants: Vec<Vec<u8>>,
    admin: Option<Db>,
}

/// Runs `attack` until `stop`; how many attacking requests were made.
async fn attack(ctx: Arc<Ctx>, attack: Attack, stop: Arc<AtomicBool>) -> u64 {
    let made = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let loops = match attack {
        Attack::Quiet => 0,
        Attack::SlowClients | Attack::Admin => 1,
        _ => 4,
    };
    for k in 0..loops {
        let (ctx, stop, made) = (ctx.clone(), stop.clone(), made.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                match attack {
                    Attack::Quiet => {}
                    Attack::Elections => {
                        let _ = ctx
                            .client
                            .get(format!("{}/elections", ctx.base))
                            .timeout(Duration::from_millis(50))
                            .send()
                            .await;
                    }
                    Attack::Record => {
                        // Two loops read the whole record (a cache in front
                        // is bypassed by asking the server itself), two
                        // with a made-up parameter each time.
                        let url = if k < 2 {
                            format!("{}/record?election={}", ctx.base, ctx.election_id)
                        } else {
                            format!(
                                "{}/record?election={}&nonce={k}-{n}",
                                ctx.base, ctx.election_id
                            )
                        };
                        if let Ok(r) = ctx.client.get(url).send().await {
                            let _ = r.bytes().await;
                        }
                    }
                    Attack::Replay | Attack::NewVersions => {
                        let body = if attack == Attack::Replay {
                            ctx.replay.clone()
                        } else {
                            ctx.variants[(n * 4 + k) % ctx.variants.len()].clone()
                        };
                        if let Ok(r) = ctx
                            .client
                            .post(format!("{}/returns", ctx.base))
                            .header("x-forwarded-for", format!("192.0.2.{k}"))
                            .body(body)
                            .send()
                            .await
                        {
                            let _ = r.bytes().await;
                        }
                    }
                    Attack::SlowClients => {
                        trickle(ctx.addr, stop.clone()).await;
                        return;
                    }
                    Attack::Admin => {
                        let db = ctx.admin.clone().unwrap_or_else(|| fail("no admin db"));
                        let r = tokio::task::spawn_blocking(move || {
                            if n % 5 == 1 {
                                let e = kit::election(&format!("import-{n}"), 2_000, CANDIDATES);
                                db.store_election(&e, 0).map(|_| ())
                            } else {
                                db.reissue_code(
                                    "attack-bench",
                                    &kit::bureau_code(n % STORED),
                                    0,
                                    pointage_core::operator::Actor::CommandLine,
                                )
                                .map(|_| ())
                            }
                        })
                        .await;
                        if !matches!(r, Ok(Ok(()))) {
                            eprintln!("bench_attack: an admin write failed: {r:?}");
                        }
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
                made.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    made.load(Ordering::Relaxed)
}

/// 1,000 connections, each sending a request's headers a byte every
/// second, until `stop`.
async fn trickle(addr: std::net::SocketAddr, stop: Arc<AtomicBool>) {
    use tokio::io::AsyncWriteExt;
    let head =
        b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let mut conns = Vec::new();
    // From an address of its own (127.0.0.2, loopback too): the server
    // holds one address to a bounded share of its connections.
    for _ in 0..1_000 {
        let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
            continue;
        };
        if socket.bind(([127, 0, 0, 2], 0).into()).is_err() {
            continue;
        }
        if let Ok(s) = socket.connect(addr).await {
            conns.push(s);
        }
    }
    let mut at = 0;
    while !stop.load(Ordering::Relaxed) {
        let mut open = Vec::new();
        for mut s in conns {
            if s.write_all(&head[at % head.len()..at % head.len() + 1])
                .await
                .is_ok()
            {
                open.push(s);
            }
        }
        conns = open;
        at += 1;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let setup = Instant::now();
    let dir = std::env::temp_dir().join(format!("pointage-bench-attack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let postgres = std::env::var("POINTAGE_BENCH_POSTGRES").ok();
    let url = match &postgres {
        Some(base) => Some(
            scratch_db::new_database(base, &format!("attack_{}", std::process::id()))
                .await
                .unwrap_or_else(|e| fail(&e)),
        ),
        None => None,
    };
    let open = || match &url {
        Some(url) => Db::open_postgres(url, pointage_server::db::Secrets::in_dir(&dir)?),
        None => Db::open(&dir),
    };
    let db = open().unwrap_or_else(|e| fail(&e.to_string()));
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let e = kit::election("attack-bench", HOSTILE + 1, CANDIDATES);
    let codes = db
        .store_election(&e, 0)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let keys: Vec<String> = (0..codes.len())
        .map(|i| public_key_hex(&kit::device_secret("attack bench", i)))
        .collect();
    let devices: Vec<(&str, &str)> = codes
        .iter()
        .zip(&keys)
        .map(|(c, k)| (c.code.as_str(), k.as_str()))
        .collect();
    db.enroll_all(&devices, 0)
        .unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "stored and enrolled in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    // Signed on every core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let returns: Vec<Vec<u8>> = std::thread::scope(|s| {
        let parts: Vec<_> = (0..cores)
            .map(|c| {
                let e = &e;
                s.spawn(move || {
                    (0..HOSTILE)
                        .filter(|i| i % cores == c)
                        .map(|i| (i, honest(e, i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, Vec<u8>)> = parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|_| fail("signing failed")))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });
    let replay = hostile(&e, "");
    let variants: Vec<Vec<u8>> = (0..64)
        .map(|n| hostile(&e, &format!("Variante {n}")))
        .collect();
    println!(
        "setup: {} bureaux enrolled, returns signed in {:.1} s; the hostile return is {} KB",
        HOSTILE + 1,
        setup.elapsed().as_secs_f64(),
        replay.len() / 1024
    );
    // What one hostile return costs the server to read, and to check.
    let t = Instant::now();
    let read = SignedReturn::from_bytes(&replay).unwrap_or_else(|e| fail(&e.to_string()));
    let decoding = t.elapsed();
    let t = Instant::now();
    let _ = read.check_content(&e, &keys[HOSTILE]);
    println!(
        "  a hostile return: read and its signature checked in {:.2} ms, its sheets and rules in {:.2} ms",
        decoding.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );

    let dist = dir.join("dist");
    let _ = std::fs::create_dir_all(&dist);
    let _ = std::fs::write(dist.join("index.html"), "<!doctype html>");
    let mut state = AppState::new(db.clone()).unwrap_or_else(|e| fail(&e.to_string()));
    // Every phone and attacker is this machine: each says its own address
    // through a "proxy" the server trusts (this machine), so that the
    // limits per client count them apart, as they would in the field.
    state.limits = Arc::new(pointage_server::Limits::new(
        pointage_server::ENROLL_ATTEMPTS_PER_MINUTE,
        vec!["127.0.0.1".parse().unwrap_or_else(|e: String| fail(&e))],
    ));
    // Served as in the field behind a proxy at 127.0.0.1: its connections
    // are not held to one address's share.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let bounds = pointage_server::serve::Bounds {
        trusted: state.limits.trusted.clone(),
        ..Default::default()
    };
    tokio::spawn(pointage_server::serve::serve(
        listener,
        router(state, dist),
        bounds,
        std::future::pending(),
    ));
    let base = format!("http://{addr}/api/v1");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap_or_else(|e| fail(&e.to_string()));
    // The night so far: 20,000 returns, and the hostile phone's own.
    let returns = Arc::new(returns);
    let sent = Arc::new(AtomicU64::new(0));
    let loaders: Vec<_> = (0..64)
        .map(|_| {
            let (client, base, returns, sent) =
                (client.clone(), base.clone(), returns.clone(), sent.clone());
            tokio::spawn(async move {
                loop {
                    let i = sent.fetch_add(1, Ordering::Relaxed) as usize;
                    if i >= STORED {
                        break;
                    }
                    let r = client
                        .post(format!("{base}/returns"))
                        .header("x-forwarded-for", format!("10.1.{}.{}", i / 250, i % 250))
                        .body(returns[i].clone())
                        .send()
                        .await
                        .unwrap_or_else(|e| fail(&e.to_string()));
                    if r.status() != 201 {
                        fail(&format!("return {i}: {}", r.status()));
                    }
                }
            })
        })
        .collect();
    for l in loaders {
        let _ = l.await;
    }
    let r = client
        .post(format!("{base}/returns"))
        .body(replay.clone())
        .send()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    if r.status() != 201 {
        fail(&format!(
            "the hostile phone's return: {} {:?}",
            r.status(),
            r.text().await
        ));
    }
    println!("storage: {backend}; {STORED} returns stored before the attacks");

    let ctx = Arc::new(Ctx {
        base: base.clone(),
        addr,
        client: client.clone(),
        election_id: e.id().to_owned(),
        replay,
        variants,
        admin: Some(open().unwrap_or_else(|e| fail(&e.to_string()))),
    });
    let attacks = [
        Attack::Quiet,
        Attack::Elections,
        Attack::Record,
        Attack::Replay,
        Attack::NewVersions,
        Attack::SlowClients,
        Attack::Admin,
    ];
    // `POINTAGE_BENCH_ATTACKS=record,replay`: only those (and the quiet
    // run), by the first word of their names.
    let only = std::env::var("POINTAGE_BENCH_ATTACKS").ok();
    let mut all_met = true;
    for (s, &a) in attacks.iter().enumerate() {
        if let Some(only) = &only
            && a != Attack::Quiet
            && !only.split(',').any(|w| a.key() == w.trim())
        {
            continue;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let attacker = tokio::spawn(attack(ctx.clone(), a, stop.clone()));
        // Let the attack take hold.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let peak = Arc::new(AtomicU64::new(0));
        let watching = Arc::new(AtomicBool::new(true));
        let watcher = {
            let (peak, watching) = (peak.clone(), watching.clone());
            tokio::spawn(async move {
                while watching.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_mb() as u64, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        let first = STORED + s * HONEST;
        let started = Instant::now();
        let phones: Vec<_> = (0..8)
            .map(|p| {
                // Each phone its own connections, as in the field: none
                // shared with an attacker's.
                let client = reqwest::Client::new();
                let (base, returns) = (base.clone(), returns.clone());
                tokio::spawn(async move {
                    let mut took = Vec::new();
                    let mut refused = 0;
                    for (n, i) in (first + p..first + HONEST).step_by(8).enumerate() {
                        // A scenario lasts at most a minute and a half:
                        // what was not sent by then is not answered.
                        if started.elapsed() > Duration::from_secs(90) {
                            refused += 1;
                            continue;
                        }
                        // About 100 a second from the eight phones.
                        let due = started + Duration::from_millis(80 * n as u64);
                        tokio::time::sleep_until(due.into()).await;
                        let t = Instant::now();
                        let ok = match client
                            .post(format!("{base}/returns"))
                            .header("x-forwarded-for", format!("10.2.0.{p}"))
                            .body(returns[i].clone())
                            .timeout(Duration::from_secs(30))
                            .send()
                            .await
                        {
                            Ok(r) => r.status() == 201 && r.bytes().await.is_ok(),
                            Err(_) => false,
                        };
                        took.push(t.elapsed().as_secs_f64() * 1e3);
                        if !ok {
                            refused += 1;
                        }
                    }
                    (took, refused)
                })
            })
            .collect();
        let mut took = Vec::new();
        let mut refused = 0;
        for p in phones {
            let (t, r) = p.await.unwrap_or_else(|e| fail(&e.to_string()));
            took.extend(t);
            refused += r;
        }
        stop.store(true, Ordering::Relaxed);
        let made = attacker.await.unwrap_or(0);
        watching.store(false, Ordering::Relaxed);
        let _ = watcher.await;
        took.sort_by(f64::total_cmp);
        let p95 = percentile(&took, 0.95);
        let met = p95 <= GOAL_P95_MS && refused == 0;
        all_met &= met;
        println!(
            "under {:<38} honest receipts p50 {:>6.1} ms, p95 {:>7.1} ms, max {:>8.1} ms; refused {refused:>3} of {HONEST}; {made:>6} attacking requests; memory ≤ {} MB; goal p95 ≤ {GOAL_P95_MS} ms, none refused: {}",
            a.name(),
            percentile(&took, 0.5),
            p95,
            took.last().copied().unwrap_or(f64::NAN),
            peak.load(Ordering::Relaxed),
            if met { "met" } else { "NOT MET" }
        );
    }
    println!(
        "election night under attack ({backend}): {}",
        if all_met {
            "every goal met"
        } else {
            "some goals NOT MET"
        }
    );
    let _ = std::fs::remove_dir_all(&dir);
    if let (Some(base), Some(url)) = (&postgres, &url) {
        scratch_db::drop_database(base, url).await;
    }
}
