//! The procès-verbal on the device: the double entry in progress, and the
//! signed returns with the outbox that will send them.
//!
//! Two keys per bureau:
//! - [`Key::Entry`]: the entry in progress ([`EntryRecord`]): core's
//!   double-entry steps, the explanations typed on the review, and each
//!   typist's unfinished draft, so a reload or a flat battery loses nothing
//!   typed. A draft is kept under the stage it was typed in and shown only in
//!   that stage: once a person finishes, their draft is gone, and no later
//!   screen can read another person's figures from it.
//! - [`Key::Signed`]: every signed version, oldest first, the outbox and the
//!   receipts, in one value.
//!
//! Signing writes the signed version and drops the entry in one batch, so
//! a killed browser leaves either the entry or the signed version, never
//! both and never neither.
//!
//! A kept version is read without checking its signature again: each was
//! checked before it was kept (assembled from a checked signature, or
//! recovered and checked), and the phone checks with WebCrypto, which core
//! cannot await (`pointage_core::signature`). An altered one is still found:
//! its id (the hash of its body) is no longer one the outbox or a receipt
//! names. (An entry left for a version already signed, by
//! the older two-write code, is still dropped when read.)

use pointage_core::signature::{CheckedBeforeKept, Verifier};
use pointage_core::{
    EntryStep, Field, Members, Outbox, OutboxError, Receipt, RuleCode, SignedReturn,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::ports::{Batch, Key, Storage, WriteError};

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
    pub drafts: BTreeMap<Stage, Draft>,
}

/// The stage a draft is typed in, and kept under: only the form of that
/// stage ever reads it back. Stored as `"first"`, `"second"` or
/// `"redo:<name>"`, the name in core's compared form
/// ([`pointage_core::names::person_key`]), so that "Bob" and " bob " are one
/// entrant's draft.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    First,
    Second,
    /// One entrant re-typing the differing fields (their compared name).
    Redo(String),
}

impl Stage {
    /// The re-typing stage of the entrant `name`, however it is spelt.
    pub fn redo(name: &str) -> Stage {
        Stage::Redo(pointage_core::names::person_key(name))
    }

    fn key(&self) -> String {
        match self {
            Stage::First => "first".into(),
            Stage::Second => "second".into(),
            Stage::Redo(k) => format!("redo:{k}"),
        }
    }

    fn parse(key: &str) -> Option<Stage> {
        match key {
            "first" => Some(Stage::First),
            "second" => Some(Stage::Second),
            _ => key.strip_prefix("redo:").map(Stage::redo),
        }
    }
}

impl Serialize for Stage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key())
    }
}

/// A stage is read back as its key says; the older spellings of an
/// entrant's name read as that entrant's stage. A key no version writes
/// makes the entry unreadable (damaged), never another stage.
impl<'de> Deserialize<'de> for Stage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Stage::parse(&key).ok_or_else(|| serde::de::Error::custom("unknown draft stage"))
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SignedRecord {
    /// Each version's canonical bytes, as text, oldest first.
    returns: Vec<String>,
    /// Ids of the versions not yet acknowledged by the server. Never stored
    /// with a send under way: only the outcome of a send is written, so a
    /// browser killed mid-send leaves the item simply waiting.
    outbox: Outbox<()>,
    /// The server's receipt of each version it acknowledged, verified.
    receipts: Vec<Receipt>,
    /// Versions signed here that the server never took because it holds
    /// another version of the same number, signed by this phone's key
    /// before this phone lost it (see [`PvStore::restore`]). Kept, never
    /// sent, never shown as the bureau's.
    displaced: Vec<String>,
}

/// What [`PvStore::restore`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    /// Versions the phone did not hold, now kept.
    pub added: usize,
    /// Receipts the phone did not hold, now kept.
    pub receipts: usize,
    /// Versions of this phone's that the server's replaced.
    pub displaced: usize,
}

impl Restored {
    pub fn changed(&self) -> bool {
        *self != Restored::default()
    }
}

/// Why the stored PV could not be read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvLoadError {
    /// A signed return no longer verifies, or a stored value is unreadable.
    Damaged,
}

/// Why a server's answer did not take a version out of the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    BadReceipt(OutboxError),
    Storage(WriteError),
}

