//! The paper PV's photos in SQLite: each document a leaf of `log_entry`,
//! found by its row in `photo_set`; each page it names a row of
//! `photo_page`, each piece held a row of `photo_piece`.

use super::super::DbError;
use super::super::model::{IngestError, Stored};
use super::super::photos::{
    PhotosToStore, StoredPage, held_pictures, page_of, pages_column, pieces_column, whole,
};
use super::super::port::BureauPictures;
use super::enrollment::enrolled_key;
use rusqlite::{Connection, OptionalExtension, params};

/// Stores a photo document core has checked (see `PhotosToStore`); the
/// same document again is found, not stored twice. Runs inside the
/// caller's transaction.
pub(super) fn ingest(
    conn: &Connection,
    w: &PhotosToStore,
    now: u64,
) -> Result<Stored, IngestError> {
    let (p, b) = (&w.photos, w.photos.body());
    if let Some(again) = super::log::stored_copy(conn, "photo_set", p.id())? {
        return Ok(again);
    }
    if super::closure(conn, &b.election_id)?.is_some() {
        return Err(IngestError::Closed);
    }
    let key = enrolled_key(conn, &b.election_id, &b.bureau)?;
    let ret: Option<(String, u32)> = conn
        .prepare_cached(
            "SELECT bureau, version FROM return_version WHERE id = ?1 AND election_id = ?2",
        )?
        .query_row(params![b.return_id, b.election_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let latest: Option<(String, u32)> = conn
        .prepare_cached(
            "SELECT id, version FROM photo_set WHERE election_id = ?1 AND bureau = ?2
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![b.election_id, b.bureau], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    w.check_new(key, ret, latest)?;
    let mut leaf = None;
    let (idx, at) = super::log::push(conn, &b.election_id, now, |at| {
        let l = w.leaf(at)?;
        leaf = Some(l.hash);
        Ok(l)
    })?;
    conn.prepare_cached(
        "INSERT INTO photo_set
         (id, election_id, bureau, version, return_id, pages, idx, received_at, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        p.id(),
        b.election_id,
        b.bureau,
        b.version,
        b.return_id,
        pages_column(&b.pages),
        idx as i64,
        at as i64,
        w.bytes
    ])?;
    for page in &b.pages {
        conn.prepare_cached(
            "INSERT INTO photo_page (sha256, election_id, bureau, number, media_type, size, pieces)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![
            page.sha256,
            b.election_id,
            b.bureau,
            page.number,
            page.media_type,
            page.size as i64,
            pieces_column(page)
        ])?;
    }
    Ok(Stored {
        sequence: idx,
        received_at: at,
        new: true,
        leaf: leaf.ok_or_else(|| DbError::Invariant("a photo leaf was not made".into()))?,
        root: None,
    })
}

/// The page whose picture has this SHA-256, with the pieces held.
pub(super) fn page(conn: &Connection, sha256: &str) -> Result<Option<StoredPage>, DbError> {
    let row: Option<(String, String, u32, String, i64, String)> = conn
        .prepare_cached(
            "SELECT election_id, bureau, number, media_type, size, pieces FROM photo_page
             WHERE sha256 = ?1",
        )?
        .query_row([sha256], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
    let Some((election_id, bureau, number, media_type, size, pieces)) = row else {
        return Ok(None);
    };
    let held = conn
        .prepare_cached("SELECT n FROM photo_piece WHERE sha256 = ?1 ORDER BY n")?
        .query_map([sha256], |r| r.get::<_, u32>(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(StoredPage {
        election_id,
        bureau,
        page: page_of(sha256.to_owned(), number, media_type, size as u64, &pieces)?,
        held,
    }))
}

/// Keeps piece `n` of a page (checked against its hash by the caller;
/// a piece held already is kept as it was) and says which pieces are held
/// now. The picture's last piece moves the results stamp.
pub(super) fn put_piece(
    conn: &Connection,
    stored: &StoredPage,
    n: u32,
    bytes: &[u8],
) -> Result<Vec<u32>, DbError> {
    let sha256 = &stored.page.sha256;
    let new = conn
        .prepare_cached(
            "INSERT INTO photo_piece (sha256, n, bytes) VALUES (?1, ?2, ?3)
             ON CONFLICT (sha256, n) DO NOTHING",
        )?
        .execute(params![sha256, n, bytes])?
        > 0;
    let held: Vec<u32> = conn
        .prepare_cached("SELECT n FROM photo_piece WHERE sha256 = ?1 ORDER BY n")?
        .query_map([sha256], |r| r.get::<_, u32>(0))?
        .collect::<Result<_, _>>()?;
    if new && held.len() == stored.page.pieces.len() {
        conn.prepare_cached(
            "UPDATE results_stamp SET changes = changes + 1 WHERE election_id = ?1",
        )?
        .execute([&stored.election_id])?;
    }
    Ok(held)
}

/// The whole picture and its media type, once every piece is held.
pub(super) fn picture(
    conn: &Connection,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    let Some(stored) = page(conn, sha256)? else {
        return Ok(None);
    };
    let pieces = conn
        .prepare_cached("SELECT n, bytes FROM photo_piece WHERE sha256 = ?1 ORDER BY n")?
        .query_map([sha256], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(whole(&stored.page, pieces).map(|b| (stored.page.media_type, b)))
}

/// Each bureau's latest photo document's pictures held whole.
pub(super) fn held(conn: &Connection, election_id: &str) -> Result<BureauPictures, DbError> {
    let latest = conn
        .prepare_cached(
            "SELECT s.bureau, s.pages FROM photo_set s WHERE s.election_id = ?1 AND s.version =
             (SELECT MAX(t.version) FROM photo_set t
              WHERE t.election_id = s.election_id AND t.bureau = s.bureau)",
        )?
        .query_map([election_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let whole = conn
        .prepare_cached(
            "SELECT p.sha256 FROM photo_page p WHERE p.election_id = ?1
             AND (SELECT COUNT(*) FROM photo_piece x WHERE x.sha256 = p.sha256) * 64
                 = length(p.pieces)",
        )?
        .query_map([election_id], |r| r.get::<_, String>(0))?
        .collect::<Result<std::collections::BTreeSet<_>, _>>()?;
    Ok(held_pictures(latest, &whole))
}
