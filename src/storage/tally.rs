//! The bureau's tally log on the device: append-only, in segments.
//!
//! Events are kept in localStorage under `pointage.tally.<election>.<bureau>.
//! <n>`, [`SEGMENT`] events to a segment, each segment the JSON
//! `{"first": <seq of its first event>, "events": [...]}`. A tap rewrites
//! only the last segment, so it costs the same at ballot 10 and at ballot
//! 10,000, and one `setItem` is the whole write: a killed tab leaves either the
//! segment before the tap or the one after it.
//!
//! Hashes are not stored: loading replays the events through core, which
//! rebuilds the chain and re-checks every rule of the count.
//!
//! Before each write, the last segment is read back and compared with what
//! this tab last wrote: if another tab (or window) wrote it since, this one
//! stops writing and says so, rather than overwrite that tab's marks.

use gloo_storage::{LocalStorage, Storage};
use pointage_core::{TallyError, TallyEvent, TallyLog};
use serde::{Deserialize, Serialize};

/// Events per segment: a tap writes at most this many events.
pub const SEGMENT: usize = 64;

#[derive(Serialize, Deserialize)]
struct Segment {
    first: u64,
    events: Vec<TallyEvent>,
}

/// Why a tap (or any event) was not kept. Nothing is counted when it fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendError {
    /// The count does not allow it (core's reason).
    Refused(TallyError),
    /// The browser refused to store it: storage full, disabled or private.
    Storage,
    /// Another tab or window wrote this bureau's count since this one last
    /// did: this tab must reload before counting.
    ChangedElsewhere,
}

/// Why the stored count could not be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// localStorage is not available at all.
    Unavailable,
    /// A segment is unreadable, missing in the middle, or its events break a
    /// rule or the chain: the count on this phone is damaged.
    Damaged,
}

/// Where one bureau's log lives, and what this tab last wrote there.
pub struct TallyStore {
    prefix: String,
    /// The last segment's number and its events, as this tab last wrote them.
    last: u32,
    last_events: Vec<TallyEvent>,
    last_text: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    // `raw()` panics where there is no localStorage; ask the window first.
    web_sys::window()?.local_storage().ok().flatten()?;
    Some(LocalStorage::raw())
}

impl TallyStore {
    /// The stored log of the bureau, replayed, with the store to append to.
    pub fn open(
        election_hash: &str,
        bureau: &str,
        candidates: Vec<String>,
    ) -> Result<(TallyStore, TallyLog), LoadError> {
        let s = storage().ok_or(LoadError::Unavailable)?;
        let prefix = format!("pointage.tally.{election_hash}.{bureau}.");
        let mut log = TallyLog::new(candidates, TallyLog::genesis_for(election_hash, bureau));
        let mut store = TallyStore {
            prefix,
            last: 0,
            last_events: Vec::new(),
            last_text: None,
        };
        let mut n = 0u32;
        while let Some(text) = s
            .get_item(&store.key(n))
            .map_err(|_| LoadError::Unavailable)?
        {
            let seg: Segment = serde_json::from_str(&text).map_err(|_| LoadError::Damaged)?;
            if seg.first != log.events().len() as u64 || seg.events.len() > SEGMENT {
                return Err(LoadError::Damaged);
            }
            for e in &seg.events {
                log.append(e.clone()).map_err(|_| LoadError::Damaged)?;
            }
            store.last = n;
            store.last_events = seg.events;
            store.last_text = Some(text);
            n += 1;
        }
        // A segment after a missing one means a lost segment, not an end.
        if s.get_item(&store.key(n + 1)).ok().flatten().is_some() {
            return Err(LoadError::Damaged);
        }
        Ok((store, log))
    }

    fn key(&self, n: u32) -> String {
        format!("{}{n}", self.prefix)
    }

    /// Keeps `event` on the device, then adds it to `log`. If it cannot be
    /// kept, or the count refuses it, neither the log nor the storage
    /// changes.
    pub fn append(&mut self, log: &mut TallyLog, event: TallyEvent) -> Result<(), AppendError> {
        let s = storage().ok_or(AppendError::Storage)?;
        // Did anyone else write here since this tab did? Then this tab's log
        // is stale, and so would be core's verdict on it.
        let on_disk = s
            .get_item(&self.key(self.last))
            .map_err(|_| AppendError::Storage)?;
        if on_disk != self.last_text
            || s.get_item(&self.key(self.last + 1))
                .ok()
                .flatten()
                .is_some()
        {
            return Err(AppendError::ChangedElsewhere);
        }
        log.check(&event).map_err(AppendError::Refused)?;
        let (n, mut events) = if self.last_events.len() >= SEGMENT {
            (self.last + 1, Vec::new())
        } else {
            (self.last, self.last_events.clone())
        };
        let first = log.events().len() as u64 - events.len() as u64;
        events.push(event.clone());
        let seg = Segment { first, events };
        let text = serde_json::to_string(&seg).map_err(|_| AppendError::Storage)?;
        s.set_item(&self.key(n), &text)
            .map_err(|_| AppendError::Storage)?;
        self.last = n;
        self.last_events = seg.events;
        self.last_text = Some(text);
        log.append(event).map_err(AppendError::Refused)?;
        Ok(())
    }

    /// Whether `key` (from a `storage` event) is one of this bureau's.
    pub fn owns(&self, key: &str) -> bool {
        key.starts_with(&self.prefix)
    }
}
