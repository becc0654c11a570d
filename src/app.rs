//! The root component of the bureau app: provides the language to every
//! screen and shows the page of the address: `/enroler`, `/journee`,
//! `/compter`, `/pv`, `/tables`, `/photos`,
//! or the bureau home. `/resultats` and `/deposer` are the public pages'
//! (`public_app.rs`, each its own build), `/rejoindre` and `/table` a table
//! phone's (`table_main.rs`): the server answers each with its app.
//! Screens link to each other with plain links (the server answers every
//! client path with one app or the other), which keeps the bundle free of a
//! router.
//!
//! It never reads storage itself: `storage` does.

use crate::i18n::I18n;
use crate::pages::count::CountPage;
use crate::pages::day::DayPage;
use crate::pages::enroll::EnrollPage;
use crate::pages::home::HomePage;
use crate::pages::photos::PhotosPage;
use crate::pages::pv::PvPage;
use crate::pages::tables::TablesPage;
use leptos::prelude::*;

/// Mounts [`App`] in place of the home page's cold copy (`index.html`'s
/// `#cold`, which a phone keeping nothing shows while this code downloads):
/// the flag first (the copy is never put in after this), then the copy
/// taken out and the app put in within one task, so the phone draws one
/// screen, never both, and nothing moves (the copy is the app's drawing).
pub fn mount() {
    let _ = js_sys::Reflect::set(&window(), &"pointageStarted".into(), &true.into());
    while let Ok(Some(cold)) = document().query_selector("[data-cold]") {
        cold.remove();
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::from_storage();
    provide_context(i18n);
    // The outbox sends signed returns by itself, whatever screen is shown.
    crate::sync::start();
    // Keep <html lang> true to the language shown, for screen readers and
    // the browser's spell checking and hyphenation.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.lang().code());
        }
    });
    let path = window().location().pathname().unwrap_or_default();
    match path.trim_end_matches('/') {
        "/enroler" => view! { <EnrollPage/> }.into_any(),
        "/compter" => view! { <CountPage/> }.into_any(),
        "/journee" => view! { <DayPage/> }.into_any(),
        "/pv" => view! { <PvPage/> }.into_any(),
        "/tables" => view! { <TablesPage/> }.into_any(),
        "/photos" => view! { <PhotosPage/> }.into_any(),
        _ => view! { <HomePage/> }.into_any(),
    }
}
