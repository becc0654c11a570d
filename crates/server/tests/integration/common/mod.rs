//! What the server's HTTP tests share: a server on a free port with a fresh
//! database and the demo election, its client, and returns signed by core.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::{ApiErrorBody, BureauPage, EnrollResponse, ErrorCode, ResultsResponse};
use pointage_core::{Election, ElectionRef, Members, ProcesVerbal, ReturnDraft, SignedReturn};
use pointage_server::db::{Db, IssuedCode};
use pointage_server::{AppState, demo, router};

pub struct Server {
    pub base: String,
    pub db: Db,
    /// The server's state, as its handlers share it.
    pub state: AppState,
    pub election: Election,
    pub codes: Vec<IssuedCode>,
    /// The server's public key (lowercase hex): what signs receipts and
    /// heads.
    pub key: String,
    pub client: reqwest::Client,
    /// The PostgreSQL database's name, when the suite runs on PostgreSQL.
    pub postgres: Option<String>,
    /// Where the SQLite database is (when it is SQLite).
    pub data_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The environment variable that runs the suite on PostgreSQL: libpq's
/// `host=… port=… user=…` of a cluster the tests may create databases on
/// (`cargo xtask test` starts one of its own and sets it).
pub const POSTGRES_ENV: &str = "POINTAGE_TEST_POSTGRES";

/// An empty database: SQLite in `dir`, or, when [`POSTGRES_ENV`] is set, a
/// new PostgreSQL database of its own on that cluster.
pub async fn fresh_db(dir: &std::path::Path) -> Db {
    fresh_named_db(dir).await.0
}

/// [`fresh_db`], and the PostgreSQL database's name when it is one.
pub async fn fresh_named_db(dir: &std::path::Path) -> (Db, Option<String>) {
    match postgres_database().await {
        Some(url) => (
            Db::open_postgres(&url, pointage_server::db::Secrets::in_dir(dir).unwrap()).unwrap(),
            url.rsplit("dbname=").next().map(str::to_owned),
        ),
        None => (Db::open(dir).unwrap(), None),
    }
}

/// A new, empty database on the cluster of [`POSTGRES_ENV`], if it is set:
/// its connection string.
pub async fn postgres_database() -> Option<String> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let base = std::env::var(POSTGRES_ENV).ok()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "t_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let (client, conn) =
        tokio_postgres::connect(&format!("{base} dbname=postgres"), tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={base}: {e}"));
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    Some(format!("{base} dbname={name}"))
}

pub async fn start() -> Server {
    start_with(None).await
}

/// [`start`], with `enrollments` attempts a minute per client instead of
/// the server's default.
pub async fn start_with(enrollments: Option<u32>) -> Server {
    // Every request of a test comes from this machine: a night's returns
    // from one address (the limits themselves are tested apart).
    start_limited(
        pointage_server::Limits::new(
            enrollments.unwrap_or(pointage_server::ENROLL_ATTEMPTS_PER_MINUTE),
            Vec::new(),
        )
        .returns_per_minute(1_000_000)
        .records_per_minute(1_000_000)
        .pictures_per_minute(1_000_000),
    )
    .await
}

/// [`start`], with these limits.
pub async fn start_limited(limits: pointage_server::Limits) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let (db, postgres) = fresh_named_db(&dir.path().join("data")).await;
    let (election, codes) = demo::seed_if_empty(&db, 0).unwrap().unwrap();
    let mut state = AppState::new(db.clone()).unwrap();
    state.limits = std::sync::Arc::new(limits);
    let addr = pointage_server::serve::on_free_port(router(state.clone(), dist))
        .await
        .unwrap();
    Server {
        base: format!("http://{addr}/api/v1"),
        key: state.key.public.clone(),
        db,
        state,
        election,
        codes,
        client: reqwest::Client::new(),
        postgres,
        data_dir: dir.path().join("data"),
        _dir: dir,
    }
}

/// Another server over the database in `data_dir` (SQLite), as after a
/// restart: nothing of the first one's memory. Its API's address.
pub async fn serve_again(data_dir: &std::path::Path) -> String {
    let dist = data_dir.join("dist-again");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let state = AppState::new(Db::open(data_dir).unwrap()).unwrap();
    let addr = pointage_server::serve::on_free_port(router(state, dist))
        .await
        .unwrap();
    format!("http://{addr}/api/v1")
}

impl Server {
    pub fn code(&self, bureau: &str) -> String {
        self.codes
            .iter()
            .find(|c| c.bureau == bureau)
            .unwrap()
            .code
            .clone()
    }

    pub async fn enroll(&self, code: &str, secret: &[u8; 32]) -> reqwest::Response {
        self.client
            .post(format!("{}/enroll", self.base))
            .json(&serde_json::json!({ "code": code, "device_key": public_key_hex(secret) }))
            .send()
            .await
            .unwrap()
    }

    /// A new code for `bureau`, issued at `now`: its old code and the
    /// phone enrolled with it are revoked (`election codes --reissue`).
    pub fn reissue(&self, bureau: &str, now: u64) -> IssuedCode {
        let id = self.election.id().to_owned();
        self.db
            .reissue_code(
                &id,
                bureau,
                now,
                pointage_core::operator::Actor::CommandLine,
            )
            .unwrap()
    }

    /// Enrolls `secret`'s key with `code`, which must be accepted.
    pub async fn enrolled(&self, code: &str, secret: &[u8; 32]) -> EnrollResponse {
        let resp = self.enroll(code, secret).await;
        assert_eq!(resp.status(), 200, "enrolling with {code}");
        resp.json().await.unwrap()
    }

