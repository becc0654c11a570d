//! The real parts: the server's processes, nginx in front of them, and
//! what the rehearsal reads off them (a node's CPU time).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn fail(what: &str) -> ! {
    eprintln!("rehearse: {what}");
    std::process::exit(1)
}

pub fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| fail(&format!("{name} is not set: run `cargo xtask rehearse`")))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| fail(&format!("no free port: {e}")))
}

/// What every node and command is started with.
#[derive(Clone)]
pub struct Parts {
    pub server_bin: String,
    pub db_url: String,
    pub dir: PathBuf,
    pub dist: PathBuf,
}

/// A `pointage-server` process listening on `port`.
pub struct Node {
    pub port: u16,
    pub child: Child,
}

impl Parts {
    pub fn start_node(&self, port: u16) -> Node {
        let child = Command::new(&self.server_bin)
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
            .unwrap_or_else(|e| fail(&format!("cannot start {}: {e}", self.server_bin)));
        Node { port, child }
    }

    /// `pointage-server election …` on the database, as an organiser runs
    /// it: its standard output, or the rehearsal stops with its error.
    pub fn election_command(&self, args: &[&str], base_url: &str) -> String {
        let out = Command::new(&self.server_bin)
            .arg("election")
            .args(args)
            .args(["--database-url", &self.db_url, "--base-url", base_url])
            .arg("--data-dir")
            .arg(&self.dir)
            .output()
            .unwrap_or_else(|e| fail(&e.to_string()));
        if !out.status.success() {
            fail(&format!(
                "pointage-server election {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

pub async fn wait_ready(client: &reqwest::Client, url: &str) {
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
pub struct Proxy {
    nginx: String,
    dir: PathBuf,
    conf: PathBuf,
    child: Child,
}

impl Proxy {
    pub fn start(nginx: &str, dir: &Path, listen: u16, ports: &[u16]) -> Proxy {
        let conf = nginx_conf(dir, listen, ports);
        let child = Command::new(nginx)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .spawn()
            .unwrap_or_else(|e| fail(&format!("nginx: {e}")));
        Proxy {
            nginx: nginx.to_owned(),
            dir: dir.to_owned(),
            conf,
            child,
        }
    }

    /// Asked to stop (killed, its master would leave its workers behind).
    pub fn stop(mut self) {
        let _ = Command::new(&self.nginx)
            .arg("-p")
            .arg(&self.dir)
            .arg("-c")
            .arg(&self.conf)
            .args(["-s", "stop"])
            .status();
        let _ = self.child.wait();
    }
}

fn nginx_conf(dir: &Path, listen: u16, ports: &[u16]) -> PathBuf {
    let upstream: String = ports
        .iter()
        .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
        .collect();
    let d = dir.display();
    // `client_header_timeout` and `client_body_timeout`: a client that
    // trickles its request is dropped by nginx, before a node sees it.
    let conf = format!(
        "user root;\nworker_processes 2;\nerror_log {d}/nginx-error.log;\npid {d}/nginx.pid;\n\
         events {{ worker_connections 8192; }}\n\
         http {{\n  access_log off;\n\
           client_header_timeout 10s; client_body_timeout 10s;\n\
           client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
           proxy_cache_path {d}/cache levels=1:2 keys_zone=pointage:10m max_size=1g;\n\
           upstream nodes {{\n{upstream}    keepalive 64;\n  }}\n\
           server {{\n    listen 127.0.0.1:{listen} backlog=4096;\n\
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

/// CPU seconds a process used (user + system), from /proc.
pub fn cpu_seconds(pid: u32) -> f64 {
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

/// Cuts every connection to the database of `url` (on the cluster of
/// `base`), as a failover or a restart would: how many were cut.
pub async fn cut_connections(base: &str, url: &str) -> u64 {
    let name = url.rsplit("dbname=").next().unwrap_or_default().to_owned();
    let Ok((c, conn)) =
        tokio_postgres::connect(&format!("{base} dbname=postgres"), tokio_postgres::NoTls).await
    else {
        return 0;
    };
    tokio::spawn(conn);
    c.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()",
        &[&name],
    )
    .await
    .unwrap_or(0)
}
