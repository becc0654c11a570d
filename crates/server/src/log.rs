//! Each election's log as a Merkle tree in this node's memory, built from
//! the leaf hashes the database holds and extended as leaves are appended:
//! what receipts, heads and proofs are computed from (core's `log::Tree`).
//!
//! The database is the log; a tree here is only a copy, safe to lose or to
//! be behind (another node or the command line appended): it reads the
//! leaves it lacks before it answers for a size it does not have. It never
//! writes.

use crate::bounded::Bounded;
use crate::db::{Db, DbError, LeafHash};
use pointage_core::log::{Hash, SignedTreeHead, Tree, TreeHead};
use pointage_core::{Election, ServerSigner};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedRwLockReadGuard, RwLock};

/// A log's tree and each leaf's time (a head's timestamp is its last
/// leaf's).
#[derive(Default)]
pub struct Held {
    tree: Tree,
    times: Vec<u64>,
}

impl Held {
    /// How many leaves it holds.
    pub fn len(&self) -> u64 {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The root of its first `size` leaves.
    pub fn root(&self, size: u64) -> Option<Hash> {
        self.tree.root(size)
    }

    /// The head of its first `size` leaves (at least one), signed: the
    /// same whichever node signs it, whenever (Ed25519 is deterministic).
    pub fn head(
        &self,
        election: &Election,
        size: u64,
        signer: &ServerSigner,
    ) -> Result<SignedTreeHead, DbError> {
        let root = self
            .tree
            .root(size)
            .filter(|_| size > 0)
            .ok_or_else(|| DbError::Invariant(format!("no head of {size} leaves")))?;
        let at = self.times[(size - 1) as usize];
        signer
            .sign_head(TreeHead::new(election.hash(), size, &root, at))
            .map_err(|e| DbError::Sign(format!("a head: {e}")))
    }

    /// Appends leaves read back or just stored, which must follow on.
    fn extend(&mut self, election_id: &str, leaves: &[LeafHash]) -> Result<(), DbError> {
        for l in leaves {
            if l.index != self.tree.len() {
                return Err(DbError::Corrupt {
                    id: election_id.to_owned(),
                    reason: format!(
                        "its log has leaf {} where leaf {} was expected",
                        l.index,
                        self.tree.len()
                    ),
                });
            }
            self.tree.push(l.hash);
            self.times.push(l.at);
        }
        Ok(())
    }
}

/// Every election's tree this node has built.
pub struct Logs {
    trees: Mutex<HashMap<String, Arc<RwLock<Held>>>>,
    /// The reads it makes, a few at a time with the public ones.
    reads: Arc<Bounded>,
}

impl Logs {
    /// Trees that read the database through `reads`.
    pub fn new(reads: Arc<Bounded>) -> Self {
        Self {
            trees: Mutex::default(),
            reads,
        }
    }

    fn of(&self, election_id: &str) -> Arc<RwLock<Held>> {
        self.trees
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(election_id.to_owned())
            .or_default()
            .clone()
    }

    /// The election's tree with at least `size` leaves, reading from the
    /// database the leaves it lacks (all of them, up to the last stored).
    /// `None`: the log has fewer than `size` leaves.
    pub async fn at_least(
        &self,
        db: &Db,
        election_id: &str,
        size: u64,
    ) -> Result<Option<OwnedRwLockReadGuard<Held>>, DbError> {
        let tree = self.of(election_id);
        let held = tree.clone().read_owned().await;
        if held.len() >= size {
            return Ok(Some(held));
        }
        drop(held);
        let mut held = tree.write_owned().await;
        if held.len() < size {
            let (db, id, from) = (db.clone(), election_id.to_owned(), held.len());
            let read = self.reads.run(move || db.leaf_hashes(&id, from)).await??;
            held.extend(election_id, &read)?;
        }
        let held = held.downgrade();
        Ok((held.len() >= size).then_some(held))
    }

    /// The election's tree as the database holds it now.
    pub async fn current(
        &self,
        db: &Db,
        election_id: &str,
    ) -> Result<OwnedRwLockReadGuard<Held>, DbError> {
        let (read, id) = (db.clone(), election_id.to_owned());
        let size = self.reads.run(move || read.log_size(&id)).await??;
        self.at_least(db, election_id, size)
            .await?
            .ok_or_else(|| DbError::Invariant(format!("the log of {election_id} shrank")))
    }

    /// Leaves this node just stored, appended if they follow what its tree
    /// holds (otherwise another writer appended in between, and the tree
    /// reads them all back when next asked): the root of the tree ending
    /// with each, what its receipt names (`None`: not appended).
    pub async fn stored(&self, election_id: &str, leaves: &[LeafHash]) -> Vec<Option<Hash>> {
        let Some(first) = leaves.first() else {
            return Vec::new();
        };
        let follow_on = leaves.iter().zip(first.index..).all(|(l, i)| l.index == i);
        let tree = self.of(election_id);
        let mut held = tree.write().await;
        if !(follow_on && held.len() == first.index) {
            return vec![None; leaves.len()];
        }
        leaves
            .iter()
            .map(|l| {
                // Cannot fail: they follow on from what it holds.
                let _ = held.extend(election_id, std::slice::from_ref(l));
                held.root(l.index + 1)
            })
            .collect()
    }
}
