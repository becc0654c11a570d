//! Between packets: the close of polls (and its correction), the progress
//! of the count, the fingerprint of the packet just closed, opening the next.

use super::{
    Apply, CharsLeft, CountError, CountInput, CountMode, Counter, count_rows, parse_count,
};
use crate::i18n::{trk, trt, use_i18n};
use leptos::prelude::*;
use pointage_core::{Candidate, PACKET_SIZE, TallyEvent};
#[component]
pub(super) fn PollsForm(
    apply: Apply,
    problem: RwSignal<Option<CountError>>,
    current: Option<(u32, u32, String)>,
    mode: CountMode,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let table = mode == CountMode::Table;
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
        // A table phone counts the envelopes handed to its table: no
        // émargements of its own (its log takes them as both).
        let typed_e = if table {
            enveloppes.get_untracked()
        } else {
            emargements.get_untracked()
        };
        let (Some(e), Some(v)) = (
            parse_count(&typed_e),
            parse_count(&enveloppes.get_untracked()),
        ) else {
            problem.set(Some(CountError::BadNumber));
            return;
        };
        let explanation = if e == v {
            String::new()
        } else {
            explanation.get_untracked().trim().to_owned()
        };
        let event = TallyEvent::ClosePolls {
            emargements: e,
            enveloppes: v,
            explanation,
        };
        apply.run(event, move || {
            if let Some(done) = on_done {
                done.run(());
            }
        });
    };
    if table {
        return view! {
            <form class="card" on:submit=submit aria-labelledby="polls-title">
                <h2 id="polls-title">{trt(|t| t.handed_title)}</h2>
                <p class="hint">{trt(|t| t.handed_intro)}</p>
                <label for="enveloppes">{trt(|t| t.handed_label)}</label>
                <CountInput id="enveloppes" value=enveloppes pattern="[0-9 ]*"/>
                <button type="submit" class="primary next-step">{trt(|t| t.handed_submit)}</button>
            </form>
        }
        .into_any();
    }
    view! {
        <form class="card" on:submit=submit aria-labelledby="polls-title">
            <h2 id="polls-title">{trk(|t| t.polls_title)}</h2>
            <p class="hint">{trk(|t| t.polls_intro)}</p>
            <label for="emargements">{trk(|t| t.emargements_label)}</label>
            <CountInput id="emargements" value=emargements pattern="[0-9 ]*"/>
            <label for="enveloppes">{trk(|t| t.enveloppes_label)}</label>
            <CountInput id="enveloppes" value=enveloppes pattern="[0-9 ]*"/>
            <Show when=move || gap().is_some()>
                <label for="gap-explanation">
                    {move || (i18n.count().gap_label)(gap().unwrap_or(0))}
                </label>
                <textarea id="gap-explanation" rows="3" aria-describedby="gap-hint"
                    maxlength=pointage_core::tally::TEXT_MAX
                    prop:value=move || explanation.get()
                    on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
                <CharsLeft value=explanation/>
                <p id="gap-hint" class="hint">{trk(|t| t.gap_hint)}</p>
            </Show>
            <button type="submit" class="primary next-step">{trk(|t| t.polls_submit)}</button>
        </form>
    }
    .into_any()
}

/// The close of polls corrected, at any time (between packets or with one
/// open): its form, while `editing`, from the figures last declared.
#[component]
pub(super) fn PollsCorrection(
    counter: Counter,
    rev: Trigger,
    apply: Apply,
    problem: RwSignal<Option<CountError>>,
    editing: RwSignal<bool>,
    mode: CountMode,
) -> impl IntoView {
    let current = move || {
        rev.track();
        counter.with_value(|c| {
            c.log()
                .polls()
                .map(|p| (p.emargements, p.enveloppes, p.explanation.clone()))
        })
    };
    view! {
        <Show when=move || editing.get()>
            {move || view! {
                <PollsForm apply problem current=current() mode
                    on_done=Callback::new(move |_| editing.set(false))/>
            }}
        </Show>
    }
}

