//! An election's log in SQLite. A return's leaf is its row in
//! `return_version` (`election_sequence` is its index, `leaf_hash` its
//! hash; its entry is made from its bytes and time); every other leaf is a
//! row of `log_entry`. Indices run 0, 1, 2… over both, without a gap, as
//! each write appends under the one writing connection.

use super::super::DbError;
use super::super::model::{Leaf, LeafHash, NewLeaf, return_leaf};
use pointage_core::log::Hash;
use rusqlite::{Connection, OptionalExtension, params};

/// How many leaves the election's log has: the next leaf's index.
pub(super) fn size(conn: &Connection, election_id: &str) -> Result<u64, DbError> {
    Ok(tail(conn, election_id)?.0)
}

/// The log's size and its last leaf's time (0 for an empty log): a leaf
/// appended next takes that index, and a time no earlier.
pub(super) fn tail(conn: &Connection, election_id: &str) -> Result<(u64, u64), DbError> {
    let last: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT i, a FROM (
                 SELECT * FROM (SELECT idx AS i, at AS a FROM log_entry
                     WHERE election_id = ?1 ORDER BY idx DESC LIMIT 1)
                 UNION ALL
                 SELECT * FROM (SELECT election_sequence, received_at FROM return_version
                     WHERE election_id = ?1 ORDER BY election_sequence DESC LIMIT 1))
             ORDER BY i DESC LIMIT 1",
        )?
        .query_row([election_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(last.map_or((0, 0), |(i, a)| (i as u64 + 1, a as u64)))
}

/// Appends a leaf that is not a return's at `index` (the log's size).
pub(super) fn append(
    conn: &Connection,
    election_id: &str,
    index: u64,
    leaf: &NewLeaf,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO log_entry (election_id, idx, bureau, at, hash, entry)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        election_id,
        index as i64,
        leaf.bureau,
        leaf.at as i64,
        &leaf.hash[..],
        leaf.bytes
    ])?;
    Ok(())
}

/// Appends a leaf at the end of the log, made by `leaf` with its time:
/// `now`, or the last leaf's if the clock went back. Its index and time.
pub(super) fn push(
    conn: &Connection,
    election_id: &str,
    now: u64,
    leaf: impl FnOnce(u64) -> Result<NewLeaf, DbError>,
) -> Result<(u64, u64), DbError> {
    let (index, last_at) = tail(conn, election_id)?;
    let at = now.max(last_at);
    append(conn, election_id, index, &leaf(at)?)?;
    Ok((index, at))
}

fn hash_of(bytes: Vec<u8>) -> rusqlite::Result<Hash> {
    bytes.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            "a leaf hash is not 32 bytes".into(),
        )
    })
}

