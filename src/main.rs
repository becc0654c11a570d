//! Entry point of the bureau app: opens the phone's storage (IndexedDB,
//! read whole before any screen shows), then mounts [`pointage::app::App`]
//! and registers the service worker (`public/sw.js`) that lets it start with
//! no network, which it asks to keep the QR decoder on an enrolled phone.
//! Nothing else belongs here.

fn main() {
    console_error_panic_hook::set_once();
    if let Some(w) = web_sys::window() {
        // Not awaited: the app runs the same whether or not it succeeds.
        let _ = w.navigator().service_worker().register("/sw.js");
    }
    wasm_bindgen_futures::spawn_local(async {
        pointage::storage::init().await;
        // An enrolled phone reads table sheets, offline too.
        if pointage::session::device().is_some() {
            pointage::worker::keep_scanner();
        }
        leptos::mount::mount_to_body(pointage::app::App);
    });
}
