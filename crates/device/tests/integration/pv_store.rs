//! The PV over the storage port: an entry in progress comes back after a
//! reload, a signed version is kept, queued and the entry dropped in one
//! write, another tab's version or entry is never overwritten, an altered
//! signed return is reported, not shown, and the outbox keeps a version
//! until a receipt is durably kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::signature::Ed25519;
use pointage_core::{EntryStep, Field, ProcesVerbal, SignedReturn};
use pointage_device::pv::{Correction, Draft, EntryRecord, PvLoadError, PvStore};
use pointage_device::{Key, MemDisk, MemStore, WriteError};

use crate::common::{chained, signed};

fn first_step() -> EntryStep {
    EntryStep::First {
        by: "Awa".into(),
        pv: ProcesVerbal::default(),
    }
}

#[test]
fn an_entry_in_progress_comes_back_after_a_reload() {
    let s = MemStore::new();
    let store = PvStore::new("h1", "B1");
    let fresh = store.load(&s).unwrap();
    assert_eq!(fresh.entry.version, 1);
    assert!(fresh.returns.is_empty() && fresh.entry.steps.is_empty());

    let mut entry = fresh.entry;
    entry.steps.push(first_step());
    entry.drafts.insert(
        pointage_device::pv::Stage::Second,
        Draft {
            name: "Bruno".into(),
            values: vec![(Field::Blancs, "12".into())],
            ..Draft::default()
        },
    );
    block_on(store.save_entry(&s, &entry)).unwrap();
    let back = PvStore::new("h1", "B1").load(&s.disk().open()).unwrap();
    assert_eq!(back.entry, entry);
}

#[test]
fn signing_keeps_and_queues_the_version_and_drops_the_entry_in_one_write() {
    let s = MemStore::new();
    let store = PvStore::new("h2", "B1");
    let mut entry = store.load(&s).unwrap().entry;
    entry.steps.push(EntryStep::Restart);
    block_on(store.save_entry(&s, &entry)).unwrap();

    // A failed signing write keeps the entry and stores no version.
    let v1 = signed(1);
    s.fail_next_write(WriteError::Full);
    assert_eq!(
        block_on(store.store_signed(&s, &[], &v1)),
        Err(WriteError::Full)
    );
    let reloaded = s.disk().open();
    assert_eq!(store.load(&reloaded).unwrap().entry, entry);
    assert!(store.load(&reloaded).unwrap().returns.is_empty());

    block_on(store.store_signed(&s, &[], &v1)).unwrap();
    let reloaded = s.disk().open();
    let back = store.load(&reloaded).unwrap();
    assert_eq!(back.returns, vec![v1.clone()]);
    assert_eq!(
        back.entry,
        EntryRecord {
            version: 2,
            ..EntryRecord::default()
        }
    );
    assert!(
        s.disk()
            .get(&Key::Entry {
                election: "h2".into(),
                bureau: "B1".into()
            })
            .is_none()
    );
    assert_eq!(store.pending(&reloaded), vec![v1.id().to_owned()]);

    // A correction in progress, for version 2, is kept.
    let mut correcting = back.entry;
    correcting.correction = Some(Correction {
        reason: "typo".into(),
        fields: vec![Field::Blancs],
    });
    block_on(store.save_entry(&s, &correcting)).unwrap();
    assert_eq!(store.load(&s.disk().open()).unwrap().entry, correcting);
}

#[test]
fn a_tab_that_missed_a_version_signed_elsewhere_cannot_write_over_it() {
    let disk = MemDisk::new();
    let a = disk.open();
    let store = PvStore::new("h3", "B1");
    let v1 = signed(1);
    block_on(store.store_signed(&a, &[], &v1)).unwrap();
    let b = disk.open();
    block_on(store.store_signed(&a, std::slice::from_ref(&v1), &signed(2))).unwrap();
    // b still believes only version 1 exists.
    assert_eq!(
        block_on(store.store_signed(&b, std::slice::from_ref(&v1), &signed(2))),
        Err(WriteError::Changed)
    );
    // And a tab that passes the wrong history is refused too.
    assert_eq!(
        block_on(store.store_signed(&a, &[], &signed(3))),
        Err(WriteError::Changed)
    );
    let back = store.load(&disk.open()).unwrap();
    assert_eq!(back.returns.len(), 2);
}