    /// The public record, as text.
    pub async fn record(&self) -> String {
        let resp = self
            .client
            .get(format!("{}/record", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.text().await.unwrap()
    }

    pub async fn submit(&self, bytes: Vec<u8>) -> reqwest::Response {
        self.client
            .post(format!("{}/returns", self.base))
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    /// GET an API path that must answer 200, read as JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let resp = self
            .client
            .get(format!("{}/{path}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().await.unwrap()
    }

    /// An open-data file (`open-data/{file}`): its text, and its cells
    /// line by line after the head line (no cell of the test elections
    /// is quoted).
    pub async fn open_data(&self, path: &str) -> (String, Vec<Vec<String>>) {
        let resp = self
            .client
            .get(format!("{}/open-data/{path}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "GET {path}");
        assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
        let text = resp.text().await.unwrap();
        assert!(
            text.starts_with("\u{feff}# pointage-open-data/1;"),
            "{text}"
        );
        let rows = text
            .lines()
            .skip(1)
            .map(|l| l.split(';').map(str::to_owned).collect())
            .collect();
        (text, rows)
    }

    pub async fn results(&self) -> ResultsResponse {
        self.get_json("results").await
    }

    pub async fn bureaux(&self, query: &str) -> BureauPage {
        self.get_json(&format!("bureaux?{query}")).await
    }

    pub fn stored(&self) -> u64 {
        let id = self.election.id().to_owned();
        self.db.return_count(&id).unwrap()
    }
}

pub async fn error_code(resp: reqwest::Response) -> ErrorCode {
    resp.json::<ApiErrorBody>().await.unwrap().error.code
}

/// A PV of the demo election (candidates moreau, bertrand, lefevre,
/// garnier) with `votes` for them, no warning.
pub fn pv(votes: [u32; 4]) -> ProcesVerbal {
    let ids = ["moreau", "bertrand", "lefevre", "garnier"];
    let exprimes: u32 = votes.iter().sum();
    ProcesVerbal {
        inscrits: None,
        emargements: Some(exprimes + 3),
        enveloppes: Some(exprimes + 3),
        blancs: Some(2),
        nuls: Some(1),
        exprimes: Some(exprimes),
        voix: ids
            .iter()
            .zip(votes)
            .map(|(id, v)| ((*id).to_owned(), Some(v)))
            .collect(),
        contributions_cents: Some(2 * 100 * u64::from(exprimes + 3)),
        members: Members {
            president: "Awa Diallo".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
        },
        observations: String::new(),
    }
}

/// Bureau `bureau`'s return of `pv(votes)`, agreed by two people, signed
/// with `secret` (the test kit's builder): version 1, or the correction of
/// `correction`'s return with its reason.
pub fn sign<E: ElectionRef>(
    e: &E,
    bureau: &str,
    votes: [u32; 4],
    secret: &[u8; 32],
    correction: Option<(&SignedReturn, String)>,
) -> SignedReturn {
    pointage_testkit::signed_version(e, bureau, pv(votes), secret, 1_800_000_000_000, correction)
}

/// A bureau's return counted on table phones (`pointage-return/2`): the
/// PV of `pv([40, 30, 20, 10])`, packet 1 (100 envelopes) at table 1 on two
/// phones, packet 2 (3) at table 2 on one, W6 explained; the invitations
/// signed with `secret`, the bureau key.
pub fn sign_with_tables<E: ElectionRef>(e: &E, bureau: &str, secret: &[u8; 32]) -> SignedReturn {
    use pointage_core::gathering::Slot;
    use pointage_core::sheet::{Invitation, PacketLine, TableSheet};
    use pointage_core::{RuleCode, TallyEvent, TallyLog};
    let ids = ["moreau", "bertrand", "lefevre", "garnier"];
    let line = |number, voix: [u32; 4], blancs, nuls| PacketLine {
        number,
        envelopes: voix.iter().sum::<u32>() + blancs + nuls,
        voix: ids
            .iter()
            .map(|i| (i.to_string(), 0))
            .zip(voix)
            .map(|((i, _), v)| (i, v))
            .collect(),
        blancs,
        nuls,
    };
    let at = 1_800_000_000_000;
    let sheet = |table, slot, who: &str, l: PacketLine, key: &[u8; 32]| {
        let inv = Invitation::sign(e, bureau, table, slot, secret, at).unwrap();
        TableSheet::sign(inv, who, [3; 32], vec![l], key, at).unwrap()
    };
    let sheets = vec![
        sheet(
            1,
            Slot::A,
            "Élise",
            line(1, [40, 30, 20, 8], 2, 0),
            &[31; 32],
        ),
        sheet(
            1,
            Slot::B,
            "Farid",
            line(1, [40, 30, 20, 8], 2, 0),
            &[32; 32],
        ),
        sheet(2, Slot::A, "Gaëlle", line(2, [0, 0, 0, 2], 0, 1), &[33; 32]),
    ];
    let mut log = TallyLog::new(ids.iter().map(|i| i.to_string()).collect(), [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 103,
        enveloppes: 103,
        explanation: String::new(),
    })
    .unwrap();
    let entry = pointage_testkit::agreed(pv([40, 30, 20, 10]));
    let draft = ReturnDraft {
        turnout: None,
        tables: &sheets,
        bureau,
        entry: &entry,
        explanations: [(
            RuleCode::W6,
            "Le second pointeur de la table 2 était sur papier.".to_owned(),
        )]
        .into(),
        tally: Some(&log),
        correction: None,
    };
    SignedReturn::sign(e, draft, secret, at).unwrap()
}

/// The public key (lowercase hex) of a secret.
pub fn public_key_hex_of(secret: &[u8; 32]) -> String {
    public_key_hex(secret)
}

pub const PHONE_1: [u8; 32] = [11; 32];
pub const PHONE_2: [u8; 32] = [12; 32];
