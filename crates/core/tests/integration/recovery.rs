//! Recovery from the server: the server answers only a recent request signed
//! by the bureau's enrolled key; the phone keeps only its own returns, in
//! order, each with the server's receipt for it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{BUREAU_SECRET, SERVER_SECRET, SIGNED_AT, abc, agreed, clean_pv};
use ed25519_dalek::{Signer, SigningKey};
use pointage_core::recovery::{
    RECOVER_WINDOW_MS, RecoverError, RecoverRequest, RecoverResponse, RecoveredVersion,
    SignedRecoverRequest, check_recovered,
};
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Receipt, ReturnDraft, ServerSigner, SignedReturn};
use std::collections::BTreeMap;

fn key() -> String {
    public_key_hex(&BUREAU_SECRET)
}

fn request(secret: &[u8; 32], at: u64) -> SignedRecoverRequest {
    let request = RecoverRequest::new(abc().id(), "001", &public_key_hex(secret), at);
    let sig = SigningKey::from_bytes(secret).sign(&request.message().unwrap());
    SignedRecoverRequest {
        request,
        signature: hex::encode(sig.to_bytes()),
    }
}

#[test]
fn the_server_answers_only_a_recent_request_of_the_enrolled_key() {
    let now = 1_900_000_000_000;
    let ok = request(&BUREAU_SECRET, now - 1000);
    ok.check(Some(&key()), now).unwrap();
    assert_eq!(ok.check(None, now), Err(RecoverError::KeyNotEnrolled));
    assert_eq!(
        request(&[5; 32], now).check(Some(&key()), now),
        Err(RecoverError::KeyNotEnrolled)
    );
    assert_eq!(
        request(&BUREAU_SECRET, now - RECOVER_WINDOW_MS - 1).check(Some(&key()), now),
        Err(RecoverError::Stale)
    );
    // Signed by one key, naming another: not its signature.
    let mut forged = request(&[5; 32], now);
    forged.request.device_key = key();
    assert_eq!(
        forged.check(Some(&key()), now),
        Err(RecoverError::BadSignature)
    );
    // Another bureau named after signing.
    let mut moved = request(&BUREAU_SECRET, now);
    moved.request.bureau = "002".into();
    assert_eq!(
        moved.check(Some(&key()), now),
        Err(RecoverError::BadSignature)
    );
}

fn versions() -> Vec<(SignedReturn, Receipt)> {
    let entry = agreed(clean_pv());
    let draft = |correction| ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: "001",
        entry: &entry,
        explanations: BTreeMap::new(),
        tally: None,
        correction,
    };
    let v1 = SignedReturn::sign(&abc(), draft(None), &BUREAU_SECRET, SIGNED_AT).unwrap();
    let v2 = SignedReturn::sign(
        &abc(),
        draft(Some((&v1, "typo".into()))),
        &BUREAU_SECRET,
        SIGNED_AT + 1,
    )
    .unwrap();
    let server = ServerSigner::new(&SERVER_SECRET);
    let r1 = server.sign(&v1, 4, 10, &[0; 32]).unwrap();
    let r2 = server.sign(&v2, 9, 20, &[0; 32]).unwrap();
    vec![(v1, r1), (v2, r2)]
}

fn response(v: &[(SignedReturn, Receipt)]) -> RecoverResponse {
    RecoverResponse {
        versions: v
            .iter()
            .map(|(r, rc)| RecoveredVersion {
                ret: String::from_utf8(r.to_bytes()).unwrap(),
                receipt: rc.clone(),
            })
            .collect(),
    }
}

