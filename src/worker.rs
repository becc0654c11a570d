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

/// Whether this phone keeps the table app, to start with no network:
/// waits (up to `tries` times a third of a second) for the service
/// worker's cache of the table app's page, which it keeps once every file
/// the page names is kept (`public/sw.js`). `false`: not kept (no service
/// worker, private browsing, storage refused), and the phone will need a
/// network to open the table app.
pub async fn table_app_kept(tries: u32) -> bool {
    use wasm_bindgen_futures::JsFuture;
    let Some(w) = web_sys::window() else {
        return false;
    };
    // Not the worker's `ready`: where no worker can run, it never settles.
    let Ok(caches) = w.caches() else {
        return false;
    };
    for _ in 0..tries {
        if let Ok(cache) = JsFuture::from(caches.open("pointage-table")).await {
            let cache: web_sys::Cache = cache.unchecked_into();
            if JsFuture::from(cache.match_with_str("/table"))
                .await
                .is_ok_and(|r| !r.is_undefined())
            {
                return true;
            }
        }
        pause(&w, 330).await;
    }
    false
}

/// Waits `ms` milliseconds.
async fn pause(w: &web_sys::Window, ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}
