//! Making a signed return on the phone: what a bureau passes in
//! ([`ReturnDraft`]), every rule checked before anything is signed
//! ([`SignedReturn::prepare`]), the body encoded and waiting for the device
//! key's signature ([`UnsignedReturn`]), and why a return is not signed
//! ([`SignError`]). Decoding and checking a return someone else signed is
//! the parent module's and [`super::check`]'s.

use super::check::{errors_of, explanations_match};
use super::{
    EnteredBy, MAX_VERSIONS, RETURN_FORMAT, RETURN_FORMAT_TABLES, Replaces, ReturnBody,
    SignedReturn, TallyRecord, context, public_key_hex,
};
use crate::canonical::{self, CanonicalError};
use crate::double_entry::DoubleEntry;
use crate::election_view::ElectionRef;
use crate::pv::{MAX_TEXT_BYTES, TextField};
use crate::rules::{self, Finding, RuleCode};
use crate::sheet::{SheetError, TableSheet, check_sheets};
use crate::signature::{
    CheckedBeforeKept, Ed25519, SignatureCheck, Verdict, Verifier, parse_key, sign_bytes,
    signing_message,
};
use crate::tally::TallyLog;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// What a bureau passes in to sign its return.
pub struct ReturnDraft<'a> {
    pub bureau: &'a str,
    /// The double entry of the PV; it must have reached agreement.
    pub entry: &'a DoubleEntry,
    /// One written explanation per warning.
    pub explanations: BTreeMap<RuleCode, String>,
    /// The bureau's tally log, when the ballots were tap-counted in the app.
    pub tally: Option<&'a TallyLog>,
    /// For a correction: the version it replaces and why.
    pub correction: Option<(&'a SignedReturn, String)>,
    /// The table phones' sheets the bureau's phone gathered (each checked
    /// when it was read): the tally is theirs, not the log's packets. Empty
    /// for a bureau whose own phone counted.
    pub tables: &'a [TableSheet],
    /// The bureau's latest turnout report of the day, as the phone keeps it
    /// (the checkpoint and its count): what W7 compares the émargements
    /// with. `None` for a day without reports.
    pub turnout: Option<(String, u32)>,
}

/// Why a return could not be signed. Nothing is signed when it is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SignError {
    #[error("the two entries of the PV have not agreed")]
    NotAgreed,
    #[error("the election has no bureau {0:?}")]
    UnknownBureau(String),
    #[error("the PV breaks a rule that blocks signing")]
    RulesBroken(Vec<Finding>),
    #[error("warning {0:?} needs a written explanation")]
    Unexplained(RuleCode),
    #[error("there is an explanation for {0:?}, which the PV does not raise")]
    NeedlessExplanation(RuleCode),
    #[error("a correction needs a reason")]
    NoReason,
    #[error("the return being corrected is for another election or bureau")]
    NotTheSameBureau,
    #[error("a bureau's return has at most {MAX_VERSIONS} versions")]
    TooManyVersions,
    #[error("{field:?} is {bytes} bytes long, over the {MAX_TEXT_BYTES} allowed")]
    TextTooLong { field: TextField, bytes: usize },
    #[error("the device key is not an Ed25519 public key in lowercase hex")]
    MalformedKey,
    #[error("the signature does not verify with the device key")]
    BadSignature,
    #[error("the return cannot be encoded: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("table sheets need the bureau's tally log (its close of polls)")]
    TablesWithoutLog,
    #[error("the table sheets do not hold together: {0}")]
    Sheets(SheetError),
}

/// A return checked by every rule and encoded, waiting for the device's
/// signature: [`SignedReturn::prepare`] makes it, the caller signs
/// [`UnsignedReturn::message`] with the device key wherever that key lives
/// (WebCrypto on the phone), and [`UnsignedReturn::assemble`] checks the
/// signature and gives the signed return. Core never holds the phone's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsignedReturn {
    body: ReturnBody,
    bytes: Vec<u8>,
}

