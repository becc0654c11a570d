//! The central team's pages (`/operateur`): accounts with roles (core's
//! `operator::Role`), signed in with a passkey (webauthn-rs), and the board
//! they work from. The phones' and the public API do not change.
//!
//! - An account comes from an invitation: a one-time link printed by
//!   `pointage-server operator invite`, or made by an admin on the board.
//!   Its holder makes a passkey on their device; the account is made then.
//! - A sign-in is a passkey ceremony; its state waits in the database, so
//!   that any node finishes what another began. Attempts are limited per
//!   client, and failures per account (then answered 429, after the API's
//!   tarpit).
//! - A session is a random token in a cookie (`__Host-`, `Secure`,
//!   `HttpOnly`, `SameSite=Strict`), kept in the database as its SHA-256,
//!   for 12 hours; each session has its own form proof, which every change
//!   must carry. Signing out ends every session of the account.
//! - No operator page answers without a session: a page sends to the
//!   sign-in, a change is refused (401).

mod bureau;
mod ceremony;
mod changes;
mod import;
mod import_form;
pub mod import_texts;
mod pages;
pub mod texts;

use crate::AppState;
use crate::db::operators::{NewToken, Operator, TokenKind};
use crate::rate_limit::RateLimiter;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::routing::{get, post};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

/// The session cookie's name: `__Host-` makes the browser refuse it
/// unless it is `Secure`, for this host only, on every path.
pub const COOKIE: &str = "__Host-pointage-op";
/// How long a session holds.
pub const SESSION_MS: u64 = 12 * 3_600_000;
/// How long an invitation holds.
pub const INVITE_MS: u64 = 7 * 24 * 3_600_000;
/// How long a passkey ceremony may take.
pub const CEREMONY_MS: u64 = 5 * 60_000;
/// Sign-in and invitation ceremonies a client may begin per minute.
pub const SIGNINS_PER_MINUTE: u32 = 10;
/// Failed sign-ins an account takes at once, then one a minute.
pub const FAILURES_AT_ONCE: u32 = 5;

/// The operators' side of the server: its passkeys' relying party (when
/// the server knows its public address) and its limits.
pub struct Operators {
    passkeys: Option<Passkeys>,
    signins: RateLimiter,
    failures: RateLimiter<String>,
}

struct Passkeys {
    webauthn: Webauthn,
    origin: Url,
}

impl Operators {
    /// With passkeys for the site at `public_url` (`https://…`, or
    /// `http://localhost:…` on one machine): the relying party is its
    /// host name. An address given as an IP cannot hold passkeys.
    pub fn new(public_url: &str) -> Result<Operators, String> {
        let origin = Url::parse(public_url.trim_end_matches('/'))
            .map_err(|e| format!("--public-url {public_url}: {e}"))?;
        let host = match origin.host_str() {
            Some(h) if h.parse::<std::net::IpAddr>().is_err() && !h.starts_with('[') => {
                h.to_owned()
            }
            _ => {
                return Err(format!(
                    "--public-url {public_url}: passkeys need a host name (localhost on this machine), not an IP address"
                ));
            }
        };
        let webauthn = WebauthnBuilder::new(&host, &origin)
            .and_then(|b| b.rp_name("Pointage").build())
            .map_err(|e| format!("--public-url {public_url}: {e}"))?;
        Ok(Operators {
            passkeys: Some(Passkeys { webauthn, origin }),
            ..Operators::without_passkeys()
        })
    }

    /// Without passkeys (no public address given): the pages say so.
    pub fn without_passkeys() -> Operators {
        Operators {
            passkeys: None,
            signins: RateLimiter::per_minute(SIGNINS_PER_MINUTE),
            failures: RateLimiter::new(
                FAILURES_AT_ONCE,
                1.0 / 60_000.0,
                crate::rate_limit::MAX_KEYS,
            ),
        }
    }

    /// With `n` ceremonies a minute per client instead of
    /// [`SIGNINS_PER_MINUTE`] (tests from one address).
    pub fn signins_per_minute(mut self, n: u32) -> Operators {
        self.signins = RateLimiter::per_minute(n);
        self
    }

