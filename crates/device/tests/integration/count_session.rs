//! The counting session: taps made while a write is under way wait their
//! turn, in order; each joins the log only once its own write is kept; a
//! failure drops it and every tap behind it, and says so; a reload finds
//! exactly what was said to be kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::{Mark, TallyError, TallyEvent};
use pointage_device::count_session::{CountSession, Step};
use pointage_device::tally::AppendError;
use pointage_device::{MemStore, Storage, WriteError};

const HASH: &str = "ef";

fn open(s: &MemStore) -> CountSession<u32> {
    CountSession::open(s, HASH, "B1", vec!["a".into(), "b".into()]).unwrap()
}

fn polls() -> TallyEvent {
    TallyEvent::ClosePolls {
        emargements: 30,
        enveloppes: 30,
        explanation: String::new(),
    }
}

fn packet(n: u32) -> TallyEvent {
    TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes: n,
    }
}

fn vote(c: &str) -> TallyEvent {
    TallyEvent::Mark(Mark::Candidate(c.into()))
}

/// Writes what the step asks, as the app does, until nothing is due;
/// returns what was kept and what failed, in order.
fn drive(s: &MemStore, c: &mut CountSession<u32>, mut step: Step<u32>) -> (Vec<u32>, Vec<u32>) {
    let (mut kept, mut failed) = (Vec::new(), Vec::new());
    loop {
        kept.extend(step.kept.take());
        if let Some((_, dropped)) = step.failed.take() {
            failed.extend(dropped);
        }
        match step.write.take() {
            Some(batch) => step = c.written(block_on(s.write(batch))),
            None => return (kept, failed),
        }
    }
}

#[test]
fn taps_made_during_a_write_wait_their_turn_and_are_kept_in_order() {
    let s = MemStore::new();
    let mut c = open(&s);
    let first = c.push(polls(), 1);
    let batch = first.write.expect("the first write starts at once");
    assert!(first.kept.is_none());
    // Three more taps while the first write is under way: none is written
    // yet, none is in the log.
    for (n, e) in [(2, packet(10)), (3, vote("a")), (4, vote("b"))] {
        let step = c.push(e, n);
        assert!(step.write.is_none() && step.kept.is_none() && step.failed.is_none());
    }
    assert!(c.busy());
    assert_eq!(c.log().events().len(), 0);
    let after = c.written(block_on(s.write(batch)));
    assert_eq!(after.kept, Some(1));
    assert_eq!(c.log().events().len(), 1);
    let (kept, failed) = drive(&s, &mut c, after);
    assert_eq!((kept, failed), (vec![1, 2, 3, 4], vec![]));
    assert!(!c.busy());
    let back = open(&s.disk().open());
    assert_eq!(back.log().events(), c.log().events());
    assert_eq!(back.log().head(), c.log().head());
}

#[test]
fn a_failed_write_drops_its_tap_and_every_tap_behind_it_and_says_why() {
    let s = MemStore::new();
    let mut c = open(&s);
    let step = c.push(polls(), 1);
    let (kept, _) = drive(&s, &mut c, step);
    assert_eq!(kept, vec![1]);
    let step = c.push(packet(10), 2);
    let batch = step.write.unwrap();
    let _ = c.push(vote("a"), 3);
    let _ = c.push(vote("b"), 4);
    s.fail_next_write(WriteError::Full);
    let after = c.written(block_on(s.write(batch)));
    let (e, dropped) = after.failed.expect("said");
    assert_eq!(e, AppendError::Full);
    assert_eq!(dropped, vec![2, 3, 4]);
    assert!(after.kept.is_none() && after.write.is_none());
    assert_eq!(c.log().events().len(), 1);
    assert_eq!(open(&s.disk().open()).log().events().len(), 1);
    // The next tap is written as if nothing had been queued.
    let step = c.push(packet(10), 5);
    let (kept, failed) = drive(&s, &mut c, step);
    assert_eq!((kept, failed), (vec![5], vec![]));
}

#[test]
fn a_tap_the_count_refuses_drops_the_taps_queued_behind_it() {
    let s = MemStore::new();
    let mut c = open(&s);
    let step = c.push(polls(), 1);
    let _ = drive(&s, &mut c, step);
    // A packet of 1, then two votes tapped fast: the second is one too many.
    let step = c.push(packet(1), 2);
    let batch = step.write.unwrap();
    let _ = c.push(vote("a"), 3);
    let _ = c.push(vote("b"), 4);
    let _ = c.push(vote("a"), 5);
    let after = c.written(block_on(s.write(batch)));
    assert_eq!(after.kept, Some(2));
    let after = c.written(block_on(s.write(after.write.unwrap())));
    assert_eq!(after.kept, Some(3));
    let (e, dropped) = after.failed.expect("refused");
    assert_eq!(e, AppendError::Refused(TallyError::PacketFull));
    assert_eq!(dropped, vec![4, 5]);
    assert_eq!(open(&s.disk().open()).log().events().len(), 3);
}

#[test]
fn another_tab_writing_the_count_makes_this_one_read_only_with_nothing_lost() {
    let s = MemStore::new();
    let other = s.disk().open();
    let mut c = open(&s);
    let mut d = open(&other);
    let step = d.push(polls(), 1);
    let _ = drive(&other, &mut d, step);
    // This tab's write meets the other tab's: refused, said, read-only.
    let step = c.push(polls(), 2);
    let after = c.written(block_on(s.write(step.write.unwrap())));
    assert_eq!(after.failed.unwrap().0, AppendError::ChangedElsewhere);
    assert!(c.read_only());
    let step = c.push(packet(10), 3);
    assert_eq!(step.failed, Some((AppendError::ChangedElsewhere, vec![3])));
    assert!(step.write.is_none());
    // Told by the channel, before writing: read-only at once.
    let mut e = open(&s.disk().open());
    e.changed_elsewhere();
    assert!(e.push(packet(10), 4).write.is_none());
    assert_eq!(open(&s.disk().open()).log().events().len(), 1);
}
