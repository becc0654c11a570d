//! The tally log over the storage port: what is acknowledged survives a
//! reload, a full storage refuses the tap and loses nothing, two tabs cannot
//! overwrite each other, a damaged store is reported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::{Mark, NulReason, TallyError, TallyEvent, TallyLog};
use pointage_device::tally::{AppendError, LoadError, SEGMENT, TallyStore};
use pointage_device::{Key, MemDisk, MemStore, Storage, WriteError};

const HASH: &str = "cd";

fn candidates() -> Vec<String> {
    vec!["a".into(), "b".into()]
}

fn open(s: &MemStore, bureau: &str) -> (TallyStore, TallyLog) {
    TallyStore::open(s, HASH, bureau, candidates()).unwrap()
}

fn append(
    s: &MemStore,
    store: &mut TallyStore,
    log: &mut TallyLog,
    e: TallyEvent,
) -> Result<(), AppendError> {
    block_on(store.append(s, log, e))
}

fn seg(bureau: &str, n: u32) -> Key {
    Key::Tally {
        election: HASH.into(),
        bureau: bureau.into(),
        segment: n,
    }
}

/// Close of polls for 1,000, then `marks` marks in packets of 100.
fn count(s: &MemStore, store: &mut TallyStore, log: &mut TallyLog, marks: u32) {
    let polls = TallyEvent::ClosePolls {
        emargements: 1000,
        enveloppes: 1000,
        explanation: String::new(),
    };
    append(s, store, log, polls).unwrap();
    for i in 0..marks {
        if i % 100 == 0 {
            if i > 0 {
                append(s, store, log, TallyEvent::ClosePacket).unwrap();
                append(s, store, log, TallyEvent::ConfirmPacket).unwrap();
            }
            let open = TallyEvent::OpenPacket {
                table: "Table 1".into(),
                envelopes: 100,
            };
            append(s, store, log, open).unwrap();
        }
        let m = match i % 7 {
            0 => Mark::Blanc,
            1 => Mark::nul(NulReason::NoEnvelope),
            2 | 3 => Mark::Candidate("b".into()),
            _ => Mark::Candidate("a".into()),
        };
        append(s, store, log, TallyEvent::Mark(m)).unwrap();
    }
}

#[test]
fn what_was_stored_comes_back_after_a_reload_in_segments() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    count(&s, &mut store, &mut log, 250);
    let events = log.events().len();
    assert_eq!(events, 1 + 3 + 250 + 2 + 2);
    // Every segment but the last is full, none is larger.
    let segments = events.div_ceil(SEGMENT) as u32;
    for n in 0..segments {
        let text = s.disk().get(&seg("B1", n)).expect("segment");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let len = value["events"].as_array().unwrap().len();
        assert!(len == SEGMENT || n == segments - 1, "segment {n}: {len}");
    }
    assert!(s.disk().get(&seg("B1", segments)).is_none());
    // A reload: a new tab on the same device.
    let again = s.disk().open();
    let back = open(&again, "B1").1;
    assert_eq!(back.head(), log.head());
    assert_eq!(back.totals(), log.totals());
    // Another bureau's log is another log.
    assert!(open(&again, "B2").1.events().is_empty());
}

#[test]
fn a_refused_event_is_stored_nowhere() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    assert_eq!(
        append(&s, &mut store, &mut log, TallyEvent::Undo),
        Err(AppendError::Refused(TallyError::NoOpenPacket))
    );
    assert!(s.disk().is_empty());
    assert!(log.events().is_empty());
}

