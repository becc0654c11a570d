//! The parts of signed returns scanned on this device (the hand-over by QR
//! code): `pointage.handover` holds their texts as read, so that parts
//! scanned one by one, in several tabs a camera app opened, add up. Core's
//! `handover::collect` sorts them into returns; nothing here interprets them.
//! `pointage.handover.delivered` keeps what the server acknowledged, so that
//! every open tab can say so, whichever tab sent it.

use gloo_storage::{LocalStorage, Storage};
use pointage_core::handover::{Part, collect};
use serde::{Deserialize, Serialize};

use super::StorageError;

const KEY: &str = "pointage.handover";
const DELIVERED: &str = "pointage.handover.delivered";
/// The delivered returns kept to show, newest last.
const DELIVERED_KEPT: usize = 50;

/// A scanned return the central server acknowledged, as its receipt says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    pub digest: String,
    pub bureau: String,
    pub version: u32,
    pub code: String,
    pub sequence: u64,
}

/// What was delivered from this device, oldest first.
pub fn delivered() -> Vec<Delivered> {
    LocalStorage::get(DELIVERED).unwrap_or_default()
}

/// Notes a return as delivered, then drops its parts.
pub fn deliver(d: Delivered) {
    let mut all = delivered();
    all.retain(|x| x.digest != d.digest);
    let digest = d.digest.clone();
    all.push(d);
    let from = all.len().saturating_sub(DELIVERED_KEPT);
    // Best effort: the server holds the return whether or not this is kept.
    let _ = LocalStorage::set(DELIVERED, &all[from..]);
    forget(&digest);
}

/// Every part scanned here and not yet delivered.
pub fn parts() -> Vec<String> {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Keeps one scanned part (once, however often it is scanned).
pub fn add(part: &str) -> Result<(), StorageError> {
    let mut all = parts();
    if !all.iter().any(|p| p == part) {
        all.push(part.to_owned());
    }
    LocalStorage::set(KEY, all).map_err(|_| StorageError)
}

/// Drops every part of the return with this digest: it was delivered, or
/// its parts did not make a return and must be scanned again.
pub fn forget(digest: &str) {
    let all: Vec<String> = parts()
        .into_iter()
        .filter(|p| Part::parse(p).is_ok_and(|p| p.digest != digest))
        .collect();
    let _ = if all.is_empty() {
        LocalStorage::delete(KEY);
        Ok(())
    } else {
        LocalStorage::set(KEY, all)
    };
}

/// The scanned returns, complete or not.
pub fn collected() -> Vec<pointage_core::handover::Collected> {
    let all = parts();
    collect(all.iter().map(String::as_str))
}
