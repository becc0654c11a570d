//! The server's key in SQLite: one row, created on first start.

use super::super::DbError;
use super::super::model::ServerKey;
use rusqlite::{Connection, OptionalExtension};

/// The server's key, created (from the system's random source) if there is
/// none yet.
pub(super) fn load_or_create(conn: &mut Connection) -> Result<ServerKey, DbError> {
    let tx = conn.transaction()?;
    let stored: Option<Vec<u8>> = tx
        .query_row("SELECT secret FROM server_key WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let key = match stored {
        Some(bytes) => ServerKey::from_stored(&bytes)?,
        None => {
            let secret = ServerKey::new_secret()?;
            let key = ServerKey::from_stored(&secret)?;
            tx.execute(
                "INSERT INTO server_key (id, secret, public_key) VALUES (1, ?1, ?2)",
                rusqlite::params![&secret[..], key.public],
            )?;
            key
        }
    };
    tx.commit()?;
    Ok(key)
}
