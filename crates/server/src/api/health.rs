//! `GET /api/v1/health`: the server is up and its database answers. Used by
//! `cargo xtask test` to wait for a server and by the app to tell a volunteer
//! whether the central server can be reached.

use super::ApiError;
use crate::{AppState, db};
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

pub async fn get(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.db.call(db::ping).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: "ok",
    }))
}
