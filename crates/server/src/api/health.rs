//! `GET /api/v1/health`: the server is up and its database answers. Used by
//! `cargo xtask test` to wait for a server and by the app to tell a volunteer
//! whether the central server can be reached.

use super::ApiError;
use crate::AppState;
use axum::Json;
use axum::extract::State;
use pointage_core::wire::ApiErrorBody;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "server",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = ApiErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.read(|db| db.ping()).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: "ok",
    }))
}
