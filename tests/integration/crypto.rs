//! Browser tests of the bureau key in WebCrypto: the private key cannot be
//! exported by any script; what it signs verifies with core (as the server
//! and any verifier check it); it survives in IndexedDB; the previous
//! version's clear key is moved in once, gives the same public key, and is
//! erased from the enrollment; WebCrypto checks a signature exactly where
//! core's strict check says it holds.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::crypto;
use pointage::storage::{self, idb::IdbStore};
use pointage_core::recovery::{RecoverRequest, SignedRecoverRequest};
use pointage_core::signed_return::public_key_hex;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// Signs a recovery request with `key` and checks it as the server does.
async fn verifies_with_core(key: &web_sys::CryptoKey, public_hex: &str) -> bool {
    let request = RecoverRequest::new("demo", "B1", public_hex, 1_000);
    let sig = crypto::sign(key, &request.message().unwrap())
        .await
        .unwrap();
    assert_eq!(sig.len(), 64);
    SignedRecoverRequest {
        request,
        signature: hex::encode(sig),
    }
    .check(Some(public_hex), 1_000)
    .is_ok()
}

#[wasm_bindgen_test]
async fn the_key_cannot_be_exported_and_its_signatures_verify_with_core() {
    let key = crypto::generate().await.expect("WebCrypto Ed25519");
    assert!(!key.private.extractable());
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    for format in ["pkcs8", "jwk", "raw"] {
        let exported = JsFuture::from(subtle.export_key(format, &key.private).unwrap()).await;
        assert!(
            exported.is_err(),
            "the private key was exported as {format}"
        );
    }
    assert!(verifies_with_core(&key.private, &key.public_hex).await);
    // Another key's public half does not verify it.
    let other = crypto::generate().await.unwrap();
    assert!(!verifies_with_core(&key.private, &other.public_hex).await);
}

#[wasm_bindgen_test]
async fn the_key_is_kept_in_indexeddb_and_signs_after_a_new_start() {
    storage::init().await;
    storage::clear().await.unwrap();
    let key = crypto::generate().await.unwrap();
    storage::store()
        .unwrap()
        .put_key(&key.private)
        .await
        .unwrap();
    let again = IdbStore::open().await.unwrap();
    let back = again.key().await.unwrap().expect("the key is kept");
    assert!(!back.extractable());
    assert!(verifies_with_core(&back, &key.public_hex).await);
    storage::clear().await.unwrap();
}

#[wasm_bindgen_test]
async fn an_old_clear_key_is_moved_into_webcrypto_and_erased() {
    storage::init().await;
    storage::clear().await.unwrap();
    let seed = [42u8; 32];
    let old = serde_json::json!({
        "election": crate::common::demo_view(),
        "server_key": "00".repeat(32),
        "device_secret": hex::encode(seed),
    });
    let s = storage::store().unwrap();
    use pointage_device::{Batch, Key, Storage};
    s.write(Batch::new().put(Key::Device, old.to_string()))
        .await
        .unwrap();
    storage::move_clear_key(&s).await.unwrap();

    let fresh = IdbStore::open().await.unwrap();
    let device = pointage_device::EnrolledDevice::load(&fresh).unwrap();
    assert_eq!(device.device_secret, None);
    assert_eq!(device.device_key, public_key_hex(&seed));
    let text = fresh.get(&Key::Device).unwrap();
    assert!(!text.contains(&hex::encode(seed)), "the clear key is gone");
    let key = fresh.key().await.unwrap().unwrap();
    assert!(!key.extractable());
    assert!(verifies_with_core(&key, &device.device_key).await);
    storage::clear().await.unwrap();
}

/// WebCrypto checks what core lists, and says yes exactly where core's own
/// strict check (the server's) does: a receipt signed by the server's key
/// holds; the same with a byte of the receipt changed, another key, or a
/// key that is not a point does not, and core then refuses the receipt.
#[wasm_bindgen_test]
async fn webcrypto_checks_a_signature_as_core_does() {
    use pointage_core::signature::{Ed25519, SignatureCheck, Verifier};
    use pointage_core::{ReceiptBody, ServerSigner};
    let server = ServerSigner::new(&[7; 32]);
    let receipt = server
        .seal(ReceiptBody {
            format: pointage_core::receipt::RECEIPT_FORMAT.into(),
            return_id: "ab".repeat(32),
            election_hash: "cd".repeat(32),
            bureau: "B1".into(),
            version: 1,
            sequence: 3,
            received_at: 1_000,
            tree_size: Some(4),
            root_hash: Some("00".repeat(32)),
        })
        .unwrap();
    let good = receipt.signature_check(&server.public_key()).unwrap();
    let mut changed = good.clone();
    changed.message[20] ^= 1;
    let other_key = receipt
        .signature_check(&ServerSigner::new(&[8; 32]).public_key())
        .unwrap();
    // 32 bytes that core's strict check does not take for a point.
    let key = (2u8..)
        .map(|b| [b; 32])
        .find(|k| !Ed25519.is_key(k))
        .unwrap();
    let not_a_point = SignatureCheck {
        key,
        ..good.clone()
    };
    for (check, holds) in [
        (&good, true),
        (&changed, false),
        (&other_key, false),
        (&not_a_point, false),
    ] {
        assert_eq!(crypto::holds(check).await, holds, "{check:?}");
        assert_eq!(Ed25519.holds(check), holds, "{check:?}");
    }
    let held = crypto::verified([good, changed, other_key]).await;
    assert_eq!(held.0.len(), 1);
    assert!(
        receipt
            .verify_with(&server.public_key(), &"ab".repeat(32), &held)
            .is_ok()
    );
    let refused = crypto::verified([receipt
        .signature_check(&ServerSigner::new(&[8; 32]).public_key())
        .unwrap()])
    .await;
    assert!(
        receipt
            .verify_with(&server.public_key(), &"ab".repeat(32), &refused)
            .is_err()
    );
}
