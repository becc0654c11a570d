//! `cargo xtask rehearse [--quick] [--bureaux N] [--election FILE [--sheet
//! SHEET]]`: election night with real parts (a throwaway PostgreSQL
//! cluster, three server processes, nginx in front), on a compressed clock,
//! checked at the end; the report in `target/rehearsal.md`, its chart in
//! `target/rehearsal.svg`. The election is the organiser's own file (and
//! its bureaux' spreadsheet), or a national one made for it. The work is
//! the server's example `rehearse/`; this installs what it needs, builds
//! it, and runs it. `cargo xtask test` runs the quick one ([`quick`]) on its
//! debug build.

use crate::{cmd, step, tools};

/// 2,000 bureaux on a 40-second night.
const QUICK: (&str, &str) = ("2000", "40");

pub fn run(args: &[String]) -> Result<(), String> {
    let (mut bureaux, mut night) = ("70000".to_owned(), "240".to_owned());
    let mut election = Election::default();
    let mut it = args.iter();
    let file = |f: Option<&String>, what: &str| -> Result<String, String> {
        let f = f.ok_or(format!("{what} needs a file"))?;
        let path = std::path::Path::new(f);
        if !path.is_file() {
            return Err(format!("{what} {f}: no such file"));
        }
        // The rehearsal runs elsewhere: the file by its whole path.
        path.canonicalize()
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| format!("{what} {f}: {e}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--election" => election.file = Some(file(it.next(), "--election")?),
            "--sheet" => election.sheet = Some(file(it.next(), "--sheet")?),
            "--quick" => (bureaux, night) = (QUICK.0.into(), QUICK.1.into()),
            "--bureaux" => {
                bureaux = it
                    .next()
                    .filter(|n| n.parse::<u32>().is_ok_and(|n| n > 0))
                    .ok_or("--bureaux needs a number of bureaux")?
                    .clone();
            }
            other => return Err(format!("rehearse: unknown option {other}")),
        }
    }
    if election.sheet.is_some() && election.file.is_none() {
        return Err("--sheet goes with --election: the definition its bureaux belong to".into());
    }
    // Optimised, as a real night runs.
    rehearse("server", &bureaux, &night, &election)
}

/// The organiser's own election, when given.
#[derive(Default)]
struct Election {
    file: Option<String>,
    sheet: Option<String>,
}

/// The quick rehearsal on the debug build the tests made.
pub fn quick() -> Result<(), String> {
    rehearse("dev", QUICK.0, QUICK.1, &Election::default())
}

fn rehearse(profile: &str, bureaux: &str, night: &str, election: &Election) -> Result<(), String> {
    let nginx = tools::ensure_nginx()?;
    step(&format!(
        "the server, the verifier and the rehearsal ({profile})"
    ));
    let mut build = cmd::cargo();
    build
        .args(["build", "--locked", "--profile", profile])
        .args(["-p", "pointage-server", "--bin", "pointage-server"])
        .args([
            "--example",
            "rehearse",
            "-p",
            "pointage-verify",
            "--bin",
            "pointage-verify",
        ])
        .current_dir(crate::root());
    cmd::run(&mut build)?;
    let cluster = crate::postgres::Cluster::start()?;
    let bin = crate::root()
        .join("target")
        .join(if profile == "dev" { "debug" } else { profile });
    let report = crate::root().join("target/rehearsal.md");
    step(&format!(
        "election night rehearsed: {}, a {night} s night",
        match &election.file {
            Some(f) => f.clone(),
            None => format!("{bureaux} bureaux"),
        }
    ));
    let mut run = std::process::Command::new(bin.join("examples/rehearse"));
    run.env("POINTAGE_BENCH_POSTGRES", &cluster.conn)
        .env("POINTAGE_SERVER_BIN", bin.join("pointage-server"))
        .env("POINTAGE_VERIFY_BIN", bin.join("pointage-verify"))
        .env("POINTAGE_NGINX", &nginx)
        .env("REHEARSE_BUREAUX", bureaux)
        .env("REHEARSE_NIGHT_S", night)
        .env("REHEARSE_REPORT", &report)
        .env("REHEARSE_ELECTION", election.file.as_deref().unwrap_or(""))
        .env("REHEARSE_SHEET", election.sheet.as_deref().unwrap_or(""));
    // In a process group of its own: whatever way it ends, the nodes and
    // nginx it started end with it.
    std::os::unix::process::CommandExt::process_group(&mut run, 0);
    let ran = match run.spawn() {
        Ok(mut child) => {
            let status = child.wait();
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(std::process::Stdio::null())
                .status();
            match status {
                Ok(s) if s.success() => Ok(()),
                Ok(s) => Err(format!("the rehearsal failed ({s})")),
                Err(e) => Err(format!("the rehearsal: {e}")),
            }
        }
        Err(e) => Err(format!("cannot start the rehearsal: {e}")),
    };
    println!(
        "The report: {} (its chart: {})",
        report.display(),
        report.with_extension("svg").display()
    );
    ran
}
