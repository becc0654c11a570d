//! The signed return: a bureau's agreed procès-verbal, sealed by the bureau
//! device's Ed25519 key, identified by the SHA-256 of its canonical bytes and
//! by a short human code written on the paper PV.
//!
//! The same code signs on the phone and verifies on the server and for anyone
//! who re-derives the results (`docs/return-format.md`). A signed return never
//! changes: a correction is a new version naming the one it replaces. Keys
//! and time are passed in; nothing here reads a clock or a random source.

mod check;
mod label;
mod sign;

pub use check::{ChainError, VerifyError};
pub use label::{Carried, LabelError, ReturnLabel};
pub use sign::{ReturnDraft, SignError, UnsignedReturn};

use crate::canonical::{self, CanonicalError};
use crate::election::Mode;
use crate::pv::{ProcesVerbal, TextField, text_fits};
use crate::rules::{RuleCode, TallySummary};
use crate::sheet::{MAX_SHEETS, TableSheet};
use crate::signature::{Ed25519, SignatureCheck, Verdict, Verifier, parse_key, parse_signature};
pub use crate::signature::{is_public_key, public_key_hex};
use crate::tally::{FINGERPRINT_ALPHABET, TallyLog};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The `format` of a return without table phones.
pub const RETURN_FORMAT: &str = "pointage-return/1";

/// The `format` of a return whose tally comes from table phones: its
/// `tally` carries their signed sheets (`tables`).
pub const RETURN_FORMAT_TABLES: &str = "pointage-return/2";

/// What the signature covers is this prefix then the body's canonical bytes,
/// so that no signature over another kind of document can pass for a return.
pub const RETURN_SIGNING_CONTEXT: &[u8] = b"pointage-return/1\n";

/// The prefix of a `pointage-return/2` signature.
pub const RETURN_SIGNING_CONTEXT_TABLES: &[u8] = b"pointage-return/2\n";

/// The signing context of a body's format (a format this code does not
/// know is refused before any signature is checked).
fn context(format: &str) -> &'static [u8] {
    if format == RETURN_FORMAT_TABLES {
        RETURN_SIGNING_CONTEXT_TABLES
    } else {
        RETURN_SIGNING_CONTEXT
    }
}

/// Whether this code knows a return body's `format`.
fn is_return_format(format: &str) -> bool {
    format == RETURN_FORMAT || format == RETURN_FORMAT_TABLES
}

/// `{"body":` — what a return's canonical bytes start with.
const BODY_START: &[u8] = b"{\"body\":";

/// The body's bytes in a return's canonical bytes whose envelope carries
/// `signature`: what lies between `{"body":` and
/// `,"signature":"<signature>"}`, when `signature` is 128 characters and
/// the bytes are laid out so. The return id is their SHA-256.
fn body_between<'a>(bytes: &'a [u8], signature: &str) -> Option<&'a [u8]> {
    if signature.len() != 128 {
        return None;
    }
    bytes
        .strip_prefix(BODY_START)?
        .strip_suffix(b"\"}")?
        .strip_suffix(signature.as_bytes())?
        .strip_suffix(b",\"signature\":\"")
}

/// The longest explanation, reason or name the return carries, in bytes.
pub use crate::pv::MAX_TEXT_BYTES;

/// The most versions a bureau's return may have: the signed version and 99
/// corrections. A bound on what one bureau may make the server store.
pub const MAX_VERSIONS: u32 = 100;

/// How a report's or a photo document's version fails to follow the one
/// before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// Version 1 replacing something, version n + 1 not replacing version
    /// n by its id, or no reason given.
    Broken,
    /// Over [`MAX_VERSIONS`].
    TooMany,
}

/// Whether `version` (replacing `replaces`) follows `previous`, the same
/// document's latest version by its id and version (`None`: there is
/// none): version 1 replaces nothing; version n + 1 replaces version n,
/// with a reason.
pub fn follows(
    version: u32,
    replaces: Option<&Replaces>,
    previous: Option<(&str, u32)>,
) -> Result<(), ChainBreak> {
    match (previous, replaces) {
        (None, None) if version == 1 => Ok(()),
        (Some((id, before)), Some(r)) if version == before + 1 && r.id == id => {
            if crate::names::is_blank(&r.reason) {
                Err(ChainBreak::Broken)
            } else if version > MAX_VERSIONS {
                Err(ChainBreak::TooMany)
            } else {
                Ok(())
            }
        }
        _ => Err(ChainBreak::Broken),
    }
}

/// The two people whose blind entries agreed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnteredBy {
    pub first: String,
    pub second: String,
}

/// The return a correction replaces, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Replaces {
    /// The id of the version replaced (always the one just before).
    pub id: String,
    pub reason: String,
}

/// What the bureau's tap-count found, sealed into its return: the head of its
/// tally log (which commits to every mark) and the totals rule H5 compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TallyRecord {
    /// Lowercase hex SHA-256 head of the tally log.
    pub head: String,
    /// Packets opened in the log.
    pub packets: u32,
    pub summary: TallySummary,
    /// `pointage-return/2` only (where it is required, never empty): the
    /// signed sheets of the table phones, which add up to `summary` and
    /// `packets`. Absent from a `pointage-return/1` body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<TableSheet>>,
}

