//! A bureau's part of the log, as the server shows it to the bureau's phone
//! (`GET /api/v1/log/bureau`), and the phone's check of it: the first
//! witness of the log is the one phone that knows what it sent and which key
//! it holds (docs/return-format.md §7, THREATS.md promise 3).
//!
//! The server signs the current head, proves every leaf of the bureau in it,
//! proves that head extends every head the phone holds (its receipts' and
//! the last it checked), and signs the list of the bureau's leaves, so that
//! a leaf left out of what it showed is its own signed word against it.

use super::entry::{LogEntry, return_entry_bytes};
use super::head::{HeadError, SignedTreeHead, TreeHead, parse_hash};
use super::keys::{KeyChange, KeyError, KeyHistory};
use super::tree::{Hash, ProofError, leaf_hash, verify_consistency, verify_inclusion};
use crate::canonical::{self, CanonicalError};
use crate::receipt::Receipt;
use crate::signature::{SignatureCheck, Verdict, Verifier, parse_key, parse_signature};
use crate::signed_return::SignedReturn;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub const BUREAU_LOG_FORMAT: &str = "pointage-bureau-log/1";
pub(crate) const BUREAU_LOG_SIGNING_CONTEXT: &[u8] = b"pointage-bureau-log/1\n";

/// The most heads a phone asks a consistency proof for at once.
pub const MAX_FROM: usize = 16;

/// A leaf and its inclusion proof in the head shown (lowercase hex hashes,
/// deepest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProvenLeaf {
    pub index: u64,
    pub entry: LogEntry,
    pub proof: Vec<String>,
}

/// A consistency proof from the tree of `from` leaves to the head shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    pub from: u64,
    pub proof: Vec<String>,
}

/// What the server signs of a bureau's part: in the tree of `tree_size`
/// leaves, the bureau's leaves are exactly `indices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BureauListing {
    /// Always [`BUREAU_LOG_FORMAT`].
    pub format: String,
    pub election_hash: String,
    pub bureau: String,
    pub tree_size: u64,
    pub indices: Vec<u64>,
}

/// `GET /api/v1/log/bureau`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BureauLog {
    pub bureau: String,
    pub head: SignedTreeHead,
    /// Every leaf of the bureau (its keys, reissues and returns), in order.
    pub leaves: Vec<ProvenLeaf>,
    /// From each size asked for (`from`) to the head's.
    pub consistency: Vec<Consistency>,
    /// The server's signature of the [`BureauListing`] these leaves make.
    pub signature: String,
}

impl BureauLog {
    /// What the server signs of it.
    pub fn listing(&self) -> BureauListing {
        BureauListing {
            format: BUREAU_LOG_FORMAT.to_owned(),
            election_hash: self.head.head.election_hash.clone(),
            bureau: self.bureau.clone(),
            tree_size: self.head.head.tree_size,
            indices: self.leaves.iter().map(|l| l.index).collect(),
        }
    }

    fn listing_check(&self, server_key: &str) -> Option<SignatureCheck> {
        Some(SignatureCheck::new(
            BUREAU_LOG_SIGNING_CONTEXT,
            &canonical::encode(&self.listing()).ok()?,
            parse_key(server_key)?,
            parse_signature(&self.signature)?,
        ))
    }

    /// The signatures [`check_bureau_log_with`] needs to hold (the head's
    /// and the listing's), for a caller that checks them itself (the phone,
    /// with WebCrypto).
    pub fn signature_checks(&self, server_key: &str) -> Vec<SignatureCheck> {
        let mut out: Vec<SignatureCheck> = self
            .head
            .signature_check(server_key)
            .ok()
            .into_iter()
            .collect();
        out.extend(self.listing_check(server_key));
        out
    }
}

/// What the phone holds and checks the server's answer against.
#[derive(Clone, Debug)]
pub struct Witness<'a> {
    pub election_hash: &'a str,
    pub bureau: &'a str,
    /// The server key it got at enrollment.
    pub server_key: &'a str,
    /// Its own device key.
    pub own_key: &'a str,
    /// The newest head it checked before, if any.
    pub kept: Option<&'a TreeHead>,
    /// Its bureau's returns it holds receipts for: each return's canonical
    /// bytes and its receipt.
    pub receipts: Vec<(&'a [u8], &'a Receipt)>,
}

