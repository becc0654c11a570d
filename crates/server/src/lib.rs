//! pointage-server: the central server. It serves the built bureau app and the
//! JSON API, and keeps elections, enrollment codes and device keys, signed
//! returns and their receipts in an embedded SQLite database.
//!
//! Handlers stay thin: every rule lives in `pointage-core`. The server never
//! computes a figure that a bureau did not sign, and never edits one.

pub mod admin;
pub mod api;
pub mod board;
pub mod bounded;
pub mod db;
pub mod demo;
pub mod ingest;
pub mod letters;
pub mod log;
pub mod operators;
pub mod rate_limit;
pub mod results;
pub mod results_page;
pub mod serve;
pub mod spreadsheet;
pub mod static_files;
pub mod system;

use axum::Router;
use axum::body::Bytes;
use db::{Db, DbError, ServerKey};
use pointage_core::Election;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tower_http::compression::CompressionLayer;

/// Enrollment attempts allowed per client (an address, an IPv6 /64) and
/// minute, and at once: a phone enrolls once; a national election's
/// 70,000 phones enroll from as many addresses, a few hundred at most
/// behind one carrier's shared address, in minutes (README, "Limits").
pub const ENROLL_ATTEMPTS_PER_MINUTE: u32 = 60;

/// Returns a client may send per minute, and at once, counted by 4 KB (a
/// phone's return is 1 to 8 KB): a polling station's Wi-Fi with its phones
/// behind one address never comes near; a client sending 64 KB returns in
/// a loop gets 37 at once, then one every 1.6 s.
pub const RETURNS_PER_CLIENT_PER_MINUTE: u32 = 600;
/// Whole copies of the public record a client may download a minute, per
/// node: a verifier takes one, a watcher follows the heads; a cache in
/// front takes one per change for everyone.
pub const RECORDS_PER_CLIENT_PER_MINUTE: u32 = 30;
/// Pictures of paper PVs a client may download a minute, per node (a 304
/// for a copy it holds does not count): a person reading the results page
/// opens a few dozen; the verifier's `--photos` waits when told to; a cache
/// in front takes each picture once for everyone.
pub const PICTURES_PER_CLIENT_PER_MINUTE: u32 = 600;

/// New returns (not already stored) one device key may have checked at
/// once, then per hour: a bureau has at most 100 versions, an honest phone
/// sends a version or two and its outbox's retries of one it has no
/// receipt for. A key's holder sending new returns that are refused (the
/// table sheets are most of the checking) meets it.
pub const RETURNS_PER_KEY_AT_ONCE: u32 = 120;
pub const RETURNS_PER_KEY_PER_HOUR: u32 = 60;

/// What one client, or one device key, may ask, and who may say which
/// client a request is from.
pub struct Limits {
    /// The proxies whose forwarding headers are read (`--trusted-proxy`).
    pub trusted: Vec<rate_limit::Cidr>,
    pub enroll: rate_limit::RateLimiter,
    pub returns_by_client: rate_limit::RateLimiter,
    pub returns_by_key: rate_limit::RateLimiter<String>,
    pub records_by_client: rate_limit::RateLimiter,
    pub pictures_by_client: rate_limit::RateLimiter,
    /// How long an answer refusing a request as malformed or over its
    /// allowance waits (`api::TARPIT` by default).
    pub tarpit: std::time::Duration,
}

impl Limits {
    /// The defaults, with `enroll_per_minute` enrollment attempts per
    /// client and minute, and the proxies `trusted`.
    pub fn new(enroll_per_minute: u32, trusted: Vec<rate_limit::Cidr>) -> Self {
        Self {
            trusted,
            enroll: rate_limit::RateLimiter::per_minute(enroll_per_minute),
            returns_by_client: rate_limit::RateLimiter::per_minute(RETURNS_PER_CLIENT_PER_MINUTE),
            returns_by_key: rate_limit::RateLimiter::new(
                RETURNS_PER_KEY_AT_ONCE,
                RETURNS_PER_KEY_PER_HOUR as f64 / 3_600_000.0,
                rate_limit::MAX_KEYS,
            ),
            records_by_client: rate_limit::RateLimiter::per_minute(RECORDS_PER_CLIENT_PER_MINUTE),
            pictures_by_client: rate_limit::RateLimiter::per_minute(PICTURES_PER_CLIENT_PER_MINUTE),
            tarpit: api::TARPIT,
        }
    }
}

