//! The vectors beyond the signed returns: human codes, receipts and the
//! hand-over parts (the public records are the verifier's, in
//! crates/verify/tests/vectors.rs). They run on wasm32 too.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::vectors::{HANDOVER, HUMAN_CODES, RECEIPTS, return_bytes};
use pointage_core::signed_return::human_code;
use pointage_core::{Receipt, ReceiptError, SignedReturn, handover};
use serde_json::Value;

#[test]
fn each_id_gives_its_human_code() {
    let cases: Vec<Value> = serde_json::from_slice(HUMAN_CODES).unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        assert_eq!(human_code(c["id"].as_str().unwrap()), c["code"], "{c}");
    }
}

#[test]
fn each_receipt_vector_gives_its_verdict() {
    let v: Value = serde_json::from_slice(RECEIPTS).unwrap();
    let key = v["server_key"].as_str().unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let ret = SignedReturn::from_bytes(return_bytes(c["return"].as_str().unwrap())).unwrap();
        let receipt: Receipt = serde_json::from_value(c["receipt"].clone()).unwrap();
        let verdict = match receipt.verify(key, ret.id()) {
            Ok(()) => None,
            Err(ReceiptError::BadSignature) => Some("bad_signature"),
            Err(ReceiptError::OtherReturn) => Some("other_return"),
            Err(ReceiptError::UnknownFormat) => Some("unknown_format"),
            Err(ReceiptError::MalformedKey) => Some("malformed_key"),
            Err(ReceiptError::Encoding(_)) => Some("not_canonical"),
        };
        assert_eq!(verdict, c["expect"].as_str(), "{}", c["name"]);
    }
}

#[test]
fn the_handover_parts_give_back_the_return_in_any_order() {
    let v: Value = serde_json::from_slice(HANDOVER).unwrap();
    let whole = return_bytes(v["return"].as_str().unwrap());
    let parts: Vec<&str> = v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(parts.len() >= 2, "{}", parts.len());
    // What the camera opens: the text after `#` of each code's address.
    let texts: Vec<&str> = parts
        .iter()
        .map(|p| p.split_once('#').unwrap().1)
        .rev()
        .collect();
    let collected = handover::collect(texts.iter().copied());
    assert_eq!(collected.len(), 1);
    assert_eq!(
        collected[0].bytes.as_ref().unwrap().as_ref().unwrap(),
        whole
    );
    // Cut again, they are the same texts.
    let again: Vec<String> = handover::split(whole);
    let mut expected: Vec<&str> = texts.clone();
    expected.reverse();
    assert_eq!(again, expected);
}
