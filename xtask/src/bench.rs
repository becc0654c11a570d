//! `cargo xtask bench`: the figures that speed and size targets are judged
//! by: the release bundles of the three apps (bureau, deposit, table
//! phone), each file
//! and the total, raw and compressed as the server sends it (brotli 11,
//! precompressed at build; gzip 9 for browsers without brotli), and the
//! results page's first load as the server sends it (it writes that page);
//! the cost of a tally-log append; signed-return
//! verification; ingest over HTTP (turnout reports, then returns); in headless Chromium, the time from a tap
//! to the updated count on the counting screen, at ballot 10 and 10,000, and
//! from a keystroke to its paint on the PV form with the CPU slowed 4×;
//! Lighthouse's mobile audit of the home, results, deposit and table
//! pages (the deposit page opened from a bureau's first QR code,
//! `/deposer#PTG1-…`, the table page from a join code, `/rejoindre#PTJ1-…`),
//! with its slow 4G simulated, then applied.

use crate::server::{Server, tempdir};
use crate::{app, cmd, precompress, step, tools};
use std::path::{Path, PathBuf};

/// The compressed size the bureau app must stay under (what a phone
/// downloads: brotli, which every browser the app supports accepts).
const BUDGET_BYTES: u64 = 300 * 1024;

/// The same for each of the pages strangers' phones open cold.
const PUBLIC_BUDGET_BYTES: u64 = 100 * 1024;

/// The same for a table phone's app (a scrutateur's own phone, opened cold
/// from the invitation).
const TABLE_BUDGET_BYTES: u64 = 150 * 1024;

pub fn run() -> Result<(), String> {
    let dist = app::build_release()?;
    let mut files = Vec::new();
    collect(&dist, &mut files)?;
    files.retain(|p| !p.extension().is_some_and(|x| x == "br" || x == "gz"));
    files.sort();
    let (mut bureau_files, mut others) = (files, Vec::new());
    for (what, _, dir) in app::APPS_OF_THEIR_OWN {
        let (own, rest): (Vec<PathBuf>, Vec<PathBuf>) = bureau_files
            .into_iter()
            .partition(|p| p.starts_with(dist.join(dir)));
        bureau_files = rest;
        let budget = if dir == "public" {
            PUBLIC_BUDGET_BYTES
        } else {
            TABLE_BUDGET_BYTES
        };
        others.push((what, dir, own, budget));
    }
    step("release bundle size: the bureau app (dist/, but the other apps' folders)");
    bundle("bureau app", &dist, &bureau_files, BUDGET_BYTES)?;
    for (what, dir, own, budget) in others {
        step(&format!("release bundle size: {what} (dist/{dir}/)"));
        bundle(what, &dist, &own, budget)?;
    }

    step("core: appending to the tally log (optimised build)");
    run_example("pointage-core", "bench_tally")?;
    step("core: verifying and decoding signed returns (optimised build, one core)");
    run_example("pointage-core", "bench_returns")?;
    step("server: ingesting a national election's returns over HTTP, SQLite (optimised build)");
    run_example("pointage-server", "bench_ingest")?;
    step("server: the central team's board over 10,000 bureaux, and its 304 refresh, SQLite");
    run_example("pointage-server", "bench_board")?;
    step("server: honest receipts while attackers send what the attack issue lists, SQLite");
    run_example("pointage-server", "bench_attack")?;
    {
        let cluster = crate::postgres::Cluster::start()?;
        step("server: the same attacks, PostgreSQL (a throwaway cluster)");
        let pg = ("POINTAGE_BENCH_POSTGRES", cluster.conn.as_str());
        run_example_with("pointage-server", "bench_attack", &[pg])?;
        for nodes in ["1", "3"] {
            step(&format!(
                "server: ingesting on PostgreSQL, {nodes} node(s) on one database (a throwaway cluster)"
            ));
            run_example_with(
                "pointage-server",
                "bench_ingest",
                &[pg, ("POINTAGE_BENCH_NODES", nodes)],
            )?;
        }
    }
    step("verifier: a national election's record, 70,000 returns (optimised build, every core)");
    run_example("pointage-verify", "bench_verify")?;
    step("fuzzing: everything read from outside, 1,000,000 cases per target (proptest)");
    fuzz()?;
    step(
        "app: tap to updated count, cold and warm offline start (release build, headless Chromium)",
    );
    browser_bench(&dist)
}

