//! The only file that touches the browser's localStorage. Every key the app
//! uses is named here, so that nothing else can write a key another screen
//! does not know about.
//!
//! Reading never fails loudly: an absent or unreadable value is "not set", and
//! the screens say so. Writing reports failure (a full or disabled storage),
//! so that a screen never acknowledges what was not kept.

use crate::i18n::Lang;
use gloo_storage::{LocalStorage, Storage};
use pointage_core::DeviceEnrollment;

const LANG: &str = "pointage.lang";
const ENROLLMENT: &str = "pointage.enrollment";

/// The language the volunteer chose on this device, if any.
pub fn lang() -> Option<Lang> {
    LocalStorage::get(LANG).ok()
}

pub fn save_lang(lang: Lang) -> Result<(), StorageError> {
    LocalStorage::set(LANG, lang).map_err(|_| StorageError)
}

/// The election and bureau this device counts for, once it is enrolled.
pub fn enrollment() -> Option<DeviceEnrollment> {
    LocalStorage::get(ENROLLMENT).ok()
}

pub fn save_enrollment(enrollment: &DeviceEnrollment) -> Result<(), StorageError> {
    LocalStorage::set(ENROLLMENT, enrollment).map_err(|_| StorageError)
}

/// Forgets everything this app stored on the device (tests; later, a device
/// handed back after the election).
pub fn clear() {
    LocalStorage::delete(LANG);
    LocalStorage::delete(ENROLLMENT);
}

/// The browser refused to store a value (storage full, disabled, or private
/// browsing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageError;
