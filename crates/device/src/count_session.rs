//! The counting session: the bureau's tally log, where it is kept, and the
//! events a person made while the write before them was under way.
//!
//! A volunteer taps faster than a phone writes. Each event waits its turn,
//! in the order it was made; it joins the log, and the screen shows it, only
//! once its own durable write has completed. When one is not kept (refused
//! by core, storage full, another tab), it is said, and every event queued
//! behind it is dropped with it: none of them had been shown as counted, and
//! none may be counted after a gap.
//!
//! Sans-IO: the session says which batch to write ([`Step::write`]); the
//! app writes it and hands back the outcome ([`CountSession::written`]).
//! `T` is what the screen wants done once an event is kept (clear a form,
//! buzz); the session only carries it.

use pointage_core::{TallyEvent, TallyLog};
use std::collections::VecDeque;

use crate::ports::{Batch, Key, Storage, WriteError};
use crate::tally::{AppendError, LoadError, Prepared, TallyStore};

/// What changed after [`CountSession::push`] or [`CountSession::written`].
#[must_use]
#[derive(Debug)]
pub struct Step<T> {
    /// An event was kept and joined the log: what to do now.
    pub kept: Option<T>,
    /// The write to make now, if one is due.
    pub write: Option<Batch>,
    /// An event that was not kept and why, with what was to be done for it
    /// and for every event dropped behind it.
    pub failed: Option<(AppendError, Vec<T>)>,
}

impl<T> Step<T> {
    fn nothing() -> Self {
        Step {
            kept: None,
            write: None,
            failed: None,
        }
    }
}

/// One bureau's count on this phone.
#[derive(Debug)]
pub struct CountSession<T> {
    store: TallyStore,
    log: TallyLog,
    queue: VecDeque<(TallyEvent, T)>,
    writing: Option<(Prepared, T)>,
    read_only: bool,
}

impl<T> CountSession<T> {
    /// The stored count of the bureau, replayed through core.
    pub fn open(
        s: &impl Storage,
        election_hash: &str,
        bureau: &str,
        candidates: Vec<String>,
    ) -> Result<Self, LoadError> {
        let (store, log) = TallyStore::open(s, election_hash, bureau, candidates)?;
        Ok(CountSession {
            store,
            log,
            queue: VecDeque::new(),
            writing: None,
            read_only: false,
        })
    }

    /// The log as kept: every event in it is on the device.
    pub fn log(&self) -> &TallyLog {
        &self.log
    }

    /// Whether `key` is this bureau's count (a change announced by another
    /// tab).
    pub fn owns(&self, key: &Key) -> bool {
        self.store.owns(key)
    }

    /// Another tab wrote this bureau's count: this one counts no more until
    /// it is reloaded.
    pub fn changed_elsewhere(&mut self) {
        self.read_only = true;
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Whether an event is being written or waits for one.
    pub fn busy(&self) -> bool {
        self.writing.is_some()
    }

    /// A person made `event`: it waits for the writes before it, or its
    /// own write starts now ([`Step::write`]).
    pub fn push(&mut self, event: TallyEvent, then: T) -> Step<T> {
        if self.read_only {
            return Step {
                failed: Some((AppendError::ChangedElsewhere, vec![then])),
                ..Step::nothing()
            };
        }
        self.queue.push_back((event, then));
        if self.writing.is_some() {
            return Step::nothing();
        }
        self.next(Step::nothing())
    }

    /// The write last asked for finished with `result`.
    pub fn written(&mut self, result: Result<(), WriteError>) -> Step<T> {
        let Some((prepared, then)) = self.writing.take() else {
            return Step::nothing();
        };
        let kept = result
            .map_err(AppendError::from)
            .and_then(|()| self.store.commit(&mut self.log, prepared));
        match kept {
            Ok(()) => self.next(Step {
                kept: Some(then),
                ..Step::nothing()
            }),
            Err(e) => {
                if e == AppendError::ChangedElsewhere {
                    self.read_only = true;
                }
                let mut dropped = vec![then];
                dropped.extend(self.queue.drain(..).map(|(_, t)| t));
                Step {
                    failed: Some((e, dropped)),
                    ..Step::nothing()
                }
            }
        }
    }

    /// Starts the write of the next queued event, checked by core against
    /// the log as now kept.
    fn next(&mut self, mut step: Step<T>) -> Step<T> {
        let Some((event, then)) = self.queue.pop_front() else {
            return step;
        };
        match self.store.prepare(&self.log, event) {
            Ok(prepared) => {
                step.write = Some(prepared.batch());
                self.writing = Some((prepared, then));
            }
            Err(e) => {
                let mut dropped = vec![then];
                dropped.extend(self.queue.drain(..).map(|(_, t)| t));
                step.failed = Some((e, dropped));
            }
        }
        step
    }
}
