//! Migration from the old localStorage values, and the scanned hand-over
//! parts, over the storage port.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::handover::split;
use pointage_device::handover::{self, Delivered};
use pointage_device::migrate::{self, Damaged};
use pointage_device::{Key, MemStore, Storage};

fn old(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn only_our_keys_move_and_nothing_newer_is_overwritten() {
    let s = MemStore::new();
    block_on(s.write(pointage_device::Batch::new().put(Key::Handover, "[\"new\"]".into())))
        .unwrap();
    let plan = migrate::plan(
        &s,
        &old(&[
            ("pointage.lang", "\"en\""),
            ("pointage.handover", "[\"old\"]"),
            ("pointage.tally.ab.B1.0", "{}"),
            ("pointage.mystery", "x"),
            ("someone.else", "y"),
        ]),
    );
    assert_eq!(
        plan.old_keys,
        vec!["pointage.handover", "pointage.tally.ab.B1.0"]
    );
    assert_eq!(plan.unknown, vec!["pointage.mystery"]);
    // The handover already in the new storage is kept, not replaced.
    assert_eq!(plan.batch.ops.len(), 1);
    assert_eq!(plan.batch.ops[0].0.to_string(), "pointage.tally.ab.B1.0");
}

#[test]
fn a_damaged_old_store_is_reported_by_the_check() {
    let s = MemStore::new();
    // Nothing enrolled: nothing to check.
    assert_eq!(migrate::check(&s), Ok(()));
    block_on(s.write(pointage_device::Batch::new().put(Key::Device, "{not json".into()))).unwrap();
    assert_eq!(migrate::check(&s), Err(Damaged::Enrollment));
}

fn parts() -> Vec<String> {
    split(&[42u8; 1200])
}

#[test]
fn scanned_parts_add_up_once_and_leave_once_delivered() {
    let s = MemStore::new();
    let ps = parts();
    assert!(ps.len() >= 2);
    for p in ps.iter().chain(ps.iter()) {
        block_on(handover::add(&s, p)).unwrap();
    }
    assert_eq!(handover::parts(&s.disk().open()), ps);
    let c = handover::collected(&s);
    assert_eq!(c.len(), 1);
    let digest = c[0].digest.clone();
    let d = Delivered {
        checkpoint: None,
        photos: None,
        digest: digest.clone(),
        bureau: "B1".into(),
        version: 1,
        code: "ABCD".into(),
        sequence: 3,
    };
    block_on(handover::deliver(&s, d.clone())).unwrap();
    let back = s.disk().open();
    assert!(handover::parts(&back).is_empty());
    assert_eq!(handover::delivered(&back), vec![d]);
    // Forgetting what is not there writes nothing and fails nothing.
    block_on(handover::forget(&s, &digest)).unwrap();
}
