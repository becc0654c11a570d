//! `cargo xtask bench` runs this (optimised): the server takes the day's
//! turnout reports (70,000 bureaux × 3 checkpoints), then the returns of
//! a national election (70,000 bureaux) over HTTP, each checked by core and
//! stored durably (SQLite WAL, synchronous FULL, on disk), and answered with
//! a signed receipt. It reports returns per second and where the time goes.
//!
//! Setup (not timed): the election is stored, every bureau enrolled with its
//! own key straight through the storage layer (the API rate-limits
//! enrollment per address, as it should), and every report and return
//! signed by core. Then `CLIENTS` concurrent HTTP clients send them all to
//! a server listening on a local port, in the same process, sharing this
//! machine's cores; the server lets this one address send them all and
//! hold as many connections as it likes (its bounds per address are for
//! strangers).
//!
//! With `POINTAGE_BENCH_POSTGRES` (libpq's `host=… port=… user=…` of a
//! cluster it may create a database on; `cargo xtask bench` starts one),
//! the servers keep their state in PostgreSQL instead, and
//! `POINTAGE_BENCH_NODES=N` starts N servers on that one database (in this
//! process, each with its own pool, writer and caches, as N processes
//! would have), the clients spread over them.

use pointage_core::signed_return::public_key_hex;

use pointage_server::db::Db;
use pointage_server::{AppState, router};
use pointage_testkit as kit;

#[path = "common/scratch_db.rs"]
mod scratch_db;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const BUREAUX: usize = kit::NATIONAL_BUREAUX;
const CANDIDATES: usize = kit::NATIONAL_CANDIDATES;
/// Phones sending at once. On election night tens of thousands may; 256
/// keeps enough requests in flight for the writer to commit in groups.
const CLIENTS: usize = 256;
const GOAL_PER_SECOND: f64 = 7_000.0;
/// Turnout reports a second: 70,000 bureaux reporting a checkpoint within
/// a minute of each other, a far steeper peak than a real one.
const REPORT_GOAL_PER_SECOND: f64 = 1_200.0;

fn fail(what: &str) -> ! {
    eprintln!("bench_ingest: {what}");
    std::process::exit(1)
}

