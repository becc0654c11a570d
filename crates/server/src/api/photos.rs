//! The paper PV's photos (docs/return-format.md §15).
//!
//! - `POST /api/v1/photos`: a bureau's signed photo document, as its
//!   canonical bytes; the answer is the server's signed receipt, in the
//!   election's one sequence of leaves. Checked as a report is: the
//!   client's allowance first, the signature on the checking pool, the
//!   election and the key enrolled next, the store last (the key still the
//!   bureau's, the return it names the bureau's, its chain).
//! - `GET /api/v1/photos/{sha256}/pieces`: which pieces of a picture the
//!   server holds, so that a phone sends the others only.
//! - `PUT /api/v1/photos/{sha256}/pieces/{n}`: one piece, taken only when
//!   its bytes are the ones the bureau signed for it: nobody can spoil an
//!   upload under way, and nothing unsigned is stored.
//! - `GET /api/v1/photos/{sha256}`: the picture, once whole; the same for
//!   good (`immutable`, its hash its ETag), since its address is its hash.
//!   A client that already holds it gets a 304 for nothing; each copy
//!   sent is read from the database and counts against the client's
//!   allowance of pictures.

use super::ApiError;
use super::error::photos_refused;
use super::record::FINAL_CACHE;
use super::returns::Allowance;
use crate::AppState;
use crate::db::{PhotosToStore, StoredPage};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pointage_core::photo::{PhotosError, SignedPhotos, is_sha256_hex};
use pointage_core::wire::{ApiErrorBody, ErrorCode, PiecesHeld, SignedPhotosJson, SubmitResponse};

#[utoipa::path(
    post,
    path = "/api/v1/photos",
    tag = "photos",
    request_body(content = SignedPhotosJson, description = "The signed photo document's canonical bytes (docs/return-format.md §15)", content_type = "application/json"),
    responses(
        (status = 201, description = "Stored; the server's signed receipt", body = SubmitResponse),
        (status = 200, description = "Already stored; the same receipt as the first time", body = SubmitResponse),
        (status = 400, description = "`photos_not_canonical`, `photos_unknown_format`, `photos_malformed_key`", body = ApiErrorBody),
        (status = 403, description = "`photos_bad_signature`, `photos_key_not_enrolled`", body = ApiErrorBody),
        (status = 409, description = "`photos_version_taken`, `photos_broken_chain`; `election_closed`", body = ApiErrorBody),
        (status = 413, description = "`payload_too_large`", body = ApiErrorBody),
        (status = 422, description = "`photos_bad_pages`, `photos_wrong_election`, `photos_unknown_bureau`, `photos_unknown_return`", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ApiErrorBody),
        (status = 503, description = "`busy`, `storage_unavailable`", body = ApiErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    _allowed: Allowance,
    bytes: Bytes,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    let read = bytes.clone();
    let photos = state
        .checks
        .run(move || SignedPhotos::from_bytes(&read))
        .await??;
    let b = photos.body();
    let election = state
        .election(&b.election_id)
        .await?
        .ok_or(PhotosError::OtherElection)?;
    photos.check_content(&*election)?;
    let enrolled =
        super::side::enrolled_as(&state, &b.election_id, &b.bureau, &b.device_key, || {
            photos_refused(
                ErrorCode::PhotosKeyNotEnrolled,
                "the key is not the one enrolled for the bureau",
            )
        })
        .await?;
    let work = PhotosToStore {
        photos: photos.clone(),
        bytes: bytes.to_vec(),
        checked_key: enrolled,
    };
    let now = crate::system::now_ms();
    let stored = state
        .db
        .run(move |db| Ok(db.store_photos(work, now)))
        .await??;
    let stored = super::side::logged(&state, election.id(), stored).await;
    let receipt = state
        .photos_receipt(&photos, stored.sequence, stored.received_at, stored.root)
        .await?;
    let status = super::side::status(&stored);
    Ok((status, Json(SubmitResponse { receipt })))
}

fn unknown() -> ApiError {
    photos_refused(
        ErrorCode::PhotoPieceUnknown,
        "no photo document the server holds names this picture or piece",
    )
}

/// The stored page of `sha256` (read, never from the writer).
async fn stored_page(state: &AppState, sha256: String) -> Result<StoredPage, ApiError> {
    if !is_sha256_hex(&sha256) {
        return Err(unknown());
    }
    let db = state.db.clone();
    state
        .reads
        .run(move || db.photo_page(&sha256))
        .await??
        .ok_or_else(unknown)
}

fn held(page: &StoredPage, held: Vec<u32>) -> PiecesHeld {
    PiecesHeld {
        sha256: page.page.sha256.clone(),
        pieces: page.page.pieces.len() as u32,
        held,
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/photos/{sha256}/pieces",
    tag = "photos",
    params(("sha256" = String, Path, description = "The picture's SHA-256, lowercase hex")),
    responses(
        (status = 200, description = "The pieces held", body = PiecesHeld),
        (status = 404, description = "`photo_piece_unknown`", body = ApiErrorBody),
    )
)]
pub async fn pieces(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
) -> Result<Json<PiecesHeld>, ApiError> {
    let page = stored_page(&state, sha256).await?;
    let now = page.held.clone();
    Ok(Json(held(&page, now)))
}

#[utoipa::path(
    put,
    path = "/api/v1/photos/{sha256}/pieces/{n}",
    tag = "photos",
    params(
        ("sha256" = String, Path, description = "The picture's SHA-256, lowercase hex"),
        ("n" = u32, Path, description = "The piece, from 0"),
    ),
    request_body(content = Vec<u8>, description = "The piece's bytes (64 KiB, the last one shorter)", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Kept (or held already); the pieces held now", body = PiecesHeld),
        (status = 404, description = "`photo_piece_unknown`", body = ApiErrorBody),
        (status = 413, description = "`payload_too_large`", body = ApiErrorBody),
        (status = 422, description = "`photo_piece_not_signed`", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ApiErrorBody),
        (status = 503, description = "`busy`, `storage_unavailable`", body = ApiErrorBody),
    )
)]
pub async fn put_piece(
    State(state): State<AppState>,
    _allowed: Allowance,
    Path((sha256, n)): Path<(String, u32)>,
    bytes: Bytes,
) -> Result<Json<PiecesHeld>, ApiError> {
    let page = stored_page(&state, sha256).await?;
    if page.held.contains(&n) {
        let now = page.held.clone();
        return Ok(Json(held(&page, now)));
    }
    let (checked, piece) = (page.clone(), bytes.clone());
    state
        .checks
        .run(move || checked.page.check_piece(n as usize, &piece))
        .await?
        .map_err(|e| match e {
            pointage_core::photo::PieceError::NoSuchPiece(_) => unknown(),
            not_signed => photos_refused(ErrorCode::PhotoPieceNotSigned, &not_signed.to_string()),
        })?;
    let kept = page.clone();
    let now = state
        .db
        .run(move |db| db.put_piece(&kept, n, &bytes))
        .await?;
    Ok(Json(held(&page, now)))
}

