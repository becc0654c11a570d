//! The only module that touches browser storage. Everything the phone keeps
//! goes through device's storage port ([`pointage_device::Storage`]),
//! implemented here on IndexedDB ([`idb`]); only the language choice stays
//! in localStorage (it is no one's count, and is read before anything
//! else).
//!
//! [`init`] runs before the app is mounted: it opens the database, reads it
//! whole into this tab's snapshot, and moves what the previous version kept
//! in localStorage into it. Screens read from the snapshot (never waiting)
//! and write through the stores of `pointage-device`, which resolve only
//! once IndexedDB has the write on disk.

pub mod idb;
pub mod journal;
pub mod pictures;

use crate::i18n::Lang;
use idb::IdbStore;
use pointage_device::journal::AtStart;
use pointage_device::{Batch, Key, Storage, WriteError, migrate};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub use pointage_device::EnrolledDevice as Device;
pub use pointage_device::{handover, pv, tally};

const LANG: &str = migrate::LANG_KEY;

thread_local! {
    static STORE: RefCell<Option<Rc<IdbStore>>> = const { RefCell::new(None) };
    static STARTUP: RefCell<Option<Startup>> = const { RefCell::new(None) };
}

/// What went wrong when the storage was opened, for the screens to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Startup {
    /// IndexedDB could not be opened (private mode, disabled, broken).
    Unavailable(String),
    /// What the previous version kept did not replay after the move: it is
    /// left in localStorage, untouched, and the screens say it is damaged.
    MigrationDamaged(migrate::Damaged),
    /// The move could not be written (full storage, say): the old values
    /// stay in localStorage and the move is tried again at the next start.
    MigrationNotWritten(WriteError),
    /// The previous version's key could not be moved into WebCrypto: it
    /// stays where it was, and the move is tried again at the next start.
    KeyNotMoved,
    /// The browser had deleted the database (after being killed during a
    /// write); everything was written back from the journal. The device's
    /// key is a browser object that cannot be copied: if `key_lost`, this
    /// phone can no longer sign.
    Restored { key_lost: bool },
}

/// Opens the phone's storage and moves the old localStorage values into
/// it. Call once, before mounting the app.
pub async fn init() {
    let Some(store) = open_journaled().await else {
        return;
    };
    // Boxed, here and below: each is run once, and its code stays one
    // function instead of being inlined into this one.
    let migrated: Pin<Box<dyn Future<Output = Result<(), Startup>>>> =
        Box::pin(migrate_local(&store));
    let moved = match migrated.await {
        Ok(()) => {
            let key: Pin<Box<dyn Future<Output = Result<(), Startup>>>> =
                Box::pin(move_clear_key(&store));
            key.await
        }
        Err(problem) => Err(problem),
    };
    if let Err(problem) = moved {
        STARTUP.with(|s| *s.borrow_mut() = Some(problem));
    }
}

/// Opens the phone's storage for a table phone's app (`table_main.rs`):
/// the database and the journal (its count is kept as the bureau's is),
/// without moving an older version's stores: those are a bureau phone's,
/// and the bureau app moves them at its next start.
pub async fn init_table() {
    open_journaled().await;
}

/// The database, opened and kept, with the journal attached (and whatever
/// it wrote back said at start); `None` when it was open already or cannot
/// be opened (said at start too).
async fn open_journaled() -> Option<Rc<IdbStore>> {
    if store().is_some() {
        return None;
    }
    match IdbStore::open().await {
        Ok(store) => {
            let store = Rc::new(store);
            STORE.with(|s| *s.borrow_mut() = Some(store.clone()));
            let attached: Pin<Box<dyn Future<Output = Option<Startup>>>> =
                Box::pin(attach_journal(&store));
            if let Some(restored) = attached.await {
                STARTUP.with(|s| *s.borrow_mut() = Some(restored));
            }
            Some(store)
        }
        Err(e) => {
            STARTUP.with(|s| *s.borrow_mut() = Some(Startup::Unavailable(e.0)));
            None
        }
    }
}

