//! The mount of a Leptos app of its own: a table phone's (`table_main.rs`,
//! `/rejoindre`, `/table`), its own Trunk build of this library holding
//! only its screens. The server answers `/deposer` with the deposit page
//! (`public_main.rs`, no framework: `pages/deposit.rs`), `/resultats` with
//! the results page it writes itself, the table phone's paths with this
//! app, and every other client path with the bureau app (`app.rs`), so
//! each phone downloads only what it opens.

use crate::i18n::I18n;
use leptos::prelude::*;

/// Mounts a page app of its own (a table phone's), in the language saved on this device (French
/// otherwise), with `<html lang>` following the choice.
pub fn mount<V: IntoView + 'static>(page: fn() -> V) {
    leptos::mount::mount_to_body(move || {
        let i18n = I18n::from_storage();
        provide_context(i18n);
        Effect::new(move |_| {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", i18n.lang().code());
            }
        });
        page()
    });
}
