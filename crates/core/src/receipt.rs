//! The receipt: what the central server signs back for a return it has
//! stored, and what lets a return leave the device's outbox. The device
//! checks it with the server key it received at enrollment, so a receipt
//! cannot be forged by anything between the phone and the server.
//!
//! Same canonical encoding as the return (`docs/return-format.md`); the
//! server passes its key and the time in.

use crate::canonical::{self, CanonicalError};
use crate::signature::{Ed25519, SignatureCheck, Verdict, Verifier, parse_key, parse_signature};
use crate::signed_return::SignedReturn;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The value of every receipt body's `format` field.
pub const RECEIPT_FORMAT: &str = "pointage-receipt/1";

/// What the server's signature covers: this prefix then the body's canonical
/// bytes.
pub const RECEIPT_SIGNING_CONTEXT: &[u8] = b"pointage-receipt/1\n";

/// What the server attests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    /// Always [`RECEIPT_FORMAT`].
    pub format: String,
    /// The id of the return received.
    pub return_id: String,
    pub election_hash: String,
    pub bureau: String,
    pub version: u32,
    /// The server's sequence number for this return, from 1, in the order
    /// returns were stored.
    pub sequence: u64,
    /// When the server stored it, in milliseconds since the Unix epoch.
    pub received_at: u64,
}

/// A receipt as sent: its body and the server's signature (lowercase hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub body: ReceiptBody,
    pub signature: String,
}

/// Why a receipt is not proof that the server has a return.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReceiptError {
    #[error("the receipt is not in its canonical encoding: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("the receipt's format is not {RECEIPT_FORMAT}")]
    UnknownFormat,
    #[error("the server key or the signature is malformed")]
    MalformedKey,
    #[error("the receipt is not signed by the server")]
    BadSignature,
    #[error("the receipt is for another return")]
    OtherReturn,
}

/// The server's receipt key, expanded once: a server signs a receipt per
/// return, and expanding the key each time would double the cost. Ed25519 is
/// deterministic, so the same body always gets the same receipt: the server
/// need not store receipts, it can sign them again from what it stored.
pub struct ReceiptSigner {
    key: ed25519_dalek::SigningKey,
}

impl ReceiptSigner {
    pub fn new(server_secret: &[u8; 32]) -> Self {
        Self {
            key: ed25519_dalek::SigningKey::from_bytes(server_secret),
        }
    }

    /// The public key, lowercase hex: what devices get at enrollment.
    pub fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// The receipt for a stored return.
    pub fn sign(
        &self,
        ret: &SignedReturn,
        sequence: u64,
        received_at: u64,
    ) -> Result<Receipt, CanonicalError> {
        let b = ret.body();
        self.seal(ReceiptBody {
            format: RECEIPT_FORMAT.to_owned(),
            return_id: ret.id().to_owned(),
            election_hash: b.election_hash.clone(),
            bureau: b.bureau.clone(),
            version: b.version,
            sequence,
            received_at,
        })
    }

    /// Signs exactly this body.
    pub fn seal(&self, body: ReceiptBody) -> Result<Receipt, CanonicalError> {
        use ed25519_dalek::Signer;
        let mut message = RECEIPT_SIGNING_CONTEXT.to_vec();
        message.extend_from_slice(&canonical::encode(&body)?);
        Ok(Receipt {
            body,
            signature: hex::encode(self.key.sign(&message).to_bytes()),
        })
    }
}

impl Receipt {
    /// A receipt for a stored return, signed with the server's secret key.
    pub fn sign(
        ret: &SignedReturn,
        sequence: u64,
        received_at: u64,
        server_secret: &[u8; 32],
    ) -> Result<Self, CanonicalError> {
        ReceiptSigner::new(server_secret).sign(ret, sequence, received_at)
    }

    /// Signs exactly this body: for tests and tools.
    pub fn seal(body: ReceiptBody, server_secret: &[u8; 32]) -> Result<Self, CanonicalError> {
        ReceiptSigner::new(server_secret).seal(body)
    }

    /// Checks that the server (whose public key, lowercase hex, the device
    /// got at enrollment) signed this receipt for the return `return_id`.
    pub fn verify(&self, server_key: &str, return_id: &str) -> Result<(), ReceiptError> {
        self.verify_with(server_key, return_id, &Ed25519)
    }

    /// What must hold for the server (`server_key`) to have signed this
    /// receipt: for a caller that checks it itself (the phone, with
    /// WebCrypto) before [`Self::verify_with`].
    pub fn signature_check(&self, server_key: &str) -> Result<SignatureCheck, ReceiptError> {
        self.check_of(server_key)
    }

    fn check_of(&self, server_key: &str) -> Result<SignatureCheck, ReceiptError> {
        if self.body.format != RECEIPT_FORMAT {
            return Err(ReceiptError::UnknownFormat);
        }
        let key = parse_key(server_key).ok_or(ReceiptError::MalformedKey)?;
        let signature = parse_signature(&self.signature).ok_or(ReceiptError::MalformedKey)?;
        let bytes = canonical::encode(&self.body)?;
        Ok(SignatureCheck::new(
            RECEIPT_SIGNING_CONTEXT,
            &bytes,
            key,
            signature,
        ))
    }

    /// [`Self::verify`], with the signature checked by `verifier`.
    pub fn verify_with(
        &self,
        server_key: &str,
        return_id: &str,
        verifier: &impl Verifier,
    ) -> Result<(), ReceiptError> {
        match verifier.verdict(&self.check_of(server_key)?) {
            Verdict::Holds => {}
            Verdict::NotAKey => return Err(ReceiptError::MalformedKey),
            Verdict::Fails => return Err(ReceiptError::BadSignature),
        }
        if self.body.return_id != return_id {
            return Err(ReceiptError::OtherReturn);
        }
        Ok(())
    }

    /// The receipt's canonical bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        canonical::encode(self)
    }

    /// Decodes a receipt from canonical bytes (its signature is checked by
    /// [`Self::verify`], which needs the server key).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CanonicalError> {
        canonical::decode(bytes)
    }
}
