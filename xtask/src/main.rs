//! `cargo xtask serve | test | bench | rehearse`: the README's commands. Each installs the
//! tools it needs (and skips those already there at the right version), so a
//! fresh machine needs nothing but Rust, Node.js and, for the tests, apt
//! (Chromium and PostgreSQL come from Debian's packages).
//!
//! It never hides a failure: every step stops at the first error and says
//! which command failed and what to do.

mod app;
mod bench;
mod cmd;
mod hygiene;
mod postgres;
mod precompress;
mod rehearse;
mod serve;
mod server;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve [--port N] [--data-dir DIR] [--bind ADDR] [--database-url URL]
        build the app in release and run the server with it
        (defaults: port 8080, data directory ./data, address 127.0.0.1;
        with --database-url, the state is in that PostgreSQL database)
  test [STEP]
        every check, in order: rustfmt, clippy (host and wasm32), native
        tests, the server's tests again on PostgreSQL (a throwaway cluster),
        a quick rehearsal of election night (three nodes, nginx), browser
        tests in headless Chromium, core's tests on wasm32, the Playwright
        journeys; or one STEP alone: fmt, clippy, native, postgres,
        rehearse, browser, wasm, e2e
  bench bundle sizes, the core, server (SQLite; PostgreSQL with one and
        three nodes) and verifier benchmarks, the app in headless Chromium
  rehearse [--quick] [--bureaux N] [--election FILE [--sheet SHEET]]
        election night with real parts (PostgreSQL, three server nodes,
        nginx in front) on a compressed clock, with faults, checked at the
        end; your election's definition (and its bureaux' spreadsheet), or
        a national one of N bureaux (default 70,000, --quick 2,000); report
        in target/rehearsal.md, its chart in target/rehearsal.svg";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        // The server links OpenSSL (webauthn-rs): its headers first.
        Some("serve") => tools::ensure_openssl().and_then(|()| serve::run(&args[1..])),
        Some("test") => {
            tools::ensure_openssl().and_then(|()| test::run(args.get(1).map(String::as_str)))
        }
        Some("bench") => tools::ensure_openssl().and_then(|()| bench::run()),
        Some("rehearse") => tools::ensure_openssl().and_then(|()| rehearse::run(&args[1..])),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the workspace, one level above `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Prints a step heading, so that a long log says where it is.
pub fn step(title: &str) {
    println!("\n==> {title}");
}
