//! The journal's files, through the worker `public/journal.js` (only a
//! dedicated worker can write a file of the origin private file system in
//! place). What goes in them, where, and when, is
//! [`pointage_device::journal`]'s; this is the channel to the worker.

use pointage_device::journal::{FILES, Write};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The worker's script, served with the app.
pub const SCRIPT: &str = "/journal.js";

/// How long a write, and the opening (which reads both files whole), may
/// take before the journal is let go.
const WRITE_TIMEOUT_MS: i32 = 3_000;
const OPEN_TIMEOUT_MS: i32 = 15_000;

type Pending = Rc<RefCell<BTreeMap<u32, (js_sys::Function, js_sys::Function)>>>;

/// Why the journal could not be read or written: the worker's error name
/// (`NotFoundError`, `QuotaExceededError`, …) or what failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalError(pub String);

pub struct JournalFiles {
    worker: web_sys::Worker,
    pending: Pending,
    next: Cell<u32>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl JournalFiles {
    /// Starts the worker from `url` (the app's [`SCRIPT`]).
    pub fn start(url: &str) -> Result<JournalFiles, JournalError> {
        let worker = web_sys::Worker::new(url).map_err(|_| JournalError("no worker".into()))?;
        let pending: Pending = Rc::default();
        let on_message = {
            let pending = pending.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let data = ev.data();
                let id = js_sys::Reflect::get(&data, &"id".into())
                    .ok()
                    .and_then(|v| v.as_f64())
                    .map(|v| v as u32);
                let Some((resolve, reject)) = id.and_then(|id| pending.borrow_mut().remove(&id))
                else {
                    return;
                };
                match js_sys::Reflect::get(&data, &"error".into()) {
                    Ok(e) if !e.is_undefined() => {
                        let _ = reject.call1(&JsValue::NULL, &e);
                    }
                    _ => {
                        let _ = resolve.call1(&JsValue::NULL, &data);
                    }
                }
            })
        };
        // The script did not load or threw: every call waiting fails.
        let on_error = {
            let pending = pending.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
                for (_, (_, reject)) in std::mem::take(&mut *pending.borrow_mut()) {
                    let _ = reject.call1(&JsValue::NULL, &"worker failed".into());
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(JournalFiles {
            worker,
            pending,
            next: Cell::new(0),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts `msg` and waits for its answer, at most `timeout_ms`: a worker
    /// that never answers (ended by the browser without a word) must not
    /// hold a tap's write for ever.
    async fn call(&self, msg: js_sys::Object, timeout_ms: i32) -> Result<JsValue, JournalError> {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        let _ = js_sys::Reflect::set(&msg, &"id".into(), &id.into());
        let pending = self.pending.clone();
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().insert(id, (resolve, reject));
        });
        if self.worker.post_message(&msg).is_err() {
            self.pending.borrow_mut().remove(&id);
            return Err(JournalError("post failed".into()));
        }
        let late = js_sys::Promise::new(&mut |_, reject| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_1(
                    &reject,
                    timeout_ms,
                    &"no answer".into(),
                );
            }
        });
        let answer =
            JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&promise, &late))).await;
        self.pending.borrow_mut().remove(&id);
        answer.map_err(|e| JournalError(e.as_string().unwrap_or_else(|| "failed".into())))
    }

    /// Opens the two files (creating them empty) and reads them whole. The
    /// worker keeps them open, for this page alone, until it ends.
    pub async fn open(&self) -> Result<[Vec<u8>; 2], JournalError> {
        let msg = js_sys::Object::new();
        let names = js_sys::Array::new();
        for name in FILES {
            names.push(&name.into());
        }
        let _ = js_sys::Reflect::set(&msg, &"op".into(), &"open".into());
        let _ = js_sys::Reflect::set(&msg, &"names".into(), &names);
        let answer = self.call(msg, OPEN_TIMEOUT_MS).await?;
        let files: js_sys::Array = js_sys::Reflect::get(&answer, &"files".into())
            .map_err(|_| JournalError("no files".into()))?
            .dyn_into()
            .map_err(|_| JournalError("no files".into()))?;
        let read = |i: u32| js_sys::Uint8Array::new(&files.get(i)).to_vec();
        Ok([read(0), read(1)])
    }

    /// Makes `w`, flushed to disk, before it resolves.
    pub async fn write(&self, w: &Write) -> Result<(), JournalError> {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"op".into(), &"write".into());
        let _ = js_sys::Reflect::set(&msg, &"file".into(), &(w.file as u32).into());
        let _ = js_sys::Reflect::set(&msg, &"at".into(), &(w.at as f64).into());
        let _ = js_sys::Reflect::set(&msg, &"truncate".into(), &w.truncate.into());
        let bytes = js_sys::Uint8Array::from(w.bytes.as_slice());
        let _ = js_sys::Reflect::set(&msg, &"bytes".into(), &bytes);
        self.call(msg, WRITE_TIMEOUT_MS).await.map(|_| ())
    }
}

impl Drop for JournalFiles {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
