//! The bar at the top of every screen: the app's name, the links between
//! screens, and the language switch. The bureau app's also shows the
//! outbox, a waiting update and what went wrong at start; a table phone's
//! ([`TableTopBar`]) has none of those but the start's problems, and does
//! not link the bureau app's screens. (The deposit page draws its own,
//! without Leptos: `pages/deposit.rs`.)

use crate::components::lang_switch::LangSwitch;
use crate::components::startup_notice::StartupNotice;
use crate::components::sync_badge::SyncBadge;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::trc;
use leptos::prelude::*;

#[component]
fn Nav() -> impl IntoView {
    view! {
        // The name and the languages share the first row; the links have
        // the second to themselves, on one line from 320 px.
        <a class="brand" href="/">{trc(|c| c.app_name)}</a>
        <LangSwitch/>
        <nav aria-label=trc(|c| c.app_name)>
            <a href="/">{trc(|c| c.nav_home)}</a>
            <a href="/compter">{trc(|c| c.nav_count)}</a>
            <a href="/pv">{trc(|c| c.nav_pv)}</a>
            // In the language chosen here: the server writes the page in
            // the one its address names.
            <a href=trc(|c| c.results_href)>{trc(|c| c.nav_results)}</a>
        </nav>
    }
}

#[component]
pub fn TopBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <Nav/>
            <SyncBadge/>
            <UpdateBanner/>
            <StartupNotice/>
        </header>
    }
}

/// A table phone's (a scrutateur's own phone) is no bureau's: its table,
/// the results, and what went wrong at start (it keeps a count); no outbox
/// (its sheet goes to the bureau's phone by QR) and no link into the bureau
/// app.
#[component]
pub fn TableTopBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <span class="brand">{trc(|c| c.app_name)}</span>
            <LangSwitch/>
            <nav aria-label=trc(|c| c.app_name)>
                <a href="/table">{crate::i18n::trt(|t| t.go_table)}</a>
                <a href=trc(|c| c.results_href)>{trc(|c| c.nav_results)}</a>
            </nav>
            <StartupNotice/>
        </header>
    }
}
