//! Ed25519 keys and signatures as returns, receipts and recovery requests
//! carry them: lowercase hex, one spelling each, and every signature made
//! over a context (which says what is signed) followed by canonical bytes.
//!
//! Checking is sans-IO: core builds each [`SignatureCheck`] (key, exact
//! message, signature) and asks a [`Verifier`] whether it holds. The server,
//! the verifier and the tests use [`Ed25519`] (ed25519-dalek, strict); the
//! phone checks with WebCrypto, which the app awaits before it calls core,
//! and gives core its answers as [`Verified`], so the bureau app does not
//! link the curve's code.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// One signature to check: the public key, the exact bytes signed (context
/// then canonical body), and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureCheck {
    pub key: [u8; 32],
    pub message: Vec<u8>,
    pub signature: [u8; 64],
}

impl SignatureCheck {
    pub(crate) fn new(context: &[u8], body: &[u8], key: [u8; 32], signature: [u8; 64]) -> Self {
        SignatureCheck {
            key,
            message: signing_message(context, body),
            signature,
        }
    }
}

/// What a verifier finds of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    /// The key is no usable public key (not a point, or of small order):
    /// the spec's `return_malformed_key`, before any signature.
    NotAKey,
    /// The signature does not hold.
    Fails,
}

/// Says whether a signature holds.
pub trait Verifier {
    fn verdict(&self, check: &SignatureCheck) -> Verdict;
    fn holds(&self, check: &SignatureCheck) -> bool {
        self.verdict(check) == Verdict::Holds
    }
}

/// Ed25519 checked here, with ed25519-dalek's strict verification (which
/// refuses small-order keys and non-canonical signatures). The key is
/// decompressed once per check.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ed25519;

impl Ed25519 {
    /// A point, and not one of small order (the identity among them): no
    /// signature made with such a key means anything.
    pub fn is_key(&self, key: &[u8; 32]) -> bool {
        usable_key(key).is_some()
    }
}

fn usable_key(key: &[u8; 32]) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(key).ok().filter(|k| !k.is_weak())
}

impl Verifier for Ed25519 {
    fn verdict(&self, c: &SignatureCheck) -> Verdict {
        match usable_key(&c.key) {
            None => Verdict::NotAKey,
            Some(k) => match k.verify_strict(&c.message, &Signature::from_bytes(&c.signature)) {
                Ok(()) => Verdict::Holds,
                Err(_) => Verdict::Fails,
            },
        }
    }
}

/// The checks a caller made itself (the phone, with WebCrypto) and found
/// to hold: any other check fails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verified(pub Vec<SignatureCheck>);

impl Verifier for Verified {
    fn verdict(&self, check: &SignatureCheck) -> Verdict {
        if self.0.contains(check) {
            Verdict::Holds
        } else {
            Verdict::Fails
        }
    }
}

/// For the phone's own stored returns only: each was checked before it was
/// kept (assembled from a signature WebCrypto checked, or recovered and
/// checked), and reading it again does not check it again.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckedBeforeKept;

impl Verifier for CheckedBeforeKept {
    fn verdict(&self, _check: &SignatureCheck) -> Verdict {
        Verdict::Holds
    }
}

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

/// Whether `hex_key` is a lowercase-hex Ed25519 public key (a valid point
/// of large order).
pub fn is_public_key(hex_key: &str) -> bool {
    parse_key(hex_key).is_some_and(|k| Ed25519.is_key(&k))
}

/// Parses the spelling of a public key: 64 lowercase hex digits. Whether
/// it is a usable key is the verifier's ([`Verdict::NotAKey`]).
pub(crate) fn parse_key(hex_key: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    if !lower_hex(hex_key) {
        return None;
    }
    hex::decode_to_slice(hex_key, &mut bytes).ok()?;
    Some(bytes)
}

pub(crate) fn parse_signature(hex_sig: &str) -> Option<[u8; 64]> {
    let mut bytes = [0u8; 64];
    if !lower_hex(hex_sig) {
        return None;
    }
    hex::decode_to_slice(hex_sig, &mut bytes).ok()?;
    Some(bytes)
}

pub(crate) fn sign_bytes(context: &[u8], body: &[u8], secret: &[u8; 32]) -> [u8; 64] {
    SigningKey::from_bytes(secret)
        .sign(&signing_message(context, body))
        .to_bytes()
}

/// Why a document a device key signs is not signed by it, before the
/// document says so in its own error (its `MalformedKey` and
/// `BadSignature`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seal {
    /// The key or the signature is not spelt as one, or is not of the
    /// right length, or the key is no usable public key.
    Malformed,
    /// The signature does not hold.
    Fails,
}

/// A document signed by the device key it names (a turnout report, the
/// paper PV's photos): what every such document checks alike, over its
/// context and its canonical body.
pub(crate) struct DeviceSigned<'a> {
    pub context: &'static [u8],
    pub body: &'a [u8],
    pub key_hex: &'a str,
}

impl DeviceSigned<'_> {
    /// The envelope's signature (`signature_hex`) checked by `verifier`:
    /// its bytes, once it holds.
    pub fn verdict(&self, signature_hex: &str, verifier: &impl Verifier) -> Result<[u8; 64], Seal> {
        let key = parse_key(self.key_hex).ok_or(Seal::Malformed)?;
        let signature = parse_signature(signature_hex).ok_or(Seal::Malformed)?;
        match verifier.verdict(&SignatureCheck::new(
            self.context,
            self.body,
            key,
            signature,
        )) {
            Verdict::Holds => Ok(signature),
            Verdict::NotAKey => Err(Seal::Malformed),
            Verdict::Fails => Err(Seal::Fails),
        }
    }

    /// What must hold for `signature` (as the phone's signer gave it) to be
    /// the key's over the context and the body: a signature of another
    /// length does not hold.
    pub fn check(&self, signature: &[u8]) -> Result<SignatureCheck, Seal> {
        let signature: [u8; 64] = signature.try_into().map_err(|_| Seal::Fails)?;
        let key = parse_key(self.key_hex).ok_or(Seal::Malformed)?;
        Ok(SignatureCheck::new(self.context, self.body, key, signature))
    }

    /// Context then body: what the key signs.
    pub fn message(&self) -> Vec<u8> {
        signing_message(self.context, self.body)
    }

    /// Signed with a secret key held in memory (tests, the rehearsal).
    pub fn sign(&self, secret: &[u8; 32]) -> [u8; 64] {
        sign_bytes(self.context, self.body, secret)
    }
}

/// A signature as the phone's signer gives it, in the envelope's spelling
/// (lowercase hex); one of another length is malformed.
pub(crate) fn signature_hex(signature: &[u8]) -> Result<String, Seal> {
    <[u8; 64]>::try_from(signature)
        .map(hex::encode)
        .map_err(|_| Seal::Malformed)
}
