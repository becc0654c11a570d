//! The parts of signed returns scanned on this device (the hand-over by QR
//! code): [`Key::Handover`] holds their texts as read, so that parts scanned
//! one by one, in several tabs a camera app opened, add up. Core's
//! `handover::collect` sorts them into returns; nothing here interprets
//! them. [`Key::HandoverDelivered`] keeps what the server acknowledged, so
//! that every open tab can say so, whichever tab sent it.
//!
//! Sending them follows the one outbox policy of every phone
//! ([`crate::outbox::Round`], each bureau a sender); a refusal for good
//! parks the version here ([`Key::HandoverParked`]): it is not sent again
//! by itself, only when the person asks.

use pointage_core::handover::{Collected, Part, collect};
use pointage_core::wire::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::ports::{Batch, Key, Storage, WriteError};

/// The delivered returns kept to show, newest last.
pub const DELIVERED_KEPT: usize = 50;

/// A scanned return the central server acknowledged, as its receipt says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    pub digest: String,
    pub bureau: String,
    pub version: u32,
    /// A turnout report's checkpoint; `None` for a return.
    #[serde(default)]
    pub checkpoint: Option<String>,
    /// The paper PV's photo document: its pages; `None` for a return or a
    /// report.
    #[serde(default)]
    pub photos: Option<usize>,
    pub code: String,
    pub sequence: u64,
}

fn read<T: serde::de::DeserializeOwned + Default>(s: &impl Storage, key: &Key) -> T {
    s.get(key)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// What was delivered from this device, oldest first.
pub fn delivered(s: &impl Storage) -> Vec<Delivered> {
    read(s, &Key::HandoverDelivered)
}

/// Every part scanned here and not yet delivered.
pub fn parts(s: &impl Storage) -> Vec<String> {
    read(s, &Key::Handover)
}

/// The parts kept once `digest`'s are dropped, as the batch that writes them.
fn without(s: &impl Storage, digest: &str) -> Batch {
    let all: Vec<String> = parts(s)
        .into_iter()
        .filter(|p| Part::parse(p).is_ok_and(|p| p.digest != digest))
        .collect();
    if all.is_empty() {
        Batch::new().delete(Key::Handover)
    } else {
        Batch::new().put(Key::Handover, json(&all))
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // Vectors of strings and plain structs always serialise.
    serde_json::to_string(value).unwrap_or_default()
}

/// Notes a return as delivered and drops its parts (and its parking, if a
/// try by hand went through), in one write.
pub async fn deliver(s: &impl Storage, d: Delivered) -> Result<(), WriteError> {
    s.update(|s| {
        let mut all = delivered(s);
        all.retain(|x| x.digest != d.digest);
        let mut batch = without(s, &d.digest).merge(unparked(s, &d.digest));
        all.push(d);
        let from = all.len().saturating_sub(DELIVERED_KEPT);
        batch = batch.put(Key::HandoverDelivered, json(&all[from..].to_vec()));
        Ok((batch, ()))
    })
    .await
}

/// Keeps one scanned part (once, however often it is scanned).
pub async fn add(s: &impl Storage, part: &str) -> Result<(), WriteError> {
    s.update(|s| {
        let mut all = parts(s);
        if all.iter().any(|p| p == part) {
            return Ok((Batch::new(), ()));
        }
        all.push(part.to_owned());
        Ok((Batch::new().put(Key::Handover, json(&all)), ()))
    })
    .await
}

/// Drops every part of the return with this digest: its parts did not make
/// a return and must be scanned again, or the person removed it.
pub async fn forget(s: &impl Storage, digest: &str) -> Result<(), WriteError> {
    s.update(|s| {
        let parts = match s.get(&Key::Handover) {
            Some(_) => without(s, digest),
            None => Batch::new(),
        };
        Ok((parts.merge(unparked(s, digest)), ()))
    })
    .await
}

/// A scanned return the central server refused for good: why, as its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parked {
    pub digest: String,
    pub code: ErrorCode,
}

/// The scanned returns parked here.
pub fn parked(s: &impl Storage) -> Vec<Parked> {
    read(s, &Key::HandoverParked)
}

fn unparked(s: &impl Storage, digest: &str) -> Batch {
    let mut all = parked(s);
    let before = all.len();
    all.retain(|p| p.digest != digest);
    match (all.len() == before, all.is_empty()) {
        (true, _) => Batch::new(),
        (false, true) => Batch::new().delete(Key::HandoverParked),
        (false, false) => Batch::new().put(Key::HandoverParked, json(&all)),
    }
}

/// Parks a return the server refused for good (once; the latest code).
pub async fn park(s: &impl Storage, p: Parked) -> Result<(), WriteError> {
    s.update(|s| {
        let mut all = parked(s);
        all.retain(|x| x.digest != p.digest);
        all.push(p);
        Ok((Batch::new().put(Key::HandoverParked, json(&all)), ()))
    })
    .await
}

/// The scanned returns, complete or not.
pub fn collected(s: &impl Storage) -> Vec<Collected> {
    let all = parts(s);
    collect(all.iter().map(String::as_str))
}
