//! `POST /api/v1/recover`: a bureau's phone that lost its signed versions
//! (or was told `return_version_taken` for one it does not hold) gets back
//! every version the server holds for its bureau, each with its receipt.
//! Only the key enrolled for the bureau now is answered, on a request it
//! signed within core's time window; the phone checks every signature it
//! gets back (core's `recovery::check_recovered`).

use super::ApiError;
use crate::AppState;
use crate::db::DbError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pointage_core::SignedReturn;
use pointage_core::recovery::{
    RecoverError, RecoverResponse, RecoveredVersion, SignedRecoverRequest,
};
use pointage_core::wire::{ApiErrorBody, ErrorCode};

impl From<RecoverError> for ApiError {
    fn from(e: RecoverError) -> Self {
        let (status, code) = match e {
            RecoverError::KeyNotEnrolled => {
                (StatusCode::FORBIDDEN, ErrorCode::RecoverKeyNotEnrolled)
            }
            RecoverError::Stale => (StatusCode::FORBIDDEN, ErrorCode::RecoverStale),
            RecoverError::BadSignature => (StatusCode::FORBIDDEN, ErrorCode::RecoverBadSignature),
            RecoverError::UnknownFormat | RecoverError::Encoding(_) => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            }
            // Only the phone refuses what it gets back for these.
            RecoverError::NotOurs | RecoverError::BadReceipt | RecoverError::NotInLog => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            }
        };
        ApiError::new(status, code, e.to_string())
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/recover",
    tag = "returns",
    request_body(content = SignedRecoverRequest, description = "The bureau, the asking device's key and time, signed by that key"),
    responses(
        (status = 200, description = "Every version stored for the bureau, oldest first, each with its receipt", body = RecoverResponse),
        (status = 400, description = "`bad_request`", body = ApiErrorBody),
        (status = 403, description = "`recover_bad_signature`, `recover_key_not_enrolled`, `recover_stale`", body = ApiErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    Json(req): Json<SignedRecoverRequest>,
) -> Result<Json<RecoverResponse>, ApiError> {
    let (election, bureau) = (req.request.election_id.clone(), req.request.bureau.clone());
    let enrolled = {
        let (e, b) = (election.clone(), bureau.clone());
        state.read(move |db| db.enrolled_key(&e, &b)).await?
    };
    req.check(enrolled.as_deref(), crate::system::now_ms())?;
    let stored = state
        .db
        .run(move |db| db.versions_of(&election, &bureau))
        .await?;
    let mut versions = Vec::with_capacity(stored.len());
    for entry in stored {
        let ret = SignedReturn::from_bytes(&entry.bytes)
            .map_err(|e| DbError::Invariant(format!("stored return {}: {e}", entry.id)))?;
        let receipt = state
            .receipt(&ret, entry.sequence, entry.received_at, None)
            .await?;
        let text = String::from_utf8(entry.bytes)
            .map_err(|e| DbError::Invariant(format!("stored return {}: {e}", entry.id)))?;
        versions.push(RecoveredVersion { ret: text, receipt });
    }
    Ok(Json(RecoverResponse { versions }))
}
