//! Signed returns and their receipts. Every version is kept, with the exact
//! bytes the bureau signed and the exact receipt the server signed back.

use super::DbError;
use super::enrollment::enrolled_key;
use super::server_key::ServerKey;
use pointage_core::{Election, Receipt, ReturnBody, SignedReturn, VerifyError};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;

/// A return stored (or found already stored) and its receipt.
#[derive(Clone, Debug)]
pub struct Stored {
    pub receipt: Receipt,
    /// False when the very same return had already been stored.
    pub new: bool,
}

/// Why a genuine return was not stored.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Refused(#[from] VerifyError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for IngestError {
    fn from(e: rusqlite::Error) -> Self {
        IngestError::Db(e.into())
    }
}

/// Stores a return whose signature has been checked, if core accepts it for
/// the election against the bureau's enrolled key and the latest version
/// already stored. The same return again gets the receipt it got the first
/// time. Runs inside the caller's transaction.
pub fn ingest(
    conn: &Connection,
    election: &Election,
    ret: &SignedReturn,
    server: &ServerKey,
    now: u64,
) -> Result<Stored, IngestError> {
    let existing: Option<Vec<u8>> = conn
        .query_row(
            "SELECT receipt FROM return_version WHERE id = ?1",
            [ret.id()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(bytes) = existing {
        let receipt = Receipt::from_bytes(&bytes).map_err(|e| corrupt(&e.to_string()))?;
        return Ok(Stored {
            receipt,
            new: false,
        });
    }
    let b = ret.body();
    let key = enrolled_key(conn, &b.election_id, &b.bureau)?.ok_or(VerifyError::KeyNotEnrolled)?;
    let latest: Option<Vec<u8>> = conn
        .query_row(
            "SELECT bytes FROM return_version WHERE election_id = ?1 AND bureau = ?2
             ORDER BY version DESC LIMIT 1",
            params![b.election_id, b.bureau],
            |r| r.get(0),
        )
        .optional()?;
    let latest = latest
        .map(|bytes| SignedReturn::from_bytes(&bytes))
        .transpose()
        .map_err(|e| corrupt(&e.to_string()))?;
    ret.check(election, &key, latest.as_ref())?;

    let sequence: i64 = conn.query_row(
        "SELECT COALESCE(MAX(sequence), 0) + 1 FROM return_version",
        [],
        |r| r.get(0),
    )?;
    let receipt = Receipt::sign(ret, sequence as u64, now, &server.secret)
        .map_err(|e| corrupt(&e.to_string()))?;
    let receipt_bytes = receipt.to_bytes().map_err(|e| corrupt(&e.to_string()))?;
    conn.execute(
        "INSERT INTO return_version
         (sequence, id, election_id, bureau, version, bytes, receipt, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            sequence,
            ret.id(),
            b.election_id,
            b.bureau,
            b.version,
            ret.to_bytes(),
            receipt_bytes,
            now as i64
        ],
    )?;
    Ok(Stored { receipt, new: true })
}

fn corrupt(reason: &str) -> DbError {
    DbError::Corrupt {
        id: "return_version".into(),
        reason: reason.to_owned(),
    }
}

/// The body of a stored return, read without checking its signature again
/// (it was checked when it was stored; the public record lets anyone check
/// it again).
#[derive(Deserialize)]
struct StoredBody {
    body: ReturnBody,
}

/// Every accepted version of every return of an election: `(id, body)`.
pub fn bodies(conn: &Connection, election_id: &str) -> Result<Vec<(String, ReturnBody)>, DbError> {
    let mut stmt = conn
        .prepare("SELECT id, bytes FROM return_version WHERE election_id = ?1 ORDER BY sequence")?;
    let rows = stmt.query_map([election_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, bytes) = row?;
        let stored: StoredBody =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(&e.to_string()))?;
        out.push((id, stored.body));
    }
    Ok(out)
}

/// One line of the public record: a return's exact bytes and its receipt's.
pub struct RecordEntry {
    pub sequence: u64,
    pub bytes: Vec<u8>,
    pub receipt: Vec<u8>,
}

/// Every version of every return of an election, in the order received.
pub fn record(conn: &Connection, election_id: &str) -> Result<Vec<RecordEntry>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT sequence, bytes, receipt FROM return_version WHERE election_id = ?1 ORDER BY sequence",
    )?;
    let rows = stmt.query_map([election_id], |r| {
        Ok(RecordEntry {
            sequence: r.get::<_, i64>(0)? as u64,
            bytes: r.get(1)?,
            receipt: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many returns (all versions) are stored for an election.
pub fn count(conn: &Connection, election_id: &str) -> Result<u64, DbError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM return_version WHERE election_id = ?1",
        [election_id],
        |r| r.get(0),
    )?)
}
