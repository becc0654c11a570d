//! The storage port in the browser: IndexedDB, durable before anything is
//! shown. It must never resolve a write before its transaction has
//! completed with `durability: "strict"` (Chromium then has it on disk:
//! localStorage reached the disk seconds later, and a killed browser lost
//! what the screen had shown as kept).
//!
//! One database `pointage`, one object store `kv` of texts under the
//! [`Key`]s' text. All of it is read once at start into this tab's snapshot,
//! from which the screens read without waiting. A write is one `readwrite`
//! transaction that first reads every key it touches and aborts if any
//! differs from the snapshot (another tab wrote it), then puts and deletes;
//! only once it completes is the snapshot changed and the other tabs told,
//! on a `BroadcastChannel`, which keys changed.

use super::journal::{JournalError, JournalFiles};
use pointage_device::journal::{AtStart, Journal, Write};
use pointage_device::{Batch, Key, Storage, WriteError};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

const DB: &str = "pointage";
/// 1: `kv`; 2: `keys`, the device's WebCrypto keys.
const DB_VERSION: u32 = 2;
const KV: &str = "kv";
/// The device's private key, a non-extractable `CryptoKey` stored as the
/// browser object it is (IndexedDB keeps it without ever exposing its
/// bytes). Not in the snapshot: only signing reads it.
const KEYS: &str = "keys";
/// The one key in `keys`.
pub const DEVICE_KEY: &str = "device";
/// The channel on which each tab says which keys it wrote.
pub const CHANNEL: &str = "pointage.writes";

/// Why the database could not be opened or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenError(pub String);

pub struct IdbStore {
    db: IdbDatabase,
    snapshot: RefCell<BTreeMap<Key, String>>,
    channel: Option<web_sys::BroadcastChannel>,
    /// This page's id on the channel, so that it ignores its own messages.
    tab: String,
    /// Settles when the last write asked for has finished: writes run one
    /// after another, each checked against the snapshot as the previous one
    /// left it (two writes in flight would each expect the old value).
    tail: RefCell<js_sys::Promise>,
    /// The second copy (see [`pointage_device::journal`]), once attached.
    journal: RefCell<Option<Attached>>,
}

/// The journal's files and where the next write goes in them.
struct Attached {
    files: Rc<JournalFiles>,
    policy: Journal,
}

fn js_err(e: JsValue) -> OpenError {
    OpenError(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".to_owned()),
    )
}

/// A promise that settles when `target` fires one of `ok` (resolved with the
/// event) or `fail` (rejected with it). The closures live until it settles.
pub(super) async fn settle(
    target: &web_sys::EventTarget,
    ok: &str,
    fail: &[&str],
) -> Result<JsValue, JsValue> {
    let mut hold: Vec<Closure<dyn FnMut(web_sys::Event)>> = Vec::new();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = resolve.clone();
        let c = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let _ = r.call1(&JsValue::NULL, &ev);
        });
        let _ = target.add_event_listener_with_callback(ok, c.as_ref().unchecked_ref());
        hold.push(c);
        for name in fail {
            let j = reject.clone();
            let c = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let _ = j.call1(&JsValue::NULL, &ev);
            });
            let _ = target.add_event_listener_with_callback(name, c.as_ref().unchecked_ref());
            hold.push(c);
        }
    });
    let out = JsFuture::from(promise).await;
    drop(hold);
    out
}

