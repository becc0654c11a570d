//! The storage port: every operation the server does on its state, by name,
//! each one transaction (or one consistent read) of the backend. Callers
//! hold a [`Db`] and never know which backend is behind it.
//!
//! The operations are synchronous, as SQLite is; an async handler runs
//! them on tokio's blocking pool with [`Db::run`]. The PostgreSQL backend
//! runs its client on a small runtime of its own and waits for each answer,
//! so the port has one shape for both.

use super::model::{
    Closure, EnrollOutcome, IngestError, IssuedCode, Leaf, LeafHash, RecordEntry, Stored,
    StoredReturn,
};
use super::{DbError, PhotosToStore, ReportToStore, Secrets, ServerKey, StoredPage, ToStore};
use pointage_core::board::BureauFacts;
use pointage_core::roster::BureauDetails;
use pointage_core::{Election, ReturnBody};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The returns and reports among a log's first leaves
/// ([`Db::record_prefix`]).
pub type RecordPrefix = (Vec<(String, ReturnBody)>, Vec<(Vec<u8>, u64)>);

/// Each bureau's pictures held whole, by bureau ([`Db::pictures_held`]).
pub type BureauPictures = std::collections::BTreeMap<String, Vec<String>>;

/// What each backend implements. See [`Db`]'s methods of the same names.
pub(super) trait Store: super::operators::OperatorStore + Send + Sync {
    fn ping(&self) -> Result<(), DbError>;
    fn server_key(&self) -> Result<ServerKey, DbError>;
    fn elections(&self) -> Result<Vec<Election>, DbError>;
    fn election(&self, id: &str) -> Result<Option<Election>, DbError>;
    fn latest_election_id(&self) -> Result<Option<String>, DbError>;
    fn election_count(&self) -> Result<u64, DbError>;
    /// `only_first`: store it only if the database holds no election yet
    /// (`None` otherwise). `carry_from`: an earlier round whose bureaux'
    /// keys (those holding their bureau) hold the same bureau of this one
    /// at once, each in a key leaf naming that round; the codes returned
    /// are those of the other bureaux.
    fn store_election(
        &self,
        e: &Election,
        details: &[BureauDetails],
        server_key: &str,
        now: u64,
        only_first: bool,
        carry_from: Option<&str>,
    ) -> Result<Option<Vec<IssuedCode>>, DbError>;
    fn bureau_details(&self, election_id: &str) -> Result<Vec<BureauDetails>, DbError>;
    fn board_facts(&self, election_id: &str) -> Result<Vec<BureauFacts>, DbError>;
    fn reissue_code(
        &self,
        election_id: &str,
        bureau: &str,
        now: u64,
        by: pointage_core::operator::Actor,
    ) -> Result<IssuedCode, DbError>;
    fn enroll_all(&self, devices: &[(&str, &str)], now: u64)
    -> Result<Vec<EnrollOutcome>, DbError>;
    fn enrolled_key(&self, election_id: &str, bureau: &str) -> Result<Option<String>, DbError>;
    /// Keeps the latest refused return of a bureau's key (its code).
    fn refusal_put(
        &self,
        election_id: &str,
        bureau: &str,
        code: &str,
        at: u64,
    ) -> Result<(), DbError>;
    /// Every election and bureau a device key was bound to, and whether
    /// it still is (not revoked).
    fn bound_to_key(&self, device_key: &str) -> Result<Vec<(String, String, bool)>, DbError>;
    fn store_returns(
        &self,
        work: Vec<ToStore>,
        now: u64,
    ) -> Result<Vec<Result<Stored, IngestError>>, DbError>;
    fn store_report(&self, work: ReportToStore, now: u64) -> Result<Stored, IngestError>;
    fn store_photos(&self, work: PhotosToStore, now: u64) -> Result<Stored, IngestError>;
    fn photo_page(&self, sha256: &str) -> Result<Option<StoredPage>, DbError>;
    fn put_piece(&self, page: &StoredPage, n: u32, bytes: &[u8]) -> Result<Vec<u32>, DbError>;
    fn picture(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, DbError>;
    fn pictures_held(&self, election_id: &str) -> Result<BureauPictures, DbError>;
    fn record_range(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
    ) -> Result<RecordPrefix, DbError>;
    fn results_stamp(&self, election_id: &str) -> Result<crate::ResultsStamp, DbError>;
    fn enrolled_bureaux(&self, election_id: &str) -> Result<HashSet<String>, DbError>;
    fn close_election(
        &self,
        election_id: &str,
        now: u64,
        by: pointage_core::operator::Actor,
    ) -> Result<Option<Closure>, DbError>;
    fn closure(&self, election_id: &str) -> Result<Option<Closure>, DbError>;
    fn log_size(&self, election_id: &str) -> Result<u64, DbError>;
    fn leaf_hashes(&self, election_id: &str, from: u64) -> Result<Vec<LeafHash>, DbError>;
    fn leaves(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<Leaf>, DbError>;
    fn bureau_leaves(
        &self,
        election_id: &str,
        bureau: &str,
        upto: u64,
    ) -> Result<Vec<Leaf>, DbError>;
    fn versions_of(&self, election_id: &str, bureau: &str) -> Result<Vec<RecordEntry>, DbError>;
    fn stored_return(&self, id: &str) -> Result<Option<StoredReturn>, DbError>;
    fn code_known(&self, code: &str) -> Result<bool, DbError>;
    /// A code's state (`issued`, `used`, `revoked`), if it was issued.
    fn code_state(&self, code: &str) -> Result<Option<String>, DbError>;
    fn election_ids(&self) -> Result<Vec<String>, DbError>;
    fn return_count(&self, election_id: &str) -> Result<u64, DbError>;
}

/// The server's storage, whichever backend holds it. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    store: Arc<dyn Store>,
}

impl Db {
    /// The backend (for the port's operations written beside it).
    pub(super) fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Opens (creating it if needed) `pointage.sqlite3` in `data_dir` and
    /// brings its schema up to date, with the secrets of that directory
    /// (its pepper file, the server key in the database).
    pub fn open(data_dir: &Path) -> Result<Self, DbError> {
        Self::open_with(data_dir, Secrets::in_dir(data_dir)?)
    }

