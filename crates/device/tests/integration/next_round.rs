//! A phone carried over to a second round: it takes the later round only
//! for its own bureau and server, and only once nothing of the round it
//! counts for waits to be sent; its key and what the first round kept stay.

use crate::common::pv::{WORKS, key};
use futures_executor::block_on;
use pointage_core::ElectionView;
use pointage_core::wire::EnrollResponse;
use pointage_device::next_round::{NotTaken, is_next, take, waiting};
use pointage_device::turnout::{ReportStore, Typed, prepare};
use pointage_device::{EnrolledDevice, MemStore};

const SERVER: &str = "5e";

fn first() -> ElectionView {
    pointage_testkit::with_day(&pointage_testkit::one_bureau(
        "t1",
        "Primaire",
        &["a", "b"],
        Some(200),
    ))
    .view_for("001")
    .unwrap()
}

fn device() -> EnrolledDevice {
    EnrolledDevice {
        election: first(),
        server_key: SERVER.into(),
        device_key: key(),
        device_secret: None,
    }
}

fn second() -> EnrollResponse {
    let mut e = first();
    e.id = "t2".into();
    e.round = 2;
    e.hash = "2".repeat(64);
    EnrollResponse {
        election: e,
        server_key: SERVER.into(),
    }
}

#[test]
fn only_a_later_round_of_the_same_bureau_and_server_is_taken() {
    let d = device();
    assert!(is_next(&d, &second()));
    let mut other_bureau = second();
    other_bureau.election.bureau.code = "002".into();
    let mut same_round = second();
    same_round.election.round = 1;
    let mut other_server = second();
    other_server.server_key = "ff".into();
    for offered in [other_bureau, same_round, other_server] {
        assert!(!is_next(&d, &offered));
        let s = MemStore::new();
        assert_eq!(
            block_on(take(&s, &d, offered)).err(),
            Some(NotTaken::NotOurs)
        );
        assert_eq!(EnrolledDevice::load(&s), None, "nothing written");
    }
}

#[test]
fn a_report_still_to_send_holds_the_phone_in_its_round_then_it_moves_with_its_key() {
    let s = MemStore::new();
    let d = device();
    block_on(d.save(&s)).unwrap();
    let e = &d.election;
    let noon = e.checkpoints().iter().find(|c| c.id == "12h").unwrap();
    let typed = Typed {
        count: "40".into(),
        again: "40".into(),
        ..Typed::default()
    };
    let reports = ReportStore::new(&e.hash, &e.bureau.code);
    let u = prepare(e, noon, &typed, None, &[], &key(), 7).unwrap();
    block_on(reports.sign(&s, u, &WORKS)).unwrap();
    assert_eq!(waiting(&s, &d), 1);
    assert_eq!(
        block_on(take(&s, &d, second())).err(),
        Some(NotTaken::Waiting(1))
    );
    assert_eq!(EnrolledDevice::load(&s).unwrap().election.id, "t1");

    // Once nothing waits (here, a phone of the same bureau with nothing
    // signed), it moves: same key, same server, the second round's view.
    let fresh = MemStore::new();
    block_on(d.save(&fresh)).unwrap();
    let moved = block_on(take(&fresh, &d, second())).unwrap();
    let kept = EnrolledDevice::load(&fresh).unwrap();
    assert_eq!(kept, moved);
    assert_eq!((kept.election.id.as_str(), kept.election.round), ("t2", 2));
    assert_eq!(kept.device_key, key());
    assert_eq!(kept.server_key, SERVER);
}
