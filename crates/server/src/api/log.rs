//! The election's log, for its witnesses (docs/return-format.md §7):
//! `GET /api/v1/log` its current head, signed; `/log/consistency` and
//! `/log/inclusion` the proofs between two sizes or of a leaf;
//! `/log/bureau` a bureau's leaves with their proofs, for its phone.
//!
//! Every answer is computed from this node's tree of the log (`crate::log`),
//! which reads from the database what it lacks; none holds the writer.

use super::ApiError;
use super::http_cache::{PUBLIC_CACHE, cache_headers, not_modified_for};
use super::record::FINAL_CACHE;
use crate::AppState;
use crate::db::DbError;
use crate::results::resolve;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pointage_core::log::{
    BureauLog, Consistency, LogEntry, MAX_FROM, ProvenLeaf, SignedTreeHead, to_hex,
};
use pointage_core::wire::{ApiErrorBody, ErrorCode, LogProof};
use serde::Deserialize;

/// What an answer about the log of `size` leaves is known by: its root
/// (and the server's key), so a copy is current exactly while the log is
/// the same, whatever else moves.
pub(super) fn head_tag(state: &AppState, held: &crate::log::Held, size: u64) -> HeaderValue {
    let root: String = held
        .root(size)
        .map(|r| hex::encode(&r[..8]))
        .unwrap_or_default();
    let tag = format!(
        "W/\"{size}-{root}-{}\"",
        state.key.public.get(..16).unwrap_or_default()
    );
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"\""))
}

fn bad(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
}

fn beyond() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "the log has fewer leaves than asked for",
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HeadQuery {
    /// The election's id; the most recently created one when absent.
    pub election: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/log",
    tag = "log",
    params(HeadQuery),
    responses(
        (status = 200, description = "The log's current head, signed by the server key", body = SignedTreeHead),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn head(
    State(state): State<AppState>,
    Query(q): Query<HeadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let election = resolve(&state, q.election).await?;
    let held = state.logs.current(&state.db, election.id()).await?;
    let tag = head_tag(&state, &held, held.len());
    if let Some(same) = not_modified_for(&headers, &tag, PUBLIC_CACHE) {
        return Ok(same);
    }
    let head = held.head(&election, held.len(), &state.key.signer)?;
    Ok((cache_headers(tag, PUBLIC_CACHE), Json(head)).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyQuery {
    pub election: Option<String>,
    /// The older tree's size.
    pub from: u64,
    /// The newer tree's size.
    pub to: u64,
}

#[utoipa::path(
    get,
    path = "/api/v1/log/consistency",
    tag = "log",
    params(ConsistencyQuery),
    responses(
        (status = 200, description = "The consistency proof from the tree of `from` leaves to the tree of `to` (RFC 9162 §2.1.4); it never changes", body = LogProof),
        (status = 400, description = "`bad_request`: `from` is above `to`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such election, or the log has fewer than `to` leaves", body = ApiErrorBody),
    )
)]
pub async fn consistency(
    State(state): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Response, ApiError> {
    if q.from > q.to {
        return Err(bad("from is above to"));
    }
    let election = resolve(&state, q.election).await?;
    let held = state
        .logs
        .at_least(&state.db, election.id(), q.to)
        .await?
        .ok_or_else(beyond)?;
    let proof = held.tree().consistency(q.from, q.to).ok_or_else(beyond)?;
    Ok(immutable(LogProof {
        proof: to_hex(&proof),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InclusionQuery {
    pub election: Option<String>,
    /// The leaf's index, from 0.
    pub index: u64,
    /// The tree's size.
    pub size: u64,
}

#[utoipa::path(
    get,
    path = "/api/v1/log/inclusion",
    tag = "log",
    params(InclusionQuery),
    responses(
        (status = 200, description = "The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3); it never changes", body = LogProof),
        (status = 400, description = "`bad_request`: `index` is not below `size`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such election, or the log has fewer than `size` leaves", body = ApiErrorBody),
    )
)]
pub async fn inclusion(
    State(state): State<AppState>,
    Query(q): Query<InclusionQuery>,
) -> Result<Response, ApiError> {
    if q.index >= q.size {
        return Err(bad("index is not below size"));
    }
    let election = resolve(&state, q.election).await?;
    let held = state
        .logs
        .at_least(&state.db, election.id(), q.size)
        .await?
        .ok_or_else(beyond)?;
    let proof = held.tree().inclusion(q.index, q.size).ok_or_else(beyond)?;
    Ok(immutable(LogProof {
        proof: to_hex(&proof),
    }))
}

/// A proof between two fixed sizes: the same for good.
fn immutable(proof: LogProof) -> Response {
    (
        [(axum::http::header::CACHE_CONTROL, FINAL_CACHE)],
        Json(proof),
    )
        .into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BureauQuery {
    pub election: Option<String>,
    /// The bureau's code.
    pub bureau: String,
    /// The sizes of the heads the asker holds, comma-separated (at most
    /// 16): the answer proves the current head extends each (none is given
    /// from a size beyond the log).
    pub from: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/log/bureau",
    tag = "log",
    params(BureauQuery),
    responses(
        (status = 200, description = "The current head, every leaf of the bureau with its inclusion proof in it, a consistency proof from each size in `from`, and the server's signature of the list of the bureau's leaves", body = BureauLog),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 400, description = "`bad_request`: `from` is not a list of at most 16 sizes", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such election or bureau", body = ApiErrorBody),
    )
)]
pub async fn bureau(
    State(state): State<AppState>,
    Query(q): Query<BureauQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let from: Vec<u64> = match q.from.as_deref().filter(|f| !f.is_empty()) {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|n| n.trim().parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("from is not a list of sizes"))?,
    };
    if from.len() > MAX_FROM {
        return Err(bad("from lists more than 16 sizes"));
    }
    let election = resolve(&state, q.election).await?;
    if !election.bureaux().iter().any(|b| b.code == q.bureau) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such bureau in this election",
        ));
    }
    let held = state.logs.current(&state.db, election.id()).await?;
    let size = held.len();
    let tag = head_tag(&state, &held, size);
    if let Some(same) = not_modified_for(&headers, &tag, PUBLIC_CACHE) {
        return Ok(same);
    }
    let head = held.head(&election, size, &state.key.signer)?;
    let (id, code) = (election.id().to_owned(), q.bureau.clone());
    let stored = state
        .db
        .run(move |db| db.bureau_leaves(&id, &code, size))
        .await?;
    let mut leaves = Vec::with_capacity(stored.len());
    for l in stored {
        let entry = LogEntry::from_bytes(&l.bytes)
            .map_err(|e| DbError::Invariant(format!("leaf {} cannot be read: {e}", l.index)))?;
        let proof = held.tree().inclusion(l.index, size).ok_or_else(beyond)?;
        leaves.push(ProvenLeaf {
            index: l.index,
            entry,
            proof: to_hex(&proof),
        });
    }
    // No proof from a size beyond the log: the phone that holds a head of
    // that size then knows the log shrank.
    let consistency = from
        .into_iter()
        .filter_map(|f| {
            Some(Consistency {
                from: f,
                proof: to_hex(&held.tree().consistency(f, size)?),
            })
        })
        .collect();
    drop(held);
    let mut log = BureauLog {
        bureau: q.bureau,
        head,
        leaves,
        consistency,
        signature: String::new(),
    };
    log.signature = state
        .key
        .signer
        .sign_listing(&log.listing())
        .map_err(|e| DbError::Sign(format!("a bureau's listing: {e}")))?;
    Ok((cache_headers(tag, PUBLIC_CACHE), Json(log)).into_response())
}
