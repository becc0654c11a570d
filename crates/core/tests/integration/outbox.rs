//! The outbox: order, receipts, retries with backoff and jitter.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::outbox::BASE_DELAY_MS;
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Outbox, OutboxError, Receipt, ReceiptBody, ReceiptError};

const SERVER_SECRET: [u8; 32] = [2; 32];

/// The server's receipt for the return `id`, signed with `secret`.
fn signed_receipt(id: &str, secret: &[u8; 32]) -> Receipt {
    let body = ReceiptBody {
        format: pointage_core::receipt::RECEIPT_FORMAT.into(),
        return_id: id.into(),
        election_hash: "0".repeat(64),
        bureau: "001".into(),
        version: 1,
        sequence: 1,
        received_at: 0,
        tree_size: Some(2),
        root_hash: Some("00".repeat(32)),
    };
    Receipt::seal(body, secret).unwrap()
}

fn receipt(id: &str) -> Receipt {
    signed_receipt(id, &SERVER_SECRET)
}

fn server_key() -> String {
    public_key_hex(&SERVER_SECRET)
}

#[test]
fn items_are_sent_in_order_and_leave_only_on_their_receipt() {
    let mut o = Outbox::new();
    o.enqueue("r1", 1);
    o.enqueue("r2", 2);
    o.enqueue("r1", 1); // already queued
    assert_eq!(o.pending().count(), 2);

    let first = o.next_to_send(0).unwrap();
    assert_eq!(first.id, "r1");
    assert_eq!(o.next_to_send(0), None, "one send at a time");
    assert_eq!(
        o.on_receipt(&receipt("r2"), &server_key()),
        Err(OutboxError::UnexpectedReceipt {
            expected: Some("r1".into()),
            got: "r2".into()
        })
    );
    assert_eq!(
        o.on_receipt(&receipt("r1"), &server_key()).unwrap().payload,
        1
    );
    assert_eq!(o.next_to_send(0).unwrap().id, "r2");
    o.on_receipt(&receipt("r2"), &server_key()).unwrap();
    assert_eq!(o.next_to_send(0), None);
    assert_eq!(o.pending().count(), 0);
}

#[test]
fn a_failure_waits_before_the_same_item_is_sent_again() {
    let mut o = Outbox::new();
    o.enqueue("r1", ());
    o.next_to_send(10_000).unwrap();
    let at = o.on_failure(10_000, 0);
    assert_eq!(at, 10_000 + BASE_DELAY_MS / 2);
    assert_eq!(o.retry_at(), Some(at));
    assert_eq!(o.next_to_send(at - 1), None);
    assert_eq!(o.next_to_send(at).unwrap().id, "r1");
    let again = o.on_failure(at, 1000);
    assert_eq!(again, at + 2 * BASE_DELAY_MS);
    // A late receipt still acknowledges it and clears the wait.
    o.on_receipt(&receipt("r1"), &server_key()).unwrap();
    assert_eq!(o.retry_at(), None);
}

#[test]
fn a_receipt_that_does_not_verify_leaves_the_item_in_the_outbox() {
    let mut o = Outbox::new();
    o.enqueue("r1", ());
    o.next_to_send(0).unwrap();
    let forged = signed_receipt("r1", &[9; 32]);
    assert_eq!(
        o.on_receipt(&forged, &server_key()),
        Err(OutboxError::InvalidReceipt(ReceiptError::BadSignature))
    );
    let mut edited = receipt("r0");
    edited.body.return_id = "r1".into();
    assert_eq!(
        o.on_receipt(&edited, &server_key()),
        Err(OutboxError::InvalidReceipt(ReceiptError::BadSignature))
    );
    assert_eq!(o.pending().count(), 1);
    o.on_receipt(&receipt("r1"), &server_key()).unwrap();
    assert_eq!(o.pending().count(), 0);
}