/// Prints each file's size, raw and compressed as sent, and the app's total.
fn bundle(app: &str, dist: &Path, files: &[PathBuf], budget: u64) -> Result<(), String> {
    let (mut raw_total, mut gz_total, mut br_total) = (0u64, 0u64, 0u64);
    println!("{:>10} {:>10} {:>10}  file", "raw B", "gzip B", "brotli B");
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let gz = precompress::gzip(&bytes, 9)?.len() as u64;
        let br = precompress::brotli(&bytes)?.len() as u64;
        raw_total += bytes.len() as u64;
        gz_total += gz;
        br_total += br;
        let name = path.strip_prefix(dist).unwrap_or(path).display();
        println!("{:>10} {gz:>10} {br:>10}  {name}", bytes.len());
    }
    println!(
        "{raw_total:>10} {gz_total:>10} {br_total:>10}  total ({} files)",
        files.len()
    );
    println!(
        "\n{app}: {:.1} KiB raw, {:.1} KiB gzip, {:.1} KiB brotli; budget {} KiB as sent (brotli): {:.0} % used",
        raw_total as f64 / 1024.0,
        gz_total as f64 / 1024.0,
        br_total as f64 / 1024.0,
        budget / 1024,
        br_total as f64 * 100.0 / budget as f64
    );
    Ok(())
}

/// Runs the Playwright benchmarks (`e2e/bench/`) against the release app
/// served by the real server.
fn browser_bench(dist: &Path) -> Result<(), String> {
    let chromium = tools::ensure_chromium()?;
    tools::ensure_node_tools()?;
    let server_bin = app::build_server("dev")?;
    let data = tempdir("bench-data")?;
    let mut server = Server::start(&server_bin, dist, &data)?;
    let result = cmd::run(
        std::process::Command::new(tools::node_bin("playwright"))
            .args(["test", "--config", "e2e/bench.config.ts"])
            .env("BASE_URL", &server.url)
            .env("DEMO_CODES_CSV", data.join("codes-demo-2027-t1.csv"))
            .env("CHROMIUM_PATH", &chromium.chromium)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            // The kill and witness benches start a server of their own
            // (e2e/own-server.ts); the witness bench grows its log with
            // SQLite's command line.
            .env("POINTAGE_SERVER_BIN", &server_bin)
            .env("POINTAGE_DIST", dist)
            .env("SQLITE3", tools::ensure_sqlite3()?)
            .current_dir(crate::root()),
    )
    .and_then(|()| {
        // The bureau's home, and the three pages strangers' phones open cold,
        // each first load against its budget (the results page is written
        // by the server, so its bytes are what Lighthouse was sent).
        let deposit = format!("/deposer#{}", first_part("handover.json")?);
        let join = format!("/rejoindre#{}", first_part("join.json")?);
        for (page, path, budget) in [
            ("home", "/", BUDGET_BYTES),
            ("results", "/resultats", PUBLIC_BUDGET_BYTES),
            ("deposit", deposit.as_str(), PUBLIC_BUDGET_BYTES),
            // A scrutateur's phone opening the table app from the bureau's
            // join code, at the count.
            ("table", join.as_str(), TABLE_BUDGET_BYTES),
        ] {
            for throttling in [Throttling::Simulated, Throttling::Applied] {
                step(&format!(
                    "app: Lighthouse mobile audit of the {page} page, {} throttling \
                     (release build, system Chromium)",
                    throttling.name()
                ));
                let audit = Audit {
                    page,
                    path,
                    budget,
                    throttling,
                };
                lighthouse(&server.url, &audit, &chromium.chromium, &data)?;
            }
        }
        Ok(())
    });
    server.stop();
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// The first QR code's part of one of core's vectors (`name`, whose
/// `parts` are addresses `…#PART`): the deposit page is audited as a
/// helper's phone opens it from a bureau's first code (`handover.json`),
/// a table phone's as a scrutateur's opens it from the join code
/// (`join.json`).
fn first_part(name: &str) -> Result<String, String> {
    let path = crate::root().join("crates/core/tests/vectors").join(name);
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    v["parts"][0]
        .as_str()
        .and_then(|url| url.split_once('#'))
        .map(|(_, part)| part.to_owned())
        .ok_or_else(|| format!("{}: no part in \"parts\"", path.display()))
}

/// How Lighthouse slows the page down to a phone's slow 4G and CPU.
#[derive(Clone, Copy, PartialEq)]
enum Throttling {
    /// Its default: the page loaded at full speed, the slow load estimated
    /// from that trace. Blind to what a page draws before a download ends
    /// when, at full speed on this machine, the download ended first: the
    /// home page's copy drawn while the app downloads (`index.html`).
    Simulated,
    /// Chromium itself slowed down (`--throttling-method=devtools`): what a
    /// phone on slow 4G sees, paint by paint; noisier.
    Applied,
}

impl Throttling {
    fn name(self) -> &'static str {
        match self {
            Throttling::Simulated => "simulated",
            Throttling::Applied => "applied",
        }
    }
}