/// Opens the phone's storage for the deposit app (`public_main.rs`), whose
/// deposit page keeps the QR parts it scanned: the database only. The
/// journal and the move from localStorage are the bureau app's: a helper's
/// phone has neither, and on a bureau phone the bureau app runs them at its
/// next start. What the deposit page writes is not journaled: it is what a
/// helper scanned, not what the bureau counted.
pub async fn init_public() {
    if store().is_some() {
        return;
    }
    match IdbStore::open().await {
        Ok(store) => STORE.with(|s| *s.borrow_mut() = Some(Rc::new(store))),
        Err(e) => STARTUP.with(|s| *s.borrow_mut() = Some(Startup::Unavailable(e.0))),
    }
}

/// Whether the journal's files, as the page's inline script found them
/// (index.html), may hold anything to write back; when it could not tell,
/// they may.
async fn journal_may_hold_values() -> bool {
    let sizes = async {
        let sizes = idb::take_from_page("pointageJournalSizes").await?;
        let sizes: js_sys::Array = wasm_bindgen::JsCast::dyn_into(sizes).ok()?;
        sizes
            .iter()
            .map(|n| n.as_f64().map(|n| n as u64))
            .collect::<Option<Vec<u64>>>()
    };
    sizes
        .await
        .is_none_or(|s: Vec<u64>| pointage_device::journal::may_hold_values(&s))
}

fn no_journal(e: journal::JournalError) {
    web_sys::console::warn_1(&format!("Pointage: no journal ({})", e.0).into());
}

fn start_journal() -> Option<journal::JournalFiles> {
    journal::JournalFiles::start(journal::SCRIPT)
        .map_err(no_journal)
        .ok()
}

/// Starts the journal (the second copy). When the database is empty and
/// the journal's files may hold values, its check is awaited: the browser
/// may have deleted the database, and the journal is written back before
/// any screen shows. Otherwise (the usual start, and a phone never
/// enrolled) it runs after the first screen is drawn, ahead of any write.
async fn attach_journal(store: &Rc<IdbStore>) -> Option<Startup> {
    if !store.is_empty() || !journal_may_hold_values().await {
        // After the first screen is drawn, and before any write (it takes
        // the first turn as soon as it runs, ahead of any tap).
        let store = store.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(files) = start_journal()
                && let Err(e) = store.attach_journal(files).await
            {
                no_journal(e);
            }
        });
        return None;
    }
    let files = start_journal()?;
    match store.attach_journal(files).await {
        Ok(AtStart::Restore) => {
            let key_lost =
                Device::load(&**store).is_some() && store.key().await.ok().flatten().is_none();
            Some(Startup::Restored { key_lost })
        }
        Ok(_) => None,
        Err(e) => {
            no_journal(e);
            None
        }
    }
}

/// What went wrong at start, if anything.
pub fn startup_problem() -> Option<Startup> {
    STARTUP.with(|s| s.borrow().clone())
}