#[utoipa::path(
    get,
    path = "/api/v1/photos/{sha256}",
    tag = "photos",
    params(("sha256" = String, Path, description = "The picture's SHA-256, lowercase hex")),
    responses(
        (status = 200, description = "The picture, whose SHA-256 is its address and its ETag (cached for good)", content_type = "image/jpeg"),
        (status = 304, description = "The client's copy (If-None-Match) is the picture"),
        (status = 404, description = "`photo_piece_unknown`: no such picture, or not whole yet", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: this client downloaded far more pictures than a reader does; with `Retry-After`", body = ApiErrorBody),
    )
)]
pub async fn picture(
    State(state): State<AppState>,
    super::ClientAddr(client): super::ClientAddr,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !is_sha256_hex(&sha256) {
        return Err(unknown());
    }
    // The hash is the picture: a client holding a copy under it holds this
    // one, whether or not the server has it (a 304 reveals nothing).
    let tag = HeaderValue::from_str(&format!("\"{sha256}\"")).map_err(|_| unknown())?;
    if let Some(same) = super::http_cache::not_modified_for(&headers, &tag, FINAL_CACHE) {
        return Ok(same);
    }
    if !state
        .limits
        .pictures_by_client
        .allow(&client, crate::system::now_ms())
    {
        return Err(ApiError::rate_limited(
            "far more pictures were asked than a person reads; wait a moment",
            2,
        ));
    }
    let page = stored_page(&state, sha256).await?;
    let (db, sha) = (state.db.clone(), page.page.sha256.clone());
    let (media_type, bytes) = state
        .reads
        .run(move || db.picture(&sha))
        .await??
        .ok_or_else(unknown)?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, FINAL_CACHE.to_owned()),
            (header::ETAG, tag.to_str().unwrap_or_default().to_owned()),
        ],
        bytes,
    )
        .into_response())
}
