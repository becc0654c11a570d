//! The results service: an election's totals and its bureaux' states,
//! computed by core from the stored returns once per change (single
//! flight) and kept, and a page of the bureaux. The JSON handlers
//! (`api::results`), the HTML page (`results_page`) and the record's
//! (`api::record`) call it; HTTP caching is `api::http_cache`'s.

use crate::api::ApiError;
use crate::{AppState, Computed, ResultsStamp};
use axum::body::Bytes;
use axum::http::StatusCode;
use pointage_core::results;
use pointage_core::search::{finds, search_key};
use pointage_core::signature::CheckedBeforeKept;
use pointage_core::turnout::{self, Received, SignedReport};
use pointage_core::wire::{BureauPage, BureauState, ErrorCode, ResultsResponse};
use std::sync::Arc;

/// Where an election's results stand now (`Db::results_stamp`). Read before
/// anything the answer is made of, so that an answer is never older than
/// its tag says: at worst newer, which costs one more transfer later.
pub async fn stamp(state: &AppState, election_id: &str) -> Result<ResultsStamp, ApiError> {
    let id = election_id.to_owned();
    state.read(move |db| db.results_stamp(&id)).await
}

/// The election asked for, or the latest created.
pub async fn resolve(
    state: &AppState,
    which: Option<String>,
) -> Result<std::sync::Arc<pointage_core::Election>, ApiError> {
    let id = match which {
        Some(id) => id,
        None => state
            .read(|db| db.latest_election_id())
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    ErrorCode::NotFound,
                    "no election on this server",
                )
            })?,
    };
    state.election(&id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such election",
        )
    })
}

/// The results and bureau states of an election, computed again only when a
/// return was stored or a device enrolled or revoked since the last time: a
/// national election is 70,000 returns to read and add.
pub async fn computed(
    state: &AppState,
    election: Arc<pointage_core::Election>,
    stamp: ResultsStamp,
) -> Result<Arc<Computed>, ApiError> {
    let id = election.id().to_owned();
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(cached);
    }
    // Single flight: the requests that find the results stale wait for the
    // one computing them, and take its answer.
    let _computing = state.computing.lock().await;
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(cached);
    }
    state
        .results_computed
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Read and added up on the blocking pool: a national election's
    // returns are seconds of work that no async worker may hold.
    let e = election.clone();
    let computed = state
        .read(move |db| {
            let (bodies, enrolled) = db.results_inputs(&id)?;
            let reports = db.reports(&id)?;
            let mut computed = compute(&e, &bodies, &enrolled, &reports)?;
            let mut pictures = db.pictures_held(&id)?;
            for b in &mut computed.bureaux {
                b.photos = pictures.remove(&b.code).unwrap_or_default();
            }
            Ok(computed)
        })
        .await?;
    let computed = Arc::new(computed);
    state.cache_results(election.id(), stamp, computed.clone());
    Ok(computed)
}

/// The results and bureau states from the stored returns' bodies and the
/// bureaux with an enrolled device.
fn compute(
    election: &pointage_core::Election,
    bodies: &[(String, pointage_core::ReturnBody)],
    enrolled: &std::collections::HashMap<String, String>,
    reports: &[(Vec<u8>, u64)],
) -> Result<Computed, crate::db::DbError> {
    let results = results::compute(election, bodies.iter().map(|(id, b)| (id.as_str(), b)));
    let (bureaux, counts) =
        results::bureau_states(election, &results, |code| enrolled.contains_key(code));
    // Checked when stored; the record lets anyone check them again.
    let reports = reports
        .iter()
        .map(|(bytes, at)| {
            SignedReport::from_bytes_with(bytes, &CheckedBeforeKept)
                .map(|r| (r, *at))
                .map_err(|e| crate::db::DbError::Corrupt {
                    id: election.id().to_owned(),
                    reason: format!("a stored turnout report: {e}"),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let turnout = turnout::compute(
        election,
        reports
            .iter()
            .map(|(report, at)| Received { report, at: *at }),
    );
    let still_open = Some(pointage_core::still_open::still_open(election, &results));
    let answer = ResultsResponse {
        still_open,
        turnout,
        election_name: election.name().to_owned(),
        round: election.round(),
        date: election.date().to_owned(),
        mode: election.mode(),
        results,
        bureaux: counts,
    };
    let results_json =
        Bytes::from(serde_json::to_vec(&answer).map_err(crate::db::DbError::from_json)?);
    let search = bureaux
        .iter()
        .map(|b| [&b.code, &b.name, &b.commune].map(|f| search_key(f)))
        .collect();
    Ok(Computed {
        results_json,
        results: answer,
        bureaux,
        search,
    })
}

/// The bureaux in `state` (all when `None`) whose code, name or commune
/// contains `q` (core's `search`: whatever the accents, case, spaces and
/// punctuation), at most `limit` of
/// them from the `offset`-th, and how many match in all: for the API and
/// the results page alike.
pub fn bureau_page(
    computed: &Computed,
    state: Option<BureauState>,
    q: &str,
    offset: u32,
    limit: u32,
) -> BureauPage {
    let needle = search_key(q);
    let matching = computed
        .bureaux
        .iter()
        .zip(&computed.search)
        .filter(|(b, fields)| {
            // Without a text, the bureaux' search keys are not even read
            // (70,000 of them, for every whole results page).
            state.is_none_or(|s| b.state == s)
                && (needle.is_empty() || fields.iter().any(|f| finds(&needle, f)))
        })
        .map(|(b, _)| b);
    let mut total = 0u32;
    let mut page = Vec::new();
    for b in matching {
        if total >= offset && page.len() < limit as usize {
            page.push(b.clone());
        }
        total += 1;
    }
    BureauPage {
        matching: total,
        offset,
        bureaux: page,
    }
}
