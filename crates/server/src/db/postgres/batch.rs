//! The two writes that come in numbers, in a few statements each whatever
//! their number: a batch of returns (the ingest commits up to 512 at a
//! time) and a batch of enrollments. Each reads at once everything the
//! batch's decisions need, decides item by item in memory with the same
//! rules as SQLite (`model.rs`), keeping what each decision changes for
//! the next, then writes every row in one statement.
//!
//! A round trip to the database costs far more than a decision: one per
//! return would cap a node at a few thousand returns a second.

use super::super::model::{
    self, CodeRow, EnrollOutcome, Enrollment, IngestError, IssuedCode, NewLeaf, Stored, ToStore,
    leaves, return_leaf,
};
use super::super::{DbError, Secrets};
use deadpool_postgres::Transaction;
use pointage_core::log::leaf_hash;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Locks the elections' rows, in one order (so that two nodes' batches
/// never wait for each other in a circle): everything that writes for an
/// election takes its lock first. Each one's last leaf's index, and the
/// elections among them that are closed.
async fn lock_elections(
    tx: &Transaction<'_>,
    ids: Vec<String>,
) -> Result<(HashMap<String, (i64, i64)>, HashSet<String>), DbError> {
    let stmt = tx
        .prepare_cached(
            "SELECT id, last_sequence, closed_at IS NOT NULL, last_at FROM election
             WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        )
        .await?;
    let rows = tx.query(&stmt, &[&ids]).await?;
    let last = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(3))))
        .collect();
    let closed = rows
        .iter()
        .filter(|r| r.get::<_, bool>(2))
        .map(|r| r.get(0))
        .collect();
    Ok((last, closed))
}

/// Moves the elections' results stamps after a batch: `changes[id]`
/// things changed, and the last leaf is `last[id]` (its index and time).
async fn mark_changed(
    tx: &Transaction<'_>,
    changes: &HashMap<String, i64>,
    last: &HashMap<String, (i64, i64)>,
) -> Result<(), DbError> {
    let stmt = tx
        .prepare_cached(
            "UPDATE election SET changes = changes + $2,
                 last_sequence = GREATEST(last_sequence, $3), last_at = GREATEST(last_at, $4)
             WHERE id = $1",
        )
        .await?;
    for (id, n) in changes {
        let (index, at) = last.get(id).copied().unwrap_or_default();
        tx.execute(&stmt, &[id, n, &index, &at]).await?;
    }
    Ok(())
}