/// What is stored for a bureau's PV, read back and checked.
#[derive(Clone, Debug)]
pub struct StoredPv {
    pub entry: EntryRecord,
    /// Every signed version, oldest first; each one's signature verified.
    pub returns: Vec<SignedReturn>,
}

/// Where one bureau's PV lives. It holds no state of its own: what this tab
/// last saw is the storage's snapshot, which every write is checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PvStore {
    entry_key: Key,
    signed_key: Key,
}

impl PvStore {
    pub fn new(election_hash: &str, bureau: &str) -> Self {
        Self {
            entry_key: Key::Entry {
                election: election_hash.to_owned(),
                bureau: bureau.to_owned(),
            },
            signed_key: Key::Signed {
                election: election_hash.to_owned(),
                bureau: bureau.to_owned(),
            },
        }
    }

    /// Whether `key` (a change announced by another tab) is this PV's entry
    /// or its signed versions.
    pub fn owns(&self, key: &Key) -> bool {
        *key == self.entry_key || *key == self.signed_key
    }

    pub fn load(&self, s: &impl Storage) -> Result<StoredPv, PvLoadError> {
        let signed = self.record(s)?;
        let returns = signed
            .returns
            .iter()
            .map(|r| SignedReturn::from_bytes_with(r.as_bytes(), &CheckedBeforeKept))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| PvLoadError::Damaged)?;
        // Each kept version waits in the outbox or has the server's receipt,
        // both naming it by its id (the hash of its body): a version whose
        // bytes were altered since has another id, and is damaged.
        let named = |id: &str| {
            signed.outbox.pending().any(|i| i.id == id)
                || signed.receipts.iter().any(|r| r.body.return_id == id)
        };
        if !returns.iter().all(|r| named(r.id())) {
            return Err(PvLoadError::Damaged);
        }
        let next_version = returns.len() as u32 + 1;
        let entry = match s.get(&self.entry_key) {
            None => None,
            Some(text) => {
                Some(serde_json::from_str::<EntryRecord>(&text).map_err(|_| PvLoadError::Damaged)?)
            }
        };
        // An entry for a version already signed was left by a crash between
        // the two writes of the older code: the signed version is what holds.
        let entry = entry
            .filter(|e| e.version == next_version)
            .unwrap_or_else(|| EntryRecord {
                version: next_version,
                ..EntryRecord::default()
            });
        Ok(StoredPv { entry, returns })
    }

    pub(crate) fn entry_key(&self) -> &Key {
        &self.entry_key
    }

    /// The entry of `version` as this tab's storage holds it (empty when
    /// none is kept, or only a finished version's); `None` when unreadable.
    pub(crate) fn entry_record(&self, s: &impl Storage, version: u32) -> Option<EntryRecord> {
        let fresh = EntryRecord {
            version,
            ..EntryRecord::default()
        };
        match s.get(&self.entry_key) {
            None => Some(fresh),
            Some(text) => {
                let e: EntryRecord = serde_json::from_str(&text).ok()?;
                Some(if e.version == version { e } else { fresh })
            }
        }
    }

    /// Saves the entry, unless another tab saved it since this one last
    /// read or wrote it.
    pub async fn save_entry(
        &self,
        s: &impl Storage,
        entry: &EntryRecord,
    ) -> Result<(), WriteError> {
        let text = serde_json::to_string(entry).map_err(|_| WriteError::Unavailable)?;
        s.write(Batch::new().put(self.entry_key.clone(), text))
            .await
    }

    /// Stores a newly signed version after `previous`, queues it for
    /// sending and drops the finished entry, in one write. When it fails
    /// nothing is stored and the entry is kept.
    pub async fn store_signed(
        &self,
        s: &impl Storage,
        previous: &[SignedReturn],
        signed: &SignedReturn,
    ) -> Result<(), WriteError> {
        s.update(|s| {
            let mut record = self.record(s).map_err(|_| WriteError::Unavailable)?;
            if record.returns.len() != previous.len() {
                // Another tab signed meanwhile: never write over its version.
                return Err(WriteError::Changed);
            }
            let bytes =
                String::from_utf8(signed.to_bytes()).map_err(|_| WriteError::Unavailable)?;
            record.returns.push(bytes);
            record.outbox.enqueue(signed.id(), ());
            let mut batch = Batch::new().put(self.signed_key.clone(), json(&record)?);
            if s.get(&self.entry_key).is_some() {
                batch = batch.delete(self.entry_key.clone());
            }
            Ok((batch, ()))
        })
        .await
    }

    fn record(&self, s: &impl Storage) -> Result<SignedRecord, PvLoadError> {
        match s.get(&self.signed_key) {
            None => Ok(SignedRecord::default()),
            Some(text) => serde_json::from_str(&text).map_err(|_| PvLoadError::Damaged),
        }
    }

    fn record_or_default(&self, s: &impl Storage) -> SignedRecord {
        self.record(s).unwrap_or_default()
    }

    /// Changes the signed record as `change` says, once it is this write's
    /// turn (so it changes the record as the previous write left it).
    async fn change_record<T>(
        &self,
        s: &impl Storage,
        change: impl FnOnce(&mut SignedRecord) -> T,
    ) -> Result<T, WriteError> {
        s.update(|s| {
            let mut record = self.record_or_default(s);
            let out = change(&mut record);
            Ok((
                Batch::new().put(self.signed_key.clone(), json(&record)?),
                out,
            ))
        })
        .await
    }

    /// The ids still waiting for the server's receipt, oldest first.
    pub fn pending(&self, s: &impl Storage) -> Vec<String> {
        self.record_or_default(s)
            .outbox
            .pending()
            .map(|i| i.id.clone())
            .collect()
    }

    /// The verified receipts, in the order they came.
    pub fn receipts(&self, s: &impl Storage) -> Vec<Receipt> {
        self.record_or_default(s).receipts
    }

    /// The version to send now, as its id and canonical bytes: the oldest
    /// waiting, once its retry time has come.
    pub fn due(&self, s: &impl Storage, now: u64) -> Option<(String, String)> {
        let mut record = self.record(s).ok()?;
        let item = record.outbox.next_to_send(now)?;
        let ret = record.returns.iter().find(|r| {
            SignedReturn::from_bytes_with(r.as_bytes(), &CheckedBeforeKept)
                .is_ok_and(|s| s.id() == item.id)
        })?;
        Some((item.id, ret.clone()))
    }

    /// The canonical text of the kept version `id`, to send.
    pub fn text(&self, s: &impl Storage, id: &str) -> Option<String> {
        self.record(s).ok()?.returns.into_iter().find(|r| {
            SignedReturn::from_bytes_with(r.as_bytes(), &CheckedBeforeKept)
                .is_ok_and(|s| s.id() == id)
        })
    }

    /// The server's answer to a send: the item leaves the outbox only if the
    /// receipt verifies with the server's key and names it, and only once
    /// that is durably kept.
    /// `verifier` checks the receipt's signature (on the phone, WebCrypto's
    /// answer, awaited before).
    pub async fn acknowledge(
        &self,
        s: &impl Storage,
        receipt: Receipt,
        server_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SendOutcome> {
        s.update(|s| {
            let mut record = self.record_or_default(s);
            if let Err(e) = record
                .outbox
                .on_receipt_with(&receipt, server_key, verifier)
            {
                return Ok((Batch::new(), Err(SendOutcome::BadReceipt(e))));
            }
            record
                .receipts
                .retain(|r| r.body.return_id != receipt.body.return_id);
            record.receipts.push(receipt);
            Ok((
                Batch::new().put(self.signed_key.clone(), json(&record)?),
                Ok(()),
            ))
        })
        .await
        .map_err(SendOutcome::Storage)?
    }

    /// Takes back what the server holds for this bureau (checked by core's
    /// `recovery::check_recovered`: this phone's own key's returns, in
    /// order, each with the server's receipt). The server's version of
    /// each number is the one that counts: a version of this phone's that
    /// differs from it was never taken and never will be, so it leaves the
    /// outbox (kept aside, with any later version that builds on it). Every
    /// recovered version is acknowledged. One write.
    pub async fn restore(
        &self,
        s: &impl Storage,
        recovered: &[(SignedReturn, Receipt)],
    ) -> Result<Restored, WriteError> {
        s.update(|s| self.restored(s, recovered)).await
    }

    fn restored(
        &self,
        s: &impl Storage,
        recovered: &[(SignedReturn, Receipt)],
    ) -> Result<(Batch, Restored), WriteError> {
        let mut record = self.record(s).map_err(|_| WriteError::Unavailable)?;
        let local: Vec<SignedReturn> = record
            .returns
            .iter()
            .filter_map(|r| SignedReturn::from_bytes_with(r.as_bytes(), &CheckedBeforeKept).ok())
            .collect();
        if local.len() != record.returns.len() {
            return Err(WriteError::Unavailable);
        }
        let mut done = Restored::default();
        let mut returns: Vec<String> = Vec::new();
        let mut kept: Vec<SignedReturn> = Vec::new();
        for (i, (ret, _)) in recovered.iter().enumerate() {
            if local.get(i).is_none_or(|mine| mine.id() != ret.id()) {
                done.added += 1;
            }
            returns.push(String::from_utf8(ret.to_bytes()).map_err(|_| WriteError::Unavailable)?);
            kept.push(ret.clone());
        }
        // This phone's versions past the server's: still to send if they
        // build on the server's last; else they can never be taken.
        for (i, mine) in local.iter().enumerate() {
            let same = recovered.get(i).is_some_and(|(r, _)| r.id() == mine.id());
            if same {
                continue;
            }
            let chains = i == kept.len()
                && match (kept.last(), &mine.body().replaces) {
                    (None, None) => true,
                    (Some(prev), Some(r)) => r.id == prev.id(),
                    _ => false,
                };
            let text = String::from_utf8(mine.to_bytes()).map_err(|_| WriteError::Unavailable)?;
            if chains {
                returns.push(text);
                kept.push(mine.clone());
            } else {
                done.displaced += 1;
                if !record.displaced.contains(&text) {
                    record.displaced.push(text);
                }
            }
        }
        for (ret, receipt) in recovered {
            if !record.receipts.iter().any(|r| r.body.return_id == ret.id()) {
                record.receipts.push(receipt.clone());
                done.receipts += 1;
            }
        }
        // The outbox: what is kept and has no receipt, in version order.
        let mut outbox = Outbox::new();
        for r in &kept {
            if !record.receipts.iter().any(|x| x.body.return_id == r.id()) {
                outbox.enqueue(r.id(), ());
            }
        }
        record.returns = returns;
        record.outbox = outbox;
        if !done.changed() {
            return Ok((Batch::new(), done));
        }
        Ok((
            Batch::new().put(self.signed_key.clone(), json(&record)?),
            done,
        ))
    }

    /// The server refused the version being sent for good (`code` is
    /// permanent): it is parked, not sent again on its own.
    pub async fn refused(
        &self,
        s: &impl Storage,
        code: pointage_core::wire::ErrorCode,
    ) -> Result<(), WriteError> {
        let why = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.change_record(s, |record| record.outbox.on_refused(why))
            .await
            .map(|_| ())
    }

    /// Why the waiting version is parked, if it is.
    pub fn parked(&self, s: &impl Storage) -> Option<pointage_core::wire::ErrorCode> {
        let why = self.record_or_default(s).outbox.parked()?.to_owned();
        serde_json::from_value(serde_json::Value::String(why)).ok()
    }

    /// Someone asks for the parked version to be sent again.
    pub async fn unpark(&self, s: &impl Storage) -> Result<(), WriteError> {
        if self.parked(s).is_none() {
            return Ok(());
        }
        self.change_record(s, |record| record.outbox.unpark())
            .await
            .map(|_| ())
    }

    /// The network is back: the waiting version may go at once.
    pub async fn network_back(&self, s: &impl Storage) {
        if self.record_or_default(s).outbox.retry_at().is_none() {
            return;
        }
        // Best effort: at worst the backoff is honoured once more.
        let _ = self
            .change_record(s, |record| record.outbox.network_back())
            .await;
    }

    /// A send failed: when to try again (backoff with jitter, from core).
    pub async fn failed(&self, s: &impl Storage, now: u64, jitter_permille: u16) -> u64 {
        match self
            .change_record(s, |record| record.outbox.on_failure(now, jitter_permille))
            .await
        {
            Ok(at) => at,
            // Not kept: the same backoff, computed on what is stored.
            Err(_) => self
                .record_or_default(s)
                .outbox
                .on_failure(now, jitter_permille),
        }
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, WriteError> {
    serde_json::to_string(value).map_err(|_| WriteError::Unavailable)
}
