//! The root component of the public app (`public.html`, built on its own):
//! `/resultats` and `/deposer`. The server answers those two paths with this
//! app and every other client path with the bureau app (`app.rs`), so each
//! phone downloads only the code of the pages it opens.

use crate::i18n::I18n;
use crate::pages::deposit::DepositPage;
use crate::pages::results::ResultsPage;
use leptos::prelude::*;

#[component]
pub fn PublicApp() -> impl IntoView {
    let i18n = I18n::from_storage();
    provide_context(i18n);
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.lang().code());
        }
    });
    let path = window().location().pathname().unwrap_or_default();
    match path.trim_end_matches('/') {
        "/deposer" => view! { <DepositPage/> }.into_any(),
        _ => view! { <ResultsPage/> }.into_any(),
    }
}
