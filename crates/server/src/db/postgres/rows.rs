//! What the port's operations on PostgreSQL share (`store.rs`): a
//! snapshot to read from, the election's row lock, the results stamp, a
//! bureau's key, the rows read back; a turnout report stored; the logs of
//! elections made before schema 3.

use super::super::model::{Closure, IngestError, RecordEntry, Stored};
use super::super::{DbError, ReportToStore};
use super::log;
use deadpool_postgres::{GenericClient, Transaction};
use tokio_postgres::IsolationLevel;

/// A read-only transaction that sees one moment of the database.
pub(super) async fn snapshot(
    c: &mut deadpool_postgres::Client,
) -> Result<Transaction<'_>, DbError> {
    Ok(c.build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}

/// Locks an election's row until the transaction ends: everything that
/// writes for an election takes it first. Its last leaf's index and time.
/// Refused once the election is closed.
pub(super) async fn lock_election(
    tx: &Transaction<'_>,
    election_id: &str,
) -> Result<(i64, i64), DbError> {
    let row = tx
        .query_opt(
            "SELECT last_sequence, closed_at, last_at FROM election WHERE id = $1 FOR UPDATE",
            &[&election_id],
        )
        .await?
        .ok_or_else(|| DbError::Invariant(format!("there is no election {election_id}")))?;
    if row.get::<_, Option<i64>>(1).is_some() {
        return Err(DbError::Closed(election_id.to_owned()));
    }
    Ok((row.get(0), row.get(2)))
}

/// A turnout report stored as SQLite's `reports::ingest` does, under the
/// election's row lock (so its leaf's index follows on whichever node
/// appends).
pub(super) async fn store_report(
    tx: &Transaction<'_>,
    w: &ReportToStore,
    now: u64,
) -> Result<Stored, IngestError> {
    let (r, b) = (&w.report, w.report.body());
    if let Some(again) = log::stored_copy(tx, "turnout_report", r.id()).await? {
        return Ok(again);
    }
    let (last, last_at) = match lock_election(tx, &b.election_id).await {
        Err(DbError::Closed(_)) => return Err(IngestError::Closed),
        other => other?,
    };
    let key = enrolled_key(tx, &b.election_id, &b.bureau).await?;
    let latest = tx
        .query_opt(
            "SELECT id, version FROM turnout_report
             WHERE election_id = $1 AND bureau = $2 AND checkpoint = $3
             ORDER BY version DESC LIMIT 1",
            &[&b.election_id, &b.bureau, &b.checkpoint],
        )
        .await?
        .map(|row| (row.get::<_, String>(0), row.get::<_, i32>(1) as u32));
    w.check_new(key, latest)?;
    let at = now.max(last_at as u64);
    let leaf = w.leaf(at)?;
    let index = last + 1;
    log::append(tx, &b.election_id, index, &leaf).await?;
    tx.execute(
        "INSERT INTO turnout_report
         (id, election_id, bureau, checkpoint, version, idx, received_at, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &r.id(),
            &b.election_id,
            &b.bureau,
            &b.checkpoint,
            &(b.version as i32),
            &index,
            &(at as i64),
            &w.bytes,
        ],
    )
    .await?;
    changed(tx, &b.election_id).await?;
    Ok(Stored {
        sequence: index as u64,
        received_at: at,
        new: true,
        leaf: leaf.hash,
        root: None,
    })
}

/// What the results depend on changed (the results stamp moves).
pub(super) async fn changed(tx: &Transaction<'_>, election_id: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE election SET changes = changes + 1 WHERE id = $1",
        &[&election_id],
    )
    .await?;
    Ok(())
}

pub(super) async fn enrolled_key(
    c: &impl GenericClient,
    election_id: &str,
    bureau: &str,
) -> Result<Option<String>, DbError> {
    let stmt = c
        .prepare_cached(
            "SELECT device_key FROM enrollment_code
             WHERE election_id = $1 AND bureau = $2 AND state = 'used'
             ORDER BY used_at DESC LIMIT 1",
        )
        .await?;
    Ok(c.query_opt(&stmt, &[&election_id, &bureau])
        .await?
        .map(|r| r.get(0)))
}

/// The closure of a row of `last_sequence, closed_at, closed_sequence`
/// from `election`, if it is closed.
pub(super) fn closure(r: &tokio_postgres::Row) -> Option<Closure> {
    Some(Closure {
        closed_at: r.get::<_, Option<i64>>(1)? as u64,
        last_sequence: r.get::<_, Option<i64>>(2)? as u64,
    })
}

