//! The rule test vectors of `tests/vectors/rules/`: each file is a PV (and,
//! where the ballots were tap-counted, a tally) with the exact findings it
//! must raise. Files named `fail_*` must raise an error (H1–H5) and so cannot
//! be signed; the others must not. One data-driven check runs them all.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{election_with_inscrits, vectors};
use pointage_core::rules::{self, Finding, TallySummary};
use pointage_core::{ProcesVerbal, RuleCode};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    #[allow(dead_code)]
    description: String,
    candidates: Vec<String>,
    /// The inscrits the election's definition gives bureau 001, if any.
    #[serde(default)]
    bureau_inscrits: Option<u32>,
    pv: ProcesVerbal,
    tally: Option<TallySummary>,
    expect: Vec<Finding>,
}

fn check(name: &str, bytes: &[u8]) -> Vec<RuleCode> {
    let v: Vector = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let found = rules::check(
        &election_with_inscrits(&v.candidates, v.bureau_inscrits),
        "001",
        &v.pv,
        v.tally.as_ref(),
    );
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
    assert!(vectors::RULES.len() >= 18, "rule vectors missing");
    let mut raised = BTreeSet::new();
    let mut passed_clean = BTreeSet::new();
    for (name, bytes) in vectors::RULES {
        let codes = check(name, bytes);
        if codes.is_empty() {
            passed_clean.insert(*name);
        }
        raised.extend(codes);
    }
    // Every rule is raised by at least one vector, and at least one vector
    // passes each rule (the consistent ones raise none).
    use RuleCode::*;
    for code in [H1, H2, H3, H4, H5, W1, W2, W3, W4, W5] {
        assert!(raised.contains(&code), "no vector raises {code:?}");
    }
    assert!(!passed_clean.is_empty(), "no vector passes every rule");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_rule_vector_file_is_run() {
    assert_eq!(
        vectors::names(vectors::RULES),
        vectors::on_disk("rules", ".json")
    );
}
