//! Browser tests of the storage port on IndexedDB, in headless Chromium: a
//! completed write is what a new start of the page reads; a tab that did not
//! see another's write cannot overwrite it, and a refused batch keeps none
//! of its values; the tally log goes through it whole; the previous
//! version's localStorage values move into it, checked, and a damaged old
//! store is left where it was and reported.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage::storage::{self, Startup, idb::IdbStore, tally::TallyStore};
use pointage_core::{Mark, TallyEvent};
use pointage_device::migrate::Damaged;
use pointage_device::{Batch, Key, MemStore, Storage, WriteError};
use wasm_bindgen_test::*;

fn entry(bureau: &str) -> Key {
    Key::Entry {
        election: "ee".into(),
        bureau: bureau.into(),
    }
}

async fn fresh() -> IdbStore {
    storage::init().await;
    storage::clear().await.unwrap();
    IdbStore::open().await.unwrap()
}

#[wasm_bindgen_test]
async fn a_completed_write_is_what_the_next_start_reads() {
    let a = fresh().await;
    a.write(Batch::new().put(entry("B1"), "one".into()))
        .await
        .unwrap();
    assert_eq!(a.get(&entry("B1")).as_deref(), Some("one"));
    let again = IdbStore::open().await.unwrap();
    assert_eq!(again.get(&entry("B1")).as_deref(), Some("one"));
    again.write(Batch::new().delete(entry("B1"))).await.unwrap();
    assert_eq!(IdbStore::open().await.unwrap().get(&entry("B1")), None);
}

#[wasm_bindgen_test]
async fn a_tab_behind_another_cannot_overwrite_it_and_keeps_none_of_its_batch() {
    let first = fresh().await;
    let second = IdbStore::open().await.unwrap();
    first
        .write(Batch::new().put(entry("B1"), "first".into()))
        .await
        .unwrap();
    // The second tab never saw "first": its batch is refused whole.
    let refused = second
        .write(
            Batch::new()
                .put(entry("B2"), "second".into())
                .put(entry("B1"), "second".into()),
        )
        .await;
    assert_eq!(refused, Err(WriteError::Changed));
    let disk = IdbStore::open().await.unwrap();
    assert_eq!(disk.get(&entry("B1")).as_deref(), Some("first"));
    assert_eq!(disk.get(&entry("B2")), None);
    assert_eq!(second.get(&entry("B1")), None);
}

#[wasm_bindgen_test]
async fn writes_made_at_once_run_in_turn_and_all_land() {
    let s = fresh().await;
    // Typed fast: three saves of one key without waiting, as drafts are.
    let writes = ["a", "ab", "abc"].map(|v| s.write(Batch::new().put(entry("B1"), v.into())));
    for w in writes {
        w.await.unwrap();
    }
    assert_eq!(
        IdbStore::open().await.unwrap().get(&entry("B1")).as_deref(),
        Some("abc")
    );
}

#[wasm_bindgen_test]
async fn read_modify_writes_made_at_once_each_build_on_the_last() {
    use pointage::storage::handover;
    let s = fresh().await;
    // Two QR parts read in quick succession: the second add must not be
    // built on the list as it was before the first was written.
    let parts = pointage_core::handover::split(&[7u8; 1200]);
    let (a, b) =
        futures_util::future::join(handover::add(&s, &parts[0]), handover::add(&s, &parts[1]))
            .await;
    a.unwrap();
    b.unwrap();
    let again = IdbStore::open().await.unwrap();
    assert_eq!(handover::parts(&again), parts[..2].to_vec());
}

