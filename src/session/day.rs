//! The day's screens' driver: the checkpoints as they stand (the phone's
//! clock is read here), and a report typed, signed with the bureau key,
//! kept, then handed to the outbox. The screens read and call this.

use super::{Device, WebCrypto};
use crate::storage;
use leptos::prelude::*;
use pointage_core::Checkpoint;
use pointage_core::turnout::SignedReport;
use pointage_device::WriteError;
use pointage_device::turnout::{
    DayItem, ReportSignError, ReportStore, Typed, TypingError, day, prepare,
};

/// Why a report was not kept. Nothing was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayError {
    Typing(TypingError),
    Sign(ReportSignError),
}

/// The bureau's count at the last checkpoint it reported, for W7.
pub fn last_count(device: &Device) -> Option<(String, u32)> {
    let s = storage::store()?;
    ReportStore::new(&device.election.hash, &device.election.bureau.code)
        .last_count(&*s, &device.election)
}

/// The day of the enrolled bureau: its reports and a redraw trigger.
#[derive(Clone, Copy)]
pub struct Day {
    device: StoredValue<Device>,
    rev: Trigger,
    sync: Option<crate::sync::Outbox>,
}

impl Day {
    pub fn new(device: Device) -> Self {
        Day {
            device: StoredValue::new(device),
            rev: Trigger::new(),
            sync: crate::sync::use_sync(),
        }
    }

    fn store(self) -> ReportStore {
        self.device
            .with_value(|d| ReportStore::new(&d.election.hash, &d.election.bureau.code))
    }

    /// Each checkpoint with where it stands now (tracked: drawn again when
    /// a report is kept or the outbox hears from the server).
    pub fn items(self) -> Vec<DayItem> {
        self.rev.track();
        if let Some(s) = self.sync {
            s.status();
        }
        let Some(s) = storage::store() else {
            return Vec::new();
        };
        let now = js_sys::Date::now() as u64;
        self.device
            .with_value(|d| day(&d.election, &self.store(), &*s, now))
    }

    /// The bureau's inscrits, where the definition gives them.
    pub fn inscrits(self) -> Option<u32> {
        self.device.with_value(|d| d.election.bureau.inscrits)
    }

    /// The checkpoint's time of an earlier count, for T2's sentence.
    pub fn time_of(self, id: &str) -> String {
        self.device.with_value(|d| {
            d.election
                .checkpoints()
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.local_time().to_owned())
                .unwrap_or_default()
        })
    }

    /// [`Day::report`] in the background, then `then` with what it came to:
    /// the screen asks, this drives.
    pub fn report_then(
        self,
        checkpoint: Checkpoint,
        typed: Typed,
        previous: Option<SignedReport>,
        then: impl FnOnce(Result<SignedReport, DayError>) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            then(self.report(checkpoint, typed, previous).await);
        });
    }

    /// Reads, signs and keeps what was typed at `checkpoint` (a correction
    /// of `previous`), then lets the outbox send it.
    pub async fn report(
        self,
        checkpoint: Checkpoint,
        typed: Typed,
        previous: Option<SignedReport>,
    ) -> Result<SignedReport, DayError> {
        let s = storage::store().ok_or(DayError::Sign(ReportSignError::Write(
            WriteError::Unavailable,
        )))?;
        let store = self.store();
        let now = js_sys::Date::now() as u64;
        let unsigned = self.device.with_value(|d| {
            let earlier = store.earlier_counts(&*s, &d.election, &checkpoint.id);
            prepare(
                &d.election,
                &checkpoint,
                &typed,
                previous.as_ref(),
                &earlier,
                &d.device_key,
                now,
            )
        });
        let signed = store
            .sign(&*s, unsigned.map_err(DayError::Typing)?, &WebCrypto)
            .await
            .map_err(DayError::Sign)?;
        self.rev.notify();
        if let Some(sync) = self.sync {
            sync.poke();
        }
        Ok(signed)
    }
}
