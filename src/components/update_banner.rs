//! Tells the person a new version of the app is ready (the service worker,
//! `public/sw.js`, has fetched it whole) and installs it only when they tap:
//! a count or an entry in progress is never interrupted by an update.

use crate::i18n::tr;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    Some(web_sys::window()?.navigator().service_worker())
}

fn tell_worker(message: &str) {
    if let Some(worker) = container().and_then(|c| c.controller()) {
        let _ = worker.post_message(&wasm_bindgen::JsValue::from_str(message));
    }
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(false);
    if let Some(c) = container() {
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                match ev.data().as_string().as_deref() {
                    Some("update-ready") => ready.set(true),
                    // The new version is the one in use: start it.
                    Some("update-applied") => {
                        let _ = window().location().reload();
                    }
                    _ => {}
                }
            });
        let _ = c.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        // The bar lives as long as the page: so does its listener.
        on_message.forget();
        tell_worker("is-update-ready");
    }
    view! {
        <Show when=move || ready.get()>
            <div class="update" role="status">
                <p>{tr(|t| t.update_ready)}</p>
                <button type="button" class="secondary" on:click=move |_| tell_worker("apply-update")>
                    {tr(|t| t.update_apply)}
                </button>
            </div>
        </Show>
    }
}
