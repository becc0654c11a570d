//! `GET /api/v1/record[?election=ID]`: the public record, as JSON lines
//! (docs/return-format.md §7, core's `log::RecordLine`): the election's
//! definition, the signed head the record covers, then every leaf of the
//! election's log from 0, in order. Anyone recomputes the head's root from
//! the leaves, and the results from the returns among them.
//!
//! The log only grows, so the record is kept in this node's memory in
//! parts that never change once written: the definition's line, and the
//! leaves [`BATCH`] at a time, each part as its text and compressed on its
//! own (raw deflate, ended by a sync flush, so that parts follow one
//! another in one gzip stream). Only the last, unfinished batch and the
//! head's line are written again, when the log has grown. A request is
//! then its parts sent as they are: gzip-encoded when the client accepts
//! it, the text otherwise; a flood of requests, whatever their query,
//! costs neither the database nor a compression, only the copies sent.

use super::ApiError;
use super::http_cache::{PUBLIC_CACHE, cache_headers, not_modified_for};
use super::results::Which;
use crate::AppState;
use crate::db::DbError;
use crate::results::resolve;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use futures_util::stream;
use pointage_core::Election;
use pointage_core::log::RecordLine;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[utoipa::path(
    get,
    path = "/api/v1/record",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "JSON lines: the definition, the signed head, then every leaf of the election's log in order (the election opened, keys enrolled, codes reissued, returns received, the closing); gzip-encoded when asked; with an ETag, cacheable a few seconds (for good once the election is closed)", content_type = "application/x-ndjson", body = String),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 400, description = "`bad_request`: a query parameter other than `election`", body = pointage_core::wire::ApiErrorBody),
        (status = 404, description = "`not_found`: no such election", body = pointage_core::wire::ApiErrorBody),
        (status = 429, description = "`rate_limited`: this client downloaded the whole record far more often than it changes; with `Retry-After`", body = pointage_core::wire::ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    super::ClientAddr(client): super::ClientAddr,
    Query(which): Query<Which>,
    headers: HeaderMap,
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
    // A whole copy costs its bytes: a client that asks far more often
    // than a verifier or a cache does waits (a 304 above costs nothing).
    if !state
        .limits
        .records_by_client
        .allow(&client, crate::system::now_ms())
    {
        return Err(ApiError::rate_limited(
            "the whole record was asked far more often than it changes; wait a minute",
            60,
        ));
    }
    let head = held.head(&election, size, &state.key.signer)?;
    drop(held);
    let id = election.id().to_owned();
    let closure = state.read(move |db| db.closure(&id)).await?;
    if let Some(c) = closure {
        state.remember_closed(election.id(), c);
    }
    let parts = state.records.parts(&state, &election, head, size).await?;
    let gzip = accepts_gzip(&headers);
    let body: Vec<Bytes> = if gzip { parts.gzip() } else { parts.plain() };
    let mut response = (
        cache_headers(tag, cache(closure.is_some())),
        [
            (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (header::VARY, "accept-encoding"),
        ],
        Body::from_stream(stream::iter(body.into_iter().map(Ok::<_, std::io::Error>))),
    )
        .into_response();
    if gzip {
        response.headers_mut().insert(
            header::CONTENT_ENCODING,
            axum::http::HeaderValue::from_static("gzip"),
        );
    }
    Ok(response)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, without `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut it = coding.split(';');
            let name = it.next().unwrap_or_default().trim();
            let refused = it.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// How a closed election's record may be kept: for good (a year, the most
/// HTTP caches honour), never asked again.
pub const FINAL_CACHE: &str = "public, max-age=31536000, immutable";

/// Leaves per part of the record (and per read of the database).
pub const BATCH: u32 = 500;

/// A part of the record: its text, and the same compressed on its own.
#[derive(Clone)]
struct Part {
    plain: Bytes,
    deflated: Bytes,
    crc: crc32fast::Hasher,
}

impl Part {
    fn new(plain: Vec<u8>) -> Result<Self, DbError> {
        let mut crc = crc32fast::Hasher::new();
        crc.update(&plain);
        let mut e = DeflateEncoder::new(Vec::new(), Compression::new(6));
        // A sync flush ends the part on a byte: the next part's blocks
        // follow it in the same stream.
        e.write_all(&plain)
            .and_then(|()| e.flush())
            .map_err(|e| DbError::Encode(format!("the record (compressing): {e}")))?;
        let deflated = std::mem::take(e.get_mut());
        Ok(Part {
            plain: Bytes::from(plain),
            deflated: Bytes::from(deflated),
            crc,
        })
    }
}

/// What one request sends: the parts in order.
pub struct Parts(Vec<Part>);

impl Parts {
    fn plain(&self) -> Vec<Bytes> {
        self.0.iter().map(|p| p.plain.clone()).collect()
    }

    /// One gzip member: its header, the parts' deflate blocks, a last
    /// empty block, and the CRC-32 and length of the whole text.
    fn gzip(&self) -> Vec<Bytes> {
        const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        // A final fixed-Huffman block with no data (RFC 1951).
        const LAST: [u8; 2] = [0x03, 0x00];
        let mut crc = crc32fast::Hasher::new();
        let mut len: u64 = 0;
        let mut out = vec![Bytes::from_static(&HEADER)];
        for p in &self.0 {
            crc.combine(&p.crc);
            len += p.plain.len() as u64;
            out.push(p.deflated.clone());
        }
        let mut trailer = LAST.to_vec();
        trailer.extend_from_slice(&crc.finalize().to_le_bytes());
        trailer.extend_from_slice(&(len as u32).to_le_bytes());
        out.push(Bytes::from(trailer));
        out
    }
}

/// Every election's record as this node last sent it.
#[derive(Default)]
pub struct Records {
    by_election: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Record>>>>,
}

/// One election's record: the parts that never change, and the last ones.
#[derive(Default)]
struct Record {
    definition: Option<Part>,
    /// Batch `k` holds leaves `k × BATCH` to `(k + 1) × BATCH - 1`.
    batches: Vec<Part>,
    /// The leaves after the last whole batch, up to a size.
    tail: Option<(u64, Part)>,
    head: Option<(u64, Part)>,
}

impl Records {
    /// The parts of the record of `election`'s first `size` leaves under
    /// `head`: written for what the log gained since the last request (the
    /// requests that find it grown wait for one of them to write it).
    async fn parts(
        &self,
        state: &AppState,
        election: &Arc<Election>,
        head: pointage_core::log::SignedTreeHead,
        size: u64,
    ) -> Result<Parts, ApiError> {
        let record = self
            .by_election
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(election.id().to_owned())
            .or_default()
            .clone();
        let mut r = record.lock().await;
        if r.definition.is_none() {
            let e = election.clone();
            let line = state
                .reads
                .run(move || {
                    line(&RecordLine::Definition {
                        hash: e.hash().to_owned(),
                        definition: serde_json::to_value(&*e).map_err(DbError::from_json)?,
                    })
                    .and_then(Part::new)
                })
                .await??;
            r.definition = Some(line);
        }
        let whole = size / BATCH as u64;
        while (r.batches.len() as u64) < whole {
            let from = r.batches.len() as u64 * BATCH as u64;
            let part = leaves_part(state, election.id(), from, from + BATCH as u64).await?;
            r.batches.push(part);
        }
        let from = whole * BATCH as u64;
        if r.tail.as_ref().is_none_or(|(s, _)| *s != size) {
            let part = leaves_part(state, election.id(), from, size).await?;
            r.tail = Some((size, part));
        }
        if r.head.as_ref().is_none_or(|(s, _)| *s != size) {
            r.head = Some((size, Part::new(line(&RecordLine::Head(head))?)?));
        }
        let mut parts = Vec::with_capacity(r.batches.len() + 3);
        parts.extend(r.definition.clone());
        parts.extend(r.head.as_ref().map(|(_, p)| p.clone()));
        parts.extend(r.batches[..whole as usize].iter().cloned());
        parts.extend(r.tail.as_ref().map(|(_, p)| p.clone()));
        Ok(Parts(parts))
    }
}

/// A record line and its newline.
fn line(l: &RecordLine) -> Result<Vec<u8>, DbError> {
    let mut text = serde_json::to_vec(l).map_err(DbError::from_json)?;
    text.push(b'\n');
    Ok(text)
}

/// The leaves `from` to before `upto`, as lines, read and compressed on
/// the blocking pool.
async fn leaves_part(
    state: &AppState,
    election_id: &str,
    from: u64,
    upto: u64,
) -> Result<Part, ApiError> {
    let (db, id) = (state.db.clone(), election_id.to_owned());
    Ok(state
        .reads
        .run(move || {
            let mut text = Vec::new();
            let mut next = from;
            while next < upto {
                let batch = db.leaves(&id, next, upto, BATCH)?;
                let Some(last) = batch.last().map(|l| l.index) else {
                    break;
                };
                for l in batch {
                    text.extend_from_slice(&RecordLine::leaf_line(l.index, &l.bytes));
                    text.push(b'\n');
                }
                next = last + 1;
            }
            if next != upto {
                return Err(DbError::Invariant(format!(
                    "the log of {id} has {next} leaves where {upto} were expected"
                )));
            }
            Part::new(text)
        })
        .await??)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn parts_compressed_apart_make_one_gzip_stream_of_their_text() {
        let texts: Vec<Vec<u8>> = vec![
            b"{\"type\":\"definition\"}\n".to_vec(),
            Vec::new(),
            "é".repeat(70_000).into_bytes(),
            b"{\"index\":1}\n{\"index\":2}\n".to_vec(),
        ];
        let parts = Parts(
            texts
                .iter()
                .map(|t| Part::new(t.clone()).expect("part"))
                .collect(),
        );
        let gz: Vec<u8> = parts.gzip().concat();
        let mut read = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut read)
            .expect("one valid gzip member");
        assert_eq!(read, texts.concat());
        assert_eq!(parts.plain().concat(), texts.concat());
        assert!(gz.len() < texts.concat().len() / 10, "{}", gz.len());
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, v.parse().expect("value"));
            m
        };
        assert!(accepts_gzip(&h("gzip, deflate, br")));
        assert!(accepts_gzip(&h("br;q=1.0, gzip;q=0.8")));
        assert!(accepts_gzip(&h("*")));
        assert!(!accepts_gzip(&h("gzip;q=0")));
        assert!(!accepts_gzip(&h("br")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
