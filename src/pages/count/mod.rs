//! "Dépouillement": the bureau's tap count, with no network.
//!
//! The close of polls first (émargements, envelopes found, the gap
//! explained), then packets: a table opens one with its envelope count, taps
//! one button per ballot (candidates in panel order, Blanc, Nul with its
//! reason), undoes a mis-tap, closes the packet when the marks add up, and
//! reads its fingerprint aloud; a mismatch recounts it from zero.
//!
//! Every event goes through device's counting session, which keeps it on
//! the phone before core's log takes it: a tap is shown as counted only once
//! its IndexedDB write has completed, and a refused tap is said, never
//! dropped silently. Taps made while a write is under way wait in order.
//! What the screen shows is derived from the log.

mod between;
mod packet;
mod totals;

use between::{BetweenPackets, PollsForm};
use packet::PacketScreen;
use totals::Totals;

use crate::components::not_enrolled::NotEnrolled;
use crate::components::topbar::TopBar;
use crate::i18n::{Sections, trk, use_i18n};
use crate::session::count::{Apply, CountError, Counter, Then};
use crate::session::{self, CountOpenError};
use leptos::prelude::*;
use pointage_core::Candidate;
use pointage_device::count_session::CountSession;
use pointage_device::tally::AppendError;

/// Whose count the screen holds: the bureau's (the close of polls, tables
/// by name), or one table phone's (the envelopes handed to its table, each
/// packet by the number on its band, its sheet signed when done).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountMode {
    Bureau,
    Table,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    ClosePolls,
    Between,
    Packet,
    Totals,
}

/// How many marks the "last marks" line shows.
const LAST_MARKS: usize = 6;

#[component]
pub fn CountPage() -> impl IntoView {
    let body = match session::device() {
        None => view! { <NotEnrolled/> }.into_any(),
        Some(device) => match session::open_count(&device) {
            Ok(count) => {
                let candidates = device.election.candidates.clone();
                view! { <Counting candidates count mode=CountMode::Bureau/> }.into_any()
            }
            Err(e) => view! { <CountNotOpen e/> }.into_any(),
        },
    };
    view! {
        <TopBar/>
        <main aria-labelledby="count-title">
            <h1 id="count-title">{trk(|t| t.title)}</h1>
            {body}
        </main>
    }
}

/// Why a count cannot be shown: its log is damaged, or the storage is not
/// there.
#[component]
pub fn CountNotOpen(e: CountOpenError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="card notice error" role="alert">
            {move || match e {
                CountOpenError::Damaged => i18n.count().damaged,
                CountOpenError::Unavailable => i18n.count().unavailable,
            }}
        </p>
    }
}

/// The count itself, for the bureau's phone or a table phone.
#[component]
pub fn Counting(
    candidates: Vec<Candidate>,
    count: CountSession<Then>,
    mode: CountMode,
    /// Drawn below the count once every envelope is counted (a table
    /// phone's sheet).
    #[prop(optional, into)]
    when_done: Option<ViewFn>,
) -> impl IntoView {
    session::ask_persistent();
    let counter: Counter = StoredValue::new_local(count);
    // Notified after every change of the log: every view below derives
    // from it.
    let rev = Trigger::new();
    let problem = RwSignal::new(None::<CountError>);
    let read_only = RwSignal::new(false);
    let show_totals = RwSignal::new(false);
    let candidates = StoredValue::new(candidates);
    let all_counted = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| c.log().all_counted())
    });

    // Another tab writing this bureau's count makes this one read-only.
    session::watch_other_tabs(move |keys| {
        if keys.iter().any(|k| counter.with_value(|c| c.owns(k))) {
            counter.update_value(|c| c.changed_elsewhere());
            read_only.set(true);
        }
    });

    let apply = Apply::new(counter, rev, problem, read_only);

    let polls = move || {
        rev.track();
        counter.with_value(|c| c.log().polls().cloned())
    };
    let has_open = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| c.log().open_packet().is_some())
    });
    // Which screen: a memo, so that a tap redraws the counts, not the screen.
    let polls_closed = Memo::new(move |_| polls().is_some());
    let phase = Memo::new(move |_| {
        if show_totals.get() {
            Step::Totals
        } else if !polls_closed.get() {
            Step::ClosePolls
        } else if has_open.get() {
            Step::Packet
        } else {
            Step::Between
        }
    });

    // Keep the screen awake while a packet is open.
    crate::wake_lock::while_true(Signal::derive(move || has_open.get()));

    view! {
        <Show when=move || read_only.get()>
            <div class="card notice" role="alert">
                <p>{trk(|t| t.changed_elsewhere)}</p>
                <button type="button" class="primary" on:click=move |_| {
                    let _ = window().location().reload();
                }>{trk(|t| t.reload)}</button>
            </div>
        </Show>
        // While a packet is open the note sits below the buttons, so that a
        // refused tap never moves them under the volunteer's thumb.
        <Show when=move || phase.get() != Step::Packet>
            <ProblemNote problem/>
        </Show>
        {move || match phase.get() {
            Step::Totals => view! { <Totals counter rev candidates show_totals/> }.into_any(),
            Step::ClosePolls => view! { <PollsForm apply problem current=None mode/> }.into_any(),
            Step::Packet => {
                view! { <PacketScreen counter rev problem apply candidates mode/> }.into_any()
            }
            Step::Between => {
                view! { <BetweenPackets counter rev apply problem show_totals candidates mode/> }
                    .into_any()
            }
        }}
        {move || (all_counted.get() && phase.get() == Step::Between)
            .then(|| when_done.as_ref().map(|f| f.run()))}
    }
}

