//! The Merkle tree of RFC 9162 §2.1: its hashes, a tree that only grows,
//! and the inclusion and consistency proofs, made and checked.
//!
//! Pure arithmetic over SHA-256: the server keeps a [`Tree`] of each
//! election's log in memory and makes proofs from it; a phone, a watcher or
//! a verifier checks them with [`verify_inclusion`] and
//! [`verify_consistency`], which never trust the sizes they are given.

use sha2::{Digest, Sha256};
use thiserror::Error;

/// A SHA-256 hash: a leaf's, a node's or a tree's root.
pub type Hash = [u8; 32];

/// The most hashes a proof of a tree of 2^64 leaves can hold: a longer one
/// is refused before any hashing, whatever its sizes say.
pub const MAX_PROOF_LEN: usize = 64;

/// `SHA-256(0x00 || data)`: a leaf's hash (RFC 9162 §2.1.1).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: an interior node's hash.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the tree of no leaf: `SHA-256()` of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two smaller than `n` (`n ≥ 2`): where RFC 9162
/// splits a list of `n` leaves.
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// Why a proof does not show what it is said to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ProofError {
    /// The sizes or index cannot be those of such a proof (an index past
    /// the tree's end, a tree that shrank).
    #[error("the sizes or the index cannot be those of this proof")]
    Sizes,
    /// The proof has too many or too few hashes for its sizes.
    #[error("the proof has the wrong number of hashes")]
    Length,
    /// The hashes do not lead to the roots given.
    #[error("the proof does not lead to the root")]
    Root,
}

/// A tree that only grows: every leaf hash, and the hash of every complete
/// subtree (`levels[k][j]` is the root of leaves `j·2^k .. (j+1)·2^k`), so
/// that any root, inclusion or consistency proof of any size up to
/// [`Tree::len`] takes O(log² n) hashes. About 64 bytes a leaf.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many leaves it holds.
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends one leaf's hash ([`leaf_hash`] of its data).
    pub fn push(&mut self, leaf: Hash) {
        let mut hash = leaf;
        let mut level = 0;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(hash);
            let n = row.len();
            if !n.is_multiple_of(2) {
                return;
            }
            hash = node_hash(&row[n - 2], &row[n - 1]);
            level += 1;
        }
    }

    /// The hash of leaf `index`, if the tree has it.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.levels
            .first()?
            .get(usize::try_from(index).ok()?)
            .copied()
    }

    /// The root of the tree of its first `size` leaves (RFC 9162's
    /// `MTH(D[0:size])`), if it has that many.
    pub fn root(&self, size: u64) -> Option<Hash> {
        match size {
            0 => Some(empty_root()),
            n if n <= self.len() => Some(self.range(0, n)),
            _ => None,
        }
    }

    /// `MTH(D[start:end])`, for `start < end ≤ len` as the recursion of
    /// RFC 9162 reaches them (a complete subtree is read, not hashed).
    fn range(&self, start: u64, end: u64) -> Hash {
        let n = end - start;
        if n.is_power_of_two() && start.is_multiple_of(n) {
            let k = n.trailing_zeros() as usize;
            return self.levels[k][(start >> k) as usize];
        }
        let k = split(n);
        node_hash(&self.range(start, start + k), &self.range(start + k, end))
    }

    /// The inclusion proof of leaf `index` in the tree of its first `size`
    /// leaves (`PATH(index, D[0:size])`), deepest hash first.
    pub fn inclusion(&self, index: u64, size: u64) -> Option<Vec<Hash>> {
        if index >= size || size > self.len() {
            return None;
        }
        let mut out = Vec::new();
        self.path(index, 0, size, &mut out);
        Some(out)
    }

    fn path(&self, m: u64, start: u64, end: u64, out: &mut Vec<Hash>) {
        let n = end - start;
        if n == 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, start, start + k, out);
            out.push(self.range(start + k, end));
        } else {
            self.path(m - k, start + k, end, out);
            out.push(self.range(start, start + k));
        }
    }

    /// The consistency proof from the tree of `old` leaves to the tree of
    /// `new` leaves (`PROOF(old, D[0:new])`); empty when `old` is 0 or
    /// `new`.
    pub fn consistency(&self, old: u64, new: u64) -> Option<Vec<Hash>> {
        if old > new || new > self.len() {
            return None;
        }
        let mut out = Vec::new();
        if old > 0 && old < new {
            self.subproof(old, 0, new, true, &mut out);
        }
        Some(out)
    }

    fn subproof(&self, m: u64, start: u64, end: u64, whole: bool, out: &mut Vec<Hash>) {
        let n = end - start;
        if m == n {
            if !whole {
                out.push(self.range(start, end));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, start, start + k, whole, out);
            out.push(self.range(start + k, end));
        } else {
            self.subproof(m - k, start + k, end, false, out);
            out.push(self.range(start, start + k));
        }
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose
/// root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::Sizes);
    }
    if proof.len() > MAX_PROOF_LEN {
        return Err(ProofError::Length);
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    if &r != root {
        return Err(ProofError::Root);
    }
    Ok(())
}

