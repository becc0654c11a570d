//! Building the deliverables: the bureau app, the deposit app and a table
//! phone's app (Trunk, release, offline; the second into `dist/public/`, the
//! third into `dist/table-phone/`) and the server binary
//! (which writes the results page itself).

use crate::cmd::{self, cargo};
use crate::{root, step, tools};
use std::path::PathBuf;
use std::process::Command;

/// The apps built beside the bureau app: what each is, its page, and its
/// folder inside `dist/` (also the address its files are served under; the
/// server's `static_files.rs` names the same folders).
pub const APPS_OF_THEIR_OWN: [(&str, &str, &str); 2] = [
    ("the deposit app", "public.html", "public"),
    ("a table phone's app", "table.html", "table-phone"),
];

/// Installs what the apps' builds need, then builds them in release: the
/// bureau app (`index.html`) into `dist/`, then the deposit app
/// (`public.html`) into `dist/public/`, served under `/public/`, and a
/// table phone's (`table.html`) into `dist/table-phone/` (the bureau build
/// empties `dist/` first, so it goes first).
/// Trunk runs `--offline`: with every tool pinned and installed, it has
/// nothing to download, and must fail rather than try.
pub fn build_release() -> Result<PathBuf, String> {
    step("tools for the app build");
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    tools::ensure_node_tools()?;
    step("building the bureau app (release, Trunk)");
    let root = root();
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(&root)
            .env("PATH", tools::path_with_node_tools()),
    )?;
    for (what, page, dir) in APPS_OF_THEIR_OWN {
        step(&format!("building {what} (release, Trunk)"));
        cmd::run(
            Command::new("trunk")
                // Minified (HTML, and the stylesheet with lightningcss):
                // these apps are opened cold by strangers' phones. The
                // bureau app is not: its page's inline script (the journal's
                // reader) is left exactly as written.
                .args(["build", page, "--release", "--offline", "--minify"])
                .args(["--dist", &format!("dist/{dir}")])
                .args(["--public-url", &format!("/{dir}/")])
                .current_dir(&root)
                .env("PATH", tools::path_with_node_tools()),
        )?;
    }
    let dist = root.join("dist");
    step("precompressing the apps (brotli 11, gzip 9)");
    crate::precompress::dist(&dist)?;
    for (_, _, dir) in APPS_OF_THEIR_OWN {
        crate::precompress::dist(&dist.join(dir))?;
    }
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