    /// The public address invitations and new codes are links to.
    pub fn public_url(&self) -> Option<String> {
        self.passkeys
            .as_ref()
            .map(|p| p.origin.as_str().trim_end_matches('/').to_owned())
    }
}

/// A new random token and the SHA-256 it is stored as.
pub fn new_token() -> Result<(String, String), crate::db::DbError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::db::DbError::Random(e.to_string()))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What a token is stored as.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An invitation for `name` with `role`, until `now + INVITE_MS`: the
/// token to put in its link.
pub fn invite(
    db: &crate::db::Db,
    name: &str,
    role: pointage_core::operator::Role,
    now: u64,
) -> Result<String, crate::db::DbError> {
    let (token, hash) = new_token()?;
    let data = serde_json::json!({ "name": name, "role": role.code() }).to_string();
    db.token_put(
        &NewToken {
            hash: &hash,
            kind: TokenKind::Invite,
            operator: None,
            data: &data,
            expires_at: now + INVITE_MS,
        },
        now,
    )?;
    Ok(token)
}

/// An invitation's link.
pub fn invitation_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/operateur/invitation#{token}",
        public_url.trim_end_matches('/')
    )
}

/// A signed-in operator, and the form proof of the session.
pub struct Signed {
    pub op: Operator,
    pub csrf: String,
}

/// The session token a request's cookie carries.
fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// The operator signed in on this request, if any.
pub async fn signed_in(
    app: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Signed>, crate::api::ApiError> {
    let Some(token) = cookie_token(headers) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let now = crate::system::now_ms();
    let found = app.read(move |db| db.session(&hash, now)).await?;
    Ok(found.map(|(op, csrf)| Signed { op, csrf }))
}

/// A new session for `op`: the `Set-Cookie` to answer with.
pub fn open_session(
    db: &crate::db::Db,
    op: &Operator,
    now: u64,
) -> Result<HeaderValue, crate::db::DbError> {
    let (token, hash) = new_token()?;
    let (csrf, _) = new_token()?;
    db.token_put(
        &NewToken {
            hash: &hash,
            kind: TokenKind::Session,
            operator: Some(&op.id),
            data: &csrf,
            expires_at: now + SESSION_MS,
        },
        now,
    )?;
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_MS / 1000
    ))
    .map_err(|e| crate::db::DbError::Encode(e.to_string()))
}

/// The cookie that ends a session in the browser.
pub fn closed_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-pointage-op=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// Whether the form proof `given` is the session's (compared as hashes:
/// the time it takes says nothing of the proof).
pub fn proof_holds(signed: &Signed, given: &str) -> bool {
    Sha256::digest(given.as_bytes()) == Sha256::digest(signed.csrf.as_bytes())
}

/// The operators' routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(pages::BOARD, get(pages::board))
        .route(pages::SIGNIN, get(pages::signin))
        .route(pages::INVITATION, get(pages::invitation))
        .route(pages::SCRIPT, get(pages::script))
        .route("/operateur/invitations", post(changes::invite))
        .route("/operateur/reemettre", post(changes::reissue))
        .route(
            import::PATH,
            get(import::page)
                .post(import::import)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::spreadsheet::MAX_BYTES + 64 * 1024,
                )),
        )
        .route("/operateur/telechargement/{token}", get(import::download))
        .route("/operateur/deconnexion", post(changes::sign_out))
        .route(bureau::PATH, get(bureau::page))
        .route("/operateur/note", post(changes::note))
        .route("/operateur/clore", post(changes::close))
        .route("/operateur/echeance", post(changes::deadline))
        .route(
            "/operateur/api/invitation/debut",
            post(ceremony::invitation_start),
        )
        .route(
            "/operateur/api/invitation/fin",
            post(ceremony::invitation_finish),
        )
        .route(
            "/operateur/api/connexion/debut",
            post(ceremony::signin_start),
        )
        .route(
            "/operateur/api/connexion/fin",
            post(ceremony::signin_finish),
        )
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
}

/// The operators' state, shared by the routes.
pub type Shared = Arc<Operators>;
