//! What the log holds: one [`LogEntry`] per leaf (the election opened, a key
//! enrolled, a code reissued, a return received, the election closed), and
//! the public record's lines ([`RecordLine`]), written by the server and
//! read by the verifier through these types (docs/return-format.md §7).
//!
//! A leaf's hash is [`leaf_hash`] of the entry's canonical bytes; nothing
//! else about a leaf is hashed, so the record can be checked line by line.

use super::head::SignedTreeHead;
use super::tree::{Hash, leaf_hash};
use crate::canonical::{self, CanonicalError};
use crate::signed_return::SignedReturn;
use serde::{Deserialize, Serialize};

/// One leaf of an election's log. `at` is the server's clock when it was
/// appended, in milliseconds since 1970; it never goes back from a leaf to
/// the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LogEntry {
    /// Leaf 0, and only it: the election's definition (by its hash) and
    /// the key that signs its receipts and heads.
    Election {
        at: u64,
        election_id: String,
        election_hash: String,
        server_key: String,
    },
    /// A device key enrolled for a bureau: from this leaf on, it is the
    /// bureau's key, until a [`LogEntry::Reissue`] of the bureau.
    Key {
        at: u64,
        bureau: String,
        device_key: String,
        /// The election whose same bureau held this key before, when the
        /// key was carried over to this round without a new code (a second
        /// round made from the first); absent for a key enrolled with a
        /// code, and from leaves written before it could be said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
    },
    /// The organisers reissued a bureau's code: the key that held the
    /// bureau (`revoked_key`, none if no phone had enrolled) holds it no
    /// more from this leaf on.
    Reissue {
        at: u64,
        bureau: String,
        revoked_key: Option<String>,
        /// Who reissued it (absent from leaves written before it was
        /// said, whose hashes stay what they were).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<crate::operator::Actor>,
    },
    /// A signed return, received: its canonical form (section 4) as it was
    /// signed.
    Return {
        at: u64,
        #[serde(rename = "return")]
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        ret: serde_json::Value,
    },
    /// A signed turnout report, received: its canonical form
    /// (docs/return-format.md §9).
    Report {
        at: u64,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        report: serde_json::Value,
    },
    /// A signed photo document, received: the paper PV's pages, by their
    /// hashes (docs/return-format.md §15). The pictures are not in the
    /// log: anyone fetches them by hash and checks them against it.
    Photos {
        at: u64,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        photos: serde_json::Value,
    },
    /// The election closed: the last leaf, after which nothing is taken.
    Closed {
        at: u64,
        /// Who closed it (absent from leaves written before it was said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<crate::operator::Actor>,
    },
}

/// What kind of leaf an entry is, as the record and the API name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Election,
    Key,
    Reissue,
    Return,
    Report,
    Photos,
    Closed,
}

impl LogEntry {
    pub fn at(&self) -> u64 {
        match self {
            LogEntry::Election { at, .. }
            | LogEntry::Key { at, .. }
            | LogEntry::Reissue { at, .. }
            | LogEntry::Return { at, .. }
            | LogEntry::Report { at, .. }
            | LogEntry::Photos { at, .. }
            | LogEntry::Closed { at, .. } => *at,
        }
    }

    pub fn kind(&self) -> EntryKind {
        match self {
            LogEntry::Election { .. } => EntryKind::Election,
            LogEntry::Key { .. } => EntryKind::Key,
            LogEntry::Reissue { .. } => EntryKind::Reissue,
            LogEntry::Return { .. } => EntryKind::Return,
            LogEntry::Report { .. } => EntryKind::Report,
            LogEntry::Photos { .. } => EntryKind::Photos,
            LogEntry::Closed { .. } => EntryKind::Closed,
        }
    }

    /// The bureau a key, reissue or return leaf is about (a return's as
    /// its body names it, without checking it).
    pub fn bureau(&self) -> Option<&str> {
        match self {
            LogEntry::Key { bureau, .. } | LogEntry::Reissue { bureau, .. } => Some(bureau),
            LogEntry::Return { ret: doc, .. }
            | LogEntry::Report { report: doc, .. }
            | LogEntry::Photos { photos: doc, .. } => doc.get("body")?.get("bureau")?.as_str(),
            _ => None,
        }
    }

