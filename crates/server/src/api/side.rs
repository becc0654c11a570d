//! What the signed documents a bureau sends beside its returns (turnout
//! reports, the paper PV's photos) go through alike once their own checks
//! hold: the key the bureau has enrolled, then their leaf in this node's
//! tree once stored, then the status their receipt is sent with.

use super::ApiError;
use crate::AppState;
use crate::db::{LeafHash, Stored};
use axum::http::StatusCode;

/// The key enrolled for `bureau` of `election_id` now, if it is `key`
/// (read, never from the writer); `refused` otherwise.
pub(super) async fn enrolled_as(
    state: &AppState,
    election_id: &str,
    bureau: &str,
    key: &str,
    refused: impl FnOnce() -> ApiError,
) -> Result<String, ApiError> {
    let (db, id, bureau) = (state.db.clone(), election_id.to_owned(), bureau.to_owned());
    let enrolled = state
        .reads
        .run(move || db.enrolled_key(&id, &bureau))
        .await??
        .unwrap_or_default();
    if enrolled == key {
        Ok(enrolled)
    } else {
        Err(refused())
    }
}

/// A document just stored: this node's tree takes its leaf (if it follows
/// on), so the receipt's root is not read back. One stored before keeps
/// its own.
pub(super) async fn logged(state: &AppState, election_id: &str, mut stored: Stored) -> Stored {
    if stored.new {
        let leaf = LeafHash {
            index: stored.sequence,
            at: stored.received_at,
            hash: stored.leaf,
        };
        stored.root = state
            .logs
            .stored(election_id, &[leaf])
            .await
            .pop()
            .flatten();
    }
    stored
}

/// 201 for a document stored now, 200 for the same again.
pub(super) fn status(stored: &Stored) -> StatusCode {
    if stored.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}
