//! Entry point of the results app (`results.html`, built into
//! `dist/results/`): `/resultats`, which everyone watching election night
//! opens cold. It reads nothing from the phone but the language chosen,
//! and registers no service worker: the figures come from the server or
//! not at all. Nothing else belongs here.

fn main() {
    console_error_panic_hook::set_once();
    pointage::public_app::mount(pointage::pages::results::ResultsPage);
}
