//! "Dépouillement": the bureau's tap count, with no network.
//!
//! The close of polls first (émargements, envelopes found, the gap
//! explained), then packets: a table opens one with its envelope count, taps
//! one button per ballot (candidates in panel order, Blanc, Nul with its
//! reason), undoes a mis-tap, closes the packet when the marks add up, and
//! reads its fingerprint aloud; a mismatch recounts it from zero.
//!
//! Every event goes through `storage::tally`, which keeps it on the phone
//! before core's log takes it: a tap is shown as counted only once it is
//! stored, and a refused tap is said, never dropped silently. What the screen
//! shows is derived from the log.

use crate::components::topbar::TopBar;
use crate::i18n::{self, tr, use_i18n};
use crate::storage::tally::{AppendError, LoadError, TallyStore};
use crate::storage::{self, Device};
use leptos::prelude::*;
use pointage_core::{
    Candidate, CountTotals, Mark, NulReason, PACKET_SIZE, PacketCounts, TallyEvent, TallyLog,
};
use wasm_bindgen::{JsCast, JsValue};

/// What the screen tells the person after an action that did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    Append(AppendError),
    BadNumber,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    ClosePolls,
    Between,
    Packet,
    Totals,
}

/// The log and the place it is kept, shared by every handler of the page.
struct Counter {
    store: TallyStore,
    log: TallyLog,
}

/// How many marks the "last marks" line shows.
const LAST_MARKS: usize = 6;

#[component]
pub fn CountPage() -> impl IntoView {
    let i18n = use_i18n();
    let body = match storage::device() {
        None => view! {
            <section class="card notice" aria-labelledby="not-enrolled-title">
                <h2 id="not-enrolled-title">{tr(|t| t.not_enrolled_title)}</h2>
                <p>{tr(|t| t.not_enrolled_body)}</p>
                <a class="button" href="/enroler">{tr(|t| t.enroll_link)}</a>
            </section>
        }
        .into_any(),
        Some(device) => {
            let ids = device
                .election
                .candidates
                .iter()
                .map(|c| c.id.clone())
                .collect();
            match TallyStore::open(&device.election.hash, &device.election.bureau.code, ids) {
                Ok((store, log)) => view! { <Counting device store log/> }.into_any(),
                Err(e) => view! {
                    <p class="card notice error" role="alert">
                        {move || match e {
                            LoadError::Damaged => i18n.t().count.damaged,
                            LoadError::Unavailable => i18n.t().count.unavailable,
                        }}
                    </p>
                }
                .into_any(),
            }
        }
    };
    view! {
        <TopBar/>
        <main aria-labelledby="count-title">
            <h1 id="count-title">{tr(|t| t.count.title)}</h1>
            {body}
        </main>
    }
}

#[component]
fn Counting(device: Device, store: TallyStore, log: TallyLog) -> impl IntoView {
    storage::ask_persistent();
    let counter = StoredValue::new(Counter { store, log });
    // Bumped after every change of the log: every view below derives from it.
    let rev = RwSignal::new(0u64);
    let problem = RwSignal::new(None::<Problem>);
    let read_only = RwSignal::new(false);
    let show_totals = RwSignal::new(false);
    // The packet whose fingerprint is shown, just after it was closed.
    let just_closed = RwSignal::new(None::<u32>);
    let candidates = StoredValue::new(device.election.candidates.clone());

    // Another tab writing this bureau's count makes this one read-only.
    let _ = window_event_listener(leptos::ev::storage, move |ev| {
        if let Some(key) = ev.key()
            && counter.with_value(|c| c.store.owns(&key))
        {
            read_only.set(true);
        }
    });

    let apply = move |event: TallyEvent| -> bool {
        if read_only.get_untracked() {
            problem.set(Some(Problem::Append(AppendError::ChangedElsewhere)));
            return false;
        }
        let result = counter.try_update_value(|c| c.store.append(&mut c.log, event));
        match result.unwrap_or(Err(AppendError::Storage)) {
            Ok(()) => {
                problem.set(None);
                rev.update(|r| *r += 1);
                true
            }
            Err(e) => {
                if e == AppendError::ChangedElsewhere {
                    read_only.set(true);
                }
                problem.set(Some(Problem::Append(e)));
                false
            }
        }
    };

    let polls = move || {
        rev.track();
        counter.with_value(|c| c.log.polls().cloned())
    };
    let has_open = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| c.log.open_packet().is_some())
    });
    // Which screen: a memo, so that a tap redraws the counts, not the screen.
    let polls_closed = Memo::new(move |_| polls().is_some());
    let phase = Memo::new(move |_| {
        if show_totals.get() {
            Phase::Totals
        } else if !polls_closed.get() {
            Phase::ClosePolls
        } else if has_open.get() {
            Phase::Packet
        } else {
            Phase::Between
        }
    });

    // Keep the screen awake while a packet is open.
    let wake = StoredValue::new_local(None::<JsValue>);
    Effect::new(move |_| {
        if has_open.get() {
            request_wake_lock(wake);
        } else {
            release_wake_lock(wake);
        }
    });

    view! {
        <Show when=move || read_only.get()>
            <div class="card notice" role="alert">
                <p>{tr(|t| t.count.changed_elsewhere)}</p>
                <button type="button" class="primary" on:click=move |_| {
                    let _ = window().location().reload();
                }>{tr(|t| t.count.reload)}</button>
            </div>
        </Show>
        // While a packet is open the note sits below the buttons, so that a
        // refused tap never moves them under the volunteer's thumb.
        <Show when=move || phase.get() != Phase::Packet>
            <ProblemNote problem/>
        </Show>
        {move || match phase.get() {
            Phase::Totals => view! { <Totals counter rev candidates show_totals/> }.into_any(),
            Phase::ClosePolls => view! { <PollsForm apply problem current=None/> }.into_any(),
            Phase::Packet => {
                view! { <PacketScreen counter rev problem apply candidates just_closed/> }.into_any()
            }
            Phase::Between => {
                view! { <BetweenPackets counter rev apply problem just_closed show_totals candidates/> }
                    .into_any()
            }
        }}
    }
}

