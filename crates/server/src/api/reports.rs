//! `POST /api/v1/reports`: a bureau's signed turnout report at a checkpoint
//! of the election's day, as its canonical bytes (docs/return-format.md
//! §9). The answer is the server's signed receipt, in the election's one
//! sequence of leaves; the same report again gets the same receipt. A
//! refused report changes nothing.
//!
//! Cheapest first, as for returns: the client's allowance before the body
//! is read; the signature on the checking pool; the election, the key
//! enrolled and T1 next; the store last, which checks again that the key
//! is the bureau's and that the version follows its checkpoint's latest.

use super::ApiError;
use super::returns::Allowance;
use crate::AppState;
use crate::db::ReportToStore;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use pointage_core::turnout::{ReportError, SignedReport};
use pointage_core::wire::{ApiErrorBody, ErrorCode, SignedReportJson, SubmitResponse};

#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "turnout",
    request_body(content = SignedReportJson, description = "The signed turnout report's canonical bytes (docs/return-format.md §9)", content_type = "application/json"),
    responses(
        (status = 201, description = "Stored; the server's signed receipt", body = SubmitResponse),
        (status = 200, description = "Already stored; the same receipt as the first time", body = SubmitResponse),
        (status = 400, description = "`report_not_canonical`, `report_unknown_format`, `report_malformed_key`", body = ApiErrorBody),
        (status = 403, description = "`report_bad_signature`, `report_key_not_enrolled`", body = ApiErrorBody),
        (status = 409, description = "`report_version_taken`, `report_broken_chain`; `election_closed`", body = ApiErrorBody),
        (status = 413, description = "`payload_too_large`", body = ApiErrorBody),
        (status = 422, description = "`report_wrong_election`, `report_unknown_bureau`, `report_unknown_checkpoint`, `report_not_what_it_asks`, `report_over_inscrits` (T1)", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ApiErrorBody),
        (status = 503, description = "`busy`, `storage_unavailable`", body = ApiErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    _allowed: Allowance,
    bytes: Bytes,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    let read = bytes.clone();
    let report = state
        .checks
        .run(move || SignedReport::from_bytes(&read))
        .await??;
    let b = report.body();
    let election = state
        .election(&b.election_id)
        .await?
        .ok_or(ReportError::OtherElection)?;
    let enrolled =
        super::side::enrolled_as(&state, &b.election_id, &b.bureau, &b.device_key, || {
            super::error::report_refused(
                ErrorCode::ReportKeyNotEnrolled,
                "the key is not the one enrolled for the bureau",
            )
        })
        .await?;
    report.check_content(&*election, election.checkpoints())?;
    let work = ReportToStore {
        report: report.clone(),
        bytes: bytes.to_vec(),
        checked_key: enrolled,
    };
    let now = crate::system::now_ms();
    let stored = state
        .db
        .run(move |db| Ok(db.store_report(work, now)))
        .await??;
    let stored = super::side::logged(&state, election.id(), stored).await;
    let receipt = state
        .report_receipt(&report, stored.sequence, stored.received_at, stored.root)
        .await?;
    let status = super::side::status(&stored);
    Ok((status, Json(SubmitResponse { receipt })))
}