#[test]
fn an_entry_left_behind_by_the_old_two_write_signing_is_dropped() {
    let s = MemStore::new();
    let store = PvStore::new("h3", "B1");
    block_on(store.store_signed(&s, &[], &signed(1))).unwrap();
    // As the previous version could leave it: the entry for version 1.
    let stale = EntryRecord {
        version: 1,
        steps: vec![EntryStep::Restart],
        ..EntryRecord::default()
    };
    s.disk().set_raw(
        Key::Entry {
            election: "h3".into(),
            bureau: "B1".into(),
        },
        Some(serde_json::to_string(&stale).unwrap()),
    );
    let back = store.load(&s.disk().open()).unwrap();
    assert_eq!(back.returns.len(), 1);
    assert_eq!(
        back.entry,
        EntryRecord {
            version: 2,
            ..EntryRecord::default()
        }
    );
}

#[test]
fn an_altered_signed_return_is_reported_not_shown() {
    let s = MemStore::new();
    let store = PvStore::new("h4", "B1");
    block_on(store.store_signed(&s, &[], &signed(1))).unwrap();
    let key = Key::Signed {
        election: "h4".into(),
        bureau: "B1".into(),
    };
    let text = s.disk().get(&key).unwrap();
    let edited = text.replacen(r#"\"blancs\":1"#, r#"\"blancs\":9"#, 1);
    assert_ne!(edited, text, "the test must change the stored return");
    s.disk().set_raw(key.clone(), Some(edited));
    assert_eq!(
        store.load(&s.disk().open()).err(),
        Some(PvLoadError::Damaged)
    );
    // Unreadable text is damaged too, not "nothing signed".
    s.disk().set_raw(key, Some("{not json".into()));
    assert_eq!(
        store.load(&s.disk().open()).err(),
        Some(PvLoadError::Damaged)
    );
}

#[test]
fn a_second_tab_cannot_overwrite_the_entry_the_first_saved() {
    let disk = MemDisk::new();
    let a = disk.open();
    let b = disk.open();
    let store = PvStore::new("h5", "B1");
    let mut entry = store.load(&a).unwrap().entry;
    entry.steps.push(first_step());
    block_on(store.save_entry(&a, &entry)).unwrap();
    let stale = EntryRecord {
        version: 1,
        ..EntryRecord::default()
    };
    assert_eq!(
        block_on(store.save_entry(&b, &stale)),
        Err(WriteError::Changed)
    );
    assert_eq!(store.load(&disk.open()).unwrap().entry, entry);
    // Once it has read the entry again (a reload), it may write.
    let b = disk.open();
    let mut reread = store.load(&b).unwrap().entry;
    assert_eq!(reread, entry);
    reread.drafts.insert(
        pointage_device::pv::Stage::Second,
        Draft {
            name: "Bruno".into(),
            ..Draft::default()
        },
    );
    block_on(store.save_entry(&b, &reread)).unwrap();
    // And now the first tab is the one behind.
    assert_eq!(
        block_on(store.save_entry(&a, &entry)),
        Err(WriteError::Changed)
    );
}

#[test]
fn a_version_leaves_the_outbox_only_on_a_receipt_durably_kept() {
    use pointage_core::ServerSigner;
    let s = MemStore::new();
    let store = PvStore::new("h6", "B1");
    let v1 = signed(1);
    block_on(store.store_signed(&s, &[], &v1)).unwrap();
    let (id, bytes) = store.due(&s, 0).unwrap();
    assert_eq!(id, v1.id());
    assert_eq!(bytes.as_bytes(), v1.to_bytes().as_slice());

    let server = ServerSigner::new(&[9; 32]);
    let receipt = server.sign(&v1, 1, 1_000, &[0; 32]).unwrap();
    // The receipt came, but the phone could not keep it: still waiting.
    s.fail_next_write(WriteError::Full);
    assert!(
        block_on(store.acknowledge(&s, receipt.clone(), &server.public_key(), &Ed25519)).is_err()
    );
    assert_eq!(store.pending(&s.disk().open()), vec![v1.id().to_owned()]);
    // A receipt signed by anyone else is refused.
    let stranger = ServerSigner::new(&[8; 32]);
    let fake = stranger.sign(&v1, 1, 1_000, &[0; 32]).unwrap();
    assert!(block_on(store.acknowledge(&s, fake, &server.public_key(), &Ed25519)).is_err());
    block_on(store.acknowledge(&s, receipt.clone(), &server.public_key(), &Ed25519)).unwrap();
    let reloaded = s.disk().open();
    assert!(store.pending(&reloaded).is_empty());
    assert_eq!(store.receipts(&reloaded), vec![receipt]);
    assert!(store.due(&reloaded, u64::MAX).is_none());
}

#[test]
fn a_version_refused_for_good_is_parked_across_a_reload_until_someone_asks() {
    use pointage_core::wire::ErrorCode;
    let s = MemStore::new();
    let store = PvStore::new("h7", "B1");
    let v1 = signed(1);
    block_on(store.store_signed(&s, &[], &v1)).unwrap();
    assert!(store.due(&s, 0).is_some());
    block_on(store.refused(&s, ErrorCode::ReturnKeyNotEnrolled)).unwrap();
    // Not sent again on its own, even after a reload; still not acknowledged.
    let reloaded = s.disk().open();
    assert_eq!(
        store.parked(&reloaded),
        Some(ErrorCode::ReturnKeyNotEnrolled)
    );
    assert!(store.due(&reloaded, u64::MAX).is_none());
    block_on(store.network_back(&reloaded));
    assert!(store.due(&reloaded, u64::MAX).is_none());
    assert_eq!(store.pending(&reloaded), vec![v1.id().to_owned()]);
    // Asked for by hand: it goes at once.
    block_on(store.unpark(&reloaded)).unwrap();
    assert_eq!(store.parked(&reloaded), None);
    assert_eq!(
        store.due(&reloaded, 0).map(|(id, _)| id),
        Some(v1.id().to_owned())
    );
}

fn receipts_for(
    versions: &[&SignedReturn],
) -> (String, Vec<(SignedReturn, pointage_core::Receipt)>) {
    let server = pointage_core::ServerSigner::new(&[9; 32]);
    let out = versions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                (*r).clone(),
                server.sign(r, i as u64 + 1, 1_000, &[0; 32]).unwrap(),
            )
        })
        .collect();
    (server.public_key(), out)
}

