//! The counting screens' driver: each event handed to device's counting
//! session, the writes it asks made in order, and what they came to said
//! (the screens show the log once an event is kept; a refused one is
//! said, never dropped).

use leptos::prelude::*;
use pointage_core::TallyEvent;
use pointage_device::count_session::{CountSession, Step};
use pointage_device::tally::AppendError;

/// What the screen tells the person after an action that did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountError {
    Append(AppendError),
    BadNumber,
}

/// What to do once an event is kept (clear a form, buzz, show a packet).
pub type Then = Box<dyn FnOnce()>;

/// The bureau's count, shared by every handler of the page.
pub type Counter = StoredValue<CountSession<Then>, LocalStorage>;

/// Hands the counting session each event, writes what it asks, and shows
/// what it says: an event joins the log, and the screen changes, only once
/// its write has completed; when one fails, it is said (the session drops
/// the events queued behind it: none was shown as counted).
#[derive(Clone, Copy)]
pub struct Apply {
    counter: Counter,
    rev: Trigger,
    problem: RwSignal<Option<CountError>>,
    read_only: RwSignal<bool>,
}

impl Apply {
    pub fn new(
        counter: Counter,
        rev: Trigger,
        problem: RwSignal<Option<CountError>>,
        read_only: RwSignal<bool>,
    ) -> Self {
        Apply {
            counter,
            rev,
            problem,
            read_only,
        }
    }

    /// Keeps `event`, then runs `then`; or says why it was not kept.
    pub fn run(self, event: TallyEvent, then: impl FnOnce() + 'static) {
        if let Some(step) = self
            .counter
            .try_update_value(|c| c.push(event, Box::new(then)))
        {
            self.follow(step);
        }
    }

    fn follow(self, mut step: Step<Then>) {
        if let Some(then) = step.kept.take() {
            self.problem.set(None);
            self.rev.notify();
            then();
        }
        if let Some((e, _)) = step.failed.take() {
            if e == AppendError::ChangedElsewhere {
                self.read_only.set(true);
            }
            self.problem.set(Some(CountError::Append(e)));
        }
        if let Some(batch) = step.write.take() {
            leptos::task::spawn_local(async move {
                let result = super::write(batch).await;
                if let Some(next) = self.counter.try_update_value(|c| c.written(result)) {
                    self.follow(next);
                }
            });
        }
    }
}
