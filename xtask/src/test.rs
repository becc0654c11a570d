//! `cargo xtask test`: every check, in order, stopping at the first failure:
//! rustfmt, clippy on the host and on wasm32, the native tests, the
//! server's tests on PostgreSQL, a quick rehearsal of election night, the
//! app's browser tests in headless Chromium, core's tests compiled to wasm32 (in
//! Node), then the Playwright journeys against a real server. It ends with the
//! test runners' summary lines and a total. `cargo xtask test <step>` runs
//! one step alone ([`STEPS`]).

use crate::cmd::{self, cargo};
use crate::server::{Server, tempdir};
use crate::{app, root, step, tools};
use std::process::Command;
use std::time::{Duration, Instant};

/// What the runners reported, kept for the closing summary.
#[derive(Default)]
struct Summary {
    lines: Vec<(String, String)>,
    passed: u64,
    failed: u64,
    timings: Vec<(String, Duration)>,
}

impl Summary {
    fn add_cargo(&mut self, label: &str, output: &[String]) -> Result<(), String> {
        let mut found = false;
        for line in output.iter().filter(|l| l.starts_with("test result:")) {
            let (p, f) =
                parse_libtest(line).ok_or_else(|| format!("unreadable summary: {line}"))?;
            self.passed += p;
            self.failed += f;
            self.lines.push((label.to_owned(), line.clone()));
            found = true;
        }
        found
            .then_some(())
            .ok_or_else(|| format!("{label}: the runner printed no summary"))
    }

    fn add_playwright(&mut self, output: &[String]) -> Result<(), String> {
        let mut found = false;
        for line in output {
            if let Some((n, kind)) = parse_playwright(line) {
                match kind {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    _ => {}
                }
                self.lines
                    .push(("Playwright".to_owned(), line.trim().to_owned()));
                found |= kind == "passed";
            }
        }
        found
            .then_some(())
            .ok_or_else(|| "Playwright ran no passing test".to_owned())
    }
}

/// `cargo test` of one package compiled to wasm32, run by
/// wasm-bindgen-test-runner (in Chromium or Node, as the tests ask).
fn wasm_test(package: &str) -> Command {
    let mut c = cargo();
    c.args(["test", "--locked", "-p", package])
        .args(["--target", "wasm32-unknown-unknown"])
        .current_dir(root());
    c
}

/// Runs one step, timing it and naming it if it fails.
fn timed<T>(
    summary: &mut Summary,
    name: &str,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    step(name);
    let start = Instant::now();
    let out = f().map_err(|e| format!("FAILED at step \"{name}\": {e}"))?;
    summary.timings.push((name.to_owned(), start.elapsed()));
    Ok(out)
}

/// The steps, by the names `cargo xtask test <step>` takes, in order.
pub const STEPS: [&str; 8] = [
    "fmt", "clippy", "native", "postgres", "rehearse", "browser", "wasm", "e2e",
];