/// What the page's inline script (index.html) left under `name` on the
/// window, awaited, once: the name is cleared, so that only the first use
/// takes it.
pub(super) async fn take_from_page(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    let name = JsValue::from_str(name);
    let promise = js_sys::Reflect::get(&window, &name).ok()?;
    let _ = js_sys::Reflect::set(&window, &name, &JsValue::UNDEFINED);
    let promise: js_sys::Promise = promise.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// What the page's inline script opened and read: this version's database
/// with both stores, its keys and values. A database of an older version
/// (or one just created empty) is closed, for [`open_db`] to upgrade.
async fn early() -> Option<(IdbDatabase, js_sys::Array, js_sys::Array)> {
    let found = take_from_page("pointageEarly").await?;
    let db: IdbDatabase = js_sys::Reflect::get(&found, &"db".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let keys = js_sys::Reflect::get(&found, &"keys".into())
        .ok()
        .and_then(|k| k.dyn_into::<js_sys::Array>().ok());
    let values = js_sys::Reflect::get(&found, &"values".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok());
    match (keys, values) {
        (Some(k), Some(v)) if db.version() as u32 == DB_VERSION => Some((db, k, v)),
        _ => {
            db.close();
            None
        }
    }
}

async fn open_db() -> Result<IdbDatabase, OpenError> {
    let factory = web_sys::window()
        .ok_or_else(|| OpenError("no window".into()))?
        .indexed_db()
        .map_err(js_err)?
        .ok_or_else(|| OpenError("IndexedDB is not available".into()))?;
    let req = factory.open_with_u32(DB, DB_VERSION).map_err(js_err)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            for store in [KV, KEYS] {
                if !db.object_store_names().contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    settle(&req, "success", &["error", "blocked"])
        .await
        .map_err(|_| {
            OpenError(
                req.error()
                    .ok()
                    .flatten()
                    .map_or("open failed".into(), |e| e.name()),
            )
        })?;
    drop(upgrade);
    Ok(req.result().map_err(js_err)?.unchecked_into())
}

/// Every key and value of `kv`, in one read transaction.
async fn read_all(db: &IdbDatabase) -> Result<(js_sys::Array, js_sys::Array), OpenError> {
    let tx = db.transaction_with_str(KV).map_err(js_err)?;
    let os = tx.object_store(KV).map_err(js_err)?;
    let keys_req = os.get_all_keys().map_err(js_err)?;
    let values_req = os.get_all().map_err(js_err)?;
    settle(&tx, "complete", &["error", "abort"])
        .await
        .map_err(|_| OpenError("read failed".into()))?;
    Ok((
        keys_req.result().map_err(js_err)?.unchecked_into(),
        values_req.result().map_err(js_err)?.unchecked_into(),
    ))
}

impl IdbStore {
    /// Opens (creating on first use) the database and reads all of it. The
    /// page's inline script (index.html) started both before the app's code
    /// arrived: what it found is used when it is this version's database.
    pub async fn open() -> Result<IdbStore, OpenError> {
        let (db, keys, values) = match early().await {
            Some(found) => found,
            None => {
                let db = open_db().await?;
                let (keys, values) = read_all(&db).await?;
                (db, keys, values)
            }
        };
        let mut snapshot = BTreeMap::new();
        for (k, v) in keys.iter().zip(values.iter()) {
            // Anything not ours (or not text) is left alone, unread.
            if let (Some(key), Some(value)) =
                (k.as_string().and_then(|k| Key::parse(&k)), v.as_string())
            {
                snapshot.insert(key, value);
            }
        }
        let tab = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        Ok(IdbStore {
            db,
            snapshot: RefCell::new(snapshot),
            channel: web_sys::BroadcastChannel::new(CHANNEL).ok(),
            tab,
            tail: RefCell::new(js_sys::Promise::resolve(&JsValue::UNDEFINED)),
            journal: RefCell::new(None),
        })
    }

    /// This page's id on the channel.
    pub fn tab(&self) -> &str {
        &self.tab
    }

    /// A `readwrite` transaction on `store` with strict durability (passed
    /// as an options object: web-sys has it only behind its unstable flag).
    fn strict_transaction(&self, store: &str) -> Result<IdbTransaction, JsValue> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())?;
        let f: js_sys::Function =
            js_sys::Reflect::get(&self.db, &"transaction".into())?.dyn_into()?;
        let tx = f.call3(&self.db, &store.into(), &"readwrite".into(), &options)?;
        Ok(tx.unchecked_into())
    }

    /// Waits until the writes asked for before are done. Until the turn
    /// it gives is dropped, no other write of this tab starts.
    async fn turn(&self) -> Turn {
        let mut resolve: Option<js_sys::Function> = None;
        let mine = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        let before = self.tail.replace(mine);
        // Dropped while still waiting, it lets the next go only after the
        // one before it.
        let mut turn = Turn {
            resolve,
            before: Some(before.clone()),
        };
        // The previous write's promise only ever resolves.
        let _ = JsFuture::from(before).await;
        turn.before = None;
        turn
    }

    /// Waits for the writes asked for before this one, then makes the
    /// batch from the snapshot as they left it, and writes it.
    async fn update_in_turn<T>(
        &self,
        make: impl FnOnce(&Self) -> Result<(Batch, T), WriteError>,
    ) -> Result<T, WriteError> {
        let _turn = self.turn().await;
        match make(self) {
            Ok((batch, value)) => self.write_batch(batch).await.map(|()| value),
            Err(e) => Err(e),
        }
    }

    /// Attaches the journal, before any other write: reads it, and if the
    /// browser deleted the database since, writes the journal's values back
    /// into it ([`AtStart::Restore`]); if the journal is behind, catches it
    /// up with a checkpoint.
    pub async fn attach_journal(&self, files: JournalFiles) -> Result<AtStart, JournalError> {
        let _turn = self.turn().await;
        let [a, b] = files.open().await?;
        let opened = Journal::open(&a, &b);
        if let Some(repair) = &opened.repair {
            files.write(repair).await?;
        }
        let mut policy = opened.journal;
        let snapshot = self.snapshot.borrow().clone();
        let action = pointage_device::journal::at_start(&snapshot, &opened.values);
        match action {
            AtStart::Keep => {}
            AtStart::Restore => {
                let mut batch = Batch::new();
                for (k, v) in &opened.values {
                    batch = batch.put(k.clone(), v.clone());
                }
                self.write_batch(batch)
                    .await
                    .map_err(|e| JournalError(format!("restore not written: {e:?}")))?;
            }
            AtStart::Checkpoint => files.write(&policy.checkpoint(&snapshot)).await?,
        }
        *self.journal.borrow_mut() = Some(Attached {
            files: Rc::new(files),
            policy,
        });
        Ok(action)
    }

    /// Hands this store's journal to `other` (which replaces it).
    pub fn give_journal(&self, other: &IdbStore) {
        *other.journal.borrow_mut() = self.journal.borrow_mut().take();
    }

    /// Appends a completed write to the journal, and checkpoints when it is
    /// due. A journal that fails is let go (IndexedDB has the write): the
    /// phone goes on with one copy, as before the journal existed.
    async fn journal(&self, batch: &Batch) {
        let writes: Option<(Rc<JournalFiles>, Vec<Write>)> = {
            let mut j = self.journal.borrow_mut();
            j.as_mut().map(|a| {
                let mut w = vec![a.policy.append(batch)];
                if a.policy.wants_checkpoint() {
                    w.push(a.policy.checkpoint(&self.snapshot.borrow()));
                }
                (a.files.clone(), w)
            })
        };
        let Some((files, writes)) = writes else {
            return;
        };
        for w in &writes {
            if let Err(e) = files.write(w).await {
                web_sys::console::warn_1(
                    &format!("Pointage: journal not written ({}), let go", e.0).into(),
                );
                self.journal.borrow_mut().take();
                return;
            }
        }
    }

    /// Boxed: one copy of its code, not one inlined into each caller (the
    /// stores' `update` is generic over what each write returns).
    fn write_batch(
        &self,
        batch: Batch,
    ) -> Pin<Box<dyn Future<Output = Result<(), WriteError>> + '_>> {
        Box::pin(self.write_batch_now(batch))
    }

    async fn write_batch_now(&self, batch: Batch) -> Result<(), WriteError> {
        if batch.is_empty() {
            return Ok(());
        }
        let tx = self
            .strict_transaction(KV)
            .map_err(|_| WriteError::Unavailable)?;
        let os = tx.object_store(KV).map_err(|_| WriteError::Unavailable)?;
        let expected: Vec<(String, Option<String>)> = {
            let snap = self.snapshot.borrow();
            batch
                .keys()
                .into_iter()
                .map(|k| (k.to_string(), snap.get(k).cloned()))
                .collect()
        };
        let ops: Vec<(String, Option<String>)> = batch
            .ops
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let changed = Rc::new(Cell::new(false));
        let done = settle(&tx, "complete", &["abort", "error"]);
        // Read every touched key; the last read's success (requests run in
        // order within a transaction) compares them all, then writes or
        // aborts, inside the same transaction.
        let reads: Vec<IdbRequest> = expected
            .iter()
            .map(|(k, _)| os.get(&JsValue::from_str(k)))
            .collect::<Result<_, _>>()
            .map_err(|_| WriteError::Unavailable)?;
        let last = reads.last().cloned();
        let on_last = {
            let reads = reads.clone();
            let changed = changed.clone();
            let tx = tx.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
                let same = reads.iter().zip(&expected).all(|(r, (_, want))| {
                    let got = r.result().ok().and_then(|v| v.as_string());
                    got == *want
                });
                if !same {
                    changed.set(true);
                    let _ = tx.abort();
                    return;
                }
                for (k, v) in &ops {
                    let key = JsValue::from_str(k);
                    let r = match v {
                        Some(v) => os.put_with_key(&JsValue::from_str(v), &key),
                        None => os.delete(&key),
                    };
                    if r.is_err() {
                        let _ = tx.abort();
                        return;
                    }
                }
            })
        };
        if let Some(last) = &last {
            last.set_onsuccess(Some(on_last.as_ref().unchecked_ref()));
        }
        let outcome = done.await;
        drop(on_last);
        if outcome.is_err() {
            if changed.get() {
                return Err(WriteError::Changed);
            }
            return Err(failure_of(&tx));
        }
        batch.apply_to(&mut self.snapshot.borrow_mut());
        // The second copy, then this tab may say it is kept.
        self.journal(&batch).await;
        self.announce(&batch);
        Ok(())
    }

    /// Tells the other tabs which keys this one wrote.
    fn announce(&self, batch: &Batch) {
        let Some(channel) = &self.channel else { return };
        let keys = js_sys::Array::new();
        for k in batch.keys() {
            keys.push(&JsValue::from_str(&k.to_string()));
        }
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"tab".into(), &self.tab.as_str().into());
        let _ = js_sys::Reflect::set(&msg, &"keys".into(), &keys);
        let _ = channel.post_message(&msg);
    }

    /// Reads `keys` again from the database into the snapshot: for values
    /// that several tabs add to on purpose (the hand-over parts), when
    /// another tab says it wrote them. Never for a count or an entry: a page
    /// holding those must reload instead.
    pub async fn refresh(&self, keys: &[Key]) -> Result<(), WriteError> {
        let tx = self
            .db
            .transaction_with_str(KV)
            .map_err(|_| WriteError::Unavailable)?;
        let os = tx.object_store(KV).map_err(|_| WriteError::Unavailable)?;
        let reads: Vec<(Key, IdbRequest)> = keys
            .iter()
            .map(|k| Ok((k.clone(), os.get(&JsValue::from_str(&k.to_string()))?)))
            .collect::<Result<_, JsValue>>()
            .map_err(|_| WriteError::Unavailable)?;
        settle(&tx, "complete", &["abort", "error"])
            .await
            .map_err(|_| WriteError::Unavailable)?;
        let mut snap = self.snapshot.borrow_mut();
        for (k, r) in reads {
            match r.result().ok().and_then(|v| v.as_string()) {
                Some(v) => snap.insert(k, v),
                None => snap.remove(&k),
            };
        }
        Ok(())
    }

    /// Keeps the device's private key (a `CryptoKey`), durably.
    pub async fn put_key(&self, key: &web_sys::CryptoKey) -> Result<(), WriteError> {
        self.put_key_as(DEVICE_KEY, key).await
    }

    /// Keeps a private key under `name` (the bureau key, or a table
    /// phone's), durably.
    pub async fn put_key_as(&self, name: &str, key: &web_sys::CryptoKey) -> Result<(), WriteError> {
        let tx = self
            .strict_transaction(KEYS)
            .map_err(|_| WriteError::Unavailable)?;
        let os = tx.object_store(KEYS).map_err(|_| WriteError::Unavailable)?;
        os.put_with_key(key, &name.into())
            .map_err(|_| WriteError::Unavailable)?;
        settle(&tx, "complete", &["abort", "error"])
            .await
            .map(|_| ())
            .map_err(|_| failure_of(&tx))
    }

    /// The device's private key, if this phone has one.
    pub async fn key(&self) -> Result<Option<web_sys::CryptoKey>, WriteError> {
        self.key_as(DEVICE_KEY).await
    }

    /// The private key kept under `name`, if any.
    pub async fn key_as(&self, name: &str) -> Result<Option<web_sys::CryptoKey>, WriteError> {
        let tx = self
            .db
            .transaction_with_str(KEYS)
            .map_err(|_| WriteError::Unavailable)?;
        let os = tx.object_store(KEYS).map_err(|_| WriteError::Unavailable)?;
        let req = os.get(&name.into()).map_err(|_| WriteError::Unavailable)?;
        settle(&tx, "complete", &["abort", "error"])
            .await
            .map_err(|_| WriteError::Unavailable)?;
        let value = req.result().map_err(|_| WriteError::Unavailable)?;
        Ok(value.dyn_into::<web_sys::CryptoKey>().ok())
    }

    /// Whether this tab's snapshot holds nothing.
    pub fn is_empty(&self) -> bool {
        self.snapshot.borrow().is_empty()
    }

    /// Every key this tab holds (for clearing).
    pub fn keys(&self) -> Vec<Key> {
        self.snapshot.borrow().keys().cloned().collect()
    }
}