#[test]
fn the_phone_keeps_only_its_own_versions_in_order_with_their_receipts() {
    let server_key = ServerSigner::new(&SERVER_SECRET).public_key();
    let v = versions();
    let check =
        |resp: &RecoverResponse| check_recovered(resp, abc().id(), "001", &key(), &server_key);
    assert_eq!(check(&response(&v)).unwrap(), v);
    assert_eq!(check(&RecoverResponse::default()).unwrap(), vec![]);
    // Out of order, or a version missing.
    let swapped = vec![v[1].clone(), v[0].clone()];
    assert_eq!(check(&response(&swapped)), Err(RecoverError::NotOurs));
    assert_eq!(check(&response(&v[1..])), Err(RecoverError::NotOurs));
    // Another key's, or another bureau's.
    assert_eq!(
        check_recovered(
            &response(&v),
            abc().id(),
            "001",
            &public_key_hex(&[5; 32]),
            &server_key
        ),
        Err(RecoverError::NotOurs)
    );
    assert_eq!(
        check_recovered(&response(&v), abc().id(), "002", &key(), &server_key),
        Err(RecoverError::NotOurs)
    );
    // A receipt for another return, or not the server's.
    let crossed = vec![(v[0].0.clone(), v[1].1.clone()), v[1].clone()];
    assert_eq!(check(&response(&crossed)), Err(RecoverError::BadReceipt));
    let stranger = ServerSigner::new(&[8; 32])
        .sign(&v[0].0, 4, 10, &[0; 32])
        .unwrap();
    let forged = vec![(v[0].0.clone(), stranger), v[1].clone()];
    assert_eq!(check(&response(&forged)), Err(RecoverError::BadReceipt));
    // A return edited in transit is not genuine.
    let mut edited = response(&v);
    edited.versions[0].ret = edited.versions[0]
        .ret
        .replacen("\"version\":1", "\"version\":3", 1);
    assert_eq!(check(&edited), Err(RecoverError::NotOurs));
}

/// The phone's way: core lists the signatures, the phone checks them itself
/// (here with the same strict check WebCrypto stands in for), and core
/// takes only the ones the phone found to hold.
#[test]
fn checked_in_two_steps_the_phone_keeps_the_same_versions_and_refuses_the_same_forgeries() {
    use pointage_core::recovery::{check_recovered_with, recovered_signature_checks};
    use pointage_core::signature::{Ed25519, Verified, Verifier};
    let server_key = ServerSigner::new(&SERVER_SECRET).public_key();
    let two_steps = |resp: &RecoverResponse| {
        let checks = recovered_signature_checks(resp, &server_key);
        let held = Verified(checks.into_iter().filter(|c| Ed25519.holds(c)).collect());
        check_recovered_with(resp, abc().id(), "001", &key(), &server_key, &held)
    };
    let v = versions();
    // Two returns and two receipts to check.
    assert_eq!(
        recovered_signature_checks(&response(&v), &server_key).len(),
        4
    );
    assert_eq!(two_steps(&response(&v)).unwrap(), v);
    let stranger = ServerSigner::new(&[8; 32])
        .sign(&v[0].0, 4, 10, &[0; 32])
        .unwrap();
    let forged = vec![(v[0].0.clone(), stranger), v[1].clone()];
    assert_eq!(two_steps(&response(&forged)), Err(RecoverError::BadReceipt));
    let mut edited = response(&v);
    edited.versions[1].ret = edited.versions[1]
        .ret
        .replacen("\"blancs\":", "\"blancs\":1", 1);
    assert_eq!(two_steps(&edited), Err(RecoverError::NotOurs));
    // Nothing checked: nothing taken.
    assert_eq!(
        check_recovered_with(
            &response(&v),
            abc().id(),
            "001",
            &key(),
            &server_key,
            &Verified::default()
        ),
        Err(RecoverError::NotOurs)
    );
}

/// A phone enrolled after its bureau's code was reissued: it takes back the
/// versions signed by the key that held the bureau before, as the log
/// proves, and nothing signed by a key that never held it.
mod after_a_reissue {
    use super::{
        BTreeMap, Receipt, RecoverError, RecoverResponse, ReturnDraft, SERVER_SECRET, SIGNED_AT,
        ServerSigner, SignedReturn, abc, agreed, check_recovered, clean_pv, public_key_hex,
        response,
    };
    use pointage_core::log::{
        BureauLog, Consistency, LogEntry, ProvenLeaf, Tree, TreeHead, to_hex,
    };
    use pointage_core::recovery::check_recovered_in_log;
    use pointage_core::signature::Ed25519;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const INTRUDER: [u8; 32] = [44; 32];
    const NEW_PHONE: [u8; 32] = [45; 32];

    struct Log {
        entries: Vec<LogEntry>,
        tree: Tree,
        server: ServerSigner,
    }

    impl Log {
        fn push(&mut self, e: LogEntry) -> u64 {
            self.tree.push(e.leaf_hash().unwrap());
            self.entries.push(e);
            self.tree.len() - 1
        }

        fn key(&mut self, secret: &[u8; 32]) {
            self.push(LogEntry::Key {
                at: 5,
                bureau: "001".into(),
                device_key: public_key_hex(secret),
                from: None,
            });
        }

