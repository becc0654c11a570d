//! The tally log: a packet counted, marks, undo, the hash chain,
//! fingerprints, the close of polls; and properties over random sequences
//! of taps. A packet's course in detail: `tally_packets.rs`.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::{Mark, NulReason, TallyError, TallyEvent, TallyLog};

pub(super) const GENESIS: [u8; 32] = [7; 32];

pub(super) fn candidates() -> Vec<String> {
    vec!["a".into(), "b".into()]
}

/// A log whose polls are closed (the first event).
pub(super) fn log() -> TallyLog {
    let mut l = TallyLog::new(candidates(), GENESIS);
    l.append(polls(300)).unwrap();
    l
}

pub(super) fn vote(id: &str) -> TallyEvent {
    TallyEvent::Mark(Mark::Candidate(id.into()))
}

pub(super) fn open(envelopes: u32) -> TallyEvent {
    TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes,
    }
}

/// The close of polls with as many envelopes as émargements.
pub(super) fn polls(n: u32) -> TallyEvent {
    TallyEvent::ClosePolls {
        emargements: n,
        enveloppes: n,
        explanation: String::new(),
    }
}

pub(super) fn count(log: &mut TallyLog, events: &[TallyEvent]) {
    for e in events {
        log.append(e.clone()).unwrap();
    }
}

#[test]
fn a_packet_is_counted_and_closed_when_it_balances() {
    let mut l = log();
    count(
        &mut l,
        &[
            open(4),
            vote("a"),
            vote("b"),
            TallyEvent::Mark(Mark::Blanc),
            TallyEvent::Mark(Mark::nul(NulReason::IdentifyingMark)),
        ],
    );
    assert_eq!(l.summary().unbalanced_packets, vec![1]);
    l.append(TallyEvent::ClosePacket).unwrap();
    let s = l.summary();
    assert_eq!((s.blancs, s.nuls), (1, 1));
    assert_eq!(s.voix.get("a"), Some(&1));
    assert_eq!(s.voix.get("b"), Some(&1));
    assert!(s.unbalanced_packets.is_empty());
    assert!(l.open_packet().is_none());
}

#[test]
fn the_count_refuses_what_the_procedure_does_not_allow() {
    let mut l = log();
    assert_eq!(l.append(vote("a")).unwrap_err(), TallyError::NoOpenPacket);
    assert_eq!(
        l.append(open(0)).unwrap_err(),
        TallyError::InvalidEnvelopeCount(0)
    );
    assert_eq!(
        l.append(open(101)).unwrap_err(),
        TallyError::InvalidEnvelopeCount(101)
    );
    count(&mut l, &[open(1)]);
    assert_eq!(
        l.append(open(1)).unwrap_err(),
        TallyError::PacketAlreadyOpen
    );
    assert_eq!(
        l.append(TallyEvent::Undo).unwrap_err(),
        TallyError::NothingToUndo
    );
    assert_eq!(
        l.append(vote("z")).unwrap_err(),
        TallyError::UnknownCandidate("z".into())
    );
    assert_eq!(
        l.append(TallyEvent::ClosePacket).unwrap_err(),
        TallyError::PacketNotBalanced {
            marks: 0,
            envelopes: 1
        }
    );
    count(&mut l, &[vote("a")]);
    assert_eq!(l.append(vote("b")).unwrap_err(), TallyError::PacketFull);
    count(&mut l, &[TallyEvent::ClosePacket]);
    // Undo never reaches into a closed packet.
    assert_eq!(
        l.append(TallyEvent::Undo).unwrap_err(),
        TallyError::NoOpenPacket
    );
    assert_eq!(l.events().len(), 4);
}

#[test]
fn undo_removes_the_last_mark_only() {
    let mut l = log();
    count(&mut l, &[open(2), vote("a"), vote("b"), TallyEvent::Undo]);
    assert_eq!(
        l.open_packet().unwrap().marks,
        vec![Mark::Candidate("a".into())]
    );
}

#[test]
fn the_head_commits_to_the_history_and_replay_detects_an_edit() {
    let mut l = log();
    count(
        &mut l,
        &[open(2), vote("a"), vote("b"), TallyEvent::ClosePacket],
    );
    let json = serde_json::to_string(l.events()).unwrap();
    let stored: Vec<pointage_core::LoggedEvent> = serde_json::from_str(&json).unwrap();
    let again = TallyLog::replay(candidates(), GENESIS, &stored).unwrap();
    assert_eq!(again.head(), l.head());
    assert_ne!(l.head(), GENESIS);

    let mut edited = stored.clone();
    edited[2].event = vote("b");
    assert_eq!(
        TallyLog::replay(candidates(), GENESIS, &edited).unwrap_err(),
        TallyError::BrokenChain { seq: 2 }
    );
    let mut dropped = stored.clone();
    dropped.remove(2);
    assert!(TallyLog::replay(candidates(), GENESIS, &dropped).is_err());
    assert!(TallyLog::replay(candidates(), [0; 32], &stored).is_err());
}

