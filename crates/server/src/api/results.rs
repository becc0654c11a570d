//! `GET /api/v1/results[?election=ID]`: totals computed by core from the
//! stored signed returns only, each with the bureaux it covers, and how many
//! bureaux are in each state; `GET /api/v1/bureaux`: the bureaux and their
//! state, a page at a time, filtered by state or by text. Without
//! `election`, the most recently created election.

use super::ApiError;
use crate::{AppState, Computed, ResultsStamp};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pointage_core::results;
use pointage_core::search::{finds, search_key};
use pointage_core::wire::{
    ApiErrorBody, BUREAU_PAGE_MAX, BureauPage, BureauState, ErrorCode, ResultsResponse,
};
use serde::Deserialize;
use std::sync::Arc;

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
pub(crate) fn etag(
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
pub(super) fn public_headers(tag: HeaderValue) -> [(HeaderName, HeaderValue); 2] {
    cache_headers(tag, PUBLIC_CACHE)
}

/// The tag, and how long a copy may be kept.
pub(super) fn cache_headers(
    tag: HeaderValue,
    cache: &'static str,
) -> [(HeaderName, HeaderValue); 2] {
    [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ]
}

/// `304 Not Modified` when the copy the client names (`If-None-Match`) is
/// the current one: nothing is computed or sent again.
pub(crate) fn not_modified(headers: &HeaderMap, tag: &HeaderValue) -> Option<Response> {
    not_modified_for(headers, tag, PUBLIC_CACHE)
}

/// [`not_modified`], the copy to be kept as `cache` says.
pub(super) fn not_modified_for(
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

/// Where an election's results stand now (`Db::results_stamp`). Read before
/// anything the answer is made of, so that an answer is never older than
/// its tag says: at worst newer, which costs one more transfer later.
pub(crate) async fn stamp(state: &AppState, election_id: &str) -> Result<ResultsStamp, ApiError> {
    let id = election_id.to_owned();
    state.read(move |db| db.results_stamp(&id)).await
}

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

/// The election asked for, or the latest created.
pub async fn resolve(
    state: &AppState,
    which: Option<String>,
) -> Result<std::sync::Arc<pointage_core::Election>, ApiError> {
    let id = match which {
        Some(id) => id,
        None => state
            .read(|db| db.latest_election_id())
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    ErrorCode::NotFound,
                    "no election on this server",
                )
            })?,
    };
    state.election(&id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such election",
        )
    })
}

/// The results and bureau states of an election, computed again only when a
/// return was stored or a device enrolled or revoked since the last time: a
/// national election is 70,000 returns to read and add.
pub(crate) async fn computed(
    state: &AppState,
    election: Arc<pointage_core::Election>,
    stamp: ResultsStamp,
) -> Result<Arc<Computed>, ApiError> {
    let id = election.id().to_owned();
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(cached);
    }
    // Single flight: the requests that find the results stale wait for the
    // one computing them, and take its answer.
    let _computing = state.computing.lock().await;
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(cached);
    }
    state
        .results_computed
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Read and added up on the blocking pool: a national election's
    // returns are seconds of work that no async worker may hold.
    let e = election.clone();
    let computed = state
        .read(move |db| {
            let (bodies, enrolled) = db.results_inputs(&id)?;
            compute(&e, &bodies, &enrolled)
        })
        .await?;
    let computed = Arc::new(computed);
    state.cache_results(election.id(), stamp, computed.clone());
    Ok(computed)
}

/// The results and bureau states from the stored returns' bodies and the
/// bureaux with an enrolled device.
fn compute(
    election: &pointage_core::Election,
    bodies: &[(String, pointage_core::ReturnBody)],
    enrolled: &std::collections::HashMap<String, String>,
) -> Result<Computed, crate::db::DbError> {
    let results = results::compute(election, bodies.iter().map(|(id, b)| (id.as_str(), b)));
    let (bureaux, counts) =
        results::bureau_states(election, &results, |code| enrolled.contains_key(code));
    let answer = ResultsResponse {
        election_name: election.name().to_owned(),
        round: election.round(),
        date: election.date().to_owned(),
        mode: election.mode(),
        results,
        bureaux: counts,
    };
    let results_json =
        Bytes::from(serde_json::to_vec(&answer).map_err(|e| crate::db::DbError::from_json(e))?);
    let search = bureaux
        .iter()
        .map(|b| [&b.code, &b.name, &b.commune].map(|f| search_key(f)))
        .collect();
    Ok(Computed {
        results_json,
        results: answer,
        bureaux,
        search,
    })
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
    let bytes = serde_json::to_vec(&answer).map_err(|e| crate::db::DbError::from_json(e))?;
    Ok(public_json(tag, Bytes::from(bytes)))
}

/// The bureaux in `state` (all when `None`) whose code, name or commune
/// contains `q` (core's `search`: whatever the accents, case, spaces and
/// punctuation), at most `limit` of
/// them from the `offset`-th, and how many match in all: for the API and
/// the results page alike.
pub(crate) fn bureau_page(
    computed: &Computed,
    state: Option<BureauState>,
    q: &str,
    offset: u32,
    limit: u32,
) -> BureauPage {
    let needle = search_key(q);
    let matching = computed
        .bureaux
        .iter()
        .zip(&computed.search)
        .filter(|(b, fields)| {
            // Without a text, the bureaux' search keys are not even read
            // (70,000 of them, for every whole results page).
            state.is_none_or(|s| b.state == s)
                && (needle.is_empty() || fields.iter().any(|f| finds(&needle, f)))
        })
        .map(|(b, _)| b);
    let mut total = 0u32;
    let mut page = Vec::new();
    for b in matching {
        if total >= offset && page.len() < limit as usize {
            page.push(b.clone());
        }
        total += 1;
    }
    BureauPage {
        matching: total,
        offset,
        bureaux: page,
    }
}
