//! What a device that only carries a return (or a turnout report) shows of
//! it: its bureau, its version and its human code (a report: its
//! checkpoint), read without decoding the rest or checking the signature.
//!
//! The deposit page (the public app) hands a bureau's return to the server
//! for a bureau phone that has no network. It is a courier: the server
//! checks the return exactly as if the phone had sent it, and only its
//! receipt says the return counts. So the page needs no Ed25519, no PV, no
//! tally and no sheets (they are most of a return's decoding code, which a
//! stranger's phone would download for nothing): this reads the three
//! things a person compares with the paper PV, and the return id they come
//! from, the same as [`super::SignedReturn::id`] for any return the server
//! takes.

use super::{body_between, is_return_format};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// A return's bureau, version and id, as a courier shows them. Not a proof
/// of anything: a return whose signature is broken is labelled too, and
/// the server refuses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnLabel {
    pub bureau: String,
    pub version: u32,
    /// A turnout report's checkpoint (its bytes are a report, sent to
    /// `/api/v1/reports`); `None` for a return.
    pub checkpoint: Option<String>,
    /// Lowercase hex SHA-256 of the body's bytes, as
    /// [`super::SignedReturn::id`].
    pub id: String,
}

/// Why bytes are not labelled as a return.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LabelError {
    #[error("not a signed return: {0}")]
    NotAReturn(&'static str),
}

#[derive(Deserialize)]
struct Envelope {
    body: Head,
    signature: String,
}

#[derive(Deserialize)]
struct Head {
    format: String,
    bureau: String,
    version: u32,
    #[serde(default)]
    checkpoint: Option<String>,
}

impl ReturnLabel {
    /// Reads the label of the return in `bytes` (its canonical text, as
    /// the phone signed it).
    pub fn read(bytes: &[u8]) -> Result<Self, LabelError> {
        let e: Envelope = serde_json::from_slice(bytes)
            .map_err(|_| LabelError::NotAReturn("not a return's JSON"))?;
        let report = e.body.format == crate::turnout::REPORT_FORMAT;
        if !is_return_format(&e.body.format) && !report {
            return Err(LabelError::NotAReturn("an unknown format"));
        }
        if report != e.body.checkpoint.is_some() {
            return Err(LabelError::NotAReturn(
                "a report names its checkpoint, a return none",
            ));
        }
        if e.signature.len() != 128 || !e.signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(LabelError::NotAReturn("no signature"));
        }
        // In canonical bytes the body is what lies between `{"body":` and
        // `,"signature":"…"}`: the id is its SHA-256, as the server computes
        // it. Bytes laid out otherwise are not canonical, which the server
        // refuses; they get no label rather than the code of other bytes.
        // (A body not canonical inside is labelled: the server refuses it
        // as it refuses a broken signature.)
        let body = body_between(bytes, &e.signature)
            .ok_or(LabelError::NotAReturn("not in its canonical encoding"))?;
        Ok(Self {
            bureau: e.body.bureau,
            version: e.body.version,
            checkpoint: e.body.checkpoint,
            id: hex::encode(Sha256::digest(body)),
        })
    }

    /// The code written on the paper PV (as [`super::SignedReturn::human_code`]).
    pub fn human_code(&self) -> String {
        super::human_code(&self.id)
    }
}
