//! Fuzzing, with proptest over bytes (no nightly toolchain here for
//! cargo-fuzz): everything core reads from outside gets arbitrary bytes and
//! mutations of genuine inputs, and must answer with an error, never a
//! panic; a mutated signed return or receipt verifies only when it says
//! exactly what the genuine one said.
//!
//! `FUZZ_CASES` sets the cases per target (default 2,000, so that CI stays
//! quick); `cargo xtask bench` runs 1,000,000 each. A failure is printed
//! with its input: it becomes a vector.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::vectors::{HANDOVER, RECEIPTS, RETURNS, return_bytes};
use pointage_core::wire::{EnrollRequest, SubmitResponse};
use pointage_core::{DoubleEntry, EntryStep, Receipt, SignedReturn, handover};
use proptest::prelude::*;
use serde_json::Value;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // A failure is shrunk and printed; the run goes on no further.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// A genuine input changed: bytes replaced, inserted or removed at random
/// places (1 to 8 edits).
fn mutated(genuine: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = genuine.len();
    prop::collection::vec((0..len.max(1), any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut b = genuine.clone();
        for (at, byte, how) in edits {
            let at = at.min(b.len().saturating_sub(1));
            match how {
                0 if !b.is_empty() => b[at] = byte,
                1 => b.insert(at, byte),
                _ if !b.is_empty() => {
                    b.remove(at);
                }
                _ => b.push(byte),
            }
        }
        b
    })
}

/// Every signed-return vector's bytes.
fn genuine_returns() -> Vec<Vec<u8>> {
    RETURNS.iter().map(|(_, b)| b.to_vec()).collect()
}

fn any_genuine_return_mutated() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    prop::sample::select(genuine_returns())
        .prop_flat_map(|g| mutated(g.clone()).prop_map(move |m| (g.clone(), m)))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn canonical_decoding_of_any_bytes_answers(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = pointage_core::canonical::decode::<Value>(&bytes);
    }

    #[test]
    fn a_signed_return_from_any_bytes_answers(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let _ = SignedReturn::from_bytes(&bytes);
    }

    #[test]
    fn a_mutated_signed_return_never_verifies((genuine, m) in any_genuine_return_mutated()) {
        // What verifies says exactly what the genuine bytes say: only its
        // spelling may differ (a mutation may undo itself, or take the
        // space out of fail_not_canonical, whose signature is genuine).
        if let Ok(r) = SignedReturn::from_bytes(&m) {
            let said: Value = serde_json::from_slice(&genuine).unwrap();
            let read: Value = serde_json::from_slice(&m).unwrap();
            prop_assert_eq!(read, said, "{}", r.id());
        }
    }

    #[test]
    fn a_mutated_receipt_never_holds(m in mutated(serde_json::to_vec(&receipt_case(0).1).unwrap())) {
        let (key, genuine, ret) = receipt_case(0);
        if let Ok(r) = serde_json::from_slice::<Receipt>(&m)
            && r.verify(&key, &ret).is_ok()
        {
            prop_assert_eq!(r, genuine);
        }
    }

    #[test]
    fn handover_parts_of_any_text_answer(text in ".{0,300}", genuine in prop::sample::select(handover_texts())) {
        let _ = handover::Part::parse(&text);
        let _ = handover::collect([text.as_str(), genuine.as_str()]);
    }

    #[test]
    fn mutated_handover_parts_never_give_other_bytes(m in mutated(handover_texts().join("\n").into_bytes())) {
        let Ok(text) = String::from_utf8(m) else { return Ok(()) };
        for c in handover::collect(text.lines()) {
            if let Some(Ok(bytes)) = c.bytes {
                prop_assert_eq!(bytes.as_slice(), return_bytes("pass_v2_correction"));
            }
        }
    }

    #[test]
    fn the_api_bodies_from_any_bytes_answer(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = serde_json::from_slice::<EnrollRequest>(&bytes);
        let _ = serde_json::from_slice::<SubmitResponse>(&bytes);
    }

    #[test]
    fn a_phones_stored_steps_replay_or_are_refused(m in mutated(stored_steps())) {
        if let Ok(steps) = serde_json::from_slice::<Vec<EntryStep>>(&m) {
            let _ = DoubleEntry::replay(&steps);
        }
    }
}

/// The server key, a genuine receipt and the id of the return it names.
fn receipt_case(n: usize) -> (String, Receipt, String) {
    let v: Value = serde_json::from_slice(RECEIPTS).unwrap();
    let c = &v["cases"][n];
    let ret = SignedReturn::from_bytes(return_bytes(c["return"].as_str().unwrap())).unwrap();
    (
        v["server_key"].as_str().unwrap().to_owned(),
        serde_json::from_value(c["receipt"].clone()).unwrap(),
        ret.id().to_owned(),
    )
}

/// The texts after `#` of the hand-over vector's codes.
fn handover_texts() -> Vec<String> {
    let v: Value = serde_json::from_slice(HANDOVER).unwrap();
    v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().split_once('#').unwrap().1.to_owned())
        .collect()
}

/// Steps as a phone stores them: a first entry, a differing second, a
/// re-typing.
fn stored_steps() -> Vec<u8> {
    let r = SignedReturn::from_bytes(return_bytes("pass_v1_clean")).unwrap();
    let pv = r.body().pv.clone();
    let mut other = pv.clone();
    other.blancs = other.blancs.map(|b| b + 1);
    let steps = vec![
        EntryStep::First {
            by: "Awa".into(),
            pv: pv.clone(),
        },
        EntryStep::Second {
            by: "Bruno".into(),
            pv: other,
        },
        EntryStep::Reenter {
            by: "Awa".into(),
            values: vec![(pointage_core::Field::Blancs, pv.blancs.map(u64::from))],
        },
    ];
    serde_json::to_vec(&steps).unwrap()
}