#[test]
fn a_phone_that_lost_its_versions_gets_them_back_acknowledged() {
    let s = MemStore::new();
    let store = PvStore::new("h7", "B1");
    let v1 = signed(1);
    let v2 = chained(2, Some(&v1), 5);
    let (_, recovered) = receipts_for(&[&v1, &v2]);
    let done = block_on(store.restore(&s, &recovered)).unwrap();
    assert_eq!((done.added, done.receipts, done.displaced), (2, 2, 0));
    let back = s.disk().open();
    let pv = store.load(&back).unwrap();
    assert_eq!(pv.returns, vec![v1.clone(), v2.clone()]);
    assert_eq!(pv.entry.version, 3);
    assert!(store.pending(&back).is_empty());
    assert_eq!(store.receipts(&back).len(), 2);
    // Nothing new the second time: nothing written.
    s.fail_next_write(WriteError::Full);
    assert!(!block_on(store.restore(&s, &recovered)).unwrap().changed());
}

#[test]
fn a_version_the_server_holds_otherwise_is_set_aside_and_stops_blocking_the_outbox() {
    // The phone lost version 1 (sent and received), signed a new version 1
    // with the same figures: the server refuses it for ever
    // (return_version_taken). Recovery puts the server's version 1 back.
    let s = MemStore::new();
    let store = PvStore::new("h8", "B1");
    let theirs = chained(1, None, 1);
    let mine = chained(1, None, 2);
    let mine2 = chained(2, Some(&mine), 3);
    block_on(store.store_signed(&s, &[], &mine)).unwrap();
    block_on(store.store_signed(&s, std::slice::from_ref(&mine), &mine2)).unwrap();
    assert_eq!(store.pending(&s).len(), 2);
    let (_, recovered) = receipts_for(&[&theirs]);
    let done = block_on(store.restore(&s, &recovered)).unwrap();
    assert_eq!((done.added, done.receipts, done.displaced), (1, 1, 2));
    let back = s.disk().open();
    assert_eq!(store.load(&back).unwrap().returns, vec![theirs]);
    assert!(
        store.pending(&back).is_empty(),
        "nothing left that the server would refuse"
    );
    let text = s
        .disk()
        .get(&Key::Signed {
            election: "h8".into(),
            bureau: "B1".into(),
        })
        .unwrap();
    assert!(
        text.contains("displaced"),
        "the set-aside versions are kept"
    );
}

#[test]
fn a_later_version_that_builds_on_the_servers_stays_to_be_sent() {
    let s = MemStore::new();
    let store = PvStore::new("h9", "B1");
    let v1 = signed(1);
    let v2 = chained(2, Some(&v1), 7);
    block_on(store.store_signed(&s, &[], &v1)).unwrap();
    block_on(store.store_signed(&s, std::slice::from_ref(&v1), &v2)).unwrap();
    // The server took v1, but its receipt was lost with the phone's copy.
    let (_, recovered) = receipts_for(&[&v1]);
    let done = block_on(store.restore(&s, &recovered)).unwrap();
    assert_eq!((done.added, done.receipts, done.displaced), (0, 1, 0));
    let back = s.disk().open();
    assert_eq!(store.load(&back).unwrap().returns, vec![v1, v2.clone()]);
    assert_eq!(store.pending(&back), vec![v2.id().to_owned()]);
}
