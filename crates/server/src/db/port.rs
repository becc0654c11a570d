//! The storage port: every operation the server does on its state, by name.
//! No module outside `db/` sees a connection, a transaction or SQL; each
//! operation here is one transaction (or one read) of the backend. Today
//! the backend is SQLite; a second one implements these same operations.
//!
//! The operations are synchronous, as SQLite is; an async handler runs them
//! on tokio's blocking pool with [`Db::run`].

use super::enrollment::{self, DeviceKeyLine, EnrollOutcome, IssuedCode};
use super::returns::{self, IngestError, RecordEntry, Stored};
use super::server_key::{self, ServerKey};
use super::{Db, DbError};
use pointage_core::{Election, ReturnBody, SignedReturn};
use std::collections::HashMap;
use std::sync::Arc;

/// One verified return to store, with the canonical bytes it was decoded
/// from and the election it is for.
pub struct ToStore {
    pub election: Arc<Election>,
    pub ret: SignedReturn,
    pub bytes: axum::body::Bytes,
}

impl Db {
    /// Runs `op` (named operations of this port) on tokio's blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || op(&db))
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// The database answers.
    pub fn ping(&self) -> Result<(), DbError> {
        self.with(|c| super::ping(c))
    }

    /// The server's key, created if there is none yet.
    pub fn server_key(&self) -> Result<ServerKey, DbError> {
        self.with(server_key::load_or_create)
    }

    /// Every election, in the order created, each checked again by core.
    pub fn elections(&self) -> Result<Vec<Election>, DbError> {
        self.with(|c| super::elections(c))
    }

    pub fn election(&self, id: &str) -> Result<Option<Election>, DbError> {
        self.with(|c| super::election(c, id))
    }

    /// The id of the election created last, if any.
    pub fn latest_election_id(&self) -> Result<Option<String>, DbError> {
        self.with(|c| super::latest_election_id(c))
    }

    pub fn election_count(&self) -> Result<u64, DbError> {
        self.with(|c| super::election_count(c))
    }

    /// Stores a new election and issues one enrollment code per bureau, all
    /// or nothing.
    pub fn store_election(&self, e: &Election, now: u64) -> Result<Vec<IssuedCode>, DbError> {
        self.with(|c| {
            let tx = c.transaction()?;
            super::insert_election(&tx, e)?;
            let codes = enrollment::issue_codes(&tx, e, now)?;
            tx.commit()?;
            Ok(codes)
        })
    }

    /// [`Db::store_election`] if the database holds no election yet (a
    /// server's first start); `None` otherwise.
    pub fn store_first_election(
        &self,
        e: &Election,
        now: u64,
    ) -> Result<Option<Vec<IssuedCode>>, DbError> {
        self.with(|c| {
            let tx = c.transaction()?;
            if super::election_count(&tx)? > 0 {
                return Ok(None);
            }
            super::insert_election(&tx, e)?;
            let codes = enrollment::issue_codes(&tx, e, now)?;
            tx.commit()?;
            Ok(Some(codes))
        })
    }

    /// Replaces a bureau's lost code: its codes and device key are revoked,
    /// a new code is issued.
    pub fn reissue_code(
        &self,
        election_id: &str,
        bureau: &str,
        now: u64,
    ) -> Result<IssuedCode, DbError> {
        self.with(|c| enrollment::reissue(c, election_id, bureau, now))
    }

    /// A device presents a code and its public key.
    pub fn enroll(&self, code: &str, device_key: &str, now: u64) -> Result<EnrollOutcome, DbError> {
        self.enroll_all(&[(code, device_key)], now)
            .map(|mut o| o.remove(0))
    }

    /// Several enrollments in one transaction, each as [`Db::enroll`]
    /// (an election's phones enrolled at once, for a benchmark or a drill).
    pub fn enroll_all(
        &self,
        devices: &[(&str, &str)],
        now: u64,
    ) -> Result<Vec<EnrollOutcome>, DbError> {
        self.with(|c| {
            let tx = c.transaction()?;
            let out = devices
                .iter()
                .map(|(code, key)| enrollment::enroll(&tx, code, key, now))
                .collect::<Result<Vec<_>, _>>()?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// The key of the device enrolled for a bureau, if one is.
    pub fn enrolled_key(&self, election_id: &str, bureau: &str) -> Result<Option<String>, DbError> {
        self.with(|c| enrollment::enrolled_key(c, election_id, bureau))
    }

    /// Stores returns in one commit, each in its own savepoint: one refused
    /// does not undo the others. The outcome of each, in order.
    pub fn store_returns(
        &self,
        work: &[ToStore],
        now: u64,
    ) -> Result<Vec<Result<Stored, IngestError>>, DbError> {
        self.with(|conn| {
            let mut tx = conn.transaction()?;
            let mut results = Vec::with_capacity(work.len());
            for w in work {
                let sp = tx.savepoint()?;
                let r = returns::ingest(&sp, &w.election, &w.ret, &w.bytes, now);
                if r.is_ok() {
                    sp.commit()?;
                }
                results.push(r);
            }
            tx.commit()?;
            Ok(results)
        })
    }

    /// What the results of an election depend on, changed by every return
    /// stored and every code issued, used or revoked.
    pub fn results_stamp(&self, election_id: &str) -> Result<crate::ResultsStamp, DbError> {
        self.with(|c| returns::stamp(c, election_id))
    }

    /// What the results are computed from: every stored return's id and
    /// body, and the bureaux with an enrolled device. Read without holding
    /// the writing connection.
    #[allow(clippy::type_complexity)]
    pub fn results_inputs(
        &self,
        election_id: &str,
    ) -> Result<(Vec<(String, ReturnBody)>, HashMap<String, String>), DbError> {
        self.read(|c| {
            Ok((
                returns::bodies(c, election_id)?,
                enrollment::enrolled_bureaux(c, election_id)?,
            ))
        })
    }

    /// The head of the public record: every device key ever enrolled, and
    /// the sequence of the last return it covers.
    pub fn record_head(&self, election_id: &str) -> Result<(Vec<DeviceKeyLine>, u64), DbError> {
        self.with(|c| {
            Ok((
                enrollment::device_keys(c, election_id)?,
                returns::last_sequence(c, election_id)?,
            ))
        })
    }

    /// Up to `limit` returns of the record after sequence `after`, up to
    /// `upto`. Read without holding the writing connection.
    pub fn record_batch(
        &self,
        election_id: &str,
        after: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<RecordEntry>, DbError> {
        self.read(|c| returns::record(c, election_id, after, upto, limit))
    }

    /// Every stored version of one bureau's return, oldest first.
    pub fn versions_of(
        &self,
        election_id: &str,
        bureau: &str,
    ) -> Result<Vec<RecordEntry>, DbError> {
        self.with(|c| returns::of_bureau(c, election_id, bureau))
    }

    /// How many returns (all versions) are stored for an election.
    pub fn return_count(&self, election_id: &str) -> Result<u64, DbError> {
        self.with(|c| returns::count(c, election_id))
    }
}
