//! A packet being counted: one button per candidate, Blanc and Nul (with its
//! reason), undo, the progress and the last marks; closing it.

use super::between::PollsCorrection;
use super::{Apply, CharsLeft, CountError, CountInput, CountMode, Counter, parse_count};
use super::{LAST_MARKS, ProblemNote};
use crate::i18n::{self, trk, use_i18n};
use leptos::prelude::*;
use pointage_core::TallyError;
use pointage_core::{Candidate, Mark, NulReason, PacketCounts, TallyEvent};
use pointage_device::tally::AppendError;
/// The label a mark is shown with.
fn mark_label(t: i18n::Sections, candidates: &[Candidate], m: &Mark) -> String {
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

/// The open packet as its screen shows it.
#[derive(Clone, Debug, PartialEq)]
struct OpenPacket {
    /// Its number at the bureau.
    number: u32,
    /// The table counting it (empty at a one-table bureau).
    table: String,
    envelopes: u32,
    /// Ballots marked so far.
    marked: u32,
    recounts: u32,
    /// The last marks, newest first.
    last: Vec<Mark>,
}

#[component]
pub(super) fn PacketScreen(
    counter: Counter,
    rev: Trigger,
    problem: RwSignal<Option<CountError>>,
    apply: Apply,
    candidates: StoredValue<Vec<Candidate>>,
    mode: CountMode,
) -> impl IntoView {
    let i18n = use_i18n();
    let nul_open = RwSignal::new(false);
    let packet = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| {
            c.log().open_packet().map(|p| {
                let last: Vec<Mark> = p.marks.iter().rev().take(LAST_MARKS).cloned().collect();
                OpenPacket {
                    number: p.bureau_number(),
                    table: p.table.clone(),
                    envelopes: p.envelopes,
                    marked: p.marks.len() as u32,
                    recounts: p.recounts,
                    last,
                }
            })
        })
    });
    let counts = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| {
            c.log()
                .open_packet()
                .map(|p| p.counts())
                .unwrap_or_default()
        })
    });
    // The mark the last undo took back, said until the next tap: undoing
    // one of two marks of the same name otherwise shows no change.
    let undone = RwSignal::new(None::<Mark>);
    let tap = move |m: Mark| {
        undone.set(None);
        apply.run(TallyEvent::Mark(m), vibrate);
    };
    let undo = move |_| {
        let last = packet.with_untracked(|p| p.as_ref().and_then(|p| p.last.first().cloned()));
        apply.run(TallyEvent::Undo, move || undone.set(last));
    };
    // Closed, it waits for its check (the screen between packets shows it).
    let close = move |_| apply.run(TallyEvent::ClosePacket, || ());
    let count_of = move |m: Mark| move || counts.with(|c: &PacketCounts| c.of(&m));

    let buttons = candidates
        .get_value()
        .into_iter()
        .map(|c| {
            let id = c.id.clone();
            let count = count_of(Mark::Candidate(c.id.clone()));
            view! {
                <button type="button" class="tap" disabled=move || nul_open.get()
                    on:click=move |_| tap(Mark::Candidate(id.clone()))>
                    <span class="tap-name">{c.name.clone()}</span>
                    <span class="tap-count" aria-hidden="true">{count}</span>
                </button>
            }
        })
        .collect_view();

    view! {
        <section aria-labelledby="packet-title" class="packet">
            <h2 id="packet-title">
                {move || packet.get().map(|p| {
                    let t = i18n.s();
                    // A table phone's packet has the band's number, no table.
                    if p.table.is_empty() {
                        (t.tables.packet)(p.number)
                    } else {
                        (t.count.packet_heading)(p.number, &p.table)
                    }
                })}
            </h2>
            {move || packet.get().filter(|p| p.recounts > 0).map(|p| view! {
                <p class="badge">{(i18n.count().recount_badge)(p.recounts)}</p>
            })}
            <p class="progress" role="status" aria-live="polite">
                <span class="visually-hidden">{trk(|t| t.progress_label)} " "</span>
                <strong>{move || packet.get().map(|p| p.marked)}</strong>
                " / "
                {move || packet.get().map(|p| p.envelopes)}
            </p>
            <progress class="coverage-bar" aria-label=trk(|t| t.progress_label)
                max=move || packet.get().map_or(1, |p| p.envelopes)
                value=move || packet.get().map_or(0, |p| p.marked)></progress>
            <div class="taps">
                {buttons}
                <button type="button" class="tap blanc" disabled=move || nul_open.get()
                    on:click=move |_| tap(Mark::Blanc)>
                    <span class="tap-name">{trk(|t| t.blanc)}</span>
                    <span class="tap-count" aria-hidden="true">{count_of(Mark::Blanc)}</span>
                </button>
                <button type="button" class="tap nul" aria-haspopup="dialog"
                    disabled=move || nul_open.get()
                    on:click=move |_| {
                        undone.set(None);
                        nul_open.set(true);
                    }>
                    <span class="tap-name">{trk(|t| t.nul)}</span>
                    <span class="tap-count" aria-hidden="true">{count_of(Mark::nul(NulReason::Other))}</span>
                </button>
            </div>
            <Show when=move || nul_open.get()>
                <NulDialog nul_open apply problem/>
            </Show>
            // Under the grid, the undo alone: closing the packet is further
            // down, away from the thumb that taps.
            <button type="button" class="secondary wide undo" disabled=move || nul_open.get()
                on:click=undo>
                {trk(|t| t.undo)}
            </button>
            <p class="hint" aria-live="polite">
                {move || undone.get().map(|m| {
                    let t = i18n.s();
                    (t.count.undone)(&mark_label(t, &candidates.get_value(), &m))
                })}
            </p>
            <Show when=move || !nul_open.get()>
                <ProblemNote problem/>
            </Show>
            <h3 id="last-marks-title">{trk(|t| t.last_marks)}</h3>
            {move || {
                let t = i18n.s();
                let last = packet.get().map(|p| p.last).unwrap_or_default();
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
            <div class="packet-actions">
                <button type="button" class="primary next-step" disabled=move || nul_open.get() on:click=close>
                    {trk(|t| t.close_packet)}
                </button>
            </div>
            <FixPacket counter rev apply problem mode/>
        </section>
    }
}

#[component]
pub(super) fn NulDialog(
    nul_open: RwSignal<bool>,
    apply: Apply,
    problem: RwSignal<Option<CountError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(None::<NulReason>);
    let note = RwSignal::new(String::new());
    let note_input = NodeRef::<leptos::html::Input>::new();
    // Core refused the nul for want of a précision: said in the dialog,
    // by the box to fill, which gets the focus.
    let needs_note = move || {
        problem.with(|p| {
            matches!(
                p,
                Some(CountError::Append(AppendError::Refused(
                    TallyError::NulNeedsNote
                )))
            )
        })
    };
    Effect::new(move |_| {
        if needs_note()
            && let Some(input) = note_input.get_untracked()
        {
            let _ = input.focus();
        }
    });
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
        let nul = Mark::Nul {
            reason: r,
            note: note.get_untracked().trim().to_owned(),
        };
        // Closed only once the nul is counted: refused (another reason
        // needs its note), the dialog stays with the choice made, and the
        // refusal is said.
        apply.run(TallyEvent::Mark(nul), move || {
            vibrate();
            nul_open.set(false);
            // Back to the count: the progress in view, where it was.
            if let Some(top) = document().get_element_by_id("packet-title") {
                top.scroll_into_view();
            }
        });
    };
    view! {
        <form class="card dialog" role="dialog" aria-modal="false" aria-labelledby="nul-title"
            tabindex="-1" node_ref=form on:submit=confirm>
            <fieldset>
                <legend id="nul-title">{trk(|t| t.nul_title)}</legend>
                {NulReason::ALL.into_iter().map(|r| view! {
                    <label class="choice">
                        <input type="radio" name="nul-reason"
                            prop:checked=move || reason.get() == Some(r)
                            on:change=move |_| reason.set(Some(r))/>
                        {move || (i18n.count().nul_reason)(r)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="nul-note">{trk(|t| t.nul_note_label)}</label>
            <input id="nul-note" type="text" autocomplete="off"
                node_ref=note_input
                maxlength=pointage_core::tally::TEXT_MAX
                aria-invalid=move || needs_note().then_some("true")
                aria-describedby=move || needs_note().then_some("nul-problem")
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))/>
            <CharsLeft value=note/>
            // Any refusal of this nul is said here, where the eye is.
            <div id="nul-problem">
                <ProblemNote problem/>
            </div>
            <div class="row">
                <button type="submit" class="primary" disabled=move || reason.get().is_none()>
                    {trk(|t| t.nul_confirm)}
                </button>
                <button type="button" class="secondary" on:click=move |_| {
                    problem.set(None);
                    nul_open.set(false);
                }>
                    {trk(|t| t.cancel)}
                </button>
            </div>
        </form>
    }
}

/// The way out of a packet opened with the wrong number of envelopes: its
/// count corrected (its marks stay), or the packet set aside (its envelopes
/// go back to be counted), each with why; and the close of polls corrected.
#[component]
fn FixPacket(
    counter: Counter,
    rev: Trigger,
    apply: Apply,
    problem: RwSignal<Option<CountError>>,
    mode: CountMode,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let editing_polls = RwSignal::new(false);
    let envelopes = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let current = move || {
        rev.track();
        counter.with_value(|c| {
            let p = c.log().open_packet().map(|p| p.envelopes);
            let polls = c
                .log()
                .polls()
                .map(|p| (p.emargements, p.enveloppes, p.explanation.clone()));
            (p, polls)
        })
    };
    let toggle = move |_| {
        envelopes.set(current().0.map(|n| n.to_string()).unwrap_or_default());
        open.update(|o| *o = !*o);
    };
    let resize = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(n) = parse_count(&envelopes.get_untracked()) else {
            problem.set(Some(CountError::BadNumber));
            return;
        };
        let event = TallyEvent::ResizePacket {
            envelopes: n,
            reason: reason.get_untracked().trim().to_owned(),
        };
        apply.run(event, move || {
            open.set(false);
            reason.set(String::new());
        });
    };
    let set_aside = move |_| {
        let event = TallyEvent::SetAsidePacket {
            reason: reason.get_untracked().trim().to_owned(),
        };
        apply.run(event, move || reason.set(String::new()));
    };
    // Out of the tapping zone, below the packet's close, and lighter than
    // it: what is rarely needed.
    view! {
        <div class="fixes">
            <p class="hint">{trk(|t| t.fixes_title)}</p>
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                on:click=toggle>{trk(|t| t.fix_packet)}</button>
            <button type="button" class="link" aria-expanded=move || editing_polls.get().to_string()
                on:click=move |_| editing_polls.update(|v| *v = !*v)>{trk(|t| t.polls_edit)}</button>
        </div>
        <Show when=move || open.get()>
            <form class="card" on:submit=resize aria-labelledby="fix-title">
                <h3 id="fix-title">{trk(|t| t.fix_packet)}</h3>
                <p class="hint">{trk(|t| t.fix_packet_intro)}</p>
                <label for="fix-envelopes">{trk(|t| t.resize_label)}</label>
                <CountInput id="fix-envelopes" value=envelopes pattern="[0-9]*"/>
                <label for="fix-reason">{trk(|t| t.fix_reason_label)}</label>
                <textarea id="fix-reason" rows="2" maxlength=pointage_core::tally::TEXT_MAX
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <CharsLeft value=reason/>
                <div class="row stack">
                    <button type="submit" class="primary">{trk(|t| t.resize_submit)}</button>
                    <button type="button" class="secondary" aria-describedby="set-aside-hint"
                        on:click=set_aside>{trk(|t| t.set_aside_submit)}</button>
                </div>
                <p id="set-aside-hint" class="hint">{trk(|t| t.set_aside_hint)}</p>
            </form>
        </Show>
        <PollsCorrection counter rev apply problem editing=editing_polls mode/>
    }
}
