//! The JSON API under `/api/v1`: one file per resource, each handler thin over
//! `pointage-core` and `db`. Errors leave as [`ApiError`], whose `code` the app
//! translates; the server never sends prose the app has to parse.

pub mod elections;
mod enroll;
mod error;
mod health;
pub mod http_cache;
mod log;
mod next_round;
pub mod open_data;
pub mod openapi;
mod photos;
pub mod record;
mod recover;
mod reports;
pub mod results;
mod returns;
mod side;

pub use error::ApiError;
pub use record::BATCH as RECORD_BATCH;

use crate::AppState;
use crate::rate_limit::{Client, client_of};
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post, put};
use std::convert::Infallible;
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest request body the API reads: a signed return is about 1 KB,
/// and even one with 4,000-byte explanations stays far below this.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request body may take to arrive: a phone on a bad network
/// sends a 1 KB return in far less; a client that holds a connection open
/// by trickling bytes is cut off.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// How long a request refused as malformed or over its allowance waits for
/// its answer: nothing to an honest client, which meets neither, but a
/// client that loops on them makes a few a second instead of thousands,
/// and the server's cores go to the phones.
pub const TARPIT: std::time::Duration = std::time::Duration::from_millis(250);

async fn tarpit(
    axum::extract::State(state): axum::extract::State<AppState>,
    response: axum::response::Response,
) -> axum::response::Response {
    use axum::http::StatusCode;
    if matches!(
        response.status(),
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE | StatusCode::TOO_MANY_REQUESTS
    ) && !state.limits.tarpit.is_zero()
    {
        tokio::time::sleep(state.limits.tarpit).await;
    }
    response
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/elections", get(elections::list))
        .route("/enroll", post(enroll::post))
        .route("/next-round", get(next_round::get))
        .route("/returns", post(returns::post))
        .route("/reports", post(reports::post))
        .route("/photos", post(photos::post))
        .route("/photos/{sha256}", get(photos::picture))
        .route("/photos/{sha256}/pieces", get(photos::pieces))
        .route("/photos/{sha256}/pieces/{n}", put(photos::put_piece))
        .route("/recover", post(recover::post))
        .route("/results", get(results::get))
        .route("/bureaux", get(results::bureaux))
        .route("/open-data/results.csv", get(open_data::results))
        .route("/open-data/turnout.csv", get(open_data::turnout))
        .route("/record", get(record::get))
        .route("/log", get(log::head))
        .route("/log/consistency", get(log::consistency))
        .route("/log/inclusion", get(log::inclusion))
        .route("/log/bureau", get(log::bureau))
        .route("/openapi.json", get(openapi::get))
        .fallback(error::not_found)
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A body declared larger than that is refused from its headers,
        // before a byte of it is read; a body that trickles in is dropped
        // after BODY_TIMEOUT.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_TIMEOUT,
        ))
        // What axum's extractors refuse (a body too large, not JSON, not
        // the expected shape) gets the API's JSON error body too.
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(axum::middleware::map_response_with_state(state, tarpit))
        // API answers describe the live state of the server: never cached,
        // but for the public reads, which say themselves for how long
        // (`results::PUBLIC_CACHE`, with an ETag).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The client as the limits count it (`rate_limit::client_of`): the
/// connection's peer, or, behind a trusted proxy, the address it forwards.
/// Unknown in tests that call the router directly.
pub struct ClientAddr(pub Client);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(Client::from(client_of(
            peer,
            &parts.headers,
            &state.limits.trusted,
        ))))
    }
}
