//! The PV screens' handle on the bureau's PV: the device session, what
//! changed, what went wrong, and the one queue that keeps every change in
//! the order it was made. The screens read the session through it and call
//! its intents (edit, keep a draft, sign); the writes, the clock and the
//! other tabs are reached only from here.
//!
//! A draft (what is being typed) is kept after the keystroke has been
//! painted, and only the newest of the drafts waiting is written: the
//! letter shows at once on a slow phone, and a reload still finds it, the
//! write following within a frame.

use super::{Device, tables};
use crate::storage;
use leptos::prelude::*;
use pointage_core::{RuleCode, SignError, SignedReturn, TallyLog, TransitionError};
use pointage_device::WriteError;
use pointage_device::pv_session::{Edit, EditError, PvSession, PvSignError};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// Why a change of the PV was not kept. Nothing changed.
#[derive(Clone, Debug, PartialEq)]
pub enum PvError {
    /// The session refused the step (the stored entry moved on, or the
    /// same person again).
    Refused(TransitionError),
    /// The phone's storage refused the write.
    Storage,
    /// Another tab saved this PV's entry since this page read it.
    ChangedElsewhere,
    /// The stored PV cannot be read.
    Damaged,
    /// The bureau key cannot be used.
    KeyUnreadable,
    /// A sentence the screen wrote itself, already in the person's language.
    Said(String),
}

/// One change waiting its turn.
enum Job {
    /// `redraw`: the screens are drawn again once it is kept.
    Edit {
        edit: Edit,
        redraw: bool,
        then: Box<dyn FnOnce()>,
    },
    Sign(pointage_core::UnsignedReturn),
}

#[derive(Default)]
struct Queue {
    /// Oldest first (a few at most: a Vec, not a VecDeque, for the app's
    /// size).
    jobs: Vec<Job>,
    running: bool,
}

/// Handles to the PV's state, for every PV screen.
#[derive(Clone, Copy)]
pub struct Pv {
    session: StoredValue<PvSession>,
    pub device: StoredValue<Device>,
    /// The tap-count, when the ballots were counted in the app.
    pub tally: StoredValue<Option<TallyLog>>,
    /// What went wrong with the last action.
    pub problem: RwSignal<Option<PvError>>,
    /// Another tab saved this PV's entry since this page read it: nothing
    /// more is saved here, and the page says to reload.
    pub stale: RwSignal<bool>,
    /// Notified after every kept change that the screens show.
    changed: Trigger,
    /// Notified when the stored PV was read again (versions recovered from
    /// the server): the screen is drawn again from it.
    reread: Trigger,
    queue: StoredValue<Queue, LocalStorage>,
    /// The outbox's driver, told when a version is signed (taken from the
    /// page's context when the handle is made: a task has none).
    sync: Option<crate::sync::Outbox>,
}

impl Pv {
    /// The handle on `pv`, watching the other tabs and the versions the
    /// server gives back.
    pub fn new(device: Device, pv: PvSession, tally: Option<TallyLog>) -> Self {
        storage::ask_persistent();
        let h = Pv {
            session: StoredValue::new(pv),
            device: StoredValue::new(device),
            tally: StoredValue::new(tally),
            problem: RwSignal::new(None),
            stale: RwSignal::new(false),
            changed: Trigger::new(),
            reread: Trigger::new(),
            queue: StoredValue::new_local(Queue::default()),
            sync: crate::sync::use_sync(),
        };
        // Another tab saving this PV's entry or signing it: this page must
        // not go on as if it had not (its next save would be refused); it
        // says so at once.
        storage::watch_other_tabs(move |keys| {
            if keys
                .iter()
                .any(|k| h.session.with_value(|p| p.store().owns(k)))
            {
                h.stale.set(true);
            }
        });
        // Versions taken back from the server (this phone had lost them):
        // the store is read again, and shown.
        if let Some(sync) = h.sync {
            Effect::new(move |seen: Option<u64>| {
                let now = sync.restored();
                if seen.is_some_and(|s| s != now)
                    && let Some(Ok((pv, _))) = h.device.try_with_value(super::open_pv)
                {
                    h.session.set_value(pv);
                    h.changed.notify();
                    h.reread.notify();
                }
                now
            });
        }
        h
    }

    /// Reads the session, redrawn after every kept change.
    pub fn read<R>(self, f: impl FnOnce(&PvSession) -> R) -> R {
        self.changed.track();
        self.session.with_value(f)
    }

    /// Reads the session once, as it is now.
    pub fn with<R>(self, f: impl FnOnce(&PvSession) -> R) -> R {
        self.session.with_value(f)
    }

    /// Tracks the stored PV being read again.
    pub fn track_reread(self) {
        self.reread.track();
    }

    pub fn candidates(self) -> Vec<pointage_core::Candidate> {
        self.device.with_value(|d| d.election.candidates.clone())
    }

    pub fn report(self, problem: PvError) {
        self.problem.set(Some(problem));
    }

    /// Hands `edit` to the session; once it is durably kept, the screens
    /// show it and `then` runs. When it is not kept, nothing changes on
    /// screen and the problem says why.
    pub fn edit(self, edit: Edit, then: impl FnOnce() + 'static) {
        self.push(Job::Edit {
            edit,
            redraw: true,
            then: Box::new(then),
        });
    }

