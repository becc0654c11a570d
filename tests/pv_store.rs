//! Browser tests of the PV's storage, in headless Chromium's real
//! localStorage: an entry in progress comes back after a reload, a signed
//! version is kept and queued in one write, an entry left by a crash after
//! signing is dropped, another tab's version is never overwritten, and an
//! altered signed return is reported, not shown.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::storage::pv::{Correction, Draft, EntryRecord, PvLoadError, PvStore, SaveError};
use pointage_core::signed_return::RETURN_FORMAT;
use pointage_core::{EnteredBy, EntryStep, Field, Mode, ProcesVerbal, ReturnBody, SignedReturn};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: [u8; 32] = [7; 32];

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A genuinely signed return of `version` (the rules are not the store's
/// concern: it keeps what was signed).
fn signed(version: u32) -> SignedReturn {
    let body = ReturnBody {
        format: RETURN_FORMAT.into(),
        election_id: "demo".into(),
        election_hash: "ab".repeat(32),
        mode: Mode::Test,
        bureau: "B1".into(),
        version,
        replaces: None,
        pv: ProcesVerbal {
            blancs: Some(version),
            ..ProcesVerbal::default()
        },
        explanations: Default::default(),
        tally: None,
        entered_by: EnteredBy {
            first: "Awa".into(),
            second: "Bruno".into(),
        },
        device_key: pointage_core::signed_return::public_key_hex(&SECRET),
        signed_at: 1,
    };
    SignedReturn::seal_unchecked(body, &SECRET).unwrap()
}

#[wasm_bindgen_test]
fn an_entry_in_progress_comes_back_after_a_reload() {
    let mut store = PvStore::new("h1", "B1");
    let fresh = store.load().unwrap();
    assert_eq!(fresh.entry.version, 1);
    assert!(fresh.returns.is_empty() && fresh.entry.steps.is_empty());

    let mut entry = fresh.entry;
    entry.steps.push(EntryStep::First {
        by: "Awa".into(),
        pv: ProcesVerbal::default(),
    });
    entry.drafts.insert(
        "second".into(),
        Draft {
            name: "Bruno".into(),
            values: vec![(Field::Blancs, "12".into())],
            ..Draft::default()
        },
    );
    store.save_entry(&entry).unwrap();
    // A new store object, as after a reload.
    let back = PvStore::new("h1", "B1").load().unwrap();
    assert_eq!(back.entry, entry);
}

#[wasm_bindgen_test]
fn signing_keeps_and_queues_the_version_and_drops_the_entry() {
    let mut store = PvStore::new("h2", "B1");
    let mut entry = store.load().unwrap().entry;
    entry.steps.push(EntryStep::Restart);
    store.save_entry(&entry).unwrap();

    let v1 = signed(1);
    store.store_signed(&[], &v1).unwrap();
    let back = store.load().unwrap();
    assert_eq!(back.returns, vec![v1.clone()]);
    assert_eq!(
        back.entry,
        EntryRecord {
            version: 2,
            ..EntryRecord::default()
        }
    );
    assert_eq!(store.pending(), vec![v1.id().to_owned()]);

    // A correction in progress, for version 2, is kept.
    let mut correcting = back.entry;
    correcting.correction = Some(Correction {
        reason: "typo".into(),
        fields: vec![Field::Blancs],
    });
    store.save_entry(&correcting).unwrap();
    assert_eq!(store.load().unwrap().entry, correcting);

    // Another tab signed version 2 meanwhile: this tab, still believing
    // only version 1 exists, cannot write over it.
    let v2 = signed(2);
    store.store_signed(std::slice::from_ref(&v1), &v2).unwrap();
    assert!(
        store
            .store_signed(std::slice::from_ref(&v1), &signed(3))
            .is_err()
    );
    let back = store.load().unwrap();
    assert_eq!(back.returns, vec![v1.clone(), v2.clone()]);
    assert_eq!(
        store.pending(),
        vec![v1.id().to_owned(), v2.id().to_owned()]
    );
}

#[wasm_bindgen_test]
fn an_entry_left_behind_by_a_crash_after_signing_is_dropped() {
    let mut store = PvStore::new("h3", "B1");
    let v1 = signed(1);
    store.store_signed(&[], &v1).unwrap();
    // As if the tab died between the two writes of signing: the entry for
    // version 1 is still there.
    let stale = EntryRecord {
        version: 1,
        steps: vec![EntryStep::Restart],
        ..EntryRecord::default()
    };
    store.save_entry(&stale).unwrap();
    let back = store.load().unwrap();
    assert_eq!(back.returns.len(), 1);
    assert_eq!(
        back.entry,
        EntryRecord {
            version: 2,
            ..EntryRecord::default()
        }
    );
}

#[wasm_bindgen_test]
fn an_altered_signed_return_is_reported_not_shown() {
    let mut store = PvStore::new("h4", "B1");
    store.store_signed(&[], &signed(1)).unwrap();
    let key = "pointage.signed.h4.B1";
    let text = local().get_item(key).unwrap().unwrap();
    // Someone edits the blancs of the stored return.
    let edited = text.replacen(r#"\"blancs\":1"#, r#"\"blancs\":9"#, 1);
    assert_ne!(edited, text, "the test must change the stored return");
    local().set_item(key, &edited).unwrap();
    assert!(matches!(store.load(), Err(PvLoadError::Damaged)));
    // Unreadable text is damaged too, not "nothing signed".
    local().set_item(key, "{not json").unwrap();
    assert!(matches!(store.load(), Err(PvLoadError::Damaged)));
}

#[wasm_bindgen_test]
fn a_second_tab_cannot_overwrite_the_entry_the_first_saved() {
    let mut first = PvStore::new("h5", "B1");
    let mut second = PvStore::new("h5", "B1");
    let mut entry = first.load().unwrap().entry;
    second.load().unwrap();
    entry.steps.push(EntryStep::First {
        by: "Awa".into(),
        pv: ProcesVerbal::default(),
    });
    first.save_entry(&entry).unwrap();
    // The second tab still holds the entry as it was before Awa finished.
    let stale = EntryRecord {
        version: 1,
        ..EntryRecord::default()
    };
    assert_eq!(second.save_entry(&stale), Err(SaveError::ChangedElsewhere));
    assert_eq!(PvStore::new("h5", "B1").load().unwrap().entry, entry);
    // Once it has read the entry again, it may write.
    let mut reread = second.load().unwrap().entry;
    assert_eq!(reread, entry);
    reread.drafts.insert(
        "second".into(),
        Draft {
            name: "Bruno".into(),
            ..Draft::default()
        },
    );
    second.save_entry(&reread).unwrap();
    // And now the first tab is the one behind.
    assert_eq!(first.save_entry(&entry), Err(SaveError::ChangedElsewhere));
}
