//! The tally log's packets: opened up to the envelopes left, each checked
//! before the next, corrected when declared too large, set aside, recounted
//! from zero; a table's name and totals, adding up to the bureau.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::tally::{GENESIS, candidates, count, log, open, polls, vote};
use pointage_core::{Mark, NulReason, TallyError, TallyEvent, TallyLog};

fn resize(envelopes: u32) -> TallyEvent {
    TallyEvent::ResizePacket {
        envelopes,
        reason: "Le paquet en contient moins".into(),
    }
}

/// A packet of `n` envelopes opened, `n` votes, closed, and its check
/// agreed.
fn whole_packet(l: &mut TallyLog, n: u32) {
    count(l, &[open(n)]);
    count(l, &votes(n as usize));
    count(l, &[TallyEvent::ClosePacket, TallyEvent::ConfirmPacket]);
}

fn votes(n: usize) -> Vec<TallyEvent> {
    (0..n)
        .map(|i| vote(if i % 3 == 0 { "b" } else { "a" }))
        .collect()
}

#[test]
fn a_packet_is_opened_only_up_to_the_envelopes_left_and_counting_ends_when_none_are() {
    let mut l = TallyLog::new(candidates(), GENESIS);
    assert_eq!(l.next_packet_size(), 0);
    count(&mut l, &[polls(130)]);
    assert_eq!(l.next_packet_size(), 100);
    whole_packet(&mut l, 100);
    assert_eq!(l.envelopes_left(), Some(30));
    // What the screen offers next: what is left, not a full packet.
    assert_eq!(l.next_packet_size(), 30);
    assert!(!l.all_counted());
    // The 100 a screen would offer: refused, with what is left.
    assert_eq!(
        l.append(open(100)).unwrap_err(),
        TallyError::MoreThanLeft {
            envelopes: 100,
            left: 30
        }
    );
    whole_packet(&mut l, 30);
    assert_eq!(l.envelopes_left(), Some(0));
    assert!(l.all_counted());
    assert_eq!(
        l.append(open(100)).unwrap_err(),
        TallyError::MoreThanLeft {
            envelopes: 100,
            left: 0
        }
    );
    assert!(l.summary().unbalanced_packets.is_empty());
}

#[test]
fn each_packet_is_checked_before_the_next_is_opened_and_the_check_is_in_the_log() {
    let mut l = log();
    count(
        &mut l,
        &[open(2), vote("a"), vote("b"), TallyEvent::ClosePacket],
    );
    assert_eq!(l.awaiting_check().map(|p| p.number), Some(1));
    assert_eq!(
        l.append(open(2)).unwrap_err(),
        TallyError::PacketNotChecked { number: 1 }
    );
    // After a reload, the log still says the packet waits for its check.
    let mut l = TallyLog::replay(candidates(), GENESIS, l.events()).unwrap();
    assert_eq!(l.awaiting_check().map(|p| p.number), Some(1));
    // The sheets differ: recounted, closed, and then they agree.
    count(&mut l, &[TallyEvent::RecountPacket]);
    assert!(l.awaiting_check().is_none());
    assert_eq!(
        l.append(TallyEvent::ConfirmPacket).unwrap_err(),
        TallyError::NothingToConfirm
    );
    count(&mut l, &[vote("a"), vote("a"), TallyEvent::ClosePacket]);
    assert_eq!(l.awaiting_check().map(|p| p.number), Some(1));
    count(&mut l, &[TallyEvent::ConfirmPacket]);
    assert!(l.awaiting_check().is_none());
    assert!(l.packets()[0].checked);
    count(&mut l, &[open(2)]);
    assert_eq!(
        l.append(TallyEvent::ConfirmPacket).unwrap_err(),
        TallyError::NothingToConfirm
    );
}

#[test]
fn a_packet_declared_too_large_is_corrected_and_keeps_its_marks() {
    // A bundle of 99 declared as 100: 99 marks, and "Fermer" refused.
    let mut l = TallyLog::new(candidates(), GENESIS);
    count(&mut l, &[polls(199), open(100)]);
    count(&mut l, &votes(99));
    assert_eq!(
        l.append(TallyEvent::ClosePacket).unwrap_err(),
        TallyError::PacketNotBalanced {
            marks: 99,
            envelopes: 100
        }
    );
    assert_eq!(
        l.append(resize(98)).unwrap_err(),
        TallyError::FewerThanMarks {
            envelopes: 98,
            marks: 99
        }
    );
    assert_eq!(
        l.append(TallyEvent::ResizePacket {
            envelopes: 99,
            reason: " ".into()
        })
        .unwrap_err(),
        TallyError::ReasonNeeded
    );
    count(
        &mut l,
        &[
            resize(99),
            TallyEvent::ClosePacket,
            TallyEvent::ConfirmPacket,
        ],
    );
    assert_eq!(l.totals().marks, 99);
    assert_eq!(l.envelopes_left(), Some(100));
    let replayed = TallyLog::replay(candidates(), GENESIS, l.events()).unwrap();
    assert_eq!(replayed.packets(), l.packets());

    // Corrected upwards: up to its own envelopes and those left.
    let mut l = TallyLog::new(candidates(), GENESIS);
    count(&mut l, &[polls(60), open(50)]);
    assert_eq!(
        l.append(resize(70)).unwrap_err(),
        TallyError::MoreThanLeft {
            envelopes: 70,
            left: 60
        }
    );
    count(&mut l, &[resize(60)]);
    assert_eq!(l.envelopes_left(), Some(0));
}

