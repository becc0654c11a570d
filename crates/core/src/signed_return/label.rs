//! What a device that only carries a return (or a turnout report, or the
//! paper PV's photo document) shows of it: its bureau, its version and its
//! human code (a report: its checkpoint; photos: their pages), read without
//! decoding the rest or checking the signature.
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
    /// What the bytes are, and so where a courier sends them.
    pub kind: Carried,
    /// Lowercase hex SHA-256 of the body's bytes, as
    /// [`super::SignedReturn::id`] (and the report's and the photos' ids).
    pub id: String,
}

/// The kinds of signed document a courier carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Carried {
    /// A return (`/api/v1/returns`).
    Return,
    /// A turnout report of this checkpoint (`/api/v1/reports`).
    Report(String),
    /// The paper PV's photo document (`/api/v1/photos`): the pages' hashes,
    /// not their pictures, which the bureau's phone sends itself once it
    /// has a network.
    Photos { pages: usize, return_version: u32 },
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
    #[serde(default)]
    pages: Option<Vec<serde::de::IgnoredAny>>,
    #[serde(default)]
    return_version: Option<u32>,
}

impl ReturnLabel {
    /// Reads the label of the return in `bytes` (its canonical text, as
    /// the phone signed it).
    pub fn read(bytes: &[u8]) -> Result<Self, LabelError> {
        let e: Envelope = serde_json::from_slice(bytes)
            .map_err(|_| LabelError::NotAReturn("not a return's JSON"))?;
        let h = e.body;
        let kind = match (h.format.as_str(), h.checkpoint, h.pages, h.return_version) {
            (crate::turnout::REPORT_FORMAT, Some(c), None, _) => Carried::Report(c),
            (crate::photo::PHOTOS_FORMAT, None, Some(pages), Some(return_version)) => {
                Carried::Photos {
                    pages: pages.len(),
                    return_version,
                }
            }
            (f, None, None, _) if is_return_format(f) => Carried::Return,
            (f, ..)
                if is_return_format(f)
                    || f == crate::turnout::REPORT_FORMAT
                    || f == crate::photo::PHOTOS_FORMAT =>
            {
                return Err(LabelError::NotAReturn(
                    "a report names its checkpoint, photos their pages, a return neither",
                ));
            }
            _ => return Err(LabelError::NotAReturn("an unknown format")),
        };
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
            bureau: h.bureau,
            version: h.version,
            kind,
            id: hex::encode(Sha256::digest(body)),
        })
    }

    /// A turnout report's checkpoint; `None` for any other document.
    pub fn checkpoint(&self) -> Option<&str> {
        match &self.kind {
            Carried::Report(c) => Some(c),
            _ => None,
        }
    }

    /// The code written on the paper PV (as [`super::SignedReturn::human_code`]).
    pub fn human_code(&self) -> String {
        super::human_code(&self.id)
    }
}
