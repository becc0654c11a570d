//! The receipt: what the central server signs back for a return it has
//! stored, and what lets a return leave the device's outbox. The device
//! checks it with the server key it received at enrollment, so a receipt
//! cannot be forged by anything between the phone and the server.
//!
//! Same canonical encoding as the return (`docs/return-format.md` §6); the
//! server passes its key, the time and its log's root in. A receipt of
//! `pointage-receipt/2` also names the head of the election's log that holds
//! the return (its leaf and the root of the tree it ends), so the phone can
//! later prove that the log it is shown still starts with that tree.

use crate::canonical::{self, CanonicalError};
use crate::log::{HEAD_SIGNING_CONTEXT, Hash, SignedTreeHead, TreeHead, parse_hash};
use crate::signature::{Ed25519, SignatureCheck, Verdict, Verifier, parse_key, parse_signature};
use crate::signed_return::SignedReturn;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The format of the receipts the server signs: with the log's head.
pub const RECEIPT_FORMAT: &str = "pointage-receipt/2";

/// The format of the receipts signed before the log: still read (a phone
/// keeps the receipts it was given), never signed again.
pub const RECEIPT_FORMAT_V1: &str = "pointage-receipt/1";

/// What the server's signature covers: this prefix then the body's canonical
/// bytes.
pub const RECEIPT_SIGNING_CONTEXT: &[u8] = b"pointage-receipt/2\n";
const RECEIPT_SIGNING_CONTEXT_V1: &[u8] = b"pointage-receipt/1\n";

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
    /// The return's leaf in the election's log (`/1`: its number among the
    /// election's returns, from 1).
    pub sequence: u64,
    /// When the server stored it, in milliseconds since the Unix epoch: its
    /// leaf's `at`.
    pub received_at: u64,
    /// `/2`: the head the receipt names, the tree of the log's first
    /// `tree_size` leaves (`sequence + 1`: it ends with this return)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_size: Option<u64>,
    /// …and that tree's root (lowercase hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_hash: Option<String>,
}

impl ReceiptBody {
    /// The head it names, `(tree_size, root)`, when it names one well.
    pub fn head(&self) -> Option<(u64, Hash)> {
        let size = self.tree_size?;
        let root = parse_hash(self.root_hash.as_deref()?)?;
        (size > self.sequence).then_some((size, root))
    }
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
    #[error(
        "the receipt's format is not {RECEIPT_FORMAT} (or {RECEIPT_FORMAT_V1}), or it names its head wrongly"
    )]
    UnknownFormat,
    #[error("the server key or the signature is malformed")]
    MalformedKey,
    #[error("the receipt is not signed by the server")]
    BadSignature,
    #[error("the receipt is for another return")]
    OtherReturn,
}

/// The server's key, expanded once: it signs a receipt per return, and the
/// heads of the logs; expanding the key each time would double the cost.
/// Ed25519 is deterministic, so the same body always gets the same
/// receipt: the server need not store receipts or heads, it can sign them
/// again from what it stored.
pub struct ServerSigner {
    key: ed25519_dalek::SigningKey,
}

impl ServerSigner {
    pub fn new(server_secret: &[u8; 32]) -> Self {
        Self {
            key: ed25519_dalek::SigningKey::from_bytes(server_secret),
        }
    }

    /// The public key, lowercase hex: what devices get at enrollment.
    pub fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// The receipt for a stored return, leaf `sequence` of its election's
    /// log, whose first `sequence + 1` leaves have the root `root`.
    pub fn sign(
        &self,
        ret: &SignedReturn,
        sequence: u64,
        received_at: u64,
        root: &Hash,
    ) -> Result<Receipt, CanonicalError> {
        let b = ret.body();
        let leaf = (sequence, received_at, root);
        self.sign_stored(ret.id(), &b.election_hash, &b.bureau, b.version, leaf)
    }

    /// The receipt for a stored turnout report, leaf `sequence` of its
    /// election's log: the same receipt as a return's, naming the report's
    /// id (`return_id` names the document received, a return or a report).
    pub fn sign_report(
        &self,
        report: &crate::turnout::SignedReport,
        sequence: u64,
        received_at: u64,
        root: &Hash,
    ) -> Result<Receipt, CanonicalError> {
        let b = report.body();
        let leaf = (sequence, received_at, root);
        self.sign_stored(report.id(), &b.election_hash, &b.bureau, b.version, leaf)
    }

