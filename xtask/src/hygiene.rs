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

    /// A table phone's app reads its texts by section (`i18n.s()`,
    /// `i18n.tables()`, `i18n.count()`, `i18n.startup()`): code of its
    /// that names the bureau app's whole table (`i18n.t()`, `tr(…)`,
    /// `Texts`) links every sentence of the PV and the photos into a
    /// scrutateur's download (13 KB brotli when this was written).
    #[test]
    fn a_table_phones_screens_never_name_the_bureau_apps_texts() {
        let root = crate::root();
        let mut sources: Vec<(String, String)> = Vec::new();
        let read = |path: &str| {
            let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            assert!(!text.is_empty(), "{path} is missing or empty");
            text
        };
        for path in [
            "src/pages/table.rs",
            "src/pages/count/between.rs",
            "src/pages/count/packet.rs",
            "src/pages/count/totals.rs",
            "src/components/scanner.rs",
            "src/components/startup_notice.rs",
            "src/components/lang_switch.rs",
        ] {
            sources.push((path.to_owned(), read(path)));
        }
        // Of the files a bureau's screens share, the parts a table phone
        // runs: the codes of its sheet, its top bar, and what follows the
        // count screen's page (which, with the bureau's top bar, it does
        // not run).
        let part = |text: &str, from: &str, to: Option<&str>| -> String {
            let start = text.find(from);
            assert!(
                start.is_some(),
                "{from} is gone: say here what to check instead"
            );
            let start = start.unwrap_or_default();
            let end = to
                .and_then(|to| text[start..].find(to))
                .map_or(text.len(), |e| start + e);
            text[start..end].to_owned()
        };
        let qr = read("src/components/qr.rs");
        sources.push((
            "PartCodes".into(),
            part(&qr, "pub fn PartCodes", Some("pub enum Carrying")),
        ));
        let bar = read("src/components/topbar.rs");
        sources.push(("TableTopBar".into(), part(&bar, "pub fn TableTopBar", None)));
        let count = read("src/pages/count/mod.rs");
        sources.push((
            "count/mod.rs after CountPage".into(),
            part(&count, "pub fn CountNotOpen", None),
        ));
        let mut bad = Vec::new();
        for (name, text) in &sources {
            for pattern in [
                "i18n.t()",
                "tr(|",
                "Texts,",
                "Texts}",
                "&'static Texts",
                "&Texts",
            ] {
                if text.contains(pattern) {
                    bad.push(format!("{name}: {pattern}"));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "a table phone's screens name the bureau app's texts: {bad:?}"
        );
    }
}