impl Witness<'_> {
    /// The sizes to ask consistency proofs from: every head held.
    pub fn from_sizes(&self) -> Vec<u64> {
        let mut sizes: Vec<u64> = self
            .kept
            .map(|h| h.tree_size)
            .into_iter()
            .chain(
                self.receipts
                    .iter()
                    .filter_map(|(_, r)| r.body.head().map(|(s, _)| s)),
            )
            .collect();
        crate::order::sort_by(&mut sizes, Ord::cmp);
        sizes.dedup();
        sizes.truncate(MAX_FROM);
        sizes
    }
}

/// One of the bureau's returns, as the log holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedReturn {
    pub index: u64,
    pub at: u64,
    pub version: u32,
    pub id: String,
    /// Signed by another key than the phone's own.
    pub other_key: bool,
}

/// What the check found, all of it proven against the head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The head to keep: the newest checked.
    pub head: SignedTreeHead,
    /// The leaf and time of this phone's own enrollment.
    pub own_key_from: u64,
    pub own_key_at: u64,
    /// Every change of the bureau's key after this phone's own enrollment:
    /// another phone enrolled, or the bureau's code reissued.
    pub since_own: Vec<KeyChange>,
    /// Every change of the bureau's key before it (a phone replaced before
    /// this one, as after a lost code).
    pub before_own: Vec<KeyChange>,
    /// What breaks the key history's rules among the bureau's leaves (a
    /// second key while one held it: a shadow key, listed in `since_own`
    /// too). Every verifier refuses such a record; the phone says it.
    pub broken: Vec<KeyError>,
    pub returns: Vec<LoggedReturn>,
}

