//! The bureau's evening as the home screen shows it: each step's state
//! read from what the phone keeps, and one next step, from a fresh
//! enrollment to the server's receipt; a bureau that counted on paper; a
//! count left unfinished; a correction; a return the server refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::receipt::{RECEIPT_FORMAT, ReceiptBody};
use pointage_core::{Field, Mark, Receipt, TallyEvent, TallyLog};
use pointage_device::MemStore;
use pointage_device::evening::{Evening, Place, State, Task};
use pointage_device::photos::PhotoStanding;
use pointage_device::pv::Stage;
use pointage_device::pv_session::{Edit, PvSession, Turn};

use crate::common::election;
use crate::common::pv::*;

/// The bureau's log: the polls closed with `found` envelopes, then packets
/// of `packets` envelopes each, each counted, closed and checked.
fn counted(found: u32, packets: &[u32]) -> TallyLog {
    let mut log = TallyLog::new(vec!["a".into(), "b".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: found,
        enveloppes: found,
        explanation: String::new(),
    })
    .unwrap();
    for &n in packets {
        log.append(TallyEvent::OpenPacket {
            table: "Table 1".into(),
            envelopes: n,
        })
        .unwrap();
        for _ in 0..n {
            log.append(TallyEvent::Mark(Mark::Candidate("a".into())))
                .unwrap();
        }
        log.append(TallyEvent::ClosePacket).unwrap();
        log.append(TallyEvent::ConfirmPacket).unwrap();
    }
    log
}

fn states(e: &Evening) -> Vec<State> {
    e.steps.iter().map(|(_, s)| *s).collect()
}

fn receipt_of(pv: &PvSession) -> Receipt {
    let r = pv.returns().last().unwrap();
    Receipt {
        body: ReceiptBody {
            format: RECEIPT_FORMAT.into(),
            return_id: r.id().to_owned(),
            election_hash: election().hash,
            bureau: "001".into(),
            version: r.body().version,
            sequence: 1,
            received_at: 1,
            tree_size: Some(2),
            root_hash: Some("00".repeat(32)),
        },
        signature: String::new(),
    }
}

use State::{Done, Elsewhere, Later, Next};

