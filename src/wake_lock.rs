//! The screen wake lock, called by name: web-sys has it only behind its
//! unstable-API flag. A screen says when it wants the screen kept awake
//! ([`while_true`]); the requests and releases are made here.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Asks for a screen wake lock (`navigator.wakeLock.request("screen")`)
/// where the browser has one; a refusal changes nothing else.
fn request_wake_lock(slot: StoredValue<Option<JsValue>, LocalStorage>) {
    let Some(w) = web_sys::window() else { return };
    let nav: JsValue = w.navigator().into();
    let Ok(lock) = js_sys::Reflect::get(&nav, &"wakeLock".into()) else {
        return;
    };
    if lock.is_undefined() {
        return;
    }
    let Ok(request) = js_sys::Reflect::get(&lock, &"request".into()) else {
        return;
    };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Ok(promise) = request.call1(&lock, &"screen".into())
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        leptos::task::spawn_local(async move {
            if let Ok(sentinel) = wasm_bindgen_futures::JsFuture::from(promise).await {
                slot.set_value(Some(sentinel));
            }
        });
    }
}

fn release_wake_lock(slot: StoredValue<Option<JsValue>, LocalStorage>) {
    let Some(sentinel) = slot.try_update_value(Option::take).flatten() else {
        return;
    };
    if let Ok(release) = js_sys::Reflect::get(&sentinel, &"release".into())
        && let Ok(release) = release.dyn_into::<js_sys::Function>()
    {
        let _ = release.call0(&sentinel);
    }
}

/// Keeps the screen awake while `on` holds (a packet open), where the
/// browser can.
pub fn while_true(on: Signal<bool>) {
    let slot = StoredValue::new_local(None::<JsValue>);
    Effect::new(move |_| {
        if on.get() {
            request_wake_lock(slot);
        } else {
            release_wake_lock(slot);
        }
    });
}
