//! Turnout reports in SQLite: each is a leaf of `log_entry`, found by its
//! row in `turnout_report` (by id, and a bureau's latest version of a
//! checkpoint).

use super::super::DbError;
use super::super::model::{IngestError, ReportToStore, Stored};
use super::enrollment::enrolled_key;
use rusqlite::{Connection, OptionalExtension, params};

/// Stores a report core has checked, if its key is still the bureau's and
/// it follows the bureau's latest version of its checkpoint; the same
/// report again is found, not stored twice. Runs inside the caller's
/// transaction.
pub(super) fn ingest(
    conn: &Connection,
    w: &ReportToStore,
    now: u64,
) -> Result<Stored, IngestError> {
    let (r, b) = (&w.report, w.report.body());
    if let Some(again) = super::log::stored_copy(conn, "turnout_report", r.id())? {
        return Ok(again);
    }
    if super::closure(conn, &b.election_id)?.is_some() {
        return Err(IngestError::Closed);
    }
    let key = enrolled_key(conn, &b.election_id, &b.bureau)?;
    let latest: Option<(String, u32)> = conn
        .prepare_cached(
            "SELECT id, version FROM turnout_report
             WHERE election_id = ?1 AND bureau = ?2 AND checkpoint = ?3
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![b.election_id, b.bureau, b.checkpoint], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    w.check_new(key, latest)?;
    let mut leaf = None;
    let (idx, at) = super::log::push(conn, &b.election_id, now, |at| {
        let l = w.leaf(at)?;
        leaf = Some(l.hash);
        Ok(l)
    })?;
    conn.prepare_cached(
        "INSERT INTO turnout_report
         (id, election_id, bureau, checkpoint, version, idx, received_at, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        r.id(),
        b.election_id,
        b.bureau,
        b.checkpoint,
        b.version,
        idx as i64,
        at as i64,
        w.bytes
    ])?;
    Ok(Stored {
        sequence: idx,
        received_at: at,
        new: true,
        leaf: leaf.ok_or_else(|| DbError::Invariant("a report's leaf was not made".into()))?,
        root: None,
    })
}

/// Every version of every report among the log's leaves `from..upto`: its
/// bytes and when it was received, in the log's order.
pub(super) fn between(
    conn: &Connection,
    election_id: &str,
    from: u64,
    upto: u64,
) -> Result<Vec<(Vec<u8>, u64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT bytes, received_at FROM turnout_report
         WHERE election_id = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![election_id, from as i64, upto as i64],
        |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)? as u64)),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
