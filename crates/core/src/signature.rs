//! Ed25519 keys and signatures as returns, receipts and recovery requests
//! carry them: lowercase hex, one spelling each, and every signature made
//! over a context (which says what is signed) followed by canonical bytes.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// The public key of a 32-byte Ed25519 secret key, as lowercase hex.
pub fn public_key_hex(secret: &[u8; 32]) -> String {
    hex::encode(SigningKey::from_bytes(secret).verifying_key().to_bytes())
}

pub(crate) fn signing_message(context: &[u8], body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(context.len() + body.len());
    m.extend_from_slice(context);
    m.extend_from_slice(body);
    m
}

/// Only lowercase hex is accepted, so that a key or signature has one
/// spelling.
fn lower_hex(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `hex_key` is a lowercase-hex Ed25519 public key (a valid point).
pub fn is_public_key(hex_key: &str) -> bool {
    parse_key(hex_key).is_some()
}

/// Parses a lowercase-hex Ed25519 public key.
pub(crate) fn parse_key(hex_key: &str) -> Option<VerifyingKey> {
    let mut bytes = [0u8; 32];
    if !lower_hex(hex_key) {
        return None;
    }
    hex::decode_to_slice(hex_key, &mut bytes).ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

pub(crate) fn parse_signature(hex_sig: &str) -> Option<[u8; 64]> {
    let mut bytes = [0u8; 64];
    if !lower_hex(hex_sig) {
        return None;
    }
    hex::decode_to_slice(hex_sig, &mut bytes).ok()?;
    Some(bytes)
}

/// Checks a signature made with `context` over canonical `body` bytes.
pub(crate) fn check_signature(
    context: &[u8],
    body: &[u8],
    key: &VerifyingKey,
    signature: &[u8; 64],
) -> bool {
    key.verify_strict(
        &signing_message(context, body),
        &Signature::from_bytes(signature),
    )
    .is_ok()
}

pub(crate) fn sign_bytes(context: &[u8], body: &[u8], secret: &[u8; 32]) -> [u8; 64] {
    SigningKey::from_bytes(secret)
        .sign(&signing_message(context, body))
        .to_bytes()
}
