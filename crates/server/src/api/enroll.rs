//! `POST /api/v1/enroll`: a bureau's phone presents its single-use code and
//! the public key it has just made, and gets its election, its bureau and the
//! server's key. Attempts are limited per client address. The code is never
//! logged.

use super::{ApiError, ClientAddr};
use crate::db::EnrollOutcome;
use crate::{AppState, system};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pointage_core::enrollment::normalize_code;
use pointage_core::signed_return::is_public_key;
use pointage_core::wire::{ApiErrorBody, EnrollRequest, EnrollResponse, ErrorCode};

#[utoipa::path(
    post,
    path = "/api/v1/enroll",
    tag = "enrollment",
    request_body = EnrollRequest,
    responses(
        (status = 200, description = "Enrolled: the election, the bureau and the server's key", body = EnrollResponse),
        (status = 400, description = "`bad_request`: the device key is malformed", body = ApiErrorBody),
        (status = 404, description = "`enrollment_code_unknown`", body = ApiErrorBody),
        (status = 409, description = "`enrollment_code_used`: another device used this code; `enrollment_key_in_use`: this key is enrolled for another bureau; `election_closed`: the election is closed", body = ApiErrorBody),
        (status = 410, description = "`enrollment_code_revoked`: the code was replaced", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address", body = ApiErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(req): Json<EnrollRequest>,
) -> Result<Json<EnrollResponse>, ApiError> {
    let now = system::now_ms();
    if !state.limits.enroll.allow(&client, now) {
        return Err(ApiError::rate_limited(
            "too many enrollment attempts from this address; wait a minute",
            60,
        ));
    }
    if !is_public_key(&req.device_key) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "device_key is not a lowercase hex Ed25519 public key",
        ));
    }
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::EnrollmentCodeUnknown,
            "no such enrollment code",
        )
    };
    let code = normalize_code(&req.code).ok_or_else(unknown)?;
    // A guess (a code never issued) is refused by a reader: only a real
    // code's enrollment takes the writer.
    let known = code.clone();
    if !state.read(move |db| db.code_known(&known)).await? {
        return Err(unknown());
    }
    let key = req.device_key.clone();
    let outcome = state.db.run(move |db| db.enroll(&code, &key, now)).await?;
    let (election_id, bureau) = match outcome {
        EnrollOutcome::Enrolled {
            election_id,
            bureau,
        } => (election_id, bureau),
        EnrollOutcome::Unknown => return Err(unknown()),
        EnrollOutcome::Used => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::EnrollmentCodeUsed,
                "this code has already enrolled another device",
            ));
        }
        EnrollOutcome::KeyInUse => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::EnrollmentKeyInUse,
                "this device key is enrolled for another bureau already",
            ));
        }
        EnrollOutcome::Closed => return Err(super::error::closed()),
        EnrollOutcome::Revoked => {
            return Err(ApiError::new(
                StatusCode::GONE,
                ErrorCode::EnrollmentCodeRevoked,
                "this code was replaced by a new one",
            ));
        }
    };
    let election = state.election(&election_id).await?.ok_or_else(|| {
        ApiError::from(crate::db::DbError::Invariant(
            "enrolled election vanished".into(),
        ))
    })?;
    let view = election.view_for(&bureau).ok_or_else(|| {
        ApiError::from(crate::db::DbError::Invariant(
            "an enrollment code names a bureau the election does not have".into(),
        ))
    })?;
    println!("pointage-server: bureau {bureau} of {election_id} enrolled a device");
    Ok(Json(EnrollResponse {
        election: view,
        server_key: state.key.public.clone(),
    }))
}
