//! A bureau's phone gets back, from the server, the signed versions and
//! receipts it no longer holds (its storage lost them, or it was given a
//! `return_version_taken` for a version it does not have).
//!
//! The phone asks with a request signed by its own device key
//! ([`RecoverRequest`]); the server answers only the key enrolled for that
//! bureau now, and only a request made within [`RECOVER_WINDOW_MS`] of its
//! clock. The phone trusts nothing it is sent without a signature it can
//! check: each return must be signed by its own key, for its election and
//! bureau, the versions must follow each other, and each receipt must be the
//! server's, for that return ([`check_recovered`]).

use crate::canonical::{self, CanonicalError};
use crate::log::{BureauLog, KeyHistory, LogEntry, Witness, check_bureau_log_with};
use crate::receipt::Receipt;
use crate::signature::{
    Ed25519, SignatureCheck, Verifier, parse_key, parse_signature, signing_message,
};
use crate::signed_return::SignedReturn;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub const RECOVER_FORMAT: &str = "pointage-recover/1";
const RECOVER_SIGNING_CONTEXT: &[u8] = b"pointage-recover/1\n";
/// How far a request's time may be from the server's clock: a request
/// overheard on the network is useless after this.
pub const RECOVER_WINDOW_MS: u64 = 10 * 60 * 1000;

/// What the phone asks for: its bureau's versions, as the key it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoverRequest {
    /// Always [`RECOVER_FORMAT`].
    pub format: String,
    pub election_id: String,
    pub bureau: String,
    /// The asking device's public key, lowercase hex.
    pub device_key: String,
    /// The device's time, in milliseconds since the Unix epoch.
    pub at: u64,
}

impl RecoverRequest {
    pub fn new(election_id: &str, bureau: &str, device_key: &str, at: u64) -> Self {
        Self {
            format: RECOVER_FORMAT.to_owned(),
            election_id: election_id.to_owned(),
            bureau: bureau.to_owned(),
            device_key: device_key.to_owned(),
            at,
        }
    }

    /// The exact bytes the device key signs.
    pub fn message(&self) -> Result<Vec<u8>, CanonicalError> {
        Ok(signing_message(
            RECOVER_SIGNING_CONTEXT,
            &canonical::encode(self)?,
        ))
    }
}

/// `POST /api/v1/recover`: the request and the device key's signature of
/// [`RecoverRequest::message`] (lowercase hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignedRecoverRequest {
    pub request: RecoverRequest,
    pub signature: String,
}

/// Why a recovery request, or what it brought back, is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RecoverError {
    #[error("the request's format is not {RECOVER_FORMAT}")]
    UnknownFormat,
    #[error("the request is not signed by the key it names")]
    BadSignature,
    #[error("the key is not the one enrolled for this bureau")]
    KeyNotEnrolled,
    #[error("the request's time is too far from the server's")]
    Stale,
    #[error("a recovered return is not genuine, not this phone's, or out of order")]
    NotOurs,
    #[error("a recovered receipt is not the server's for its return")]
    BadReceipt,
    #[error("the public log does not hold what the recovered versions say")]
    NotInLog,
    #[error("the request cannot be encoded: {0}")]
    Encoding(#[from] CanonicalError),
}

impl SignedRecoverRequest {
    /// The server's check: signed by the key it names, that key is the one
    /// enrolled for the bureau now (`enrolled`), and made recently.
    pub fn check(&self, enrolled: Option<&str>, now: u64) -> Result<(), RecoverError> {
        let r = &self.request;
        if r.format != RECOVER_FORMAT {
            return Err(RecoverError::UnknownFormat);
        }
        let key = parse_key(&r.device_key).ok_or(RecoverError::BadSignature)?;
        let signature = parse_signature(&self.signature).ok_or(RecoverError::BadSignature)?;
        let body = canonical::encode(r)?;
        if !Ed25519.holds(&SignatureCheck::new(
            RECOVER_SIGNING_CONTEXT,
            &body,
            key,
            signature,
        )) {
            return Err(RecoverError::BadSignature);
        }
        if enrolled != Some(r.device_key.as_str()) {
            return Err(RecoverError::KeyNotEnrolled);
        }
        if r.at.abs_diff(now) > RECOVER_WINDOW_MS {
            return Err(RecoverError::Stale);
        }
        Ok(())
    }
}

/// One stored version: its canonical bytes as text, and its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveredVersion {
    #[serde(rename = "return")]
    pub ret: String,
    pub receipt: Receipt,
}

/// The answer: every version the server holds for the bureau, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoverResponse {
    pub versions: Vec<RecoveredVersion>,
}

/// The phone's check of what came back: each return genuine, signed by
/// `own_key`, for its election and bureau, versions 1, 2, … each naming the
/// one before; each receipt signed by the server (`server_key`) for that
/// return. Gives the versions with their receipts, oldest first.
pub fn check_recovered(
    response: &RecoverResponse,
    election_id: &str,
    bureau: &str,
    own_key: &str,
    server_key: &str,
) -> Result<Vec<(SignedReturn, Receipt)>, RecoverError> {
    check_recovered_with(response, election_id, bureau, own_key, server_key, &Ed25519)
}