    /// [`Db::open`], with these secrets.
    pub fn open_with(data_dir: &Path, secrets: Secrets) -> Result<Self, DbError> {
        Ok(Self {
            store: Arc::new(super::sqlite::Sqlite::open(data_dir, secrets)?),
        })
    }

    /// An in-memory SQLite database, for tests.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Ok(Self {
            store: Arc::new(super::sqlite::Sqlite::open_in_memory()?),
        })
    }

    /// Connects to a PostgreSQL database (`postgres://user@host:port/name`,
    /// or libpq's `host=… dbname=…`) and brings its schema up to date.
    /// Several servers may share it.
    pub fn open_postgres(url: &str, secrets: Secrets) -> Result<Self, DbError> {
        Ok(Self {
            store: Arc::new(super::postgres::Postgres::open(url, secrets)?),
        })
    }

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
        self.store.ping()
    }

    /// The server's key, created if there is none yet. Every server over
    /// the same database gets the same key.
    pub fn server_key(&self) -> Result<ServerKey, DbError> {
        self.store.server_key()
    }

    /// Every election, in the order created, each checked again by core.
    pub fn elections(&self) -> Result<Vec<Election>, DbError> {
        self.store.elections()
    }

    pub fn election(&self, id: &str) -> Result<Option<Election>, DbError> {
        self.store.election(id)
    }

    /// The id of the election created last, if any.
    pub fn latest_election_id(&self) -> Result<Option<String>, DbError> {
        self.store.latest_election_id()
    }

    pub fn election_count(&self) -> Result<u64, DbError> {
        self.store.election_count()
    }

    /// Stores a new election, opens its log (leaf 0 names it and the
    /// server key) and issues one enrollment code per bureau, all or
    /// nothing.
    pub fn store_election(&self, e: &Election, now: u64) -> Result<Vec<IssuedCode>, DbError> {
        self.store_election_with(e, &[], now)
    }

    /// [`Db::store_election`], with what the central team keeps of its
    /// bureaux beyond the definition (from the organiser's spreadsheet),
    /// in the same transaction.
    pub fn store_election_with(
        &self,
        e: &Election,
        details: &[BureauDetails],
        now: u64,
    ) -> Result<Vec<IssuedCode>, DbError> {
        let key = self.server_key()?.public;
        Ok(self
            .store
            .store_election(e, details, &key, now, false, None)?
            .unwrap_or_default())
    }

    /// What the server holds of each bureau that has anything (its key's
    /// enrollment, its reports, its returns), with when: core's board
    /// reads where each stands from it.
    pub fn board_facts(&self, election_id: &str) -> Result<Vec<BureauFacts>, DbError> {
        self.store.board_facts(election_id)
    }

    /// What the central team keeps of an election's bureaux beyond the
    /// definition (personal data: for operators only), by bureau code.
    pub fn bureau_details(&self, election_id: &str) -> Result<Vec<BureauDetails>, DbError> {
        self.store.bureau_details(election_id)
    }

    /// [`Db::store_election`] if the database holds no election yet (a
    /// server's first start; of several starting at once, one stores it);
    /// `None` otherwise.
    pub fn store_first_election(
        &self,
        e: &Election,
        now: u64,
    ) -> Result<Option<Vec<IssuedCode>>, DbError> {
        let key = self.server_key()?.public;
        self.store.store_election(e, &[], &key, now, true, None)
    }

    /// Stores `e`, a later round of election `from` with its bureaux, as
    /// [`Db::store_election_with`] does, and carries over every key that
    /// holds a bureau of `from`: that bureau's phone signs for `e` without
    /// a new code (a key leaf naming `from`). The codes returned are the
    /// other bureaux' only.
    pub fn store_next_round(
        &self,
        e: &Election,
        details: &[BureauDetails],
        from: &str,
        now: u64,
    ) -> Result<Vec<IssuedCode>, DbError> {
        let key = self.server_key()?.public;
        Ok(self
            .store
            .store_election(e, details, &key, now, false, Some(from))?
            .unwrap_or_default())
    }

    /// Replaces a bureau's lost code: its codes and device key are revoked
    /// (a reissue leaf), a new code is issued.
    pub fn reissue_code(
        &self,
        election_id: &str,
        bureau: &str,
        now: u64,
        by: pointage_core::operator::Actor,
    ) -> Result<IssuedCode, DbError> {
        self.store.reissue_code(election_id, bureau, now, by)
    }

    /// A device presents a code and its public key.
    pub fn enroll(&self, code: &str, device_key: &str, now: u64) -> Result<EnrollOutcome, DbError> {
        self.enroll_all(&[(code, device_key)], now)
            .map(|mut o| o.remove(0))
    }

    /// Several enrollments in one transaction (a key leaf each), each as [`Db::enroll`]
    /// (an election's phones enrolled at once, for a benchmark or a drill).
    pub fn enroll_all(
        &self,
        devices: &[(&str, &str)],
        now: u64,
    ) -> Result<Vec<EnrollOutcome>, DbError> {
        self.store.enroll_all(devices, now)
    }

    /// The key of the device enrolled for a bureau, if one is.
    /// Keeps that the server refused a return signed by a key of `bureau`
    /// (its phone's, or a revoked one), with `code`, for the board.
    pub fn refusal_put(
        &self,
        election_id: &str,
        bureau: &str,
        code: &str,
        at: u64,
    ) -> Result<(), DbError> {
        self.store.refusal_put(election_id, bureau, code, at)
    }

    /// Every election and bureau a device key is bound to (not revoked):
    /// a phone carried over to a later round finds it there.
    pub fn held_by_key(&self, device_key: &str) -> Result<Vec<(String, String)>, DbError> {
        Ok(self
            .store
            .bound_to_key(device_key)?
            .into_iter()
            .filter(|(_, _, held)| *held)
            .map(|(e, b, _)| (e, b))
            .collect())
    }

    /// Whether `device_key` is or was `bureau`'s key in `election_id` (a
    /// reissue revoked it).
    pub fn key_was_bureaus(
        &self,
        election_id: &str,
        bureau: &str,
        device_key: &str,
    ) -> Result<bool, DbError> {
        Ok(self
            .store
            .bound_to_key(device_key)?
            .iter()
            .any(|(e, b, _)| e == election_id && b == bureau))
    }

    pub fn enrolled_key(&self, election_id: &str, bureau: &str) -> Result<Option<String>, DbError> {
        self.store.enrolled_key(election_id, bureau)
    }

    /// Stores returns in one commit, each on its own: one refused does not
    /// undo the others. The same return again is found, not stored twice
    /// (whichever server stored it). The outcome of each, in order.
    pub fn store_returns(
        &self,
        work: Vec<ToStore>,
        now: u64,
    ) -> Result<Vec<Result<Stored, IngestError>>, DbError> {
        self.store.store_returns(work, now)
    }

    /// Stores a turnout report core has checked (its leaf appended to the
    /// election's log), if its key is still the bureau's and it follows
    /// the latest version of its checkpoint; the same report again is
    /// found, not stored twice.
    pub fn store_report(&self, work: ReportToStore, now: u64) -> Result<Stored, IngestError> {
        self.store.store_report(work, now)
    }

    /// Stores a photo document core has checked (its leaf appended to the
    /// election's log), if its key is still the bureau's, the return it
    /// names is the bureau's and its version follows the bureau's latest;
    /// the same document again is found, not stored twice.
    pub fn store_photos(&self, work: PhotosToStore, now: u64) -> Result<Stored, IngestError> {
        self.store.store_photos(work, now)
    }

    /// The page whose picture has this SHA-256, as a stored photo document
    /// names it, with the pieces held. A read.
    pub fn photo_page(&self, sha256: &str) -> Result<Option<StoredPage>, DbError> {
        self.store.photo_page(sha256)
    }

    /// Keeps piece `n` of a stored page, which the caller checked against
    /// the page's signed hashes, and says which pieces are held now.
    pub fn put_piece(&self, page: &StoredPage, n: u32, bytes: &[u8]) -> Result<Vec<u32>, DbError> {
        self.store.put_piece(page, n, bytes)
    }

    /// The whole picture and its media type, once every piece is held. A
    /// read.
    pub fn picture(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, DbError> {
        self.store.picture(sha256)
    }

    /// Each bureau's latest photo document's pages whose pictures are held
    /// whole (their SHA-256, in page order). A read.
    pub fn pictures_held(&self, election_id: &str) -> Result<BureauPictures, DbError> {
        self.store.pictures_held(election_id)
    }

    /// The returns (`(id, body)`) and the turnout reports (`(bytes, time
    /// received)`) among the log's first `upto` leaves, in the log's order:
    /// what the open data of that head are written from. Every leaf below a
    /// size the log has reached was stored before it, so whenever this is
    /// read, it is that head's exactly.
    pub fn record_prefix(&self, election_id: &str, upto: u64) -> Result<RecordPrefix, DbError> {
        self.store.record_range(election_id, 0, upto)
    }

    /// The returns and reports among the log's leaves `from..upto`: what
    /// changed between two sizes the log has reached (see `record_prefix`).
    pub fn record_range(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
    ) -> Result<RecordPrefix, DbError> {
        self.store.record_range(election_id, from, upto)
    }

    /// What the results of an election depend on, changed by every return
    /// stored and every code issued, used or revoked (-1: no such
    /// election).
    pub fn results_stamp(&self, election_id: &str) -> Result<crate::ResultsStamp, DbError> {
        self.store.results_stamp(election_id)
    }

    /// The bureaux with an enrolled device (what the results' bureau
    /// states need besides the returns). Read without holding what the
    /// ingest writes through.
    pub fn enrolled_bureaux(&self, election_id: &str) -> Result<HashSet<String>, DbError> {
        self.store.enrolled_bureaux(election_id)
    }

    /// Closes an election (once; closing it again gives the first
    /// closure): a `closed` leaf ends its log; from then on no return,
    /// enrollment or new code is taken for it, and its record is final.
    /// `None`: no such election.
    pub fn close_election(
        &self,
        election_id: &str,
        now: u64,
        by: pointage_core::operator::Actor,
    ) -> Result<Option<Closure>, DbError> {
        self.store.close_election(election_id, now, by)
    }

    /// Whether (and when) an election was closed.
    pub fn closure(&self, election_id: &str) -> Result<Option<Closure>, DbError> {
        self.store.closure(election_id)
    }

    /// How many leaves an election's log has (0: no such election).
    /// Read without holding what the ingest writes through.
    pub fn log_size(&self, election_id: &str) -> Result<u64, DbError> {
        self.store.log_size(election_id)
    }

    /// The index, time and hash of every leaf of an election's log from
    /// `from` on, in order: what a node's tree of the log is built from.
    pub fn leaf_hashes(&self, election_id: &str, from: u64) -> Result<Vec<LeafHash>, DbError> {
        self.store.leaf_hashes(election_id, from)
    }

    /// Up to `limit` leaves of an election's log (their canonical bytes),
    /// from `from` to before `upto`, in order. Read without holding what
    /// the ingest writes through.
    pub fn leaves(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<Leaf>, DbError> {
        self.store.leaves(election_id, from, upto, limit)
    }

    /// Every leaf of one bureau (its keys, reissues and returns) before
    /// leaf `upto`, in order.
    pub fn bureau_leaves(
        &self,
        election_id: &str,
        bureau: &str,
        upto: u64,
    ) -> Result<Vec<Leaf>, DbError> {
        self.store.bureau_leaves(election_id, bureau, upto)
    }

    /// Every stored version of one bureau's return, oldest first.
    pub fn versions_of(
        &self,
        election_id: &str,
        bureau: &str,
    ) -> Result<Vec<RecordEntry>, DbError> {
        self.store.versions_of(election_id, bureau)
    }

    /// Whether this code (printed form) was ever issued, by a reader: a
    /// guess is refused without the writer.
    pub fn code_known(&self, code: &str) -> Result<bool, DbError> {
        self.store.code_known(code)
    }

    /// A code's state (`issued`, `used` or `revoked`), if it was ever
    /// issued: a letter must not carry a code a reissue replaced.
    pub fn code_state(&self, code: &str) -> Result<Option<String>, DbError> {
        self.store.code_state(code)
    }

    /// Every election's id, oldest first, by a reader.
    pub fn election_ids(&self) -> Result<Vec<String>, DbError> {
        self.store.election_ids()
    }

    /// The return stored under this id (any election), with its bytes.
    /// Read without holding what the ingest writes through.
    pub fn stored_return(&self, id: &str) -> Result<Option<StoredReturn>, DbError> {
        self.store.stored_return(id)
    }

    /// How many returns (all versions) are stored for an election.
    pub fn return_count(&self, election_id: &str) -> Result<u64, DbError> {
        self.store.return_count(election_id)
    }
}
