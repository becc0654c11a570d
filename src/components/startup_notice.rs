//! Says, on every screen, what went wrong when the phone's storage was
//! opened: IndexedDB unavailable, the previous version's values not moved
//! (storage full) or damaged, the old key not moved into WebCrypto, the
//! database written back from the journal. Nothing
//! is dropped in any of these cases; the person must know before counting.

use crate::i18n::use_i18n;
use crate::session::{self, Startup};
use leptos::prelude::*;

#[component]
pub fn StartupNotice() -> impl IntoView {
    let i18n = use_i18n();
    let problem = session::startup_problem();
    move || {
        let t = i18n.startup();
        problem.as_ref().map(|p| {
            let text = match p {
                Startup::Unavailable(_) => t.unavailable,
                Startup::MigrationNotWritten(pointage_device::WriteError::Full) => t.not_moved_full,
                Startup::MigrationNotWritten(_) => t.not_moved,
                Startup::MigrationDamaged(_) => t.damaged,
                Startup::KeyNotMoved => t.key_not_moved,
                Startup::Restored { key_lost: false } => t.restored,
                Startup::Restored { key_lost: true } => t.restored_key_lost,
            };
            view! { <p class="card notice error" role="alert">{text}</p> }
        })
    }
}
