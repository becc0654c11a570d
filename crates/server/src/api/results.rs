//! `GET /api/v1/results[?election=ID]`: totals computed by core from the
//! stored signed returns only, each with the bureaux it covers, and how many
//! bureaux are in each state; `GET /api/v1/bureaux`: the bureaux and their
//! state, a page at a time, filtered by state or by text. Without
//! `election`, the most recently created election.

use super::ApiError;
use super::http_cache::{etag, not_modified, public_headers};
use crate::AppState;
use crate::results::{bureau_page, computed, resolve, stamp};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use pointage_core::wire::{
    ApiErrorBody, BUREAU_PAGE_MAX, BureauPage, BureauState, ResultsResponse,
};
use serde::Deserialize;

/// A public JSON answer, with its tag.
fn public_json(tag: HeaderValue, bytes: Bytes) -> Response {
    (
        public_headers(tag),
        [(header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Which {
    /// The election's id; the most recently created one when absent.
    pub election: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/results",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "Totals from signed returns only, with the bureaux they cover, and how many bureaux are in each state; with an ETag, cacheable a few seconds", body = ResultsResponse),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let election = resolve(&state, which.election).await?;
    let stamp = stamp(&state, election.id()).await?;
    let tag = etag(&state, &election, stamp);
    if let Some(same) = not_modified(&headers, &tag) {
        return Ok(same);
    }
    let computed = computed(&state, election, stamp).await?;
    Ok(public_json(tag, computed.results_json.clone()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BureauQuery {
    /// The election's id; the most recently created one when absent.
    pub election: Option<String>,
    /// Only the bureaux in this state.
    #[param(inline)]
    pub state: Option<BureauState>,
    /// Only the bureaux whose code, name or commune contains this text,
    /// whatever its accents, case, spaces and punctuation ("ecole jules
    /// ferry" finds "École Jules-Ferry", "demo001" finds "DEMO-001").
    pub q: Option<String>,
    /// The place of the first bureau to answer among those that match, from 0.
    pub offset: Option<u32>,
    /// How many bureaux to answer: 50 when absent, at most 200.
    pub limit: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/bureaux",
    tag = "results",
    params(BureauQuery),
    responses(
        (status = 200, description = "One page of the bureaux that match, with their state and, once received, their return's version and human code; with an ETag, cacheable a few seconds", body = BureauPage),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn bureaux(
    State(state): State<AppState>,
    Query(query): Query<BureauQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let election = resolve(&state, query.election).await?;
    let stamp = stamp(&state, election.id()).await?;
    let tag = etag(&state, &election, stamp);
    if let Some(same) = not_modified(&headers, &tag) {
        return Ok(same);
    }
    let computed = computed(&state, election, stamp).await?;
    let limit = query.limit.unwrap_or(50).clamp(1, BUREAU_PAGE_MAX);
    let answer = bureau_page(
        &computed,
        query.state,
        query.q.as_deref().unwrap_or(""),
        query.offset.unwrap_or(0),
        limit,
    );
    let bytes = serde_json::to_vec(&answer).map_err(crate::db::DbError::from_json)?;
    Ok(public_json(tag, Bytes::from(bytes)))
}
