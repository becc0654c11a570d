//! Entry point of a table phone's app (`table.html`, built into
//! `dist/table-phone/`): `/rejoindre` and `/table`, which a scrutateur's
//! phone opens from the bureau's invitation. It opens the phone's storage
//! as the bureau app does (its count is kept through the journal), and
//! registers the same service worker, which then keeps this app alone
//! (`public/sw.js`), so that the table counts with no network. Nothing else
//! belongs here.

fn main() {
    console_error_panic_hook::set_once();
    if let Some(w) = web_sys::window() {
        // Not awaited: the app runs the same whether or not it succeeds.
        let _ = w.navigator().service_worker().register("/sw.js");
    }
    wasm_bindgen_futures::spawn_local(async {
        pointage::storage::init().await;
        pointage::public_app::mount(pointage::pages::table::TablePhone);
    });
}
