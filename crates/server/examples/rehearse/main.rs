//! `cargo xtask rehearse` runs this: election night with real parts, on a
//! compressed clock. A throwaway PostgreSQL database (on the cluster of
//! `POINTAGE_BENCH_POSTGRES`), three `pointage-server` processes on it, and
//! nginx in front caching what the server says may be cached; the election
//! imported by the command line as an organiser would; phones simulated
//! with the real core (every report and return signed and checked, no
//! shortcut) enrolling, reporting, then sending their returns on an
//! arrival curve, with corrections, returns signed by a key that is not
//! the bureau's, bureaux that never report; viewers reading the results
//! through the cache the whole time; a node SIGKILLed at the peak and
//! started again, every database connection cut once.
//!
//! At the end, checked: every receipt is a leaf of the record, once, where
//! it says; the published totals are the sum of what the simulated bureaux
//! sent (counted here); `pointage-verify` passes on the record with every
//! receipt; the viewers' figures were never more than a few seconds old.
//! A report (Markdown) says it all; any failed check exits 1.
//!
//! Environment: `POINTAGE_BENCH_POSTGRES` (libpq's `host=… port=… user=…`),
//! `POINTAGE_SERVER_BIN`, `POINTAGE_VERIFY_BIN`, `POINTAGE_NGINX` (the binaries),
//! `REHEARSE_BUREAUX` (default 70,000), `REHEARSE_NIGHT_S` (the night's
//! length on the compressed clock, default 240 s), `REHEARSE_REPORT` (the
//! Markdown file to write).

use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::ResultsResponse;
use pointage_core::{Election, SignedReturn};
use pointage_testkit as kit;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "common/scratch_db.rs"]
mod scratch_db;

const ELECTION: &str = "repetition";
const CANDIDATES: usize = kit::NATIONAL_CANDIDATES;
/// Phones sending at once, and readers of the results at once.
const PHONES: usize = 128;
const VIEWERS: usize = 8;
/// How stale a viewer's figures may be (seconds): the cache keeps a copy
/// five seconds, the server's own results a moment.
const STALE_LIMIT_S: f64 = 10.0;

fn fail(what: &str) -> ! {
    eprintln!("rehearse: {what}");
    std::process::exit(1)
}

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| fail(&format!("{name} is not set: run `cargo xtask rehearse`")))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| fail(&format!("no free port: {e}")))
}

/// Latencies by endpoint, in milliseconds, and when each was measured.
#[derive(Default)]
struct Timings {
    by: Mutex<BTreeMap<&'static str, Vec<f64>>>,
}

impl Timings {
    fn add(&self, what: &'static str, ms: f64) {
        if let Ok(mut by) = self.by.lock() {
            by.entry(what).or_default().push(ms);
        }
    }
}

/// What the simulated bureaux sent and the server acknowledged.
#[derive(Default)]
struct Sent {
    /// Each bureau's latest return received: its votes per candidate.
    latest: HashMap<String, BTreeMap<String, u64>>,
    /// Every receipt, as the server signed it (JSON).
    receipts: Vec<String>,
    versions: u64,
    corrections: u64,
    refused_as_expected: u64,
    unexpected: Vec<String>,
    /// When the count of bureaux received went up (seconds since the start
    /// of the night, count).
    counted_at: Vec<(f64, u64)>,
}

struct Node {
    port: u16,
    child: Child,
}

struct Parts {
    server_bin: String,
    db_url: String,
    dir: PathBuf,
    dist: PathBuf,
}

