//! The paper PV's photos, decided alike by both backends: a photo
//! document core has checked, stored as a leaf if its key is still the
//! bureau's, the return it names is the bureau's and its version follows;
//! and each page's pieces, taken only when they are the bytes signed.

use super::DbError;
use super::model::{IngestError, NewLeaf};
use pointage_core::log::LogEntry;
use pointage_core::photo::{PhotoPage, SignedPhotos};
use pointage_core::wire::ErrorCode;

/// A photo document core has checked against its election and the key
/// enrolled for its bureau, with its canonical bytes.
pub struct PhotosToStore {
    pub photos: SignedPhotos,
    pub bytes: Vec<u8>,
    pub checked_key: String,
}

impl PhotosToStore {
    /// What the store decides from what it read: the key enrolled now, the
    /// return the document names (its bureau and version, if the server
    /// has it) and the bureau's latest photo document (its id and version).
    pub(super) fn check_new(
        &self,
        key: Option<String>,
        ret: Option<(String, u32)>,
        latest: Option<(String, u32)>,
    ) -> Result<(), IngestError> {
        let refused = |code| Err(IngestError::Photos(code));
        if key.unwrap_or_default() != self.checked_key {
            return refused(ErrorCode::PhotosKeyNotEnrolled);
        }
        if self
            .photos
            .check_return(ret.as_ref().map(|(b, v)| (b.as_str(), *v)))
            .is_err()
        {
            return refused(ErrorCode::PhotosUnknownReturn);
        }
        if latest
            .as_ref()
            .is_some_and(|(_, v)| *v >= self.photos.body().version)
        {
            return refused(ErrorCode::PhotosVersionTaken);
        }
        match self
            .photos
            .check_chain(latest.as_ref().map(|(id, v)| (id.as_str(), *v)))
        {
            Ok(()) => Ok(()),
            Err(_) => refused(ErrorCode::PhotosBrokenChain),
        }
    }

    /// Its leaf, received at `at`.
    pub(super) fn leaf(&self, at: u64) -> Result<NewLeaf, DbError> {
        let photos: serde_json::Value = serde_json::from_slice(&self.bytes)
            .map_err(|e| DbError::Encode(format!("a photo document: {e}")))?;
        NewLeaf::of(&LogEntry::Photos { at, photos })
    }
}

/// A page some stored photo document names, and the pieces held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPage {
    pub election_id: String,
    pub bureau: String,
    pub page: PhotoPage,
    /// The pieces held, from 0, in order.
    pub held: Vec<u32>,
}

/// The pieces' hashes as one column: each 64 hex digits, one after the
/// other.
pub(super) fn pieces_column(page: &PhotoPage) -> String {
    page.pieces.concat()
}

/// A page read back from its columns.
pub(super) fn page_of(
    sha256: String,
    number: u32,
    media_type: String,
    size: u64,
    pieces: &str,
) -> Result<PhotoPage, DbError> {
    if !pieces.len().is_multiple_of(64) || !pieces.is_ascii() {
        return Err(super::model::corrupt(&sha256, "its pieces' hashes are cut"));
    }
    let pieces = pieces
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    Ok(PhotoPage {
        number,
        media_type,
        size,
        sha256,
        pieces,
    })
}

/// The whole picture from its pieces in order, when every one is held and
/// together they are the bytes signed (`None`: not yet).
pub(super) fn whole(page: &PhotoPage, pieces: Vec<(u32, Vec<u8>)>) -> Option<Vec<u8>> {
    if pieces.len() != page.pieces.len() || pieces.iter().zip(0..).any(|((n, _), i)| *n != i) {
        return None;
    }
    let bytes = pieces.into_iter().flat_map(|(_, b)| b).collect::<Vec<_>>();
    page.holds(&bytes).then_some(bytes)
}

/// A document's pictures as one column: each SHA-256 in page order, one
/// after the other.
pub(super) fn pages_column(pages: &[PhotoPage]) -> String {
    pages.iter().map(|p| p.sha256.as_str()).collect()
}

/// Each bureau's pictures (from its latest document's `pages` column)
/// among those held `whole`.
pub(super) fn held_pictures(
    latest: Vec<(String, String)>,
    whole: &std::collections::BTreeSet<String>,
) -> super::port::BureauPictures {
    latest
        .into_iter()
        .map(|(bureau, pages)| {
            let held = pages
                .as_bytes()
                .chunks(64)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .filter(|sha| whole.contains(sha))
                .collect();
            (bureau, held)
        })
        .collect()
}