/// Every leaf's index, time and hash from `from` on, in order.
pub(super) fn hashes(
    conn: &Connection,
    election_id: &str,
    from: u64,
) -> Result<Vec<LeafHash>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT idx, at, hash FROM log_entry WHERE election_id = ?1 AND idx >= ?2
         UNION ALL
         SELECT election_sequence, received_at, leaf_hash FROM return_version
         WHERE election_id = ?1 AND election_sequence >= ?2
         ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![election_id, from as i64], |r| {
        Ok(LeafHash {
            index: r.get::<_, i64>(0)? as u64,
            at: r.get::<_, i64>(1)? as u64,
            hash: hash_of(r.get(2)?)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A row of `idx, entry, received_at, bytes`: a leaf of `log_entry` (its
/// entry) or of `return_version` (made from its time and bytes).
fn leaf(r: &rusqlite::Row<'_>) -> rusqlite::Result<Leaf> {
    let index = r.get::<_, i64>(0)? as u64;
    let bytes = match r.get::<_, Option<Vec<u8>>>(1)? {
        Some(entry) => entry,
        None => return_leaf(r.get::<_, i64>(2)? as u64, &r.get::<_, Vec<u8>>(3)?),
    };
    Ok(Leaf { index, bytes })
}

/// Up to `limit` leaves from `from` to before `upto`, in order.
pub(super) fn leaves(
    conn: &Connection,
    election_id: &str,
    from: u64,
    upto: u64,
    limit: u32,
) -> Result<Vec<Leaf>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT idx, entry, NULL, NULL FROM log_entry
         WHERE election_id = ?1 AND idx >= ?2 AND idx < ?3
         UNION ALL
         SELECT election_sequence, NULL, received_at, bytes FROM return_version
         WHERE election_id = ?1 AND election_sequence >= ?2 AND election_sequence < ?3
         ORDER BY 1 LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![election_id, from as i64, upto as i64, limit], leaf)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every leaf of one bureau before `upto`, in order.
pub(super) fn of_bureau(
    conn: &Connection,
    election_id: &str,
    bureau: &str,
    upto: u64,
) -> Result<Vec<Leaf>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT idx, entry, NULL, NULL FROM log_entry
         WHERE election_id = ?1 AND bureau = ?2 AND idx < ?3
         UNION ALL
         SELECT election_sequence, NULL, received_at, bytes FROM return_version
         WHERE election_id = ?1 AND bureau = ?2 AND election_sequence < ?3
         ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![election_id, bureau, upto as i64], leaf)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives every election stored before schema 8 its log (see
/// `model::rebuild`), each in one transaction: its returns numbered again
/// as leaves, its keys, revocations and closing as leaves of their own.
pub(super) fn rebuild_all(
    conn: &mut Connection,
    secrets: &super::super::Secrets,
) -> Result<(), DbError> {
    use super::super::model::{Legacy, Rebuilt, rebuild};
    let without: Vec<(String, String)> = conn
        .prepare(
            "SELECT id, hash FROM election WHERE NOT EXISTS
             (SELECT 1 FROM log_entry WHERE log_entry.election_id = election.id AND idx = 0)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if without.is_empty() {
        return Ok(());
    }
    let server_key = super::server_key::load_or_create(conn, secrets)?.public;
    for (id, hash) in without {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let opened_at: i64 = tx.query_row(
            "SELECT COALESCE(MIN(issued_at), 0) FROM enrollment_code WHERE election_id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        let returns = tx
            .prepare(
                "SELECT id, election_sequence, received_at, bytes FROM return_version
                 WHERE election_id = ?1 ORDER BY election_sequence",
            )?
            .query_map([&id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let keys = tx
            .prepare(
                "SELECT bureau, device_key, COALESCE(used_at, 0), COALESCE(enrolled_after, 0),
                        CASE WHEN state = 'revoked' THEN revoked_after END
                 FROM enrollment_code WHERE election_id = ?1 AND device_key IS NOT NULL
                 ORDER BY used_at",
            )?
            .query_map([&id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)? as u64,
                    r.get::<_, i64>(3)? as u64,
                    r.get::<_, Option<i64>>(4)?.map(|n| n as u64),
                ))
            })?
            .collect::<Result<_, _>>()?;
        let closed_at: Option<i64> = tx
            .query_row(
                "SELECT closed_at FROM election_closure WHERE election_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        let legacy = Legacy {
            election_id: id.clone(),
            election_hash: hash,
            server_key: server_key.clone(),
            opened_at: opened_at as u64,
            returns,
            keys,
            closed_at: closed_at.map(|c| c as u64),
        };
        // Numbered again out of the way first: two returns never share a
        // number on the way.
        tx.execute(
            "UPDATE return_version SET election_sequence = -election_sequence
             WHERE election_id = ?1",
            [&id],
        )?;
        for leaf in rebuild(&legacy)? {
            match leaf {
                Rebuilt::Return {
                    id: rid,
                    index,
                    at,
                    hash,
                } => {
                    tx.execute(
                        "UPDATE return_version SET election_sequence = ?2, received_at = ?3,
                         leaf_hash = ?4 WHERE id = ?1",
                        params![rid, index as i64, at as i64, &hash[..]],
                    )?;
                }
                Rebuilt::Other { index, leaf } => append(&tx, &id, index, &leaf)?,
            }
        }
        tx.execute(
            "UPDATE election_closure SET last_sequence = (
                 SELECT MAX(idx) FROM log_entry WHERE election_id = ?1)
             WHERE election_id = ?1",
            [&id],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// Document `id` kept in `table`, if it is stored already (see
/// `model::stored_copy_sql`).
pub(super) fn stored_copy(
    conn: &Connection,
    table: &'static str,
    id: &str,
) -> Result<Option<super::super::model::Stored>, DbError> {
    conn.prepare_cached(&super::super::model::stored_copy_sql(table, "?1"))?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?
        .map(|(idx, at, hash)| super::super::model::stored_again(id, idx, at, hash))
        .transpose()
}
