//! What a screen that needs an enrolled phone shows on a phone that is not:
//! why, and the way to enroll it.

use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn NotEnrolled() -> impl IntoView {
    view! {
        <section class="card notice" aria-labelledby="not-enrolled-title">
            <h2 id="not-enrolled-title">{tr(|t| t.not_enrolled_title)}</h2>
            <p>{tr(|t| t.not_enrolled_body)}</p>
            <a class="button" href="/enroler">{tr(|t| t.enroll_link)}</a>
        </section>
        <section class="card" aria-labelledby="join-table-title">
            <h2 id="join-table-title">{tr(|t| t.tables.title)}</h2>
            <p>{tr(|t| t.tables.not_enrolled_join)}</p>
            {if crate::session::tables::seat().is_some() {
                view! { <a class="button primary" href="/table">{tr(|t| t.tables.go_table)}</a> }.into_any()
            } else {
                view! { <a class="button" href="/rejoindre">{tr(|t| t.tables.go_join)}</a> }.into_any()
            }}
        </section>
    }
}
