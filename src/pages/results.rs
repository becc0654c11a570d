//! `/resultats`: the totals the server computed from signed returns, never
//! without how many bureaux they cover (DOMAIN.md, 2017), and where each
//! bureau stands, refreshed every 30 s while shown. Every figure comes from
//! the server's answer, itself computed by core; this screen only lays it
//! out.

use crate::api::{self, ApiFailure};
use crate::components::topbar::PublicTopBar;
use crate::i18n::{count, percent, trc, trp, use_i18n};
use leptos::prelude::*;
use pointage_core::Mode;
use pointage_core::wire::{BureauCounts, BureauState, BureauStatus, ResultsResponse};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = Action::new_local(|_: &()| api::results());
    load.dispatch(());
    // The central team watches returns arrive: the page refreshes itself
    // every 30 s while it is shown (the server answers from its cache).
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let hidden = document().hidden();
            if !hidden && !load.pending().get_untracked() {
                load.dispatch(());
            }
        },
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    // Kept across refreshes: the list of bureaux keeps its filter.
    let filter = RwSignal::new(None::<BureauState>);
    let search = RwSignal::new(String::new());
    view! {
        <PublicTopBar/>
        <main aria-labelledby="results-title">
            <h1 id="results-title">{trp(|t| t.results_title)}</h1>
            // The figures first, above the fold of a small phone; what
            // they are computed from, and the refresh, after them.
            {move || match load.value().get() {
                None => view! { <p aria-live="polite">{trp(|t| t.results_loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let text = move || match f {
                        ApiFailure::Network => i18n.c().no_network.to_owned(),
                        ApiFailure::Refused(c) => (i18n.c().api_error)(c),
                    };
                    view! { <p class="error" role="alert">{text}</p> }.into_any()
                }
                Some(Ok(r)) => view! { <Results r/> }.into_any(),
            }}
            // Once the figures (or why they are missing) are there: drawn
            // below the loading line, this would be pushed down a screen
            // when they arrive, under the reader's eyes.
            <Show when=move || load.value().with(Option::is_some)>
                <p class="note">{trp(|t| t.results_intro)}</p>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || load.pending().get()
                    on:click=move |_| {
                        load.dispatch(());
                    }
                >
                    {trp(|t| t.results_refresh)}
                </button>
            </Show>
            {move || load.value().get().and_then(Result::ok).map(|r| view! {
                <BureauList counts=r.bureaux filter search/>
            })}
        </main>
    }
}

#[component]
fn Results(r: ResultsResponse) -> impl IntoView {
    let i18n = use_i18n();
    let res = r.results.clone();
    let cov = res.coverage;
    let coverage_text = move || {
        let t = i18n.c();
        (i18n.p().coverage)(cov.reporting, cov.total, &percent(t, cov.basis_points()))
    };
    let candidates = res.candidates.clone();
    let turnout = res.turnout.clone();
    let totals = [
        (0u8, res.exprimes),
        (1, res.blancs),
        (2, res.nuls),
        (3, res.emargements),
    ];
    let round = r.round;
    // The record these totals are recomputed from, for anyone to check.
    let record = format!("/api/v1/record?election={}", res.election_id);
    view! {
        <section class="card" aria-labelledby="totals-title">
            <h2 id="totals-title">
                {r.election_name.clone()}
                <span class="round">" · " {move || (i18n.c().round)(round)}</span>
            </h2>
            {(r.mode == Mode::Test).then(|| view! { <p class="badge">{trc(|c| c.test_election)}</p> })}
            <p class="coverage">
                <strong>{trp(|t| t.results_covering)} " " {coverage_text}</strong>
            </p>
            // A native progress bar: no inline style, which the server's
            // Content-Security-Policy forbids.
            <progress
                class="coverage-bar"
                max=cov.total
                value=cov.reporting
                aria-valuetext=coverage_text
                aria-label=coverage_text
            ></progress>
            <table class="results">
                <caption class="visually-hidden">{coverage_text}</caption>
                <thead>
                    <tr>
                        <th scope="col">{trp(|t| t.candidate)}</th>
                        <th scope="col" class="num">{trp(|t| t.votes)}</th>
                        <th scope="col" class="num">{trp(|t| t.percent_of_exprimes)}</th>
                    </tr>
                </thead>
                <tbody>
                    {candidates
                        .into_iter()
                        .map(|c| {
                            let votes = c.votes;
                            let bp = c.percent_of_exprimes_bp;
                            view! {
                                <tr>
                                    <th scope="row">{c.name.clone()}</th>
                                    <td class="num">{move || count(i18n.c(), votes)}</td>
                                    <td class="num">
                                        {move || bp.map(|bp| percent(i18n.c(), bp)).unwrap_or_else(|| "—".into())}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <dl class="totals">
                {totals
                    .into_iter()
                    .map(|(k, n)| {
                        let label = move || {
                            let (t, p) = (i18n.c(), i18n.p());
                            match k {
                                0 => p.exprimes,
                                1 => t.blancs,
                                2 => t.nuls,
                                _ => p.votants,
                            }
                        };
                        view! {
                            <dt>{label}</dt>
                            <dd>{move || count(i18n.c(), n)}</dd>
                        }
                    })
                    .collect_view()}
                <dt>{trp(|t| t.turnout)}</dt>
                <dd>
                    {move || match &turnout {
                        Some(t) => {
                            let tx = i18n.c();
                            format!(
                                "{} {}",
                                t.basis_points.map(|bp| percent(tx, bp)).unwrap_or_default(),
                                (i18n.p().turnout_over)(t.coverage.reporting),
                            )
                        }
                        None => i18n.p().turnout_unknown.to_owned(),
                    }}
                </dd>
            </dl>
            <p class="hint">
                {trp(|t| t.results_check)} " "
                <a href=record download="registre.jsonl">{trp(|t| t.results_record)}</a>
            </p>
        </section>
    }
}

/// How many bureaux are in each state, and the bureaux themselves a page at a
/// time, filtered by state or by a text: a national election has 70,000.
#[component]
fn BureauList(
    counts: BureauCounts,
    filter: RwSignal<Option<BureauState>>,
    search: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The bureaux shown so far, and how many match in all.
    let shown = RwSignal::new(Vec::<BureauStatus>::new());
    let matching = RwSignal::new(0u32);
    let failure = RwSignal::new(None::<ApiFailure>);
    let load = Action::new_local(move |more: &bool| {
        let more = *more;
        let offset = if more {
            shown.with_untracked(Vec::len) as u32
        } else {
            0
        };
        let (state, q) = (filter.get_untracked(), search.get_untracked());
        async move {
            match api::bureaux(state, &q, offset).await {
                Ok(page) => {
                    failure.set(None);
                    matching.set(page.matching);
                    if more {
                        shown.update(|v| v.extend(page.bureaux));
                    } else {
                        shown.set(page.bureaux);
                    }
                }
                Err(f) => failure.set(Some(f)),
            }
        }
    });
    load.dispatch(false);
    let state_name = move |s: BureauState| {
        let p = i18n.p();
        match s {
            BureauState::Received => p.state_received,
            BureauState::Enrolled => p.state_enrolled,
            BureauState::NotEnrolled => p.state_not_enrolled,
        }
    };
    let choices = [
        (
            None,
            counts.received + counts.enrolled + counts.not_enrolled,
        ),
        (Some(BureauState::Received), counts.received),
        (Some(BureauState::Enrolled), counts.enrolled),
        (Some(BureauState::NotEnrolled), counts.not_enrolled),
    ];
    view! {
        <section class="card" aria-labelledby="bureaux-title">
            <h2 id="bureaux-title">{trp(|t| t.bureaux_title)}</h2>
            <fieldset class="filters">
                <legend>{trp(|t| t.bureaux_filter)}</legend>
                {choices.into_iter().map(|(s, n)| view! {
                    <label class="choice">
                        <input type="radio" name="bureau-state"
                            prop:checked=move || filter.get() == s
                            on:change=move |_| {
                                filter.set(s);
                                load.dispatch(false);
                            }/>
                        {move || format!("{} ({})", s.map_or(i18n.p().bureaux_all, state_name), count(i18n.c(), u64::from(n)))}
                    </label>
                }).collect_view()}
            </fieldset>
            <form role="search" on:submit=move |ev| {
                ev.prevent_default();
                load.dispatch(false);
            }>
                <label for="bureau-search">{trp(|t| t.bureaux_search)}</label>
                <input id="bureau-search" type="search" autocomplete="off"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
            </form>
            <p aria-live="polite">
                {move || (i18n.p().bureaux_shown)(shown.with(Vec::len) as u32, matching.get())}
            </p>
            {move || failure.get().map(|f| view! {
                <p class="error" role="alert">
                    {move || match f {
                        ApiFailure::Network => i18n.c().no_network.to_owned(),
                        ApiFailure::Refused(c) => (i18n.c().api_error)(c),
                    }}
                </p>
            })}
            <ul class="bureaux">
                // Redrawn whole when a page arrives (50 rows): simpler and
                // smaller in the bundle than a keyed list.
                {move || {
                    let t = i18n.c();
                    shown.with(|list| {
                        list.iter()
                            .map(|b| {
                                let s = state_name(b.state);
                                let state = match (b.version, &b.human_code) {
                                    (Some(v), Some(code)) => format!("{s} — {}", (t.received_version)(v, code)),
                                    _ => s.to_owned(),
                                };
                                let class = match b.state {
                                    BureauState::Received => "received",
                                    BureauState::Enrolled => "enrolled",
                                    BureauState::NotEnrolled => "not-enrolled",
                                };
                                view! {
                                    <li class=class>
                                        <span class="bureau-code">{b.code.clone()}</span>
                                        " "
                                        <span>{b.name.clone()}</span>
                                        <span class="state">{state}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ul>
            <Show when=move || (shown.with(Vec::len) as u32) < matching.get()>
                <button type="button" class="secondary" disabled=move || load.pending().get()
                    on:click=move |_| { load.dispatch(true); }>
                    {trp(|t| t.bureaux_more)}
                </button>
            </Show>
        </section>
    }
}