    /// The leaf's data: the entry's canonical bytes. A return's are built
    /// around its own canonical bytes, so that they are encoded once.
    pub fn leaf_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        match self {
            LogEntry::Return { at, ret } => Ok(return_entry_bytes(*at, &canonical::encode(ret)?)),
            other => canonical::encode(other),
        }
    }

    /// The leaf's hash.
    pub fn leaf_hash(&self) -> Result<Hash, CanonicalError> {
        Ok(leaf_hash(&self.leaf_bytes()?))
    }

    /// Reads a leaf's data back, refusing any but its canonical bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CanonicalError> {
        canonical::decode(bytes)
    }

    /// A return leaf's return, with its signature checked (by ed25519).
    pub fn signed_return(&self) -> Option<Result<SignedReturn, crate::VerifyError>> {
        match self {
            LogEntry::Return { ret, .. } => Some(
                canonical::encode(ret)
                    .map_err(crate::VerifyError::from)
                    .and_then(|b| SignedReturn::from_bytes(&b)),
            ),
            _ => None,
        }
    }

    /// A report leaf's report, with its signature checked (by ed25519).
    pub fn signed_report(
        &self,
    ) -> Option<Result<crate::turnout::SignedReport, crate::turnout::ReportError>> {
        match self {
            LogEntry::Report { report, .. } => Some(
                canonical::encode(report)
                    .map_err(crate::turnout::ReportError::from)
                    .and_then(|b| crate::turnout::SignedReport::from_bytes(&b)),
            ),
            _ => None,
        }
    }
}

impl LogEntry {
    /// A photo leaf's document, with its signature checked (by ed25519).
    pub fn signed_photos(
        &self,
    ) -> Option<Result<crate::photo::SignedPhotos, crate::photo::PhotosError>> {
        match self {
            LogEntry::Photos { photos, .. } => Some(
                canonical::encode(photos)
                    .map_err(crate::photo::PhotosError::from)
                    .and_then(|b| crate::photo::SignedPhotos::from_bytes(&b)),
            ),
            _ => None,
        }
    }
}

/// The canonical bytes of a return leaf, received at `at`, whose signed
/// return's canonical bytes are `ret`: `{"at":…,"return":…,"type":"return"}`
/// (RFC 8785 orders the names so), with `ret` as it is.
pub fn return_entry_bytes(at: u64, ret: &[u8]) -> Vec<u8> {
    let at = at.to_string();
    let mut out = Vec::with_capacity(ret.len() + at.len() + 32);
    out.extend_from_slice(b"{\"at\":");
    out.extend_from_slice(at.as_bytes());
    out.extend_from_slice(b",\"return\":");
    out.extend_from_slice(ret);
    out.extend_from_slice(b",\"type\":\"return\"}");
    out
}

/// One line of the public record (`GET /api/v1/record`): the definition,
/// then the signed head it covers, then each leaf from 0 to the head's
/// size − 1, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RecordLine {
    /// The election's definition, whose hash leaf 0 names.
    Definition {
        hash: String,
        definition: serde_json::Value,
    },
    /// The head the record is as of, signed by the server.
    Head(SignedTreeHead),
    /// Leaf `index`.
    Leaf { index: u64, entry: LogEntry },
}

impl RecordLine {
    /// A leaf's line, written around its canonical bytes as they are (the
    /// server's: a record of 70,000 returns is not parsed to be sent). It
    /// is the line [`RecordLine::Leaf`] reads.
    pub fn leaf_line(index: u64, leaf_bytes: &[u8]) -> Vec<u8> {
        let index = index.to_string();
        let mut out = Vec::with_capacity(leaf_bytes.len() + index.len() + 32);
        out.extend_from_slice(b"{\"entry\":");
        out.extend_from_slice(leaf_bytes);
        out.extend_from_slice(b",\"index\":");
        out.extend_from_slice(index.as_bytes());
        out.extend_from_slice(b",\"type\":\"leaf\"}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_return_leaf_written_around_its_bytes_is_its_canonical_encoding() {
        let ret = serde_json::json!({"body": {"b": 1, "a": "é"}, "signature": "00"});
        let bytes = canonical::encode(&ret).expect("encodes");
        let entry = LogEntry::Return {
            at: 1_800_000_000_123,
            ret,
        };
        let built = return_entry_bytes(1_800_000_000_123, &bytes);
        assert_eq!(built, canonical::encode(&entry).expect("encodes"));
        assert_eq!(LogEntry::from_bytes(&built).expect("reads"), entry);
        assert_eq!(entry.leaf_bytes().expect("bytes"), built);
        let line = RecordLine::leaf_line(7, &built);
        let read: RecordLine = serde_json::from_slice(&line).expect("a record line");
        assert_eq!(read, RecordLine::Leaf { index: 7, entry });
        assert_eq!(canonical::encode(&read).expect("encodes"), line);
    }

    #[test]
    fn an_entry_with_a_member_it_does_not_have_is_refused() {
        let extra = br#"{"at":1,"bureau":"001","device_key":"ab","note":"x","type":"key"}"#;
        assert!(LogEntry::from_bytes(extra).is_err());
        let unknown = br#"{"at":1,"type":"opened"}"#;
        assert!(LogEntry::from_bytes(unknown).is_err());
        let reissue = br#"{"at":1,"bureau":"001","revoked_key":null,"type":"reissue"}"#;
        assert!(LogEntry::from_bytes(reissue).is_ok());
    }
}