/// Every step, or only `only` (one of [`STEPS`]).
pub fn run(only: Option<&str>) -> Result<(), String> {
    if let Some(o) = only.filter(|o| !STEPS.contains(o)) {
        return Err(format!(
            "no step \"{o}\": the steps are {}",
            STEPS.join(", ")
        ));
    }
    let wants = |step: &str| only.is_none_or(|o| o == step);
    let root = root();
    let started = Instant::now();
    let mut s = Summary::default();

    if wants("fmt") {
        timed(&mut s, "rustfmt", || {
            cmd::run(
                cargo()
                    .args(["fmt", "--all", "--", "--check"])
                    .current_dir(&root),
            )
        })?;
    }
    if wants("clippy") {
        timed(
            &mut s,
            "clippy (host: core, device, texts, server, verify, xtask)",
            || {
                cmd::run(
                    cargo()
                        .args([
                            "clippy",
                            "--locked",
                            "--workspace",
                            "--exclude",
                            "pointage",
                            "--all-targets",
                        ])
                        .args(["--", "-D", "warnings"])
                        .current_dir(&root),
                )
            },
        )?;
        timed(&mut s, "clippy (wasm32: app, core, device, texts)", || {
            tools::ensure_wasm_target()?;
            let app = [
                "-p",
                "pointage",
                "-p",
                "pointage-core",
                "-p",
                "pointage-device",
                "-p",
                "pointage-texts",
                "--all-targets",
            ];
            // The deposit page is built without the app's Leptos screens
            // (public.html): that configuration is checked too.
            let deposit = [
                "-p",
                "pointage",
                "--no-default-features",
                "--bin",
                "pointage-public",
            ];
            for what in [&app[..], &deposit[..]] {
                cmd::run(
                    cargo()
                        .args(["clippy", "--locked"])
                        .args(what)
                        .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
                        .current_dir(&root),
                )?;
            }
            Ok(())
        })?;
    }
    if wants("native") {
        let native = timed(
            &mut s,
            "native tests (core, device, texts, server, verify, xtask)",
            || {
                let pdftoppm = tools::ensure_pdftoppm()?;
                cmd::run_capturing(
                    cargo()
                        .args(["test", "--locked", "--workspace", "--exclude", "pointage"])
                        .env("PDFTOPPM", pdftoppm)
                        .current_dir(&root),
                )
            },
        )?;
        s.add_cargo("native", &native)?;
    }

    // The server's suite again, each test on a database of its own in a
    // throwaway PostgreSQL cluster; with it, the multi-node test (three
    // servers on one database), which needs PostgreSQL.
    if wants("postgres") {
        let postgres = timed(
            &mut s,
            "server tests on PostgreSQL (a throwaway cluster)",
            || {
                let cluster = crate::postgres::Cluster::start()?;
                let pdftoppm = tools::ensure_pdftoppm()?;
                cmd::run_capturing(
                    cargo()
                        .args(["test", "--locked", "-p", "pointage-server", "--tests"])
                        .env("POINTAGE_TEST_POSTGRES", &cluster.conn)
                        .env("PDFTOPPM", pdftoppm)
                        .current_dir(&root),
                )
            },
        )?;
        s.add_cargo("postgres", &postgres)?;
    }
    // Election night with real parts, quickly: three nodes on PostgreSQL,
    // nginx in front, a node killed and the database's connections cut,
    // every receipt and total checked, pointage-verify at the end.
    if wants("rehearse") {
        timed(
            &mut s,
            "rehearsal, quick (2,000 bureaux)",
            crate::rehearse::quick,
        )?;
        s.passed += 1;
        s.lines.push((
            "rehearsal".to_owned(),
            "2,000 bureaux, every check holds (target/rehearsal.md)".to_owned(),
        ));
    }
    if wants("browser") {
        let browser = timed(
            &mut s,
            "browser tests (wasm-bindgen-test, headless Chromium)",
            || {
                let chromium = tools::ensure_chromium()?;
                tools::ensure_wasm_bindgen()?;
                cmd::run_capturing(
                    wasm_test("pointage")
                        .env("CHROMEDRIVER", &chromium.driver)
                        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
                )
            },
        )?;
        s.add_cargo("browser", &browser)?;
    }
    if wants("wasm") {
        let core_wasm = timed(&mut s, "core tests on wasm32 (Node)", || {
            tools::ensure_node_tools()?;
            tools::ensure_wasm_bindgen()?;
            // As the phone builds it: without NFKC's and the confusables'
            // tables (core's feature `nfkc`), so that its fold of names is the
            // one these tests hold to the vectors; the host's run covers the
            // server's.
            cmd::run_capturing(wasm_test("pointage-core").arg("--no-default-features"))
        })?;
        s.add_cargo("core wasm32", &core_wasm)?;
    }
    if wants("e2e") {
        let dist = timed(&mut s, "release build of the app", app::build_release)?;
        let server_bin = timed(&mut s, "server build", || app::build_server("dev"))?;
        let e2e = timed(
            &mut s,
            "Playwright journeys (e2e/, headless Chromium)",
            || {
                let chromium = tools::ensure_chromium()?;
                let sqlite3 = tools::ensure_sqlite3()?;
                let soffice = tools::ensure_soffice()?;
                // The operators' journey prints the letters' first page.
                let pdftoppm = tools::ensure_pdftoppm()?;
                let data = tempdir("e2e-data")?;
                let mut server = Server::start(&server_bin, &dist, &data)?;
                let result = cmd::run_capturing(
                    Command::new(tools::node_bin("playwright"))
                        .args(["test", "--config", "e2e/playwright.config.ts"])
                        .env("BASE_URL", &server.url)
                        // The demo election's codes, written by the server at its
                        // first start, for the enrollment journey.
                        .env("DEMO_CODES_CSV", data.join("codes-demo-2027-t1.csv"))
                        .env("CHROMIUM_PATH", &chromium.chromium)
                        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                        // For the journeys that start (and kill) a server of
                        // their own: e2e/own-server.ts.
                        .env("POINTAGE_SERVER_BIN", &server_bin)
                        .env("POINTAGE_DIST", &dist)
                        .env("SQLITE3", &sqlite3)
                        .env("SOFFICE", &soffice)
                        .env("PDFTOPPM", &pdftoppm)
                        .current_dir(&root),
                );
                server.stop();
                let _ = std::fs::remove_dir_all(&data);
                result
            },
        )?;
        s.add_playwright(&e2e)?;
    }

    println!("\n==> step timings");
    for (name, d) in &s.timings {
        println!("{:>7.1} s  {name}", d.as_secs_f64());
    }
    println!("{:>7.1} s  in all", started.elapsed().as_secs_f64());
    println!("\n==> summary of the test runners");
    for (label, line) in &s.lines {
        println!("{label:>10}  {line}");
    }
    println!("total: {} passed, {} failed", s.passed, s.failed);
    if s.lines.is_empty() && only.is_some() {
        println!("(a step that runs no test runner)");
    }
    if s.failed > 0 {
        return Err(format!("{} test(s) failed", s.failed));
    }
    Ok(())
}

