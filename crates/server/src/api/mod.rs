//! The JSON API under `/api/v1`: one file per resource, each handler thin over
//! `pointage-core` and `db`. Errors leave as [`ApiError`], whose `code` the app
//! translates; the server never sends prose the app has to parse.

mod elections;
mod enroll;
mod error;
mod health;
mod log;
pub mod openapi;
mod record;
mod recover;
pub(crate) mod results;
mod returns;

pub use error::ApiError;
pub use record::BATCH as RECORD_BATCH;

use crate::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest request body the API reads: a signed return is about 1 KB,
/// and even one with 4,000-byte explanations stays far below this.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request body may take to arrive: a phone on a bad network
/// sends a 1 KB return in far less; a client that holds a connection open
/// by trickling bytes is cut off.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/elections", get(elections::list))
        .route("/enroll", post(enroll::post))
        .route("/returns", post(returns::post))
        .route("/recover", post(recover::post))
        .route("/results", get(results::get))
        .route("/bureaux", get(results::bureaux))
        .route("/record", get(record::get))
        .route("/log", get(log::head))
        .route("/log/consistency", get(log::consistency))
        .route("/log/inclusion", get(log::inclusion))
        .route("/log/bureau", get(log::bureau))
        .route("/openapi.json", get(openapi::get))
        .fallback(error::not_found)
        .with_state(state)
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
        // API answers describe the live state of the server: never cached,
        // but for the public reads, which say themselves for how long
        // (`results::PUBLIC_CACHE`, with an ETag).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The client's address when the server knows it (it does when served with
/// connect info, as `main` does; not in tests that call the router directly).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