#[wasm_bindgen_test]
async fn the_tally_log_goes_through_indexeddb_whole() {
    let s = fresh().await;
    let ids = vec!["a".to_owned(), "b".to_owned()];
    let (mut store, mut log) = TallyStore::open(&s, "ee", "B1", ids.clone()).unwrap();
    let polls = TallyEvent::ClosePolls {
        emargements: 200,
        enveloppes: 200,
        explanation: String::new(),
    };
    store.append(&s, &mut log, polls).await.unwrap();
    let open = TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes: 100,
    };
    store.append(&s, &mut log, open).await.unwrap();
    for i in 0..100 {
        let m = if i % 3 == 0 {
            Mark::Blanc
        } else {
            Mark::Candidate("a".into())
        };
        store
            .append(&s, &mut log, TallyEvent::Mark(m))
            .await
            .unwrap();
    }
    let again = IdbStore::open().await.unwrap();
    let (_, back) = TallyStore::open(&again, "ee", "B1", ids).unwrap();
    assert_eq!(back.head(), log.head());
    assert_eq!(back.events().len(), 102);
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn the_old_localstorage_values_move_checked_and_leave() {
    let s = fresh().await;
    // The previous version's values, as it wrote them (same keys and texts).
    let old = MemStore::new();
    let (mut store, mut log) = TallyStore::open(&old, "ee", "B9", vec!["a".into()]).unwrap();
    let polls = TallyEvent::ClosePolls {
        emargements: 3,
        enveloppes: 3,
        explanation: String::new(),
    };
    store.append(&old, &mut log, polls).await.unwrap();
    let key = store.key(0);
    let text = old.get(&key).unwrap();
    local().set_item(&key.to_string(), &text).unwrap();
    local().set_item("pointage.lang", "\"en\"").unwrap();

    storage::migrate_local(&s).await.unwrap();
    assert_eq!(s.get(&key).as_deref(), Some(text.as_str()));
    assert_eq!(
        IdbStore::open().await.unwrap().get(&key).as_deref(),
        Some(text.as_str())
    );
    assert_eq!(local().get_item(&key.to_string()).unwrap(), None);
    // The language stays where it is.
    assert_eq!(
        local().get_item("pointage.lang").unwrap().as_deref(),
        Some("\"en\"")
    );
    local().remove_item("pointage.lang").unwrap();
}

#[wasm_bindgen_test]
async fn a_damaged_old_store_is_reported_and_left_in_localstorage() {
    let s = fresh().await;
    local().set_item("pointage.device", "{not json").unwrap();
    let out = storage::migrate_local(&s).await;
    assert_eq!(out, Err(Startup::MigrationDamaged(Damaged::Enrollment)));
    assert_eq!(
        local().get_item("pointage.device").unwrap().as_deref(),
        Some("{not json")
    );
    local().remove_item("pointage.device").unwrap();
    storage::clear().await.unwrap();
}

/// The journal's worker, from the app's own script (the test server does
/// not serve the app's files).
fn journal_files() -> pointage::storage::journal::JournalFiles {
    let parts = js_sys::Array::of1(&include_str!("../../public/journal.js").into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
    pointage::storage::journal::JournalFiles::start(&url).unwrap()
}

#[wasm_bindgen_test]
async fn a_database_found_empty_is_written_back_from_the_journal() {
    use pointage_device::journal::AtStart;
    let a = fresh().await;
    a.write(Batch::new().put(entry("B0"), "before".into()))
        .await
        .unwrap();
    // Attached to a database that holds more than the journal: caught up.
    let action = a.attach_journal(journal_files()).await.unwrap();
    assert!(matches!(action, AtStart::Checkpoint | AtStart::Keep));
    for i in 0..30 {
        a.write(Batch::new().put(entry(&format!("B{}", i % 4)), format!("v{i}")))
            .await
            .unwrap();
    }
    a.write(Batch::new().delete(entry("B3"))).await.unwrap();
    let kept: Vec<(Key, Option<String>)> = (0..4)
        .map(|i| (entry(&format!("B{i}")), a.get(&entry(&format!("B{i}")))))
        .collect();
    assert_eq!(kept[1].1.as_deref(), Some("v29"));
    assert_eq!(kept[3].1, None);
    // The worker ends with the page that held it.
    drop(a);

    // The browser deleted the database: it opens empty.
    let other = IdbStore::open().await.unwrap();
    let mut wipe = Batch::new();
    for k in other.keys() {
        wipe = wipe.delete(k);
    }
    other.write(wipe).await.unwrap();

    let b = IdbStore::open().await.unwrap();
    assert_eq!(b.get(&entry("B1")), None);
    let action = b.attach_journal(journal_files()).await.unwrap();
    assert_eq!(action, AtStart::Restore);
    for (k, v) in &kept {
        assert_eq!(&b.get(k), v, "{k}");
    }
    // Written back into the database, not only into this tab's snapshot.
    let again = IdbStore::open().await.unwrap();
    for (k, v) in &kept {
        assert_eq!(&again.get(k), v, "{k}");
    }
    drop(b);
}
