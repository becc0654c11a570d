//! A throwaway PostgreSQL cluster for the server's tests: Debian's
//! PostgreSQL (installed with apt when missing and this process may),
//! initialised in a temporary folder, on a free port, by an unprivileged
//! user (PostgreSQL refuses to run as root), stopped and removed when
//! dropped.

use crate::cmd;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    /// Who runs it (`None`: this process's user).
    user: Option<String>,
    /// libpq's `host=… port=… user=…`, without a database name.
    pub conn: String,
}

impl Cluster {
    pub fn start() -> Result<Self, String> {
        let bin = ensure_postgres()?;
        let user = if cmd::is_root() {
            // Debian's package creates the `postgres` user.
            Some(if cmd::output("id", &["-u", "postgres"]).is_some() {
                "postgres".to_owned()
            } else {
                "nobody".to_owned()
            })
        } else {
            None
        };
        // In the system's temp folder, which any user can reach, with a
        // short path (the server's socket lives there too).
        let dir = std::env::temp_dir().join(format!("pointage-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let port = free_port()?;
        let cluster = Self {
            bin,
            dir,
            user,
            conn: format!("host=127.0.0.1 port={port} user=pointage"),
        };
        if let Some(user) = &cluster.user {
            cmd::run(
                Command::new("chown")
                    .args([user.as_str()])
                    .arg(&cluster.dir),
            )?;
        }
        let data = cluster.dir.join("data");
        cmd::run(
            cluster
                .command("initdb")
                .args([
                    "--auth=trust",
                    "--username=pointage",
                    "--encoding=UTF8",
                    "-D",
                ])
                .arg(&data),
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1",
            cluster.dir.display()
        );
        cmd::run(
            cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(cluster.dir.join("log"))
                .args(["-w", "start"]),
        )?;
        Ok(cluster)
    }

    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        match &self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// The folder of `initdb` and `pg_ctl`: Debian's newest PostgreSQL, or
/// the PATH's.
fn find_postgres() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    debian.sort();
    debian.pop().map(|(_, bin)| bin).or_else(|| {
        let initdb = cmd::which("initdb")?;
        initdb.parent().map(Path::to_path_buf)
    })
}

fn ensure_postgres() -> Result<PathBuf, String> {
    if let Some(bin) = find_postgres() {
        println!("ok  PostgreSQL in {}", bin.display());
        return Ok(bin);
    }
    crate::tools::apt_install(&["postgresql"]).map_err(|why| {
        format!(
            "PostgreSQL is needed for the server's tests on PostgreSQL and was not found.\n\
             {why}\n\
             Elsewhere: install PostgreSQL and put its initdb and pg_ctl on the PATH."
        )
    })?;
    find_postgres().ok_or_else(|| "apt installed postgresql, but initdb is not there".into())
}