impl TallyRecord {
    pub fn from_log(log: &TallyLog) -> Self {
        Self {
            head: hex::encode(log.head()),
            packets: log.packets().len() as u32,
            summary: log.summary(),
            tables: None,
        }
    }
}

/// Everything a return says. Its canonical bytes are what is hashed and
/// signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// Always [`RETURN_FORMAT`].
    pub format: String,
    pub election_id: String,
    /// The content hash of the election definition it was made under.
    pub election_hash: String,
    pub mode: Mode,
    /// The bureau's code.
    pub bureau: String,
    /// 1 for the first return, n + 1 for a correction of version n.
    pub version: u32,
    pub replaces: Option<Replaces>,
    pub pv: ProcesVerbal,
    /// A written explanation for each warning the PV raises, and no other.
    pub explanations: BTreeMap<RuleCode, String>,
    /// Present when the ballots were tap-counted in the app.
    pub tally: Option<TallyRecord>,
    pub entered_by: EnteredBy,
    /// Lowercase hex of the bureau device's Ed25519 public key.
    pub device_key: String,
    /// When the device signed, in milliseconds since the Unix epoch, by the
    /// device's clock (information only: phones' clocks can be wrong).
    pub signed_at: u64,
}

/// The shape of a signed return on the wire and on disk.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    body: ReturnBody,
    /// Lowercase hex of the 64-byte Ed25519 signature.
    signature: String,
}

/// A return whose signature has been checked against the key it names. Any
/// value of this type, however obtained (signed here, decoded from bytes or
/// deserialised), carries a valid signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Envelope", into = "Envelope")]
pub struct SignedReturn {
    body: ReturnBody,
    signature: [u8; 64],
    id: String,
}

impl ReturnBody {
    /// The first text over its limit ([`MAX_TEXT_BYTES`](crate::pv::MAX_TEXT_BYTES)
    /// of UTF-8), with its length: an entrant's name, an explanation, the
    /// correction's reason, or one of the PV's.
    pub fn text_too_long(&self) -> Option<(TextField, usize)> {
        let mut texts: Vec<(TextField, &str)> = vec![
            (TextField::Entrant, &self.entered_by.first),
            (TextField::Entrant, &self.entered_by.second),
        ];
        texts.extend(
            self.explanations
                .iter()
                .map(|(code, t)| (TextField::Explanation(*code), t.as_str())),
        );
        if let Some(r) = &self.replaces {
            texts.push((TextField::CorrectionReason, r.reason.as_str()));
        }
        texts
            .into_iter()
            .find(|(_, t)| !text_fits(t))
            .map(|(f, t)| (f, t.len()))
            .or_else(|| self.pv.texts_too_long().into_iter().next())
    }

    /// Whether every member keeps the limits of the spec's step 1 that its
    /// type alone does not: each text within its size, the tally's head a
    /// lowercase-hex SHA-256, the version at most [`MAX_VERSIONS`], at most
    /// [`MAX_SHEETS`] table sheets.
    fn within_limits(&self) -> bool {
        let hex_head =
            |h: &str| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        self.text_too_long().is_none()
            && self.tally.as_ref().is_none_or(|t| hex_head(&t.head))
            && self.version <= MAX_VERSIONS
            && self.sheets().len() <= MAX_SHEETS
            && self.sheets().iter().all(|s| s.body.within_limits().is_ok())
    }

    /// The table sheets the tally carries (none in `pointage-return/1`).
    pub fn sheets(&self) -> &[TableSheet] {
        self.tally
            .as_ref()
            .and_then(|t| t.tables.as_deref())
            .unwrap_or(&[])
    }

    /// Whether `tally.tables` is there exactly when the format has it: a
    /// `/1` body does not know the member, a `/2` body must have it, with at
    /// least one sheet.
    fn tables_as_format_says(&self) -> bool {
        let tables = self.tally.as_ref().and_then(|t| t.tables.as_ref());
        match self.format.as_str() {
            RETURN_FORMAT => tables.is_none(),
            RETURN_FORMAT_TABLES => tables.is_some_and(|t| !t.is_empty()),
            _ => true,
        }
    }

    /// Whether this code knows the format of the body and of every sheet.
    fn known_formats(&self) -> bool {
        is_return_format(&self.format) && self.sheets().iter().all(|s| s.body.known_formats())
    }
}

