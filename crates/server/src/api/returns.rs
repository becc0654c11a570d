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
use pointage_core::wire::{ApiErrorBody, SignedReturnJson, SubmitResponse};
use pointage_core::{SignedReturn, VerifyError};

#[utoipa::path(
    post,
    path = "/api/v1/returns",
    tag = "returns",
    request_body(content = SignedReturnJson, description = "The signed return's canonical bytes (docs/return-format.md)", content_type = "application/json"),
    responses(
        (status = 201, description = "Stored; the server's signed receipt", body = SubmitResponse),
        (status = 200, description = "Already stored; the same receipt as the first time", body = SubmitResponse),
        (status = 400, description = "`return_not_canonical`, `return_unknown_format`, `return_malformed_key`", body = ApiErrorBody),
        (status = 403, description = "`return_bad_signature`, `return_key_not_enrolled`", body = ApiErrorBody),
        (status = 409, description = "`return_version_taken`, `return_not_latest`, `return_broken_chain`; `election_closed`: the election is closed", body = ApiErrorBody),
        (status = 413, description = "`payload_too_large`: a body over 64 KiB, refused before any step", body = ApiErrorBody),
        (status = 422, description = "`return_wrong_election`, `return_wrong_mode`, `return_unknown_bureau`, `return_rules_broken`, `return_explanations`, `return_entrants`; the table sheets' `return_sheet_bad_signature`, `return_sheet_not_invited`, `return_sheet_other_bureau`, `return_sheet_slot_twice`, `return_sheet_same_recorder`, `return_sheets_disagree`, `return_packet_counted_twice`, `return_sheets_not_tally`", body = ApiErrorBody),
    )
)]
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
        .receipt(&ret, stored.sequence, stored.received_at, stored.root)
        .await?;
    let status = if stored.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(SubmitResponse { receipt })))
}
