//! The deposit page (`/deposer`, `public.html`, `public_main.rs`), which a
//! helper's phone opens cold to hand a bureau's return over: an app of its
//! own (its own Trunk build of this library, holding only that page's
//! code). The server answers `/deposer` with its page, `/resultats` with
//! the results page it writes itself, and every other client path with the
//! bureau app (`app.rs`), so each phone downloads only what it opens. A
//! table phone's app (`table_main.rs`) is mounted here too.

use crate::i18n::I18n;
use leptos::prelude::*;

/// Mounts a page app of its own (the deposit page; a table phone's app), in the language saved on this device (French
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
