//! The bureau home page: tells the volunteer which election and bureau this
//! phone counts for, or that it is not enrolled yet, so that nobody starts
//! counting on the wrong device.
//!
//! It never writes the enrollment: enrolling is a screen of its own.

use crate::components::not_enrolled::NotEnrolled;
use crate::components::topbar::TopBar;
use crate::i18n::{tr, use_i18n};
use crate::session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let enrollment = session::enrollment();
    let status = match enrollment {
        Some(e) => view! {
            <section class="card" aria-labelledby="enrolled-title">
                <h2 id="enrolled-title" class="visually-hidden">{tr(|t| t.bureau)}</h2>
                <dl class="assignment">
                    <dt>{tr(|t| t.election)}</dt>
                    <dd>
                        <span class="election-name">{e.election_name.clone()}</span>
                        <span class="round">{move || (i18n.t().round)(e.round)}</span>
                    </dd>
                    <dt>{tr(|t| t.bureau)}</dt>
                    <dd>
                        <span class="bureau-code">{e.bureau_code.clone()}</span>
                        <span class="bureau-name">{e.bureau_name.clone()}</span>
                    </dd>
                </dl>
                <p class="note">{
                    let code = e.bureau_code.clone();
                    move || (i18n.t().enrolled_note)(&code)
                }</p>
                <a class="button" href="/compter">{tr(|t| t.count.home_link)}</a>
                <a class="button" href="/pv">{tr(|t| t.pv.home_link)}</a>
            </section>
        }
        .into_any(),
        None => view! { <NotEnrolled/> }.into_any(),
    };
    view! {
        <TopBar/>
        <main aria-labelledby="home-title">
            <h1 id="home-title">{tr(|t| t.home_title)}</h1>
            {status}
        </main>
    }
}