/// What went wrong with the last action, in the person's language, until the
/// next action succeeds or the person dismisses it.
#[component]
fn ProblemNote(problem: RwSignal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        let t = &i18n.t().count;
        problem.get().map(|p| match p {
            Problem::BadNumber => t.number_invalid.to_owned(),
            Problem::Append(AppendError::Refused(e)) => (t.refused)(&e),
            Problem::Append(AppendError::Storage) => t.storage_full.to_owned(),
            Problem::Append(AppendError::ChangedElsewhere) => t.changed_elsewhere.to_owned(),
        })
    };

    view! {
        <Show when=move || problem.get().is_some()>
            <div class="problem" role="alert">
                <p class="error">{message}</p>
                <button type="button" class="secondary" on:click=move |_| problem.set(None)>
                    {tr(|t| t.count.dismiss)}
                </button>
            </div>
        </Show>
    }
}

/// Parses what a person typed in a count field: digits only, spaces allowed.
fn parse_count(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[component]
fn PollsForm(
    apply: impl Fn(TallyEvent) -> bool + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<Problem>>,
    current: Option<(u32, u32, String)>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (e0, v0, x0) = current
        .map(|(e, v, x)| (e.to_string(), v.to_string(), x))
        .unwrap_or_default();
    let emargements = RwSignal::new(e0);
    let enveloppes = RwSignal::new(v0);
    let explanation = RwSignal::new(x0);
    let gap = move || match (
        parse_count(&emargements.get()),
        parse_count(&enveloppes.get()),
    ) {
        (Some(a), Some(b)) if a != b => Some(a.abs_diff(b)),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(e), Some(v)) = (
            parse_count(&emargements.get_untracked()),
            parse_count(&enveloppes.get_untracked()),
        ) else {
            problem.set(Some(Problem::BadNumber));
            return;
        };
        let explanation = if e == v {
            String::new()
        } else {
            explanation.get_untracked().trim().to_owned()
        };
        if apply(TallyEvent::ClosePolls {
            emargements: e,
            enveloppes: v,
            explanation,
        }) && let Some(done) = on_done
        {
            done.run(());
        }
    };
    view! {
        <form class="card" on:submit=submit aria-labelledby="polls-title">
            <h2 id="polls-title">{tr(|t| t.count.polls_title)}</h2>
            <p class="hint">{tr(|t| t.count.polls_intro)}</p>
            <label for="emargements">{tr(|t| t.count.emargements_label)}</label>
            <input id="emargements" type="text" inputmode="numeric" pattern="[0-9 ]*"
                autocomplete="off" class="number"
                prop:value=move || emargements.get()
                on:input=move |ev| emargements.set(event_target_value(&ev))/>
            <label for="enveloppes">{tr(|t| t.count.enveloppes_label)}</label>
            <input id="enveloppes" type="text" inputmode="numeric" pattern="[0-9 ]*"
                autocomplete="off" class="number"
                prop:value=move || enveloppes.get()
                on:input=move |ev| enveloppes.set(event_target_value(&ev))/>
            <Show when=move || gap().is_some()>
                <label for="gap-explanation">
                    {move || (i18n.t().count.gap_label)(gap().unwrap_or(0))}
                </label>
                <textarea id="gap-explanation" rows="3" aria-describedby="gap-hint"
                    prop:value=move || explanation.get()
                    on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
                <p id="gap-hint" class="hint">{tr(|t| t.count.gap_hint)}</p>
            </Show>
            <button type="submit" class="primary">{tr(|t| t.count.polls_submit)}</button>
        </form>
    }
}

