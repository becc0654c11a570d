//! `POST /api/v1/returns`: a bureau's signed return, as its canonical bytes.
//! Core checks the signature, then (in the ingest writer, against what is
//! stored) the election, the enrolled key, the rules and the version chain.
//! The answer is the server's signed receipt; the same return again gets the
//! same receipt. A refused return changes nothing.

use super::ApiError;
use crate::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use pointage_core::wire::SubmitResponse;
use pointage_core::{SignedReturn, VerifyError};

pub async fn post(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    let ret = SignedReturn::from_bytes(&bytes)?;
    let election = state
        .election(&ret.body().election_id)
        .await?
        .ok_or(VerifyError::WrongElection)?;
    let stored = state.ingest.submit(election, ret.clone(), bytes).await?;
    // Signed here, on any core, not in the single writer: the same stored
    // return always gets the same (deterministic) receipt.
    let receipt = state
        .key
        .signer
        .sign(&ret, stored.sequence, stored.received_at)
        .map_err(|e| crate::db::DbError::Task(e.to_string()))?;
    let status = if stored.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(SubmitResponse { receipt })))
}
