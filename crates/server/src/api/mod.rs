//! The JSON API under `/api/v1`: one file per resource, each handler thin over
//! `pointage-core` and `db`. Errors leave as [`ApiError`], whose `code` the app
//! translates; the server never sends prose the app has to parse.

mod elections;
mod error;
mod health;

pub use error::ApiError;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/elections", get(elections::list))
        .fallback(error::not_found)
        .with_state(state)
        // API answers describe the live state of the server: never cached.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
