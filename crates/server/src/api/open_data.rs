//! `GET /api/v1/open-data/results.csv` and `/open-data/turnout.csv`
//! (`docs/return-format.md` §14): the results per bureau in the ministry's
//! layout and the turnout per checkpoint per bureau, written by core's
//! `open_data` from the signed returns and reports among the log's first
//! leaves, naming that head on their first line so that the verifier
//! writes the same bytes from the record.
//!
//! A file is written at most once per change of the log, and at most once
//! every [`FRESH`] while the log grows: a national election's file is
//! seconds of work, and a crowd asking for it while returns arrive is
//! answered from the last one (which names its own head, so it is never
//! passed off as newer than it is).

use super::ApiError;
use super::http_cache::{PUBLIC_CACHE, cache_headers, not_modified};
use super::results::Which;
use crate::AppState;
use crate::db::DbError;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use pointage_core::Election;
use pointage_core::open_data::{File, RecordHead, results_csv, turnout_csv};
use pointage_core::signature::CheckedBeforeKept;
use pointage_core::turnout::{Received, SignedReport};
use pointage_core::wire::ApiErrorBody;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a file written at one head is answered while the log has
/// grown since.
pub const FRESH: Duration = Duration::from_secs(10);

/// What a file is called when saved.
fn saved_as(file: File) -> &'static str {
    match file {
        File::Results => "resultats",
        File::Turnout => "participation",
    }
}

/// A file as written at a head.
struct Written {
    size: u64,
    root: String,
    at: Instant,
    bytes: Bytes,
}

/// The last file of each kind written per election.
#[derive(Default)]
pub struct OpenData {
    last: Mutex<HashMap<(String, File), Arc<Written>>>,
    /// Held while a file is written: one at a time, and the requests that
    /// find it stale take the one just written.
    writing: tokio::sync::Mutex<()>,
}

impl OpenData {
    fn last(&self, election: &str, file: File, size: u64) -> Option<Arc<Written>> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.get(&(election.to_owned(), file))
            .filter(|w| w.size == size || w.at.elapsed() < FRESH)
            .cloned()
    }

    /// The file of `election` at a head at most [`FRESH`] older than the
    /// log's current one.
    async fn file(
        &self,
        state: &AppState,
        election: Arc<Election>,
        file: File,
    ) -> Result<Arc<Written>, ApiError> {
        let held = state.logs.current(&state.db, election.id()).await?;
        let size = held.len();
        let root = held
            .root(size)
            .filter(|_| size > 0)
            .map(hex::encode)
            .ok_or_else(|| DbError::Invariant(format!("no head of {size} leaves")))?;
        drop(held);
        if let Some(w) = self.last(election.id(), file, size) {
            return Ok(w);
        }
        let _writing = self.writing.lock().await;
        if let Some(w) = self.last(election.id(), file, size) {
            return Ok(w);
        }
        let e = election.clone();
        let head = RecordHead {
            election_id: election.id().to_owned(),
            size,
            root: root.clone(),
        };
        let text = state
            .read(move |db| {
                let (returns, reports) = db.record_prefix(e.id(), size)?;
                Ok(match file {
                    File::Results => {
                        results_csv(&e, returns.iter().map(|(id, b)| (id.as_str(), b)), &head)
                    }
                    File::Turnout => {
                        let reports = parse(&e, &reports)?;
                        turnout_csv(
                            &e,
                            reports
                                .iter()
                                .map(|(report, at)| Received { report, at: *at }),
                            &head,
                        )
                    }
                })
            })
            .await?;
        let written = Arc::new(Written {
            size,
            root,
            at: Instant::now(),
            bytes: Bytes::from(text),
        });
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((election.id().to_owned(), file), written.clone());
        Ok(written)
    }
}

/// The stored reports, checked when they were stored.
fn parse(e: &Election, reports: &[(Vec<u8>, u64)]) -> Result<Vec<(SignedReport, u64)>, DbError> {
    reports
        .iter()
        .map(|(bytes, at)| {
            SignedReport::from_bytes_with(bytes, &CheckedBeforeKept)
                .map(|r| (r, *at))
                .map_err(|err| DbError::Corrupt {
                    id: e.id().to_owned(),
                    reason: format!("a stored turnout report: {err}"),
                })
        })
        .collect()
}

async fn answer(
    state: AppState,
    which: Which,
    headers: HeaderMap,
    file: File,
) -> Result<Response, ApiError> {
    let election = crate::results::resolve(&state, which.election).await?;
    let id = election.id().to_owned();
    let w = state.open_data.file(&state, election, file).await?;
    // Known by the head it names, and the server's key.
    let tag = HeaderValue::from_str(&format!(
        "W/\"{}-{}-{}\"",
        w.size,
        &w.root[..16],
        state.key.public.get(..16).unwrap_or_default()
    ))
    .unwrap_or(HeaderValue::from_static("W/\"\""));
    if let Some(same) = not_modified(&headers, &tag) {
        return Ok(same);
    }
    // The id is checked on import: letters, digits and dashes.
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{id}-{}-{}.csv\"",
        saved_as(file),
        w.size
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        cache_headers(tag, PUBLIC_CACHE),
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        w.bytes.clone(),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/open-data/results.csv",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "The results per bureau as CSV in the ministry's layout, from signed returns only, naming on its first line the record head it was computed from (docs/return-format.md §14)", content_type = "text/csv"),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn results(
    State(state): State<AppState>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(state, which, headers, File::Results).await
}

#[utoipa::path(
    get,
    path = "/api/v1/open-data/turnout.csv",
    tag = "results",
    params(Which),
    responses(
        (status = 200, description = "The turnout per checkpoint per bureau as CSV, from signed reports only, naming on its first line the record head it was computed from (docs/return-format.md §14)", content_type = "text/csv"),
        (status = 304, description = "The copy named by If-None-Match is the current one"),
        (status = 404, description = "`not_found`: no such election", body = ApiErrorBody),
    )
)]
pub async fn turnout(
    State(state): State<AppState>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(state, which, headers, File::Turnout).await
}
