//! Building the two deliverables: the bureau app (Trunk, release, offline) and
//! the server binary.

use crate::cmd::{self, cargo};
use crate::{root, step, tools};
use std::path::PathBuf;
use std::process::Command;

/// Installs what the app's build needs, then builds it in release into
/// `dist/`. Trunk runs `--offline`: with every tool pinned and installed, it
/// has nothing to download, and must fail rather than try.
pub fn build_release() -> Result<PathBuf, String> {
    step("tools for the app build");
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    tools::ensure_node_tools()?;
    step("building the app (release, Trunk)");
    let root = root();
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(&root)
            .env("PATH", tools::path_with_node_tools()),
    )?;
    let dist = root.join("dist");
    step("precompressing the app (brotli 11, gzip 9)");
    crate::precompress::dist(&dist)?;
    Ok(dist)
}

/// Builds the server with `profile` and returns the binary's path.
pub fn build_server(profile: &str) -> Result<PathBuf, String> {
    step(&format!("building the server ({profile})"));
    cmd::run(
        cargo()
            .args([
                "build",
                "--locked",
                "-p",
                "pointage-server",
                "--profile",
                profile,
            ])
            .current_dir(root()),
    )?;
    let dir = match profile {
        "dev" => "debug",
        other => other,
    };
    Ok(root().join("target").join(dir).join("pointage-server"))
}
