//! `POST /api/v1/returns`: a bureau's signed return, as its canonical bytes.
//! The answer is the server's signed receipt; the same return again gets the
//! same receipt. A refused return changes nothing.
//!
//! Cheapest first, and the single writer last: a client over its
//! allowance is refused before anything is read; the same return again is
//! answered from what is stored (its bytes compared), without the writer
//! or a signature check; then core checks it (the spec's steps 1 to 12,
//! return-format.md §5: the signature, the bureau's enrolled key as a
//! reader reads it, the table sheets, the rules), on the blocking pool a
//! few at a time, each device key within its own allowance; the writer
//! only checks again that the key is still the bureau's and that the
//! version chain holds (step 13), and stores it.

use super::{ApiError, ClientAddr};
use crate::AppState;
use crate::db::ToStore;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use pointage_core::signature::CheckedBeforeKept;
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
        (status = 429, description = "`rate_limited`: this address, or this device key, sent far more than a phone does; with `Retry-After`", body = ApiErrorBody),
        (status = 503, description = "`busy`: too many returns wait to be checked; `storage_unavailable`; with `Retry-After` for `busy`", body = ApiErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    _allowed: Allowance,
    bytes: Bytes,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    if let Some(receipt) = already_stored(&state, &bytes).await? {
        return Ok((StatusCode::OK, Json(SubmitResponse { receipt })));
    }
    // Steps 1 to 4: the bytes, and the return's own signature.
    let read = bytes.clone();
    let ret = state
        .checks
        .run(move || SignedReturn::from_bytes(&read))
        .await??;
    let b = ret.body();
    let signer = (
        b.election_id.clone(),
        b.bureau.clone(),
        b.device_key.clone(),
    );
    let checked = check_and_store(&state, ret, bytes).await;
    if let Err(e) = &checked {
        note_refusal(&state, signer, e).await;
    }
    checked
}

/// Steps 5 to 13 of a return whose signature holds, and its receipt.
async fn check_and_store(
    state: &AppState,
    ret: SignedReturn,
    bytes: Bytes,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    let b = ret.body();
    let election = state
        .election(&b.election_id)
        .await?
        .ok_or(VerifyError::WrongElection)?;
    let (db, id, bureau) = (state.db.clone(), b.election_id.clone(), b.bureau.clone());
    let enrolled = state
        .reads
        .run(move || db.enrolled_key(&id, &bureau))
        .await??
        .unwrap_or_default();
    // An enrolled key's holder that sends far more new returns than a
    // phone makes (its sheets are most of the work): refused before they
    // are checked. Only its holder can spend its allowance.
    if enrolled == b.device_key
        && !state
            .limits
            .returns_by_key
            .allow(&enrolled, crate::system::now_ms())
    {
        return Err(ApiError::rate_limited(
            "this device key sent far more returns than a phone does; wait",
            600,
        ));
    }
    // Steps 5 to 12, against the key as enrolled now.
    let work = state
        .checks
        .run(move || ToStore::check(election, ret, bytes, &enrolled))
        .await??;
    let ret = work.ret.clone();
    let stored = state.ingest.submit(work).await?;
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

/// Keeps, for the central team's board, that a return signed by a key of
/// its bureau (the phone's, or one a reissue revoked) was refused: that
/// phone waits for a call. A key that never was the bureau's (anyone can
/// make one) leaves nothing, nor does a refusal that says to try again.
async fn note_refusal(state: &AppState, signer: (String, String, String), e: &ApiError) {
    use pointage_core::wire::ErrorCode;
    if matches!(
        e.code,
        ErrorCode::RateLimited
            | ErrorCode::Busy
            | ErrorCode::StorageUnavailable
            | ErrorCode::Internal
            | ErrorCode::ReturnWrongElection
    ) {
        return;
    }
    let (election, bureau, key) = signer;
    let code = e.code.as_str();
    // Whether the key is or was the bureau's is read by a reader: a
    // stranger's returns (anyone can sign one) never reach the writer.
    let (db, (e_id, b_code)) = (state.db.clone(), (election.clone(), bureau.clone()));
    let was = state
        .reads
        .run(move || db.key_was_bureaus(&e_id, &b_code, &key))
        .await;
    if !matches!(was, Ok(Ok(true))) {
        return;
    }
    let db = state.db.clone();
    let _ = state
        .db
        .run(move |_| db.refusal_put(&election, &bureau, code, crate::system::now_ms()))
        .await;
}

/// The client's allowance, spent before the body is read (so a refused
/// request costs the server its headers only): a return costs a token per
/// 4 KB begun of its announced length, a phone's 1 KB return one, a 64 KB
/// one sixteen, as it costs the server to read. A body sent without a
/// length counts as the largest.
pub struct Allowance;

impl FromRequestParts<AppState> for Allowance {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ClientAddr(client) = ClientAddr::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let length = parts
            .headers
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(super::MAX_BODY_BYTES as u64)
            .min(super::MAX_BODY_BYTES as u64);
        let cost = length.div_ceil(4_096).max(1) as u32;
        if state
            .limits
            .returns_by_client
            .allow_n(&client, cost, crate::system::now_ms())
        {
            Ok(Allowance)
        } else {
            Err(ApiError::rate_limited(
                "too many returns from this address; wait a minute",
                60,
            ))
        }
    }
}

/// The receipt of the very return in `bytes` when it is stored already
/// (the same id and the same bytes): read from a reader, no signature
/// checked again (it was, before it was stored).
async fn already_stored(
    state: &AppState,
    bytes: &Bytes,
) -> Result<Option<pointage_core::Receipt>, ApiError> {
    let Some(id) = SignedReturn::id_of(bytes) else {
        return Ok(None);
    };
    let db = state.db.clone();
    let Some(found) = state.reads.run(move || db.stored_return(&id)).await?? else {
        return Ok(None);
    };
    if found.bytes[..] != bytes[..] {
        return Ok(None);
    }
    let ret = SignedReturn::from_bytes_with(&found.bytes, &CheckedBeforeKept)?;
    let s = found.stored;
    Ok(Some(
        state
            .receipt(&ret, s.sequence, s.received_at, s.root)
            .await?,
    ))
}
