//! Entry point of a table phone's app (`table.html`, built into
//! `dist/table-phone/`): `/rejoindre` and `/table`, which a scrutateur's
//! phone opens from the bureau's invitation. It opens the phone's storage
//! with the journal, as the bureau app does (its count is kept through it),
//! without moving an older version's stores (a bureau phone's), and
//! registers the same service worker, which then keeps this app alone
//! (`public/sw.js`), so that the table counts with no network. Nothing else
//! belongs here.

fn main() {
    pointage::worker::boot(async {
        pointage::storage::init_table().await;
        pointage::public_app::mount(pointage::pages::table::TablePhone);
    });
}
