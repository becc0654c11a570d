//! `GET /api/v1/record[?election=ID]`: the public record, as JSON lines, from
//! which anyone can recompute the results (docs/return-format.md): first the
//! election definition, then the server's public key, then every device key
//! ever enrolled (and whether it is still current), then every version of every signed return with its receipt,
//! in the order received.

use super::ApiError;
use super::results::{Which, resolve};
use crate::AppState;
use crate::db::{enrollment, returns};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use pointage_core::ReceiptBody;
use pointage_core::receipt::RECEIPT_FORMAT;
use serde_json::{Value, json};

#[utoipa::path(
    get,
    path = "/api/v1/record",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "JSON lines: the election, the server key, every device key, every version of every return with its receipt", content_type = "application/x-ndjson", body = String),
        (status = 404, description = "`not_found`: no such election", body = pointage_core::wire::ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Query(which): Query<Which>,
) -> Result<impl IntoResponse, ApiError> {
    let election = resolve(&state, which.election).await?;
    let id = election.id().to_owned();
    let (entries, enrolled) = state
        .db
        .call(move |c| Ok((returns::record(c, &id)?, enrollment::device_keys(c, &id)?)))
        .await?;
    let mut out = String::new();
    let mut line = |v: Value| {
        out.push_str(&v.to_string());
        out.push('\n');
    };
    line(json!({ "type": "election", "hash": election.hash(), "definition": &*election }));
    line(json!({ "type": "server_key", "public_key": state.key.public }));
    for (bureau, key, state) in enrolled {
        let current = state == "used";
        line(
            json!({ "type": "device_key", "bureau": bureau, "public_key": key, "current": current }),
        );
    }
    for e in entries {
        // Stored as canonical JSON: embedded as it is.
        let ret: Value = serde_json::from_slice(&e.bytes).unwrap_or(Value::Null);
        let receipt = state
            .key
            .signer
            .seal(ReceiptBody {
                format: RECEIPT_FORMAT.to_owned(),
                return_id: e.id,
                election_hash: election.hash().to_owned(),
                bureau: e.bureau,
                version: e.version,
                sequence: e.sequence,
                received_at: e.received_at,
            })
            .map_err(|err| crate::db::DbError::Task(err.to_string()))?;
        line(
            json!({ "type": "return", "sequence": e.sequence, "return": ret, "receipt": receipt }),
        );
    }
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        out,
    ))
}
