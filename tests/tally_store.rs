//! Browser tests of the tally log's storage, in headless Chromium's real
//! localStorage: what is acknowledged survives a reload, a full storage
//! refuses the tap and loses nothing, and two tabs cannot overwrite each
//! other.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::storage::{
    self,
    tally::{AppendError, LoadError, SEGMENT, TallyStore},
};
use pointage_core::{Mark, NulReason, TallyError, TallyEvent, TallyLog};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HASH: &str = "cd";

fn candidates() -> Vec<String> {
    vec!["a".into(), "b".into()]
}

fn open(bureau: &str) -> (TallyStore, TallyLog) {
    TallyStore::open(HASH, bureau, candidates()).unwrap()
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Close of polls for 1,000, then `marks` marks in packets of 100.
fn count(store: &mut TallyStore, log: &mut TallyLog, marks: u32) {
    store
        .append(
            log,
            TallyEvent::ClosePolls {
                emargements: 1000,
                enveloppes: 1000,
                explanation: String::new(),
            },
        )
        .unwrap();
    for i in 0..marks {
        if i % 100 == 0 {
            if i > 0 {
                store.append(log, TallyEvent::ClosePacket).unwrap();
            }
            store
                .append(
                    log,
                    TallyEvent::OpenPacket {
                        table: "Table 1".into(),
                        envelopes: 100,
                    },
                )
                .unwrap();
        }
        let m = match i % 7 {
            0 => Mark::Blanc,
            1 => Mark::nul(NulReason::NoEnvelope),
            2 | 3 => Mark::Candidate("b".into()),
            _ => Mark::Candidate("a".into()),
        };
        store.append(log, TallyEvent::Mark(m)).unwrap();
    }
}

#[wasm_bindgen_test]
fn what_was_stored_comes_back_after_a_reload_in_segments() {
    storage::clear();
    let (mut store, mut log) = open("B1");
    count(&mut store, &mut log, 250);
    let events = log.events().len();
    assert_eq!(events, 1 + 3 + 250 + 2);
    // Every segment but the last is full, none is larger.
    let segments = events.div_ceil(SEGMENT);
    for n in 0..segments {
        let key = format!("pointage.tally.{HASH}.B1.{n}");
        let text = local().get_item(&key).unwrap().expect("segment");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let len = value["events"].as_array().unwrap().len();
        assert!(len == SEGMENT || n == segments - 1, "segment {n}: {len}");
    }
    let again = open("B1").1;
    assert_eq!(again.head(), log.head());
    assert_eq!(again.totals(), log.totals());
    // Another bureau's log is another log.
    assert!(open("B2").1.events().is_empty());
}

#[wasm_bindgen_test]
fn a_refused_event_is_stored_nowhere() {
    storage::clear();
    let (mut store, mut log) = open("B1");
    assert_eq!(
        store.append(&mut log, TallyEvent::Undo),
        Err(AppendError::Refused(TallyError::NoOpenPacket))
    );
    assert!(
        local()
            .get_item(&format!("pointage.tally.{HASH}.B1.0"))
            .unwrap()
            .is_none()
    );
    assert!(log.events().is_empty());
}

#[wasm_bindgen_test]
fn a_full_storage_refuses_the_tap_and_loses_nothing() {
    storage::clear();
    let (mut store, mut log) = open("B1");
    count(&mut store, &mut log, 130);
    let before = (log.head(), log.events().len());

    // Fill localStorage to the brim with someone else's data.
    let s = local();
    let mut chunk = "x".repeat(1 << 20);
    let mut filler = Vec::new();
    while !chunk.is_empty() {
        let key = format!("filler.{}", filler.len());
        if s.set_item(&key, &chunk).is_ok() {
            filler.push(key);
        } else {
            chunk.truncate(chunk.len() / 2);
        }
    }
    let result = store.append(&mut log, TallyEvent::Mark(Mark::Blanc));
    assert_eq!(result, Err(AppendError::Storage));
    assert_eq!((log.head(), log.events().len()), before);
    // Nothing acknowledged is lost, full or not.
    assert_eq!(open("B1").1.head(), before.0);

    for key in filler {
        s.remove_item(&key).unwrap();
    }
    // Room again: the same tap goes through.
    store
        .append(&mut log, TallyEvent::Mark(Mark::Blanc))
        .unwrap();
    assert_eq!(open("B1").1.head(), log.head());
}

#[wasm_bindgen_test]
fn a_second_tab_cannot_overwrite_the_first() {
    storage::clear();
    let (mut first, mut log1) = open("B1");
    let (mut second, mut log2) = open("B1");
    count(&mut first, &mut log1, 5);
    assert_eq!(
        second.append(&mut log2, TallyEvent::Mark(Mark::Blanc)),
        Err(AppendError::ChangedElsewhere)
    );
    // The first tab goes on; what it counted is what is stored.
    first
        .append(&mut log1, TallyEvent::Mark(Mark::Blanc))
        .unwrap();
    assert_eq!(open("B1").1.head(), log1.head());
}

#[wasm_bindgen_test]
fn a_lost_or_edited_segment_is_reported_not_skipped() {
    storage::clear();
    let (mut store, mut log) = open("B1");
    count(&mut store, &mut log, 200);
    let s = local();
    let key1 = format!("pointage.tally.{HASH}.B1.1");
    let saved = s.get_item(&key1).unwrap().unwrap();
    s.remove_item(&key1).unwrap();
    assert_eq!(
        TallyStore::open(HASH, "B1", candidates()).err(),
        Some(LoadError::Damaged)
    );
    // A mark edited to a candidate the election does not have is refused
    // on replay.
    s.set_item(&key1, &saved.replace("\"b\"", "\"z\"")).unwrap();
    assert_eq!(
        TallyStore::open(HASH, "B1", candidates()).err(),
        Some(LoadError::Damaged)
    );
    s.set_item(&key1, &saved).unwrap();
    assert_eq!(open("B1").1.head(), log.head());
}
