//! The paper PV's photos, bound to the signed return (docs/return-format.md
//! §15): a small document the bureau key signs, naming the return it
//! belongs to and, for each page, its number, media type, size, SHA-256 and
//! the SHA-256 of each [`PIECE_BYTES`] piece. The bytes travel apart, piece
//! by piece, after every figure: each piece is checked against the signed
//! document on arrival, so a server stores nothing the bureau did not sign,
//! nobody can spoil an upload under way, and a dropped connection costs at
//! most one piece.
//!
//! Signed like a report: the bureau key over [`PHOTOS_SIGNING_CONTEXT`]
//! then the body's canonical bytes; its id is the SHA-256 of those body
//! bytes. A bureau's photo documents form one chain of versions (a retake
//! replaces the previous one, with a reason); the old one stays in the
//! record.

use crate::canonical::{self, CanonicalError};
use crate::election::Mode;
use crate::election_view::ElectionRef;
use crate::pv::text_fits;
use crate::signature::{DeviceSigned, Ed25519, Seal, SignatureCheck, Verifier, signature_hex};
use crate::signed_return::Replaces;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::ops::Range;
use thiserror::Error;

/// The `format` of a photo document.
pub const PHOTOS_FORMAT: &str = "pointage-photos/1";

/// What a photo document's signature covers is this prefix then the body's
/// canonical bytes: no return, report or receipt signature passes for one.
pub const PHOTOS_SIGNING_CONTEXT: &[u8] = b"pointage-photos/1\n";

/// The most pages a bureau's paper PV is photographed in.
pub const MAX_PAGES: usize = 4;

/// The most bytes of one page's picture (the app re-encodes to about 1,600
/// px on the long side to stay under it).
pub const MAX_PAGE_BYTES: u64 = 400 * 1024;

/// The bytes travel in pieces of this size (the last one shorter): what a
/// dropped connection can cost, and the most one request carries (the
/// API reads no body larger).
pub const PIECE_BYTES: usize = 64 * 1024;

/// The most versions of a bureau's photos (a retake is a new version):
/// with [`MAX_PAGES`] and [`MAX_PAGE_BYTES`], at most 16 MB a bureau can
/// make a server keep.
pub const MAX_PHOTO_VERSIONS: u32 = 10;

/// The pictures a page may be.
pub const MEDIA_TYPES: [&str; 2] = ["image/jpeg", "image/webp"];

/// One page of the paper PV, as the signed document names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhotoPage {
    /// 1, 2, … in the document's order.
    pub number: u32,
    /// One of [`MEDIA_TYPES`].
    pub media_type: String,
    /// The picture's length in bytes, 1 to [`MAX_PAGE_BYTES`].
    pub size: u64,
    /// Lowercase hex SHA-256 of the whole picture: what anyone checks with
    /// `sha256sum`.
    pub sha256: String,
    /// Lowercase hex SHA-256 of each [`PIECE_BYTES`] piece, in order.
    pub pieces: Vec<String>,
}

/// Why a piece of a page is not taken.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PieceError {
    #[error("the page has no piece {0}")]
    NoSuchPiece(usize),
    #[error("piece {0} is not the bytes the bureau signed")]
    NotSigned(usize),
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `s` is a SHA-256 in lowercase hex (a picture's address).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl PhotoPage {
    /// The page numbered `number` whose picture is `bytes`.
    pub fn of(number: u32, media_type: &str, bytes: &[u8]) -> Self {
        PhotoPage {
            number,
            media_type: media_type.to_owned(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            pieces: bytes.chunks(PIECE_BYTES).map(sha256_hex).collect(),
        }
    }

    /// How many pieces a picture of `size` bytes travels in.
    pub fn piece_count(size: u64) -> usize {
        (size as usize).div_ceil(PIECE_BYTES)
    }

    /// Where piece `n` (from 0) lies in the picture.
    pub fn piece_range(&self, n: usize) -> Option<Range<usize>> {
        let size = self.size as usize;
        let start = n.checked_mul(PIECE_BYTES).filter(|s| *s < size)?;
        Some(start..(start + PIECE_BYTES).min(size))
    }

    /// Whether `bytes` are piece `n` as the bureau signed it.
    pub fn check_piece(&self, n: usize, bytes: &[u8]) -> Result<(), PieceError> {
        let range = self.piece_range(n).ok_or(PieceError::NoSuchPiece(n))?;
        let expected = self.pieces.get(n).ok_or(PieceError::NoSuchPiece(n))?;
        if bytes.len() != range.len() || sha256_hex(bytes) != *expected {
            return Err(PieceError::NotSigned(n));
        }
        Ok(())
    }

    /// Whether `bytes` are the whole picture as the bureau signed it.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.size && sha256_hex(bytes) == self.sha256
    }

    fn well_formed(&self, number: u32) -> bool {
        self.number == number
            && MEDIA_TYPES.contains(&self.media_type.as_str())
            && (1..=MAX_PAGE_BYTES).contains(&self.size)
            && is_sha256_hex(&self.sha256)
            && self.pieces.len() == Self::piece_count(self.size)
            && self.pieces.iter().all(|p| is_sha256_hex(p))
    }
}