pub(super) fn record_entry(r: &tokio_postgres::Row) -> RecordEntry {
    RecordEntry {
        sequence: r.get::<_, i64>(0) as u64,
        id: r.get(1),
        bureau: r.get(2),
        version: r.get::<_, i32>(3) as u32,
        received_at: r.get::<_, i64>(4) as u64,
        bytes: r.get(5),
    }
}

/// Gives every election stored before schema 3 its log (`model::rebuild`),
/// in the migration's transaction.
pub(super) async fn rebuild_logs(tx: &Transaction<'_>) -> Result<(), DbError> {
    use super::super::model::{Legacy, Rebuilt, rebuild};
    let without = tx
        .query(
            "SELECT id, hash, closed_at FROM election WHERE NOT EXISTS
             (SELECT 1 FROM log_entry WHERE log_entry.election_id = election.id AND idx = 0)",
            &[],
        )
        .await?;
    if without.is_empty() {
        return Ok(());
    }
    let Some(key) = tx
        .query_opt("SELECT public_key FROM server_key WHERE id = 1", &[])
        .await?
    else {
        return Err(DbError::Storage(
            "elections are stored but no server key: the database is not Pointage's".into(),
        ));
    };
    let server_key: String = key.get(0);
    for row in without {
        let id: String = row.get(0);
        let opened_at: i64 = tx
            .query_one(
                "SELECT COALESCE(MIN(issued_at), 0) FROM enrollment_code WHERE election_id = $1",
                &[&id],
            )
            .await?
            .get(0);
        let returns = tx
            .query(
                "SELECT id, election_sequence, received_at, bytes FROM return_version
                 WHERE election_id = $1 ORDER BY election_sequence",
                &[&id],
            )
            .await?
            .iter()
            .map(|r| {
                (
                    r.get::<_, String>(0),
                    r.get::<_, i64>(1) as u64,
                    r.get::<_, i64>(2) as u64,
                    r.get::<_, Vec<u8>>(3),
                )
            })
            .collect();
        let keys = tx
            .query(
                "SELECT bureau, device_key, COALESCE(used_at, 0), COALESCE(enrolled_after, 0),
                        CASE WHEN state = 'revoked' THEN revoked_after END
                 FROM enrollment_code WHERE election_id = $1 AND device_key IS NOT NULL
                 ORDER BY used_at",
                &[&id],
            )
            .await?
            .iter()
            .map(|r| {
                (
                    r.get::<_, String>(0),
                    r.get::<_, String>(1),
                    r.get::<_, i64>(2) as u64,
                    r.get::<_, i64>(3) as u64,
                    r.get::<_, Option<i64>>(4).map(|n| n as u64),
                )
            })
            .collect();
        let legacy = Legacy {
            election_id: id.clone(),
            election_hash: row.get(1),
            server_key: server_key.clone(),
            opened_at: opened_at as u64,
            returns,
            keys,
            closed_at: row.get::<_, Option<i64>>(2).map(|c| c as u64),
        };
        tx.execute(
            "UPDATE return_version SET election_sequence = -election_sequence
             WHERE election_id = $1",
            &[&id],
        )
        .await?;
        let (mut last, mut last_at) = (0i64, 0i64);
        for leaf in rebuild(&legacy)? {
            match leaf {
                Rebuilt::Return {
                    id: rid,
                    index,
                    at,
                    hash,
                } => {
                    tx.execute(
                        "UPDATE return_version SET election_sequence = $2, received_at = $3,
                         leaf_hash = $4 WHERE id = $1",
                        &[&rid, &(index as i64), &(at as i64), &&hash[..]],
                    )
                    .await?;
                    (last, last_at) = (last.max(index as i64), last_at.max(at as i64));
                }
                Rebuilt::Other { index, leaf } => {
                    log::append(tx, &id, index as i64, &leaf).await?;
                    (last, last_at) = (last.max(index as i64), last_at.max(leaf.at as i64));
                }
            }
        }
        tx.execute(
            "UPDATE election SET last_sequence = $2, last_at = $3,
                 closed_sequence = CASE WHEN closed_at IS NULL THEN NULL ELSE $2::BIGINT END
             WHERE id = $1",
            &[&id, &last, &last_at],
        )
        .await?;
    }
    Ok(())
}
