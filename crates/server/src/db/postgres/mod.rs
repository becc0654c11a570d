//! The PostgreSQL backend: a database that several server processes share
//! (`--database-url`). Nothing a node needs to answer alike lives in the
//! node: the server key, the receipts' sequence, the results stamp and
//! every enrollment are rows, and uniqueness is the database's (a return's
//! id, a bureau's version, an election's sequence, a device key).
//!
//! Concurrency: everything that writes for an election (a return stored, a
//! code used, issued or revoked) first locks that election's row, so the
//! receipts of an election are numbered 1, 2, 3… without gaps however many
//! nodes store at once, and the same return sent to two nodes at the same
//! moment is stored by one and found by the other. Reads take no lock.
//!
//! The port is synchronous; this backend runs tokio-postgres and its pool
//! (deadpool) on a small runtime of its own, and each operation waits for
//! its answer there (see [`Postgres::block`]), so it may be called from any
//! thread, a tokio worker's included.

mod batch;
mod store;

use super::DbError;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::NoTls;

/// The schema, one entry per version; the `pointage_schema` table records
/// how many have been applied. Entries are only ever appended. It holds
/// what SQLite's six migrations came to, and two counters per election
/// that SQLite computes or keeps by trigger: `changes` (the results
/// stamp) and `last_sequence` (the last receipt's number).
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE election (
        position      BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id            TEXT PRIMARY KEY,
        hash          TEXT NOT NULL UNIQUE,
        definition    BYTEA NOT NULL,
        changes       BIGINT NOT NULL DEFAULT 0,
        last_sequence BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE server_key (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BYTEA NOT NULL CHECK (length(secret) = 32),
        public_key TEXT NOT NULL
    );
    CREATE TABLE enrollment_code (
        code_hash      TEXT PRIMARY KEY,
        election_id    TEXT NOT NULL REFERENCES election(id),
        bureau         TEXT NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('issued', 'used', 'revoked')),
        device_key     TEXT UNIQUE,
        issued_at      BIGINT NOT NULL,
        used_at        BIGINT,
        enrolled_after BIGINT,
        revoked_after  BIGINT
    );
    CREATE INDEX enrollment_code_bureau ON enrollment_code (election_id, bureau);
    CREATE TABLE return_version (
        sequence          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id                TEXT NOT NULL UNIQUE,
        election_id       TEXT NOT NULL REFERENCES election(id),
        bureau            TEXT NOT NULL,
        version           INTEGER NOT NULL CHECK (version >= 1),
        bytes             BYTEA NOT NULL,
        received_at       BIGINT NOT NULL,
        election_sequence BIGINT NOT NULL,
        UNIQUE (election_id, bureau, version),
        UNIQUE (election_id, election_sequence)
    );
"#,
    // 2: an election closed by its organisers, and the last receipt of its
    // record, final from then on.
    r#"
    ALTER TABLE election ADD COLUMN closed_at BIGINT, ADD COLUMN closed_sequence BIGINT;
"#,
];

/// The advisory lock that one node at a time holds while it migrates.
const MIGRATION_LOCK: i64 = 0x506f_696e_7461_6765; // "Pointage"

/// Connections per node: enough for the ingest writer, the public reads
/// and the enrollments at once; three nodes stay far below PostgreSQL's
/// 100 connections.
const POOL_SIZE: usize = 8;

pub(super) struct Postgres {
    pool: Pool,
    /// Always `Some` until dropped.
    rt: Option<tokio::runtime::Runtime>,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Dropping a runtime waits for its tasks, which a tokio worker may
        // not do; nothing of ours is left running once the answer is in.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl Postgres {
    /// Connects, and brings the schema up to date (one node at a time).
    pub fn open(url: &str) -> Result<Self, DbError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| DbError::Storage(format!("its address is invalid: {e}")))?;
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("pointage-server");
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pointage-postgres")
            .enable_all()
            .build()
            .map_err(|e| DbError::Task(e.to_string()))?;
        let pool = {
            let _inside = rt.enter();
            Pool::builder(manager)
                .max_size(POOL_SIZE)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .wait_timeout(Some(Duration::from_secs(30)))
                .create_timeout(Some(Duration::from_secs(10)))
                .build()
                .map_err(|e| DbError::Task(e.to_string()))?
        };
        let pg = Self { pool, rt: Some(rt) };
        let pool = pg.pool.clone();
        pg.block(async move { migrate(&pool).await })?;
        Ok(pg)
    }

    /// Runs `work` on this backend's runtime and waits for its answer.
    /// The wait is a plain channel's, which any thread may do.
    fn block<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, DbError>> + Send + 'static,
    ) -> Result<T, DbError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| DbError::Task("closed".into()))?;
        rt.spawn(async move {
            let _ = tx.send(work.await);
        });
        rx.recv()
            .map_err(|_| DbError::Task("the database task stopped".into()))?
    }
}

/// A connection from the pool.
async fn client(pool: &Pool) -> Result<deadpool_postgres::Client, DbError> {
    pool.get().await.map_err(|e| match e {
        deadpool_postgres::PoolError::Backend(e) => DbError::Postgres(e),
        other => DbError::Storage(other.to_string()),
    })
}

async fn migrate(pool: &Pool) -> Result<(), DbError> {
    let mut client = client(pool).await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS pointage_schema (version INTEGER NOT NULL)")
        .await?;
    let version: i32 = match tx
        .query_opt("SELECT version FROM pointage_schema", &[])
        .await?
    {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO pointage_schema (version) VALUES (0)", &[])
                .await?;
            0
        }
    };
    let known = MIGRATIONS.len() as i32;
    if version > known {
        return Err(DbError::TooNew {
            found: version.into(),
            known: known.into(),
        });
    }
    for sql in &MIGRATIONS[version as usize..] {
        tx.batch_execute(sql).await?;
    }
    tx.execute("UPDATE pointage_schema SET version = $1", &[&known])
        .await?;
    tx.commit().await?;
    Ok(())
}