/// What went wrong with the last action, in the person's language, until the
/// next action succeeds or the person dismisses it.
#[component]
fn ProblemNote(problem: RwSignal<Option<CountError>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        let t = i18n.count();
        problem.get().map(|p| match p {
            CountError::BadNumber => t.number_invalid.to_owned(),
            CountError::Append(AppendError::Refused(e)) => (t.refused)(&e),
            CountError::Append(AppendError::Full) => t.storage_full.to_owned(),
            CountError::Append(AppendError::Storage) => t.storage_failed.to_owned(),
            CountError::Append(AppendError::ChangedElsewhere) => t.changed_elsewhere.to_owned(),
        })
    };

    view! {
        <Show when=move || problem.get().is_some()>
            <div class="problem" role="alert">
                <p class="error">{message}</p>
                <button type="button" class="secondary" on:click=move |_| problem.set(None)>
                    {trk(|t| t.dismiss)}
                </button>
            </div>
        </Show>
    }
}

/// The rows of a count as a person reads them: each candidate in panel
/// order, then Blanc and Nul, with the language's number format. The closed
/// packet and the totals screen both show these.
fn count_rows(
    t: Sections,
    candidates: &[Candidate],
    voix: &dyn Fn(&str) -> u64,
    blancs: u64,
    nuls: u64,
) -> impl IntoView + use<> {
    let mut rows: Vec<(String, u64)> = candidates
        .iter()
        .map(|c| (c.name.clone(), voix(&c.id)))
        .collect();
    rows.push((t.count.blanc.to_owned(), blancs));
    rows.push((t.count.nul.to_owned(), nuls));
    rows.into_iter()
        .map(|(name, n)| {
            view! { <tr><th scope="row">{name}</th><td class="num">{t.common.count(n)}</td></tr> }
        })
        .collect_view()
}

/// Parses what a person typed in a count field: digits only, spaces
/// allowed; empty or anything else is no count (core's `parse_count`).
fn parse_count(text: &str) -> Option<u32> {
    pointage_core::pv::parse_count(text).ok().flatten()
}

/// A field for a count, on the phone's number pad; `pattern` says which
/// characters it takes.
#[component]
fn CountInput(
    id: &'static str,
    value: RwSignal<String>,
    pattern: &'static str,
    #[prop(optional)] describedby: Option<&'static str>,
) -> impl IntoView {
    view! {
        <input id=id type="text" inputmode="numeric" pattern=pattern
            autocomplete="off" class="number" aria-describedby=describedby
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// A free text's length once it nears core's limit for the count's texts
/// ([`pointage_core::tally::TEXT_MAX`] characters, which the field's
/// `maxlength` also holds it to).
#[component]
fn CharsLeft(value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let max = pointage_core::tally::TEXT_MAX;
    move || {
        let n = value.with(|v| v.chars().count());
        (n * 10 > max * 9).then(|| {
            let t = i18n.s();
            let say = (t.count.text_chars)(&t.common.count(n as u64), &t.common.count(max as u64));
            view! { <p class="hint" aria-live="polite">{say}</p> }
        })
    }
}
