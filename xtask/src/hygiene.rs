//! Checks of the sources themselves, run with xtask's tests (the native
//! step of `cargo xtask test`).

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The files below `dir` whose name ends with one of `exts`.
    fn files(dir: &Path, exts: &[&str], out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if p.is_dir() {
                if !matches!(name, "target" | "node_modules" | "dist" | "test-results") {
                    files(&p, exts, out);
                }
            } else if exts.iter().any(|x| name.ends_with(x)) {
                out.push(p);
            }
        }
    }

    /// UTF-8 read as Latin-1 and written back ("â\u{80}\u{9c}received" for
    /// "“received”") leaves C1 control characters, which a screen shows as
    /// boxes: no source file holds one.
    #[test]
    fn no_source_text_holds_a_c1_control_character() {
        let root = crate::root();
        let mut found = Vec::new();
        for dir in ["src", "crates", "e2e", "public", "docs", "xtask"] {
            files(
                &root.join(dir),
                &[".rs", ".ts", ".js", ".html", ".md", ".css"],
                &mut found,
            );
        }
        assert!(
            found.len() > 100,
            "the sources were not found: {}",
            found.len()
        );
        let bad: Vec<String> = found
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                let line = text
                    .lines()
                    .position(|l| l.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)))?;
                Some(format!("{}:{}", p.display(), line + 1))
            })
            .collect();
        assert!(bad.is_empty(), "C1 control characters (mojibake?): {bad:?}");
    }
}
