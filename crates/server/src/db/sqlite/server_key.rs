//! The server's key in SQLite: one row, created on first start; its
//! secret in the row, or in a file of its own (`secrets.rs`).

use super::super::DbError;
use super::super::model::ServerKey;
use super::super::secrets::{KeepSecret, Secrets};
use rusqlite::{Connection, OptionalExtension};

/// The server's key, created (from the system's random source) if there is
/// none yet, its secret kept where `secrets` says.
pub(super) fn load_or_create(
    conn: &mut Connection,
    secrets: &Secrets,
) -> Result<ServerKey, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let stored: Option<(Option<Vec<u8>>, String)> = tx
        .query_row(
            "SELECT secret, public_key FROM server_key WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (key, keep) = secrets.server_key(stored)?;
    match keep {
        KeepSecret::As => {}
        KeepSecret::Insert(secret) => {
            tx.execute(
                "INSERT INTO server_key (id, secret, public_key) VALUES (1, ?1, ?2)",
                rusqlite::params![secret, key.public],
            )?;
        }
        KeepSecret::Forget => {
            tx.execute("UPDATE server_key SET secret = NULL WHERE id = 1", [])?;
        }
    }
    tx.commit()?;
    Ok(key)
}