/// Why the server's answer does not hold: each is what a phone must say
/// plainly (the log it is shown is not the one it was promised).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LogCheckError {
    #[error("the head is not the server's: {0}")]
    Head(#[from] HeadError),
    #[error("the list of the bureau's leaves is not signed by the server")]
    Listing,
    #[error("the answer is for another election or bureau")]
    OtherPlace,
    #[error("leaf {index} is not in the head shown ({why})")]
    Inclusion { index: u64, why: ProofError },
    /// The head shown does not extend a head this phone holds: the log was
    /// rewritten (a leaf removed, changed or moved), or two histories.
    #[error("the head shown does not extend the head of {from} leaves held ({why})")]
    Consistency { from: u64, why: ProofError },
    /// The head shown is older than one this phone held.
    #[error("the head shown has fewer leaves than the one held")]
    Shrunk,
    /// A return this phone holds a receipt for is not where its receipt
    /// says in the head shown.
    #[error("version {version}, acknowledged by a receipt, is not in the log as received")]
    OwnReturnMissing { version: u32 },
    /// No leaf enrolls this phone's key for its bureau.
    #[error("this phone's enrollment is not in the log")]
    OwnKeyMissing,
    #[error("a leaf cannot be read: {0}")]
    Encoding(#[from] CanonicalError),
}

fn hashes(hex: &[String]) -> Option<Vec<Hash>> {
    hex.iter().map(|h| parse_hash(h)).collect()
}

/// The phone's check of its bureau's part of the log, with the signatures
/// checked by `verifier`.
pub fn check_bureau_log_with(
    log: &BureauLog,
    held: &Witness<'_>,
    verifier: &impl Verifier,
) -> Result<Checked, LogCheckError> {
    log.head.verify_with(held.server_key, verifier)?;
    let head = &log.head.head;
    if head.election_hash != held.election_hash || log.bureau != held.bureau {
        return Err(LogCheckError::OtherPlace);
    }
    let listing = log
        .listing_check(held.server_key)
        .ok_or(LogCheckError::Listing)?;
    if verifier.verdict(&listing) != Verdict::Holds {
        return Err(LogCheckError::Listing);
    }
    let root = head.root().ok_or(HeadError::Malformed)?;
    let size = head.tree_size;

    // Every leaf shown is the bureau's, in order, and in the head.
    let mut last = None;
    let mut leaf_hashes = Vec::with_capacity(log.leaves.len());
    for l in &log.leaves {
        let why = |why| LogCheckError::Inclusion {
            index: l.index,
            why,
        };
        if l.entry.bureau() != Some(held.bureau) || last.is_some_and(|p| p >= l.index) {
            return Err(LogCheckError::OtherPlace);
        }
        last = Some(l.index);
        let hash = l.entry.leaf_hash()?;
        let proof = hashes(&l.proof).ok_or(why(ProofError::Length))?;
        verify_inclusion(l.index, size, &hash, &proof, &root).map_err(why)?;
        leaf_hashes.push((l.index, hash));
    }

    // The head extends every head the phone holds.
    let mut heads: Vec<(u64, Hash)> = Vec::new();
    if let Some(k) = held.kept {
        heads.push((k.tree_size, k.root().ok_or(HeadError::Malformed)?));
    }
    heads.extend(held.receipts.iter().filter_map(|(_, r)| r.body.head()));
    for (from, old_root) in heads {
        if from > size {
            return Err(LogCheckError::Shrunk);
        }
        let why = |why| LogCheckError::Consistency { from, why };
        let proof = log
            .consistency
            .iter()
            .find(|c| c.from == from)
            .ok_or(why(ProofError::Length))?;
        let proof = hashes(&proof.proof).ok_or(why(ProofError::Length))?;
        verify_consistency(from, size, &old_root, &root, &proof).map_err(why)?;
    }

    // Each return acknowledged is where its receipt says, as it was sent.
    for (bytes, receipt) in &held.receipts {
        let b = &receipt.body;
        let missing = || LogCheckError::OwnReturnMissing { version: b.version };
        let found = if b.head().is_some() {
            let expected = leaf_hash(&return_entry_bytes(b.received_at, bytes));
            leaf_hashes
                .iter()
                .any(|(i, h)| *i == b.sequence && *h == expected)
        } else {
            // A receipt from before the log names no leaf: its return must
            // be among the bureau's leaves.
            log.leaves.iter().any(|l| {
                matches!(&l.entry, LogEntry::Return { ret, .. }
                    if canonical::encode(ret).is_ok_and(|e| e == *bytes))
            })
        };
        if !found {
            return Err(missing());
        }
    }

    // The bureau's keys, in order; a key enrolled beside another (which
    // the rules refuse) is still a change to say.
    let mut keys = KeyHistory::new();
    let mut changes = Vec::new();
    let mut broken = Vec::new();
    let mut own = None;
    let mut returns = Vec::new();
    for l in &log.leaves {
        let change = match keys.apply(l.index, &l.entry) {
            Ok(change) => change,
            Err(e) => {
                let shadow = match (&e, &l.entry) {
                    (
                        KeyError::TwoKeys { .. },
                        LogEntry::Key {
                            at,
                            bureau,
                            device_key,
                            ..
                        },
                    ) => Some(KeyChange::Rekeyed {
                        bureau: bureau.clone(),
                        index: l.index,
                        at: *at,
                        key: device_key.clone(),
                    }),
                    _ => None,
                };
                broken.push(e);
                shadow
            }
        };
        if let Some(change) = change {
            changes.push((l.index, change));
        }
        match &l.entry {
            LogEntry::Key { device_key, at, .. } if device_key == held.own_key => {
                own = Some((l.index, *at));
            }
            LogEntry::Return { at, ret } => {
                let body = ret.get("body");
                let read = |k: &str| body.and_then(|b| b.get(k));
                let bytes = canonical::encode(ret)?;
                returns.push(LoggedReturn {
                    index: l.index,
                    at: *at,
                    version: read("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32,
                    id: SignedReturn::id_of(&bytes).unwrap_or_default(),
                    other_key: read("device_key").and_then(|k| k.as_str()) != Some(held.own_key),
                });
            }
            _ => {}
        }
    }
    let (own_from, own_at) = own.ok_or(LogCheckError::OwnKeyMissing)?;
    // This phone's own enrollment is a change of the bureau's key when
    // another held it before: it is of the past, not news.
    let (before_own, since_own) = changes
        .into_iter()
        .partition::<Vec<_>, _>(|(i, _)| *i <= own_from);
    Ok(Checked {
        head: log.head.clone(),
        own_key_from: own_from,
        own_key_at: own_at,
        since_own: since_own.into_iter().map(|(_, c)| c).collect(),
        before_own: before_own.into_iter().map(|(_, c)| c).collect(),
        broken,
        returns,
    })
}