#[test]
fn equal_counts_read_the_same_fingerprint_in_any_order() {
    let mut one = log();
    let mut two = log();
    count(
        &mut one,
        &[
            open(3),
            vote("a"),
            vote("b"),
            TallyEvent::Mark(Mark::Blanc),
            TallyEvent::ClosePacket,
        ],
    );
    count(
        &mut two,
        &[
            open(3),
            TallyEvent::Mark(Mark::Blanc),
            vote("b"),
            vote("a"),
            TallyEvent::ClosePacket,
        ],
    );
    let (f1, f2) = (
        one.fingerprint(&one.packets()[0]),
        two.fingerprint(&two.packets()[0]),
    );
    assert_eq!(f1, f2);
    assert_eq!(f1.len(), 5);
    assert!(
        f1.chars()
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
        "{f1}"
    );

    let mut other = log();
    count(
        &mut other,
        &[
            open(3),
            vote("a"),
            vote("a"),
            TallyEvent::Mark(Mark::Blanc),
            TallyEvent::ClosePacket,
        ],
    );
    assert_ne!(other.fingerprint(&other.packets()[0]), f1);
}

#[test]
fn the_close_of_polls_comes_first_and_a_gap_is_explained() {
    let mut l = TallyLog::new(candidates(), GENESIS);
    assert_eq!(l.append(open(100)).unwrap_err(), TallyError::PollsNotClosed);
    let gap = TallyEvent::ClosePolls {
        emargements: 101,
        enveloppes: 100,
        explanation: "  ".into(),
    };
    assert_eq!(
        l.append(gap).unwrap_err(),
        TallyError::GapNotExplained {
            emargements: 101,
            enveloppes: 100
        }
    );
    assert!(l.polls().is_none());
    count(
        &mut l,
        &[TallyEvent::ClosePolls {
            emargements: 101,
            enveloppes: 100,
            explanation: "Un votant est reparti sans voter.".into(),
        }],
    );
    // A typing error is corrected by declaring again; the latest holds.
    count(&mut l, &[polls(100)]);
    assert_eq!(l.polls().unwrap().emargements, 100);
    assert_eq!(l.events().len(), 2);
    // … at any time, a packet open or not.
    count(&mut l, &[open(1), polls(120)]);
    assert_eq!(l.polls().unwrap().enveloppes, 120);
    assert_eq!(l.open_packet().unwrap().envelopes, 1);
}

#[test]
fn the_genesis_names_the_election_and_the_bureau() {
    let g = TallyLog::genesis_for("ab", "B1");
    assert_ne!(g, TallyLog::genesis_for("ab", "B2"));
    assert_ne!(g, TallyLog::genesis_for("ac", "B1"));
    assert_ne!(
        TallyLog::genesis_for("a", "bB1"),
        TallyLog::genesis_for("ab", "B1")
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn event() -> impl Strategy<Value = TallyEvent> {
        prop_oneof![
            1 => ((1u32..6), prop_oneof![Just("T1"), Just("T2"), Just(" T3")]).prop_map(|(envelopes, t)| TallyEvent::OpenPacket { table: t.into(), envelopes }),
            1 => Just(TallyEvent::RecountPacket),
            1 => (0u32..4, 0u32..4, prop_oneof![Just(""), Just("vu")]).prop_map(|(emargements, enveloppes, e)| TallyEvent::ClosePolls { emargements, enveloppes, explanation: e.into() }),
            6 => prop_oneof![Just("a"), Just("b"), Just("z")].prop_map(vote),
            1 => Just(TallyEvent::Mark(Mark::Blanc)),
            1 => Just(TallyEvent::Mark(Mark::nul(NulReason::WrongModel))),
            2 => Just(TallyEvent::Undo),
            2 => Just(TallyEvent::ClosePacket),
        ]
    }

    proptest! {
        #[test]
        fn derived_totals_equal_the_packets_and_refusals_change_nothing(events in prop::collection::vec(event(), 0..200)) {
            let mut l = TallyLog::new(candidates(), GENESIS);
            for e in events {
                let (len, head) = (l.events().len(), l.head());
                if l.append(e).is_err() {
                    prop_assert_eq!(l.events().len(), len);
                    prop_assert_eq!(l.head(), head);
                }
            }
            let s = l.summary();
            let (mut blancs, mut nuls, mut a, mut b) = (0u64, 0u64, 0u64, 0u64);
            for p in l.packets() {
                prop_assert!(p.marks.len() as u32 <= p.envelopes);
                if p.closed {
                    prop_assert_eq!(p.marks.len() as u32, p.envelopes);
                }
                let c = p.counts();
                blancs += u64::from(c.blancs);
                nuls += u64::from(c.nuls);
                a += u64::from(c.voix.get("a").copied().unwrap_or(0));
                b += u64::from(c.voix.get("b").copied().unwrap_or(0));
            }
            prop_assert_eq!((s.blancs, s.nuls), (blancs, nuls));
            prop_assert_eq!(s.voix.get("a").copied(), Some(a));
            prop_assert_eq!(s.voix.get("b").copied(), Some(b));
            // The tables' totals add up to the bureau's.
            let t = l.totals();
            prop_assert_eq!((t.blancs, t.nuls), (blancs, nuls));
            let tables = l.tables();
            prop_assert_eq!(tables.iter().map(|(_, t)| t.marks).sum::<u64>(), t.marks);
            prop_assert_eq!(tables.iter().map(|(_, t)| t.packets).sum::<u32>(), l.packets().len() as u32);
            if let Some(p) = l.polls() {
                prop_assert!(p.emargements == p.enveloppes || !p.explanation.trim().is_empty());
            } else {
                prop_assert!(l.packets().is_empty());
            }
            let again = TallyLog::replay(candidates(), GENESIS, l.events()).unwrap();
            prop_assert_eq!(again.head(), l.head());
        }
    }
}