/// Stores a batch of returns whose signatures were checked, in the
/// caller's transaction. The outcome of each, in order; a return refused
/// by core writes nothing.
pub(super) async fn store_returns(
    tx: &Transaction<'_>,
    work: &[ToStore],
    now: u64,
) -> Result<Vec<Result<Stored, IngestError>>, DbError> {
    let elections: BTreeSet<String> = work
        .iter()
        .map(|w| w.ret.body().election_id.clone())
        .collect();
    let (mut last, closed) = lock_elections(tx, elections.into_iter().collect()).await?;

    // What the decisions read, for the whole batch at once.
    let ids: Vec<&str> = work.iter().map(|w| w.ret.id()).collect();
    let (places_e, places_b): (Vec<&str>, Vec<&str>) = work
        .iter()
        .map(|w| {
            let b = w.ret.body();
            (b.election_id.as_str(), b.bureau.as_str())
        })
        .unzip();
    let found = tx
        .prepare_cached(
            "SELECT id, election_sequence, received_at, leaf_hash FROM return_version
             WHERE id = ANY($1)",
        )
        .await?;
    let keys = tx
        .prepare_cached(
            "SELECT DISTINCT ON (election_id, bureau) election_id, bureau, device_key
             FROM enrollment_code
             WHERE state = 'used' AND (election_id, bureau) IN
                 (SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[]))
             ORDER BY election_id, bureau, used_at DESC",
        )
        .await?;
    let latest = tx
        .prepare_cached(
            "SELECT DISTINCT ON (election_id, bureau) election_id, bureau, bytes
             FROM return_version
             WHERE (election_id, bureau) IN (SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[]))
             ORDER BY election_id, bureau, version DESC",
        )
        .await?;
    // Sent together: the connection pipelines them.
    let (found, keys, latest) = futures_util::future::try_join3(
        tx.query(&found, &[&ids]),
        tx.query(&keys, &[&places_e, &places_b]),
        tx.query(&latest, &[&places_e, &places_b]),
    )
    .await?;
    let mut stored: HashMap<String, Stored> = found
        .iter()
        .map(|r| {
            let id: String = r.get(0);
            let s = Stored {
                sequence: r.get::<_, i64>(1) as u64,
                received_at: r.get::<_, i64>(2) as u64,
                new: false,
                leaf: r
                    .get::<_, &[u8]>(3)
                    .try_into()
                    .map_err(|_| model::corrupt(&id, "its leaf hash is not 32 bytes"))?,
                root: None,
            };
            Ok((id, s))
        })
        .collect::<Result<_, DbError>>()?;
    let keys: HashMap<(String, String), String> = keys
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();
    let mut latest: HashMap<(String, String), Vec<u8>> = latest
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();

    // Each in order, as if stored one by one.
    let mut rows = NewRows::default();
    let mut changes: HashMap<String, i64> = HashMap::new();
    let mut results = Vec::with_capacity(work.len());
    for w in work {
        let b = w.ret.body();
        if let Some(s) = stored.get(w.ret.id()) {
            results.push(Ok(Stored { new: false, ..*s }));
            continue;
        }
        if closed.contains(&b.election_id) {
            results.push(Err(IngestError::Closed));
            continue;
        }
        let place = (b.election_id.clone(), b.bureau.clone());
        let decided = model::check_new(w, keys.get(&place).cloned(), latest.get(&place).cloned());
        if let Err(refused) = decided {
            results.push(Err(refused));
            continue;
        }
        let (seq, last_at) = last
            .get_mut(&b.election_id)
            .ok_or_else(|| DbError::Invariant(format!("no election {}", b.election_id)))?;
        *seq += 1;
        // A clock gone back never makes a leaf older than the one before.
        *last_at = (*last_at).max(now as i64);
        let at = *last_at as u64;
        *changes.entry(b.election_id.clone()).or_default() += 1;
        let s = Stored {
            sequence: *seq as u64,
            received_at: at,
            new: true,
            leaf: leaf_hash(&return_leaf(at, &w.bytes)),
            root: None,
        };
        stored.insert(w.ret.id().to_owned(), s);
        latest.insert(place, w.bytes.to_vec());
        rows.push(w, *seq, at, s.leaf);
        results.push(Ok(s));
    }
    if !rows.ids.is_empty() {
        let insert = tx
            .prepare_cached(
                "INSERT INTO return_version
                 (id, election_id, bureau, version, bytes, received_at, election_sequence,
                  leaf_hash)
                 SELECT id, e, b, v, bytes, at, seq, leaf FROM UNNEST(
                     $1::TEXT[], $2::TEXT[], $3::TEXT[], $4::INTEGER[], $5::BYTEA[],
                     $6::BIGINT[], $7::BIGINT[], $8::BYTEA[]
                 ) AS t (id, e, b, v, bytes, at, seq, leaf)",
            )
            .await?;
        tx.execute(
            &insert,
            &[
                &rows.ids,
                &rows.elections,
                &rows.bureaux,
                &rows.versions,
                &rows.bytes,
                &rows.ats,
                &rows.sequences,
                &rows.leaves,
            ],
        )
        .await?;
    }
    mark_changed(tx, &changes, &last).await?;
    Ok(results)
}

/// The columns of the returns a batch stores.
#[derive(Default)]
struct NewRows<'a> {
    ids: Vec<&'a str>,
    elections: Vec<&'a str>,
    bureaux: Vec<&'a str>,
    versions: Vec<i32>,
    bytes: Vec<&'a [u8]>,
    sequences: Vec<i64>,
    ats: Vec<i64>,
    leaves: Vec<Vec<u8>>,
}

impl<'a> NewRows<'a> {
    fn push(&mut self, w: &'a ToStore, sequence: i64, at: u64, leaf: pointage_core::log::Hash) {
        let b = w.ret.body();
        self.ids.push(w.ret.id());
        self.elections.push(&b.election_id);
        self.bureaux.push(&b.bureau);
        self.versions.push(b.version as i32);
        self.bytes.push(&w.bytes);
        self.sequences.push(sequence);
        self.ats.push(at as i64);
        self.leaves.push(leaf.to_vec());
    }
}

