//! Serves the built bureau app (Trunk's `dist/`): the right content type for
//! every file (`application/wasm` for the module), `index.html` for any path
//! that is not a file, so that client-side routes survive a reload.
//!
//! Every file is served with `Cache-Control: no-cache`: the browser keeps it but
//! revalidates it (a cheap 304), so a phone never runs an `index.html` that
//! points at a wasm module the server no longer has.

use axum::Router;
use axum::http::{HeaderValue, header};
use std::path::PathBuf;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(dist: PathBuf) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    Router::new()
        .fallback_service(ServeDir::new(dist).fallback(index))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}
