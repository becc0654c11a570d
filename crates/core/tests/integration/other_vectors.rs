//! The vectors beyond the signed returns: human codes, receipts, the
//! hand-over parts and a join code's (the public records are the verifier's, in
//! crates/verify/tests/vectors.rs). They run on wasm32 too.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::vectors::{HANDOVER, HUMAN_CODES, JOIN, RECEIPTS, return_bytes};
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

#[test]
fn the_join_code_parts_give_back_an_invitation_its_bureau_key_signed() {
    use pointage_core::handover::Carries;
    use pointage_core::sheet::Invitation;
    use pointage_core::signature::{Ed25519, Verdict, Verifier};
    let v: Value = serde_json::from_slice(JOIN).unwrap();
    let texts: Vec<&str> = v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().split_once("/rejoindre#").unwrap().1)
        .collect();
    let collected = handover::collect_as(Carries::Join, texts.iter().copied());
    assert_eq!(collected.len(), 1);
    let bytes = collected[0].bytes.as_ref().unwrap().as_ref().unwrap();
    let invitation = Invitation::from_bytes(bytes).unwrap();
    let expected: Invitation = serde_json::from_value(v["invitation"].clone()).unwrap();
    assert_eq!(invitation, expected);
    assert_eq!(
        (invitation.body.bureau.as_str(), invitation.body.table),
        ("001", 1)
    );
    let check = invitation.signature_check().unwrap();
    assert!(matches!(Ed25519.verdict(&check), Verdict::Holds));
    // One byte of the body changed, the signature no longer holds.
    let mut forged = invitation.clone();
    forged.body.table = 2;
    let check = forged.signature_check().unwrap();
    assert!(!matches!(Ed25519.verdict(&check), Verdict::Holds));
    // Cut again, they are the same texts.
    assert_eq!(handover::split_as(Carries::Join, bytes), texts);
}

mod log_vectors {
    use crate::common::vectors::RFC6962;
    use pointage_core::log::{
        Hash, Tree, empty_root, leaf_hash, parse_hash, verify_consistency, verify_inclusion,
    };
    use serde_json::Value;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn hashes(v: &Value) -> Vec<Hash> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| parse_hash(h.as_str().unwrap()).unwrap())
            .collect()
    }

    fn reference() -> (Value, Tree, Vec<Hash>, Vec<Hash>) {
        let v: Value = serde_json::from_slice(RFC6962).unwrap();
        let leaves: Vec<Hash> = v["leaves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| leaf_hash(&hex::decode(l.as_str().unwrap()).unwrap()))
            .collect();
        let mut tree = Tree::new();
        leaves.iter().for_each(|l| tree.push(*l));
        let roots = hashes(&v["roots"]);
        (v, tree, leaves, roots)
    }

    /// Every way of spoiling a proof: each hash's bit flipped, one hash
    /// dropped, added at either end, or the proof empty.
    fn spoiled(proof: &[Hash]) -> Vec<Vec<Hash>> {
        let mut out = Vec::new();
        for i in 0..proof.len() {
            let mut p = proof.to_vec();
            p[i][0] ^= 8;
            out.push(p);
            let mut shorter = proof.to_vec();
            shorter.remove(i);
            out.push(shorter);
        }
        for extra in [[0u8; 32], proof.first().copied().unwrap_or([1; 32])] {
            out.push([proof, &[extra]].concat());
            out.push([&[extra], proof].concat());
        }
        out
    }

    #[test]
    fn the_reference_tree_gives_rfc_6962s_roots() {
        let (v, tree, _, roots) = reference();
        assert_eq!(tree.root(0), parse_hash(v["empty_root"].as_str().unwrap()));
        assert_eq!(tree.root(0), Some(empty_root()));
        for (n, root) in roots.iter().enumerate() {
            assert_eq!(
                tree.root(n as u64 + 1).as_ref(),
                Some(root),
                "size {}",
                n + 1
            );
        }
    }

    #[test]
    fn the_reference_inclusion_proofs_are_made_checked_and_no_spoiled_one_passes() {
        let (v, tree, leaves, roots) = reference();
        let cases = v["inclusion"].as_array().unwrap();
        assert!(cases.len() >= 5);
        for c in cases {
            let (i, n) = (c["index"].as_u64().unwrap(), c["size"].as_u64().unwrap());
            let proof = hashes(&c["proof"]);
            let (leaf, root) = (leaves[i as usize], roots[n as usize - 1]);
            assert_eq!(tree.inclusion(i, n).unwrap(), proof, "made {i} in {n}");
            assert_eq!(
                verify_inclusion(i, n, &leaf, &proof, &root),
                Ok(()),
                "{i} in {n}"
            );
            for p in spoiled(&proof) {
                assert!(
                    verify_inclusion(i, n, &leaf, &p, &root).is_err(),
                    "{i} in {n}: {p:?}"
                );
            }
            for (wi, wn) in [(i ^ 2, n), (i, n * 2), (i, n / 2), (i + 1, n)] {
                if (wi, wn) != (i, n) {
                    assert!(
                        verify_inclusion(wi, wn, &leaf, &proof, &root).is_err(),
                        "{wi} in {wn}"
                    );
                }
            }
            assert!(verify_inclusion(i, n, &leaf_hash(b"wrong"), &proof, &root).is_err());
            assert!(verify_inclusion(i, n, &leaf, &proof, &empty_root()).is_err());
        }
    }

    #[test]
    fn the_reference_consistency_proofs_are_made_checked_and_no_spoiled_one_passes() {
        let (v, tree, _, roots) = reference();
        let cases = v["consistency"].as_array().unwrap();
        assert!(cases.len() >= 5);
        for c in cases {
            let (m, n) = (c["from"].as_u64().unwrap(), c["to"].as_u64().unwrap());
            let proof = hashes(&c["proof"]);
            let (old, new) = (roots[m as usize - 1], roots[n as usize - 1]);
            assert_eq!(tree.consistency(m, n).unwrap(), proof, "made {m}→{n}");
            assert_eq!(
                verify_consistency(m, n, &old, &new, &proof),
                Ok(()),
                "{m}→{n}"
            );
            if m == n {
                continue;
            }
            for p in spoiled(&proof) {
                assert!(
                    verify_consistency(m, n, &old, &new, &p).is_err(),
                    "{m}→{n}: {p:?}"
                );
            }
            for (wm, wn) in [(m - 1, n), (m + 1, n), (m ^ 2, n), (m, n * 2), (m, n / 2)] {
                if (wm, wn) != (m, n) && wm > 0 {
                    assert!(
                        verify_consistency(wm, wn, &old, &new, &proof).is_err(),
                        "{wm}→{wn}"
                    );
                }
            }
            assert!(
                verify_consistency(m, n, &new, &old, &proof).is_err(),
                "swapped roots"
            );
            assert!(verify_consistency(m, n, &old, &new, &[]).is_err(), "empty");
        }
    }
}
