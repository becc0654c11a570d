//! The types of the sync API, shared by the bureau app and the server so that
//! both sides agree on every field, and the error codes the server sends and
//! the app translates.
//!
//! Plain data: no I/O. `POST /api/v1/returns` carries a [`SignedReturn`]'s
//! canonical bytes as its body; the other bodies are the JSON of these types.
//!
//! [`SignedReturn`]: crate::SignedReturn

use crate::election::Mode;
use crate::election_view::ElectionView;
use crate::receipt::Receipt;
use crate::results::Results;
use serde::{Deserialize, Serialize};

mod codes;
pub use codes::ErrorCode;

/// `POST /api/v1/enroll`: a bureau device presents its single-use code and
/// the public key it has just made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub code: String,
    /// Lowercase hex Ed25519 public key of the device.
    pub device_key: String,
}

/// What an enrolled device keeps: its bureau's part of the election (with
/// the whole definition's hash), and the server's key that signs receipts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub election: ElectionView,
    /// Lowercase hex Ed25519 public key of the server.
    pub server_key: String,
}

/// The shape of a signed return on the wire, for the API's documentation:
/// `POST /api/v1/returns` takes exactly these canonical bytes
/// (docs/return-format.md); the server decodes them with `SignedReturn`.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SignedReturnJson {
    pub body: crate::signed_return::ReturnBody,
    /// Lowercase hex Ed25519 signature of the body's `format`
    /// (`pointage-return/1` or `pointage-return/2`), a line feed, then
    /// the body's canonical bytes.
    pub signature: String,
}

/// A signed turnout report as `POST /api/v1/reports` takes it: the exact
/// canonical bytes signed (docs/return-format.md §9), never re-encoded.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SignedReportJson {
    pub body: crate::turnout::ReportBody,
    /// Lowercase hex Ed25519 signature of `pointage-turnout/1`, a line
    /// feed, then the body's canonical bytes.
    pub signature: String,
}

/// A signed photo document as `POST /api/v1/photos` takes it: the exact
/// canonical bytes signed (docs/return-format.md §15), never re-encoded.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SignedPhotosJson {
    pub body: crate::photo::PhotosBody,
    /// Lowercase hex Ed25519 signature of `pointage-photos/1`, a line
    /// feed, then the body's canonical bytes.
    pub signature: String,
}

/// The answer to `PUT /api/v1/photos/{sha256}/{piece}` and `GET
/// /api/v1/photos/{sha256}/pieces`: which pieces of the picture the server
/// holds, so that a phone sends only the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PiecesHeld {
    /// The picture's SHA-256.
    pub sha256: String,
    /// How many pieces it travels in.
    pub pieces: u32,
    /// The pieces held, from 0, in order.
    pub held: Vec<u32>,
}

impl PiecesHeld {
    /// Whether the server has the whole picture.
    pub fn complete(&self) -> bool {
        self.held.len() as u32 == self.pieces
    }

    /// The first piece the server does not hold.
    pub fn next_missing(&self) -> Option<u32> {
        (0..self.pieces).find(|n| !self.held.contains(n))
    }
}

/// The answer to `POST /api/v1/returns`: the server's signed receipt. The
/// same return sent again gets the same receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitResponse {
    pub receipt: Receipt,
}

/// `GET /api/v1/log/consistency` and `/log/inclusion`: a proof of the
/// election's log (lowercase hex hashes, RFC 9162 §2.1's order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogProof {
    pub proof: Vec<String>,
}

/// `GET /api/v1/results`: the totals, what they cover, and where each bureau
/// stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsResponse {
    pub election_name: String,
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub round: u8,
    pub date: String,
    pub mode: Mode,
    pub results: Results,
    /// How many bureaux are in each state. The bureaux themselves are listed,
    /// a page at a time, by `GET /api/v1/bureaux`: a national election's
    /// 70,000 would make this answer megabytes long.
    pub bureaux: BureauCounts,
    /// Turnout during the day, one entry per checkpoint of the election's
    /// day (none when it names none): the sum of the counts reported, how
    /// many bureaux it covers of how many, and participation over the
    /// reporting bureaux' inscrits only.
    #[serde(default)]
    pub turnout: Vec<crate::turnout::CheckpointTurnout>,
    /// What the bureaux not yet counted could still change (DOMAIN.md),
    /// from these results and the definition's inscrits.
    #[serde(default)]
    pub still_open: Option<crate::still_open::StillOpen>,
}

/// How many bureaux are in each state; they add up to the election's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BureauCounts {
    pub not_enrolled: u32,
    pub enrolled: u32,
    pub received: u32,
}

/// One page of the bureaux that match a request, in the election's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BureauPage {
    /// How many bureaux match, over every page.
    pub matching: u32,
    /// The place of this page's first bureau among them, from 0.
    pub offset: u32,
    pub bureaux: Vec<BureauStatus>,
}

/// The most bureaux one page holds.
pub const BUREAU_PAGE_MAX: u32 = 200;

/// One bureau on the results page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BureauStatus {
    pub code: String,
    pub name: String,
    pub commune: String,
    pub state: BureauState,
    /// The counted return's version and human code, once one is received.
    pub version: Option<u32>,
    pub human_code: Option<String>,
    /// The SHA-256 of each page of the paper PV's photos (the bureau's
    /// latest photo document) the server holds whole, in page order:
    /// `GET /api/v1/photos/{sha256}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BureauState {
    NotEnrolled,
    Enrolled,
    Received,
}

/// The body of every API error: `{"error": {"code": "...", "message": "..."}}`.
/// The message is for logs and developers, in English; people see the app's
/// translation of the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}
