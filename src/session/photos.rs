//! The paper PV's photos' driver: the pages taken (re-encoded by the
//! camera adapter, kept by device's `PhotoStore` in the pictures'
//! database), signed with the bureau key as the photos of the bureau's
//! latest signed return (the phone's clock is read here), then handed to
//! the outbox, which sends the document and then the pictures. The screen
//! reads and calls this.

use super::{Device, WebCrypto};
use crate::camera::Encoded;
use crate::storage;
use crate::storage::pictures::IdbPictures;
use leptos::prelude::*;
use pointage_core::photo::SignedPhotos;
use pointage_device::WriteError;
use pointage_device::photos::{DraftPage, PageError, PhotoSignError, PhotoStanding, PhotoStore};
use pointage_device::ports::Pictures;
use pointage_device::pv_session::PvSession;

/// The photos of the enrolled bureau, and a redraw trigger.
#[derive(Clone, Copy)]
pub struct Photos {
    device: StoredValue<Device>,
    rev: Trigger,
    sync: Option<crate::sync::Outbox>,
}

/// Where the bureau's photos stand, read from the phone's storage.
pub fn standing(device: &Device) -> PhotoStanding {
    let e = &device.election;
    storage::store().map_or(PhotoStanding::None, |s| {
        PhotoStore::new(&e.hash, &e.bureau.code).standing(&*s)
    })
}

impl Photos {
    pub fn new(device: Device) -> Self {
        Photos {
            device: StoredValue::new(device),
            rev: Trigger::new(),
            sync: crate::sync::use_sync(),
        }
    }

    fn store(self) -> PhotoStore {
        self.device
            .with_value(|d| PhotoStore::new(&d.election.hash, &d.election.bureau.code))
    }

    /// Where they stand now (tracked: drawn again when a page is kept, the
    /// document signed, or the outbox hears from the server).
    pub fn standing(self) -> PhotoStanding {
        self.rev.track();
        if let Some(s) = self.sync {
            s.status();
        }
        self.device.with_value(standing)
    }

    /// The latest signed version, while the server has not received it:
    /// its version and bytes, for QR codes (tracked).
    pub fn unsent(self) -> Option<(u32, Vec<u8>)> {
        self.rev.track();
        if let Some(s) = self.sync {
            s.status();
        }
        let s = storage::store()?;
        self.store()
            .unsent(&*s)
            .map(|(version, text)| (version, text.into_bytes()))
    }

    /// Whether a version was signed already, so the next is a retake
    /// (tracked).
    pub fn signed_before(self) -> bool {
        self.rev.track();
        storage::store().is_some_and(|s| self.store().signed_before(&*s))
    }

    /// The pages taken and not yet signed (tracked).
    pub fn draft(self) -> Vec<DraftPage> {
        self.rev.track();
        storage::store().map_or_else(Vec::new, |s| self.store().draft(&*s))
    }

    /// Whether the bureau's PV is signed: the photos are of its paper.
    pub fn pv_signed(self) -> bool {
        self.device.with_value(|d| {
            let e = &d.election;
            storage::store()
                .and_then(|s| PvSession::open(&*s, &e.hash, &e.bureau.code).ok())
                .is_some_and(|pv| !pv.returns().is_empty())
        })
    }

    /// Keeps a page re-encoded by the camera adapter.
    pub async fn keep(self, page: Encoded) -> Result<DraftPage, PageError> {
        let s = storage::store().ok_or(PageError::Write(WriteError::Unavailable))?;
        let kept = self
            .store()
            .add_page(&*s, &IdbPictures, &page.media_type, page.bytes)
            .await;
        self.rev.notify();
        kept
    }

    /// Takes page `index` off the pages not yet signed.
    pub async fn remove(self, index: usize) -> Result<(), WriteError> {
        let s = storage::store().ok_or(WriteError::Unavailable)?;
        let out = self.store().remove_page(&*s, &IdbPictures, index).await;
        self.rev.notify();
        out
    }

    /// A picture's bytes, to show it.
    pub async fn picture(sha256: String) -> Option<Vec<u8>> {
        IdbPictures.get(&sha256).await
    }

    /// Signs the pages taken as the photos of the bureau's latest signed
    /// return (a retake needs `reason`), keeps them, and lets the outbox
    /// send them.
    pub async fn sign(self, reason: Option<String>) -> Result<SignedPhotos, PhotoSignError> {
        let s = storage::store().ok_or(PhotoSignError::Write(WriteError::Unavailable))?;
        let (election, ret) = self
            .device
            .with_value(|d| {
                let e = &d.election;
                let pv = PvSession::open(&*s, &e.hash, &e.bureau.code).ok()?;
                Some((e.clone(), pv.returns().last()?.clone()))
            })
            .ok_or(PhotoSignError::NoPage)?;
        let now = js_sys::Date::now() as u64;
        let signed = self
            .store()
            .sign(
                &*s,
                &IdbPictures,
                &WebCrypto,
                (&election, &ret),
                reason.as_deref(),
                now,
            )
            .await;
        self.rev.notify();
        if signed.is_ok()
            && let Some(sync) = self.sync
        {
            sync.poke();
        }
        signed
    }

    /// [`Photos::keep`] in the background, then `then`.
    pub fn keep_then(
        self,
        page: Encoded,
        then: impl FnOnce(Result<DraftPage, PageError>) + 'static,
    ) {
        leptos::task::spawn_local(async move { then(self.keep(page).await) });
    }

    /// [`Photos::remove`] in the background.
    pub fn remove_then(self, index: usize) {
        leptos::task::spawn_local(async move {
            let _ = self.remove(index).await;
        });
    }

    /// [`Photos::sign`] in the background, then `then`.
    pub fn sign_then(
        self,
        reason: Option<String>,
        then: impl FnOnce(Result<SignedPhotos, PhotoSignError>) + 'static,
    ) {
        leptos::task::spawn_local(async move { then(self.sign(reason).await) });
    }

    /// A kept picture as an address to show it, then `then` (`None`: not
    /// on this phone).
    pub fn url_then(
        sha256: String,
        media_type: String,
        then: impl FnOnce(Option<String>) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            let bytes = Self::picture(sha256).await;
            then(bytes.and_then(|b| crate::camera::url_of(&b, &media_type)));
        });
    }
}