impl UnsignedReturn {
    pub fn body(&self) -> &ReturnBody {
        &self.body
    }

    /// The exact bytes the device key signs: the return's signing context,
    /// then its canonical body.
    pub fn message(&self) -> Vec<u8> {
        signing_message(context(&self.body.format), &self.bytes)
    }

    /// The signed return, if `signature` is the device key's over
    /// [`Self::message`] (a signer that used another key, or none, is
    /// refused: nothing unverifiable leaves here).
    pub fn assemble(self, signature: &[u8]) -> Result<SignedReturn, SignError> {
        self.assemble_with(signature, &Ed25519)
    }

    /// What must hold for `signature` to be the device key's over
    /// [`Self::message`]: for a caller that checks it itself (the phone,
    /// with WebCrypto) before [`Self::assemble_with`].
    pub fn signature_check(&self, signature: &[u8]) -> Result<SignatureCheck, SignError> {
        let signature: [u8; 64] = signature.try_into().map_err(|_| SignError::BadSignature)?;
        let key = parse_key(&self.body.device_key).ok_or(SignError::MalformedKey)?;
        Ok(SignatureCheck::new(
            context(&self.body.format),
            &self.bytes,
            key,
            signature,
        ))
    }

    /// [`Self::assemble`], with the signature checked by `verifier`.
    pub fn assemble_with(
        self,
        signature: &[u8],
        verifier: &impl Verifier,
    ) -> Result<SignedReturn, SignError> {
        let signature: [u8; 64] = signature.try_into().map_err(|_| SignError::BadSignature)?;
        let key = parse_key(&self.body.device_key).ok_or(SignError::MalformedKey)?;
        let check = SignatureCheck::new(context(&self.body.format), &self.bytes, key, signature);
        match verifier.verdict(&check) {
            Verdict::Holds => {}
            Verdict::NotAKey => return Err(SignError::MalformedKey),
            Verdict::Fails => return Err(SignError::BadSignature),
        }
        Ok(SignedReturn {
            id: hex::encode(Sha256::digest(&self.bytes)),
            body: self.body,
            signature,
        })
    }
}

impl SignedReturn {
    /// Builds and signs a bureau's return: only an agreed PV, with no hard
    /// error and every warning explained, for a bureau of the election.
    /// `secret` is the bureau device's Ed25519 secret key; `now` the device's
    /// time in milliseconds since the Unix epoch.
    pub fn sign<E: ElectionRef + ?Sized>(
        election: &E,
        draft: ReturnDraft<'_>,
        secret: &[u8; 32],
        now: u64,
    ) -> Result<Self, SignError> {
        let unsigned = Self::prepare_with(election, draft, &public_key_hex(secret), now, &Ed25519)?;
        let signature = sign_bytes(context(&unsigned.body.format), &unsigned.bytes, secret);
        unsigned.assemble(&signature)
    }

    /// Everything [`Self::sign`] checks, without the key: the return's body
    /// encoded, to be signed by the device key whose public half is
    /// `device_key` (lowercase hex), then [`UnsignedReturn::assemble`]d.
    /// Only the key's spelling is checked here (that it is a point is
    /// checked with the signature, on the phone by WebCrypto), so the app
    /// does not link the curve's code; so are the table sheets' signatures,
    /// which the phone checked with WebCrypto when it read each sheet and
    /// before it kept it.
    pub fn prepare<E: ElectionRef + ?Sized>(
        election: &E,
        draft: ReturnDraft<'_>,
        device_key: &str,
        now: u64,
    ) -> Result<UnsignedReturn, SignError> {
        Self::prepare_with(election, draft, device_key, now, &CheckedBeforeKept)
    }