/// Everything a photo document says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhotosBody {
    /// Always [`PHOTOS_FORMAT`].
    pub format: String,
    pub election_id: String,
    pub election_hash: String,
    pub mode: Mode,
    pub bureau: String,
    /// The id of the bureau's signed return whose paper PV this is…
    pub return_id: String,
    /// …and its version (what the code on the paper names).
    pub return_version: u32,
    /// 1, then n + 1 for a retake replacing version n.
    pub version: u32,
    pub replaces: Option<Replaces>,
    /// 1 to [`MAX_PAGES`] pages, numbered from 1 in order.
    pub pages: Vec<PhotoPage>,
    pub device_key: String,
    /// The phone's clock when it signed, milliseconds since 1970
    /// (information only).
    pub signed_at: u64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    body: PhotosBody,
    signature: String,
}

/// A photo document whose signature holds for the key it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Envelope", into = "Envelope")]
pub struct SignedPhotos {
    body: PhotosBody,
    signature: [u8; 64],
    id: String,
}

/// Why a photo document is not taken: its own form first, then against
/// the election, the bureau's return and its earlier versions.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PhotosError {
    #[error("the photo document is not in its canonical encoding: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("unknown photo document format")]
    UnknownFormat,
    #[error("malformed key or signature")]
    MalformedKey,
    #[error("the signature does not verify with the key the document names")]
    BadSignature,
    /// No page, more than [`MAX_PAGES`], pages out of order, a picture
    /// over [`MAX_PAGE_BYTES`] or of another type, hashes badly written,
    /// or a reason too long.
    #[error(
        "the pages are not 1 to {MAX_PAGES} pictures (JPEG or WebP) of at most {MAX_PAGE_BYTES} bytes each, numbered in order"
    )]
    Pages,
    #[error("the photo document is for another election (or another definition of it)")]
    OtherElection,
    #[error("the election has no bureau {0:?}")]
    UnknownBureau(String),
    /// The return it names is not one of its bureau's (or not that
    /// version).
    #[error("the return the photos belong to is not the bureau's")]
    UnknownReturn,
    /// Version 1 replaces nothing; version n + 1 replaces version n, by
    /// its id, with a reason.
    #[error("the version does not follow the bureau's previous photo document")]
    Chain,
    #[error("the bureau already has {MAX_PHOTO_VERSIONS} versions of its photos")]
    TooManyVersions,
}

impl PhotosBody {
    /// This body as the device key it names signs it, over its canonical
    /// bytes `body`.
    fn sealed<'a>(&'a self, body: &'a [u8]) -> DeviceSigned<'a> {
        DeviceSigned {
            context: PHOTOS_SIGNING_CONTEXT,
            body,
            key_hex: &self.device_key,
        }
    }
}

impl From<Seal> for PhotosError {
    fn from(s: Seal) -> Self {
        match s {
            Seal::Malformed => PhotosError::MalformedKey,
            Seal::Fails => PhotosError::BadSignature,
        }
    }
}

impl PhotosBody {
    fn within_limits(&self) -> bool {
        (1..=MAX_PAGES).contains(&self.pages.len())
            && self.pages.iter().zip(1u32..).all(|(p, n)| p.well_formed(n))
            && is_sha256_hex(&self.return_id)
            && self.replaces.as_ref().is_none_or(|r| text_fits(&r.reason))
    }
}

