//! `cargo xtask rehearse [--quick] [--bureaux N]`: election night with real
//! parts (a throwaway PostgreSQL cluster, three server processes, nginx in
//! front), on a compressed clock, checked at the end; the report in
//! `target/rehearsal.md`. The work is the server's example `rehearse.rs`;
//! this installs what it needs, builds it, and runs it. `cargo xtask test`
//! runs the quick one ([`quick`]) on its debug build.

use crate::{cmd, step, tools};

/// 2,000 bureaux on a 40-second night.
const QUICK: (&str, &str) = ("2000", "40");

pub fn run(args: &[String]) -> Result<(), String> {
    let (mut bureaux, mut night) = ("70000".to_owned(), "240".to_owned());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
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
    // Optimised, as a real night runs.
    rehearse("server", &bureaux, &night)
}

/// The quick rehearsal on the debug build the tests made.
pub fn quick() -> Result<(), String> {
    rehearse("dev", QUICK.0, QUICK.1)
}

fn rehearse(profile: &str, bureaux: &str, night: &str) -> Result<(), String> {
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
        "election night rehearsed: {bureaux} bureaux, a {night} s night"
    ));
    let mut run = std::process::Command::new(bin.join("examples/rehearse"));
    run.env("POINTAGE_BENCH_POSTGRES", &cluster.conn)
        .env("POINTAGE_SERVER_BIN", bin.join("pointage-server"))
        .env("POINTAGE_VERIFY_BIN", bin.join("pointage-verify"))
        .env("POINTAGE_NGINX", &nginx)
        .env("REHEARSE_BUREAUX", bureaux)
        .env("REHEARSE_NIGHT_S", night)
        .env("REHEARSE_REPORT", &report);
    let ran = cmd::run(&mut run);
    println!("The report: {}", report.display());
    ran
}
