//! The paper PV's photos on the bureau phone (docs/return-format.md §15):
//! the pages taken (their pictures kept in [`Pictures`], durably, before
//! the page is listed), the signed photo document sent by the one outbox
//! policy after every return and report, then the pictures, a piece at a
//! time, asking the server first which pieces it holds: a dropped
//! connection costs one piece, a killed browser nothing.
//!
//! One key per bureau, [`Key::Photos`]: the pages taken and not yet
//! signed, every signed version (canonical text, in order), their outbox
//! and receipts, and the pictures the server holds whole.

use crate::outbox::SendError;
use crate::ports::{Batch, Key, Pictures, Signer, Storage, WriteError};
use crate::queue::{Parked, SideBySide, json};
use pointage_core::photo::{
    MAX_PAGE_BYTES, MAX_PAGES, MEDIA_TYPES, PHOTOS_FORMAT, PhotoPage, PhotosBody, PhotosError,
    SignedPhotos, UnsignedPhotos,
};
use pointage_core::signature::CheckedBeforeKept;
use pointage_core::wire::{ErrorCode, PiecesHeld};
use pointage_core::{ElectionView, Outbox, Receipt, Replaces, SignedReturn};
use serde::{Deserialize, Serialize};

/// A page taken, its picture kept, not yet signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPage {
    pub sha256: String,
    pub media_type: String,
    pub size: u64,
}

/// A signed document as kept: its canonical text, and what the outbox
/// and the checklist need of it, written beside it when it was signed, so
/// that sending and uploading never decode the document again
/// (docs/phone-storage.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct KeptDoc {
    id: String,
    version: u32,
    return_version: u32,
    pages: Vec<PhotoPage>,
    text: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct PhotoRecord {
    draft: Vec<DraftPage>,
    /// Each version, in the order signed.
    documents: Vec<KeptDoc>,
    outbox: Outbox<()>,
    receipts: Vec<Receipt>,
    /// Refused for good, by id: see [`SideBySide`].
    parked: Parked,
    /// The pictures the server holds whole, by SHA-256.
    uploaded: Vec<String>,
    /// The pictures the server lacks and this phone no longer has (its
    /// storage cleared): said on the checklist, so that the pages are
    /// taken again.
    lost: Vec<String>,
    /// After a failed upload: when to try again, and how many failed.
    upload_retry_at: Option<u64>,
    upload_failures: u32,
}

impl SideBySide for PhotoRecord {
    fn queue(&self) -> (&Outbox<()>, &[Receipt], &Parked) {
        (&self.outbox, &self.receipts, &self.parked)
    }
    fn queue_mut(&mut self) -> (&mut Outbox<()>, &mut Vec<Receipt>, &mut Parked) {
        (&mut self.outbox, &mut self.receipts, &mut self.parked)
    }
}

impl PhotoRecord {
    fn parsed(&self) -> Vec<SignedPhotos> {
        self.documents
            .iter()
            .filter_map(|d| {
                SignedPhotos::from_bytes_with(d.text.as_bytes(), &CheckedBeforeKept).ok()
            })
            .collect()
    }
}

/// Why a page is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageError {
    /// [`MAX_PAGES`] pages already.
    TooMany,
    /// Over [`MAX_PAGE_BYTES`] even once re-encoded.
    TooLarge,
    /// Not a JPEG or WebP picture.
    NotAPicture,
    Write(WriteError),
}

/// Why the photos could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoSignError {
    /// No page taken.
    NoPage,
    /// A page's picture is no longer on the phone (take it again).
    PictureLost(usize),
    /// A retake needs a reason.
    NoReason,
    Refused(PhotosError),
    KeyUnreadable,
    Write(WriteError),
}

/// Where the bureau's photos stand, for the evening's checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoStanding {
    /// Nothing taken.
    None,
    /// Pages taken, not yet signed.
    Taken(usize),
    /// The latest document signed: its pages, whether the server gave its
    /// receipt, how many pictures it holds whole, and the refusal that
    /// parked it, if one did.
    Signed {
        return_version: u32,
        pages: usize,
        received: bool,
        uploaded: usize,
        parked: Option<ErrorCode>,
        /// Pages whose picture the server lacks and this phone lost.
        lost: usize,
    },
}

/// The pictures' part of the network.
#[allow(async_fn_in_trait)]
pub trait PieceCourier {
    /// Which pieces of the picture the server holds.
    async fn held(&self, sha256: &str) -> Result<PiecesHeld, SendError>;
    /// Sends piece `n`; the pieces held then.
    async fn put_piece(
        &self,
        sha256: &str,
        n: u32,
        bytes: Vec<u8>,
    ) -> Result<PiecesHeld, SendError>;
}