#[test]
fn each_step_of_the_evening_is_next_in_turn_until_the_server_has_the_pv() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let e = Evening::new(None, &pv, &[], &[], false);
    assert_eq!(states(&e), [Next, Later, Later, Later, Later, Later, Later]);
    assert_eq!(e.next().unwrap().place(), Place::Count);
    assert!(e.untouched());

    // The polls closed with 150 envelopes, one packet of 100 counted.
    let log = counted(150, &[100]);
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Next, Later, Later, Later, Later, Later]);
    assert!(!e.untouched());
    assert_eq!(
        e.steps[0].0,
        Task::ClosePolls {
            declared: Some((150, 150))
        }
    );
    assert_eq!(
        e.next(),
        Some(&Task::Count {
            packets: 1,
            counted: 100,
            found: Some(150),
            at_tables: false,
        })
    );

    // Every envelope counted: the PV is next.
    let log = counted(100, &[100]);
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Done, Next, Later, Later, Later, Later]);
    assert_eq!(e.next().unwrap().place(), Place::Pv);

    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Done, Done, Next, Later, Later, Later]);
    assert_eq!(
        e.steps[2].0,
        Task::FirstEntry {
            by: Some("Awa".into())
        }
    );

    // Bruno reads 3 blancs: the entries differ on one figure.
    enter(
        &s,
        &mut pv,
        &Turn::Second("Awa".into()),
        &typed("Bruno", "3"),
    );
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Done, Done, Done, Next, Later, Later]);
    assert_eq!(
        e.steps[3].0,
        Task::SecondEntry {
            by: Some("Bruno".into())
        }
    );
    assert_eq!(e.next(), Some(&Task::Agreement { differing: 1 }));

    // Both re-type it and agree: the signature is next.
    for name in ["Awa", "Bruno"] {
        let step = pointage_core::EntryStep::Reenter {
            by: name.into(),
            values: vec![(Field::Blancs, 2.into())],
        };
        edit(&s, &mut pv, Edit::Step(step)).unwrap();
    }
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Done, Done, Done, Done, Next, Later]);
    assert_eq!(
        e.steps[3].0,
        Task::SecondEntry {
            by: Some("Bruno".into())
        }
    );

    // Signed, waiting for the network.
    sign(&s, &mut pv, &WORKS).unwrap();
    let id = pv.returns()[0].id().to_owned();
    let code = pv.returns()[0].human_code();
    let e = Evening::new(Some(&log), &pv, std::slice::from_ref(&id), &[], false);
    assert_eq!(states(&e), [Done, Done, Done, Done, Done, Done, Next]);
    assert_eq!(e.steps[5].0, Task::Signature { code: Some(code) });
    assert_eq!(
        e.next(),
        Some(&Task::Sent {
            received: false,
            refused: false
        })
    );
    assert_eq!(e.next().unwrap().place(), Place::Outbox);

    // The receipt came: nothing left to do.
    let e = Evening::new(Some(&log), &pv, &[], &[receipt_of(&pv)], false);
    assert_eq!(states(&e), [Done; 7]);
    assert_eq!(e.next(), None);
    assert_eq!(e.version, 1);

    // With the paper's photos: asked once signed, before the receipt (the
    // phone sends by itself meanwhile); done once the pages are signed.
    let e = Evening::new(Some(&log), &pv, std::slice::from_ref(&id), &[], false)
        .with_photos(PhotoStanding::Taken(1));
    assert_eq!(states(&e), [Done, Done, Done, Done, Done, Done, Next, Next]);
    assert_eq!(e.next(), Some(&Task::Photos(PhotoStanding::Taken(1))));
    assert_eq!(e.next().unwrap().place(), Place::Photos);
    let signed = PhotoStanding::Signed {
        return_version: 1,
        pages: 2,
        received: false,
        uploaded: 0,
        parked: None,
        lost: 0,
    };
    let e =
        Evening::new(Some(&log), &pv, &[], &[receipt_of(&pv)], false).with_photos(signed.clone());
    assert_eq!(states(&e), [Done; 8]);
    assert_eq!(e.steps[6].0, Task::Photos(signed));
    assert_eq!(e.next(), None);
    // A picture lost before the server held it: to be taken again.
    let lost = PhotoStanding::Signed {
        return_version: 1,
        pages: 2,
        received: true,
        uploaded: 1,
        parked: None,
        lost: 1,
    };
    let e = Evening::new(Some(&log), &pv, &[], &[receipt_of(&pv)], false).with_photos(lost.clone());
    assert_eq!(e.next(), Some(&Task::Photos(lost)));
    // Received, but the photos not taken: the evening is not over.
    let e = Evening::new(Some(&log), &pv, &[], &[receipt_of(&pv)], false)
        .with_photos(PhotoStanding::None);
    assert_eq!(e.next(), Some(&Task::Photos(PhotoStanding::None)));
    // Before the signature, the photos come later.
    let e = Evening::new(None, &open(&MemStore::new()), &[], &[], false)
        .with_photos(PhotoStanding::None);
    assert_eq!(states(&e)[6], Later);
}

#[test]
fn a_bureau_that_counted_on_paper_starts_with_the_pv_but_a_count_begun_here_must_end() {
    let s = MemStore::new();
    let mut pv = open(&s);
    // Someone starts typing the PV: the count was on paper.
    let draft = typed("Awa", "2");
    edit(&s, &mut pv, Edit::Draft(Stage::First, draft)).unwrap();
    let e = Evening::new(None, &pv, &[], &[], false);
    assert_eq!(
        states(&e),
        [Elsewhere, Elsewhere, Next, Later, Later, Later, Later]
    );
    assert!(!e.untouched());
    // The polls closed on the phone, no packet: only the count was on paper.
    let log = counted(100, &[]);
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(
        states(&e),
        [Done, Elsewhere, Next, Later, Later, Later, Later]
    );
    // One packet of two counted here: the PV will be checked against the
    // count, which must end first.
    let log = counted(100, &[2]);
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Next, Later, Later, Later, Later, Later]);
}