    /// [`Self::prepare`], with the table sheets' signatures checked by
    /// `sheets_verifier`.
    pub fn prepare_with<E: ElectionRef + ?Sized>(
        election: &E,
        draft: ReturnDraft<'_>,
        device_key: &str,
        now: u64,
        sheets_verifier: &impl Verifier,
    ) -> Result<UnsignedReturn, SignError> {
        if parse_key(device_key).is_none() {
            return Err(SignError::MalformedKey);
        }
        let pv = draft.entry.agreed().ok_or(SignError::NotAgreed)?;
        let (first, second) = draft.entry.agreed_by().ok_or(SignError::NotAgreed)?;
        if election.bureau(draft.bureau).is_none() {
            return Err(SignError::UnknownBureau(draft.bureau.to_owned()));
        }
        let mut tally = draft.tally.map(TallyRecord::from_log);
        let mut one_sheet = Vec::new();
        if !draft.tables.is_empty() {
            let t = tally.as_mut().ok_or(SignError::TablesWithoutLog)?;
            let tables = check_sheets(
                election,
                draft.bureau,
                device_key,
                draft.tables,
                sheets_verifier,
            )
            .map_err(SignError::Sheets)?;
            one_sheet = tables.one_sheet();
            t.packets = tables.packets;
            t.summary = tables.summary;
            t.tables = Some(draft.tables.to_vec());
        }
        let mut findings = rules::check(
            election,
            draft.bureau,
            pv,
            tally.as_ref().map(|t| &t.summary),
        );
        findings.extend(rules::one_sheet_tables(&one_sheet));
        findings.extend(rules::below_turnout(pv, draft.turnout.as_ref()));
        if !rules::no_error(&findings) {
            return Err(SignError::RulesBroken(errors_of(findings)));
        }
        let warned: BTreeSet<RuleCode> = findings.iter().map(|f| f.code).collect();
        if let Err(code) = explanations_match(&findings, &draft.explanations, &[]) {
            return Err(if warned.contains(&code) {
                SignError::Unexplained(code)
            } else {
                SignError::NeedlessExplanation(code)
            });
        }
        let (version, replaces) = match draft.correction {
            None => (1, None),
            Some((previous, reason)) => {
                if crate::names::is_blank(&reason) {
                    return Err(SignError::NoReason);
                }
                let p = previous.body();
                if p.election_id != election.id() || p.bureau != draft.bureau {
                    return Err(SignError::NotTheSameBureau);
                }
                let replaces = Replaces {
                    id: previous.id().to_owned(),
                    reason,
                };
                if p.version >= MAX_VERSIONS {
                    return Err(SignError::TooManyVersions);
                }
                (p.version + 1, Some(replaces))
            }
        };
        let format = if draft.tables.is_empty() {
            RETURN_FORMAT
        } else {
            RETURN_FORMAT_TABLES
        };
        let body = ReturnBody {
            format: format.to_owned(),
            election_id: election.id().to_owned(),
            election_hash: election.hash().to_owned(),
            mode: election.mode(),
            bureau: draft.bureau.to_owned(),
            version,
            replaces,
            pv: pv.clone(),
            explanations: draft.explanations,
            tally,
            entered_by: EnteredBy {
                first: first.to_owned(),
                second: second.to_owned(),
            },
            device_key: device_key.to_owned(),
            signed_at: now,
        };
        if let Some((field, bytes)) = body.text_too_long() {
            return Err(SignError::TextTooLong { field, bytes });
        }
        let bytes = canonical::encode(&body)?;
        Ok(UnsignedReturn { body, bytes })
    }

    /// Signs exactly this body, checking nothing: for tools and test vectors
    /// that need a genuine signature on a return that breaks a rule. The app
    /// signs with [`Self::sign`]; the server refuses such a return in
    /// [`Self::check`].
    pub fn seal_unchecked(body: ReturnBody, secret: &[u8; 32]) -> Result<Self, CanonicalError> {
        let bytes = canonical::encode(&body)?;
        let signature = sign_bytes(context(&body.format), &bytes, secret);
        Ok(Self {
            id: hex::encode(Sha256::digest(&bytes)),
            body,
            signature,
        })
    }
}
