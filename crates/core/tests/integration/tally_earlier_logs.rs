//! Logs stored by an earlier version, before a packet was refused beyond
//! the envelopes left and before the packet check was logged: they still
//! load, and their stuck packet can then be corrected.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::{Mark, TallyEvent, TallyLog};

#[test]
fn a_log_with_a_packet_opened_beyond_what_was_left_still_replays() {
    let mut old = TallyLog::new(vec!["a".into()], [1; 32]);
    let open = |envelopes| TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes,
    };
    let vote = || TallyEvent::Mark(Mark::Candidate("a".into()));
    // As the previous version stored it: events read back from storage.
    let mut events = vec![
        TallyEvent::ClosePolls {
            emargements: 130,
            enveloppes: 130,
            explanation: String::new(),
        },
        open(100),
    ];
    events.extend((0..100).map(|_| vote()));
    // Closed, with no logged check, then 100 more when 30 were left.
    events.push(TallyEvent::ClosePacket);
    events.push(open(100));
    events.extend((0..30).map(|_| vote()));
    for e in events {
        old.append_stored(e)
            .expect("allowed by the earlier version");
    }
    let mut log = TallyLog::replay(vec!["a".into()], [1; 32], old.events())
        .expect("an earlier version's log replays");
    assert_eq!(log.envelopes_left(), Some(0));
    log.append(TallyEvent::ResizePacket {
        envelopes: 30,
        reason: "30 restaient".into(),
    })
    .expect("its count can be corrected");
    log.append(TallyEvent::ClosePacket).expect("and it closes");
    assert!(!log.all_counted(), "not before its check");
    log.append(TallyEvent::ConfirmPacket)
        .expect("and is checked");
    assert!(log.all_counted());
}