impl Limits {
    /// With `n` returns a minute per client instead of the default: for a
    /// drill or a test sending a night's returns from one machine.
    pub fn returns_per_minute(mut self, n: u32) -> Self {
        self.returns_by_client = rate_limit::RateLimiter::per_minute(n);
        self
    }

    /// With `n` whole records a minute per client instead of the default.
    pub fn records_per_minute(mut self, n: u32) -> Self {
        self.records_by_client = rate_limit::RateLimiter::per_minute(n);
        self
    }

    /// With `n` pictures a minute per client instead of the default.
    pub fn pictures_per_minute(mut self, n: u32) -> Self {
        self.pictures_by_client = rate_limit::RateLimiter::per_minute(n);
        self
    }

    /// With refusals answered at once: for tests that send many on purpose.
    pub fn without_tarpit(mut self) -> Self {
        self.tarpit = std::time::Duration::ZERO;
        self
    }

    /// With `at_once` new returns per device key, then `per_hour`.
    pub fn returns_per_key(mut self, at_once: u32, per_hour: u32) -> Self {
        self.returns_by_key = rate_limit::RateLimiter::new(
            at_once,
            per_hour as f64 / 3_600_000.0,
            rate_limit::MAX_KEYS,
        );
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new(ENROLL_ATTEMPTS_PER_MINUTE, Vec::new())
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub key: Arc<ServerKey>,
    pub ingest: ingest::Ingest,
    /// Each election's log as a tree in memory: receipts, heads, proofs.
    pub logs: Arc<log::Logs>,
    pub limits: Arc<Limits>,
    /// The checks of a phone's return (its signature, its sheets, its
    /// rules), a few at a time, outside the writer.
    pub checks: Arc<bounded::Bounded>,
    /// The public reads of the database, a few at a time.
    pub reads: Arc<bounded::Bounded>,
    /// Elections by id, read from the database on first use: an election is
    /// never changed once stored (a new definition is a new election), so a
    /// copy never goes stale.
    elections: Arc<RwLock<HashMap<String, Arc<Election>>>>,
    /// Held while an election is read from the database, so that a burst of
    /// requests for an election not yet in memory reads it once, not once
    /// per request (a national election is 70,000 bureaux to decode).
    loading: Arc<tokio::sync::Mutex<()>>,
    /// The last results computed per election, with the stamp they were
    /// computed at (`Db::results_stamp`).
    results: Arc<Mutex<ResultsCache>>,
    /// Held while results are computed: one computation per change, however
    /// many requests find them stale at once. Holds, per election, what the
    /// last computation read (`results::Tally`), so that the next reads
    /// only what was stored since.
    pub computing: Arc<tokio::sync::Mutex<HashMap<String, Arc<Mutex<results::Tally>>>>>,
    /// How many times results were computed since the server started.
    pub results_computed: Arc<std::sync::atomic::AtomicU64>,
    /// The elections this node has seen closed: a closure is never undone,
    /// so a copy never goes stale.
    closed: Arc<RwLock<HashMap<String, db::Closure>>>,
    /// `GET /api/v1/elections` as last written, for how many elections
    /// (elections are only ever added); held while it is written again.
    listing: Arc<tokio::sync::Mutex<Option<Arc<api::elections::Listing>>>>,
    /// Each election's public record, as sent (`api::record`).
    pub records: Arc<api::record::Records>,
    /// Each election's open data as last written (`api::open_data`).
    pub open_data: Arc<api::open_data::OpenData>,
    /// The central team's accounts: passkeys and limits
    /// (`--public-url`).
    pub operators: Arc<operators::Operators>,
    /// The operators' pages' head: the app's stylesheet and icon.
    pub operator_head: Arc<str>,
}

/// Per election: the stamp the results were computed at, and what they are.
type ResultsCache = HashMap<String, (ResultsStamp, Arc<Computed>)>;

/// What the results endpoints answer from, computed once per change.
pub struct Computed {
    /// `GET /api/v1/results`, serialised.
    pub results_json: Bytes,
    /// The same, for the results page.
    pub results: pointage_core::wire::ResultsResponse,
    /// Every bureau with its state, in the election's order, for
    /// `GET /api/v1/bureaux`.
    pub bureaux: Vec<pointage_core::wire::BureauStatus>,
    /// Each bureau's code, name and commune as they are searched (core's
    /// `search_key`: no accents, case, spaces or punctuation), in the same
    /// order, computed once: what a search by text reads
    /// (`results::bureau_page`), without folding 70,000 bureaux again
    /// for every request.
    pub search: Arc<Vec<[String; 3]>>,
}

/// See `Db::results_stamp`.
pub type ResultsStamp = i64;

impl AppState {
    /// The state over a database: loads (or creates) the server key, reads
    /// the elections, and starts the ingest writer. Must run inside a tokio
    /// runtime.
    pub fn new(db: Db) -> Result<Self, DbError> {
        let key = db.server_key()?;
        let elections = db
            .elections()?
            .into_iter()
            .map(|e| (e.id().to_owned(), Arc::new(e)))
            .collect();
        let reads = Arc::new(bounded::Bounded::new(4, 1_024));
        let logs = Arc::new(log::Logs::new(reads.clone()));
        Ok(Self {
            ingest: ingest::Ingest::start(db.clone(), logs.clone()),
            logs,
            key: Arc::new(key),
            limits: Arc::new(Limits::default()),
            checks: Arc::new(bounded::Bounded::per_core(4_096)),
            reads,
            elections: Arc::new(RwLock::new(elections)),
            loading: Arc::default(),
            results: Arc::default(),
            computing: Arc::default(),
            results_computed: Arc::default(),
            closed: Arc::default(),
            listing: Arc::default(),
            records: Arc::default(),
            open_data: Arc::default(),
            operators: Arc::new(operators::Operators::without_passkeys()),
            operator_head: Arc::from(""),
            db,
        })
    }

