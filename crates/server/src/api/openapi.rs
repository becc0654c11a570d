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
        description = "Enrollment of bureau devices, signed returns, turnout reports and photos of the paper PV (with their pictures, by hash) and their receipts, results and turnout with coverage, and the public record: an append-only Merkle log per election (RFC 9162) with signed heads and proofs. Error bodies are `{\"error\": {\"code\", \"message\"}}`; the codes are stable and the app translates them. The signed return format is docs/return-format.md."
    ),
    paths(
        super::health::get,
        super::elections::list,
        super::enroll::post,
        super::next_round::get,
        super::returns::post,
        super::reports::post,
        super::photos::post,
        super::photos::pieces,
        super::photos::put_piece,
        super::photos::picture,
        super::recover::post,
        super::results::get,
        super::results::bureaux,
        super::open_data::results,
        super::open_data::turnout,
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
    let doc = ApiDoc::openapi();
    // utoipa writes an unsigned 32-bit count as a signed one ("int32",
    // minimum 0), though counts go up to 4294967295: written here as what
    // they are, 64-bit integers from 0 to 2^32 − 1 (a smaller integer, the
    // round, says its own maximum).
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    widen_unsigned(&mut value);
    serde_json::from_value(value).unwrap_or(doc)
}

fn widen_unsigned(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            let unsigned_32 = map.get("format").and_then(|f| f.as_str()) == Some("int32")
                && map.get("minimum").and_then(|m| m.as_f64()) == Some(0.0)
                && !map.contains_key("maximum");
            if unsigned_32 {
                map.insert("format".into(), "int64".into());
                map.insert("maximum".into(), u32::MAX.into());
            }
            map.values_mut().for_each(widen_unsigned);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(widen_unsigned),
        _ => {}
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