/// `test result: ok. 6 passed; 0 failed; ...` → (6, 0).
fn parse_libtest(line: &str) -> Option<(u64, u64)> {
    let count = |word: &str| {
        line.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)
                    .and_then(|n| n.rsplit(' ').next())
            })
            .and_then(|n| n.parse().ok())
    };
    Some((count(" passed")?, count(" failed")?))
}

/// `  4 passed (3.1s)` or `  1 failed` → (4, "passed").
fn parse_playwright(line: &str) -> Option<(u64, &str)> {
    let mut words = line.split_whitespace();
    let n = words.next()?.parse().ok()?;
    let kind = words.next()?;
    ["passed", "failed", "flaky", "skipped"]
        .contains(&kind)
        .then_some((n, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let ok = "test result: ok. 6 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(parse_libtest(ok), Some((6, 0)));
        let bad = "test result: FAILED. 12 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_libtest(bad), Some((12, 3)));
        assert_eq!(parse_libtest("test result: garbled"), None);
    }

    #[test]
    fn reads_playwright_summaries() {
        assert_eq!(parse_playwright("  4 passed (3.1s)"), Some((4, "passed")));
        assert_eq!(parse_playwright("  1 failed"), Some((1, "failed")));
        assert_eq!(
            parse_playwright("  ✓  1 [phone] › home.spec.ts:3:1 › opens (1.2s)"),
            None
        );
        assert_eq!(parse_playwright("Running 4 tests using 1 worker"), None);
    }

    #[test]
    fn a_summary_without_a_passing_playwright_line_is_an_error() {
        let mut s = Summary::default();
        assert!(s.add_playwright(&["Running 0 tests".into()]).is_err());
        let mut s = Summary::default();
        assert!(s.add_playwright(&["  2 passed (1s)".into()]).is_ok());
        assert_eq!(s.passed, 2);
    }
}
