//! The paper PV's photos on PostgreSQL, as SQLite's `photos.rs`: a
//! document stored under the election's row lock (its leaf's index
//! follows on whichever node appends), the pictures' pieces in the
//! database, so that any node serves them.

use super::super::DbError;
use super::super::model::{IngestError, Stored};
use super::super::photos::{
    PhotosToStore, StoredPage, held_pictures, page_of, pages_column, pieces_column, whole,
};
use super::super::port::BureauPictures;
use super::log;
use super::rows::{changed, enrolled_key, lock_election};
use deadpool_postgres::{GenericClient, Transaction};

pub(super) async fn ingest(
    tx: &Transaction<'_>,
    w: &PhotosToStore,
    now: u64,
) -> Result<Stored, IngestError> {
    let (p, b) = (&w.photos, w.photos.body());
    if let Some(again) = log::stored_copy(tx, "photo_set", p.id()).await? {
        return Ok(again);
    }
    let (last, last_at) = match lock_election(tx, &b.election_id).await {
        Err(DbError::Closed(_)) => return Err(IngestError::Closed),
        other => other?,
    };
    let key = enrolled_key(tx, &b.election_id, &b.bureau).await?;
    let ret = tx
        .query_opt(
            "SELECT bureau, version FROM return_version WHERE id = $1 AND election_id = $2",
            &[&b.return_id, &b.election_id],
        )
        .await?
        .map(|row| (row.get::<_, String>(0), row.get::<_, i32>(1) as u32));
    let latest = tx
        .query_opt(
            "SELECT id, version FROM photo_set WHERE election_id = $1 AND bureau = $2
             ORDER BY version DESC LIMIT 1",
            &[&b.election_id, &b.bureau],
        )
        .await?
        .map(|row| (row.get::<_, String>(0), row.get::<_, i32>(1) as u32));
    w.check_new(key, ret, latest)?;
    let at = now.max(last_at as u64);
    let leaf = w.leaf(at)?;
    let index = last + 1;
    log::append(tx, &b.election_id, index, &leaf).await?;
    tx.execute(
        "INSERT INTO photo_set
         (id, election_id, bureau, version, return_id, pages, idx, received_at, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &p.id(),
            &b.election_id,
            &b.bureau,
            &(b.version as i32),
            &b.return_id,
            &pages_column(&b.pages),
            &index,
            &(at as i64),
            &w.bytes,
        ],
    )
    .await?;
    for page in &b.pages {
        tx.execute(
            "INSERT INTO photo_page (sha256, election_id, bureau, number, media_type, size, pieces)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING",
            &[
                &page.sha256,
                &b.election_id,
                &b.bureau,
                &(page.number as i32),
                &page.media_type,
                &(page.size as i64),
                &pieces_column(page),
            ],
        )
        .await?;
    }
    changed(tx, &b.election_id).await?;
    Ok(Stored {
        sequence: index as u64,
        received_at: at,
        new: true,
        leaf: leaf.hash,
        root: None,
    })
}

async fn held_of(c: &impl GenericClient, sha256: &str) -> Result<Vec<u32>, DbError> {
    Ok(c.query(
        "SELECT n FROM photo_piece WHERE sha256 = $1 ORDER BY n",
        &[&sha256],
    )
    .await?
    .iter()
    .map(|r| r.get::<_, i32>(0) as u32)
    .collect())
}

pub(super) async fn page(
    c: &impl GenericClient,
    sha256: &str,
) -> Result<Option<StoredPage>, DbError> {
    let Some(row) = c
        .query_opt(
            "SELECT election_id, bureau, number, media_type, size, pieces FROM photo_page
             WHERE sha256 = $1",
            &[&sha256],
        )
        .await?
    else {
        return Ok(None);
    };
    let pieces: String = row.get(5);
    Ok(Some(StoredPage {
        election_id: row.get(0),
        bureau: row.get(1),
        page: page_of(
            sha256.to_owned(),
            row.get::<_, i32>(2) as u32,
            row.get(3),
            row.get::<_, i64>(4) as u64,
            &pieces,
        )?,
        held: held_of(c, sha256).await?,
    }))
}

/// As SQLite's: kept once, the pieces held said; the last one moves
/// `changes`.
pub(super) async fn put_piece(
    tx: &Transaction<'_>,
    stored: &StoredPage,
    n: u32,
    bytes: &[u8],
) -> Result<Vec<u32>, DbError> {
    let sha256 = &stored.page.sha256;
    let new = tx
        .execute(
            "INSERT INTO photo_piece (sha256, n, bytes) VALUES ($1, $2, $3)
             ON CONFLICT (sha256, n) DO NOTHING",
            &[sha256, &(n as i32), &bytes],
        )
        .await?
        > 0;
    let held = held_of(tx, sha256).await?;
    if new && held.len() == stored.page.pieces.len() {
        changed(tx, &stored.election_id).await?;
    }
    Ok(held)
}

pub(super) async fn picture(
    c: &impl GenericClient,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    let Some(stored) = page(c, sha256).await? else {
        return Ok(None);
    };
    let pieces = c
        .query(
            "SELECT n, bytes FROM photo_piece WHERE sha256 = $1 ORDER BY n",
            &[&sha256],
        )
        .await?
        .iter()
        .map(|r| (r.get::<_, i32>(0) as u32, r.get::<_, Vec<u8>>(1)))
        .collect();
    Ok(whole(&stored.page, pieces).map(|b| (stored.page.media_type, b)))
}

pub(super) async fn held(
    c: &impl GenericClient,
    election_id: &str,
) -> Result<BureauPictures, DbError> {
    let latest = c
        .query(
            "SELECT DISTINCT ON (bureau) bureau, pages FROM photo_set WHERE election_id = $1
             ORDER BY bureau, version DESC",
            &[&election_id],
        )
        .await?
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
        .collect();
    let whole = c
        .query(
            "SELECT p.sha256 FROM photo_page p WHERE p.election_id = $1
             AND (SELECT COUNT(*) FROM photo_piece x WHERE x.sha256 = p.sha256) * 64
                 = length(p.pieces)",
            &[&election_id],
        )
        .await?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    Ok(held_pictures(latest, &whole))
}
