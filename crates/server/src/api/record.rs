//! `GET /api/v1/record[?election=ID]`: the public record, as JSON lines, from
//! which anyone can recompute the results (docs/return-format.md): first the
//! election definition, then the server's public key, then the closure if
//! the election is closed, then every device key
//! ever enrolled (and whether it is still current), then every version of
//! every signed return with its receipt, in the order received.
//!
//! It is streamed: the returns are read [`BATCH`] at a time, each batch with
//! the database held only while it is read, so the record of a national
//! election (70,000 returns and more) is never whole in memory and never
//! blocks the ingest. It covers the returns stored up to the moment it
//! starts: every device key a return in it needs is in its header.

use super::ApiError;
use super::results::{PUBLIC_CACHE, Which, cache_headers, etag, not_modified_for, resolve, stamp};
use crate::AppState;
use crate::db::RecordEntry;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use pointage_core::receipt::RECEIPT_FORMAT;
use pointage_core::{Election, ReceiptBody};
use serde_json::{Value, json};
use std::sync::Arc;

#[utoipa::path(
    get,
    path = "/api/v1/record",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "JSON lines: the election, the server key, the closure if the election is closed, every device key, every version of every return with its receipt; with an ETag, cacheable a few seconds (for good once the election is closed)", content_type = "application/x-ndjson", body = String),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = pointage_core::wire::ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Query(which): Query<Which>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let election = resolve(&state, which.election).await?;
    // The tag first: the record is never older than it says.
    let tag = etag(&state, &election, stamp(&state, election.id()).await?);
    // A closed election's record never changes again: kept for good.
    let cache = |closed: bool| if closed { FINAL_CACHE } else { PUBLIC_CACHE };
    if let Some(same) = not_modified_for(&headers, &tag, cache(state.closed(election.id()))) {
        return Ok(same);
    }
    let id = election.id().to_owned();
    let head = state.db.run(move |db| db.record_head(&id)).await?;
    if let Some(c) = head.closed {
        state.remember_closed(election.id(), c);
    }
    let (enrolled, upto, closed) = (head.keys, head.last_sequence, head.closed);
    let mut head = String::new();
    let mut line = |v: Value| {
        head.push_str(&v.to_string());
        head.push('\n');
    };
    line(json!({ "type": "election", "hash": election.hash(), "definition": &*election }));
    line(json!({ "type": "server_key", "public_key": state.key.public }));
    if let Some(c) = closed {
        line(json!({
            "type": "closed",
            "closed_at": c.closed_at,
            "last_sequence": c.last_sequence,
        }));
    }
    for k in enrolled {
        line(json!({
            "type": "device_key",
            "bureau": k.bureau,
            "public_key": k.public_key,
            "current": k.current,
            "enrolled_after": k.enrolled_after,
            "revoked_after": k.revoked_after,
        }));
    }
    let head = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) });
    // Then the returns, a batch at a time, after the last sequence sent.
    let returns = stream::try_unfold(0u64, move |after| {
        let (state, election) = (state.clone(), election.clone());
        async move {
            if after >= upto {
                return Ok(None);
            }
            let id = election.id().to_owned();
            let batch = state
                .db
                .run(move |db| db.record_batch(&id, after, upto, BATCH))
                .await
                .map_err(std::io::Error::other)?;
            let Some(last) = batch.last().map(|e| e.sequence) else {
                return Ok(None);
            };
            let text = return_lines(&state, &election, batch).map_err(std::io::Error::other)?;
            Ok(Some((Bytes::from(text), last)))
        }
    });
    Ok((
        cache_headers(tag, cache(closed.is_some())),
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        Body::from_stream(head.chain(returns)),
    )
        .into_response())
}

/// How a closed election's record may be kept: for good (a year, the most
/// HTTP caches honour), never asked again.
pub const FINAL_CACHE: &str = "public, max-age=31536000, immutable";

/// Returns read from the database per batch of the stream.
pub const BATCH: u32 = 500;

/// One line per return: the stored bytes as they are, and the receipt,
/// signed again (Ed25519 is deterministic: the same receipt as at ingest).
fn return_lines(
    state: &AppState,
    election: &Arc<Election>,
    batch: Vec<RecordEntry>,
) -> Result<String, String> {
    let mut out = String::new();
    for e in batch {
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
            .map_err(|err| err.to_string())?;
        let line =
            json!({ "type": "return", "sequence": e.sequence, "return": ret, "receipt": receipt });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(out)
}
