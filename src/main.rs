//! Entry point of the bureau app: opens the phone's storage (IndexedDB,
//! read whole before any screen shows), then mounts [`pointage::app::App`]
//! (in place of the home page's copy that a phone keeping nothing shows
//! meanwhile: `index.html`); the service worker (`public/sw.js`) lets it
//! start with no network, and keeps the QR decoder on an enrolled phone.
//! Nothing else belongs here.

fn main() {
    pointage::worker::boot(async {
        pointage::storage::init().await;
        // An enrolled phone reads table sheets, offline too.
        if pointage::session::device().is_some() {
            pointage::worker::keep_scanner();
        }
        pointage::app::mount();
    });
}
