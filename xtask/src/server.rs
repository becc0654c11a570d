//! The real server for the journeys and the browser benchmarks: started on a
//! free port with its own data folder, stopped when dropped.

use crate::{cmd, root};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A fresh folder under `target/` (kept out of the system temp dir so that a
/// failing run leaves its data where a developer looks).
pub fn tempdir(name: &str) -> Result<std::path::PathBuf, String> {
    let dir = root()
        .join("target")
        .join("xtask")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The server under test, on a free port it chose itself (`--port 0`), found
/// by reading the line it prints once it listens.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(
        bin: &std::path::Path,
        dist: &std::path::Path,
        data: &std::path::Path,
    ) -> Result<Self, String> {
        let mut command = Command::new(bin);
        command
            .args(["--port", "0", "--bind", "127.0.0.1"])
            // The journeys enroll a phone for each of the twelve demo
            // bureaux, all from this one address, within a minute or two:
            // faster than the production limit lets one address go.
            .args(["--enroll-attempts-per-minute", "100"])
            // Every journey's phones are this machine.
            .args(["--returns-per-minute", "100000"])
            .args(["--records-per-minute", "100000"])
            .arg("--data-dir")
            .arg(data)
            .arg("--dist")
            .arg(dist)
            .stdout(Stdio::piped());
        println!("$ {}", cmd::describe(&command));
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        let (tx, rx) = mpsc::channel();
        // Keep reading (and echoing) the server's output for its whole life,
        // so that it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("[server] {line}");
                if let Some(url) = line.strip_prefix("Pointage is running at ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => Ok(Server { child, url }),
            Err(_) => {
                let _ = child.kill();
                Err("the server did not start within 60 s (see its output above)".into())
            }
        }
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
