//! The paper PV's pictures in the browser: device's [`Pictures`] port over
//! an IndexedDB database of their own, `pointage-pictures` (one store of
//! bytes by SHA-256), apart from `pointage` whose every value each tab
//! reads at start. A put resolves only once its transaction completed with
//! strict durability, as every other write of the phone.

use super::idb::settle;
use pointage_device::WriteError;
use pointage_device::ports::Pictures;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

const DB: &str = "pointage-pictures";
const STORE: &str = "pictures";

/// The pictures' database, opened at each use (a photo is taken a few
/// times an evening).
pub struct IdbPictures;

async fn open() -> Result<IdbDatabase, WriteError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or(WriteError::Unavailable)?;
    let req = factory
        .open_with_u32(DB, 1)
        .map_err(|_| WriteError::Unavailable)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db
            && !db.object_store_names().contains(STORE)
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    settle(&req, "success", &["error", "blocked"])
        .await
        .map_err(|_| WriteError::Unavailable)?;
    drop(upgrade);
    Ok(req
        .result()
        .map_err(|_| WriteError::Unavailable)?
        .unchecked_into())
}

/// A `readwrite` transaction with strict durability (an options object:
/// web-sys has it only behind its unstable flag).
fn strict(db: &IdbDatabase) -> Result<IdbTransaction, WriteError> {
    let options = js_sys::Object::new();
    let tx = (|| {
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())?;
        let f: js_sys::Function = js_sys::Reflect::get(db, &"transaction".into())?.dyn_into()?;
        f.call3(db, &STORE.into(), &"readwrite".into(), &options)
    })()
    .map_err(|_| WriteError::Unavailable)?;
    Ok(tx.unchecked_into())
}

fn failure(tx: &IdbTransaction) -> WriteError {
    match tx.error().map(|e| e.name()).as_deref() {
        Some("QuotaExceededError") => WriteError::Full,
        _ => WriteError::Unavailable,
    }
}

impl Pictures for IdbPictures {
    async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        let db = open().await?;
        let tx = strict(&db)?;
        let os = tx
            .object_store(STORE)
            .map_err(|_| WriteError::Unavailable)?;
        let value = js_sys::Uint8Array::from(bytes.as_slice());
        os.put_with_key(&value, &sha256.into())
            .map_err(|_| WriteError::Unavailable)?;
        settle(&tx, "complete", &["abort", "error"])
            .await
            .map(|_| ())
            .map_err(|_| failure(&tx))
    }

    async fn get(&self, sha256: &str) -> Option<Vec<u8>> {
        let db = open().await.ok()?;
        let tx = db.transaction_with_str(STORE).ok()?;
        let req = tx.object_store(STORE).ok()?.get(&sha256.into()).ok()?;
        settle(&tx, "complete", &["abort", "error"]).await.ok()?;
        let value = req.result().ok()?;
        value
            .dyn_into::<js_sys::Uint8Array>()
            .ok()
            .map(|a| a.to_vec())
    }

    async fn delete(&self, sha256: &str) -> Result<(), WriteError> {
        let db = open().await?;
        let tx = strict(&db)?;
        let os = tx
            .object_store(STORE)
            .map_err(|_| WriteError::Unavailable)?;
        os.delete(&sha256.into())
            .map_err(|_| WriteError::Unavailable)?;
        settle(&tx, "complete", &["abort", "error"])
            .await
            .map(|_| ())
            .map_err(|_| failure(&tx))
    }
}