    /// Keeps what a person has typed so far (a draft, explanations), so a
    /// reload loses nothing; nothing is redrawn. A draft still waiting is
    /// replaced by this newer one.
    pub fn keep(self, edit: Edit) {
        // Every job in the queue is still waiting (a running one has left
        // it): the newest draft may take the place of the one before.
        let left = self.queue.try_update_value(|q| match q.jobs.last_mut() {
            Some(Job::Edit {
                edit: waiting,
                redraw: false,
                ..
            }) if edit.replaces(waiting) => {
                *waiting = edit;
                None
            }
            _ => Some(edit),
        });
        if let Some(Some(edit)) = left {
            self.push(Job::Edit {
                edit,
                redraw: false,
                then: Box::new(|| ()),
            });
        }
    }

    /// Signs the agreed PV with the bureau key, now, with `explanations`
    /// of its warnings: kept with its place in the outbox after every
    /// change before it, then shown as signed and sent.
    pub fn sign(self, explanations: BTreeMap<RuleCode, String>) -> Result<(), SignError> {
        let now = js_sys::Date::now() as u64;
        let unsigned = self.session.with_value(|p| {
            self.device.with_value(|d| {
                self.tally.with_value(|tally| {
                    let sheets = tables::sheets(d);
                    p.unsigned(
                        &d.election,
                        &d.device_key,
                        (tally.as_ref(), &sheets),
                        super::day::last_count(d),
                        explanations,
                        now,
                    )
                })
            })
        })?;
        self.push(Job::Sign(unsigned));
        Ok(())
    }

    fn push(self, job: Job) {
        let start = self
            .queue
            .try_update_value(|q| {
                q.jobs.push(job);
                !std::mem::replace(&mut q.running, true)
            })
            .unwrap_or(false);
        if start {
            leptos::task::spawn_local(self.run());
        }
    }

    /// Runs the queued changes one after the other until none is left.
    async fn run(self) {
        loop {
            // A draft waits for the keystroke's paint; a newer draft typed
            // meanwhile takes its place.
            let draft_first = self
                .queue
                .with_value(|q| matches!(q.jobs.first(), Some(Job::Edit { redraw: false, .. })));
            if draft_first {
                after_paint().await;
            }
            let job = self
                .queue
                .try_update_value(|q| {
                    let job = (!q.jobs.is_empty()).then(|| q.jobs.remove(0));
                    q.running = job.is_some();
                    job
                })
                .flatten();
            match job {
                None => return,
                Some(Job::Edit { edit, redraw, then }) => self.run_edit(edit, redraw, then).await,
                Some(Job::Sign(unsigned)) => self.run_sign(unsigned).await,
            }
        }
    }

    async fn run_edit(self, edit: Edit, redraw: bool, then: Box<dyn FnOnce()>) {
        if self.stale.get_untracked() {
            if redraw {
                self.report(PvError::ChangedElsewhere);
            }
            return;
        }
        let (store, version) = self
            .session
            .with_value(|p| (p.store().clone(), p.version()));
        match super::edit(store, version, edit).await {
            Ok(entry) => {
                self.session.update_value(|p| p.edited(entry));
                if redraw {
                    self.changed.notify();
                }
                then();
            }
            Err(EditError::Refused(e)) => self.report(PvError::Refused(e)),
            Err(EditError::Write(e)) => self.refused_write(e),
            Err(EditError::Damaged) => self.report(PvError::Damaged),
        }
    }

    /// Shown as signed only once the signed version and its place in the
    /// outbox are on disk.
    async fn run_sign(self, unsigned: pointage_core::UnsignedReturn) {
        if self.stale.get_untracked() {
            self.report(PvError::ChangedElsewhere);
            return;
        }
        let (store, previous): (_, Vec<SignedReturn>) = self
            .session
            .with_value(|p| (p.store().clone(), p.returns().to_vec()));
        match super::sign(store, previous, unsigned).await {
            Ok(signed) => {
                self.session.update_value(|p| p.signed(signed));
                self.changed.notify();
                if let Some(sync) = self.sync {
                    sync.poke();
                }
            }
            Err(PvSignError::KeyUnreadable) => self.report(PvError::KeyUnreadable),
            Err(PvSignError::Write(e)) => self.refused_write(e),
        }
    }

    /// Says why a write was not kept: another tab turns the page stale.
    fn refused_write(self, e: WriteError) {
        match e {
            WriteError::Changed => {
                self.stale.set(true);
                self.report(PvError::ChangedElsewhere);
            }
            WriteError::Full | WriteError::Unavailable => self.report(PvError::Storage),
        }
    }
}

/// Resolves once the browser has painted the next frame, or after
/// [`AT_MOST_MS`] when it paints none (a hidden tab): what waits on it never
/// delays the paint of what a person just did, nor waits for ever.
async fn after_paint() {
    let Some(w) = web_sys::window() else { return };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let w2 = w.clone();
        let on_frame = resolve.clone();
        let next = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = w2.set_timeout_with_callback_and_timeout_and_arguments_0(&on_frame, 0);
        });
        let _ = w.request_animation_frame(next.unchecked_ref());
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, AT_MOST_MS);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The longest a draft waits for a paint before it is written anyway.
const AT_MOST_MS: i32 = 100;
