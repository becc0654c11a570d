//! HTTP caching of the public reads: what an answer is known by (its
//! ETag), how long a copy may be kept, and `304 Not Modified` for a copy
//! that is still the current one.

use crate::{AppState, ResultsStamp};
use axum::http::header;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// How long a browser or a cache in front of the server may answer the
/// public reads (results, bureaux, record) without asking again, and how
/// long it may answer from the stale copy while it asks: an election-night
/// viewer sees figures at most a few seconds old, and a million viewers
/// refreshing cost the server about one request per cache every few
/// seconds. Everything else the API answers is `no-store` (`api::router`).
pub const PUBLIC_CACHE: &str = "public, max-age=5, stale-while-revalidate=30";

/// What a public answer about `election` at `stamp` is known by. It changes
/// whenever what the answer is computed from may have (`Db::results_stamp`:
/// a return stored, a code issued, used or revoked), and between two
/// servers' databases (their keys differ). Weak: the server compresses the
/// same answer differently for each client.
pub fn etag(
    state: &AppState,
    election: &pointage_core::Election,
    stamp: ResultsStamp,
) -> HeaderValue {
    let tag = format!(
        "W/\"{stamp}-{}-{}\"",
        election.hash().get(..16).unwrap_or_default(),
        state.key.public.get(..16).unwrap_or_default()
    );
    // Digits, hex and a dash: always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// The headers of a public answer: its tag, and how long it may be kept.
pub fn public_headers(tag: HeaderValue) -> [(HeaderName, HeaderValue); 2] {
    cache_headers(tag, PUBLIC_CACHE)
}

/// The tag, and how long a copy may be kept.
pub fn cache_headers(tag: HeaderValue, cache: &'static str) -> [(HeaderName, HeaderValue); 2] {
    [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ]
}

/// `304 Not Modified` when the copy the client names (`If-None-Match`) is
/// the current one: nothing is computed or sent again.
pub fn not_modified(headers: &HeaderMap, tag: &HeaderValue) -> Option<Response> {
    not_modified_for(headers, tag, PUBLIC_CACHE)
}

/// [`not_modified`], the copy to be kept as `cache` says.
pub fn not_modified_for(
    headers: &HeaderMap,
    tag: &HeaderValue,
    cache: &'static str,
) -> Option<Response> {
    let ours = tag.to_str().unwrap_or_default().trim_start_matches("W/");
    let current = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == ours);
    current.then(|| (StatusCode::NOT_MODIFIED, cache_headers(tag.clone(), cache)).into_response())
}
