//! The tools the build and the tests need, each checked and installed only
//! when missing or at the wrong version: the wasm32 target, Trunk,
//! wasm-bindgen-cli (exactly the wasm-bindgen of Cargo.lock), the npm tools
//! (binaryen's wasm-opt, Playwright) and Debian's Chromium with its driver.
//!
//! It never downloads a prebuilt binary from outside the package registries:
//! this machine reaches crates.io, npm and Debian, nothing else.

use crate::cmd::{self, cargo};
use crate::{root, step};
use std::path::PathBuf;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The wasm32 target of the active Rust toolchain.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = cmd::output("rustup", &["target", "list", "--installed"]);
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => {
            println!("ok  Rust target {WASM_TARGET}");
            Ok(())
        }
        Some(_) => cmd::run(Command::new("rustup").args(["target", "add", WASM_TARGET])),
        None => Err(format!(
            "rustup is not available, so the Rust target {WASM_TARGET} cannot be added here.\n\
             Install it for your toolchain (with rustup: `rustup target add {WASM_TARGET}`)."
        )),
    }
}

/// Trunk, at the version this project is built with (the newest needs a newer
/// rustc than the machine has).
pub fn ensure_trunk() -> Result<(), String> {
    let want = format!("trunk {TRUNK_VERSION}");
    match cmd::output("trunk", &["--version"]) {
        Some(v) if v == want => {
            println!("ok  {v}");
            Ok(())
        }
        found => {
            println!(
                "..  installing {want} (found: {}); this takes about 10 minutes once",
                found.as_deref().unwrap_or("none")
            );
            cmd::run(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
        }
    }
}

/// wasm-bindgen-cli (with `wasm-bindgen-test-runner`) at exactly the version of
/// the `wasm-bindgen` crate in Cargo.lock: any other version refuses to process
/// the module. Trunk.toml must pin the same version.
pub fn ensure_wasm_bindgen() -> Result<String, String> {
    let version = locked_version("wasm-bindgen")?;
    let pinned = trunk_tool_pin("wasm_bindgen")?;
    if pinned != version {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {version}: \
             set `wasm_bindgen = \"{version}\"` in Trunk.toml"
        ));
    }
    let want = format!("wasm-bindgen {version}");
    let cli = cmd::output("wasm-bindgen", &["--version"]);
    let runner = cmd::output("wasm-bindgen-test-runner", &["--version"]);
    let runner_ok = runner.as_deref().is_some_and(|r| r.ends_with(&version));
    if cli.as_deref() == Some(want.as_str()) && runner_ok {
        println!("ok  {want} (with wasm-bindgen-test-runner)");
        return Ok(version);
    }
    println!(
        "..  installing wasm-bindgen-cli {version} (found: {}); this takes a few minutes once",
        cli.as_deref().unwrap_or("none")
    );
    // Not --locked: its own lock file pins crates that do not build here.
    cmd::run(cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    Ok(version)
}

/// The npm tools of package.json (binaryen's wasm-opt for Trunk, Playwright),
/// installed from the lock file; the Playwright browser download is skipped:
/// the tests drive Debian's Chromium.
pub fn ensure_node_tools() -> Result<(), String> {
    let root = root();
    for tool in ["node", "npm"] {
        if cmd::which(tool).is_none() {
            return Err(format!(
                "`{tool}` is not installed. Install Node.js 20 or newer with npm \
                 (Debian: `apt-get install -y nodejs npm`), then run this again."
            ));
        }
    }
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules/.xtask-installed-lock.json");
    let current = std::fs::read(&lock).map_err(|e| format!("reading {}: {e}", lock.display()))?;
    if std::fs::read(&stamp).ok().as_ref() == Some(&current) {
        println!("ok  npm packages of package-lock.json");
    } else {
        cmd::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&root)
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        )?;
        std::fs::write(&stamp, &current)
            .map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    }
    let pinned = trunk_tool_pin("wasm_opt")?;
    let wasm_opt = node_bin("wasm-opt");
    let found = cmd::output(&wasm_opt.to_string_lossy(), &["--version"]).unwrap_or_default();
    if !found.contains(&format!("({pinned})")) {
        return Err(format!(
            "{} reports `{found}`, but Trunk.toml pins wasm_opt = \"{pinned}\": \
             make the binaryen version in package.json and the pin in Trunk.toml agree",
            wasm_opt.display()
        ));
    }
    println!("ok  {found}");
    Ok(())
}

/// A program installed by npm in this repository.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// The PATH with the npm tools first, so that Trunk finds the pinned wasm-opt
/// (and never a system binaryen).
pub fn path_with_node_tools() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules/.bin")];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// nginx, the caching reverse proxy of the rehearsal (`cargo xtask
/// rehearse`). Installed with apt when missing and this process may.
pub fn ensure_nginx() -> Result<PathBuf, String> {
    let found = || {
        cmd::which("nginx").or_else(|| {
            let sbin = PathBuf::from("/usr/sbin/nginx");
            sbin.is_file().then_some(sbin)
        })
    };
    if let Some(nginx) = found() {
        return Ok(nginx);
    }
    apt_install(&["nginx"])?;
    found().ok_or_else(|| "apt installed nginx, but it is not there".into())
}

