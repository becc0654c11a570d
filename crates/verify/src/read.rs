//! The record's lines read as core's `RecordLine`s: the definition, the
//! head, and each leaf with its hash. A leaf line as the server writes it
//! (canonical) is hashed as it is, its return read from its own bytes;
//! any other spelling is read, then encoded canonically, as a verifier in
//! another language would (docs/return-format.md §7).

use pointage_core::log::{Hash, LogEntry, RecordLine, leaf_hash, return_entry_bytes};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A leaf as read: its index, entry and hash, and for a return its
/// canonical bytes.
pub struct ReadLeaf {
    pub index: u64,
    pub entry: LogEntry,
    pub hash: Hash,
    pub return_bytes: Option<Vec<u8>>,
}

/// One line, read.
pub enum Read {
    Definition {
        hash: String,
        definition: serde_json::Value,
    },
    Head(pointage_core::log::SignedTreeHead),
    Leaf(Box<ReadLeaf>),
}

/// A leaf line's members, the entry kept as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeafLine<'a> {
    #[serde(borrow)]
    entry: &'a RawValue,
    index: u64,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// A return entry's members, its return kept as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnEntry<'a> {
    at: u64,
    #[serde(borrow, rename = "return")]
    ret: &'a RawValue,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// Reads one line of the record (`None`: it is none of its lines).
pub fn line(text: &str) -> Option<Read> {
    if let Ok(l) = serde_json::from_str::<LeafLine>(text)
        && l.kind == "leaf"
    {
        return leaf(l.index, l.entry.get()).map(|l| Read::Leaf(Box::new(l)));
    }
    match serde_json::from_str::<RecordLine>(text).ok()? {
        RecordLine::Definition { hash, definition } => Some(Read::Definition { hash, definition }),
        RecordLine::Head(h) => Some(Read::Head(h)),
        RecordLine::Leaf { index, entry } => leaf_of(index, entry).map(|l| Read::Leaf(Box::new(l))),
    }
}

/// A leaf from its entry as written: hashed as it is when it is the
/// canonical form, else through core's encoding.
fn leaf(index: u64, raw: &str) -> Option<ReadLeaf> {
    if let Ok(r) = serde_json::from_str::<ReturnEntry>(raw)
        && r.kind == "return"
    {
        let bytes = return_entry_bytes(r.at, r.ret.get().as_bytes());
        if bytes == raw.as_bytes() {
            // Canonical, if the return is: its own check refuses it
            // otherwise (its bytes are read canonically or not at all).
            let entry = LogEntry::Return {
                at: r.at,
                ret: serde_json::from_str(r.ret.get()).ok()?,
            };
            return Some(ReadLeaf {
                index,
                entry,
                hash: leaf_hash(&bytes),
                return_bytes: Some(r.ret.get().as_bytes().to_vec()),
            });
        }
    }
    if let Ok(entry) = LogEntry::from_bytes(raw.as_bytes()) {
        let return_bytes = return_bytes(&entry);
        return Some(ReadLeaf {
            index,
            hash: leaf_hash(raw.as_bytes()),
            entry,
            return_bytes,
        });
    }
    leaf_of(index, serde_json::from_str(raw).ok()?)
}

fn return_bytes(entry: &LogEntry) -> Option<Vec<u8>> {
    match entry {
        LogEntry::Return { ret, .. } => pointage_core::canonical::encode(ret).ok(),
        _ => None,
    }
}

fn leaf_of(index: u64, entry: LogEntry) -> Option<ReadLeaf> {
    let hash = entry.leaf_hash().ok()?;
    Some(ReadLeaf {
        index,
        return_bytes: return_bytes(&entry),
        entry,
        hash,
    })
}
