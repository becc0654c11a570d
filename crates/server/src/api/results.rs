//! `GET /api/v1/results[?election=ID]`: totals computed by core from the
//! stored signed returns only, each with the bureaux it covers, and the state
//! of every bureau. Without `election`, the most recently created election.

use super::ApiError;
use crate::AppState;
use crate::db::{self, enrollment, returns};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pointage_core::results;
use pointage_core::signed_return::human_code;
use pointage_core::wire::{ApiErrorBody, BureauState, BureauStatus, ErrorCode, ResultsResponse};
use serde::Deserialize;

/// JSON already serialised (and kept for the next request).
fn json_response(bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
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
            .db
            .call(db::latest_election_id)
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

#[utoipa::path(
    get,
    path = "/api/v1/results",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "Totals from signed returns only, with the bureaux they cover", body = ResultsResponse),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Query(which): Query<Which>,
) -> Result<Response, ApiError> {
    let election = resolve(&state, which.election).await?;
    let id = election.id().to_owned();
    // Recomputed only when a return was stored or a device enrolled since the
    // last answer: a national election is 70,000 returns to read and add.
    let stamp_id = id.clone();
    let stamp = state.db.call(move |c| returns::stamp(c, &stamp_id)).await?;
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(json_response(cached));
    }
    let (bodies, enrolled) = state
        .db
        .call(move |c| {
            Ok((
                returns::bodies(c, &id)?,
                enrollment::enrolled_bureaux(c, &id)?,
            ))
        })
        .await?;
    let results = results::compute(&election, bodies.iter().map(|(id, b)| (id.as_str(), b)));
    let bureaux = election
        .bureaux()
        .iter()
        .map(|b| {
            let counted = results.counted.get(&b.code);
            BureauStatus {
                code: b.code.clone(),
                name: b.name.clone(),
                commune: b.commune.clone(),
                state: match (counted, enrolled.contains_key(&b.code)) {
                    (Some(_), _) => BureauState::Received,
                    (None, true) => BureauState::Enrolled,
                    (None, false) => BureauState::NotEnrolled,
                },
                version: counted.map(|c| c.version),
                human_code: counted.map(|c| human_code(&c.return_id)),
            }
        })
        .collect();
    let answer = ResultsResponse {
        election_name: election.name().to_owned(),
        round: election.round(),
        date: election.date().to_owned(),
        mode: election.mode(),
        results,
        bureaux,
    };
    let bytes = Bytes::from(
        serde_json::to_vec(&answer).map_err(|e| crate::db::DbError::Task(e.to_string()))?,
    );
    state.cache_results(election.id(), stamp, bytes.clone());
    Ok(json_response(bytes))
}