/// Why a read-write transaction did not complete: the storage is full
/// (Chromium aborts it with a `QuotaExceededError`), or it failed.
fn failure_of(tx: &IdbTransaction) -> WriteError {
    match tx.error().map(|e| e.name()).as_deref() {
        Some("QuotaExceededError") => WriteError::Full,
        _ => WriteError::Unavailable,
    }
}

/// A write's turn: when it ends, however it ends, the next write may go
/// (once the one before has ended, if this one never got its turn).
struct Turn {
    resolve: Option<js_sys::Function>,
    before: Option<js_sys::Promise>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let Some(resolve) = self.resolve.take() else {
            return;
        };
        match self.before.take() {
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
            // `before.then(resolve)`.
            Some(before) => {
                let then = js_sys::Reflect::get(&before, &"then".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
                match then {
                    Some(then) => {
                        let _ = then.call1(&before, &resolve);
                    }
                    None => {
                        let _ = resolve.call0(&JsValue::NULL);
                    }
                }
            }
        }
    }
}

impl Storage for IdbStore {
    fn get(&self, key: &Key) -> Option<String> {
        self.snapshot.borrow().get(key).cloned()
    }

    fn update<T>(
        &self,
        make: impl FnOnce(&Self) -> Result<(Batch, T), WriteError>,
    ) -> impl Future<Output = Result<T, WriteError>> {
        self.update_in_turn(make)
    }
}

/// The keys another tab says it wrote, from a channel message (not ours).
pub fn keys_of_message(data: &JsValue, own_tab: &str) -> Vec<Key> {
    let tab = js_sys::Reflect::get(data, &"tab".into())
        .ok()
        .and_then(|t| t.as_string());
    if tab.as_deref() == Some(own_tab) {
        return Vec::new();
    }
    js_sys::Reflect::get(data, &"keys".into())
        .ok()
        .and_then(|k| k.dyn_into::<js_sys::Array>().ok())
        .map(|a| {
            a.iter()
                .filter_map(|k| Key::parse(&k.as_string()?))
                .collect()
        })
        .unwrap_or_default()
}
