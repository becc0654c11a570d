//! The procès-verbal on the device: the double entry in progress, and the
//! signed returns with the outbox that will send them.
//!
//! Two keys per bureau:
//! - `pointage.pv.<election>.<bureau>`: the entry in progress ([`EntryRecord`]):
//!   core's double-entry steps, the explanations typed on the review, and
//!   each typist's unfinished draft, so a reload or a flat battery loses
//!   nothing typed. A draft is kept under the stage it was typed in and shown
//!   only in that stage: once a person finishes, their draft is gone, and no
//!   later screen can read another person's figures from it.
//! - `pointage.signed.<election>.<bureau>`: every signed version, oldest
//!   first, and the outbox, in one value, so one `setItem` stores a return
//!   and queues it together.
//!
//! Signing writes the signed key first, then drops the entry; an entry left
//! behind by a crash between the two names a version already signed, and is
//! dropped when read.

use gloo_storage::{LocalStorage, Storage};
use pointage_core::{
    EntryStep, Field, Members, Outbox, OutboxError, Receipt, RuleCode, SignedReturn,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::StorageError;

/// What a correction changes, chosen before its double entry starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub reason: String,
    /// The figures re-typed; every other figure is the replaced version's.
    pub fields: Vec<Field>,
}

/// What one person has typed so far in one stage of the entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub name: String,
    /// Each figure as typed (text: it may not be a number yet).
    pub values: Vec<(Field, String)>,
    pub members: Members,
    pub observations: String,
}

/// The double entry of one version of the PV, while it is being typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryRecord {
    /// The version this entry will be signed as.
    pub version: u32,
    pub correction: Option<Correction>,
    pub steps: Vec<EntryStep>,
    /// One per warning, typed on the review screen.
    pub explanations: BTreeMap<RuleCode, String>,
    /// Unfinished drafts, by stage.
    pub drafts: BTreeMap<String, Draft>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SignedRecord {
    /// Each version's canonical bytes, as text, oldest first.
    returns: Vec<String>,
    /// Ids of the versions not yet acknowledged by the server. Never stored
    /// with a send under way: only the outcome of a send is written, so a
    /// tab killed mid-send leaves the item simply waiting.
    outbox: Outbox<()>,
    /// The server's receipt of each version it acknowledged, verified.
    receipts: Vec<Receipt>,
}

/// Why the stored PV could not be read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvLoadError {
    Unavailable,
    /// A signed return no longer verifies, or a stored value is unreadable.
    Damaged,
}

/// Why a server's answer did not take a version out of the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    BadReceipt(OutboxError),
    Storage,
}

/// Where one bureau's PV lives, and what this tab last saw of its entry.
pub struct PvStore {
    entry_key: String,
    signed_key: String,
    /// The entry's stored text as this tab last read or wrote it: if the
    /// stored text is anything else, another tab wrote it since.
    seen: Option<String>,
}

/// Why the entry was not saved. Nothing was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The browser refused (storage full, disabled or private).
    Storage,
    /// Another tab or window saved this entry since this one last did: this
    /// tab must reload rather than overwrite it.
    ChangedElsewhere,
}

/// What is stored for a bureau's PV, read back and checked.
pub struct StoredPv {
    pub entry: EntryRecord,
    /// Every signed version, oldest first; each one's signature verified.
    pub returns: Vec<SignedReturn>,
}

impl PvStore {
    pub fn new(election_hash: &str, bureau: &str) -> Self {
        Self {
            entry_key: format!("pointage.pv.{election_hash}.{bureau}"),
            signed_key: format!("pointage.signed.{election_hash}.{bureau}"),
            seen: None,
        }
    }

    /// Whether a localStorage key (of a `storage` event) is this PV's entry.
    pub fn is_entry_key(&self, key: &str) -> bool {
        key == self.entry_key
    }