/// Checks that the tree of `old` leaves with root `old_root` is the start
/// of the tree of `new` leaves with root `new_root` (RFC 9162 §2.1.4.2):
/// nothing in it was changed, removed or reordered.
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old > new {
        return Err(ProofError::Sizes);
    }
    if old == new {
        // The same tree: the same root, and nothing to prove it.
        if !proof.is_empty() {
            return Err(ProofError::Length);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(ProofError::Root)
        };
    }
    if old == 0 {
        // Every tree starts with the empty one.
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(ProofError::Length)
        };
    }
    if proof.is_empty() || proof.len() > MAX_PROOF_LEN {
        return Err(ProofError::Length);
    }
    // When the old tree is a complete subtree, its root starts the path.
    let mut path: Vec<&Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(old_root);
    }
    path.extend(proof);
    let (mut f, mut s) = (old - 1, new - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*path[0], *path[0]);
    for c in &path[1..] {
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    if &fr != old_root || &sr != new_root {
        return Err(ProofError::Root);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The root computed leaf by leaf, as RFC 9162 defines it, to hold the
    /// tree's stored subtrees to.
    fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    fn tree_of(n: u64) -> (Tree, Vec<Hash>) {
        let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut t = Tree::new();
        leaves.iter().for_each(|l| t.push(*l));
        (t, leaves)
    }

    #[test]
    fn every_root_proof_and_size_up_to_40_agrees_with_the_definition() {
        let (t, leaves) = tree_of(40);
        for n in 0..=40u64 {
            let root = t.root(n).unwrap();
            assert_eq!(root, mth(&leaves[..n as usize]), "root of {n}");
            for i in 0..n {
                let p = t.inclusion(i, n).unwrap();
                assert_eq!(
                    verify_inclusion(i, n, &leaves[i as usize], &p, &root),
                    Ok(())
                );
                // The same proof says nothing of another leaf or place.
                let other = leaves[((i + 1) % n) as usize];
                if n > 1 {
                    assert!(verify_inclusion(i, n, &other, &p, &root).is_err());
                    assert!(
                        verify_inclusion((i + 1) % n, n, &leaves[i as usize], &p, &root).is_err()
                    );
                }
            }
            for m in 0..=n {
                let p = t.consistency(m, n).unwrap();
                let old = t.root(m).unwrap();
                assert_eq!(verify_consistency(m, n, &old, &root, &p), Ok(()), "{m}→{n}");
                if m > 0 && m < n {
                    // Another old tree (its last leaf changed) is not the
                    // start of this one.
                    let mut changed = leaves[..m as usize].to_vec();
                    changed[m as usize - 1] = leaf_hash(b"changed");
                    assert!(verify_consistency(m, n, &mth(&changed), &root, &p).is_err());
                }
            }
        }
    }

    #[test]
    fn sizes_past_the_tree_give_no_proof_and_shrinking_is_refused() {
        let (t, leaves) = tree_of(5);
        assert_eq!(t.root(6), None);
        assert_eq!(t.inclusion(5, 5), None);
        assert_eq!(t.consistency(3, 6), None);
        let r = t.root(5).unwrap();
        assert_eq!(
            verify_inclusion(5, 5, &leaves[0], &[], &r),
            Err(ProofError::Sizes)
        );
        assert_eq!(
            verify_consistency(5, 3, &r, &r, &[]),
            Err(ProofError::Sizes)
        );
        let long = vec![r; MAX_PROOF_LEN + 1];
        assert_eq!(
            verify_inclusion(0, 5, &leaves[0], &long, &r),
            Err(ProofError::Length)
        );
    }
}