/// What a call of [`PhotoStore::upload_due`] came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uploading {
    /// Nothing to send, or the backoff not over.
    NothingDue,
    /// Every picture of the documents received is held whole.
    Done,
    /// Stopped on this (the backoff is kept); `sent` pieces went before.
    Failed { sent: u32, why: SendError },
    /// The others sent, but the pictures of `pages` pages are no longer on
    /// this phone: asked about again only after the backoff (a page taken
    /// again is a retake).
    Lost { sent: u32, pages: u32 },
}

/// Where one bureau's photos live. It holds no state of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoStore {
    key: Key,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl PhotoStore {
    pub fn new(election_hash: &str, bureau: &str) -> Self {
        Self {
            key: Key::Photos {
                election: election_hash.to_owned(),
                bureau: bureau.to_owned(),
            },
        }
    }

    /// Whether `key` (a change announced by another tab) is these photos.
    pub fn owns(&self, key: &Key) -> bool {
        *key == self.key
    }

    fn record(&self, s: &impl Storage) -> PhotoRecord {
        crate::queue::read(s, &self.key)
    }

    async fn change<T>(
        &self,
        s: &impl Storage,
        change: impl FnOnce(&mut PhotoRecord) -> Result<T, WriteError>,
    ) -> Result<T, WriteError> {
        s.update(|s| {
            let mut record = self.record(s);
            let out = change(&mut record)?;
            Ok((Batch::new().put(self.key.clone(), json(&record)?), out))
        })
        .await
    }

    /// How many documents wait for the server's receipt, and pictures of
    /// received ones for their upload (those this phone lost aside).
    pub fn still_to_send(&self, s: &impl Storage) -> usize {
        let r = self.record(s);
        let pictures = self
            .to_upload(&r)
            .iter()
            .filter(|p| !r.lost.contains(&p.sha256))
            .count();
        r.awaiting() + pictures
    }

    /// The pages taken and not yet signed.
    pub fn draft(&self, s: &impl Storage) -> Vec<DraftPage> {
        self.record(s).draft
    }

    /// Every version signed, in order.
    pub fn documents(&self, s: &impl Storage) -> Vec<SignedPhotos> {
        self.record(s).parsed()
    }

    /// Whether a version was signed already: the next one is a retake,
    /// which needs a reason.
    pub fn signed_before(&self, s: &impl Storage) -> bool {
        !self.record(s).documents.is_empty()
    }

    /// The latest version while the server has not given its receipt: its
    /// version and canonical text, to be shown as QR codes for a phone that
    /// has a network (the deposit page sends it; the pictures stay here).
    pub fn unsent(&self, s: &impl Storage) -> Option<(u32, String)> {
        let record = self.record(s);
        let latest = record.documents.last()?;
        record
            .receipt(&latest.id)
            .is_none()
            .then(|| (latest.version, latest.text.clone()))
    }

    pub fn standing(&self, s: &impl Storage) -> PhotoStanding {
        let record = self.record(s);
        match record.documents.last() {
            Some(latest) if record.draft.is_empty() => PhotoStanding::Signed {
                return_version: latest.return_version,
                pages: latest.pages.len(),
                received: record.receipt(&latest.id).is_some(),
                uploaded: latest
                    .pages
                    .iter()
                    .filter(|p| record.uploaded.contains(&p.sha256))
                    .count(),
                parked: record.parked_with(&latest.id),
                lost: latest
                    .pages
                    .iter()
                    .filter(|p| record.lost.contains(&p.sha256))
                    .count(),
            },
            _ if !record.draft.is_empty() => PhotoStanding::Taken(record.draft.len()),
            _ => PhotoStanding::None,
        }
    }

    /// Keeps a page's picture (already re-encoded), then lists it: shown
    /// as taken only once both are durable.
    pub async fn add_page(
        &self,
        s: &impl Storage,
        pictures: &impl Pictures,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Result<DraftPage, PageError> {
        if self.record(s).draft.len() >= MAX_PAGES {
            return Err(PageError::TooMany);
        }
        if bytes.is_empty() || !MEDIA_TYPES.contains(&media_type) {
            return Err(PageError::NotAPicture);
        }
        if bytes.len() as u64 > MAX_PAGE_BYTES {
            return Err(PageError::TooLarge);
        }
        let page = DraftPage {
            sha256: sha256_hex(&bytes),
            media_type: media_type.to_owned(),
            size: bytes.len() as u64,
        };
        pictures
            .put(&page.sha256, bytes)
            .await
            .map_err(PageError::Write)?;
        let listed = page.clone();
        self.change(s, |r| {
            if r.draft.len() >= MAX_PAGES {
                return Err(WriteError::Changed);
            }
            r.draft.push(listed);
            Ok(())
        })
        .await
        .map_err(|e| match e {
            WriteError::Changed if self.record(s).draft.len() >= MAX_PAGES => PageError::TooMany,
            e => PageError::Write(e),
        })?;
        Ok(page)
    }

    /// Takes page `index` (from 0) off the pages not yet signed.
    pub async fn remove_page(
        &self,
        s: &impl Storage,
        pictures: &impl Pictures,
        index: usize,
    ) -> Result<(), WriteError> {
        let removed = self
            .change(s, |r| {
                Ok((index < r.draft.len()).then(|| r.draft.remove(index)))
            })
            .await?;
        let record = self.record(s);
        if let Some(page) = removed
            && !record
                .documents
                .iter()
                .any(|d| d.pages.iter().any(|p| p.sha256 == page.sha256))
        {
            // Its picture is no one's now; if this fails, it is only space.
            let _ = pictures.delete(&page.sha256).await;
        }
        Ok(())
    }

    /// Signs the pages taken as the photos of `ret` (the bureau's latest
    /// return), replacing the latest version with `reason` when there is
    /// one, and queues the document, in one write.
    pub async fn sign(
        &self,
        s: &impl Storage,
        pictures: &impl Pictures,
        signer: &impl Signer,
        (election, ret): (&ElectionView, &SignedReturn),
        reason: Option<&str>,
        now: u64,
    ) -> Result<SignedPhotos, PhotoSignError> {
        let record = self.record(s);
        if record.draft.is_empty() {
            return Err(PhotoSignError::NoPage);
        }
        let mut pages = Vec::with_capacity(record.draft.len());
        for (i, d) in record.draft.iter().enumerate() {
            let bytes = pictures
                .get(&d.sha256)
                .await
                .filter(|b| sha256_hex(b) == d.sha256)
                .ok_or(PhotoSignError::PictureLost(i))?;
            pages.push(PhotoPage::of(i as u32 + 1, &d.media_type, &bytes));
        }
        let previous = record.documents.last().cloned();
        let replaces = match (&previous, reason.map(str::trim).filter(|r| !r.is_empty())) {
            (None, _) => None,
            (Some(p), Some(reason)) => Some(Replaces {
                id: p.id.clone(),
                reason: reason.to_owned(),
            }),
            (Some(_), None) => return Err(PhotoSignError::NoReason),
        };
        let b = ret.body();
        let body = PhotosBody {
            format: PHOTOS_FORMAT.to_owned(),
            election_id: election.id.clone(),
            election_hash: election.hash.clone(),
            mode: election.mode,
            bureau: b.bureau.clone(),
            return_id: ret.id().to_owned(),
            return_version: b.version,
            version: previous.as_ref().map_or(1, |p| p.version + 1),
            replaces,
            pages,
            device_key: b.device_key.clone(),
            signed_at: now,
        };
        let unsigned = UnsignedPhotos::new(
            body,
            election,
            previous.as_ref().map(|p| (p.id.as_str(), p.version)),
        )
        .map_err(PhotoSignError::Refused)?;
        let sig = signer
            .sign(unsigned.message())
            .await
            .ok_or(PhotoSignError::KeyUnreadable)?;
        let check = unsigned
            .signature_check(&sig)
            .map_err(|_| PhotoSignError::KeyUnreadable)?;
        let held = signer.verified(vec![check]).await;
        let signed = unsigned.assemble_with(&sig, &held).map_err(|e| match e {
            PhotosError::BadSignature | PhotosError::MalformedKey => PhotoSignError::KeyUnreadable,
            other => PhotoSignError::Refused(other),
        })?;
        let text = String::from_utf8(signed.to_bytes())
            .map_err(|_| PhotoSignError::Write(WriteError::Unavailable))?;
        let b = signed.body();
        let kept = KeptDoc {
            id: signed.id().to_owned(),
            version: b.version,
            return_version: b.return_version,
            pages: b.pages.clone(),
            text,
        };
        let (id, version) = (kept.id.clone(), kept.version);
        self.change(s, |r| {
            if r.documents.len() as u32 + 1 != version {
                return Err(WriteError::Changed);
            }
            r.documents.push(kept);
            r.draft.clear();
            r.outbox.enqueue(id, ());
            Ok(())
        })
        .await
        .map_err(PhotoSignError::Write)?;
        Ok(signed)
    }

    /// Someone asks for the parked photos to be sent again.
    pub async fn unpark(&self, s: &impl Storage) -> Result<(), WriteError> {
        if self.record(s).parked.is_empty() {
            return Ok(());
        }
        self.change(s, |r| {
            r.unpark();
            Ok(())
        })
        .await
    }

    /// The network is back: what waits may go at once.
    pub async fn network_back(&self, s: &impl Storage) {
        let r = self.record(s);
        if r.outbox.retry_at().is_some() || r.upload_retry_at.is_some() {
            let _ = self
                .change(s, |r| {
                    r.outbox.network_back();
                    r.upload_retry_at = None;
                    Ok(())
                })
                .await;
        }
    }

    /// The pictures of every document received that the server does not
    /// hold whole yet, each once, in page order.
    fn to_upload(&self, r: &PhotoRecord) -> Vec<PhotoPage> {
        let mut pages: Vec<PhotoPage> = Vec::new();
        for d in &r.documents {
            if r.receipt(&d.id).is_none() {
                continue;
            }
            for p in &d.pages {
                if !r.uploaded.contains(&p.sha256) && !pages.iter().any(|q| q.sha256 == p.sha256) {
                    pages.push(p.clone());
                }
            }
        }
        pages
    }

    /// Sends the pictures of the documents received, a piece at a time,
    /// asking the server first which pieces it holds. No network (or any
    /// failure) stops it and sets core's backoff with `jitter_permille`.
    pub async fn upload_due(
        &self,
        s: &impl Storage,
        pictures: &impl Pictures,
        courier: &impl PieceCourier,
        now: u64,
        jitter_permille: u16,
    ) -> Uploading {
        let record = self.record(s);
        let pages = self.to_upload(&record);
        if pages.is_empty() || record.upload_retry_at.is_some_and(|at| now < at) {
            return Uploading::NothingDue;
        }
        let mut sent = 0;
        let mut lost = 0;
        for page in pages {
            match self.upload_page(pictures, courier, &page, &mut sent).await {
                Ok(true) => {
                    let sha = page.sha256.clone();
                    let _ = self
                        .change(s, |r| {
                            r.uploaded.retain(|u| *u != sha);
                            r.lost.retain(|u| *u != sha);
                            r.uploaded.push(sha);
                            r.upload_failures = 0;
                            r.upload_retry_at = None;
                            Ok(())
                        })
                        .await;
                }
                // The phone no longer has the picture: nothing to send.
                Ok(false) => {
                    lost += 1;
                    let sha = page.sha256.clone();
                    if !record.lost.contains(&sha) {
                        let _ = self
                            .change(s, |r| {
                                r.lost.push(sha);
                                Ok(())
                            })
                            .await;
                    }
                }
                Err(why) => {
                    self.later(s, now, jitter_permille).await;
                    return Uploading::Failed { sent, why };
                }
            }
        }
        if lost > 0 {
            self.later(s, now, jitter_permille).await;
            return Uploading::Lost { sent, pages: lost };
        }
        Uploading::Done
    }

    /// An upload that did not finish: the next one waits for core's
    /// backoff.
    async fn later(&self, s: &impl Storage, now: u64, jitter_permille: u16) {
        let _ = self
            .change(s, |r| {
                r.upload_failures += 1;
                let delay =
                    pointage_core::outbox::backoff_delay(r.upload_failures, jitter_permille);
                r.upload_retry_at = Some(now + delay);
                Ok(())
            })
            .await;
    }

    /// Sends the pieces of `page` the server does not hold; whether it holds
    /// the whole picture now (`false`: the phone has lost it).
    async fn upload_page(
        &self,
        pictures: &impl Pictures,
        courier: &impl PieceCourier,
        page: &PhotoPage,
        sent: &mut u32,
    ) -> Result<bool, SendError> {
        let mut held = courier.held(&page.sha256).await?;
        if held.complete() {
            return Ok(true);
        }
        let Some(bytes) = pictures.get(&page.sha256).await.filter(|b| page.holds(b)) else {
            return Ok(false);
        };
        while let Some(n) = held.next_missing() {
            let range = page
                .piece_range(n as usize)
                .ok_or(SendError::Refused(ErrorCode::PhotoPieceUnknown))?;
            held = courier
                .put_piece(&page.sha256, n, bytes[range].to_vec())
                .await?;
            *sent += 1;
            if !held.held.contains(&n) {
                return Err(SendError::Refused(ErrorCode::PhotoPieceNotSigned));
            }
        }
        Ok(held.complete())
    }
}

mod outbox;
