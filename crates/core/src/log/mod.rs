//! The public record as an append-only Merkle log per election (RFC 9162
//! §2.1, THREATS.md promise 3): every return received, key enrolled, code
//! reissued and the closing is a leaf; the server signs heads (a size and
//! its root); inclusion and consistency proofs let a phone, a watcher or
//! anyone show that an acknowledged leaf was removed, changed or moved, or
//! that the server showed two histories.
//!
//! Pure: the server keeps a [`Tree`] in memory and makes proofs; everyone
//! else checks them. It never reads a clock: every time is passed in.

mod bureau;
mod entry;
mod head;
mod keys;
mod tree;

pub(crate) use bureau::BUREAU_LOG_SIGNING_CONTEXT;
pub use bureau::{
    BUREAU_LOG_FORMAT, BureauListing, BureauLog, Checked, Consistency, LogCheckError, LoggedReturn,
    MAX_FROM, ProvenLeaf, Witness, check_bureau_log_with,
};
pub use entry::{EntryKind, LogEntry, RecordLine, return_entry_bytes};
pub(crate) use head::HEAD_SIGNING_CONTEXT;
pub use head::{HEAD_FORMAT, HeadError, SignedTreeHead, TreeHead, parse_hash};
pub use keys::{KeyChange, KeyError, KeyHistory, Span};
pub use tree::{
    Hash, MAX_PROOF_LEN, ProofError, Tree, empty_root, leaf_hash, node_hash, verify_consistency,
    verify_inclusion,
};

/// Hashes as the API and the record write them: lowercase hex.
pub fn to_hex(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}
