//! `GET /api/v1/next-round`: a bureau's phone asks whether its key was
//! carried over to a later round of its election (a second round made
//! from the first, `/operateur/election`), and gets that round's part for
//! its bureau as enrolling gave the first: no new code to type.
//!
//! What it tells is public already (the later round's record has the
//! key's leaf, naming the first round); it is read by a reader, never the
//! writer.

use super::ApiError;
use crate::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use pointage_core::signed_return::is_public_key;
use pointage_core::wire::{ApiErrorBody, EnrollResponse, ErrorCode};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NextRoundQuery {
    /// The election the phone counts for now.
    pub election: String,
    /// The phone's key (lowercase hex Ed25519), enrolled for its bureau.
    pub key: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/next-round",
    tag = "enrollment",
    params(NextRoundQuery),
    responses(
        (status = 200, description = "The latest later round where this key holds the same bureau: its part for the bureau, and the server's key", body = EnrollResponse),
        (status = 400, description = "`bad_request`: the key is malformed", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no later round holds this key for this bureau (none made yet, or the phone needs the new round's code)", body = ApiErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Query(q): Query<NextRoundQuery>,
) -> Result<Json<EnrollResponse>, ApiError> {
    if !is_public_key(&q.key) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "key is not a lowercase hex Ed25519 public key",
        ));
    }
    let none = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no later round holds this key for its bureau",
        )
    };
    let key = q.key.clone();
    let held = state.read(move |db| db.held_by_key(&key)).await?;
    let Some(bureau) = held
        .iter()
        .find(|(e, _)| *e == q.election)
        .map(|(_, b)| b.clone())
    else {
        return Err(none());
    };
    let current = state.election(&q.election).await?.ok_or_else(none)?;
    let mut best = None;
    for (id, _) in held
        .iter()
        .filter(|(e, b)| *e != q.election && *b == bureau)
    {
        let Some(e) = state.election(id).await? else {
            continue;
        };
        if e.round() > current.round()
            && best
                .as_ref()
                .is_none_or(|(r, i): &(u8, String)| (e.round(), id) > (*r, i))
        {
            best = Some((e.round(), id.clone()));
        }
    }
    let (_, id) = best.ok_or_else(none)?;
    let next = state.election(&id).await?.ok_or_else(none)?;
    let view = next.view_for(&bureau).ok_or_else(none)?;
    Ok(Json(EnrollResponse {
        election: view,
        server_key: state.key.public.clone(),
    }))
}
