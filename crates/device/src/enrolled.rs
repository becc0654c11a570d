//! The enrolled device: what a phone keeps once it has enrolled for a
//! bureau, under [`Key::Device`].

use pointage_core::{DeviceEnrollment, ElectionView};
use serde::{Deserialize, Serialize};

use crate::ports::{Batch, Key, Storage, WriteError};

/// What an enrolled phone keeps: its bureau's part of the election (with the
/// whole definition's hash), the server's key that signs receipts, and the
/// public half of its own bureau key. The private half is not here: it is a
/// non-extractable WebCrypto key, kept by the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledDevice {
    pub election: ElectionView,
    /// The server's public key (lowercase hex).
    pub server_key: String,
    /// This device's Ed25519 public key (lowercase hex), as enrolled.
    #[serde(default)]
    pub device_key: String,
    /// Only on a phone enrolled by the previous version, which kept its
    /// secret key here in clear (lowercase hex): moved into WebCrypto at the
    /// next start, then erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
}

impl EnrolledDevice {
    /// The enrolled device, if this phone is enrolled (an unreadable value
    /// is "not enrolled": the phone can enroll again).
    pub fn load(s: &impl Storage) -> Option<EnrolledDevice> {
        serde_json::from_str(&s.get(&Key::Device)?).ok()
    }

    pub async fn save(&self, s: &impl Storage) -> Result<(), WriteError> {
        let text = serde_json::to_string(self).map_err(|_| WriteError::Unavailable)?;
        s.write(Batch::new().put(Key::Device, text)).await
    }

    /// The election and bureau this device counts for.
    pub fn enrollment(&self) -> DeviceEnrollment {
        self.election.enrollment()
    }
}
