//! The only module that touches the browser's localStorage. Every key the
//! app uses is named here or in [`tally`], so that nothing else can write a
//! key another screen does not know about.
//!
//! Reading never fails loudly: an absent or unreadable value is "not set", and
//! the screens say so. Writing reports failure (a full or disabled storage),
//! so that a screen never acknowledges what was not kept.

pub mod handover;
pub mod pv;
pub mod tally;

use crate::i18n::Lang;
use gloo_storage::{LocalStorage, Storage};
use pointage_core::{DeviceEnrollment, ElectionView};
use serde::{Deserialize, Serialize};

const LANG: &str = "pointage.lang";
const DEVICE: &str = "pointage.device";

/// What an enrolled phone keeps: its bureau's part of the election (with the
/// whole definition's hash), the server's key that signs receipts, and its
/// own bureau key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub election: ElectionView,
    /// The server's public key (lowercase hex).
    pub server_key: String,
    /// This device's Ed25519 secret key (lowercase hex). It signs the
    /// bureau's returns and never leaves the phone.
    pub device_secret: String,
}

/// The language the volunteer chose on this device, if any.
pub fn lang() -> Option<Lang> {
    LocalStorage::get(LANG).ok()
}

pub fn save_lang(lang: Lang) -> Result<(), StorageError> {
    LocalStorage::set(LANG, lang).map_err(|_| StorageError)
}

/// The enrolled device, if this phone is enrolled.
pub fn device() -> Option<Device> {
    LocalStorage::get(DEVICE).ok()
}

pub fn save_device(device: &Device) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE, device).map_err(|_| StorageError)
}

/// The election and bureau this device counts for, once it is enrolled.
pub fn enrollment() -> Option<DeviceEnrollment> {
    Some(device()?.election.enrollment())
}

/// Forgets everything this app stored on the device (tests; later, a device
/// handed back after the election).
pub fn clear() {
    let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with("pointage."))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`). The answer is not awaited: counting goes
/// on either way.
pub fn ask_persistent() {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().storage().persist();
    }
}

/// The browser refused to store a value (storage full, disabled, or private
/// browsing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageError;
