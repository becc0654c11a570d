//! An election stored, with a code for each bureau, and an election
//! closed, on PostgreSQL (`store.rs` opens and commits the transaction).

use super::super::model::{self, Closure, IssuedCode, encode_election, leaves};
use super::super::{DbError, Secrets};
use super::rows::{changed, closure};
use super::{batch, details, log};
use deadpool_postgres::{GenericClient, Transaction};
use pointage_core::Election;
use pointage_core::operator::Actor;
use pointage_core::roster::BureauDetails;

/// Stores `e` (its first leaf `opened`) and a code for each of its
/// bureaux, those of the election `carry_from` carried over; `None` when
/// `only_first` and an election is there already (several nodes starting
/// on an empty database: one stores it, the others find it).
#[allow(clippy::too_many_arguments)]
pub(super) async fn store(
    tx: &Transaction<'_>,
    e: &Election,
    opened: &model::NewLeaf,
    secrets: &Secrets,
    only_first: bool,
    carry_from: Option<&str>,
    bureau_details: &[BureauDetails],
    now: u64,
) -> Result<Option<Vec<IssuedCode>>, DbError> {
    if only_first {
        tx.batch_execute("LOCK TABLE election IN SHARE ROW EXCLUSIVE MODE")
            .await?;
        let n: i64 = tx
            .query_one("SELECT COUNT(*) FROM election", &[])
            .await?
            .get(0);
        if n > 0 {
            return Ok(None);
        }
    }
    tx.execute(
        "INSERT INTO election (id, hash, definition) VALUES ($1, $2, $3)",
        &[&e.id(), &e.hash(), &encode_election(e)?],
    )
    .await?;
    log::append(tx, e.id(), 0, opened).await?;
    // A new election has no code yet: one per bureau, in one statement.
    let mut codes = Vec::with_capacity(e.bureaux().len());
    let mut hashes = Vec::with_capacity(e.bureaux().len());
    for b in e.bureaux() {
        let (issued, hash) = model::new_code(secrets, e.id(), &b.code)?;
        codes.push(issued);
        hashes.push(hash);
    }
    let bureaux: Vec<&str> = codes.iter().map(|c| c.bureau.as_str()).collect();
    tx.execute(
        "INSERT INTO enrollment_code (code_hash, election_id, bureau, state, issued_at)
         SELECT h, $1, b, 'issued', $2 FROM UNNEST($3::TEXT[], $4::TEXT[]) AS t (h, b)",
        &[&e.id(), &(now as i64), &hashes, &bureaux],
    )
    .await?;
    let codes = match carry_from {
        Some(from) => batch::carry(tx, secrets, from, codes, now).await?,
        None => codes,
    };
    details::store(tx, e.id(), bureau_details).await?;
    changed(tx, e.id()).await?;
    Ok(Some(codes))
}

/// Closes election `id` at `now` (or at its last receipt's time if later)
/// by `by`, its closure a leaf of the log; the closure it already had, if
/// closed before; `None` for an election not stored here.
pub(super) async fn close(
    tx: &Transaction<'_>,
    id: &str,
    now: u64,
    by: Actor,
) -> Result<Option<Closure>, DbError> {
    // Under the election's lock: no return is stored after the closure's
    // last receipt.
    let Some(row) = tx
        .query_opt(
            "SELECT last_sequence, closed_at, closed_sequence, last_at FROM election
             WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?
    else {
        return Ok(None);
    };
    if let Some(c) = closure(&row) {
        return Ok(Some(c));
    }
    let last: i64 = row.get::<_, i64>(0) + 1;
    let at = now.max(row.get::<_, i64>(3) as u64);
    log::append(tx, id, last, &leaves::closed(at, Some(by))?).await?;
    tx.execute(
        "UPDATE election SET closed_at = $2, closed_sequence = $3, changes = changes + 1
         WHERE id = $1",
        &[&id, &(at as i64), &last],
    )
    .await?;
    Ok(Some(Closure {
        closed_at: at,
        last_sequence: last as u64,
    }))
}
