//! What others hold that the server signed — receipts, heads a watcher
//! kept — checked against the record.

use crate::read::ReadLeaf;
use crate::{Problem, ServerKeyOnce};
use pointage_core::log::{Hash, ProofError, SignedTreeHead, Tree};
use pointage_core::signature::{Verdict, Verifier};
use pointage_core::{Receipt, SignedReturn};

/// A receipt held against the record: genuine, its return at its leaf,
/// and (for a receipt that names one) its tree the record's first leaves.
pub(crate) fn check_receipt(
    r: &Receipt,
    server_key: &str,
    server: &ServerKeyOnce,
    tree: &Tree,
    leaves: &[ReadLeaf],
) -> Option<Problem> {
    let b = &r.body;
    let signed = r
        .signature_check(server_key)
        .is_ok_and(|c| server.verdict(&c) == Verdict::Holds);
    if !signed {
        return Some(Problem::ReceiptNotSigned {
            bureau: b.bureau.clone(),
            version: b.version,
        });
    }
    let id_of = |l: &ReadLeaf| {
        l.return_bytes
            .as_deref()
            .and_then(SignedReturn::id_of)
            .filter(|id| *id == b.return_id)
    };
    let holds = match b.head() {
        Some((size, root)) => {
            let at_leaf = leaves
                .get(b.sequence as usize)
                .is_some_and(|l| l.index == b.sequence && id_of(l).is_some());
            at_leaf && tree.root(size) == Some(root)
        }
        // A receipt from before the log: its return must be in it.
        None => leaves.iter().any(|l| id_of(l).is_some()),
    };
    (!holds).then(|| Problem::ReceiptContradicted {
        bureau: b.bureau.clone(),
        version: b.version,
        sequence: b.sequence,
    })
}

/// A head held against the record: genuine, and the record's tree of its
/// size. A head beyond the record's end says nothing of a record made
/// later than it, but contradicts one made later that is shorter (the
/// log never shrinks).
pub(crate) fn check_head(
    h: &SignedTreeHead,
    server_key: &str,
    server: &ServerKeyOnce,
    tree: &Tree,
    record_time: Option<u64>,
) -> Option<Problem> {
    h.verify_with(server_key, server).ok()?;
    let size = h.head.tree_size;
    let contradicted = if size > tree.len() {
        record_time.is_some_and(|t| h.head.timestamp <= t)
    } else {
        tree.root(size) != h.head.root()
    };
    contradicted.then_some(Problem::HeadContradicted { size })
}

/// Checks a head seen after `old` against it with a consistency proof:
/// what a watcher does at each head the server shows.
pub fn extends(
    old: &SignedTreeHead,
    new: &SignedTreeHead,
    proof: &[Hash],
) -> Result<(), ProofError> {
    let (Some(a), Some(b)) = (old.head.root(), new.head.root()) else {
        return Err(ProofError::Root);
    };
    pointage_core::log::verify_consistency(old.head.tree_size, new.head.tree_size, &a, &b, proof)
}