    /// Runs a read of the database for a public answer, a few at a time
    /// (`reads`): 503 `busy` when too many wait already.
    pub async fn read<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, api::ApiError> {
        let db = self.db.clone();
        self.reads
            .run(move || op(&db))
            .await?
            .map_err(api::ApiError::from)
    }

    /// Every election, oldest first, as `GET /api/v1/elections` sends
    /// them: written once per election added, from the copies in memory.
    pub async fn listing(&self) -> Result<Arc<api::elections::Listing>, api::ApiError> {
        let count = self.read(|db| db.election_count()).await?;
        let mut held = self.listing.lock().await;
        if let Some(l) = held.as_ref().filter(|l| l.count == count) {
            return Ok(l.clone());
        }
        let ids = self.read(|db| db.election_ids()).await?;
        let mut all = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(e) = self.election(id).await? {
                all.push(e);
            }
        }
        let listing = Arc::new(
            self.reads
                .run(move || api::elections::Listing::new(&all))
                .await??,
        );
        *held = Some(listing.clone());
        Ok(listing)
    }

    /// The results last computed for an election, if nothing changed since.
    pub fn cached_results(&self, id: &str, stamp: ResultsStamp) -> Option<Arc<Computed>> {
        let cache = self.results.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(id)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, r)| r.clone())
    }

    pub fn cache_results(&self, id: &str, stamp: ResultsStamp, results: Arc<Computed>) {
        self.results
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), (stamp, results));
    }

    /// Whether this node has seen the election closed.
    pub fn closed(&self, id: &str) -> bool {
        self.closed
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(id)
    }

    pub fn remember_closed(&self, id: &str, c: db::Closure) {
        self.closed
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), c);
    }

    /// The root of the tree of `election`'s log that ends with leaf
    /// `sequence`: `known` when the writer gave it, else read from this
    /// node's tree.
    async fn root_ending_with(
        &self,
        election: &str,
        sequence: u64,
        known: Option<pointage_core::log::Hash>,
    ) -> Result<pointage_core::log::Hash, DbError> {
        if let Some(root) = known {
            return Ok(root);
        }
        self.logs
            .at_least(&self.db, election, sequence + 1)
            .await?
            .and_then(|held| held.root(sequence + 1))
            .ok_or_else(|| {
                DbError::Invariant(format!("leaf {sequence} of {election} is not stored"))
            })
    }

    /// The receipt of a return stored as leaf `sequence` of its election's
    /// log at `received_at`: it names the tree that ends with it (whose root
    /// is `known_root` when the writer gave it, else read from the tree).
    pub async fn receipt(
        &self,
        ret: &pointage_core::SignedReturn,
        sequence: u64,
        received_at: u64,
        known_root: Option<pointage_core::log::Hash>,
    ) -> Result<pointage_core::Receipt, DbError> {
        let root = self
            .root_ending_with(&ret.body().election_id, sequence, known_root)
            .await?;
        self.key
            .signer
            .sign(ret, sequence, received_at, &root)
            .map_err(|e| DbError::Sign(format!("a receipt: {e}")))
    }

    /// The receipt of a stored turnout report, leaf `sequence`: signed as a
    /// return's is, naming the report's id.
    pub async fn report_receipt(
        &self,
        report: &pointage_core::turnout::SignedReport,
        sequence: u64,
        received_at: u64,
        known_root: Option<pointage_core::log::Hash>,
    ) -> Result<pointage_core::Receipt, DbError> {
        let root = self
            .root_ending_with(&report.body().election_id, sequence, known_root)
            .await?;
        self.key
            .signer
            .sign_report(report, sequence, received_at, &root)
            .map_err(|e| DbError::Sign(format!("a receipt: {e}")))
    }

    /// The receipt of a stored photo document, leaf `sequence`.
    pub async fn photos_receipt(
        &self,
        photos: &pointage_core::photo::SignedPhotos,
        sequence: u64,
        received_at: u64,
        known_root: Option<pointage_core::log::Hash>,
    ) -> Result<pointage_core::Receipt, DbError> {
        let root = self
            .root_ending_with(&photos.body().election_id, sequence, known_root)
            .await?;
        self.key
            .signer
            .sign_photos(photos, sequence, received_at, &root)
            .map_err(|e| DbError::Sign(format!("a receipt: {e}")))
    }

    fn cached(&self, id: &str) -> Option<Arc<Election>> {
        self.elections
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }

    /// An election by id: from memory, or read once from the database (an
    /// election imported while the server runs).
    pub async fn election(&self, id: &str) -> Result<Option<Arc<Election>>, DbError> {
        if let Some(e) = self.cached(id) {
            return Ok(Some(e));
        }
        let _loading = self.loading.lock().await;
        if let Some(e) = self.cached(id) {
            return Ok(Some(e));
        }
        let owned = id.to_owned();
        let db = self.db.clone();
        let Some(e) = self.reads.run(move || db.election(&owned)).await?? else {
            return Ok(None);
        };
        let e = Arc::new(e);
        self.elections
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), e.clone());
        Ok(Some(e))
    }
}

/// The whole HTTP surface: the API under `/api/v1`, the app's files elsewhere,
/// both compressed (gzip or brotli, as the client accepts).
pub fn router(state: AppState, dist: PathBuf) -> Router {
    use axum::http::{HeaderName, HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    // On every answer: no type sniffing; no address (an enrollment link
    // carries its code) sent to another site; the camera for this site only,
    // nothing else of the phone's; no other window holding a reference to
    // the app's.
    let headers: [(HeaderName, &'static str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut state = state;
    if let Ok(index) = std::fs::read_to_string(dist.join("index.html")) {
        state.operator_head = results_page::shared_links(&index).into();
    }
    let mut router = Router::new()
        .nest("/api/v1", api::router(state.clone()))
        .merge(operators::router(state.clone()))
        .merge(results_page::router(state, &dist))
        .merge(static_files::router(dist))
        .layer(CompressionLayer::new());
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}
