//! The two pages strangers' phones open cold, each an app of its own (its
//! own Trunk build of this library, holding only that page's code):
//! `/resultats` (`results.html`, `results_main.rs`) for everyone watching
//! the night, and `/deposer` (`public.html`, `public_main.rs`) for a helper
//! handing a bureau's return over. The server answers those two paths with
//! their page and every other client path with the bureau app (`app.rs`),
//! so each phone downloads only the code of the page it opens: the results
//! carry no storage and no hand-over, the deposit page no results.

use crate::i18n::I18n;
use leptos::prelude::*;

/// Mounts one public page, in the language saved on this device (French
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
