//! Calls to the central server's API: enrolling, sending and handing a
//! return over, recovering a bureau's returns, reading its part of the
//! public log. Answers and errors are core's
//! wire types; an error is the server's code, which the screens translate,
//! or "no network".

use pointage_core::wire::{ApiErrorBody, EnrollRequest, EnrollResponse, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a call gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached (no network, server down), or the
    /// answer was cut off.
    Network,
    /// The server answered with this error.
    Refused(ErrorCode),
}

/// One call through the browser's `fetch`: `method` on `path`, with a JSON
/// body when given. The answer is read whole, as text, before it is
/// parsed. (The browser's fetch, not an HTTP crate: the app's bundle is
/// downloaded cold on phones, and three calls need no more.)
async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<T, ApiError> {
    call_with(
        method,
        path,
        body.map(|b| ("application/json", JsValue::from_str(b))),
    )
    .await
}

/// [`call`] with a body of any type (its content type, its value).
async fn call_with<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<(&str, JsValue)>,
) -> Result<T, ApiError> {
    let net = |_| ApiError::Network;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    // The public reads may be kept a few seconds by caches in front of the
    // server (election night); the app itself always asks, with the tag of
    // its copy, and gets 304 when nothing changed: "Actualiser" and the
    // page's own refresh never show an older total than the server has.
    init.set_cache(web_sys::RequestCache::NoCache);
    if let Some((content_type, body)) = body {
        let headers = web_sys::Headers::new().map_err(net)?;
        headers.set("content-type", content_type).map_err(net)?;
        init.set_headers(&headers);
        init.set_body(&body);
    }
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(net)?
        .unchecked_into();
    let text = JsFuture::from(resp.text().map_err(net)?)
        .await
        .map_err(net)?
        .as_string()
        .unwrap_or_default();
    if resp.ok() {
        return serde_json::from_str(&text).map_err(|_| ApiError::Refused(ErrorCode::Unknown));
    }
    match serde_json::from_str::<ApiErrorBody>(&text) {
        Ok(body) => Err(ApiError::Refused(body.error.code)),
        Err(_) => Err(ApiError::Refused(ErrorCode::Unknown)),
    }
}

/// POSTs `body` as JSON to `path` and reads the answer.
async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let text = serde_json::to_string(body).map_err(|_| ApiError::Refused(ErrorCode::BadRequest))?;
    call("POST", path, Some(&text)).await
}

pub async fn enroll(req: &EnrollRequest) -> Result<EnrollResponse, ApiError> {
    post_json("/api/v1/enroll", req).await
}

/// The later round this phone's key was carried over to, if one was
/// (a second round made from the first): 404 (`not_found`) when none.
pub async fn next_round(election: &str, key: &str) -> Result<EnrollResponse, ApiError> {
    call(
        "GET",
        &format!("/api/v1/next-round?election={election}&key={key}"),
        None,
    )
    .await
}

/// Sends one signed return, as its canonical bytes; the answer is the
/// server's receipt (the same one when it already had the return).
pub async fn submit_return(bytes: String) -> Result<pointage_core::Receipt, ApiError> {
    call::<pointage_core::wire::SubmitResponse>("POST", "/api/v1/returns", Some(&bytes))
        .await
        .map(|r| r.receipt)
}

/// Sends one signed turnout report, as its canonical bytes; the answer is
/// the server's receipt (the same one when it already had the report).
pub async fn submit_report(bytes: String) -> Result<pointage_core::Receipt, ApiError> {
    call::<pointage_core::wire::SubmitResponse>("POST", "/api/v1/reports", Some(&bytes))
        .await
        .map(|r| r.receipt)
}

/// Sends a signed photo document of the paper PV; the server's receipt.
pub async fn submit_photos(bytes: String) -> Result<pointage_core::Receipt, ApiError> {
    call::<pointage_core::wire::SubmitResponse>("POST", "/api/v1/photos", Some(&bytes))
        .await
        .map(|r| r.receipt)
}

/// Which pieces of a picture of the paper PV the server holds.
pub async fn photo_pieces(sha256: &str) -> Result<pointage_core::wire::PiecesHeld, ApiError> {
    call("GET", &format!("/api/v1/photos/{sha256}/pieces"), None).await
}

/// Sends piece `n` of a picture of the paper PV; the pieces held then.
pub async fn put_photo_piece(
    sha256: &str,
    n: u32,
    bytes: &[u8],
) -> Result<pointage_core::wire::PiecesHeld, ApiError> {
    let body = js_sys::Uint8Array::from(bytes);
    call_with(
        "PUT",
        &format!("/api/v1/photos/{sha256}/pieces/{n}"),
        Some(("application/octet-stream", body.into())),
    )
    .await
}

/// Asks for every version the server holds of this phone's bureau, with
/// their receipts (the request signed by the bureau key).
pub async fn recover(
    req: &pointage_core::recovery::SignedRecoverRequest,
) -> Result<pointage_core::recovery::RecoverResponse, ApiError> {
    post_json("/api/v1/recover", req).await
}

/// A bureau's part of the public log, with the proofs that the current
/// head extends each head of `from` (their sizes).
pub async fn bureau_log(
    election: &str,
    bureau: &str,
    from: &[u64],
) -> Result<pointage_core::log::BureauLog, ApiError> {
    let from: Vec<String> = from.iter().map(u64::to_string).collect();
    // Identifiers are letters, digits, '-', '_' and '.': nothing to escape.
    let path = format!(
        "/api/v1/log/bureau?election={election}&bureau={bureau}&from={}",
        from.join(",")
    );
    call("GET", &path, None).await
}
