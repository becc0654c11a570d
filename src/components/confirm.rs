//! A question put before an action that cannot be undone (delete an entry,
//! start the PV again, sign): first the button that asks, then the question
//! with "yes" and "cancel". One component, so that the three look and read
//! alike, and the bundle holds their code once.

use crate::i18n::trc;
use leptos::prelude::*;

#[component]
pub fn Confirm(
    /// The element id of the question, for the dialog's label.
    #[prop(into)]
    id: String,
    /// What the asking button says.
    #[prop(into)]
    ask: Signal<String>,
    /// The asking button's classes.
    ask_class: &'static str,
    /// The question, in the language in force.
    #[prop(into)]
    question: Signal<&'static str>,
    /// What its "yes" says.
    #[prop(into)]
    yes: Signal<&'static str>,
    /// Done when "yes" is tapped; the question closes first.
    on_yes: Callback<()>,
    /// Checked when the asking button is tapped: the question is put only
    /// if it answers true (it says itself why not).
    #[prop(optional)]
    may_ask: Option<Callback<(), bool>>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    // The asking button of the screen's next step: "yes" is, once asked.
    let yes_class = if ask_class.contains("next-step") {
        "primary next-step"
    } else {
        "primary"
    };
    let id = StoredValue::new(id);
    let open = move |_| {
        if may_ask.is_none_or(|c| c.run(())) {
            asking.set(true);
        }
    };
    view! {
        <Show when=move || asking.get()
            fallback=move || view! {
                <button type="button" class=ask_class on:click=open>
                    {move || ask.get()}
                </button>
            }>
            <div class="card notice" role="alertdialog" aria-labelledby=id.get_value()>
                <p id=id.get_value()>{move || question.get()}</p>
                <div class="row">
                    <button type="button" class=yes_class on:click=move |_| {
                        asking.set(false);
                        on_yes.run(());
                    }>{move || yes.get()}</button>
                    <button type="button" class="secondary" on:click=move |_| asking.set(false)>
                        {trc(|c| c.cancel)}
                    </button>
                </div>
            </div>
        </Show>
    }
}