        fn take(&mut self, r: &SignedReturn) -> Receipt {
            let ret = serde_json::from_slice(&r.to_bytes()).unwrap();
            let i = self.push(LogEntry::Return { at: 10, ret });
            self.server
                .sign(r, i, 10, &self.tree.root(i + 1).unwrap())
                .unwrap()
        }

        fn bureau(&self) -> BureauLog {
            let n = self.tree.len();
            let head = self
                .server
                .sign_head(TreeHead::new(
                    abc().hash(),
                    n,
                    &self.tree.root(n).unwrap(),
                    10,
                ))
                .unwrap();
            let mut log = BureauLog {
                bureau: "001".into(),
                head,
                leaves: self
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.bureau() == Some("001"))
                    .map(|(i, e)| ProvenLeaf {
                        index: i as u64,
                        entry: e.clone(),
                        proof: to_hex(&self.tree.inclusion(i as u64, n).unwrap()),
                    })
                    .collect(),
                consistency: Vec::<Consistency>::new(),
                signature: String::new(),
            };
            log.signature = self.server.sign_listing(&log.listing()).unwrap();
            log
        }
    }

    fn signed_by(secret: &[u8; 32]) -> SignedReturn {
        let entry = agreed(clean_pv());
        let draft = ReturnDraft {
            turnout: None,
            tables: &[],
            bureau: "001",
            entry: &entry,
            explanations: BTreeMap::new(),
            tally: None,
            correction: None,
        };
        SignedReturn::sign(&abc(), draft, secret, SIGNED_AT).unwrap()
    }

    fn log() -> Log {
        let server = ServerSigner::new(&SERVER_SECRET);
        let mut l = Log {
            entries: Vec::new(),
            tree: Tree::new(),
            server,
        };
        l.push(LogEntry::Election {
            at: 1,
            election_id: abc().id().into(),
            election_hash: abc().hash().into(),
            server_key: l.server.public_key(),
        });
        l
    }

    fn check(
        resp: &RecoverResponse,
        log: &BureauLog,
    ) -> Result<Vec<(SignedReturn, Receipt)>, RecoverError> {
        check_recovered_in_log(
            resp,
            log,
            abc().hash(),
            abc().id(),
            "001",
            &public_key_hex(&NEW_PHONE),
            &ServerSigner::new(&SERVER_SECRET).public_key(),
            &Ed25519,
        )
    }

    #[test]
    fn the_version_of_the_key_that_held_the_bureau_is_taken_back() {
        let mut l = log();
        l.key(&INTRUDER);
        let v1 = signed_by(&INTRUDER);
        let r1 = l.take(&v1);
        l.push(LogEntry::Reissue {
            at: 20,
            bureau: "001".into(),
            revoked_key: Some(public_key_hex(&INTRUDER)),
            by: None,
        });
        l.key(&NEW_PHONE);
        let resp = response(&[(v1.clone(), r1.clone())]);
        assert_eq!(
            check(&resp, &l.bureau()).unwrap(),
            vec![(v1.clone(), r1.clone())]
        );
        // The own-key-only check refuses it: another key signed it.
        let server_key = ServerSigner::new(&SERVER_SECRET).public_key();
        assert_eq!(
            check_recovered(
                &resp,
                abc().id(),
                "001",
                &public_key_hex(&NEW_PHONE),
                &server_key
            ),
            Err(RecoverError::NotOurs)
        );
    }

    #[test]
    fn a_version_of_a_key_that_never_held_the_bureau_or_not_in_the_log_is_refused() {
        let mut l = log();
        l.key(&NEW_PHONE);
        // Signed by a key the log never enrolled, given a genuine receipt.
        let stranger = signed_by(&INTRUDER);
        let receipt = l.take(&stranger);
        let resp = response(&[(stranger, receipt)]);
        assert_eq!(check(&resp, &l.bureau()), Err(RecoverError::NotInLog));
        // A log whose listing another key signed proves nothing.
        let mut l = log();
        l.key(&INTRUDER);
        let v1 = signed_by(&INTRUDER);
        let r1 = l.take(&v1);
        l.push(LogEntry::Reissue {
            at: 20,
            bureau: "001".into(),
            revoked_key: Some(public_key_hex(&INTRUDER)),
            by: None,
        });
        l.key(&NEW_PHONE);
        let mut forged = l.bureau();
        forged.signature = ServerSigner::new(&[8; 32])
            .sign_listing(&forged.listing())
            .unwrap();
        assert_eq!(
            check(&response(&[(v1, r1)]), &forged),
            Err(RecoverError::NotInLog)
        );
    }
}
