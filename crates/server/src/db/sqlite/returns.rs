//! Signed returns. Every version is kept, with the exact bytes the bureau
//! signed, its leaf in the election's log and the time it was stored: from
//! these the server signs the receipt, again and identically whenever it is
//! asked.

use super::super::DbError;
use super::super::model::{
    self, IngestError, RecordEntry, Stored, StoredReturn, ToStore, return_leaf,
};
use super::enrollment::enrolled_key;
use pointage_core::ReturnBody;
use pointage_core::log::leaf_hash;
use rusqlite::{Connection, OptionalExtension, params};

/// Stores a return whose signature has been checked (`bytes` are its
/// canonical bytes), if core accepts it for the election against the
/// bureau's enrolled key and the latest version already stored. The same
/// return again is found, not stored twice. Runs inside the caller's
/// transaction.
pub(super) fn ingest(
    conn: &Connection,
    w: &ToStore,
    now: u64,
    tails: &mut Tails,
) -> Result<Stored, IngestError> {
    let (ret, bytes) = (&w.ret, &w.bytes[..]);
    // Cached statements: this runs once per return on election night, and
    // parsing the SQL each time would be a good part of the writer's work.
    let existing: Option<(i64, i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT election_sequence, received_at, leaf_hash FROM return_version WHERE id = ?1",
        )?
        .query_row([ret.id()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((sequence, received_at, leaf)) = existing {
        return Ok(Stored {
            sequence: sequence as u64,
            received_at: received_at as u64,
            new: false,
            leaf: leaf
                .try_into()
                .map_err(|_| model::corrupt(ret.id(), "its leaf hash is not 32 bytes"))?,
            root: None,
        });
    }
    let b = ret.body();
    if super::closure(conn, &b.election_id)?.is_some() {
        return Err(IngestError::Closed);
    }
    let key = enrolled_key(conn, &b.election_id, &b.bureau)?;
    let latest: Option<Vec<u8>> = conn
        .prepare_cached(
            "SELECT bytes FROM return_version WHERE election_id = ?1 AND bureau = ?2
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![b.election_id, b.bureau], |r| r.get(0))
        .optional()?;
    model::check_new(w, key, latest)?;

    let (sequence, last_at) = match tails.get(&b.election_id) {
        Some(t) => *t,
        None => super::log::tail(conn, &b.election_id)?,
    };
    // A clock gone back never makes a leaf older than the one before.
    let now = now.max(last_at);
    let leaf = leaf_hash(&return_leaf(now, bytes));
    conn.prepare_cached(
        "INSERT INTO return_version
         (id, election_id, bureau, version, bytes, received_at, election_sequence, leaf_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        ret.id(),
        b.election_id,
        b.bureau,
        b.version,
        bytes,
        now as i64,
        sequence as i64,
        &leaf[..]
    ])?;
    tails.insert(b.election_id.clone(), (sequence + 1, now));
    Ok(Stored {
        sequence,
        received_at: now,
        new: true,
        leaf,
        root: None,
    })
}

/// Each election's log's size and last time, as a batch's returns append
/// to it under one transaction: read once per election and batch, not once
/// per return.
pub(super) type Tails = std::collections::HashMap<String, (u64, u64)>;

/// Every stored return's id and body among the log's leaves `from..upto`,
/// in the log's order.
pub(super) fn bodies_between(
    conn: &Connection,
    election_id: &str,
    from: u64,
    upto: u64,
) -> Result<Vec<(String, ReturnBody)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, bytes FROM return_version
         WHERE election_id = ?1 AND election_sequence >= ?2 AND election_sequence < ?3
         ORDER BY election_sequence",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![election_id, from as i64, upto as i64],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, bytes) = row?;
        out.push((id, model::stored_body(&bytes)?));
    }
    Ok(out)
}

/// A row of `sequence, id, bureau, version, received_at, bytes`.
fn record_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordEntry> {
    Ok(RecordEntry {
        sequence: r.get::<_, i64>(0)? as u64,
        id: r.get(1)?,
        bureau: r.get(2)?,
        version: r.get(3)?,
        received_at: r.get::<_, i64>(4)? as u64,
        bytes: r.get(5)?,
    })
}

/// What the results of an election depend on, in one value that changes
/// whenever they may: a counter that triggers move on every return stored
/// and every enrollment code issued, used or revoked (migration 4).
pub(super) fn stamp(conn: &Connection, election_id: &str) -> Result<i64, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT changes FROM results_stamp WHERE election_id = ?1")?;
    Ok(stmt
        .query_row([election_id], |r| r.get(0))
        .optional()?
        .unwrap_or(-1))
}

/// A return stored under this id, with its bytes: what a phone sending it
/// again is answered from, without the writer.
pub(super) fn stored(conn: &Connection, id: &str) -> Result<Option<StoredReturn>, DbError> {
    /// Election, sequence, time received, leaf hash, bytes.
    type Row = (String, i64, i64, Vec<u8>, Vec<u8>);
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT election_id, election_sequence, received_at, leaf_hash, bytes
             FROM return_version WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(election_id, sequence, received_at, leaf, bytes)| {
        Ok(StoredReturn {
            election_id,
            stored: Stored {
                sequence: sequence as u64,
                received_at: received_at as u64,
                new: false,
                leaf: leaf
                    .try_into()
                    .map_err(|_| model::corrupt(id, "its leaf hash is not 32 bytes"))?,
                root: None,
            },
            bytes,
        })
    })
    .transpose()
}

/// How many returns (all versions) are stored for an election.
pub(super) fn count(conn: &Connection, election_id: &str) -> Result<u64, DbError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM return_version WHERE election_id = ?1",
        [election_id],
        |r| r.get(0),
    )?)
}

/// Every stored version of one bureau's return, oldest first, as the
/// public record lists them: what a phone that lost its own gets back.
pub(super) fn of_bureau(
    conn: &Connection,
    election_id: &str,
    bureau: &str,
) -> Result<Vec<RecordEntry>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT election_sequence, id, bureau, version, received_at, bytes FROM return_version
         WHERE election_id = ?1 AND bureau = ?2 ORDER BY version",
    )?;
    let rows = stmt.query_map(rusqlite::params![election_id, bureau], record_entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
