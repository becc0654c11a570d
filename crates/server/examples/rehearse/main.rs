//! `cargo xtask rehearse` runs this: election night with real parts, on a
//! compressed clock. A throwaway PostgreSQL database (on the cluster of
//! `POINTAGE_BENCH_POSTGRES`), three `pointage-server` processes on it, and
//! nginx in front caching what the server says may be cached; the election
//! (the organiser's own file, or a national one made here) imported by the
//! command line as an organiser would; phones simulated with the real core
//! (`phones.rs`: every report and return signed and checked, no shortcut)
//! enrolling and reporting in the morning, then sending their returns on
//! an arrival curve, with corrections, hand-overs by QR code, phones
//! replaced (their code reissued), returns signed by a stranger's key,
//! bureaux that never report; viewers reading the results through the
//! cache the whole time (`crowd.rs`); at the peak a node SIGKILLed and
//! started again, every database connection cut once, a wave of slow
//! clients.
//!
//! At the end, checked (`check.rs`): every receipt is a leaf of the
//! record, once, where it says, and the leaves run without a gap; the
//! published totals are the sum of what the simulated bureaux sent
//! (counted here); `pointage-verify` passes on the record with every
//! receipt; the viewers' figures were never more than a few seconds old.
//! A report (`report.rs`: Markdown and an SVG chart) says it all; any
//! failed check exits 1.
//!
//! Environment: `POINTAGE_BENCH_POSTGRES` (libpq's `host=… port=… user=…`),
//! `POINTAGE_SERVER_BIN`, `POINTAGE_VERIFY_BIN`, `POINTAGE_NGINX` (the
//! binaries), `REHEARSE_ELECTION` (an election definition, JSON or TOML, as
//! `election import` takes it; a national one is made when unset) and
//! `REHEARSE_SHEET` (its bureaux' spreadsheet, when the definition lists
//! none), `REHEARSE_BUREAUX` (the national one's size, default 70,000),
//! `REHEARSE_NIGHT_S` (the night's length on the compressed clock, default
//! 240 s), `REHEARSE_REPORT` (the Markdown file to write; the chart beside
//! it, `.svg`).

mod check;
mod crowd;
mod parts;
mod phones;
mod report;
#[path = "../common/scratch_db.rs"]
mod scratch_db;

use parts::{Node, Parts, Proxy, cpu_seconds, env, fail, free_port, wait_ready};
use phones::{PHONES, Phones, Sent, Timings};
use pointage_core::Election;
use pointage_testkit as kit;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How stale a viewer's figures may be (seconds): the cache keeps a copy
/// five seconds, the server's own results a moment.
const STALE_LIMIT_S: f64 = 10.0;
/// The slow clients' wave: connections trickling a header, a body.
const SLOW: (usize, usize) = (300, 100);

/// A national election: `n` bureaux, twelve candidates, a day with a
/// morning count.
fn national(n: usize) -> Election {
    let mut info = kit::polling_today("repetition", n, kit::NATIONAL_CANDIDATES).info();
    info.name = "Répétition nationale".into();
    Election::new(info).unwrap_or_else(|e| fail(&format!("the definition: {e}")))
}

/// Each bureau's enrollment code, from a codes file `election import` or
/// `election codes` wrote.
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