/// Chromium and its WebDriver, for the browser tests. Installed with apt when
/// missing and this process may (root); otherwise says how.
pub fn ensure_chromium() -> Result<Browser, String> {
    if let Some(b) = find_chromium() {
        println!("ok  {} with {}", b.version, b.driver_version);
        return Ok(b);
    }
    apt_install(&["chromium", "chromium-driver"]).map_err(|why| {
        format!(
            "Chromium and ChromeDriver are needed for the browser tests and were not found.\n\
             {why}\n\
             Elsewhere: install Chromium and the ChromeDriver of the same version, and put both on the PATH."
        )
    })?;
    find_chromium().ok_or_else(|| "apt installed chromium, but it cannot be started".into())
}

/// SQLite's command line, with which a journey rewrites a server's database
/// as a dishonest operator could (e2e/witness.spec.ts). Installed with apt
/// when missing and this process may (root); otherwise says how.
pub fn ensure_sqlite3() -> Result<PathBuf, String> {
    if let Some(p) = cmd::which("sqlite3") {
        return Ok(p);
    }
    apt_install(&["sqlite3"])?;
    cmd::which("sqlite3").ok_or_else(|| "apt installed sqlite3, but it is not on the PATH".into())
}

/// pdftoppm (Debian's poppler-utils), with which the server's tests render
/// a bureau's letter and read its QR code back, as a printer and a phone's
/// camera would. Installed with apt when missing and this process may
/// (root); otherwise says how.
pub fn ensure_pdftoppm() -> Result<PathBuf, String> {
    if let Some(p) = cmd::which("pdftoppm") {
        return Ok(p);
    }
    apt_install(&["poppler-utils"])?;
    cmd::which("pdftoppm")
        .ok_or_else(|| "apt installed poppler-utils, but pdftoppm is not on the PATH".into())
}

/// OpenSSL's headers and pkg-config, which the server's passkey crate
/// (webauthn-rs) builds against. Installed with apt (`libssl-dev`,
/// `pkg-config`) when missing and this process may (root); otherwise
/// says how.
pub fn ensure_openssl() -> Result<(), String> {
    let found = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Ok(());
    }
    apt_install(&["libssl-dev", "pkg-config"])
}

/// LibreOffice without its windows, with which a journey opens the open
/// data as a spreadsheet would (e2e/turnout.spec.ts). Installed with apt
/// (`libreoffice-calc-nogui`) when missing and this process may (root);
/// otherwise says how.
pub fn ensure_soffice() -> Result<PathBuf, String> {
    if let Some(p) = cmd::which("soffice") {
        return Ok(p);
    }
    apt_install(&["libreoffice-calc-nogui"])?;
    cmd::which("soffice").ok_or_else(|| {
        "apt installed libreoffice-calc-nogui, but soffice is not on the PATH".into()
    })
}

/// Installs Debian `packages` with apt, when this process may (root, on a
/// machine with apt); otherwise says how, as the error.
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    if !cmd::is_root() || cmd::which("apt-get").is_none() {
        return Err(format!(
            "On Debian, as root: `apt-get update && apt-get install -y {}`.",
            packages.join(" ")
        ));
    }
    step(&format!("installing {} with apt", packages.join(" and ")));
    cmd::run(Command::new("apt-get").args(["update"]))?;
    // On a fresh machine the first install can fail (exit 100) and a second,
    // identical one succeed.
    let install = || {
        cmd::run(
            Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    install().or_else(|e| {
        println!("first apt-get install failed ({e}); trying once more");
        install()
    })
}

pub struct Browser {
    pub chromium: PathBuf,
    pub driver: PathBuf,
    pub version: String,
    pub driver_version: String,
}

fn find_chromium() -> Option<Browser> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| cmd::which(n))?;
    let driver = cmd::which("chromedriver")?;
    let version = cmd::output(&chromium.to_string_lossy(), &["--version"])?;
    let driver_version = cmd::output(&driver.to_string_lossy(), &["--version"])?;
    Some(Browser {
        chromium,
        driver,
        version,
        driver_version,
    })
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String, String> {
    let path = root().join("Cargo.lock");
    let lock =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    parse_locked_version(&lock, package)
        .ok_or_else(|| format!("Cargo.lock has no package {package}"))
}

fn parse_locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}

/// The version pinned for `tool` in Trunk.toml's `[tools]`.
fn trunk_tool_pin(tool: &str) -> Result<String, String> {
    let path = root().join("Trunk.toml");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    parse_trunk_pin(&text, tool)
        .ok_or_else(|| format!("Trunk.toml pins no version for {tool} in [tools]"))
}

fn parse_trunk_pin(text: &str, tool: &str) -> Option<String> {
    let mut in_tools = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_tools = line == "[tools]";
        } else if in_tools {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if key.trim() == tool {
                return Some(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-test\"\nversion = \"0.3.80\"\n";
        assert_eq!(
            parse_locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            parse_locked_version(lock, "wasm-bindgen-test").as_deref(),
            Some("0.3.80")
        );
        assert_eq!(parse_locked_version(lock, "wasm"), None);
    }

    #[test]
    fn reads_a_trunk_tool_pin_only_under_tools() {
        let toml = "[build]\nwasm_opt = \"wrong\"\n\n[tools]\n# comment\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            parse_trunk_pin(toml, "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(
            parse_trunk_pin(toml, "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_trunk_pin(toml, "sass"), None);
    }

    #[test]
    fn this_repository_pins_the_locked_wasm_bindgen() {
        let locked = locked_version("wasm-bindgen").expect("Cargo.lock readable");
        assert_eq!(trunk_tool_pin("wasm_bindgen").expect("pinned"), locked);
    }
}