/// One page audited: `path`, called `page`, its first load against `budget`.
struct Audit<'a> {
    page: &'a str,
    path: &'a str,
    budget: u64,
    throttling: Throttling,
}

/// Lighthouse's mobile audit (a phone's screen, slow 4G and a 4× slower
/// CPU) of one page: the three scores the issues judge, the load figures
/// behind the performance one, and (simulated) the bytes of a first load
/// (every request, headers included), against its budget.
fn lighthouse(url: &str, audit: &Audit, chromium: &Path, dir: &Path) -> Result<(), String> {
    let Audit {
        page,
        path,
        budget,
        throttling,
    } = *audit;
    let mode = throttling.name();
    let report = dir.join(format!("lighthouse-{page}-{mode}.json"));
    cmd::run(
        std::process::Command::new(tools::node_bin("lighthouse"))
            .arg(format!("{}{path}", url.trim_end_matches('/')))
            .args(["--only-categories=performance,accessibility,best-practices"])
            .args(["--chrome-flags=--headless=new --no-sandbox --disable-gpu"])
            .arg(match throttling {
                Throttling::Simulated => "--throttling-method=simulate",
                Throttling::Applied => "--throttling-method=devtools",
            })
            .args(["--output=json", "--quiet"])
            .arg(format!("--output-path={}", report.display()))
            .env("CHROME_PATH", chromium)
            .current_dir(crate::root()),
    )?;
    let text = std::fs::read_to_string(&report)
        .map_err(|e| format!("reading {}: {e}", report.display()))?;
    let r: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("Lighthouse's report: {e}"))?;
    if let Some(e) = r.get("runtimeError") {
        return Err(format!("Lighthouse could not audit the page: {e}"));
    }
    let score = |c: &str| {
        r["categories"][c]["score"]
            .as_f64()
            .map_or("none".to_owned(), |s| format!("{:.0}", s * 100.0))
    };
    let shown = |a: &str| {
        r["audits"][a]["displayValue"]
            .as_str()
            .unwrap_or("?")
            .to_owned()
    };
    println!(
        "lighthouse (mobile, {mode} throttling), {page} page: performance {}, accessibility {}, best practices {} (goal ≥ 95 each); \
         first contentful paint {}, largest {}, interactive {}, total blocking {}, layout shift {}; first load {}",
        score("performance"),
        score("accessibility"),
        score("best-practices"),
        shown("first-contentful-paint"),
        shown("largest-contentful-paint"),
        shown("interactive"),
        shown("total-blocking-time"),
        shown("cumulative-layout-shift"),
        shown("total-byte-weight"),
    );
    if throttling == Throttling::Applied {
        return Ok(());
    }
    if let Some(bytes) = r["audits"]["total-byte-weight"]["numericValue"].as_f64() {
        println!(
            "{page} page: first load {bytes:.0} B as sent (Lighthouse's total byte weight); \
             budget {} KiB: {:.0} % used",
            budget / 1024,
            bytes * 100.0 / budget as f64
        );
    }
    Ok(())
}

/// Cases per fuzz target in the benchmark (CI runs a few thousand).
const FUZZ_CASES: &str = "1000000";

/// Runs the fuzz targets of core (returns, receipts, canonical JSON, the
/// hand-over parts, API bodies, stored steps) and of the verifier (record
/// lines), and says how many ran without a panic.
fn fuzz() -> Result<(), String> {
    for package in ["pointage-core", "pointage-verify"] {
        let out = cmd::run_capturing(
            cmd::cargo()
                .args(["test", "--locked", "--profile", "server", "-p", package])
                // The fuzz targets: the `fuzz` module of the one test binary.
                .args(["--test", "integration", "fuzz::"])
                .env("FUZZ_CASES", FUZZ_CASES)
                .current_dir(crate::root()),
        )?;
        let summary = out
            .iter()
            .find(|l| l.starts_with("test result:"))
            .ok_or("the fuzz targets gave no result")?;
        println!("fuzz {package}: {FUZZ_CASES} cases per target; {summary}");
    }
    Ok(())
}

/// Runs one of a package's benchmark examples, built like the server.
fn run_example(package: &str, example: &str) -> Result<(), String> {
    run_example_with(package, example, &[])
}

/// [`run_example`], with these environment variables.
fn run_example_with(package: &str, example: &str, env: &[(&str, &str)]) -> Result<(), String> {
    let mut c = cmd::cargo();
    c.args(["run", "--locked", "--profile", "server", "-p", package])
        .args(["--example", example])
        .envs(env.iter().copied())
        .current_dir(crate::root());
    cmd::run(&mut c)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
