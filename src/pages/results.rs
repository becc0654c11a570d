//! `/resultats`: the totals the server computed from signed returns, never
//! without how many bureaux they cover (DOMAIN.md, 2017), and where each
//! bureau stands. Every figure comes from the server's answer, itself
//! computed by core; this screen only lays it out.

use crate::api::{self, ApiFailure};
use crate::components::topbar::TopBar;
use crate::i18n::{count, percent, tr, use_i18n};
use leptos::prelude::*;
use pointage_core::Mode;
use pointage_core::wire::{BureauState, ResultsResponse};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = Action::new_local(|_: &()| api::results());
    load.dispatch(());
    view! {
        <TopBar/>
        <main aria-labelledby="results-title">
            <h1 id="results-title">{tr(|t| t.results_title)}</h1>
            <p class="note">{tr(|t| t.results_intro)}</p>
            <button
                type="button"
                class="secondary"
                disabled=move || load.pending().get()
                on:click=move |_| {
                    load.dispatch(());
                }
            >
                {tr(|t| t.results_refresh)}
            </button>
            {move || match load.value().get() {
                None => view! { <p aria-live="polite">{tr(|t| t.results_loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let text = move || match f {
                        ApiFailure::Network => i18n.t().no_network.to_owned(),
                        ApiFailure::Refused(c) => (i18n.t().api_error)(c),
                    };
                    view! { <p class="error" role="alert">{text}</p> }.into_any()
                }
                Some(Ok(r)) => view! { <Results r=r/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Results(r: ResultsResponse) -> impl IntoView {
    let i18n = use_i18n();
    let res = r.results.clone();
    let cov = res.coverage;
    let coverage_text = move || {
        let t = i18n.t();
        (t.coverage)(cov.reporting, cov.total, &percent(t, cov.basis_points()))
    };
    let candidates = res.candidates.clone();
    let turnout = res.turnout.clone();
    let totals = [
        (0u8, res.exprimes),
        (1, res.blancs),
        (2, res.nuls),
        (3, res.emargements),
    ];
    let bureaux = r.bureaux.clone();
    let round = r.round;
    view! {
        <section class="card" aria-labelledby="totals-title">
            <h2 id="totals-title">
                {r.election_name.clone()}
                <span class="round">" · " {move || (i18n.t().round)(round)}</span>
            </h2>
            {(r.mode == Mode::Test).then(|| view! { <p class="badge">{tr(|t| t.test_election)}</p> })}
            <p class="coverage">
                <strong>{tr(|t| t.results_covering)} " " {coverage_text}</strong>
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
                        <th scope="col">{tr(|t| t.candidate)}</th>
                        <th scope="col" class="num">{tr(|t| t.votes)}</th>
                        <th scope="col" class="num">{tr(|t| t.percent_of_exprimes)}</th>
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
                                    <td class="num">{move || count(i18n.t(), votes)}</td>
                                    <td class="num">
                                        {move || bp.map(|bp| percent(i18n.t(), bp)).unwrap_or_else(|| "—".into())}
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
                            let t = i18n.t();
                            match k {
                                0 => t.exprimes,
                                1 => t.blancs,
                                2 => t.nuls,
                                _ => t.votants,
                            }
                        };
                        view! {
                            <dt>{label}</dt>
                            <dd>{move || count(i18n.t(), n)}</dd>
                        }
                    })
                    .collect_view()}
                <dt>{tr(|t| t.turnout)}</dt>
                <dd>
                    {move || match &turnout {
                        Some(t) => {
                            let tx = i18n.t();
                            format!(
                                "{} {}",
                                t.basis_points.map(|bp| percent(tx, bp)).unwrap_or_default(),
                                (tx.turnout_over)(t.coverage.reporting),
                            )
                        }
                        None => i18n.t().turnout_unknown.to_owned(),
                    }}
                </dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="bureaux-title">
            <h2 id="bureaux-title">{tr(|t| t.bureaux_title)}</h2>
            <ul class="bureaux">
                {bureaux
                    .into_iter()
                    .map(|b| {
                        let state = b.state;
                        let detail = b.version.zip(b.human_code.clone());
                        view! {
                            <li class=match state {
                                BureauState::Received => "received",
                                BureauState::Enrolled => "enrolled",
                                BureauState::NotEnrolled => "not-enrolled",
                            }>
                                <span class="bureau-code">{b.code.clone()}</span>
                                " "
                                <span>{b.name.clone()}</span>
                                <span class="state">
                                    {move || {
                                        let t = i18n.t();
                                        let s = match state {
                                            BureauState::Received => t.state_received,
                                            BureauState::Enrolled => t.state_enrolled,
                                            BureauState::NotEnrolled => t.state_not_enrolled,
                                        };
                                        match &detail {
                                            Some((v, code)) => format!("{s} — {}", (t.received_version)(*v, code)),
                                            None => s.to_owned(),
                                        }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
