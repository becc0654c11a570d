//! Moving a phone's values from the previous version's localStorage into
//! the storage port, without losing or silently dropping anything.
//!
//! The app reads every old `pointage.*` value, and:
//! 1. [`plan`] keeps those whose key is ours and not yet in the new
//!    storage (a value already there was moved before, or written since:
//!    it is never overwritten by an older one);
//! 2. the app writes the plan in one batch;
//! 3. [`check`] replays what the phone now holds, as the screens will: the
//!    enrollment, its bureau's tally (core re-checks every event and the
//!    chain) and its PV (every signed version's signature verified);
//! 4. only if that passes does the app remove the old values. Otherwise they
//!    stay where they were, and the screens say the store is damaged.

use crate::enrolled::EnrolledDevice;
use crate::ports::{Batch, Key, Storage};
use crate::pv::PvStore;
use crate::tally::TallyStore;
use pointage_core::DoubleEntry;

/// What to do with the old values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The values to write into the new storage.
    pub batch: Batch,
    /// The old keys that are ours (to remove once checked).
    pub old_keys: Vec<String>,
    /// Old keys that are not ours, except the language: left where they
    /// are, and said.
    pub unknown: Vec<String>,
}

/// The language stays in localStorage: it is read before anything else and
/// is no one's count.
pub const LANG_KEY: &str = "pointage.lang";

pub fn plan(s: &impl Storage, old: &[(String, String)]) -> Plan {
    let mut plan = Plan::default();
    for (text, value) in old {
        if text == LANG_KEY || !text.starts_with("pointage.") {
            continue;
        }
        let Some(key) = Key::parse(text) else {
            plan.unknown.push(text.clone());
            continue;
        };
        plan.old_keys.push(text.clone());
        if s.get(&key).is_none() {
            plan.batch = std::mem::take(&mut plan.batch).put(key, value.clone());
        }
    }
    plan
}

/// What did not replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damaged {
    Enrollment,
    Tally,
    Pv,
}

/// Replays what the phone holds for its bureau, as the screens will.
pub fn check(s: &impl Storage) -> Result<(), Damaged> {
    if s.get(&Key::Device).is_none() {
        return Ok(());
    }
    let device = EnrolledDevice::load(s).ok_or(Damaged::Enrollment)?;
    let view = &device.election;
    let ids = view.candidates.iter().map(|c| c.id.clone()).collect();
    TallyStore::open(s, &view.hash, &view.bureau.code, ids).map_err(|_| Damaged::Tally)?;
    let pv = PvStore::new(&view.hash, &view.bureau.code)
        .load(s)
        .map_err(|_| Damaged::Pv)?;
    DoubleEntry::replay(&pv.entry.steps).map_err(|_| Damaged::Pv)?;
    Ok(())
}
