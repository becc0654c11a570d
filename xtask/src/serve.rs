//! `cargo xtask serve`: builds the app in release, then runs the server with
//! it in the foreground until Ctrl-C. The server creates the demo election on
//! its first start and prints the URL to open.

use crate::{app, cmd, step};
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_owned();
    let mut data_dir = crate::root().join("data").to_string_lossy().into_owned();
    let mut bind = "127.0.0.1".to_owned();
    let mut database_url = String::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--port" => &mut port,
            "--data-dir" => &mut data_dir,
            "--bind" => &mut bind,
            "--database-url" => &mut database_url,
            other => {
                return Err(format!(
                    "serve: unknown option {other} (see `cargo xtask help`)"
                ));
            }
        };
        *slot = it
            .next()
            .ok_or_else(|| format!("serve: {flag} needs a value"))?
            .clone();
    }
    if port.parse::<u16>().is_err() {
        return Err(format!(
            "serve: --port must be a number from 0 to 65535, not {port}"
        ));
    }
    let dist = app::build_release()?;
    let server = app::build_server("server")?;
    step("starting the server (Ctrl-C stops it)");
    let mut command = Command::new(server);
    command
        .args(["--bind", &bind, "--port", &port, "--data-dir", &data_dir])
        .arg("--dist")
        .arg(dist);
    if !database_url.is_empty() {
        command.args(["--database-url", &database_url]);
    }
    cmd::run(&mut command)
}
