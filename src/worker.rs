//! What the bureau app asks of its service worker (`public/sw.js`) beyond
//! keeping the app: the update is the update banner's.

use wasm_bindgen::JsCast;

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
