//! `cargo xtask bench`: the figures that speed and size targets are judged
//! by. For now: the release bundle, each file and the total, raw and
//! gzip-compressed as the server sends it; the cost of a tally-log append.
//! Later issues add their figures.

use crate::{app, cmd, step};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The compressed size the whole app must stay under.
const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

pub fn run() -> Result<(), String> {
    let dist = app::build_release()?;
    step("release bundle size (dist/)");
    let mut files = Vec::new();
    collect(&dist, &mut files)?;
    files.sort();
    let (mut raw_total, mut gz_total) = (0u64, 0u64);
    println!("{:>10} {:>10}  file", "raw B", "gzip B");
    for path in &files {
        let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let gz = gzip_len(&bytes)?;
        raw_total += bytes.len() as u64;
        gz_total += gz;
        let name = path.strip_prefix(&dist).unwrap_or(path).display();
        println!("{:>10} {:>10}  {name}", bytes.len(), gz);
    }
    println!(
        "{raw_total:>10} {gz_total:>10}  total ({} files)",
        files.len()
    );
    println!(
        "\nbundle: {:.1} KiB raw, {:.1} KiB gzip; budget {} KiB gzip ({:.0} % used)",
        raw_total as f64 / 1024.0,
        gz_total as f64 / 1024.0,
        BUDGET_GZIP_BYTES / 1024,
        gz_total as f64 * 100.0 / BUDGET_GZIP_BYTES as f64
    );

    step("core: appending to the tally log (optimised build)");
    run_example("pointage-core", "bench_tally")?;
    step("core: verifying and decoding signed returns (optimised build, one core)");
    run_example("pointage-core", "bench_returns")?;
    step("server: ingesting a national election's returns over HTTP (optimised build)");
    run_example("pointage-server", "bench_ingest")
}

/// Runs one of a package's benchmark examples, built like the server.
fn run_example(package: &str, example: &str) -> Result<(), String> {
    cmd::run(
        cmd::cargo()
            .args(["run", "--locked", "--profile", "server", "-p", package])
            .args(["--example", example])
            .current_dir(crate::root()),
    )
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

/// Gzip at the default level (6), which is what the server's compression
/// layer uses for clients that accept gzip.
fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len() as u64)
}
