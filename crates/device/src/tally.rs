//! The bureau's tally log on the device: append-only, in segments.
//!
//! Events are kept under [`Key::Tally`], [`SEGMENT`] events to a segment,
//! each segment the JSON `{"first": <seq of its first event>, "events":
//! [...]}`. A tap rewrites only the last segment, so it costs the same at
//! ballot 10 and at ballot 10,000, and one batch is the whole write: a killed
//! browser leaves either the segment before the tap or the one after it.
//!
//! Hashes are not stored: loading replays the events through core, which
//! rebuilds the chain and re-checks every rule of the count.
//!
//! An event is appended in three steps so that the caller never holds the
//! log across the wait: [`TallyStore::prepare`] (core's check, the batch),
//! the storage's write, then [`TallyStore::commit`] (core's append). Nothing
//! is in the log, nor on the screen, until the write is durable.

use pointage_core::{TallyError, TallyEvent, TallyLog};
use serde::{Deserialize, Serialize};

use crate::ports::{Batch, Key, Storage, WriteError};

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
    /// The phone's storage is full.
    Full,
    /// The storage refused or failed (disabled, private mode, evicted).
    Storage,
    /// Another tab or window wrote this bureau's count since this one last
    /// did: this tab must reload before counting.
    ChangedElsewhere,
}

impl From<WriteError> for AppendError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Changed => AppendError::ChangedElsewhere,
            WriteError::Full => AppendError::Full,
            WriteError::Unavailable => AppendError::Storage,
        }
    }
}

/// Why the stored count could not be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// A segment is unreadable, missing in the middle, or its events break a
    /// rule or the chain: the count on this phone is damaged.
    Damaged,
}

/// Where one bureau's log lives, and its last segment as last written.
#[derive(Clone, Debug)]
pub struct TallyStore {
    election: String,
    bureau: String,
    last: u32,
    last_events: Vec<TallyEvent>,
}

/// An event checked by core and the write that keeps it, waiting for the
/// storage. Commit it only once that write has succeeded.
#[must_use]
#[derive(Clone, Debug)]
pub struct Prepared {
    event: TallyEvent,
    segment: u32,
    events: Vec<TallyEvent>,
    batch: Batch,
}

impl Prepared {
    /// The write to hand to the storage.
    pub fn batch(&self) -> Batch {
        self.batch.clone()
    }
}

impl TallyStore {
    /// The stored log of the bureau, replayed, with the store to append to.
    pub fn open(
        s: &impl Storage,
        election_hash: &str,
        bureau: &str,
        candidates: Vec<String>,
    ) -> Result<(TallyStore, TallyLog), LoadError> {
        let mut log = TallyLog::new(candidates, TallyLog::genesis_for(election_hash, bureau));
        let mut store = TallyStore {
            election: election_hash.to_owned(),
            bureau: bureau.to_owned(),
            last: 0,
            last_events: Vec::new(),
        };
        let mut n = 0u32;
        while let Some(text) = s.get(&store.key(n)) {
            let seg: Segment = serde_json::from_str(&text).map_err(|_| LoadError::Damaged)?;
            if seg.first != log.events().len() as u64 || seg.events.len() > SEGMENT {
                return Err(LoadError::Damaged);
            }
            for e in &seg.events {
                log.append_stored(e.clone())
                    .map_err(|_| LoadError::Damaged)?;
            }
            store.last = n;
            store.last_events = seg.events;
            n += 1;
        }
        // A segment after a missing one means a lost segment, not an end.
        if s.get(&store.key(n + 1)).is_some() {
            return Err(LoadError::Damaged);
        }
        Ok((store, log))
    }

    /// The key of segment `n` of this bureau's log.
    pub fn key(&self, n: u32) -> Key {
        Key::Tally {
            election: self.election.clone(),
            bureau: self.bureau.clone(),
            segment: n,
        }
    }

    /// Checks `event` with core and makes the write that keeps it. Nothing
    /// changes yet.
    pub fn prepare(&self, log: &TallyLog, event: TallyEvent) -> Result<Prepared, AppendError> {
        log.check(&event).map_err(AppendError::Refused)?;
        let (segment, mut events) = if self.last_events.len() >= SEGMENT {
            (self.last + 1, Vec::new())
        } else {
            (self.last, self.last_events.clone())
        };
        let first = log.events().len() as u64 - events.len() as u64;
        events.push(event.clone());
        let seg = Segment { first, events };
        let text = serde_json::to_string(&seg).map_err(|_| AppendError::Storage)?;
        Ok(Prepared {
            event,
            segment,
            events: seg.events,
            batch: Batch::new().put(self.key(segment), text),
        })
    }

    /// The write of `prepared` succeeded: the event joins the log.
    pub fn commit(&mut self, log: &mut TallyLog, prepared: Prepared) -> Result<(), AppendError> {
        self.last = prepared.segment;
        self.last_events = prepared.events;
        log.append(prepared.event).map_err(AppendError::Refused)?;
        Ok(())
    }

    /// Prepares, writes and commits `event`: if it cannot be kept, or the
    /// count refuses it, neither the log nor the storage changes.
    pub async fn append(
        &mut self,
        s: &impl Storage,
        log: &mut TallyLog,
        event: TallyEvent,
    ) -> Result<(), AppendError> {
        let prepared = self.prepare(log, event)?;
        s.write(prepared.batch()).await?;
        self.commit(log, prepared)
    }

    /// Whether `key` is one of this bureau's (a change announced by another
    /// tab).
    pub fn owns(&self, key: &Key) -> bool {
        matches!(key, Key::Tally { election, bureau, .. }
            if *election == self.election && *bureau == self.bureau)
    }
}
