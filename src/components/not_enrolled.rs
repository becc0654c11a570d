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
    }
}
