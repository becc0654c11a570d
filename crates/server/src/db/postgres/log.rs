//! An election's log in PostgreSQL, as SQLite keeps it (`sqlite/log.rs`):
//! a return's leaf is its row, every other leaf a row of `log_entry`.
//! `election.last_sequence` is the last leaf's index; every write that
//! appends holds the election's row lock, so indices run without a gap
//! whichever node appends.

use super::super::DbError;
use super::super::model::{self, Leaf, LeafHash, NewLeaf, return_leaf};
use deadpool_postgres::GenericClient;
use deadpool_postgres::Transaction;
use pointage_core::log::Hash;

/// Appends a leaf that is not a return's at `index`, and makes it the
/// election's last (its row must be locked).
pub(super) async fn append(
    tx: &Transaction<'_>,
    election_id: &str,
    index: i64,
    leaf: &NewLeaf,
) -> Result<(), DbError> {
    append_all(tx, election_id, &[(index, leaf)]).await
}

/// Appends several leaves at once (an enrollment batch's keys).
pub(super) async fn append_all(
    tx: &Transaction<'_>,
    election_id: &str,
    leaves: &[(i64, &NewLeaf)],
) -> Result<(), DbError> {
    if leaves.is_empty() {
        return Ok(());
    }
    let stmt = tx
        .prepare_cached(
            "INSERT INTO log_entry (election_id, idx, bureau, at, hash, entry)
             SELECT $1, i, b, a, h, e FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::BIGINT[],
                 $5::BYTEA[], $6::BYTEA[]) AS t (i, b, a, h, e)",
        )
        .await?;
    let indices: Vec<i64> = leaves.iter().map(|(i, _)| *i).collect();
    let bureaux: Vec<Option<&str>> = leaves.iter().map(|(_, l)| l.bureau.as_deref()).collect();
    let ats: Vec<i64> = leaves.iter().map(|(_, l)| l.at as i64).collect();
    let hashes: Vec<&[u8]> = leaves.iter().map(|(_, l)| &l.hash[..]).collect();
    let entries: Vec<&[u8]> = leaves.iter().map(|(_, l)| &l.bytes[..]).collect();
    tx.execute(
        &stmt,
        &[&election_id, &indices, &bureaux, &ats, &hashes, &entries],
    )
    .await?;
    let last = indices.iter().max().copied().unwrap_or(0);
    let last_at = ats.iter().max().copied().unwrap_or(0);
    tx.execute(
        "UPDATE election SET last_sequence = GREATEST(last_sequence, $2),
             last_at = GREATEST(last_at, $3) WHERE id = $1",
        &[&election_id, &last, &last_at],
    )
    .await?;
    Ok(())
}

/// How many leaves the election's log has (0: no such election).
pub(super) async fn size(c: &impl GenericClient, election_id: &str) -> Result<u64, DbError> {
    let stmt = c
        .prepare_cached("SELECT last_sequence + 1 FROM election WHERE id = $1")
        .await?;
    Ok(c.query_opt(&stmt, &[&election_id])
        .await?
        .map_or(0, |r| r.get::<_, i64>(0) as u64))
}

fn hash_of(id: &str, bytes: &[u8]) -> Result<Hash, DbError> {
    bytes
        .try_into()
        .map_err(|_| model::corrupt(id, "a leaf hash is not 32 bytes"))
}

/// Every leaf's index, time and hash from `from` on, in order.
pub(super) async fn hashes(
    c: &impl GenericClient,
    election_id: &str,
    from: u64,
) -> Result<Vec<LeafHash>, DbError> {
    let stmt = c
        .prepare_cached(
            "SELECT idx, at, hash FROM log_entry WHERE election_id = $1 AND idx >= $2
             UNION ALL
             SELECT election_sequence, received_at, leaf_hash FROM return_version
             WHERE election_id = $1 AND election_sequence >= $2
             ORDER BY 1",
        )
        .await?;
    c.query(&stmt, &[&election_id, &(from as i64)])
        .await?
        .iter()
        .map(|r| {
            Ok(LeafHash {
                index: r.get::<_, i64>(0) as u64,
                at: r.get::<_, i64>(1) as u64,
                hash: hash_of(election_id, r.get(2))?,
            })
        })
        .collect()
}

fn leaf(r: &tokio_postgres::Row) -> Leaf {
    let index = r.get::<_, i64>(0) as u64;
    let bytes = match r.get::<_, Option<Vec<u8>>>(1) {
        Some(entry) => entry,
        None => return_leaf(r.get::<_, i64>(2) as u64, r.get::<_, &[u8]>(3)),
    };
    Leaf { index, bytes }
}

/// Up to `limit` leaves from `from` to before `upto`, in order.
pub(super) async fn leaves(
    c: &impl GenericClient,
    election_id: &str,
    from: u64,
    upto: u64,
    limit: u32,
) -> Result<Vec<Leaf>, DbError> {
    let stmt = c
        .prepare_cached(
            "SELECT idx, entry, NULL::BIGINT, NULL::BYTEA FROM log_entry
             WHERE election_id = $1 AND idx >= $2 AND idx < $3
             UNION ALL
             SELECT election_sequence, NULL, received_at, bytes FROM return_version
             WHERE election_id = $1 AND election_sequence >= $2 AND election_sequence < $3
             ORDER BY 1 LIMIT $4",
        )
        .await?;
    let rows = c
        .query(
            &stmt,
            &[
                &election_id,
                &(from as i64),
                &(upto as i64),
                &i64::from(limit),
            ],
        )
        .await?;
    Ok(rows.iter().map(leaf).collect())
}

/// Every leaf of one bureau before `upto`, in order.
pub(super) async fn of_bureau(
    c: &impl GenericClient,
    election_id: &str,
    bureau: &str,
    upto: u64,
) -> Result<Vec<Leaf>, DbError> {
    let stmt = c
        .prepare_cached(
            "SELECT idx, entry, NULL::BIGINT, NULL::BYTEA FROM log_entry
             WHERE election_id = $1 AND bureau = $2 AND idx < $3
             UNION ALL
             SELECT election_sequence, NULL, received_at, bytes FROM return_version
             WHERE election_id = $1 AND bureau = $2 AND election_sequence < $3
             ORDER BY 1",
        )
        .await?;
    let rows = c
        .query(&stmt, &[&election_id, &bureau, &(upto as i64)])
        .await?;
    Ok(rows.iter().map(leaf).collect())
}

/// Document `id` kept in `table`, if it is stored already (see
/// `model::stored_copy_sql`).
pub(super) async fn stored_copy(
    c: &impl GenericClient,
    table: &'static str,
    id: &str,
) -> Result<Option<model::Stored>, DbError> {
    c.query_opt(&model::stored_copy_sql(table, "$1"), &[&id])
        .await?
        .map(|row| model::stored_again(id, row.get(0), row.get(1), row.get(2)))
        .transpose()
}
