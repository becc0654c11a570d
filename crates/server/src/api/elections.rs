//! `GET /api/v1/elections`: the elections this server collects returns for,
//! with their candidates and bureaux. Read-only for now; creating elections
//! and enrolling bureaux come with the enrollment issue.

use super::ApiError;
use crate::AppState;
use axum::Json;
use axum::extract::State;
use pointage_core::Election;

#[utoipa::path(
    get,
    path = "/api/v1/elections",
    tag = "elections",
    responses((status = 200, description = "Every election, oldest first", body = Vec<Election>))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Election>>, ApiError> {
    Ok(Json(state.db.run(|db| db.elections()).await?))
}