#[test]
fn the_outbox_survives_a_json_round_trip() {
    let mut o = Outbox::new();
    o.enqueue("r1", "payload".to_owned());
    o.next_to_send(0);
    o.on_failure(0, 500);
    let back: Outbox<String> = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    assert_eq!(back, o);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use pointage_core::outbox::{MAX_DELAY_MS, backoff_delay};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn backoff_grows_to_its_cap_and_jitter_stays_within_half(failures in 0u32..100, jitter in 0u16..=1000) {
            let d = backoff_delay(failures, jitter);
            prop_assert!(d >= BASE_DELAY_MS / 2);
            prop_assert!(d <= MAX_DELAY_MS);
            prop_assert!(backoff_delay(failures + 1, jitter) >= d);
        }

        #[test]
        fn receipts_take_items_out_in_order_only(ids in prop::collection::vec(0u8..20, 0..30), acks in prop::collection::vec(0u8..20, 0..60)) {
            let mut o = Outbox::new();
            let mut model: Vec<String> = Vec::new();
            for id in &ids {
                let id = format!("r{id}");
                if !model.contains(&id) {
                    model.push(id.clone());
                }
                o.enqueue(id, ());
            }
            for a in acks {
                let id = format!("r{a}");
                let ok = o.on_receipt(&receipt(&id), &server_key()).is_ok();
                prop_assert_eq!(ok, model.first() == Some(&id));
                if ok {
                    model.remove(0);
                }
                let pending: Vec<String> = o.pending().map(|i| i.id.clone()).collect();
                prop_assert_eq!(&pending, &model);
            }
        }
    }
}

#[test]
fn the_network_coming_back_sends_at_once_but_keeps_the_backoff_growing() {
    let mut outbox: Outbox<()> = Outbox::new();
    outbox.enqueue("a", ());
    let (mut now, mut last_wait) = (0, 0);
    for _ in 0..8 {
        assert!(outbox.next_to_send(now).is_some());
        let at = outbox.on_failure(now, 0);
        last_wait = at - now;
        now = at;
    }
    // Offline for a while: the backoff holds the next try back…
    now -= 1;
    assert!(outbox.next_to_send(now).is_none());
    // …until the browser says the network is back.
    outbox.network_back();
    assert!(
        outbox.next_to_send(now).is_some(),
        "sent at once when the network is back"
    );
    // Still failing: the wait after this failure is longer than the last.
    assert!(outbox.on_failure(now, 0) - now > last_wait);
}

#[test]
fn an_item_refused_for_good_is_parked_until_someone_asks_and_survives_a_restart() {
    let mut o = Outbox::new();
    o.enqueue("r1", 1);
    o.enqueue("r2", 2);
    assert_eq!(o.next_to_send(0).unwrap().id, "r1");
    o.on_refused("return_key_not_enrolled");
    assert_eq!(o.parked(), Some("return_key_not_enrolled"));
    // Not sent again on its own: not later, not when the network comes back.
    assert!(o.next_to_send(u64::MAX).is_none());
    o.network_back();
    assert!(o.next_to_send(u64::MAX).is_none());
    // Still waiting for the server: it is not acknowledged.
    assert_eq!(o.pending().count(), 2);
    // Parked, it stays parked across a restart of the phone (stored as JSON);
    // an outbox stored before parking existed reads as not parked.
    let json = serde_json::to_string(&o).unwrap();
    let mut again: Outbox<i32> = serde_json::from_str(&json).unwrap();
    assert_eq!(again.parked(), Some("return_key_not_enrolled"));
    let old: Outbox<i32> =
        serde_json::from_str(&json.replace(",\"parked\":\"return_key_not_enrolled\"", "")).unwrap();
    assert_eq!(old.parked(), None);
    // Someone dealt with it and asks: it goes at once, and its receipt
    // clears everything.
    again.unpark();
    assert_eq!(again.next_to_send(0).unwrap().id, "r1");
    again.on_receipt(&receipt("r1"), &server_key()).unwrap();
    assert_eq!(again.parked(), None);
    assert_eq!(again.next_to_send(0).unwrap().id, "r2");
}

#[test]
fn only_what_the_server_will_always_refuse_is_permanent() {
    use pointage_core::wire::ErrorCode;
    assert!(ErrorCode::ReturnKeyNotEnrolled.is_permanent());
    assert!(ErrorCode::ReturnRulesBroken.is_permanent());
    for passing in [
        ErrorCode::StorageUnavailable,
        ErrorCode::RateLimited,
        ErrorCode::Unknown,
        ErrorCode::ReturnVersionTaken,
        ErrorCode::ReturnNotLatest,
    ] {
        assert!(!passing.is_permanent(), "{passing:?}");
    }
}
