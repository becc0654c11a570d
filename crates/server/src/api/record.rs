//! `GET /api/v1/record[?election=ID]`: the public record, as JSON lines
//! (docs/return-format.md §7, core's `log::RecordLine`): the election's
//! definition, the signed head the record covers, then every leaf of the
//! election's log from 0, in order. Anyone recomputes the head's root from
//! the leaves, and the results from the returns among them.
//!
//! It is streamed: the leaves are read [`BATCH`] at a time, each batch with
//! the database held only while it is read, so the record of a national
//! election (70,000 returns and more) is never whole in memory and never
//! blocks the ingest. It covers the leaves stored up to the moment it
//! starts: exactly those of its head.

use super::ApiError;
use super::results::{PUBLIC_CACHE, Which, cache_headers, not_modified_for, resolve};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use pointage_core::log::RecordLine;

#[utoipa::path(
    get,
    path = "/api/v1/record",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "JSON lines: the definition, the signed head, then every leaf of the election's log in order (the election opened, keys enrolled, codes reissued, returns received, the closing); with an ETag, cacheable a few seconds (for good once the election is closed)", content_type = "application/x-ndjson", body = String),
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
    // Known by its head: the record is its leaves, which the root names.
    let held = state.logs.current(&state.db, election.id()).await?;
    let size = held.len();
    let tag = super::log::head_tag(&state, &held, size);
    // A closed election's record never changes again: kept for good.
    let cache = |closed: bool| if closed { FINAL_CACHE } else { PUBLIC_CACHE };
    if let Some(same) = not_modified_for(&headers, &tag, cache(state.closed(election.id()))) {
        return Ok(same);
    }
    let head = held.head(&election, size, &state.key.signer)?;
    drop(held);
    let id = election.id().to_owned();
    let closure = state.db.run(move |db| db.closure(&id)).await?;
    if let Some(c) = closure {
        state.remember_closed(election.id(), c);
    }
    let mut first = String::new();
    for line in [
        RecordLine::Definition {
            hash: election.hash().to_owned(),
            definition: serde_json::to_value(&*election).map_err(crate::db::DbError::from_json)?,
        },
        RecordLine::Head(head),
    ] {
        first.push_str(&serde_json::to_string(&line).map_err(crate::db::DbError::from_json)?);
        first.push('\n');
    }
    let first = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(first)) });
    // Then the leaves, a batch at a time.
    let leaves = stream::try_unfold(0u64, move |from| {
        let (state, id) = (state.clone(), election.id().to_owned());
        async move {
            if from >= size {
                return Ok(None);
            }
            let batch = state
                .db
                .run(move |db| db.leaves(&id, from, size, BATCH))
                .await
                .map_err(std::io::Error::other)?;
            let Some(last) = batch.last().map(|l| l.index) else {
                return Ok(None);
            };
            let mut text = Vec::new();
            for l in batch {
                text.extend_from_slice(&RecordLine::leaf_line(l.index, &l.bytes));
                text.push(b'\n');
            }
            Ok(Some((Bytes::from(text), last + 1)))
        }
    });
    Ok((
        cache_headers(tag, cache(closure.is_some())),
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        Body::from_stream(first.chain(leaves)),
    )
        .into_response())
}

/// How a closed election's record may be kept: for good (a year, the most
/// HTTP caches honour), never asked again.
pub const FINAL_CACHE: &str = "public, max-age=31536000, immutable";

/// Leaves read from the database per batch of the stream.
pub const BATCH: u32 = 500;
