//! The signed-return test vectors of `tests/vectors/returns/` (compiled in,
//! see `common/vectors.rs`): each
//! `NAME.return` holds a return's exact bytes and `NAME.json` the latest
//! version already accepted for its bureau (another vector's name, or null)
//! and the error code it must be refused with (null: it must verify). Files
//! named `fail_*` must be refused; the others must verify, and re-signing
//! their body must give the same bytes, so that a change to the encoding
//! cannot slip in unnoticed. `election.json` and `keys.json` are the
//! election and the enrolled key they are checked against.
//!
//! They are written by `cargo run -p pointage-core --example return_vectors`.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::vectors;
use pointage_core::wire::ErrorCode;
use pointage_core::{Election, ReturnLabel, SignedReturn};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    #[allow(dead_code)]
    description: String,
    latest: Option<String>,
    expect: Option<ErrorCode>,
}

#[derive(Deserialize)]
struct Keys {
    election_hash: String,
    bureau_001_key: String,
}

/// The secret the `pass_` vectors were signed with (a fixed test seed).
const BUREAU_SECRET: [u8; 32] = [1; 32];

#[test]
fn every_return_vector_verifies_or_fails_with_its_code() {
    let election: Election = serde_json::from_slice(vectors::RETURNS_ELECTION).unwrap();
    let keys: Keys = serde_json::from_slice(vectors::RETURNS_KEYS).unwrap();
    assert_eq!(election.hash(), keys.election_hash, "election.json changed");
    assert!(vectors::RETURNS.len() >= 15, "return vectors missing");
    assert_eq!(
        vectors::names(vectors::RETURNS),
        vectors::names(vectors::RETURN_METAS)
    );

    let bytes: BTreeMap<&str, &[u8]> = vectors::RETURNS.iter().copied().collect();
    let mut codes = Vec::new();
    for ((name, ret), (_, meta)) in vectors::RETURNS.iter().zip(vectors::RETURN_METAS) {
        let meta: Meta = serde_json::from_slice(meta).unwrap_or_else(|e| panic!("{name}: {e}"));
        let latest = meta.latest.as_ref().map(|l| {
            SignedReturn::from_bytes(bytes[l.as_str()])
                .unwrap_or_else(|e| panic!("{name}: its latest {l} does not verify: {e}"))
        });
        let result = SignedReturn::from_bytes(ret).and_then(|r| {
            r.check(&election, &keys.bureau_001_key, latest.as_ref())
                .map(|()| r)
        });
        let got = result.as_ref().err().map(ErrorCode::from);
        assert_eq!(got, meta.expect, "{name}: {result:?}");
        assert_eq!(
            name.starts_with("fail_"),
            got.is_some(),
            "{name}: fail_ vectors must be refused, the others must verify"
        );
        if let Ok(r) = result {
            let again = SignedReturn::seal_unchecked(r.body().clone(), &BUREAU_SECRET).unwrap();
            assert_eq!(&again.to_bytes()[..], *ret, "{name}: encoding changed");
        }
        codes.extend(got);
    }
    // The kinds of forgery the issues name are all covered: of a return,
    // and of its table sheets.
    for needed in [
        ErrorCode::ReturnBadSignature,
        ErrorCode::ReturnWrongElection,
        ErrorCode::ReturnNotLatest,
        ErrorCode::ReturnBrokenChain,
        ErrorCode::ReturnSheetBadSignature,
        ErrorCode::ReturnSheetNotInvited,
        ErrorCode::ReturnSheetOtherBureau,
        ErrorCode::ReturnSheetsDisagree,
        ErrorCode::ReturnPacketCountedTwice,
        ErrorCode::ReturnSheetSameRecorder,
        ErrorCode::ReturnSheetsNotTally,
    ] {
        assert!(codes.contains(&needed), "no vector fails with {needed:?}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_return_vector_file_is_run() {
    assert_eq!(
        vectors::names(vectors::RETURNS),
        vectors::on_disk("returns", ".return")
    );
    assert_eq!(
        vectors::names(vectors::RETURN_METAS),
        vectors::on_disk("returns", ".json")
    );
}

/// The deposit page's label (bureau, version, human code, read without the
/// signature) is the verified return's for every return a server takes, and
/// bytes that are not a canonical return get none.
#[test]
fn a_couriers_label_is_the_verified_returns() {
    let mut labelled = 0;
    for (name, ret) in vectors::RETURNS {
        let label = ReturnLabel::read(ret);
        match SignedReturn::from_bytes(ret) {
            Ok(r) => {
                let label = label.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(label.bureau, r.body().bureau, "{name}");
                assert_eq!(label.version, r.body().version, "{name}");
                assert_eq!(label.id, r.id(), "{name}");
                assert_eq!(label.human_code(), r.human_code(), "{name}");
                labelled += 1;
            }
            // A broken signature is the server's to refuse: labelled all
            // the same, with the id of its bytes.
            Err(pointage_core::VerifyError::BadSignature) => {
                assert!(label.is_ok(), "{name}");
            }
            Err(_) => {}
        }
    }
    assert!(labelled >= 20, "only {labelled} vectors labelled");
    // Laid out otherwise (as a text editor might save it), the body cannot
    // be cut out as the server does: no label rather than a wrong code.
    let (_, first) = vectors::RETURNS[0];
    let mut spaced = b"{ ".to_vec();
    spaced.extend_from_slice(&first[1..]);
    assert!(ReturnLabel::read(first).is_ok());
    assert!(ReturnLabel::read(&spaced).is_err());
    for not_a_return in [
        &b"PTG1-AB"[..],
        b"{}",
        b"{\"body\":{\"format\":\"pointage-receipt/1\",\"bureau\":\"001\",\"version\":1},\"signature\":\"00\"}",
    ] {
        assert!(ReturnLabel::read(not_a_return).is_err());
    }
}
