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
use pointage_core::turnout::{self, SignedReport};
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

/// What an election's results were last computed from, kept between
/// computations so that the next one reads only the log's leaves appended
/// since: each bureau's return and reports that count (core's `Counting`s),
/// and the bureaux' search keys (which never change).
#[derive(Default)]
pub struct Tally {
    /// The log's size when it was last read: the next computation reads
    /// the returns and reports from this leaf on.
    read: u64,
    counting: results::Counting,
    reports: turnout::Counting,
    /// The turnout over `reports`, until a report is added: the night's
    /// computations (returns only) do not go over 70,000 reports again.
    turnout: Option<Vec<turnout::CheckpointTurnout>>,
    search: Arc<Vec<[String; 3]>>,
}

/// The results and bureau states of an election, computed again only when a
/// return was stored or a device enrolled or revoked since the last time,
/// and then from what changed: a national election is 70,000 returns, too
/// many to read and decode again on every change of the night.
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
    let mut tallies = state.computing.lock().await;
    if let Some(cached) = state.cached_results(&id, stamp) {
        return Ok(cached);
    }
    state
        .results_computed
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Brought up to date in place. A computation that fails half-way
    // leaves it with leaves added but not marked read: adding them again
    // changes nothing (a version counts only over a lower one), so the
    // next one goes on from there rather than from the first leaf — at
    // 70,000 bureaux, seconds of figures going stale after a database
    // hiccup.
    let tally = tallies.entry(id.clone()).or_default().clone();
    let e = election.clone();
    let computed =
        state
            .read(move |db| {
                let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
                // Every leaf below a size the log has reached is stored, and
                // never changes: read after the stamp, so never older than it.
                let size = db.log_size(&id)?;
                let (returns, reports) = db.record_range(&id, tally.read, size)?;
                for (return_id, body) in returns {
                    tally.counting.add(&e, return_id, body);
                }
                for (bytes, at) in reports {
                    // Checked when stored; the record lets anyone check them
                    // again.
                    let report = SignedReport::from_bytes_with(&bytes, &CheckedBeforeKept)
                        .map_err(|err| crate::db::DbError::Corrupt {
                            id: id.clone(),
                            reason: format!("a stored turnout report: {err}"),
                        })?;
                    tally.reports.add(&e, report, at);
                    tally.turnout = None;
                }
                tally.read = size;
                if tally.search.is_empty() {
                    tally.search = Arc::new(
                        e.bureaux()
                            .iter()
                            .map(|b| [&b.code, &b.name, &b.commune].map(|f| search_key(f)))
                            .collect(),
                    );
                }
                let enrolled = db.enrolled_bureaux(&id)?;
                let mut computed = compute(&e, &mut tally, &enrolled)?;
                let mut pictures = db.pictures_held(&id)?;
                for b in &mut computed.bureaux {
                    b.photos = pictures.remove(&b.code).unwrap_or_default();
                }
                Ok(computed)
            })
            .await?;
    drop(tallies);
    let computed = Arc::new(computed);
    state.cache_results(election.id(), stamp, computed.clone());
    Ok(computed)
}

/// Computes, in the background, the results of every election not yet
/// closed, once, when a node starts: a node started again at the peak of
/// the night then answers its first viewers (and the cache in front) with
/// what changed, not after reading 70,000 returns from the first leaf.
pub fn warm_up(state: AppState) {
    tokio::spawn(async move {
        let open = state
            .read(|db| {
                let mut open = Vec::new();
                for id in db.election_ids()? {
                    if db.closure(&id)?.is_none() {
                        open.push(id);
                    }
                }
                Ok(open)
            })
            .await
            .unwrap_or_default();
        for id in open {
            if let (Ok(Some(e)), Ok(at)) = (state.election(&id).await, stamp(&state, &id).await) {
                let _ = computed(&state, e, at).await;
            }
        }
    });
}

/// The results and bureau states from what counts and the bureaux with
/// an enrolled device.
fn compute(
    election: &pointage_core::Election,
    tally: &mut Tally,
    enrolled: &std::collections::HashSet<String>,
) -> Result<Computed, crate::db::DbError> {
    let results = tally.counting.results(election);
    let (bureaux, counts) =
        results::bureau_states(election, &results, |code| enrolled.contains(code));
    let reports = &tally.reports;
    let turnout = tally
        .turnout
        .get_or_insert_with(|| turnout::compute(election, reports.received()))
        .clone();
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
    Ok(Computed {
        results_json,
        results: answer,
        bureaux,
        search: tally.search.clone(),
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
        .zip(computed.search.iter())
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