#[component]
pub(super) fn BetweenPackets(
    counter: Counter,
    rev: Trigger,
    apply: Apply,
    problem: RwSignal<Option<CountError>>,
    show_totals: RwSignal<bool>,
    candidates: StoredValue<Vec<Candidate>>,
    mode: CountMode,
) -> impl IntoView {
    let i18n = use_i18n();
    let table_phone = mode == CountMode::Table;
    let editing_polls = RwSignal::new(false);
    let snapshot = move || {
        rev.track();
        counter.with_value(|c| {
            let totals = c.log().totals();
            let polls = c.log().polls().cloned();
            let last_table = c.log().packets().last().map(|p| p.table.clone());
            let next = c.log().packets().len() as u32 + 1;
            let left = c.log().envelopes_left().unwrap_or(0);
            (totals, polls, last_table, next, left, c.log().all_counted())
        })
    };
    // Offered: core's next packet size (a full packet, or what is left).
    let (default_envelopes, last_table) = counter.with_value(|c| {
        let last_table = c.log().packets().last().map(|p| p.table.clone());
        (c.log().next_packet_size(), last_table)
    });
    let table = RwSignal::new(last_table.unwrap_or_else(|| "Table 1".to_owned()));
    // A one-table bureau is not asked for its table: the field opens from
    // a link, and stays open once packets name several tables.
    let several_tables = counter.with_value(|c| {
        let mut names = c.log().packets().iter().map(|p| p.table.as_str());
        names.next().is_some_and(|first| names.any(|n| n != first))
    });
    let name_table = RwSignal::new(several_tables);
    let envelopes = RwSignal::new(default_envelopes.to_string());
    // A table phone's packet is the one whose band bears this number: the
    // next after the last, to start from.
    let next_band = counter.with_value(|c| {
        c.log()
            .packets()
            .iter()
            .filter_map(|p| p.band)
            .max()
            .map_or(String::new(), |b| (b + 1).to_string())
    });
    let band = RwSignal::new(next_band);
    let recount_band = RwSignal::new(String::new());

    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(n) = parse_count(&envelopes.get_untracked()) else {
            problem.set(Some(CountError::BadNumber));
            return;
        };
        let event = if table_phone {
            let Some(number) = parse_count(&band.get_untracked()) else {
                problem.set(Some(CountError::BadNumber));
                return;
            };
            TallyEvent::OpenNumberedPacket {
                number,
                envelopes: n,
            }
        } else {
            TallyEvent::OpenPacket {
                table: table.get_untracked().trim().to_owned(),
                envelopes: n,
            }
        };
        apply.run(event, || ());
    };
    let recount = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(number) = parse_count(&recount_band.get_untracked()) else {
            problem.set(Some(CountError::BadNumber));
            return;
        };
        apply.run(TallyEvent::RecountNumberedPacket { number }, move || {
            recount_band.set(String::new())
        });
    };
    // The last packet closed and not yet checked: in the log, so that a
    // reload shows its fingerprint and the two buttons again.
    let awaiting = Memo::new(move |_| {
        rev.track();
        counter.with_value(|c| c.log().awaiting_check().map(|p| p.number))
    });

    let closed_panel = move || {
        let place = awaiting.get()?;
        let (fp, counts, number) = counter.with_value(|c| {
            let p = c.log().packets().get(place as usize - 1)?;
            p.closed
                .then(|| (c.log().fingerprint(p), p.counts(), p.bureau_number()))
        })?;
        // The packet's counts too: a recorder on a paper sheet compares these.
        let rows = candidates.with_value(|cands| {
            count_rows(
                i18n.s(),
                cands,
                &|id| u64::from(counts.voix.get(id).copied().unwrap_or(0)),
                u64::from(counts.blancs),
                u64::from(counts.nuls),
            )
        });
        let confirming = RwSignal::new(false);
        Some(view! {
            <section class="card success" aria-labelledby="closed-title">
                <h2 id="closed-title">{move || (i18n.count().closed_title)(number)}</h2>
                {if table_phone {
                    // Two recorders at a table, each with a phone: the
                    // fingerprint read aloud is the check, the counts a help.
                    view! {
                        <p class="hint">{trk(|t| t.fingerprint_intro)}</p>
                        <p class="fingerprint" aria-label=trk(|t| t.fingerprint_label)>{fp}</p>
                        <table class="results packet-counts">
                            <caption class="hint">{trk(|t| t.packet_counts)}</caption>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                } else {
                    // One phone, and the other pointeur's paper sheet: the
                    // counts are the check; the fingerprint is for a second
                    // phone, if there is one.
                    view! {
                        <table class="results packet-counts counts-first">
                            <caption>{trk(|t| t.counts_against_paper)}</caption>
                            <tbody>{rows}</tbody>
                        </table>
                        <p class="hint">
                            {trk(|t| t.fingerprint_if_phone)} " "
                            <strong class="fingerprint-small" aria-label=trk(|t| t.fingerprint_label)>{fp}</strong>
                        </p>
                    }.into_any()
                }}
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <div class="row stack">
                            <button type="button" class="primary next-step"
                                on:click=move |_| apply.run(TallyEvent::ConfirmPacket, || ())>
                                {trk(|t| t.sheets_agree)}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                                {trk(|t| t.sheets_differ)}
                            </button>
                        </div>
                    }
                >
                    <p role="alert">{trk(|t| t.recount_confirm)}</p>
                    <div class="row stack">
                        <button type="button" class="primary" on:click=move |_| {
                            apply.run(TallyEvent::RecountPacket, || ());
                        }>{trk(|t| t.recount_yes)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                            {trk(|t| t.cancel)}
                        </button>
                    </div>
                </Show>
            </section>
        })
    };

    view! {
        {closed_panel}
        <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">
                {move || if table_phone { i18n.tables().handed_title } else { i18n.count().polls_title }}
            </h2>
            {move || {
                let (totals, polls, ..) = snapshot();
                let t = i18n.s();
                polls.map(|p| {
                    let counted = t.common.count(totals.envelopes_closed);
                    let found = t.common.count(u64::from(p.enveloppes));
                    let summary = if table_phone {
                        (t.tables.handed_summary)(&found)
                    } else {
                        (t.count.polls_summary)(
                            &t.common.count(p.emargements.into()),
                            &t.common.count(p.enveloppes.into()),
                        )
                    };
                    view! {
                        <p>{summary}</p>
                        <p>
                            {t.count.envelopes_counted} {t.colon}
                            <strong>{if table_phone {
                                (t.tables.counted_of_handed)(&counted, &found)
                            } else {
                                (t.count.counted_of_found)(&counted, &found)
                            }}</strong>
                        </p>
                        <progress class="coverage-bar" max=p.enveloppes.max(1)
                            value=totals.envelopes_closed.min(u64::from(p.enveloppes))
                            aria-label=t.count.envelopes_counted></progress>
                    }
                })
            }}
            <div class="row">
                <button type="button" class="secondary" on:click=move |_| show_totals.set(true)>
                    {trk(|t| t.show_totals)}
                </button>
                <button type="button" class="secondary" on:click=move |_| editing_polls.update(|v| *v = !*v)>
                    {move || if table_phone { i18n.tables().handed_edit } else { i18n.count().polls_edit }}
                </button>
            </div>
        </section>
        <PollsCorrection counter rev apply problem editing=editing_polls mode/>
        // Each packet is checked before the next is opened (DOMAIN.md, step 5).
        <Show when=move || awaiting.get().is_none() && snapshot().5>
            <section class="card success" aria-labelledby="all-counted-title">
                <h2 id="all-counted-title">{trk(|t| t.all_counted_title)}</h2>
                {if table_phone {
                    view! { <p>{trt(|t| t.all_counted_text)}</p> }.into_any()
                } else {
                    view! {
                        <p>{trk(|t| t.all_counted_text)}</p>
                        <a class="button primary next-step" href="/pv">{trk(|t| t.go_to_pv)}</a>
                    }
                    .into_any()
                }}
            </section>
        </Show>
        // A packet the bureau's gathering found differing between the
        // table's two sheets is counted again here.
        <Show when=move || table_phone && awaiting.get().is_none() && snapshot().0.packets != 0>
            <form class="card" on:submit=recount aria-labelledby="recount-title">
                <h2 id="recount-title">{trt(|t| t.recount_title)}</h2>
                <p class="hint" id="recount-hint">{trt(|t| t.recount_hint)}</p>
                <label for="recount-band">{trt(|t| t.band_label)}</label>
                <CountInput id="recount-band" value=recount_band pattern="[0-9]*" describedby="recount-hint"/>
                <button type="submit" class="secondary">{trt(|t| t.recount_submit)}</button>
            </form>
        </Show>
        <Show when=move || awaiting.get().is_none() && !snapshot().5>
        <form class="card" on:submit=open aria-labelledby="open-title">
            <h2 id="open-title">{trk(|t| t.open_title)}</h2>
            {if table_phone {
                view! {
                    <label for="packet-band">{trt(|t| t.band_label)}</label>
                    <CountInput id="packet-band" value=band pattern="[0-9]*" describedby="band-hint"/>
                    <p id="band-hint" class="hint">{trt(|t| t.band_hint)}</p>
                }
                .into_any()
            } else {
                view! {
                    <Show when=move || name_table.get() fallback=move || view! {
                        <p class="hint table-is">{move || (i18n.count().table_is)(&table.get())}</p>
                        <button type="button" class="link" on:click=move |_| name_table.set(true)>
                            {trk(|t| t.table_other)}
                        </button>
                    }>
                        <label for="table-name">{trk(|t| t.table_label)}</label>
                        <input id="table-name" type="text" autocomplete="off" maxlength="40"
                            aria-describedby="table-hint"
                            prop:value=move || table.get()
                            on:input=move |ev| table.set(event_target_value(&ev))/>
                        <p id="table-hint" class="hint">{trk(|t| t.table_hint)}</p>
                    </Show>
                }
                .into_any()
            }}
            <label for="packet-envelopes">{trk(|t| t.envelopes_label)}</label>
            <CountInput id="packet-envelopes" value=envelopes pattern="[0-9]*" describedby="envelopes-hint"/>
            <p id="envelopes-hint" class="hint">
                {move || (i18n.count().envelopes_left)(snapshot().4)}
                // "100, or the number on the last packet" only while more
                // than a full packet is left: below, the offer is what is left.
                {move || (snapshot().4 > PACKET_SIZE).then(|| format!(" {}", i18n.count().envelopes_hint))}
            </p>
            <button type="submit" class="primary next-step">
                {move || {
                    let t = i18n.s();
                    if table_phone {
                        match parse_count(&band.get()) {
                            Some(n) => (t.count.open_submit)(n),
                            None => t.count.open_title.to_owned(),
                        }
                    } else {
                        (t.count.open_submit)(snapshot().3)
                    }
                }}
            </button>
        </form>
        </Show>
    }
}
