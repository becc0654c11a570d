//! Browser tests of the hand-over by QR codes: the size of the codes a
//! bureau's return makes, and the scanned parts kept in localStorage on the
//! phone that reads them.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::components::qr;
use pointage::storage::handover::{self as scanned, Delivered};
use pointage_core::handover::split;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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

fn clear() {
    let s = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    s.remove_item("pointage.handover").unwrap();
    s.remove_item("pointage.handover.delivered").unwrap();
}

#[wasm_bindgen_test]
fn scanned_parts_add_up_once_and_a_delivery_forgets_them() {
    clear();
    let bytes = sample(1200);
    let parts = split(&bytes);
    scanned::add(&parts[0]).unwrap();
    scanned::add(&parts[0]).unwrap();
    assert_eq!(scanned::parts().len(), 1);
    let got = scanned::collected();
    assert_eq!(got[0].missing, vec![2, 3]);

    // Another return's part is kept beside it.
    let other = split(b"another return");
    scanned::add(&other[0]).unwrap();
    for p in &parts[1..] {
        scanned::add(p).unwrap();
    }
    let done = scanned::collected()
        .into_iter()
        .find(|c| c.bytes == Some(Ok(bytes.clone())))
        .expect("the first return, whole");
    scanned::deliver(Delivered {
        digest: done.digest.clone(),
        bureau: "B1".into(),
        version: 1,
        code: "AAAAA-AAAAA".into(),
        sequence: 7,
    });
    // Only the other return's part is left, and the delivery is noted.
    assert_eq!(scanned::parts(), vec![other[0].clone()]);
    assert_eq!(scanned::delivered()[0].sequence, 7);
    clear();
}