/// The phone's storage, once [`init`] has opened it.
pub fn store() -> Option<Rc<IdbStore>> {
    STORE.with(|s| s.borrow().clone())
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The previous version's values: written here in one batch, replayed, and
/// only then removed from localStorage.
pub async fn migrate_local(store: &IdbStore) -> Result<(), Startup> {
    let Some(ls) = local() else { return Ok(()) };
    let old: Vec<(String, String)> = (0..ls.length().unwrap_or(0))
        .filter_map(|i| ls.key(i).ok().flatten())
        .filter(|k| k.starts_with("pointage.") && k != LANG)
        .filter_map(|k| Some((k.clone(), ls.get_item(&k).ok().flatten()?)))
        .collect();
    if old.is_empty() {
        return Ok(());
    }
    let plan = migrate::plan(store, &old);
    store
        .write(plan.batch)
        .await
        .map_err(Startup::MigrationNotWritten)?;
    migrate::check(store).map_err(Startup::MigrationDamaged)?;
    for k in plan.old_keys {
        let _ = ls.remove_item(&k);
    }
    Ok(())
}

/// A phone enrolled by the previous version kept its secret key in clear:
/// it is imported once into WebCrypto as a non-extractable key, kept, and
/// only then erased from the enrolled device's record.
pub async fn move_clear_key(store: &IdbStore) -> Result<(), Startup> {
    let Some(mut device) = Device::load(store) else {
        return Ok(());
    };
    let Some(secret) = device.device_secret.take() else {
        return Ok(());
    };
    let mut seed = [0u8; 32];
    hex::decode_to_slice(&secret, &mut seed).map_err(|_| Startup::KeyNotMoved)?;
    let key = crate::crypto::import_seed(&seed)
        .await
        .map_err(|_| Startup::KeyNotMoved)?;
    seed.fill(0);
    store
        .put_key(&key.private)
        .await
        .map_err(|_| Startup::KeyNotMoved)?;
    device.device_key = key.public_hex;
    device.save(store).await.map_err(|_| Startup::KeyNotMoved)
}

/// The device's private key (a non-extractable WebCrypto key).
pub async fn device_key() -> Option<web_sys::CryptoKey> {
    store()?.key().await.ok().flatten()
}

/// The language the volunteer chose on this device, if any.
pub fn lang() -> Option<Lang> {
    serde_json::from_str(&local()?.get_item(LANG).ok()??).ok()
}

pub fn save_lang(lang: Lang) -> Result<(), StorageError> {
    let text = serde_json::to_string(&lang).map_err(|_| StorageError)?;
    local()
        .ok_or(StorageError)?
        .set_item(LANG, &text)
        .map_err(|_| StorageError)
}

/// The enrolled device, if this phone is enrolled.
pub fn device() -> Option<Device> {
    Device::load(&*store()?)
}

pub async fn save_device(device: &Device) -> Result<(), WriteError> {
    let s = store().ok_or(WriteError::Unavailable)?;
    device.save(&*s).await
}

/// The election and bureau this device counts for, once it is enrolled.
pub fn enrollment() -> Option<pointage_core::DeviceEnrollment> {
    Some(device()?.enrollment())
}

/// Forgets everything this app stored on the device (tests; later, a device
/// handed back after the election): every key the database holds now, read
/// afresh; then this tab starts again from the empty database.
pub async fn clear() -> Result<(), WriteError> {
    let fresh = IdbStore::open()
        .await
        .map_err(|_| WriteError::Unavailable)?;
    let mut batch = Batch::new();
    for k in fresh.keys() {
        batch = batch.delete(k);
    }
    if let Some(old) = store() {
        old.give_journal(&fresh);
    }
    fresh.write(batch).await?;
    STORE.with(|s| *s.borrow_mut() = Some(Rc::new(fresh)));
    if let Some(ls) = local() {
        let _ = ls.remove_item(LANG);
    }
    Ok(())
}

/// Calls `f` with the keys another tab (or window) wrote, as it writes them,
/// for as long as the calling component lives.
#[cfg(feature = "ui")]
pub fn watch_other_tabs(f: impl Fn(&[Key]) + 'static) {
    let Some(held) = listen_to_other_tabs(f) else {
        return;
    };
    let held = send_wrapper::SendWrapper::new(held);
    leptos::prelude::on_cleanup(move || {
        let (channel, _closure) = held.take();
        channel.set_onmessage(None);
        channel.close();
    });
}

/// [`watch_other_tabs`] for as long as the page lives (a page without
/// components: the deposit page).
pub fn watch_other_tabs_for_good(f: impl Fn(&[Key]) + 'static) {
    if let Some((channel, closure)) = listen_to_other_tabs(f) {
        closure.forget();
        std::mem::forget(channel);
    }
}

type Listening = (
    web_sys::BroadcastChannel,
    wasm_bindgen::prelude::Closure<dyn FnMut(web_sys::MessageEvent)>,
);

fn listen_to_other_tabs(f: impl Fn(&[Key]) + 'static) -> Option<Listening> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let (Some(s), Ok(channel)) = (store(), web_sys::BroadcastChannel::new(idb::CHANNEL)) else {
        return None;
    };
    let tab = s.tab().to_owned();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let keys = idb::keys_of_message(&ev.data(), &tab);
            if !keys.is_empty() {
                f(&keys);
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some((channel, on_message))
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`). The answer is not awaited: counting goes
/// on either way.
pub fn ask_persistent() {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().storage().persist();
    }
}

/// The browser refused to store the language choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageError;
