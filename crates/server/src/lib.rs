//! pointage-server: the central server. It serves the built bureau app and the
//! JSON API, and keeps elections (later: bureau keys and signed returns) in an
//! embedded SQLite database.
//!
//! Handlers stay thin: every rule lives in `pointage-core`. The server never
//! computes a figure that a bureau did not sign, and never edits one.

pub mod api;
pub mod db;
pub mod demo;
pub mod static_files;

use axum::Router;
use std::path::PathBuf;
use tower_http::compression::CompressionLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
}

/// The whole HTTP surface: the API under `/api/v1`, the app's files elsewhere,
/// both compressed (gzip or brotli, as the client accepts).
pub fn router(state: AppState, dist: PathBuf) -> Router {
    Router::new()
        .nest("/api/v1", api::router(state))
        .merge(static_files::router(dist))
        .layer(CompressionLayer::new())
}