/// CPU seconds this process has used (user + system), from /proc on Linux;
/// `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[tokio::main]
async fn main() {
    let setup = Instant::now();
    let dir = std::env::temp_dir().join(format!("pointage-bench-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let postgres = std::env::var("POINTAGE_BENCH_POSTGRES").ok();
    let nodes: usize = std::env::var("POINTAGE_BENCH_NODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let url = match &postgres {
        Some(base) => Some(
            scratch_db::new_database(base, &format!("bench_{}", std::process::id()))
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
    let backend = match &postgres {
        Some(_) => format!("PostgreSQL, {nodes} node(s) on one database"),
        None => "SQLite".to_owned(),
    };
    println!("storage: {backend}");
    // With the day's three checkpoints (opening, 12:00, 17:00).
    let e = kit::with_day(&kit::national());
    let codes = db
        .store_election(&e, 0)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let keys: Vec<String> = (0..codes.len())
        .map(|i| public_key_hex(&kit::device_secret("bench", i)))
        .collect();
    let devices: Vec<(&str, &str)> = codes
        .iter()
        .zip(&keys)
        .map(|(c, k)| (c.code.as_str(), k.as_str()))
        .collect();
    db.enroll_all(&devices, 0)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let returns: Vec<Vec<u8>> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let p = kit::plausible_pv(i, CANDIDATES);
            kit::signed_return(
                &e,
                &code.bureau,
                p,
                &kit::device_secret("bench", i),
                1_800_000_000_000,
            )
            .to_bytes()
        })
        .collect();
    // Each bureau's report at each checkpoint, signed on every core.
    let checkpoints: Vec<String> = e.checkpoints().iter().map(|c| c.id.clone()).collect();
    let reports: Vec<Vec<u8>> = {
        let work: Vec<(usize, usize)> = (0..checkpoints.len())
            .flat_map(|k| (0..codes.len()).map(move |i| (k, i)))
            .collect();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = work.len().div_ceil(cores);
        std::thread::scope(|scope| {
            let handles: Vec<_> = work
                .chunks(chunk)
                .map(|part| {
                    let (e, codes, checkpoints) = (&e, &codes, &checkpoints);
                    scope.spawn(move || {
                        part.iter()
                            .map(|&(k, i)| {
                                kit::turnout_report(
                                    e,
                                    &codes[i].bureau,
                                    &kit::device_secret("bench", i),
                                    &checkpoints[k],
                                    100 * (k as u32 + 1),
                                    None,
                                )
                                .to_bytes()
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|_| fail("signing reports")))
                .collect()
        })
    };
    println!(
        "setup: {BUREAUX} bureaux enrolled, their returns and {} reports signed in {:.1} s",
        reports.len(),
        setup.elapsed().as_secs_f64()
    );

    let dist = dir.join("dist");
    let _ = std::fs::create_dir_all(&dist);
    let _ = std::fs::write(dist.join("index.html"), "<!doctype html>");
    let mut addrs = Vec::new();
    for k in 0..nodes {
        let node_db = if k == 0 {
            db.clone()
        } else {
            open().unwrap_or_else(|e| fail(&e.to_string()))
        };
        let mut state = AppState::new(node_db).unwrap_or_else(|e| fail(&e.to_string()));
        // Every phone of the nation sends from this one address: the
        // allowance per address (600 a minute) would refuse all but the
        // first few hundred, as it should for one client.
        state.limits =
            Arc::new(pointage_server::Limits::default().returns_per_minute(u32::MAX / 2));
        // And over as many connections as it likes (the bound per address
        // is for strangers, as the allowance is).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        addrs.push(
            listener
                .local_addr()
                .unwrap_or_else(|e| fail(&e.to_string())),
        );
        let bounds = pointage_server::serve::Bounds {
            max_per_client: usize::MAX,
            ..Default::default()
        };
        tokio::spawn(pointage_server::serve::serve(
            listener,
            router(state, dist.clone()),
            bounds,
            std::future::pending(),
        ));
    }
    let addr = addrs[0];

    let client = reqwest::Client::new();
    // The day: every bureau's report at each checkpoint, in turn.
    let report_urls: Vec<String> = addrs
        .iter()
        .map(|a| format!("http://{a}/api/v1/reports"))
        .collect();
    let (sent, elapsed) = send_all(&client, report_urls, reports).await;
    let stored = db
        .log_size("bench-national")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let per_second = sent as f64 / elapsed;
    println!(
        "report ingest over HTTP ({backend}): {sent} reports ({BUREAUX} bureaux × {} checkpoints) in {elapsed:.1} s = {per_second:.0} reports/s ({CLIENTS} concurrent clients, durable commits); log now {stored} leaves; goal {REPORT_GOAL_PER_SECOND:.0}/s: {}",
        checkpoints.len(),
        if per_second >= REPORT_GOAL_PER_SECOND {
            "met"
        } else {
            "NOT MET"
        }
    );

    let urls: Vec<String> = addrs
        .iter()
        .map(|a| format!("http://{a}/api/v1/returns"))
        .collect();
    let cpu_start = cpu_seconds();
    let (created, elapsed) = send_all(&client, urls, returns).await;
    let cpu = cpu_start.zip(cpu_seconds()).map(|(a, b)| b - a);
    let stored = db
        .return_count("bench-national")
        .unwrap_or_else(|e| fail(&e.to_string()));
    if created != BUREAUX || stored != BUREAUX as u64 {
        fail(&format!(
            "{created} answered, {stored} stored, of {BUREAUX}"
        ));
    }
    let per_second = BUREAUX as f64 / elapsed;
    println!(
        "ingest over HTTP ({backend}): {BUREAUX} returns in {elapsed:.1} s = {per_second:.0} returns/s ({CLIENTS} concurrent clients, durable commits, {} cores); goal {GOAL_PER_SECOND:.0}/s: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if per_second >= GOAL_PER_SECOND {
            "met"
        } else {
            "NOT MET"
        }
    );
    if let Some(cpu) = cpu {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        println!(
            "  CPU busy {:.0} % of {cores} cores ({:.0} µs of CPU per return, server and the load-generating clients together); signature check alone ≈ 55 µs of it (bench_returns)",
            100.0 * cpu / (elapsed * cores),
            1e6 * cpu / BUREAUX as f64,
        );
    }
    // What the results cost once every bureau has reported: computed, then
    // served again from the cache while nothing changes.
    let results_url = format!("http://{addr}/api/v1/results");
    for what in ["computed", "cached"] {
        let t = Instant::now();
        let resp = client
            .get(&results_url)
            .send()
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        let body = resp.bytes().await.unwrap_or_else(|e| fail(&e.to_string()));
        println!(
            "results with all {BUREAUX} bureaux reporting, {what}: {:.0} ms ({} KB of JSON)",
            t.elapsed().as_secs_f64() * 1e3,
            body.len() / 1024
        );
    }
    // Election-night viewers: results requests a second from 32 clients at
    // once, each answered whole (a browser with no copy), then revalidated
    // (a cache or a browser holding the current tag: 304, no body).
    let tag = client
        .get(&results_url)
        .send()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()))
        .headers()
        .get(reqwest::header::ETAG)
        .cloned();
    for (what, tag) in [("whole answers", None), ("revalidated, 304", tag)] {
        let rate = requests_per_second(&client, &results_url, tag, false).await;
        println!("results requests/s, {what}: {rate:.0}");
    }
    // The bureaux list, a page at a time: the first page, the last, and a
    // search over every bureau's code, name and commune.
    for (what, query) in [
        ("first page of 50", "limit=50".to_owned()),
        (
            "last page of 50",
            format!("limit=50&offset={}", BUREAUX - 50),
        ),
        ("search by text", "q=069-&limit=50".to_owned()),
    ] {
        let t = Instant::now();
        let resp = client
            .get(format!("http://{addr}/api/v1/bureaux?{query}"))
            .send()
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        let body = resp.bytes().await.unwrap_or_else(|e| fail(&e.to_string()));
        println!(
            "bureaux of {BUREAUX}, {what}: {:.1} ms ({} KB of JSON)",
            t.elapsed().as_secs_f64() * 1e3,
            body.len() / 1024
        );
    }
    // The results page, as a browser asks for it (brotli): whole, then
    // revalidated (what its 30 s refresh costs while nothing changes), and
    // a search, which reads every bureau.
    let page_url = format!("http://{addr}/resultats");
    let first = client
        .get(&page_url)
        .header(reqwest::header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let tag = first.headers().get(reqwest::header::ETAG).cloned();
    let sent = first.bytes().await.unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "results page with {BUREAUX} bureaux: {} KB as sent (brotli)",
        sent.len() / 1024
    );
    for (what, url, tag) in [
        ("whole", page_url.clone(), None),
        ("revalidated, 304", page_url.clone(), tag),
        (
            "a search by text, whole",
            format!("{page_url}?q=069-"),
            None,
        ),
    ] {
        let rate = requests_per_second(&client, &url, tag, true).await;
        println!("results page requests/s (brotli), {what}: {rate:.0}");
    }
    // The public record of every return, streamed a batch at a time.
    let t = Instant::now();
    let mut resp = client
        .get(format!("http://{addr}/api/v1/record"))
        .send()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = resp.chunk().await.unwrap_or_else(|e| fail(&e.to_string())) {
        bytes += chunk.len();
        lines += chunk.iter().filter(|&&b| b == b'\n').count();
    }
    println!(
        "public record with {BUREAUX} returns, streamed: {:.1} s ({} lines, {} MB)",
        t.elapsed().as_secs_f64(),
        lines,
        bytes / 1_000_000
    );
    let _ = std::fs::remove_dir_all(&dir);
    if let (Some(base), Some(url)) = (&postgres, &url) {
        scratch_db::drop_database(base, url).await;
    }
}

/// Sends every body, `CLIENTS` at a time spread over `urls`, each
/// expecting `201`: how many were created, and in how many seconds.
async fn send_all(
    client: &reqwest::Client,
    urls: Vec<String>,
    bodies: Vec<Vec<u8>>,
) -> (usize, f64) {
    let (urls, bodies) = (Arc::new(urls), Arc::new(bodies));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (urls, bodies, next, client) =
            (urls.clone(), bodies.clone(), next.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let url = &urls[c % urls.len()];
            let mut created = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else { break };
                let resp = client
                    .post(url.as_str())
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap_or_else(|e| fail(&format!("{e:?}")));
                if resp.status() != 201 {
                    let status = resp.status();
                    let text = resp.text().await.unwrap_or_default();
                    fail(&format!("{url}: body {i} got {status}: {text}"));
                }
                let _ = resp.bytes().await;
                created += 1;
            }
            created
        }));
    }
    let mut created = 0;
    for t in tasks {
        created += t.await.unwrap_or_else(|e| fail(&e.to_string()));
    }
    (created, start.elapsed().as_secs_f64())
}

/// How many GETs of `url` the server answers a second, from 32 clients
/// asking in a loop for 3 s, each with `tag` as `If-None-Match` when given.
async fn requests_per_second(
    client: &reqwest::Client,
    url: &str,
    tag: Option<reqwest::header::HeaderValue>,
    brotli: bool,
) -> f64 {
    let start = Instant::now();
    let period = std::time::Duration::from_secs(3);
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (client, url, tag) = (client.clone(), url.to_owned(), tag.clone());
            tokio::spawn(async move {
                let mut answered = 0u64;
                while start.elapsed() < period {
                    let mut req = client.get(&url);
                    if let Some(t) = &tag {
                        req = req.header(reqwest::header::IF_NONE_MATCH, t.clone());
                    }
                    if brotli {
                        req = req.header(reqwest::header::ACCEPT_ENCODING, "br");
                    }
                    if let Ok(resp) = req.send().await
                        && resp.bytes().await.is_ok()
                    {
                        answered += 1;
                    }
                }
                answered
            })
        })
        .collect();
    let mut total = 0u64;
    for t in tasks {
        total += t.await.unwrap_or(0);
    }
    total as f64 / start.elapsed().as_secs_f64()
}