    /// The receipt for a stored photo document, leaf `sequence`: the same
    /// receipt again, naming the document's id.
    pub fn sign_photos(
        &self,
        photos: &crate::photo::SignedPhotos,
        sequence: u64,
        received_at: u64,
        root: &Hash,
    ) -> Result<Receipt, CanonicalError> {
        let b = photos.body();
        let leaf = (sequence, received_at, root);
        self.sign_stored(photos.id(), &b.election_hash, &b.bureau, b.version, leaf)
    }

    /// The receipt of the document `id` (its election, bureau and version)
    /// stored as leaf `sequence` at `received_at`, the tree ending with it
    /// having root `root`.
    fn sign_stored(
        &self,
        id: &str,
        election_hash: &str,
        bureau: &str,
        version: u32,
        (sequence, received_at, root): (u64, u64, &Hash),
    ) -> Result<Receipt, CanonicalError> {
        self.seal(ReceiptBody {
            format: RECEIPT_FORMAT.to_owned(),
            return_id: id.to_owned(),
            election_hash: election_hash.to_owned(),
            bureau: bureau.to_owned(),
            version,
            sequence,
            received_at,
            tree_size: Some(sequence + 1),
            root_hash: Some(hex::encode(root)),
        })
    }

    /// Signs exactly this body (in the context of its format).
    pub fn seal(&self, body: ReceiptBody) -> Result<Receipt, CanonicalError> {
        let context = if body.format == RECEIPT_FORMAT_V1 {
            RECEIPT_SIGNING_CONTEXT_V1
        } else {
            RECEIPT_SIGNING_CONTEXT
        };
        let signature = self.sign_message(context, &canonical::encode(&body)?);
        Ok(Receipt { body, signature })
    }

    /// Signs what the server shows of a bureau's leaves.
    pub fn sign_listing(
        &self,
        listing: &crate::log::BureauListing,
    ) -> Result<String, CanonicalError> {
        Ok(self.sign_message(
            crate::log::BUREAU_LOG_SIGNING_CONTEXT,
            &canonical::encode(listing)?,
        ))
    }

    /// Signs a head of an election's log.
    pub fn sign_head(&self, head: TreeHead) -> Result<SignedTreeHead, CanonicalError> {
        let signature = self.sign_message(HEAD_SIGNING_CONTEXT, &canonical::encode(&head)?);
        Ok(SignedTreeHead { head, signature })
    }

    /// The signature (lowercase hex) of `context` then `body`.
    pub(crate) fn sign_message(&self, context: &[u8], body: &[u8]) -> String {
        use ed25519_dalek::Signer;
        let mut message = context.to_vec();
        message.extend_from_slice(body);
        hex::encode(self.key.sign(&message).to_bytes())
    }
}

impl Receipt {
    /// A receipt for a stored return, signed with the server's secret key.
    pub fn sign(
        ret: &SignedReturn,
        sequence: u64,
        received_at: u64,
        root: &Hash,
        server_secret: &[u8; 32],
    ) -> Result<Self, CanonicalError> {
        ServerSigner::new(server_secret).sign(ret, sequence, received_at, root)
    }

    /// Signs exactly this body: for tests and tools.
    pub fn seal(body: ReceiptBody, server_secret: &[u8; 32]) -> Result<Self, CanonicalError> {
        ServerSigner::new(server_secret).seal(body)
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
        let b = &self.body;
        let context = match b.format.as_str() {
            RECEIPT_FORMAT_V1 if b.tree_size.is_none() && b.root_hash.is_none() => {
                RECEIPT_SIGNING_CONTEXT_V1
            }
            RECEIPT_FORMAT if b.head().is_some() => RECEIPT_SIGNING_CONTEXT,
            _ => return Err(ReceiptError::UnknownFormat),
        };
        let key = parse_key(server_key).ok_or(ReceiptError::MalformedKey)?;
        let signature = parse_signature(&self.signature).ok_or(ReceiptError::MalformedKey)?;
        let bytes = canonical::encode(&self.body)?;
        Ok(SignatureCheck::new(context, &bytes, key, signature))
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