/// Presents codes (by hash) with device keys, in the caller's transaction.
/// Carries over to a new round (its leaf 0 just written) the keys that
/// hold its bureaux in round `from`: each such bureau's new code is bound
/// to that key at once, in a key leaf naming `from`. Returns the other
/// bureaux' codes.
pub(super) async fn carry(
    tx: &Transaction<'_>,
    secrets: &Secrets,
    from: &str,
    codes: Vec<IssuedCode>,
    now: u64,
) -> Result<Vec<IssuedCode>, DbError> {
    let keys: HashMap<String, String> = tx
        .query(
            "SELECT DISTINCT ON (bureau) bureau, device_key FROM enrollment_code
             WHERE election_id = $1 AND state = 'used' ORDER BY bureau, used_at DESC",
            &[&from],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let (mut kept, mut bound_hash, mut bound_key, mut added) = (vec![], vec![], vec![], vec![]);
    for code in codes {
        let Some(key) = keys.get(&code.bureau) else {
            kept.push(code);
            continue;
        };
        bound_hash.push(secrets.code_digest(&code.code));
        bound_key.push(key.as_str());
        let leaf = leaves::carried_key(&code.bureau, key, from, now)?;
        added.push((added.len() as i64 + 1, leaf, code.election_id));
    }
    if let Some((_, _, election_id)) = added.first() {
        tx.execute(
            "UPDATE enrollment_code AS c
             SET state = 'used', device_key = u.key, used_at = $3
             FROM UNNEST($1::TEXT[], $2::TEXT[]) AS u (hash, key)
             WHERE c.code_hash = u.hash",
            &[&bound_hash, &bound_key, &(now as i64)],
        )
        .await?;
        let leaves: Vec<(i64, &NewLeaf)> = added.iter().map(|(i, l, _)| (*i, l)).collect();
        super::log::append_all(tx, election_id, &leaves).await?;
    }
    Ok(kept)
}

pub(super) async fn enroll(
    tx: &Transaction<'_>,
    devices: &[(String, String)],
    now: u64,
) -> Result<Vec<EnrollOutcome>, DbError> {
    let hashes: Vec<&str> = devices.iter().map(|(h, _)| h.as_str()).collect();
    let device_keys: Vec<&str> = devices.iter().map(|(_, k)| k.as_str()).collect();
    let elections: Vec<String> = tx
        .query(
            "SELECT DISTINCT election_id FROM enrollment_code WHERE code_hash = ANY($1)",
            &[&hashes],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let (mut last, closed) = lock_elections(tx, elections).await?;
    let (codes, owners) = futures_util::future::try_join(
        tx.query(
            "SELECT code_hash, election_id, bureau, state, device_key FROM enrollment_code
             WHERE code_hash = ANY($1)",
            &[&hashes],
        ),
        tx.query(
            "SELECT device_key, code_hash FROM enrollment_code WHERE device_key = ANY($1)",
            &[&device_keys],
        ),
    )
    .await?;
    let mut codes: HashMap<String, CodeRow> = codes
        .iter()
        .map(|r| {
            let row = CodeRow {
                election_id: r.get(1),
                bureau: r.get(2),
                state: r.get(3),
                device_key: r.get(4),
            };
            (r.get(0), row)
        })
        .collect();
    // Which codes each key is enrolled with.
    let mut owners: HashMap<String, HashSet<String>> =
        owners.iter().fold(HashMap::new(), |mut m, r| {
            m.entry(r.get(0)).or_default().insert(r.get(1));
            m
        });

    let (mut bound_hash, mut bound_key) = (vec![], vec![]);
    let mut new_leaves: HashMap<String, Vec<(i64, NewLeaf)>> = HashMap::new();
    let mut changes: HashMap<String, i64> = HashMap::new();
    let mut out = Vec::with_capacity(devices.len());
    for (hash, key) in devices {
        let key_elsewhere = owners
            .get(key)
            .is_some_and(|hs| hs.iter().any(|h| h != hash));
        let row = codes.get(hash).cloned();
        let in_closed = row
            .as_ref()
            .is_some_and(|r| closed.contains(&r.election_id));
        out.push(
            match model::enrollment(row, key, key_elsewhere, in_closed) {
                Enrollment::Answer(outcome) => outcome,
                Enrollment::Bind {
                    election_id,
                    bureau,
                } => {
                    if let Some(code) = codes.get_mut(hash) {
                        code.state = "used".into();
                        code.device_key = Some(key.clone());
                    }
                    owners.entry(key.clone()).or_default().insert(hash.clone());
                    bound_hash.push(hash.as_str());
                    bound_key.push(key.as_str());
                    let (index, last_at) = last
                        .get_mut(&election_id)
                        .ok_or_else(|| DbError::Invariant(format!("no election {election_id}")))?;
                    *index += 1;
                    *last_at = (*last_at).max(now as i64);
                    new_leaves
                        .entry(election_id.clone())
                        .or_default()
                        .push((*index, leaves::key(&bureau, key, *last_at as u64)?));
                    *changes.entry(election_id.clone()).or_default() += 1;
                    EnrollOutcome::Enrolled {
                        election_id,
                        bureau,
                    }
                }
            },
        );
    }
    if !bound_hash.is_empty() {
        tx.execute(
            "UPDATE enrollment_code AS c
             SET state = 'used', device_key = u.key, used_at = $3
             FROM UNNEST($1::TEXT[], $2::TEXT[]) AS u (hash, key)
             WHERE c.code_hash = u.hash",
            &[&bound_hash, &bound_key, &(now as i64)],
        )
        .await?;
    }
    for (election_id, added) in &new_leaves {
        let added: Vec<(i64, &NewLeaf)> = added.iter().map(|(i, l)| (*i, l)).collect();
        super::log::append_all(tx, election_id, &added).await?;
    }
    mark_changed(tx, &changes, &last).await?;
    Ok(out)
}
