//! The API's contract, generated from the handlers' annotations and core's
//! wire types, served at `/api/v1/openapi.json` and checked in at
//! `crates/server/openapi.json`; a test fails when the checked-in copy is
//! stale (run it with `UPDATE_OPENAPI=1` to rewrite it).

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pointage central server",
        description = "Enrollment of bureau devices, signed returns and their receipts, results with coverage, and the public record: an append-only Merkle log per election (RFC 9162) with signed heads and proofs. Error bodies are `{\"error\": {\"code\", \"message\"}}`; the codes are stable and the app translates them. The signed return format is docs/return-format.md."
    ),
    paths(
        super::health::get,
        super::elections::list,
        super::enroll::post,
        super::returns::post,
        super::recover::post,
        super::results::get,
        super::results::bureaux,
        super::record::get,
        super::log::head,
        super::log::consistency,
        super::log::inclusion,
        super::log::bureau,
    )
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/v1/openapi.json`.
pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
