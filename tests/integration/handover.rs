//! Browser tests of the hand-over by QR codes: the size of the codes a
//! bureau's return makes, and the scanned parts kept in IndexedDB on the
//! phone that reads them.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::components::qr;
use pointage::storage::handover::{self as scanned, Delivered};
use pointage::storage::{self, idb::IdbStore};
use pointage_core::handover::split;
use wasm_bindgen_test::*;

fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

#[wasm_bindgen_test]
fn a_return_of_1500_bytes_is_three_codes_of_version_19_at_most() {
    // A long server address: the part's characters are what grows a code.
    let address = "https://pointage.primaire-citoyenne-2027.example.fr/deposer#";
    let parts = split(&sample(1500));
    assert_eq!(parts.len(), 3);
    for p in &parts {
        let (side, path) = qr::code(address, p).expect("a QR code");
        // Version 19 is 93 modules a side, plus 4 of quiet zone each side.
        assert!(side <= 93 + 8, "{side} modules a side");
        assert!(path.starts_with('M'));
    }
}

#[wasm_bindgen_test]
async fn scanned_parts_add_up_once_in_indexeddb_and_a_delivery_forgets_them() {
    storage::init().await;
    let s = storage::store().expect("IndexedDB opens");
    storage::clear().await.unwrap();
    let bytes = sample(1200);
    let parts = split(&bytes);
    scanned::add(&*s, &parts[0]).await.unwrap();
    scanned::add(&*s, &parts[0]).await.unwrap();
    assert_eq!(scanned::parts(&*s).len(), 1);
    let got = scanned::collected(&*s);
    assert_eq!(got[0].missing, vec![2, 3]);

    // Another return's part is kept beside it.
    let other = split(b"another return");
    scanned::add(&*s, &other[0]).await.unwrap();
    for p in &parts[1..] {
        scanned::add(&*s, p).await.unwrap();
    }
    let done = scanned::collected(&*s)
        .into_iter()
        .find(|c| c.bytes == Some(Ok(bytes.clone())))
        .expect("the first return, whole");
    scanned::deliver(
        &*s,
        Delivered {
            checkpoint: None,
            photos: None,
            digest: done.digest.clone(),
            bureau: "B1".into(),
            version: 1,
            code: "AAAAA-AAAAA".into(),
            sequence: 7,
        },
    )
    .await
    .unwrap();
    // What a new start of the page reads from the database.
    let again = IdbStore::open().await.unwrap();
    assert_eq!(scanned::parts(&again), vec![other[0].clone()]);
    assert_eq!(scanned::delivered(&again)[0].sequence, 7);
    storage::clear().await.unwrap();
}