#[test]
fn a_full_storage_refuses_the_tap_and_loses_nothing() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    count(&s, &mut store, &mut log, 130);
    let before = (log.head(), log.events().len());
    s.fail_next_write(WriteError::Full);
    let result = append(&s, &mut store, &mut log, TallyEvent::Mark(Mark::Blanc));
    assert_eq!(result, Err(AppendError::Full));
    assert_eq!((log.head(), log.events().len()), before);
    // Nothing acknowledged is lost, full or not.
    assert_eq!(open(&s.disk().open(), "B1").1.head(), before.0);
    // Room again: the same tap goes through.
    append(&s, &mut store, &mut log, TallyEvent::Mark(Mark::Blanc)).unwrap();
    assert_eq!(open(&s.disk().open(), "B1").1.head(), log.head());
}

#[test]
fn an_unavailable_storage_is_not_a_full_one() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    count(&s, &mut store, &mut log, 1);
    s.fail_next_write(WriteError::Unavailable);
    let result = append(&s, &mut store, &mut log, TallyEvent::Mark(Mark::Blanc));
    assert_eq!(result, Err(AppendError::Storage));
}

#[test]
fn a_second_tab_cannot_overwrite_the_first() {
    let disk = MemDisk::new();
    let a = disk.open();
    let b = disk.open();
    let (mut first, mut log1) = open(&a, "B1");
    let (mut second, mut log2) = open(&b, "B1");
    count(&a, &mut first, &mut log1, 5);
    // In the second tab's view the polls are not closed yet: closing them
    // is a valid event there, and must not be written over the first's.
    let polls = TallyEvent::ClosePolls {
        emargements: 7,
        enveloppes: 7,
        explanation: String::new(),
    };
    assert_eq!(
        append(&b, &mut second, &mut log2, polls),
        Err(AppendError::ChangedElsewhere)
    );
    assert!(log2.events().is_empty());
    // The first tab goes on; what it counted is what is stored.
    append(&a, &mut first, &mut log1, TallyEvent::Mark(Mark::Blanc)).unwrap();
    assert_eq!(open(&disk.open(), "B1").1.head(), log1.head());
}

#[test]
fn a_second_tab_cannot_start_the_next_segment_behind_the_first() {
    // Both tabs see segment 0 full; the first starts segment 1; the second,
    // which never saw it, must not write its own segment 1 over it.
    let disk = MemDisk::new();
    let a = disk.open();
    let (mut first, mut log1) = open(&a, "B1");
    // 1 + 1 + 62 = 64 events: segment 0 exactly full.
    count(&a, &mut first, &mut log1, 62);
    assert_eq!(log1.events().len(), SEGMENT);
    let b = disk.open();
    let (mut second, mut log2) = open(&b, "B1");
    append(&a, &mut first, &mut log1, TallyEvent::Mark(Mark::Blanc)).unwrap();
    assert_eq!(
        append(&b, &mut second, &mut log2, TallyEvent::Mark(Mark::Blanc)),
        Err(AppendError::ChangedElsewhere)
    );
    assert_eq!(open(&disk.open(), "B1").1.head(), log1.head());
}

#[test]
fn a_lost_or_edited_segment_is_reported_not_skipped() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    count(&s, &mut store, &mut log, 200);
    let saved = s.disk().get(&seg("B1", 1)).unwrap();
    s.disk().set_raw(seg("B1", 1), None);
    let reopen = |disk: &MemDisk| TallyStore::open(&disk.open(), HASH, "B1", candidates()).err();
    assert_eq!(reopen(s.disk()), Some(LoadError::Damaged));
    // A mark edited to a candidate the election does not have is refused
    // on replay.
    s.disk()
        .set_raw(seg("B1", 1), Some(saved.replace("\"b\"", "\"z\"")));
    assert_eq!(reopen(s.disk()), Some(LoadError::Damaged));
    s.disk().set_raw(seg("B1", 1), Some("{not json".into()));
    assert_eq!(reopen(s.disk()), Some(LoadError::Damaged));
    s.disk().set_raw(seg("B1", 1), Some(saved));
    assert_eq!(open(&s.disk().open(), "B1").1.head(), log.head());
}

