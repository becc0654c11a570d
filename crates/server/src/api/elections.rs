//! `GET /api/v1/elections`: the elections this server collects returns for,
//! with their candidates and bureaux, oldest first. Written once per
//! election added (an election never changes: a new definition is a new
//! election), from the copies in memory, and sent with a tag: a flood of
//! requests costs a memory copy each, and never the writer.

use super::ApiError;
use super::http_cache::{PUBLIC_CACHE, cache_headers, not_modified_for};
use crate::AppState;
use crate::db::DbError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use pointage_core::Election;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The answer, written.
pub struct Listing {
    /// How many elections it lists.
    pub count: u64,
    json: Bytes,
    tag: HeaderValue,
}

impl Listing {
    pub fn new(elections: &[Arc<Election>]) -> Result<Self, DbError> {
        let json = serde_json::to_vec(&elections.iter().map(|e| &**e).collect::<Vec<_>>())
            .map_err(DbError::from_json)?;
        // Known by the elections' hashes.
        let mut h = Sha256::new();
        for e in elections {
            h.update(e.hash().as_bytes());
        }
        let tag = format!("\"{}\"", hex::encode(&h.finalize()[..12]));
        Ok(Self {
            count: elections.len() as u64,
            json: Bytes::from(json),
            tag: HeaderValue::from_str(&tag)
                .map_err(|e| DbError::Encode(format!("the elections' tag: {e}")))?,
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/elections",
    tag = "elections",
    responses(
        (status = 200, description = "Every election, oldest first; with an ETag", body = Vec<Election>),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
    )
)]
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let listing = state.listing().await?;
    if let Some(same) = not_modified_for(&headers, &listing.tag, PUBLIC_CACHE) {
        return Ok(same);
    }
    Ok((
        cache_headers(listing.tag.clone(), PUBLIC_CACHE),
        [(header::CONTENT_TYPE, "application/json")],
        listing.json.clone(),
    )
        .into_response())
}
