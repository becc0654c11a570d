//! The service worker (`public/sw.js`), from the apps: each app's start
//! ([`boot`]), and what the bureau app asks of it beyond keeping the app
//! (the update is the update banner's).

use wasm_bindgen::JsCast;

/// What every app's entry point does: panics said in the console, the
/// service worker registered (not awaited: the app runs the same whether or
/// not it succeeds, and starts with no network once it is), then `start`
/// (opening the storage, mounting the app) on this tab.
pub fn boot(start: impl std::future::Future<Output = ()> + 'static) {
    console_error_panic_hook::set_once();
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().service_worker().register("/sw.js");
    }
    wasm_bindgen_futures::spawn_local(start);
}

/// Asks the worker to keep the QR decoder for offline use: only a bureau's
/// phone reads table sheets, so the decoder is not part of any phone's
/// first load, and is fetched once the phone is enrolled (at each start of
/// an enrolled phone: the worker does nothing when it has it already).
pub fn keep_scanner() {
    let Some(ready) = web_sys::window().and_then(|w| w.navigator().service_worker().ready().ok())
    else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let registration = wasm_bindgen_futures::JsFuture::from(ready).await;
        let active = registration
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok())
            .and_then(|r| r.active());
        if let Some(worker) = active {
            let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("keep-scanner"));
        }
    });
}
