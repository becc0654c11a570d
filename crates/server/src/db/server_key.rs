//! The server's Ed25519 key, which signs receipts. Created on first start and
//! kept in the database; its public half is given to every device at
//! enrollment and published with the record. The secret never leaves here
//! and is never logged.

use super::DbError;
use crate::system;
use pointage_core::ReceiptSigner;
use pointage_core::signed_return::public_key_hex;
use rusqlite::{Connection, OptionalExtension};
use std::sync::Arc;

#[derive(Clone)]
pub struct ServerKey {
    /// Lowercase hex.
    pub public: String,
    /// Signs receipts (the secret, expanded once).
    pub signer: Arc<ReceiptSigner>,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// The server's key, created (from the system's random source) if there is
/// none yet.
pub(super) fn load_or_create(conn: &mut Connection) -> Result<ServerKey, DbError> {
    let tx = conn.transaction()?;
    let stored: Option<Vec<u8>> = tx
        .query_row("SELECT secret FROM server_key WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let secret: [u8; 32] = match stored {
        Some(bytes) => bytes
            .try_into()
            .map_err(|_| DbError::Task("the stored server key is not 32 bytes".into()))?,
        None => {
            let secret = system::random::<32>().map_err(DbError::Random)?;
            tx.execute(
                "INSERT INTO server_key (id, secret, public_key) VALUES (1, ?1, ?2)",
                rusqlite::params![&secret[..], public_key_hex(&secret)],
            )?;
            secret
        }
    };
    tx.commit()?;
    Ok(ServerKey {
        public: public_key_hex(&secret),
        signer: Arc::new(ReceiptSigner::new(&secret)),
    })
}
