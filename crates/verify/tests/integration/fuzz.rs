//! Fuzzing the record reader with proptest: the record vector with bytes
//! replaced, inserted or removed never makes the verifier panic, and a
//! doctored record that still holds gives exactly the vector's results.
//! `FUZZ_CASES` sets the cases (default 300; `cargo xtask bench` runs more).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::results::Results;
use pointage_verify::verify;
use proptest::prelude::*;

fn vector(name: &str) -> String {
    std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/vectors/records")
            .join(name),
    )
    .unwrap()
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300)
}

fn mutated(genuine: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = genuine.len();
    prop::collection::vec((0..len, any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut b = genuine.clone();
        for (at, byte, how) in edits {
            let at = at.min(b.len().saturating_sub(1));
            match how {
                0 => b[at] = byte,
                1 => b.insert(at, byte),
                _ => {
                    b.remove(at);
                }
            }
        }
        b
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn a_doctored_record_never_panics_and_holds_only_with_the_same_results(
        m in mutated(vector("pass_record.jsonl").into_bytes())
    ) {
        let text = String::from_utf8_lossy(&m);
        let report = verify(&text, None);
        if report.holds() {
            let expected: Results = serde_json::from_str(&vector("results.json")).unwrap();
            let mut got = report.results.unwrap();
            got.counted.clear();
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn any_text_as_a_record_answers(text in "(\\{\"type\":\"(return|election|device_key|server_key)\".{0,200}\n){0,5}") {
        let _ = verify(&text, None);
    }
}