/// Every signature [`check_recovered`] needs to hold (each return's, each
/// receipt's), for a caller that checks them itself (the phone, with
/// WebCrypto) before [`check_recovered_with`]. What cannot even be read
/// is left out: that check then fails.
pub fn recovered_signature_checks(
    response: &RecoverResponse,
    server_key: &str,
) -> Vec<SignatureCheck> {
    let mut checks = Vec::new();
    for v in &response.versions {
        checks.extend(SignedReturn::signature_check(v.ret.as_bytes()).ok());
        checks.extend(v.receipt.signature_check(server_key).ok());
    }
    checks
}

/// [`check_recovered`], with the signatures checked by `verifier`.
pub fn check_recovered_with(
    response: &RecoverResponse,
    election_id: &str,
    bureau: &str,
    own_key: &str,
    server_key: &str,
    verifier: &impl Verifier,
) -> Result<Vec<(SignedReturn, Receipt)>, RecoverError> {
    let mut out: Vec<(SignedReturn, Receipt)> = Vec::new();
    for v in &response.versions {
        let ret = SignedReturn::from_bytes_with(v.ret.as_bytes(), verifier)
            .map_err(|_| RecoverError::NotOurs)?;
        let b = ret.body();
        let expected_version = out.len() as u32 + 1;
        let replaces_ok = match (out.last(), &b.replaces) {
            (None, None) => true,
            (Some((prev, _)), Some(r)) => r.id == prev.id(),
            _ => false,
        };
        if b.election_id != election_id
            || b.bureau != bureau
            || b.device_key != own_key
            || b.version != expected_version
            || !replaces_ok
        {
            return Err(RecoverError::NotOurs);
        }
        v.receipt
            .verify_with(server_key, ret.id(), verifier)
            .map_err(|_| RecoverError::BadReceipt)?;
        out.push((ret, v.receipt.clone()));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
/// [`check_recovered_with`], a version signed by another key than this
/// phone's taken when the public log shows that key held the bureau when
/// it was received: `log` (the bureau's part of the log, its signatures
/// checked by `verifier` too) must hold, its key history keep the rules,
/// and each version be the return leaf its receipt names.
pub fn check_recovered_in_log(
    response: &RecoverResponse,
    log: &BureauLog,
    election_hash: &str,
    election_id: &str,
    bureau: &str,
    own_key: &str,
    server_key: &str,
    verifier: &impl Verifier,
) -> Result<Vec<(SignedReturn, Receipt)>, RecoverError> {
    let witness = Witness {
        election_hash,
        bureau,
        server_key,
        own_key,
        kept: None,
        receipts: Vec::new(),
    };
    let checked =
        check_bureau_log_with(log, &witness, verifier).map_err(|_| RecoverError::NotInLog)?;
    if !checked.broken.is_empty() {
        return Err(RecoverError::NotInLog);
    }
    // Which key held the bureau at each of its return leaves.
    let mut keys = KeyHistory::new();
    let mut held_at = Vec::new();
    for l in &log.leaves {
        let _ = keys.apply(l.index, &l.entry);
        if let LogEntry::Return { ret, .. } = &l.entry {
            let bytes = canonical::encode(ret).map_err(|_| RecoverError::NotInLog)?;
            let key = keys.current(bureau).map(|s| s.key.clone());
            held_at.push((l.index, SignedReturn::id_of(&bytes), key));
        }
    }
    let mut out: Vec<(SignedReturn, Receipt)> = Vec::new();
    for v in &response.versions {
        let ret = SignedReturn::from_bytes_with(v.ret.as_bytes(), verifier)
            .map_err(|_| RecoverError::NotOurs)?;
        let b = ret.body();
        let replaces_ok = match (out.last(), &b.replaces) {
            (None, None) => true,
            (Some((prev, _)), Some(r)) => r.id == prev.id(),
            _ => false,
        };
        if b.election_id != election_id
            || b.bureau != bureau
            || b.version != out.len() as u32 + 1
            || !replaces_ok
        {
            return Err(RecoverError::NotOurs);
        }
        v.receipt
            .verify_with(server_key, ret.id(), verifier)
            .map_err(|_| RecoverError::BadReceipt)?;
        // Its leaf, as its receipt names it, is this return, received while
        // its key held the bureau (a receipt from before the log names no
        // leaf: then only this phone's own key's are taken).
        let in_log = held_at.iter().any(|(index, id, key)| {
            *index == v.receipt.body.sequence
                && id.as_deref() == Some(ret.id())
                && key.as_deref() == Some(b.device_key.as_str())
        });
        let own_v1 = v.receipt.body.head().is_none() && b.device_key == own_key;
        if !in_log && !own_v1 {
            return Err(RecoverError::NotInLog);
        }
        out.push((ret, v.receipt.clone()));
    }
    Ok(out)
}

/// Every signature [`check_recovered_in_log`] needs to hold.
pub fn recovered_in_log_signature_checks(
    response: &RecoverResponse,
    log: &BureauLog,
    server_key: &str,
) -> Vec<SignatureCheck> {
    let mut checks = recovered_signature_checks(response, server_key);
    checks.extend(log.signature_checks(server_key));
    checks
}
