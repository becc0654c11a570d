//! The root component: provides the language to every screen and shows the
//! current page. Routing comes when there is a second screen.
//!
//! It never reads storage itself: `storage` does.

use crate::i18n::I18n;
use crate::pages::home::HomePage;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::from_storage();
    provide_context(i18n);
    // Keep <html lang> true to the language shown, for screen readers and
    // the browser's spell checking and hyphenation.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.lang().code());
        }
    });
    view! { <HomePage/> }
}