#[test]
fn a_correction_takes_the_pv_steps_again_for_its_version_and_a_refusal_is_said() {
    let s = MemStore::new();
    let log = counted(100, &[100]);
    let mut pv = agreed(&s);
    sign(&s, &mut pv, &WORKS).unwrap();
    let id = pv.returns()[0].id().to_owned();
    // The server refused the version: the last step says so, stays next,
    // and leads to the PV's screen, which says why.
    let e = Evening::new(Some(&log), &pv, std::slice::from_ref(&id), &[], true);
    assert_eq!(
        e.next(),
        Some(&Task::Sent {
            received: false,
            refused: true
        })
    );
    assert_eq!(e.next().unwrap().place(), Place::Pv);
    let receipt = receipt_of(&pv);
    let c = election().candidates;
    let correction = pv
        .correction_of("Voix inversées.", &[Field::Blancs], &c)
        .unwrap();
    edit(&s, &mut pv, Edit::Correct(correction)).unwrap();
    let e = Evening::new(Some(&log), &pv, &[], &[receipt], false);
    assert_eq!(e.version, 2);
    // A correction: nothing of version 2 done yet, but not a fresh phone.
    assert!(!e.untouched());
    assert_eq!(states(&e), [Done, Done, Next, Later, Later, Later, Later]);
    assert_eq!(e.steps[5].0, Task::Signature { code: None });
    assert_eq!(
        e.steps[6].0,
        Task::Sent {
            received: false,
            refused: false
        }
    );
}

#[test]
fn after_a_withdrawal_the_entries_held_are_named_whoever_typed_first() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let log = counted(100, &[100]);
    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    enter(
        &s,
        &mut pv,
        &Turn::Second("Awa".into()),
        &typed("Bruno", "3"),
    );
    // Awa withdraws her entry; Chloé types one, which differs from Bruno's.
    let discard = pointage_core::EntryStep::Discard { by: "Awa".into() };
    edit(&s, &mut pv, Edit::Step(discard)).unwrap();
    enter(
        &s,
        &mut pv,
        &Turn::Second("Bruno".into()),
        &typed("Chloé", "4"),
    );
    let e = Evening::new(Some(&log), &pv, &[], &[], false);
    assert_eq!(states(&e), [Done, Done, Done, Done, Next, Later, Later]);
    assert_eq!(
        e.steps[2].0,
        Task::FirstEntry {
            by: Some("Bruno".into())
        }
    );
    assert_eq!(
        e.steps[3].0,
        Task::SecondEntry {
            by: Some("Chloé".into())
        }
    );
}

#[test]
fn a_bureau_counting_on_table_phones_counts_at_the_tables_and_its_pv_comes_next_once_they_are_ready()
 {
    use pointage_device::evening::TablesCount;
    let s = MemStore::new();
    let pv = open(&s);
    // The polls closed with 150 envelopes; no packet on the bureau's phone.
    let log = counted(150, &[]);
    let half = TablesCount {
        packets: 1,
        envelopes: 100,
        ready: false,
    };
    let e = Evening::with_tables(Some(&log), &pv, &[], &[], false, Some(half));
    assert_eq!(states(&e), [Done, Next, Later, Later, Later, Later, Later]);
    assert_eq!(
        e.next(),
        Some(&Task::Count {
            packets: 1,
            counted: 100,
            found: Some(150),
            at_tables: true,
        })
    );
    assert_eq!(e.next().unwrap().place(), Place::Tables);

    let ready = TablesCount {
        packets: 2,
        envelopes: 150,
        ready: true,
    };
    let e = Evening::with_tables(Some(&log), &pv, &[], &[], false, Some(ready));
    assert_eq!(states(&e), [Done, Done, Next, Later, Later, Later, Later]);
    assert_eq!(e.next().unwrap().place(), Place::Pv);

    // Begun on the PV before the tables are ready: the count is not "done
    // on paper", it is the tables' still.
    let mut pv = pv;
    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    let e = Evening::with_tables(Some(&log), &pv, &[], &[], false, Some(half));
    assert_eq!(e.steps[1].1, Next);
}
