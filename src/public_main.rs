//! Entry point of the deposit app (`public.html`, built into `dist/public/`):
//! `/deposer`, which helpers' phones open cold. It opens the database only
//! for the page's scanned parts (no journal, no move of an older store:
//! those are the bureau app's), and registers the same service worker as
//! the bureau app, which then keeps this app alone (`public/sw.js`) so that
//! a helper out of coverage can still read a bureau's QR codes. The page
//! is written without Leptos (`pages/deposit.rs`), so this build links no
//! framework. Nothing else belongs here.

fn main() {
    pointage::worker::boot(async {
        pointage::storage::init_public().await;
        pointage::pages::deposit::start();
    });
}
