//! The outbox: order, receipts, retries with backoff and jitter.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::outbox::BASE_DELAY_MS;
use pointage_core::{Outbox, OutboxError};

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
        o.on_receipt("r2"),
        Err(OutboxError::UnexpectedReceipt {
            expected: Some("r1".into()),
            got: "r2".into()
        })
    );
    assert_eq!(o.on_receipt("r1").unwrap().payload, 1);
    assert_eq!(o.next_to_send(0).unwrap().id, "r2");
    o.on_receipt("r2").unwrap();
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
    o.on_receipt("r1").unwrap();
    assert_eq!(o.retry_at(), None);
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
                let ok = o.on_receipt(&id).is_ok();
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