impl SignedPhotos {
    /// Decodes a photo document from its canonical bytes and checks its
    /// signature against the key it names.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PhotosError> {
        Self::from_bytes_with(bytes, &Ed25519)
    }

    pub fn from_bytes_with(bytes: &[u8], verifier: &impl Verifier) -> Result<Self, PhotosError> {
        let e: Envelope = canonical::decode(bytes)?;
        Self::verified(e, verifier)
    }

    fn verified(e: Envelope, verifier: &impl Verifier) -> Result<Self, PhotosError> {
        if e.body.format != PHOTOS_FORMAT {
            return Err(PhotosError::UnknownFormat);
        }
        if !e.body.within_limits() {
            return Err(PhotosError::Pages);
        }
        let body = canonical::encode(&e.body)?;
        let signature = e.body.sealed(&body).verdict(&e.signature, verifier)?;
        Ok(SignedPhotos {
            id: sha256_hex(&body),
            body: e.body,
            signature,
        })
    }

    /// The canonical bytes: what is sent, stored and published.
    pub fn to_bytes(&self) -> Vec<u8> {
        canonical::encode(&Envelope::from(self.clone())).unwrap_or_default()
    }

    pub fn body(&self) -> &PhotosBody {
        &self.body
    }

    /// Lowercase hex SHA-256 of the body's canonical bytes.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The page whose picture has this SHA-256.
    pub fn page(&self, sha256: &str) -> Option<&PhotoPage> {
        self.body.pages.iter().find(|p| p.sha256 == sha256)
    }

    /// The checks against the election alone: the definition it was made
    /// under and a bureau it has.
    pub fn check_content<E: ElectionRef + ?Sized>(&self, election: &E) -> Result<(), PhotosError> {
        let b = &self.body;
        if b.election_id != election.id()
            || b.election_hash != election.hash()
            || b.mode != election.mode()
        {
            return Err(PhotosError::OtherElection);
        }
        election
            .bureau(&b.bureau)
            .ok_or_else(|| PhotosError::UnknownBureau(b.bureau.clone()))?;
        Ok(())
    }

    /// Whether the return it names is the one whose `(bureau, version)`
    /// the caller found under that id (`None`: no such return).
    pub fn check_return(&self, found: Option<(&str, u32)>) -> Result<(), PhotosError> {
        match found {
            Some((bureau, version))
                if bureau == self.body.bureau && version == self.body.return_version =>
            {
                Ok(())
            }
            _ => Err(PhotosError::UnknownReturn),
        }
    }

    /// The chain against the bureau's previous photo document, by its id
    /// and version (`None`: there is none).
    pub fn check_chain(&self, previous: Option<(&str, u32)>) -> Result<(), PhotosError> {
        let b = &self.body;
        match crate::signed_return::follows(b.version, b.replaces.as_ref(), previous) {
            Ok(()) if b.version > MAX_PHOTO_VERSIONS => Err(PhotosError::TooManyVersions),
            Ok(()) => Ok(()),
            Err(crate::signed_return::ChainBreak::Broken) => Err(PhotosError::Chain),
            Err(crate::signed_return::ChainBreak::TooMany) => Err(PhotosError::TooManyVersions),
        }
    }
}

/// A photo document to sign: its body, checked as a received one is (so
/// the phone never signs what the server would refuse).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsignedPhotos {
    body: PhotosBody,
}

impl UnsignedPhotos {
    pub fn new<E: ElectionRef + ?Sized>(
        body: PhotosBody,
        election: &E,
        previous: Option<(&str, u32)>,
    ) -> Result<Self, PhotosError> {
        if body.format != PHOTOS_FORMAT {
            return Err(PhotosError::UnknownFormat);
        }
        if !body.within_limits() {
            return Err(PhotosError::Pages);
        }
        let probe = SignedPhotos {
            id: String::new(),
            body,
            signature: [0; 64],
        };
        probe.check_content(election)?;
        probe.check_chain(previous)?;
        Ok(UnsignedPhotos { body: probe.body })
    }

    pub fn body(&self) -> &PhotosBody {
        &self.body
    }

    /// Context then canonical body: what the bureau key signs.
    pub fn message(&self) -> Vec<u8> {
        let body = canonical::encode(&self.body).unwrap_or_default();
        self.body.sealed(&body).message()
    }

    /// What must hold for `signature` to be the device key's over
    /// [`Self::message`] (the phone checks it with WebCrypto).
    pub fn signature_check(&self, signature: &[u8]) -> Result<SignatureCheck, PhotosError> {
        let body = canonical::encode(&self.body)?;
        Ok(self.body.sealed(&body).check(signature)?)
    }

    /// The signed document, once `verifier` says `signature` holds.
    pub fn assemble_with(
        self,
        signature: &[u8],
        verifier: &impl Verifier,
    ) -> Result<SignedPhotos, PhotosError> {
        SignedPhotos::verified(
            Envelope {
                body: self.body,
                signature: signature_hex(signature)?,
            },
            verifier,
        )
    }

    /// Signs with a secret key held in memory (tests, the rehearsal).
    pub fn sign(self, secret: &[u8; 32]) -> Result<SignedPhotos, PhotosError> {
        let body = canonical::encode(&self.body)?;
        let signature = self.body.sealed(&body).sign(secret);
        self.assemble_with(&signature, &Ed25519)
    }
}

impl TryFrom<Envelope> for SignedPhotos {
    type Error = PhotosError;
    fn try_from(e: Envelope) -> Result<Self, Self::Error> {
        Self::verified(e, &Ed25519)
    }
}

impl From<SignedPhotos> for Envelope {
    fn from(r: SignedPhotos) -> Self {
        Envelope {
            body: r.body,
            signature: hex::encode(r.signature),
        }
    }
}
