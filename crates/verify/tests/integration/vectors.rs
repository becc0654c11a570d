//! The public-record vectors (crates/core/tests/vectors/records): the
//! verifier accepts the good record with exactly its results, and finds in
//! each doctored one the discrepancy its description names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::results::Results;
use pointage_verify::{Problem, Published, verify};
use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/vectors/records")
}

fn kind(p: &Problem) -> &'static str {
    match p {
        Problem::Return { error, .. } => match error {
            pointage_core::VerifyError::BadSignature => "return_bad_signature",
            _ => "return_other",
        },
        Problem::LeafOrder { .. } => "leaf_order",
        Problem::HeadRoot => "head_root",
        Problem::HeadSize { .. } => "head_size",
        Problem::Keys(pointage_core::log::KeyError::TwoKeys { .. }) => "two_keys",
        Problem::KeyNotHeld { .. } => "key_not_held",
        Problem::Figure { .. } => "figure",
        Problem::Counted { .. } => "counted",
        _ => "other",
    }
}

#[test]
fn each_record_vector_gives_its_verdict() {
    let metas: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("records.json")).unwrap())
            .unwrap();
    let results: Results =
        serde_json::from_str(&std::fs::read_to_string(dir().join("results.json")).unwrap())
            .unwrap();
    let published = Published {
        results: results.clone(),
        bureaux: None,
        turnout: None,
        still_open: None,
    };
    assert!(metas.len() >= 5);
    for m in &metas {
        let name = m["name"].as_str().unwrap();
        let text = std::fs::read_to_string(dir().join(format!("{name}.jsonl"))).unwrap();
        let report = verify(&text, Some(&published));
        match m["expect"].as_str() {
            None => {
                assert_eq!(report.problems, vec![], "{name}");
                let mut got = report.results.unwrap();
                got.counted.clear();
                assert_eq!(got, results, "{name}");
            }
            Some(expect) => {
                let kinds: Vec<&str> = report.problems.iter().map(kind).collect();
                assert!(kinds.contains(&expect), "{name}: {kinds:?}");
                assert!(!report.holds(), "{name}");
            }
        }
    }
    // Every record file is a vector.
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.strip_suffix(".jsonl").map(str::to_owned)
        })
        .collect();
    on_disk.sort();
    let mut named: Vec<String> = metas
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect();
    named.sort();
    assert_eq!(on_disk, named);
}
