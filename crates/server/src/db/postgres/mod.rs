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
mod details;
mod elections;
mod log;
mod migrations;
mod operators;
mod photos;
mod rows;
mod server_key;
mod store;

use super::{DbError, Secrets};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::NoTls;

use migrations::MIGRATIONS;

/// The advisory lock that one node at a time holds while it migrates.
const MIGRATION_LOCK: i64 = 0x506f_696e_7461_6765; // "Pointage"

/// Connections per node that write (the ingest writer, enrollments, the
/// command line's operations) and that only read (every public answer, a
/// phone's return checked before it is queued): the reads never take a
/// connection the writes wait for. Three nodes stay far below
/// PostgreSQL's 100 connections.
const WRITERS: usize = 4;
const READERS: usize = 6;

pub(super) struct Postgres {
    secrets: Secrets,
    /// The connections that write.
    pool: Pool,
    /// The connections that only read.
    reads: Pool,
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
    pub fn open(url: &str, secrets: Secrets) -> Result<Self, DbError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| DbError::Storage(format!("its address is invalid: {e}")))?;
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("pointage-server");
        // Each statement planned with its values: a connection opened on
        // the evening's empty tables would otherwise keep, once
        // PostgreSQL switches a prepared statement to its generic plan,
        // a plan made for no rows (whole-table scans), and every batch
        // of returns would pay for it all night.
        let options = match config.get_options() {
            Some(o) if !o.is_empty() => format!("{o} -c plan_cache_mode=force_custom_plan"),
            _ => "-c plan_cache_mode=force_custom_plan".to_owned(),
        };
        config.options(options);
        let tls = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Require => Some(tls()?),
            // libpq's default, `prefer`, would take a plain connection
            // whenever TLS fails: TLS is used only when asked for.
            _ => None,
        };
        let mgr = || ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = || match &tls {
            Some(tls) => Manager::from_config(config.clone(), tls.clone(), mgr()),
            None => Manager::from_config(config.clone(), NoTls, mgr()),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pointage-postgres")
            .enable_all()
            .build()
            .map_err(|e| DbError::Task(e.to_string()))?;
        let build = |size| {
            let _inside = rt.enter();
            Pool::builder(manager())
                .max_size(size)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .wait_timeout(Some(Duration::from_secs(30)))
                .create_timeout(Some(Duration::from_secs(10)))
                .build()
                .map_err(|e| DbError::Task(e.to_string()))
        };
        let (pool, reads) = (build(WRITERS)?, build(READERS)?);
        let pg = Self {
            secrets,
            pool,
            reads,
            rt: Some(rt),
        };
        let (pool, secrets) = (pg.pool.clone(), pg.secrets.clone());
        pg.block(async move { migrate(&pool, &secrets).await })?;
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

/// TLS to the database, its certificate checked against the system's
/// roots and those of `PGSSLROOTCERT` (a PEM file, as libpq reads it: a
/// private certificate authority).
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, DbError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Ok(file) = std::env::var("PGSSLROOTCERT") {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&file)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| DbError::Storage(format!("PGSSLROOTCERT={file}: {e}")))?;
        for c in certs {
            roots
                .add(c)
                .map_err(|e| DbError::Storage(format!("PGSSLROOTCERT={file}: {e}")))?;
        }
    }
    if roots.is_empty() {
        return Err(DbError::Storage(
            "sslmode=require, and no certificate authority to check the database's certificate against: install the system's (ca-certificates) or set PGSSLROOTCERT".into(),
        ));
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| DbError::Storage(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Brings the codes stored as plain SHA-256 (before schema 4) under the
/// pepper, once, and checks that the pepper is the one they are under.
async fn pepper(tx: &deadpool_postgres::Transaction<'_>, secrets: &Secrets) -> Result<(), DbError> {
    let check: Option<String> = tx
        .query_opt("SELECT digest FROM code_pepper WHERE id = 1", &[])
        .await?
        .map(|r| r.get(0));
    match check {
        Some(c) if c == secrets.check() => Ok(()),
        Some(_) => Err(DbError::Storage(
            "this database's enrollment codes are under another pepper file: give the server the one they were issued with (--code-pepper-file)".into(),
        )),
        None => {
            let hashes: Vec<String> = tx
                .query("SELECT code_hash FROM enrollment_code", &[])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let peppered: Vec<String> = hashes.iter().map(|h| secrets.peppered(h)).collect();
            tx.execute(
                "UPDATE enrollment_code SET code_hash = t.p
                 FROM UNNEST($1::TEXT[], $2::TEXT[]) AS t (h, p) WHERE code_hash = t.h",
                &[&hashes, &peppered],
            )
            .await?;
            tx.execute(
                "INSERT INTO code_pepper (id, digest) VALUES (1, $1)",
                &[&secrets.check()],
            )
            .await?;
            Ok(())
        }
    }
}

/// A connection from the pool.
async fn client(pool: &Pool) -> Result<deadpool_postgres::Client, DbError> {
    pool.get().await.map_err(|e| match e {
        deadpool_postgres::PoolError::Backend(e) => DbError::Postgres(e),
        other => DbError::Storage(other.to_string()),
    })
}

async fn migrate(pool: &Pool, secrets: &Secrets) -> Result<(), DbError> {
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
    if version < 3 {
        rows::rebuild_logs(&tx).await?;
    }
    pepper(&tx, secrets).await?;
    tx.execute("UPDATE pointage_schema SET version = $1", &[&known])
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::port::Store;
    use pointage_core::log::LogEntry;

    /// The election of a database at schema 2 (before the log) gets its
    /// log when a node opens it, as SQLite's does. Runs only with
    /// `POINTAGE_TEST_POSTGRES` (as `cargo xtask test` runs the server's
    /// tests a second time).
    #[tokio::test(flavor = "multi_thread")]
    async fn an_election_stored_before_the_log_gets_its_log() {
        let Ok(base) = std::env::var("POINTAGE_TEST_POSTGRES") else {
            eprintln!("skipped: POINTAGE_TEST_POSTGRES is not set");
            return;
        };
        let name = format!("t_legacy_{}", std::process::id());
        let (admin, conn) = tokio_postgres::connect(&format!("{base} dbname=postgres"), NoTls)
            .await
            .expect("cluster");
        tokio::spawn(conn);
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin.batch_execute(&sql).await.expect("database");
        }
        let url = format!("{base} dbname={name}");
        let (c, conn) = tokio_postgres::connect(&url, NoTls).await.expect("db");
        tokio::spawn(conn);
        for m in &MIGRATIONS[..2] {
            c.batch_execute(m).await.expect("schemas 1-2");
        }
        c.batch_execute(
            "CREATE TABLE pointage_schema (version INTEGER NOT NULL);
             INSERT INTO pointage_schema (version) VALUES (2);",
        )
        .await
        .expect("version");
        let e = crate::demo::election();
        c.execute(
            "INSERT INTO election (id, hash, definition, last_sequence, closed_at, closed_sequence)
             VALUES ($1, $2, $3, 2, 60, 2)",
            &[
                &e.id(),
                &e.hash(),
                &crate::db::model::encode_election(&e).expect("encodes"),
            ],
        )
        .await
        .expect("election");
        c.execute(
            "INSERT INTO server_key (id, secret, public_key) VALUES (1, $1, 'pk-legacy')",
            &[&&[7u8; 32][..]],
        )
        .await
        .expect("key");
        for (code, bureau, state, key, used_at, after, revoked) in [
            (
                "c1",
                "DEMO-001",
                "revoked",
                Some("k1"),
                10i64,
                0i64,
                Some(1i64),
            ),
            ("c2", "DEMO-001", "used", Some("k2"), 20, 1, None),
        ] {
            c.execute(
                "INSERT INTO enrollment_code
                 (code_hash, election_id, bureau, state, device_key, issued_at, used_at,
                  enrolled_after, revoked_after)
                 VALUES ($1, $2, $3, $4, $5, 5, $6, $7, $8)",
                &[
                    &code,
                    &e.id(),
                    &bureau,
                    &state,
                    &key,
                    &used_at,
                    &after,
                    &revoked,
                ],
            )
            .await
            .expect("code");
        }
        for (seq, id, version, at) in [(1i64, "r1", 1i32, 15i64), (2, "r2", 2, 30)] {
            c.execute(
                "INSERT INTO return_version
                 (id, election_id, bureau, version, bytes, received_at, election_sequence)
                 VALUES ($1, $2, 'DEMO-001', $3, $4, $5, $6)",
                &[
                    &id,
                    &e.id(),
                    &version,
                    &format!("{{\"{id}\":1}}").into_bytes(),
                    &at,
                    &seq,
                ],
            )
            .await
            .expect("return");
        }
        let url2 = url.clone();
        let pg = tokio::task::spawn_blocking(move || {
            Postgres::open(&url2, Secrets::ephemeral().expect("secrets"))
        })
        .await
        .expect("task")
        .expect("migrates");
        let id = e.id().to_owned();
        let (leaves, size, closure) = tokio::task::spawn_blocking(move || {
            (
                pg.leaves(&id, 0, 100, 100).expect("leaves"),
                pg.log_size(&id).expect("size"),
                pg.closure(&id).expect("closure"),
            )
        })
        .await
        .expect("task");
        let kinds: Vec<String> = leaves
            .iter()
            .map(
                |l| match serde_json::from_slice::<LogEntry>(&l.bytes).expect("an entry") {
                    LogEntry::Election { server_key, .. } => format!("opened {server_key}"),
                    LogEntry::Key { device_key, .. } => format!("key {device_key}"),
                    LogEntry::Reissue { revoked_key, .. } => {
                        format!("reissue {}", revoked_key.unwrap_or_default())
                    }
                    LogEntry::Return { ret, .. } => format!("return {ret}"),
                    LogEntry::Report { report, .. } => format!("report {report}"),
                    LogEntry::Photos { photos, .. } => format!("photos {photos}"),
                    LogEntry::Closed { at, .. } => format!("closed {at}"),
                },
            )
            .collect();
        assert_eq!(
            kinds,
            [
                "opened pk-legacy",
                "key k1",
                "return {\"r1\":1}",
                "reissue k1",
                "key k2",
                "return {\"r2\":1}",
                "closed 60",
            ]
        );
        assert_eq!(size, 7);
        assert_eq!(closure.map(|c| c.last_sequence), Some(6));
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("dropped");
    }
}