    pub fn load(&mut self) -> Result<StoredPv, PvLoadError> {
        let s = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or(PvLoadError::Unavailable)?;
        let read = |key: &str| s.get_item(key).map_err(|_| PvLoadError::Unavailable);
        let signed: SignedRecord = match read(&self.signed_key)? {
            None => SignedRecord::default(),
            Some(text) => serde_json::from_str(&text).map_err(|_| PvLoadError::Damaged)?,
        };
        let returns = signed
            .returns
            .iter()
            .map(|r| SignedReturn::from_bytes(r.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| PvLoadError::Damaged)?;
        let next_version = returns.len() as u32 + 1;
        let text = read(&self.entry_key)?;
        self.seen = text.clone();
        let entry = match text {
            None => None,
            Some(text) => {
                Some(serde_json::from_str::<EntryRecord>(&text).map_err(|_| PvLoadError::Damaged)?)
            }
        };
        // An entry for a version already signed was left by a crash between
        // the two writes of signing: the signed version is what holds.
        let entry = entry
            .filter(|e| e.version == next_version)
            .unwrap_or_else(|| EntryRecord {
                version: next_version,
                ..EntryRecord::default()
            });
        Ok(StoredPv { entry, returns })
    }

    /// Saves the entry, unless another tab saved it since this one last
    /// read or wrote it (the stored text is read back first, as the tally
    /// store does).
    pub fn save_entry(&mut self, entry: &EntryRecord) -> Result<(), SaveError> {
        let text = serde_json::to_string(entry).map_err(|_| SaveError::Storage)?;
        let raw = LocalStorage::raw();
        let current = raw
            .get_item(&self.entry_key)
            .map_err(|_| SaveError::Storage)?;
        if current != self.seen {
            return Err(SaveError::ChangedElsewhere);
        }
        raw.set_item(&self.entry_key, &text)
            .map_err(|_| SaveError::Storage)?;
        self.seen = Some(text);
        Ok(())
    }

    /// Stores a newly signed version after `previous` and queues it for
    /// sending, in one write; then drops the finished entry. When the first
    /// write fails nothing is stored and the entry is kept.
    pub fn store_signed(
        &mut self,
        previous: &[SignedReturn],
        signed: &SignedReturn,
    ) -> Result<(), StorageError> {
        let mut record: SignedRecord = LocalStorage::get(&self.signed_key).unwrap_or_default();
        if record.returns.len() != previous.len() {
            // Another tab signed meanwhile: never write over its version.
            return Err(StorageError);
        }
        let bytes = String::from_utf8(signed.to_bytes()).map_err(|_| StorageError)?;
        record.returns.push(bytes);
        record.outbox.enqueue(signed.id(), ());
        LocalStorage::set(&self.signed_key, &record).map_err(|_| StorageError)?;
        LocalStorage::delete(&self.entry_key);
        self.seen = None;
        Ok(())
    }

    fn record(&self) -> SignedRecord {
        LocalStorage::get(&self.signed_key).unwrap_or_default()
    }

    /// The ids still waiting for the server's receipt, oldest first.
    pub fn pending(&self) -> Vec<String> {
        self.record()
            .outbox
            .pending()
            .map(|i| i.id.clone())
            .collect()
    }

    /// The verified receipts, in the order they came.
    pub fn receipts(&self) -> Vec<Receipt> {
        self.record().receipts
    }

    /// The version to send now, as its id and canonical bytes: the oldest
    /// waiting, once its retry time has come.
    pub fn due(&self, now: u64) -> Option<(String, String)> {
        let mut record = self.record();
        let item = record.outbox.next_to_send(now)?;
        let ret = record
            .returns
            .iter()
            .find(|r| SignedReturn::from_bytes(r.as_bytes()).is_ok_and(|s| s.id() == item.id))?;
        Some((item.id, ret.clone()))
    }

    /// The server's answer to a send: the item leaves the outbox only if the
    /// receipt verifies with the server's key and names it. Read, changed
    /// and written with no wait in between, so a version signed meanwhile
    /// in this tab is never lost.
    pub fn acknowledge(&self, receipt: Receipt, server_key: &str) -> Result<(), SendOutcome> {
        let mut record = self.record();
        record
            .outbox
            .on_receipt(&receipt, server_key)
            .map_err(SendOutcome::BadReceipt)?;
        record
            .receipts
            .retain(|r| r.body.return_id != receipt.body.return_id);
        record.receipts.push(receipt);
        LocalStorage::set(&self.signed_key, &record).map_err(|_| SendOutcome::Storage)
    }

    /// The network is back: the waiting version may go at once.
    pub fn network_back(&self) {
        let mut record = self.record();
        if record.outbox.retry_at().is_some() {
            record.outbox.network_back();
            let _ = LocalStorage::set(&self.signed_key, &record);
        }
    }

    /// A send failed: when to try again (backoff with jitter, from core).
    pub fn failed(&self, now: u64, jitter_permille: u16) -> u64 {
        let mut record = self.record();
        let at = record.outbox.on_failure(now, jitter_permille);
        let _ = LocalStorage::set(&self.signed_key, &record);
        at
    }
}
