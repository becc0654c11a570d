//! The server's key in PostgreSQL, as SQLite's `server_key.rs`: one row,
//! made by the first of several nodes starting at once.

use super::super::DbError;
use super::super::model::ServerKey;
use super::super::secrets::{KeepSecret, Secrets};
use super::client;
use deadpool_postgres::Pool;

/// The server's key, created if there is none yet, its secret kept where
/// `secrets` says.
pub(super) async fn load_or_create(pool: &Pool, secrets: &Secrets) -> Result<ServerKey, DbError> {
    let mut c = client(pool).await?;
    let tx = c.transaction().await?;
    // Of several nodes starting at once, one makes the key and the
    // others wait, then read it back.
    tx.batch_execute("LOCK TABLE server_key IN SHARE ROW EXCLUSIVE MODE")
        .await?;
    let stored = tx
        .query_opt(
            "SELECT secret, public_key FROM server_key WHERE id = 1",
            &[],
        )
        .await?
        .map(|r| (r.get::<_, Option<Vec<u8>>>(0), r.get::<_, String>(1)));
    let (key, keep) = secrets.server_key(stored)?;
    match keep {
        KeepSecret::As => {}
        KeepSecret::Insert(secret) => {
            tx.execute(
                "INSERT INTO server_key (id, secret, public_key) VALUES (1, $1, $2)",
                &[&secret, &key.public],
            )
            .await?;
        }
        KeepSecret::Forget => {
            tx.execute("UPDATE server_key SET secret = NULL WHERE id = 1", &[])
                .await?;
        }
    }
    tx.commit().await?;
    Ok(key)
}