#[tokio::main]
async fn main() {
    let clock = Instant::now();
    let at = || clock.elapsed().as_secs_f64();
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let night_s: f64 = var("REHEARSE_NIGHT_S")
        .and_then(|v| v.parse().ok())
        .unwrap_or(240.0);
    let report_path = PathBuf::from(var("REHEARSE_REPORT").unwrap_or("rehearsal.md".into()));
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

    // The election, imported as an organiser would: theirs, or a
    // national one.
    let proxy_port = free_port();
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let (file, source) = match var("REHEARSE_ELECTION") {
        Some(file) => (PathBuf::from(&file), format!("The election of {file}")),
        None => {
            let n = var("REHEARSE_BUREAUX")
                .and_then(|v| v.parse().ok())
                .unwrap_or(kit::NATIONAL_BUREAUX);
            let file = dir.join("election.json");
            std::fs::write(&file, serde_json::to_vec(&national(n)).unwrap_or_default())
                .unwrap_or_else(|e| fail(&e.to_string()));
            (file, "A national election made for the rehearsal".into())
        }
    };
    let file_arg = file.to_string_lossy().into_owned();
    let mut import = vec!["import", file_arg.as_str()];
    let sheet = var("REHEARSE_SHEET");
    if let Some(sheet) = &sheet {
        import.extend(["--bureaux", sheet.as_str()]);
    }
    parts.election_command(&import, &proxy);
    let imported_s = at();

    // Three nodes, nginx in front.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(PHONES)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut nodes: Vec<Node> = (0..3).map(|_| parts.start_node(free_port())).collect();
    for node in &nodes {
        wait_ready(&client, &format!("http://127.0.0.1:{}", node.port)).await;
    }
    let ports: Vec<u16> = nodes.iter().map(|n| n.port).collect();
    let nginx_proxy = Proxy::start(&nginx, &dir, proxy_port, &ports);
    wait_ready(&client, &proxy).await;
    let direct = format!("http://127.0.0.1:{}", ports[0]);
    // What the phones sign for is what the server stored.
    let stored: Vec<Election> = match client
        .get(format!("{direct}/api/v1/elections"))
        .send()
        .await
    {
        Ok(r) => r
            .json()
            .await
            .unwrap_or_else(|e| fail(&format!("the elections: {e}"))),
        Err(e) => fail(&format!("the elections: {e}")),
    };
    let Some(election) = stored.into_iter().next().map(Arc::new) else {
        fail("no election was stored")
    };
    let id = election.id().to_owned();
    let n = election.bureaux().len();
    let codes = codes(&dir.join(format!("codes-{id}.csv")));

    let timings = Arc::new(Timings::new(clock));
    let sent = Arc::new(Mutex::new(Sent::default()));
    let crowd = Arc::new(crowd::Crowd::default());
    let viewers: Vec<_> = (0..crowd::VIEWERS)
        .map(|v| {
            tokio::spawn(crowd::viewer(
                v,
                client.clone(),
                proxy.clone(),
                crowd.clone(),
                timings.clone(),
                sent.clone(),
            ))
        })
        .collect();
    let phones = Phones {
        client: client.clone(),
        helper: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_else(|e| fail(&e.to_string())),
        timings: timings.clone(),
        sent: sent.clone(),
        proxy: proxy.clone(),
        election: election.clone(),
        gate: Arc::new(tokio::sync::Semaphore::new(PHONES)),
    };
    let permit = || async {
        phones
            .gate
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|e| fail(&e.to_string()))
    };

    // The morning: every bureau but one in a hundred enrolls its phone,
    // then reports its count.
    let mut morning = Vec::new();
    for (i, b) in election.bureaux().iter().enumerate() {
        if phones::silent(i) {
            continue;
        }
        let permit = permit().await;
        let (phones, code) = (
            phones.clone(),
            codes.get(&b.code).cloned().unwrap_or_default(),
        );
        morning.push(tokio::spawn(async move {
            phones.morning(i, code).await;
            drop(permit);
        }));
    }
    for t in morning {
        let _ = t.await;
    }
    let morning_s = at() - imported_s;
    // The afternoon: a phone lost now and then; the team reissues its
    // bureau's code.
    let mut replaced: HashMap<usize, String> = HashMap::new();
    for (i, b) in election.bureaux().iter().enumerate() {
        if phones::reissued(i) && !phones::silent(i) {
            parts.election_command(&["codes", "--election", &id, "--reissue", &b.code], &proxy);
            let csv = dir.join(format!("codes-{id}-{}-reissued.csv", b.code));
            if let Some(code) = self::codes(&csv).remove(&b.code) {
                replaced.insert(i, code);
            }
        }
    }

    // The night: returns on the arrival curve; at the peak a wave of slow
    // clients, a node killed and started again, every database
    // connection cut once.
    crowd.night.store(true, Ordering::Relaxed);
    let night_start = at();
    // Longer than nginx lets a header trickle (10 s).
    let hold = Duration::from_secs_f64((night_s * 0.4).clamp(12.0, 20.0));
    let wave = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs_f64(night_s * 0.05)).await;
        let from = clock.elapsed().as_secs_f64();
        let (opened, cut) = crowd::slow_wave(proxy_port, SLOW.0, SLOW.1, hold).await;
        (from, clock.elapsed().as_secs_f64(), opened, cut)
    });
    let faults = {
        let (parts, pg, client) = (parts.clone(), pg.clone(), client.clone());
        let killed = nodes.remove(1);
        tokio::spawn(async move {
            let at = || clock.elapsed().as_secs_f64();
            let mut log = Vec::new();
            tokio::time::sleep(Duration::from_secs_f64(night_s * 0.15)).await;
            let mut killed = killed;
            let _ = killed.child.kill();
            let _ = killed.child.wait();
            log.push((at(), "node 2 killed (SIGKILL)".to_owned()));
            tokio::time::sleep(Duration::from_secs(2)).await;
            let again = parts.start_node(killed.port);
            wait_ready(&client, &format!("http://127.0.0.1:{}", killed.port)).await;
            log.push((at(), "node 2 started again".to_owned()));
            tokio::time::sleep(Duration::from_secs_f64(night_s * 0.1)).await;
            let cut = parts::cut_connections(&pg, &parts.db_url).await;
            log.push((
                at(),
                format!("every database connection cut ({cut} connection(s))"),
            ));
            (again, log)
        })
    };
    let mut returns = Vec::new();
    let mut order: Vec<usize> = (0..n).filter(|i| !phones::silent(*i)).collect();
    order.sort_by(|a, b| phones::arrival(*a).total_cmp(&phones::arrival(*b)));
    for i in order {
        let wait = night_start + phones::arrival(i) * night_s - at();
        if wait > 0.0 {
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        }
        let permit = permit().await;
        let (phones, new_code) = (phones.clone(), replaced.get(&i).cloned());
        returns.push(tokio::spawn(async move {
            phones.night(i, new_code).await;
            drop(permit);
        }));
    }
    for t in returns {
        let _ = t.await;
    }
    let (node2, mut fault_log) = faults.await.unwrap_or_else(|e| fail(&e.to_string()));
    let wave = wave.await.unwrap_or_else(|e| fail(&e.to_string()));
    let night_end = at();
    // Viewers see the last figures settle, then stop.
    tokio::time::sleep(Duration::from_secs(6)).await;
    crowd.stop.store(true, Ordering::Relaxed);
    for v in viewers {
        let _ = v.await;
    }

    // Checked.
    let s = sent
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    let mut checked = check::all(&client, &direct, &id, &s, &verify_bin, &dir).await;
    let (stale_s, stale_at) = crowd.oldest.lock().map(|o| *o).unwrap_or_default();
    if stale_s > STALE_LIMIT_S {
        checked.problems.push(format!(
            "a viewer saw figures {stale_s:.1} s old (limit {STALE_LIMIT_S} s)"
        ));
    }
    let cpu: f64 = nodes.iter().map(|n| cpu_seconds(n.child.id())).sum::<f64>()
        + cpu_seconds(node2.child.id());
    fault_log.sort_by(|a, b| a.0.total_cmp(&b.0));

    // The report.
    let failed = !checked.problems.is_empty();
    let night = report::Night {
        election: match &sheet {
            Some(sheet) => format!("{source} (its bureaux from {sheet})"),
            None => source,
        },
        bureaux: n,
        silent: (0..n).filter(|i| phones::silent(*i)).count(),
        candidates: election.candidates().len(),
        imported_s,
        morning_s,
        night_asked_s: night_s,
        night: (night_start, night_end),
        total_s: 0.0,
        faults: fault_log,
        wave,
        cpu_per_1000: cpu * 1000.0 / (s.versions.max(1) as f64),
        sent: s,
        checked,
        stale: (stale_s, stale_at),
        stale_limit_s: STALE_LIMIT_S,
        timings: timings.by.lock().map(|t| t.clone()).unwrap_or_default(),
        seen: crowd.seen.lock().map(|s| s.clone()).unwrap_or_default(),
    };
    let chart_path = report_path.with_extension("svg");
    if let Some(parent) = chart_path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = night.chart(&chart_path) {
        eprintln!("rehearse: the chart: {e}");
    }
    let chart_name = chart_path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let md = report::Night {
        total_s: at(),
        ..night
    }
    .markdown(&chart_name);
    let _ = std::fs::write(&report_path, &md);
    println!("{md}");

    nginx_proxy.stop();
    for mut node in nodes.into_iter().chain([node2]) {
        let _ = node.child.kill();
    }
    scratch_db::drop_database(&pg, &db_url).await;
    let _ = std::fs::remove_dir_all(&dir);
    if failed {
        std::process::exit(1);
    }
}
