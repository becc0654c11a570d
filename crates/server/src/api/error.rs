//! The one error type of the API: an HTTP status and a stable machine-readable
//! code from `pointage_core::wire::ErrorCode` (`{"error": {"code", "message"}}`).
//! The message is for logs and developers; the app shows its own translation
//! of the code.

use crate::db::DbError;
use crate::db::IngestError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pointage_core::VerifyError;
use pointage_core::wire::{ApiErrorBody, ApiErrorDetail, ErrorCode};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// Seconds after which the same request may pass (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Says when to try again.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 429 `rate_limited`: this client (or key) asked too much; `what`
    /// says which limit, for the logs.
    pub fn rate_limited(what: &str, seconds: u64) -> Self {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, what)
            .retry_after(seconds)
    }
}

impl From<crate::bounded::Busy> for ApiError {
    /// 503 `busy`: too much waits already; the phone tries again.
    fn from(_: crate::bounded::Busy) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Busy,
            "the server has too much waiting; try again in a moment",
        )
        .retry_after(5)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string())
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<DbError> for ApiError {
    /// 503 `storage_unavailable` only when the storage failed; any other
    /// failure of the server is 500 `internal`.
    fn from(e: DbError) -> Self {
        // Not what a flood causes, nor a refusal: the failures.
        if !matches!(e, DbError::Busy | DbError::Closed(_)) {
            eprintln!("pointage-server: {e}");
        }
        match e {
            DbError::Closed(_) => closed(),
            DbError::Busy => crate::bounded::Busy.into(),
            DbError::Task(_)
            | DbError::Random(_)
            | DbError::Encode(_)
            | DbError::Sign(_)
            | DbError::Invariant(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "the server failed; try again",
            ),
            DbError::DataDir { .. }
            | DbError::Sqlite(_)
            | DbError::Postgres(_)
            | DbError::Storage(_)
            | DbError::Corrupt { .. }
            | DbError::TooNew { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::StorageUnavailable,
                "the server's storage failed; try again",
            ),
        }
    }
}

impl From<VerifyError> for ApiError {
    fn from(e: VerifyError) -> Self {
        let code = ErrorCode::from(&e);
        let status = match &e {
            VerifyError::Encoding(_) | VerifyError::UnknownFormat | VerifyError::MalformedKey => {
                StatusCode::BAD_REQUEST
            }
            VerifyError::BadSignature | VerifyError::KeyNotEnrolled => StatusCode::FORBIDDEN,
            VerifyError::Chain(_) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, code, e.to_string())
    }
}

/// A turnout report refused, with the status its code has: 400 for what
/// cannot be read, 403 for a signature or key, 409 for a version or chain,
/// 422 for what the election or the rules refuse.
pub fn report_refused(code: ErrorCode, why: &str) -> ApiError {
    let status = match code {
        ErrorCode::ReportNotCanonical
        | ErrorCode::ReportUnknownFormat
        | ErrorCode::ReportMalformedKey => StatusCode::BAD_REQUEST,
        ErrorCode::ReportBadSignature | ErrorCode::ReportKeyNotEnrolled => StatusCode::FORBIDDEN,
        ErrorCode::ReportVersionTaken | ErrorCode::ReportBrokenChain => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, code, format!("turnout report refused: {why}"))
}

/// A photo document or piece refused, with its code's status.
pub fn photos_refused(code: ErrorCode, why: &str) -> ApiError {
    let status = match code {
        ErrorCode::PhotosNotCanonical
        | ErrorCode::PhotosUnknownFormat
        | ErrorCode::PhotosMalformedKey => StatusCode::BAD_REQUEST,
        ErrorCode::PhotosBadSignature | ErrorCode::PhotosKeyNotEnrolled => StatusCode::FORBIDDEN,
        ErrorCode::PhotosVersionTaken | ErrorCode::PhotosBrokenChain => StatusCode::CONFLICT,
        ErrorCode::PhotoPieceUnknown => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, code, format!("photos refused: {why}"))
}

impl From<pointage_core::photo::PhotosError> for ApiError {
    fn from(e: pointage_core::photo::PhotosError) -> Self {
        photos_refused(ErrorCode::from(&e), &e.to_string())
    }
}

impl From<pointage_core::turnout::ReportError> for ApiError {
    fn from(e: pointage_core::turnout::ReportError) -> Self {
        report_refused(ErrorCode::from(&e), &e.to_string())
    }
}

/// 409 `election_closed`: the election's record is final.
pub fn closed() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ErrorCode::ElectionClosed,
        "the election is closed: its record is final",
    )
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Refused(v) => v.into(),
            IngestError::Report(code) => report_refused(code, "against what the server holds"),
            IngestError::Photos(code) => photos_refused(code, "against what the server holds"),
            IngestError::Closed => closed(),
            IngestError::Db(d) => d.into(),
        }
    }
}

/// Gives a refusal that is not yet the API's JSON error body (axum's own,
/// from an extractor) that body, with a code for its status and a message
/// that names nothing internal.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json || !status.is_client_error() {
        return res;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::PayloadTooLarge,
            "the request body is larger than the API reads (64 KiB)",
        ),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such API endpoint"),
        _ => (
            ErrorCode::BadRequest,
            "the request is not what this endpoint reads (see /api/v1/openapi.json)",
        ),
    };
    ApiError::new(status, code, message).into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "no such API endpoint",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_storage_failure_is_a_503() {
        for storage in [
            DbError::Sqlite(rusqlite::Error::InvalidQuery),
            DbError::Storage("connection refused".into()),
        ] {
            let storage = ApiError::from(storage);
            assert_eq!(storage.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(storage.code, ErrorCode::StorageUnavailable);
        }
        for other in [
            DbError::Task("a task".into()),
            DbError::Random("none".into()),
            DbError::Encode("JSON".into()),
            DbError::Sign("a head".into()),
            DbError::Invariant("a log shrank".into()),
        ] {
            let e = ApiError::from(other);
            assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(e.code, ErrorCode::Internal);
        }
    }

    #[test]
    fn a_failure_retold_to_each_waiting_phone_is_answered_as_the_failure() {
        let all = || {
            vec![
                DbError::Sqlite(rusqlite::Error::InvalidQuery),
                DbError::Storage("connection refused".into()),
                DbError::TooNew { found: 9, known: 7 },
                DbError::Task("a task".into()),
                DbError::Random("none".into()),
                DbError::Sign("a head".into()),
                DbError::Closed("e".into()),
            ]
        };
        for (e, again) in all().into_iter().zip(all()) {
            let told = ApiError::from(again.retold());
            let first = ApiError::from(e);
            assert_eq!((told.status, told.code), (first.status, first.code));
        }
    }
}