impl Parts {
    fn start_node(&self, port: u16) -> Child {
        Command::new(&self.server_bin)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--database-url", &self.db_url])
            .arg("--data-dir")
            .arg(&self.dir)
            .arg("--dist")
            .arg(&self.dist)
            .args(["--no-demo", "--trusted-proxy", "127.0.0.1"])
            .args(["--enroll-attempts-per-minute", "10000000"])
            .args(["--returns-per-minute", "10000000"])
            .args(["--records-per-minute", "100000"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| fail(&format!("cannot start {}: {e}", self.server_bin)))
    }
}

async fn wait_ready(client: &reqwest::Client, url: &str) {
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{url}/api/v1/health")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fail(&format!("{url} did not answer its health check"))
}

/// nginx in front of the nodes: the public reads cached as the server's
/// `Cache-Control` says, a node that fails taken out for a while and the
/// request tried on the next (a return sent twice is one return).
fn nginx_conf(dir: &Path, listen: u16, ports: &[u16]) -> PathBuf {
    let upstream: String = ports
        .iter()
        .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
        .collect();
    let d = dir.display();
    let conf = format!(
        "user root;\nworker_processes 2;\nerror_log {d}/nginx-error.log;\npid {d}/nginx.pid;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n  access_log off;\n\
           client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
           proxy_cache_path {d}/cache levels=1:2 keys_zone=pointage:10m max_size=1g;\n\
           upstream nodes {{\n{upstream}    keepalive 64;\n  }}\n\
           server {{\n    listen 127.0.0.1:{listen};\n\
             location / {{\n      proxy_pass http://nodes;\n      proxy_http_version 1.1;\n\
               proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n\
               proxy_set_header X-Forwarded-For $remote_addr;\n\
               proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n\
               proxy_next_upstream_tries 3;\n      proxy_cache pointage;\n\
               proxy_cache_lock on;\n      proxy_cache_use_stale updating;\n\
               proxy_cache_revalidate on;\n    }}\n  }}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap_or_else(|e| fail(&format!("nginx.conf: {e}")));
    for sub in ["body", "proxy", "fcgi", "uwsgi", "scgi", "cache"] {
        let _ = std::fs::create_dir_all(dir.join(sub));
    }
    path
}

/// When bureau `i` sends its return, as a share of the night: a third in
/// the first fifth, most by half-way, a long tail (a hash of `i`, the
/// same at every run).
fn arrival(i: usize) -> f64 {
    let h = kit::device_secret("arrival", i);
    let u = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as f64 / u32::MAX as f64;
    if u < 0.34 {
        u / 0.34 * 0.2
    } else if u < 0.8 {
        0.2 + (u - 0.34) / 0.46 * 0.3
    } else {
        0.5 + (u - 0.8) / 0.2 * 0.5
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Sends `body` to `url`, as a phone would: again after a network failure
/// or a busy server (at most 8 times); the status and body of the answer.
async fn send(
    client: &reqwest::Client,
    timings: &Timings,
    what: &'static str,
    url: &str,
    body: Vec<u8>,
) -> Option<(u16, String)> {
    for attempt in 0..8u32 {
        let t = Instant::now();
        let r = client
            .post(url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
        timings.add(what, t.elapsed().as_secs_f64() * 1000.0);
        match r {
            Ok(r) if r.status().as_u16() < 500 || r.status().as_u16() == 501 => {
                let status = r.status().as_u16();
                return Some((status, r.text().await.unwrap_or_default()));
            }
            _ => tokio::time::sleep(Duration::from_millis(100 << attempt.min(4))).await,
        }
    }
    None
}

fn definition(n: usize) -> Election {
    let mut info = kit::polling_today(ELECTION, n, CANDIDATES).info();
    info.name = "Répétition nationale".into();
    Election::new(info).unwrap_or_else(|e| fail(&format!("the definition: {e}")))
}

fn codes(csv: &Path) -> HashMap<String, String> {
    let text =
        std::fs::read_to_string(csv).unwrap_or_else(|e| fail(&format!("{}: {e}", csv.display())));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            Some((cells.first()?.to_string(), cells.get(3)?.to_string()))
        })
        .collect()
}

/// CPU seconds a process used (user + system), from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let n: usize = std::env::var("REHEARSE_BUREAUX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(kit::NATIONAL_BUREAUX);
    let night_s: f64 = std::env::var("REHEARSE_NIGHT_S")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240.0);
    let report_path =
        PathBuf::from(std::env::var("REHEARSE_REPORT").unwrap_or_else(|_| "rehearsal.md".into()));
    let (pg, nginx, verify_bin) = (
        env("POINTAGE_BENCH_POSTGRES"),
        env("POINTAGE_NGINX"),
        env("POINTAGE_VERIFY_BIN"),
    );
    let dir = std::env::temp_dir().join(format!("pointage-rehearse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap_or_else(|e| fail(&e.to_string()));
    let _ = std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Pointage</title>",
    );
    let db_url = scratch_db::new_database(&pg, &format!("rehearse_{}", std::process::id()))
        .await
        .unwrap_or_else(|e| fail(&e));
    let parts = Parts {
        server_bin: env("POINTAGE_SERVER_BIN"),
        db_url: db_url.clone(),
        dir: dir.clone(),
        dist,
    };

    // The election, imported as an organiser would.
    // Shared, not copied: 70,000 bureaux cloned into each phone's task would be
    // the simulator's whole night.
    let election = Arc::new(definition(n));
    let def = dir.join("election.json");
    std::fs::write(&def, serde_json::to_vec(&*election).unwrap_or_default())
        .unwrap_or_else(|e| fail(&e.to_string()));
    let proxy_port = free_port();
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let import = Command::new(&parts.server_bin)
        .args(["election", "import"])
        .arg(&def)
        .args(["--database-url", &db_url, "--base-url", &proxy])
        .arg("--data-dir")
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| fail(&e.to_string()));
    if !import.status.success() {
        fail(&String::from_utf8_lossy(&import.stderr));
    }
    let codes = codes(&dir.join(format!("codes-{ELECTION}.csv")));
    let imported = started.elapsed().as_secs_f64();

    // Three nodes, nginx in front.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(PHONES)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut nodes: Vec<Node> = (0..3)
        .map(|_| {
            let port = free_port();
            Node {
                port,
                child: parts.start_node(port),
            }
        })
        .collect();
    for node in &nodes {
        wait_ready(&client, &format!("http://127.0.0.1:{}", node.port)).await;
    }
    let ports: Vec<u16> = nodes.iter().map(|n| n.port).collect();
    let conf = nginx_conf(&dir, proxy_port, &ports);
    let mut proxy_child = Command::new(&nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(&conf)
        .args(["-g", "daemon off;"])
        .spawn()
        .unwrap_or_else(|e| fail(&format!("nginx: {e}")));
    wait_ready(&client, &proxy).await;
    let direct = format!("http://127.0.0.1:{}", ports[0]);

    let timings = Arc::new(Timings::default());
    let sent = Arc::new(Mutex::new(Sent::default()));
    let night = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let stale_max_ms = Arc::new(AtomicU64::new(0));

    // Viewers, the whole time, through the cache.
    let mut viewers = Vec::new();
    for v in 0..VIEWERS {
        let (client, timings, stop, sent, stale) = (
            client.clone(),
            timings.clone(),
            stop.clone(),
            sent.clone(),
            stale_max_ms.clone(),
        );
        let proxy = proxy.clone();
        viewers.push(tokio::spawn(async move {
            let mut k = 0u64;
            while !stop.load(Ordering::Relaxed) {
                k += 1;
                let t = Instant::now();
                let at = night.elapsed().as_secs_f64();
                if (k + v as u64).is_multiple_of(4) {
                    let r = client.get(format!("{proxy}/resultats")).send().await;
                    if let Ok(r) = r {
                        let _ = r.bytes().await;
                    }
                    timings.add("GET /resultats", t.elapsed().as_secs_f64() * 1000.0);
                } else if let Ok(r) = client.get(format!("{proxy}/api/v1/results")).send().await
                    && let Ok(res) = r.json::<ResultsResponse>().await
                {
                    timings.add("GET /api/v1/results", t.elapsed().as_secs_f64() * 1000.0);
                    // Stale by how long the count shown had been passed.
                    let shown = u64::from(res.results.coverage.reporting);
                    // (`counted_at[k]` is when the count reached k + 1.)
                    if let Ok(s) = sent.lock()
                        && let Some((passed, _)) = s.counted_at.get(shown as usize)
                    {
                        let late = ((at - passed).max(0.0) * 1000.0) as u64;
                        stale.fetch_max(late, Ordering::Relaxed);
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    // The morning: every bureau but one in a hundred enrolls its phone,
    // then reports its count.
    let silent = |i: usize| i % 100 == 37;
    let secret = |i: usize| kit::device_secret("rehearse", i);
    let bureaux: Vec<String> = election.bureaux().iter().map(|b| b.code.clone()).collect();
    let gate = Arc::new(tokio::sync::Semaphore::new(PHONES));
    let mut morning = Vec::new();
    for (i, code) in bureaux.iter().enumerate().filter(|(i, _)| !silent(*i)) {
        let permit = gate
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        let (client, timings, proxy, e) = (
            client.clone(),
            timings.clone(),
            proxy.clone(),
            election.clone(),
        );
        let (code, enrollment) = (code.clone(), codes.get(code).cloned().unwrap_or_default());
        let sent = sent.clone();
        morning.push(tokio::spawn(async move {
            let body = serde_json::to_vec(&serde_json::json!({
                "code": enrollment,
                "device_key": public_key_hex(&secret(i)),
            }))
            .unwrap_or_default();
            let enrolled = send(
                &client,
                &timings,
                "POST /api/v1/enroll",
                &format!("{proxy}/api/v1/enroll"),
                body,
            )
            .await;
            if enrolled.as_ref().map(|(s, _)| *s) != Some(200) {
                if let Ok(mut s) = sent.lock() {
                    s.unexpected.push(format!("{code}: enroll {enrolled:?}"));
                }
                drop(permit);
                return;
            }
            let report =
                kit::turnout_report(&e, &code, &secret(i), "matin", 300 + (i % 200) as u32, None);
            let r = send(
                &client,
                &timings,
                "POST /api/v1/reports",
                &format!("{proxy}/api/v1/reports"),
                report.to_bytes(),
            )
            .await;
            if !matches!(r.as_ref().map(|(s, _)| *s), Some(200 | 201))
                && let Ok(mut s) = sent.lock()
            {
                s.unexpected.push(format!("{code}: report {r:?}"));
            }
            drop(permit);
        }));
    }
    for t in morning {
        let _ = t.await;
    }
    let morning_s = night.elapsed().as_secs_f64();

    // The night: returns on the arrival curve; a node killed at the peak
    // and started again; every database connection cut once.
    let night_start = Instant::now();
    let faults = {
        let (db_url, pg) = (db_url.clone(), pg.clone());
        let node_port = nodes[1].port;
        let killed = nodes.remove(1);
        let parts_bin = parts.server_bin.clone();
        let parts_dir = parts.dir.clone();
        let parts_dist = parts.dist.clone();
        let client = client.clone();
        tokio::spawn(async move {
            let mut log = Vec::new();
            tokio::time::sleep(Duration::from_secs_f64(night_s * 0.15)).await;
            let mut killed = killed;
            let _ = killed.child.kill();
            let _ = killed.child.wait();
            let at = night_start.elapsed().as_secs_f64();
            log.push(format!("{at:.1} s: node 2 killed (SIGKILL)"));
            tokio::time::sleep(Duration::from_secs(2)).await;
            let again = Parts {
                server_bin: parts_bin,
                db_url: db_url.clone(),
                dir: parts_dir,
                dist: parts_dist,
            }
            .start_node(node_port);
            wait_ready(&client, &format!("http://127.0.0.1:{node_port}")).await;
            log.push(format!(
                "{:.1} s: node 2 started again",
                night_start.elapsed().as_secs_f64()
            ));
            tokio::time::sleep(Duration::from_secs_f64(night_s * 0.1)).await;
            if let Ok((c, conn)) =
                tokio_postgres::connect(&format!("{pg} dbname=postgres"), tokio_postgres::NoTls)
                    .await
            {
                tokio::spawn(conn);
                let name = db_url
                    .rsplit("dbname=")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let cut = c
                    .execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                        &[&name],
                    )
                    .await
                    .unwrap_or(0);
                log.push(format!(
                    "{:.1} s: every database connection cut ({cut} statement(s))",
                    night_start.elapsed().as_secs_f64()
                ));
            }
            (again, log)
        })
    };
    let mut returns = Vec::new();
    let mut order: Vec<usize> = (0..bureaux.len()).filter(|i| !silent(*i)).collect();
    order.sort_by(|a, b| arrival(*a).total_cmp(&arrival(*b)));
    for i in order {
        let due = Duration::from_secs_f64(arrival(i) * night_s);
        if let Some(wait) = due.checked_sub(night_start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
        let permit = gate
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        let (client, timings, proxy, e, sent) = (
            client.clone(),
            timings.clone(),
            proxy.clone(),
            election.clone(),
            sent.clone(),
        );
        let code = bureaux[i].clone();
        returns.push(tokio::spawn(async move {
            let url = format!("{proxy}/api/v1/returns");
            let signed_at = 1_800_000_000_000;
            let v1 = kit::signed_version(
                &*e,
                &code,
                kit::plausible_pv(i, CANDIDATES),
                &secret(i),
                signed_at,
                None,
            );
            let mut latest = accepted(&client, &timings, &url, &v1, &code, &sent, night)
                .await
                .then_some(v1);
            // One in fifty corrects its PV.
            if i % 50 == 3
                && let Some(v1) = latest.take()
            {
                let v2 = kit::signed_version(
                    &*e,
                    &code,
                    kit::plausible_pv(i + 1, CANDIDATES),
                    &secret(i),
                    signed_at + 1,
                    Some((&v1, "Erreur de report.".into())),
                );
                let ok = accepted(&client, &timings, &url, &v2, &code, &sent, night).await;
                if ok && let Ok(mut s) = sent.lock() {
                    s.corrections += 1;
                }
            }
            // One in two hundred: a return signed by a key that never was
            // the bureau's, refused.
            if i % 200 == 11 {
                let forged = kit::signed_version(
                    &*e,
                    &code,
                    kit::plausible_pv(i + 7, CANDIDATES),
                    &kit::device_secret("stranger", i),
                    signed_at,
                    None,
                );
                let r = send(
                    &client,
                    &timings,
                    "POST /api/v1/returns",
                    &url,
                    forged.to_bytes(),
                )
                .await;
                if let Ok(mut s) = sent.lock() {
                    match r {
                        Some((403, _)) => s.refused_as_expected += 1,
                        other => s
                            .unexpected
                            .push(format!("{code}: a stranger's return answered {other:?}")),
                    }
                }
            }
            drop(permit);
        }));
    }
    for t in returns {
        let _ = t.await;
    }
    let (node2, fault_log) = faults.await.unwrap_or_else(|e| fail(&e.to_string()));
    let night_s_real = night_start.elapsed().as_secs_f64();
    // Viewers see the last figures settle, then stop.
    tokio::time::sleep(Duration::from_secs(6)).await;
    stop.store(true, Ordering::Relaxed);
    for v in viewers {
        let _ = v.await;
    }

    // Checked.
    let mut problems: Vec<String> = Vec::new();
    let s = sent
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    problems.extend(s.unexpected.iter().take(20).cloned());
    if s.unexpected.len() > 20 {
        problems.push(format!(
            "… and {} more unexpected answers",
            s.unexpected.len() - 20
        ));
    }
    let record = client
        .get(format!("{direct}/api/v1/record?election={ELECTION}"))
        .send()
        .await
        .and_then(|r| r.error_for_status());
    let record = match record {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => fail(&format!("the record: {e}")),
    };
    let record_file = dir.join("record.jsonl");
    let _ = std::fs::write(&record_file, &record);
    let mut leaf_of: HashMap<String, Vec<u64>> = HashMap::new();
    for line in record.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        if v["type"] == "leaf" && v["entry"]["type"] == "return" {
            let bytes = pointage_core::canonical::encode(&v["entry"]["return"]).unwrap_or_default();
            if let Some(id) = SignedReturn::id_of(&bytes) {
                leaf_of
                    .entry(id)
                    .or_default()
                    .push(v["index"].as_u64().unwrap_or(0));
            }
        }
    }
    let mut receipts_ok = 0;
    for r in &s.receipts {
        let v: serde_json::Value = serde_json::from_str(r).unwrap_or_default();
        let (id, seq) = (
            v["body"]["return_id"].as_str().unwrap_or_default(),
            v["body"]["sequence"].as_u64().unwrap_or(0),
        );
        match leaf_of.get(id).map(Vec::as_slice) {
            Some([at]) if *at == seq => receipts_ok += 1,
            Some(at) => problems.push(format!(
                "return {id}: receipt n° {seq}, in the record at {at:?}"
            )),
            None => problems.push(format!("return {id}: receipt n° {seq}, not in the record")),
        }
    }
    if leaf_of.len() as u64 != s.versions {
        problems.push(format!(
            "{} returns in the record, {} received by the phones",
            leaf_of.len(),
            s.versions
        ));
    }
    let results: ResultsResponse = match client
        .get(format!("{direct}/api/v1/results?election={ELECTION}"))
        .send()
        .await
    {
        Ok(r) => r
            .json()
            .await
            .unwrap_or_else(|e| fail(&format!("the results: {e}"))),
        Err(e) => fail(&format!("the results: {e}")),
    };
    let mut ours: BTreeMap<String, u64> = BTreeMap::new();
    for votes in s.latest.values() {
        for (c, n) in votes {
            *ours.entry(c.clone()).or_default() += n;
        }
    }
    for c in &results.results.candidates {
        let mine = ours.get(&c.id).copied().unwrap_or(0);
        if mine != c.votes {
            problems.push(format!("{}: published {}, sent {mine}", c.id, c.votes));
        }
    }
    if u64::from(results.results.coverage.reporting) != s.latest.len() as u64 {
        problems.push(format!(
            "coverage: published {} bureaux, {} sent",
            results.results.coverage.reporting,
            s.latest.len()
        ));
    }
    let receipts_file = dir.join("receipts.jsonl");
    let _ = std::fs::write(&receipts_file, s.receipts.join("\n") + "\n");
    let verify = Command::new(&verify_bin)
        .arg(&direct)
        .args(["--election", ELECTION, "--en", "--receipt"])
        .arg(&receipts_file)
        .output()
        .unwrap_or_else(|e| fail(&format!("{verify_bin}: {e}")));
    let verified = verify.status.success();
    if !verified {
        problems.push(format!(
            "pointage-verify failed: {}",
            String::from_utf8_lossy(&verify.stdout)
                .lines()
                .filter(|l| l.contains('!') || l.contains("FAIL") || l.contains("not"))
                .take(5)
                .collect::<Vec<_>>()
                .join(" / ")
        ));
    }
    let stale_s = stale_max_ms.load(Ordering::Relaxed) as f64 / 1000.0;
    if stale_s > STALE_LIMIT_S {
        problems.push(format!(
            "a viewer saw figures {stale_s:.1} s old (limit {STALE_LIMIT_S} s)"
        ));
    }
    let cpu: f64 =
        nodes.iter().map(|n| cpu_seconds(n.child.id())).sum::<f64>() + cpu_seconds(node2.id());

    // The report.
    let mut md = format!(
        "# Pointage — election night rehearsed\n\n\
         {n} bureaux, {CANDIDATES} candidates; 3 nodes on one PostgreSQL database, nginx in front.\n\n\
         | | |\n|---|---|\n\
         | import (command line) | {imported:.1} s |\n\
         | the morning: enrollments and reports | {morning_s:.1} s |\n\
         | the night (compressed: {night_s:.0} s asked) | {night_s_real:.1} s |\n\
         | returns received (versions) | {} |\n| bureaux counted | {} of {n} (1 in 100 never reports) |\n\
         | corrections | {} |\n| returns signed by a stranger's key, refused | {} |\n\
         | receipts found in the record where they say | {receipts_ok} of {} |\n\
         | pointage-verify, every receipt given | {} |\n\
         | oldest figures a viewer saw | {stale_s:.1} s |\n\
         | server CPU per 1,000 returns | {:.2} s |\n\
         | the whole rehearsal | {:.0} s |\n\n## Faults\n\n",
        s.versions,
        s.latest.len(),
        s.corrections,
        s.refused_as_expected,
        s.receipts.len(),
        if verified { "holds" } else { "FAILED" },
        cpu * 1000.0 / (s.versions.max(1) as f64),
        started.elapsed().as_secs_f64(),
    );
    for f in &fault_log {
        md.push_str(&format!("- {f}\n"));
    }
    md.push_str("\n## Latency through nginx (ms)\n\n| endpoint | requests | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n");
    if let Ok(by) = timings.by.lock() {
        for (what, ms) in by.iter() {
            let mut ms = ms.clone();
            ms.sort_by(f64::total_cmp);
            md.push_str(&format!(
                "| {what} | {} | {:.1} | {:.1} | {:.1} |\n",
                ms.len(),
                percentile(&ms, 0.5),
                percentile(&ms, 0.95),
                percentile(&ms, 0.99)
            ));
        }
    }
    md.push_str("\n## Checks\n\n");
    if problems.is_empty() {
        md.push_str("Every check holds.\n");
    } else {
        for p in &problems {
            md.push_str(&format!("- FAILED: {p}\n"));
        }
    }
    let _ = std::fs::write(&report_path, &md);
    println!("{md}");

    // Down: nginx asked to stop (killed, its master would leave its
    // workers behind).
    let _ = Command::new(&nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(&conf)
        .args(["-s", "stop"])
        .status();
    let _ = proxy_child.wait();
    for mut node in nodes {
        let _ = node.child.kill();
    }
    let mut node2 = node2;
    let _ = node2.kill();
    scratch_db::drop_database(&pg, &db_url).await;
    let _ = std::fs::remove_dir_all(&dir);
    if !problems.is_empty() {
        std::process::exit(1);
    }
}

/// Sends a return; when the server takes it, keeps its receipt and its
/// votes as the bureau's latest.
async fn accepted(
    client: &reqwest::Client,
    timings: &Timings,
    url: &str,
    ret: &SignedReturn,
    code: &str,
    sent: &Mutex<Sent>,
    night: Instant,
) -> bool {
    let r = send(client, timings, "POST /api/v1/returns", url, ret.to_bytes()).await;
    let Ok(mut s) = sent.lock() else {
        return false;
    };
    match r {
        Some((200 | 201, body)) => {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            s.receipts.push(v["receipt"].to_string());
            let votes = ret
                .body()
                .pv
                .voix
                .iter()
                .map(|(c, n)| (c.clone(), u64::from(n.unwrap_or(0))))
                .collect();
            let first = s.latest.insert(code.to_owned(), votes).is_none();
            s.versions += 1;
            if first {
                let count = s.counted_at.len() as u64 + 1;
                s.counted_at.push((night.elapsed().as_secs_f64(), count));
            }
            true
        }
        other => {
            s.unexpected
                .push(format!("{code}: return answered {other:?}"));
            false
        }
    }
}
