//! The bar at the top of every screen: the app's name, the links between
//! screens, and the language switch.

use crate::components::lang_switch::LangSwitch;
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/">{move || i18n.t().app_name}</a>
            <nav aria-label=move || i18n.t().app_name>
                <a href="/">{move || i18n.t().nav_home}</a>
                <a href="/compter">{move || i18n.t().count.nav}</a>
                <a href="/resultats">{move || i18n.t().nav_results}</a>
            </nav>
            <LangSwitch/>
        </header>
    }
}