#[test]
fn a_packet_set_aside_counts_for_nothing_and_gives_its_envelopes_back() {
    let mut l = TallyLog::new(candidates(), GENESIS);
    count(&mut l, &[polls(130)]);
    whole_packet(&mut l, 100);
    // The close of polls was wrong (230 typed as 130 and corrected the other
    // way): the packet opened with 100 holds 30, and 30 are tapped.
    count(&mut l, &[polls(230), open(100), polls(130)]);
    count(&mut l, &votes(30));
    assert_eq!(l.envelopes_left(), Some(0));
    assert_eq!(
        l.append(TallyEvent::SetAsidePacket { reason: "".into() })
            .unwrap_err(),
        TallyError::ReasonNeeded
    );
    count(
        &mut l,
        &[TallyEvent::SetAsidePacket {
            reason: "Recompté à part".into(),
        }],
    );
    assert!(l.open_packet().is_none());
    assert_eq!(l.envelopes_left(), Some(30));
    assert_eq!(l.totals().marks, 100);
    assert!(l.summary().unbalanced_packets.is_empty());
    assert_eq!(
        l.append(TallyEvent::RecountPacket).unwrap_err(),
        TallyError::NothingToRecount
    );
    // Counted again in a packet of its own: packet 3.
    whole_packet(&mut l, 30);
    assert_eq!(l.packets().last().unwrap().number, 3);
    assert!(l.all_counted());
    assert_eq!(l.totals().marks, 130);
    assert_eq!(l.summary().voix.values().sum::<u64>(), 130);
    // The set-aside packet's marks stay in the log.
    let replayed = TallyLog::replay(candidates(), GENESIS, l.events()).unwrap();
    assert_eq!(replayed.packets()[1].marks.len(), 30);
    assert!(replayed.packets()[1].set_aside);
    assert_eq!(replayed.head(), l.head());
}

#[test]
fn a_table_has_a_name_and_a_nul_for_another_reason_a_note() {
    let mut l = log();
    for bad in ["", " Table", "Table ", &"T".repeat(41)] {
        assert_eq!(
            l.append(TallyEvent::OpenPacket {
                table: bad.into(),
                envelopes: 3
            })
            .unwrap_err(),
            TallyError::InvalidTableName,
            "{bad:?}"
        );
    }
    count(&mut l, &[open(3)]);
    assert_eq!(
        l.append(TallyEvent::Mark(Mark::nul(NulReason::Other)))
            .unwrap_err(),
        TallyError::NulNeedsNote
    );
    assert_eq!(
        l.append(TallyEvent::Mark(Mark::Nul {
            reason: NulReason::Other,
            note: "x".repeat(1001)
        }))
        .unwrap_err(),
        TallyError::TextTooLong
    );
    count(
        &mut l,
        &[TallyEvent::Mark(Mark::Nul {
            reason: NulReason::Other,
            note: "bulletin déchiré".into(),
        })],
    );
    assert_eq!(l.totals().nuls, 1);
}

#[test]
fn a_recount_starts_the_last_packet_from_zero_and_keeps_the_old_marks() {
    let mut l = log();
    assert_eq!(
        l.append(TallyEvent::RecountPacket).unwrap_err(),
        TallyError::NothingToRecount
    );
    count(
        &mut l,
        &[open(2), vote("a"), vote("a"), TallyEvent::ClosePacket],
    );
    let first = l.fingerprint(&l.packets()[0]);
    count(&mut l, &[TallyEvent::RecountPacket]);
    let p = l.open_packet().unwrap();
    assert_eq!((p.number, p.marks.len(), p.recounts), (1, 0, 1));
    assert_eq!(l.totals().voix["a"], 0);
    count(&mut l, &[vote("a"), vote("b"), TallyEvent::ClosePacket]);
    assert_ne!(l.fingerprint(&l.packets()[0]), first);
    let t = l.totals();
    assert_eq!((t.voix["a"], t.voix["b"], t.packets_closed), (1, 1, 1));
    // The first count's marks are still in the log, under the chain.
    let marks = l
        .events()
        .iter()
        .filter(|e| matches!(e.event, TallyEvent::Mark(_)))
        .count();
    assert_eq!(marks, 4);
    assert_eq!(
        TallyLog::replay(candidates(), GENESIS, l.events())
            .unwrap()
            .totals(),
        t
    );
}

#[test]
fn each_table_has_its_totals_and_they_add_up_to_the_bureau() {
    let mut l = log();
    let table = |name: &str, n| TallyEvent::OpenPacket {
        table: name.into(),
        envelopes: n,
    };
    count(
        &mut l,
        &[
            table("Table 1", 2),
            vote("a"),
            vote("b"),
            TallyEvent::ClosePacket,
            TallyEvent::ConfirmPacket,
            table("Table 2", 1),
            TallyEvent::Mark(Mark::Blanc),
            TallyEvent::ClosePacket,
            TallyEvent::ConfirmPacket,
            table("Table 1", 1),
            vote("a"),
        ],
    );
    let tables = l.tables();
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0].0, "Table 1");
    let t1 = &tables[0].1;
    assert_eq!((t1.voix["a"], t1.voix["b"], t1.marks), (2, 1, 3));
    assert_eq!(
        (t1.packets, t1.packets_closed, t1.envelopes_closed),
        (2, 1, 2)
    );
    assert_eq!(tables[1].1.blancs, 1);
    let all = l.totals();
    assert_eq!(
        (all.marks, all.envelopes_closed, all.packets_closed),
        (4, 3, 2)
    );
}