#[test]
fn nothing_is_in_the_log_until_the_write_has_completed() {
    // The app's path: prepare, write, commit. A prepared event that is never
    // written (the write failed, or the browser died during it) is nowhere.
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B1");
    count(&s, &mut store, &mut log, 3);
    let before = log.events().len();
    let prepared = store.prepare(&log, TallyEvent::Mark(Mark::Blanc)).unwrap();
    assert_eq!(log.events().len(), before);
    assert_eq!(open(&s.disk().open(), "B1").1.events().len(), before);
    block_on(s.write(prepared.batch())).unwrap();
    store.commit(&mut log, prepared).unwrap();
    assert_eq!(log.events().len(), before + 1);
    assert_eq!(open(&s.disk().open(), "B1").1.head(), log.head());
}

#[test]
fn a_log_the_previous_version_stored_loads_and_its_stuck_packet_can_be_corrected() {
    // Written as the previous version allowed: the next packet opened with
    // no logged check of the last, and 100 envelopes opened when 30 were
    // left (the stuck packet).
    let s = MemStore::new();
    let mut events = vec![
        TallyEvent::ClosePolls {
            emargements: 130,
            enveloppes: 130,
            explanation: String::new(),
        },
        TallyEvent::OpenPacket {
            table: "Table 1".into(),
            envelopes: 100,
        },
    ];
    events.extend((0..100).map(|_| TallyEvent::Mark(Mark::Candidate("a".into()))));
    events.push(TallyEvent::ClosePacket);
    events.push(TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes: 100,
    });
    events.extend((0..30).map(|_| TallyEvent::Mark(Mark::Candidate("b".into()))));
    let mut batch = pointage_device::Batch::new();
    for (n, chunk) in events.chunks(SEGMENT).enumerate() {
        let text = serde_json::json!({ "first": n * SEGMENT, "events": chunk }).to_string();
        batch = batch.put(seg("B9", n as u32), text);
    }
    block_on(s.write(batch)).unwrap();

    let (mut store, mut log) = open(&s, "B9");
    assert_eq!(log.events().len(), events.len());
    assert_eq!(
        log.open_packet().map(|p| (p.envelopes, p.marks.len())),
        Some((100, 30))
    );
    let resize = TallyEvent::ResizePacket {
        envelopes: 30,
        reason: "Il n’en restait que 30".into(),
    };
    append(&s, &mut store, &mut log, resize).unwrap();
    append(&s, &mut store, &mut log, TallyEvent::ClosePacket).unwrap();
    append(&s, &mut store, &mut log, TallyEvent::ConfirmPacket).unwrap();
    assert!(log.all_counted());
    // And it loads again, corrections included.
    let (_, again) = open(&s, "B9");
    assert_eq!(again.head(), log.head());
    assert!(again.all_counted());
}

#[test]
fn a_closed_packet_still_awaits_its_check_after_a_reload_and_the_next_waits_for_it() {
    let s = MemStore::new();
    let (mut store, mut log) = open(&s, "B9");
    count(&s, &mut store, &mut log, 100);
    append(&s, &mut store, &mut log, TallyEvent::ClosePacket).unwrap();
    // The phone restarts between "Fermer le paquet" and the check: the
    // packet still awaits its check, with the same fingerprint to compare.
    let fingerprint = log.awaiting_check().map(|p| log.fingerprint(p));
    assert!(fingerprint.is_some());
    let (mut store, mut log) = open(&s.disk().open(), "B9");
    assert_eq!(
        log.awaiting_check().map(|p| log.fingerprint(p)),
        fingerprint
    );
    // No next packet before the check.
    let next = TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes: 100,
    };
    assert!(matches!(
        append(&s, &mut store, &mut log, next.clone()),
        Err(AppendError::Refused(_))
    ));
    append(&s, &mut store, &mut log, TallyEvent::ConfirmPacket).unwrap();
    let (mut store, mut log) = open(&s.disk().open(), "B9");
    assert!(log.awaiting_check().is_none());
    append(&s, &mut store, &mut log, next).unwrap();
}