#[component]
fn BetweenPackets(
    counter: StoredValue<Counter>,
    rev: RwSignal<u64>,
    apply: impl Fn(TallyEvent) -> bool + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<Problem>>,
    just_closed: RwSignal<Option<u32>>,
    show_totals: RwSignal<bool>,
    candidates: StoredValue<Vec<Candidate>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing_polls = RwSignal::new(false);
    let snapshot = move || {
        rev.track();
        counter.with_value(|c| {
            let totals = c.log.totals();
            let polls = c.log.polls().cloned();
            let last_table = c.log.packets().last().map(|p| p.table.clone());
            let opened: u64 = c.log.packets().iter().map(|p| u64::from(p.envelopes)).sum();
            let next = c.log.packets().len() as u32 + 1;
            (totals, polls, last_table, opened, next)
        })
    };
    let (_, polls0, last_table, opened, _) = snapshot();
    let remainder = polls0
        .as_ref()
        .map(|p| u64::from(p.enveloppes).saturating_sub(opened))
        .unwrap_or(0);
    let default_envelopes = if remainder == 0 {
        PACKET_SIZE
    } else {
        remainder.min(u64::from(PACKET_SIZE)) as u32
    };
    let table = RwSignal::new(last_table.unwrap_or_else(|| "Table 1".to_owned()));
    let envelopes = RwSignal::new(default_envelopes.to_string());

    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(n) = parse_count(&envelopes.get_untracked()) else {
            problem.set(Some(Problem::BadNumber));
            return;
        };
        if apply(TallyEvent::OpenPacket {
            table: table.get_untracked().trim().to_owned(),
            envelopes: n,
        }) {
            just_closed.set(None);
        }
    };

    let closed_panel = move || {
        let number = just_closed.get()?;
        let (fp, counts) = counter.with_value(|c| {
            let p = c.log.packets().get(number as usize - 1)?;
            p.closed.then(|| (c.log.fingerprint(p), p.counts()))
        })?;
        // The packet's counts too: a recorder on a paper sheet compares these.
        let rows = {
            let t = i18n.t();
            let mut rows: Vec<(String, u32)> = candidates
                .get_value()
                .into_iter()
                .map(|c| (c.name, counts.voix.get(&c.id).copied().unwrap_or(0)))
                .collect();
            rows.push((t.count.blanc.to_owned(), counts.blancs));
            rows.push((t.count.nul.to_owned(), counts.nuls));
            rows
        };
        let confirming = RwSignal::new(false);
        Some(view! {
            <section class="card success" aria-labelledby="closed-title">
                <h2 id="closed-title">{move || (i18n.t().count.closed_title)(number)}</h2>
                <p class="hint">{tr(|t| t.count.fingerprint_intro)}</p>
                <p class="fingerprint" aria-label=tr(|t| t.count.fingerprint_label)>{fp}</p>
                <table class="results packet-counts">
                    <caption class="hint">{tr(|t| t.count.packet_counts)}</caption>
                    <tbody>
                        {rows.into_iter().map(|(name, n)| view! {
                            <tr><th scope="row">{name}</th><td class="num">{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <div class="row stack">
                            <button type="button" class="primary" on:click=move |_| just_closed.set(None)>
                                {tr(|t| t.count.sheets_agree)}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                                {tr(|t| t.count.sheets_differ)}
                            </button>
                        </div>
                    }
                >
                    <p role="alert">{tr(|t| t.count.recount_confirm)}</p>
                    <div class="row stack">
                        <button type="button" class="primary" on:click=move |_| {
                            if apply(TallyEvent::RecountPacket) {
                                just_closed.set(None);
                            }
                        }>{tr(|t| t.count.recount_yes)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                            {tr(|t| t.count.cancel)}
                        </button>
                    </div>
                </Show>
            </section>
        })
    };

    view! {
        {closed_panel}
        <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">{tr(|t| t.count.polls_title)}</h2>
            {move || {
                let (totals, polls, ..) = snapshot();
                let t = i18n.t();
                polls.map(|p| {
                    let counted = i18n::count(t, totals.envelopes_closed);
                    let found = i18n::count(t, u64::from(p.enveloppes));
                    view! {
                        <p>{(t.count.polls_summary)(p.emargements, p.enveloppes)}</p>
                        <p>
                            {t.count.envelopes_counted} " : "
                            <strong>{(t.count.counted_of_found)(&counted, &found)}</strong>
                        </p>
                        <progress class="coverage-bar" max=p.enveloppes.max(1)
                            value=totals.envelopes_closed.min(u64::from(p.enveloppes))
                            aria-label=t.count.envelopes_counted></progress>
                    }
                })
            }}
            <div class="row">
                <button type="button" class="secondary" on:click=move |_| show_totals.set(true)>
                    {tr(|t| t.count.show_totals)}
                </button>
                <button type="button" class="secondary" on:click=move |_| editing_polls.update(|v| *v = !*v)>
                    {tr(|t| t.count.polls_edit)}
                </button>
            </div>
        </section>
        <Show when=move || editing_polls.get()>
            {move || {
                let current = snapshot().1.map(|p| (p.emargements, p.enveloppes, p.explanation));
                view! {
                    <PollsForm apply problem current
                        on_done=Callback::new(move |_| editing_polls.set(false))/>
                }
            }}
        </Show>
        // Each packet is checked before the next is opened (DOMAIN.md, step 5).
        <Show when=move || just_closed.get().is_none()>
        <form class="card" on:submit=open aria-labelledby="open-title">
            <h2 id="open-title">{tr(|t| t.count.open_title)}</h2>
            <label for="table-name">{tr(|t| t.count.table_label)}</label>
            <input id="table-name" type="text" autocomplete="off" maxlength="40"
                aria-describedby="table-hint"
                prop:value=move || table.get()
                on:input=move |ev| table.set(event_target_value(&ev))/>
            <p id="table-hint" class="hint">{tr(|t| t.count.table_hint)}</p>
            <label for="packet-envelopes">{tr(|t| t.count.envelopes_label)}</label>
            <input id="packet-envelopes" type="text" inputmode="numeric" pattern="[0-9]*"
                autocomplete="off" class="number" aria-describedby="envelopes-hint"
                prop:value=move || envelopes.get()
                on:input=move |ev| envelopes.set(event_target_value(&ev))/>
            <p id="envelopes-hint" class="hint">{tr(|t| t.count.envelopes_hint)}</p>
            <button type="submit" class="primary">
                {move || (i18n.t().count.open_submit)(snapshot().4)}
            </button>
        </form>
        </Show>
    }
}

/// The label a mark is shown with.
fn mark_label(t: &i18n::Texts, candidates: &[Candidate], m: &Mark) -> String {
    match m {
        Mark::Candidate(id) => candidates
            .iter()
            .find(|c| &c.id == id)
            .map_or_else(|| id.clone(), |c| c.name.clone()),
        Mark::Blanc => t.count.blanc.to_owned(),
        Mark::Nul { reason, .. } => format!("{} ({})", t.count.nul, (t.count.nul_reason)(*reason)),
    }
}

fn vibrate() {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().vibrate_with_duration(15);
    }
}

#[component]
fn PacketScreen(
    counter: StoredValue<Counter>,
    rev: RwSignal<u64>,
    problem: RwSignal<Option<Problem>>,
    apply: impl Fn(TallyEvent) -> bool + Copy + Send + Sync + 'static,
    candidates: StoredValue<Vec<Candidate>>,
    just_closed: RwSignal<Option<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nul_open = RwSignal::new(false);
    let packet = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| {
            c.log.open_packet().map(|p| {
                let last: Vec<Mark> = p.marks.iter().rev().take(LAST_MARKS).cloned().collect();
                (
                    p.number,
                    p.table.clone(),
                    p.envelopes,
                    p.marks.len() as u32,
                    p.recounts,
                    last,
                )
            })
        })
    });
    let counts = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| c.log.open_packet().map(|p| p.counts()).unwrap_or_default())
    });
    let tap = move |m: Mark| {
        if apply(TallyEvent::Mark(m)) {
            vibrate();
        }
    };
    let close = move |_| {
        let number = packet.get_untracked().map(|p| p.0);
        if apply(TallyEvent::ClosePacket) {
            just_closed.set(number);
        }
    };
    let count_of = move |m: Mark| move || counts.with(|c: &PacketCounts| c.of(&m));

    let buttons = candidates
        .get_value()
        .into_iter()
        .map(|c| {
            let id = c.id.clone();
            let count = count_of(Mark::Candidate(c.id.clone()));
            view! {
                <button type="button" class="tap" on:click=move |_| tap(Mark::Candidate(id.clone()))>
                    <span class="tap-name">{c.name.clone()}</span>
                    <span class="tap-count" aria-hidden="true">{count}</span>
                </button>
            }
        })
        .collect_view();

    view! {
        <section aria-labelledby="packet-title" class="packet">
            <h2 id="packet-title">
                {move || packet.get().map(|p| (i18n.t().count.packet_heading)(p.0, &p.1))}
            </h2>
            {move || packet.get().filter(|p| p.4 > 0).map(|p| view! {
                <p class="badge">{(i18n.t().count.recount_badge)(p.4)}</p>
            })}
            <p class="progress" role="status" aria-live="polite">
                <span class="visually-hidden">{tr(|t| t.count.progress_label)} " "</span>
                <strong>{move || packet.get().map(|p| p.3)}</strong>
                " / "
                {move || packet.get().map(|p| p.2)}
            </p>
            <progress class="coverage-bar" aria-label=tr(|t| t.count.progress_label)
                max=move || packet.get().map_or(1, |p| p.2)
                value=move || packet.get().map_or(0, |p| p.3)></progress>
            <div class="taps">
                {buttons}
                <button type="button" class="tap blanc" on:click=move |_| tap(Mark::Blanc)>
                    <span class="tap-name">{tr(|t| t.count.blanc)}</span>
                    <span class="tap-count" aria-hidden="true">{count_of(Mark::Blanc)}</span>
                </button>
                <button type="button" class="tap nul" aria-haspopup="dialog"
                    on:click=move |_| nul_open.set(true)>
                    <span class="tap-name">{tr(|t| t.count.nul)}</span>
                    <span class="tap-count" aria-hidden="true">{count_of(Mark::nul(NulReason::Other))}</span>
                </button>
            </div>
            <Show when=move || nul_open.get()>
                <NulDialog nul_open tap/>
            </Show>
            <div class="row">
                <button type="button" class="secondary" on:click=move |_| { apply(TallyEvent::Undo); }>
                    {tr(|t| t.count.undo)}
                </button>
                <button type="button" class="primary" on:click=close>
                    {tr(|t| t.count.close_packet)}
                </button>
            </div>
            <ProblemNote problem/>
            <h3 id="last-marks-title">{tr(|t| t.count.last_marks)}</h3>
            {move || {
                let t = i18n.t();
                let last = packet.get().map(|p| p.5).unwrap_or_default();
                if last.is_empty() {
                    view! { <p class="hint">{t.count.no_marks}</p> }.into_any()
                } else {
                    let cands = candidates.get_value();
                    view! {
                        <ol class="last-marks" aria-labelledby="last-marks-title">
                            {last.iter().map(|m| view! { <li>{mark_label(t, &cands, m)}</li> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn NulDialog(
    nul_open: RwSignal<bool>,
    tap: impl Fn(Mark) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(None::<NulReason>);
    let note = RwSignal::new(String::new());
    // The dialog opens below the buttons: bring it into view and put the
    // focus on its question, for the thumb and for a screen reader.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(f) = form.get() {
            f.scroll_into_view_with_bool(false);
            let _ = f.focus();
        }
    });
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(r) = reason.get_untracked() else {
            return;
        };
        tap(Mark::Nul {
            reason: r,
            note: note.get_untracked().trim().to_owned(),
        });
        nul_open.set(false);
    };
    view! {
        <form class="card dialog" role="dialog" aria-modal="false" aria-labelledby="nul-title"
            tabindex="-1" node_ref=form on:submit=confirm>
            <fieldset>
                <legend id="nul-title">{tr(|t| t.count.nul_title)}</legend>
                {NulReason::ALL.into_iter().map(|r| view! {
                    <label class="choice">
                        <input type="radio" name="nul-reason"
                            prop:checked=move || reason.get() == Some(r)
                            on:change=move |_| reason.set(Some(r))/>
                        {move || (i18n.t().count.nul_reason)(r)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="nul-note">{tr(|t| t.count.nul_note_label)}</label>
            <input id="nul-note" type="text" autocomplete="off"
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))/>
            <div class="row">
                <button type="submit" class="primary" disabled=move || reason.get().is_none()>
                    {tr(|t| t.count.nul_confirm)}
                </button>
                <button type="button" class="secondary" on:click=move |_| nul_open.set(false)>
                    {tr(|t| t.count.cancel)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Totals(
    counter: StoredValue<Counter>,
    rev: RwSignal<u64>,
    candidates: StoredValue<Vec<Candidate>>,
    show_totals: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = move || {
        rev.track();
        counter.with_value(|c| (c.log.totals(), c.log.tables(), c.log.polls().cloned()))
    };
    let table_of = move |title: String, t: CountTotals, found: Option<u32>| {
        let tx = i18n.t();
        let cands = candidates.get_value();
        let rows = cands
            .iter()
            .map(|c| {
                let n = t.voix.get(&c.id).copied().unwrap_or(0);
                view! { <tr><th scope="row">{c.name.clone()}</th><td class="num">{i18n::count(tx, n)}</td></tr> }
            })
            .collect_view();
        let counted = i18n::count(tx, t.envelopes_closed);
        // Against the envelopes found, below the table: a long cell would
        // squeeze the candidates' names.
        let of_found = found.map(|f| {
            let line = (tx.count.counted_of_found)(&counted, &i18n::count(tx, u64::from(f)));
            view! { <p>{tx.count.envelopes_counted} " : " <strong>{line}</strong></p> }
        });
        view! {
            <section class="card">
                <h2>{title}</h2>
                <table class="results">
                    <tbody>
                        {rows}
                        <tr><th scope="row">{tx.count.blanc}</th><td class="num">{i18n::count(tx, t.blancs)}</td></tr>
                        <tr><th scope="row">{tx.count.nul}</th><td class="num">{i18n::count(tx, t.nuls)}</td></tr>
                        <tr><th scope="row">{tx.count.packets_closed}</th><td class="num">{format!("{} / {}", t.packets_closed, t.packets)}</td></tr>
                        <tr><th scope="row">{tx.count.envelopes_counted}</th><td class="num">{counted.clone()}</td></tr>
                    </tbody>
                </table>
                {of_found}
            </section>
        }
    };
    view! {
        <button type="button" class="secondary" on:click=move |_| show_totals.set(false)>
            {tr(|t| t.count.back_to_count)}
        </button>
        {move || {
            let (all, tables, polls) = data();
            let tx = i18n.t();
            let done = polls.as_ref().is_some_and(|p| all.envelopes_closed == u64::from(p.enveloppes));
            view! {
                {table_of(tx.count.totals_title.to_owned(), all, polls.map(|p| p.enveloppes))}
                {done.then(|| view! { <p class="card success">{tx.count.all_counted}</p> })}
                <h2 class="section">{tx.count.per_table}</h2>
                {tables.into_iter().map(|(name, t)| table_of(name, t, None)).collect_view()}
            }
        }}
    }
}

/// Asks for a screen wake lock (`navigator.wakeLock.request("screen")`)
/// where the browser has one; a refusal changes nothing else.
fn request_wake_lock(slot: StoredValue<Option<JsValue>, LocalStorage>) {
    let Some(w) = web_sys::window() else { return };
    let nav: JsValue = w.navigator().into();
    let Ok(lock) = js_sys::Reflect::get(&nav, &"wakeLock".into()) else {
        return;
    };
    if lock.is_undefined() {
        return;
    }
    let Ok(request) = js_sys::Reflect::get(&lock, &"request".into()) else {
        return;
    };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Ok(promise) = request.call1(&lock, &"screen".into())
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        leptos::task::spawn_local(async move {
            if let Ok(sentinel) = wasm_bindgen_futures::JsFuture::from(promise).await {
                slot.set_value(Some(sentinel));
            }
        });
    }
}

fn release_wake_lock(slot: StoredValue<Option<JsValue>, LocalStorage>) {
    let Some(sentinel) = slot.try_update_value(Option::take).flatten() else {
        return;
    };
    if let Ok(release) = js_sys::Reflect::get(&sentinel, &"release".into())
        && let Ok(release) = release.dyn_into::<js_sys::Function>()
    {
        let _ = release.call0(&sentinel);
    }
}