impl SignedReturn {
    /// Decodes a return from its canonical bytes and checks its signature
    /// against the key it names. Whether that key is the bureau's, and
    /// whether the return is valid for an election, is [`Self::check`]'s.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        Self::from_bytes_with(bytes, &Ed25519)
    }

    /// [`Self::from_bytes`], with the signature checked by `verifier`.
    pub fn from_bytes_with(bytes: &[u8], verifier: &impl Verifier) -> Result<Self, VerifyError> {
        let envelope: Envelope = canonical::decode(bytes)?;
        // The bytes are canonical, so the body's canonical bytes are the
        // ones between `{"body":` and `,"signature":"<128 hex>"}`: no need
        // to encode it again (it is a good part of a server's work).
        let body = body_between(bytes, &envelope.signature);
        Self::verified(envelope, body, verifier)
    }

    /// What must hold for the return in `bytes` to be signed by the key it
    /// names: for a caller that checks it itself (the phone, with WebCrypto)
    /// before [`Self::from_bytes_with`].
    pub fn signature_check(bytes: &[u8]) -> Result<SignatureCheck, VerifyError> {
        let e: Envelope = canonical::decode(bytes)?;
        let key = parse_key(&e.body.device_key).ok_or(VerifyError::MalformedKey)?;
        let signature = parse_signature(&e.signature).ok_or(VerifyError::MalformedKey)?;
        let body = canonical::encode(&e.body)?;
        Ok(SignatureCheck::new(
            context(&e.body.format),
            &body,
            key,
            signature,
        ))
    }

    /// The canonical bytes of the signed return: what is sent and stored.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Every body that reached this type was encoded once already.
        canonical::encode(&Envelope::from(self.clone())).unwrap_or_default()
    }

    pub fn body(&self) -> &ReturnBody {
        &self.body
    }

    /// The return id: lowercase hex SHA-256 of the body's canonical bytes.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The id of the return whose canonical bytes are `bytes`, read
    /// without decoding it or checking its signature (`None`: they are not
    /// a canonical return's).
    pub fn id_of(bytes: &[u8]) -> Option<String> {
        let tail = bytes.len().checked_sub(130)?;
        let signature = std::str::from_utf8(bytes.get(tail..bytes.len() - 2)?).ok()?;
        let body = body_between(bytes, signature)?;
        Some(hex::encode(Sha256::digest(body)))
    }

    /// The code written on the paper PV: the id's first 50 bits in
    /// Crockford base 32, as two groups of five (`7KQ3M-9XD2B`).
    pub fn human_code(&self) -> String {
        human_code(&self.id)
    }
}

/// A device key's fingerprint as a person compares it: the first 50 bits of
/// the SHA-256 of the lowercase-hex key, written like a human code.
pub fn key_fingerprint(device_key: &str) -> String {
    human_code(&hex::encode(Sha256::digest(device_key.as_bytes())))
}

/// The human code of a return id (lowercase hex SHA-256).
pub fn human_code(id: &str) -> String {
    let mut first = [0u8; 8];
    // An id that is not hex gives the code of zero bytes: every id this
    // module makes is hex, and a code is only ever shown, never trusted.
    let _ = hex::decode_to_slice(id.get(..16).unwrap_or(""), &mut first);
    let bits = u64::from_be_bytes(first) >> 14; // the first 50 bits
    let chars: String = (0..10)
        .map(|i| char::from(FINGERPRINT_ALPHABET[((bits >> (45 - 5 * i)) & 31) as usize]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

impl TryFrom<Envelope> for SignedReturn {
    type Error = VerifyError;
    fn try_from(e: Envelope) -> Result<Self, Self::Error> {
        Self::verified(e, None, &Ed25519)
    }
}

impl SignedReturn {
    /// Checks an envelope's signature; `body_bytes` are the body's canonical
    /// bytes when the caller already has them.
    fn verified(
        e: Envelope,
        body_bytes: Option<&[u8]>,
        verifier: &impl Verifier,
    ) -> Result<Self, VerifyError> {
        if !e.body.within_limits() {
            return Err(VerifyError::Encoding(CanonicalError::Invalid(
                "a member is over its limit: a text over 4,000 bytes, a tally head that is not a hex SHA-256, a version over 100, more than 40 table sheets, or a table sheet over its limits".into(),
            )));
        }
        if !e.body.tables_as_format_says() {
            return Err(VerifyError::Encoding(CanonicalError::Invalid(
                "tally.tables is a member of pointage-return/2 only, where it holds at least one sheet".into(),
            )));
        }
        if !e.body.known_formats() {
            return Err(VerifyError::UnknownFormat);
        }
        let key = parse_key(&e.body.device_key).ok_or(VerifyError::MalformedKey)?;
        let signature = parse_signature(&e.signature).ok_or(VerifyError::MalformedKey)?;
        let encoded;
        let bytes = match body_bytes {
            Some(b) => b,
            None => {
                encoded = canonical::encode(&e.body)?;
                &encoded
            }
        };
        match verifier.verdict(&SignatureCheck::new(
            context(&e.body.format),
            bytes,
            key,
            signature,
        )) {
            Verdict::Holds => {}
            Verdict::NotAKey => return Err(VerifyError::MalformedKey),
            Verdict::Fails => return Err(VerifyError::BadSignature),
        }
        Ok(Self {
            id: hex::encode(Sha256::digest(bytes)),
            body: e.body,
            signature,
        })
    }
}

impl From<SignedReturn> for Envelope {
    fn from(r: SignedReturn) -> Self {
        Envelope {
            body: r.body,
            signature: hex::encode(r.signature),
        }
    }
}
