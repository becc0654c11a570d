//! The bureau key in WebCrypto. Enrollment generates an Ed25519 key pair
//! with `crypto.subtle.generateKey` as non-extractable; the private
//! `CryptoKey` is kept in IndexedDB (a browser object, stored as it is) and
//! signs through `crypto.subtle.sign`. No script, this app's included, can
//! read the secret: it must never be exported, logged or kept anywhere
//! else. Every signature core is given is checked (`UnsignedReturn::
//! assemble_with`), so a wrong key cannot produce a return.
//!
//! Checking is WebCrypto's too (`crypto.subtle.verify`): core lists what
//! must hold ([`SignatureCheck`]), [`verified`] checks each here, and core
//! takes the answers ([`Verified`]), so the app does not link the curve's
//! code (about 8 KiB of the compressed bundle). The phone checks only its
//! own returns and the server's receipts; the strict checks against
//! hostile input are the server's and the verifier's.

use js_sys::{Array, Object, Reflect, Uint8Array};
use pointage_core::signature::{SignatureCheck, Verified};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, CryptoKeyPair, SubtleCrypto};

const ED25519: &str = "Ed25519";

/// Why the key could not be made or used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// This browser has no WebCrypto Ed25519 (or no WebCrypto at all).
    Unsupported,
    /// WebCrypto refused: the message names its error.
    Failed(String),
}

fn failed(e: JsValue) -> CryptoError {
    let name = Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("NotSupportedError") => CryptoError::Unsupported,
        _ => CryptoError::Failed(name.unwrap_or_else(|| "unknown error".to_owned())),
    }
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    Ok(web_sys::window()
        .ok_or(CryptoError::Unsupported)?
        .crypto()
        .map_err(|_| CryptoError::Unsupported)?
        .subtle())
}

fn sign_only() -> Array {
    Array::of1(&"sign".into())
}

/// The device's key: the private half (non-extractable) and the public one
/// as lowercase hex, as the server and core know it.
pub struct DeviceKey {
    pub private: CryptoKey,
    pub public_hex: String,
}

async fn public_hex(subtle: &SubtleCrypto, public: &CryptoKey) -> Result<String, CryptoError> {
    let raw = JsFuture::from(subtle.export_key("raw", public).map_err(failed)?)
        .await
        .map_err(failed)?;
    let bytes = Uint8Array::new(&raw).to_vec();
    if bytes.len() != 32 {
        return Err(CryptoError::Failed("public key length".into()));
    }
    Ok(hex::encode(bytes))
}

/// A new key pair whose private half can sign and never be exported.
pub async fn generate() -> Result<DeviceKey, CryptoError> {
    let subtle = subtle()?;
    let promise = subtle
        .generate_key_with_str(ED25519, false, &sign_only())
        .map_err(failed)?;
    let pair: CryptoKeyPair = JsFuture::from(promise)
        .await
        .map_err(failed)?
        .unchecked_into();
    let public_hex = public_hex(&subtle, &pair.get_public_key()).await?;
    Ok(DeviceKey {
        private: pair.get_private_key(),
        public_hex,
    })
}

/// Signs `message` with the device's private key: 64 bytes.
pub async fn sign(key: &CryptoKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let promise = subtle()?
        .sign_with_str_and_u8_array(ED25519, key, message)
        .map_err(failed)?;
    let sig = JsFuture::from(promise).await.map_err(failed)?;
    Ok(Uint8Array::new(&sig).to_vec())
}

/// Whether `check` holds: its signature, by its public key, over its
/// message. Anything WebCrypto refuses (a key that is not a point) is no.
pub async fn holds(check: &SignatureCheck) -> bool {
    let verify = async {
        let subtle = subtle()?;
        let raw = Uint8Array::from(&check.key[..]);
        let promise = subtle
            .import_key_with_str(
                "raw",
                raw.unchecked_ref::<Object>(),
                ED25519,
                false,
                &Array::of1(&"verify".into()),
            )
            .map_err(failed)?;
        let key: CryptoKey = JsFuture::from(promise)
            .await
            .map_err(failed)?
            .unchecked_into();
        let promise = subtle
            .verify_with_str_and_u8_array_and_u8_array(
                ED25519,
                &key,
                &check.signature,
                &check.message,
            )
            .map_err(failed)?;
        let answer = JsFuture::from(promise).await.map_err(failed)?;
        Ok::<bool, CryptoError>(answer.as_bool() == Some(true))
    };
    verify.await.unwrap_or(false)
}

/// The checks that hold, for core to take as [`Verified`].
pub async fn verified(checks: impl IntoIterator<Item = SignatureCheck>) -> Verified {
    let mut held = Vec::new();
    for check in checks {
        if holds(&check).await {
            held.push(check);
        }
    }
    Verified(held)
}

/// PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410): the only form in
/// which WebCrypto imports an Ed25519 private key.
const PKCS8_ED25519: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

async fn import(
    subtle: &SubtleCrypto,
    pkcs8: &Uint8Array,
    extractable: bool,
) -> Result<CryptoKey, CryptoError> {
    let promise = subtle
        .import_key_with_str(
            "pkcs8",
            pkcs8.unchecked_ref::<Object>(),
            ED25519,
            extractable,
            &sign_only(),
        )
        .map_err(failed)?;
    Ok(JsFuture::from(promise)
        .await
        .map_err(failed)?
        .unchecked_into())
}

/// The previous version's key, which it kept in clear: imported once as a
/// non-extractable key. Its public half is read from a transient extractable
/// import (its JWK's `x`), which is dropped at once.
pub async fn import_seed(seed: &[u8; 32]) -> Result<DeviceKey, CryptoError> {
    let subtle = subtle()?;
    let mut der = PKCS8_ED25519.to_vec();
    der.extend_from_slice(seed);
    let pkcs8 = Uint8Array::from(der.as_slice());
    let readable = import(&subtle, &pkcs8, true).await?;
    let jwk = JsFuture::from(subtle.export_key("jwk", &readable).map_err(failed)?)
        .await
        .map_err(failed)?;
    let x = Reflect::get(&jwk, &"x".into())
        .ok()
        .and_then(|x| x.as_string())
        .ok_or_else(|| CryptoError::Failed("no public key in the JWK".into()))?;
    let public = base64url(&x).ok_or_else(|| CryptoError::Failed("public key encoding".into()))?;
    pkcs8.fill(0, 0, pkcs8.length());
    let private = import(&subtle, &Uint8Array::from(der.as_slice()), false).await?;
    der.fill(0);
    if public.len() != 32 {
        return Err(CryptoError::Failed("public key length".into()));
    }
    Ok(DeviceKey {
        private,
        public_hex: hex::encode(public),
    })
}

/// Base64url (a JWK's encoding) to bytes, with the browser's `atob`: a
/// decoder of our own for one 32-byte key would cost the bundle 10 KB.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut b64: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    let binary = web_sys::window()?.atob(&b64).ok()?;
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}
