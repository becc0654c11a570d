//! The server's storage, behind one port (`port.rs`): every operation the
//! server does on its state, by name. No module outside `db/` sees a
//! connection, a transaction or SQL. Two backends implement the port:
//!
//! - `sqlite`: one file in the data directory, embedded, the default;
//! - `postgres`: a PostgreSQL database that several server processes share
//!   (`--database-url`), for a service that must survive a machine.
//!
//! What the two must decide alike (an election read back against its
//! hash, whether a code enrolls a key, whether a return is stored) is
//! decided here, in `model.rs`, from what each backend reads; the backends
//! only read and write.

mod board;
mod model;
pub mod operators;
mod photos;
mod port;
mod postgres;
pub mod secrets;
mod sqlite;

pub use model::{
    Closure, EnrollOutcome, IngestError, IssuedCode, Leaf, LeafHash, RecordEntry, ReportToStore,
    ServerKey, Stored, StoredReturn, ToStore,
};
pub use photos::{PhotosToStore, StoredPage};
pub use port::{BureauPictures, Db};
pub use secrets::Secrets;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database error: {}", chain(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The database could not be reached or did not store what it was
    /// given (the phone tries again later).
    #[error("the database failed: {0}")]
    Storage(String),
    #[error("the database holds an invalid election {id}: {reason}")]
    Corrupt { id: String, reason: String },
    #[error(
        "the database was written by a newer Pointage (schema {found}, this one knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    /// A task of the server stopped (the ingest writer, a database task).
    #[error("the database task failed: {0}")]
    Task(String),
    /// Something the server made could not be encoded (JSON, a header, a
    /// compressed part): a bug, not the client's.
    #[error("cannot encode {0}")]
    Encode(String),
    /// The server key could not sign something (a head, a receipt, a
    /// listing).
    #[error("cannot sign {0}")]
    Sign(String),
    /// What the server holds contradicts itself (a log that shrank, a leaf
    /// not stored, an election gone): a bug or a damaged database.
    #[error("the server's state contradicts itself: {0}")]
    Invariant(String),
    #[error("the election {0} is closed: its record is final")]
    Closed(String),
    #[error("no random bytes from the system: {0}")]
    Random(String),
    /// Too many reads wait already (`crate::bounded`): try again.
    #[error("too many requests wait for the database")]
    Busy,
}

impl From<crate::bounded::Busy> for DbError {
    fn from(_: crate::bounded::Busy) -> Self {
        DbError::Busy
    }
}

impl DbError {
    /// What could not be written as JSON (a bug, not the client's).
    pub fn from_json(e: serde_json::Error) -> DbError {
        DbError::Encode(format!("JSON: {e}"))
    }

    /// An error of the same kind, with this one's text: what each of the
    /// callers waiting on one failed operation is told (the error itself
    /// cannot be shared), so that each is answered as this error would be.
    pub fn retold(&self) -> DbError {
        match self {
            DbError::Task(_) | DbError::Random(_) => DbError::Task(self.to_string()),
            DbError::Encode(_) | DbError::Sign(_) | DbError::Invariant(_) => {
                DbError::Invariant(self.to_string())
            }
            DbError::Closed(id) => DbError::Closed(id.clone()),
            DbError::Busy => DbError::Busy,
            DbError::DataDir { .. }
            | DbError::Sqlite(_)
            | DbError::Postgres(_)
            | DbError::Storage(_)
            | DbError::Corrupt { .. }
            | DbError::TooNew { .. } => DbError::Storage(self.to_string()),
        }
    }
}

/// An error and its causes, on one line (tokio-postgres says "error
/// connecting to server" and keeps the why in its source).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
