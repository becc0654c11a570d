//! The rule test vectors of `tests/vectors/rules/`: each file is a PV (and,
//! where the ballots were tap-counted, a tally) with the exact findings it
//! must raise. Files named `fail_*` must raise an error (H1–H5) and so cannot
//! be signed; the others must not. One data-driven check runs them all.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::rules::{self, Finding, TallySummary};
use pointage_core::{Bureau, Candidate, Election, ProcesVerbal, RuleCode};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    #[allow(dead_code)]
    description: String,
    candidates: Vec<String>,
    pv: ProcesVerbal,
    tally: Option<TallySummary>,
    expect: Vec<Finding>,
}

fn election(candidates: &[String]) -> Election {
    Election::new(
        "vector",
        "Test vector election",
        1,
        candidates
            .iter()
            .map(|id| Candidate {
                id: id.clone(),
                name: format!("Candidate {id}"),
            })
            .collect(),
        vec![Bureau {
            code: "001".into(),
            name: "Bureau 001".into(),
            inscrits: None,
        }],
    )
    .expect("valid vector election")
}

fn check(path: &Path) -> Vec<RuleCode> {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let v: Vector = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let found = rules::check(&election(&v.candidates), &v.pv, v.tally.as_ref());
    assert_eq!(found, v.expect, "{name}: findings differ from the vector");
    let must_fail = name.starts_with("fail_");
    assert_eq!(
        !rules::no_error(&found),
        must_fail,
        "{name}: a fail_ vector must raise an error, any other must not"
    );
    found.iter().map(|f| f.code).collect()
}

#[test]
fn every_rule_vector_raises_exactly_its_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/rules");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 18, "vectors missing in {}", dir.display());

    let mut raised = BTreeSet::new();
    let mut passed_clean = BTreeSet::new();
    for path in &paths {
        let codes = check(path);
        if codes.is_empty() {
            passed_clean.insert(path.clone());
        }
        raised.extend(codes);
    }
    // Every rule is raised by at least one vector, and at least one vector
    // passes each rule (the consistent ones raise none).
    use RuleCode::*;
    for code in [H1, H2, H3, H4, H5, W1, W2, W3, W4] {
        assert!(raised.contains(&code), "no vector raises {code:?}");
    }
    assert!(!passed_clean.is_empty(), "no vector passes every rule");
}
