//! A table phone's tally log: it counts the packets the bureau handed its
//! table, each known by the number on its band, so that the bureau's phone
//! can tell packet 7 of table 1 from packet 7 of table 2 (the same packet,
//! counted twice) and the two recorders of a table compare the same
//! fingerprint.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::sheet::PacketLine;
use pointage_core::{Mark, TallyError, TallyEvent, TallyLog};

fn candidates() -> Vec<String> {
    vec!["a".into(), "b".into(), "c".into()]
}

/// A table phone's log, handed `envelopes` envelopes.
fn table_log(envelopes: u32) -> TallyLog {
    let mut log = TallyLog::new(candidates(), [9; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: envelopes,
        enveloppes: envelopes,
        explanation: String::new(),
    })
    .unwrap();
    log
}

fn count(log: &mut TallyLog, number: u32, marks: &[(Mark, u32)]) {
    let envelopes = marks.iter().map(|(_, n)| n).sum();
    log.append(TallyEvent::OpenNumberedPacket { number, envelopes })
        .unwrap();
    for (m, n) in marks {
        for _ in 0..*n {
            log.append(TallyEvent::Mark(m.clone())).unwrap();
        }
    }
    log.append(TallyEvent::ClosePacket).unwrap();
}

fn marks() -> Vec<(Mark, u32)> {
    vec![
        (Mark::Candidate("a".into()), 20),
        (Mark::Candidate("b".into()), 15),
        (Mark::Blanc, 2),
    ]
}

#[test]
fn a_numbered_packet_is_known_by_its_band_on_the_sheet_and_in_its_fingerprint() {
    // Phone A counts packet 7 first; phone B first opened a packet it set
    // aside, so packet 7 is the second in its log.
    let mut a = table_log(37);
    count(&mut a, 7, &marks());
    let mut b = table_log(37);
    b.append(TallyEvent::OpenNumberedPacket {
        number: 7,
        envelopes: 37,
    })
    .unwrap();
    b.append(TallyEvent::SetAsidePacket {
        reason: "Ouvert sur le mauvais paquet.".into(),
    })
    .unwrap();
    count(&mut b, 7, &marks());

    let (pa, pb) = (&a.packets()[0], &b.packets()[1]);
    assert_eq!(
        (pa.number, pb.number),
        (1, 2),
        "their places in the logs differ"
    );
    assert_eq!((pa.bureau_number(), pb.bureau_number()), (7, 7));
    assert_eq!(
        a.fingerprint(pa),
        b.fingerprint(pb),
        "the recorders compare the same five characters"
    );
    let line = PacketLine::of(pa, &candidates());
    assert_eq!((line.number, line.envelopes, line.voix["c"]), (7, 37, 0));
    assert_eq!(line, PacketLine::of(pb, &candidates()));

    // The same count of another packet has another fingerprint.
    let mut c = table_log(37);
    count(&mut c, 8, &marks());
    assert_ne!(a.fingerprint(pa), c.fingerprint(&c.packets()[0]));
}

#[test]
fn a_band_number_is_one_or_more_counted_once_and_within_what_the_table_was_handed() {
    let mut log = table_log(137);
    let open = |number, envelopes| TallyEvent::OpenNumberedPacket { number, envelopes };
    assert_eq!(
        log.check(&open(0, 100)),
        Err(TallyError::InvalidPacketNumber)
    );
    assert_eq!(
        log.check(&open(3, 0)),
        Err(TallyError::InvalidEnvelopeCount(0))
    );
    assert_eq!(
        log.check(&open(3, 138).clone()),
        Err(TallyError::InvalidEnvelopeCount(138))
    );
    count(&mut log, 3, &[(Mark::Candidate("a".into()), 100)]);
    assert_eq!(
        log.check(&open(4, 37)),
        Err(TallyError::PacketNotChecked { number: 1 }),
        "each packet is checked before the next"
    );
    log.append(TallyEvent::ConfirmPacket).unwrap();
    assert_eq!(
        log.check(&open(3, 37)),
        Err(TallyError::PacketNumberUsed(3))
    );
    assert_eq!(
        log.check(&open(4, 38)),
        Err(TallyError::MoreThanLeft {
            envelopes: 38,
            left: 37
        })
    );
    count(&mut log, 4, &[(Mark::Blanc, 37)]);
    log.append(TallyEvent::ConfirmPacket).unwrap();
    assert!(log.all_counted());

    // The log replays as stored, to the same head.
    let mut again = TallyLog::new(candidates(), [9; 32]);
    for e in log.events() {
        again.append_stored(e.event.clone()).unwrap();
    }
    assert_eq!(again.head(), log.head());
}

#[test]
fn a_packet_the_gathering_found_differing_is_counted_again_and_only_its_new_count_is_on_the_sheet()
{
    let mut log = table_log(137);
    count(&mut log, 3, &[(Mark::Candidate("a".into()), 100)]);
    log.append(TallyEvent::ConfirmPacket).unwrap();
    count(&mut log, 4, &[(Mark::Blanc, 37)]);
    log.append(TallyEvent::ConfirmPacket).unwrap();
    assert!(log.all_counted());

    let recount = |number| TallyEvent::RecountNumberedPacket { number };
    assert_eq!(log.check(&recount(9)), Err(TallyError::NoSuchPacket(9)));
    log.append(recount(3)).unwrap();
    assert!(!log.all_counted(), "packet 3 is open again");
    assert_eq!(log.check(&recount(4)), Err(TallyError::PacketAlreadyOpen));
    let open = log.open_packet().unwrap();
    assert_eq!(
        (open.bureau_number(), open.envelopes, open.recounts),
        (3, 100, 1)
    );
    for _ in 0..99 {
        log.append(TallyEvent::Mark(Mark::Candidate("a".into())))
            .unwrap();
    }
    log.append(TallyEvent::Mark(Mark::Candidate("b".into())))
        .unwrap();
    log.append(TallyEvent::ClosePacket).unwrap();
    assert_eq!(
        log.check(&recount(4)),
        Err(TallyError::PacketNotChecked { number: 3 })
    );
    log.append(TallyEvent::ConfirmPacket).unwrap();
    assert!(log.all_counted());

    let lines: Vec<PacketLine> = log
        .packets()
        .iter()
        .filter(|p| p.closed && !p.set_aside)
        .map(|p| PacketLine::of(p, &candidates()))
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|l| (l.number, l.voix["a"], l.voix["b"]))
            .collect::<Vec<_>>(),
        vec![(4, 0, 0), (3, 99, 1)],
        "packet 3 once, as counted again"
    );
    let mut again = TallyLog::new(candidates(), [9; 32]);
    for e in log.events() {
        again.append_stored(e.event.clone()).unwrap();
    }
    assert_eq!(again.head(), log.head());
}
