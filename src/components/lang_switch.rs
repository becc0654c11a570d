//! The language switch: one button per language, each named in its own
//! language so that a volunteer who cannot read the current one still finds
//! theirs. The button of the language in force is marked pressed.

use crate::i18n::{Lang, trc, use_i18n};
use leptos::prelude::*;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let (failed, set_failed) = signal(false);
    view! {
        <div class="lang-switch" role="group" aria-label=trc(|c| c.language)>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.code()
                            aria-pressed=move || (i18n.lang() == lang).to_string()
                            on:click=move |_| set_failed.set(i18n.choose(lang).is_err())
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <Show when=move || failed.get()>
            <p class="error" role="alert">{trc(|c| c.storage_failed)}</p>
        </Show>
    }
}
