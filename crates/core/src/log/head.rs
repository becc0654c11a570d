//! The signed tree head: what the server says its log of an election is at
//! one size (its root), signed with the key that signs receipts. Two heads
//! of one log that no consistency proof joins are the proof that the
//! server showed two histories (docs/return-format.md §7).

use super::tree::Hash;
use crate::canonical::{self, CanonicalError};
use crate::signature::{Ed25519, SignatureCheck, Verdict, Verifier, parse_key, parse_signature};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub const HEAD_FORMAT: &str = "pointage-head/1";
pub(crate) const HEAD_SIGNING_CONTEXT: &[u8] = b"pointage-head/1\n";

/// What the server attests of its log: the tree of its first `tree_size`
/// leaves has root `root_hash`. `timestamp` is its last leaf's `at`, so a
/// head is the same whichever node signs it, whenever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TreeHead {
    /// Always [`HEAD_FORMAT`].
    pub format: String,
    pub election_hash: String,
    pub tree_size: u64,
    /// Lowercase hex SHA-256.
    pub root_hash: String,
    pub timestamp: u64,
}

/// A head and the server's signature (lowercase hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignedTreeHead {
    pub head: TreeHead,
    pub signature: String,
}

/// Why a head is not the server's word.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum HeadError {
    #[error("the head is not in its canonical encoding: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("the head's format is not {HEAD_FORMAT}, or its root is not a hash")]
    Malformed,
    #[error("the server key or the signature is malformed")]
    MalformedKey,
    #[error("the head is not signed by the server")]
    BadSignature,
}

impl TreeHead {
    pub fn new(election_hash: &str, tree_size: u64, root: &Hash, timestamp: u64) -> Self {
        TreeHead {
            format: HEAD_FORMAT.to_owned(),
            election_hash: election_hash.to_owned(),
            tree_size,
            root_hash: hex::encode(root),
            timestamp,
        }
    }

    /// The root, if it is 64 lowercase hex digits.
    pub fn root(&self) -> Option<Hash> {
        parse_hash(&self.root_hash)
    }
}

/// A hash written as 64 lowercase hex digits, as every hash of the log is.
pub fn parse_hash(text: &str) -> Option<Hash> {
    if !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

impl SignedTreeHead {
    /// What must hold for the server (`server_key`) to have signed it: for
    /// a caller that checks signatures itself (the phone, with WebCrypto).
    pub fn signature_check(&self, server_key: &str) -> Result<SignatureCheck, HeadError> {
        if self.head.format != HEAD_FORMAT || self.head.root().is_none() {
            return Err(HeadError::Malformed);
        }
        let key = parse_key(server_key).ok_or(HeadError::MalformedKey)?;
        let signature = parse_signature(&self.signature).ok_or(HeadError::MalformedKey)?;
        let bytes = canonical::encode(&self.head)?;
        Ok(SignatureCheck::new(
            HEAD_SIGNING_CONTEXT,
            &bytes,
            key,
            signature,
        ))
    }

    /// Checks the server's signature with `verifier`.
    pub fn verify_with(&self, server_key: &str, verifier: &impl Verifier) -> Result<(), HeadError> {
        match verifier.verdict(&self.signature_check(server_key)?) {
            Verdict::Holds => Ok(()),
            Verdict::NotAKey => Err(HeadError::MalformedKey),
            Verdict::Fails => Err(HeadError::BadSignature),
        }
    }

    /// [`Self::verify_with`] ed25519.
    pub fn verify(&self, server_key: &str) -> Result<(), HeadError> {
        self.verify_with(server_key, &Ed25519)
    }
}
