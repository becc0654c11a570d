//! The one outbox policy (`outbox::Round`) as the deposit page uses it,
//! each bureau a sender: each bureau's versions in order; no network ends the
//! round; a refusal holds back its bureau's later versions and no other
//! bureau's; a refusal for good parks the version, which then stays out of
//! the rounds the page starts by itself until the person asks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::wire::ErrorCode;
use pointage_device::handover::{self, Delivered, Parked};
use pointage_device::outbox::{Answer as Sent, Doc as Ready, Round, Then};
use pointage_device::{Key, MemStore, Storage};

fn ready(digest: &str, bureau: &str, version: u32) -> Ready {
    Ready {
        id: digest.into(),
        sender: bureau.into(),
        version,
    }
}

/// Runs a round against a server that answers each digest as `answer`
/// says; gives the digests sent, in order, and the parkings to keep.
fn run(mut round: Round, answer: impl Fn(&str) -> Sent) -> (Vec<String>, Vec<Parked>) {
    let (mut sent, mut parked) = (Vec::new(), Vec::new());
    while let Some(r) = round.next_to_send() {
        sent.push(r.id.clone());
        if let Then::Park(code) = round.answered(&r, answer(&r.id)) {
            parked.push(Parked {
                digest: r.id.clone(),
                code,
            });
        }
    }
    (sent, parked)
}

fn ids(parked: &[Parked]) -> Vec<String> {
    parked.iter().map(|p| p.digest.clone()).collect()
}

fn three() -> Vec<Ready> {
    // Read in any order: B2's correction first.
    vec![
        ready("b2v2", "B2", 2),
        ready("b1v1", "B1", 1),
        ready("b2v1", "B2", 1),
    ]
}

#[test]
fn each_bureau_goes_in_version_order() {
    let (sent, parked) = run(Round::new(three(), &[], false), |_| Sent::Received);
    assert_eq!(sent, ["b1v1", "b2v1", "b2v2"]);
    assert!(parked.is_empty());
}

#[test]
fn a_refusal_for_good_parks_that_version_holds_back_its_bureau_and_not_the_others() {
    let revoked = |d: &str| match d {
        "b1v1" => Sent::Refused(ErrorCode::ReturnKeyNotEnrolled),
        _ => Sent::Received,
    };
    let mut returns = three();
    returns.push(ready("b1v2", "B1", 2));
    let (sent, parked) = run(Round::new(returns.clone(), &[], false), revoked);
    // B1's correction waits behind its refused version; B2 goes through.
    assert_eq!(sent, ["b1v1", "b2v1", "b2v2"]);
    assert_eq!(
        parked,
        [Parked {
            digest: "b1v1".into(),
            code: ErrorCode::ReturnKeyNotEnrolled
        }]
    );
    // The page's next round by itself leaves B1's parked version and its
    // correction out…
    let (sent, _) = run(Round::new(returns.clone(), &ids(&parked), false), revoked);
    assert_eq!(sent, ["b2v1", "b2v2"]);
    // …but not a version before the parked one.
    let b2_parked = [Parked {
        digest: "b2v2".into(),
        code: ErrorCode::ReturnRulesBroken,
    }];
    let (sent, _) = run(Round::new(three(), &ids(&b2_parked), false), |_| {
        Sent::Received
    });
    assert_eq!(sent, ["b1v1", "b2v1"]);
    // …and the person's own try sends it again.
    let (sent, _) = run(Round::new(returns, &ids(&parked), true), |_| Sent::Received);
    assert_eq!(sent, ["b1v1", "b1v2", "b2v1", "b2v2"]);
}

#[test]
fn a_passing_refusal_holds_back_its_bureau_for_this_round_only_and_parks_nothing() {
    let busy = |d: &str| match d {
        "b1v1" => Sent::Refused(ErrorCode::RateLimited),
        _ => Sent::Received,
    };
    let (sent, parked) = run(Round::new(three(), &[], false), busy);
    assert_eq!(sent, ["b1v1", "b2v1", "b2v2"]);
    assert!(parked.is_empty());
    let (sent, _) = run(Round::new(three(), &ids(&parked), false), |_| {
        Sent::Received
    });
    assert_eq!(sent, ["b1v1", "b2v1", "b2v2"]);
}

#[test]
fn no_network_ends_the_round_for_every_bureau() {
    let (sent, parked) = run(Round::new(three(), &[], false), |_| Sent::NoNetwork);
    assert_eq!(sent, ["b1v1"]);
    assert!(parked.is_empty());
}

#[test]
fn a_parking_is_kept_and_leaves_once_delivered_or_forgotten() {
    let s = MemStore::new();
    let p = |d: &str| Parked {
        digest: d.into(),
        code: ErrorCode::ReturnRulesBroken,
    };
    block_on(handover::park(&s, p("one"))).unwrap();
    block_on(handover::park(&s, p("two"))).unwrap();
    block_on(handover::park(&s, p("one"))).unwrap();
    assert_eq!(handover::parked(&s.disk().open()), [p("two"), p("one")]);
    // Delivered by hand after all: no longer parked.
    block_on(handover::deliver(
        &s,
        Delivered {
            checkpoint: None,
            photos: None,
            digest: "one".into(),
            bureau: "B1".into(),
            version: 1,
            code: "AAAAA-AAAAA".into(),
            sequence: 4,
        },
    ))
    .unwrap();
    assert_eq!(handover::parked(&s), [p("two")]);
    // Removed from this device by the person: the parking goes with it.
    block_on(handover::forget(&s, "two")).unwrap();
    assert!(handover::parked(&s).is_empty());
    assert_eq!(s.get(&Key::HandoverParked), None);
}
