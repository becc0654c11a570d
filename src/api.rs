//! Calls to the central server's API that are not the outbox's (that is
//! `sync.rs`): enrolling, reading the results and the bureaux. Answers and errors are core's
//! wire types; an error is the server's code, which the screens translate,
//! or "no network".

use gloo_net::http::{Request, Response};
use pointage_core::wire::{
    ApiErrorBody, BureauPage, BureauState, EnrollRequest, EnrollResponse, ErrorCode,
    ResultsResponse,
};
use serde::de::DeserializeOwned;

/// Why a call gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiFailure {
    /// The server could not be reached (no network, server down).
    Network,
    /// The server answered with this error.
    Refused(ErrorCode),
}

async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, ApiFailure> {
    if resp.ok() {
        return resp
            .json()
            .await
            .map_err(|_| ApiFailure::Refused(ErrorCode::Unknown));
    }
    match resp.json::<ApiErrorBody>().await {
        Ok(body) => Err(ApiFailure::Refused(body.error.code)),
        Err(_) => Err(ApiFailure::Refused(ErrorCode::Unknown)),
    }
}

/// POSTs `body` as JSON to `path` and reads the answer.
async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    let resp = Request::post(path)
        .json(body)
        .map_err(|_| ApiFailure::Refused(ErrorCode::BadRequest))?
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    read(resp).await
}

pub async fn enroll(req: &EnrollRequest) -> Result<EnrollResponse, ApiFailure> {
    post_json("/api/v1/enroll", req).await
}

pub async fn results() -> Result<ResultsResponse, ApiFailure> {
    let resp = Request::get("/api/v1/results")
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    read(resp).await
}

/// One page of the bureaux in `state` (all when `None`) whose code, name or
/// commune contains `q`, from the `offset`-th.
pub async fn bureaux(
    state: Option<BureauState>,
    q: &str,
    offset: u32,
) -> Result<BureauPage, ApiFailure> {
    let mut query = vec![("offset", offset.to_string())];
    if let Some(s) = state {
        let name = match s {
            BureauState::NotEnrolled => "not_enrolled",
            BureauState::Enrolled => "enrolled",
            BureauState::Received => "received",
        };
        query.push(("state", name.to_owned()));
    }
    if !q.trim().is_empty() {
        query.push(("q", q.trim().to_owned()));
    }
    let resp = Request::get("/api/v1/bureaux")
        .query(query)
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    read(resp).await
}

/// Sends one signed return, as its canonical bytes; the answer is the
/// server's receipt (the same one when it already had the return).
pub async fn submit_return(bytes: String) -> Result<pointage_core::Receipt, ApiFailure> {
    let resp = Request::post("/api/v1/returns")
        .header("content-type", "application/json")
        .body(bytes)
        .map_err(|_| ApiFailure::Refused(ErrorCode::BadRequest))?
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    read::<pointage_core::wire::SubmitResponse>(resp)
        .await
        .map(|r| r.receipt)
}

/// Asks for every version the server holds of this phone's bureau, with
/// their receipts (the request signed by the bureau key).
pub async fn recover(
    req: &pointage_core::recovery::SignedRecoverRequest,
) -> Result<pointage_core::recovery::RecoverResponse, ApiFailure> {
    post_json("/api/v1/recover", req).await
}
