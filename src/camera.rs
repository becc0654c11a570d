//! The camera and the encoder for the paper PV's photos: an adapter, no
//! rule. The rear camera at the best resolution the phone gives (or a
//! picture picked from a file, where the camera cannot be opened), then
//! the picture re-encoded by `public/photo-worker.js` on a thread of its
//! own, so that the screen never freezes: about 1,600 px on its long side,
//! JPEG, under core's bound per page.

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use pointage_core::photo::MAX_PAGE_BYTES;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamConstraints, MessageEvent, Worker};

/// The long side a page is re-encoded to, in pixels: the text of a PV
/// stays legible, and a page fits under the bound.
pub const LONG_SIDE: u32 = 1600;

/// Why the camera could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraError {
    Denied,
    Unavailable,
}

/// A picture re-encoded: its bytes and media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub media_type: String,
}

/// Opens the rear camera, asking for the largest frames it gives.
pub async fn open(el: &web_sys::HtmlVideoElement) -> Result<MediaStream, CameraError> {
    let devices = window()
        .navigator()
        .media_devices()
        .map_err(|_| CameraError::Unavailable)?;
    let constraints = MediaStreamConstraints::new();
    let video = Object::new();
    let ideal = |n: u32| {
        let o = Object::new();
        let _ = Reflect::set(&o, &"ideal".into(), &n.into());
        o
    };
    let _ = Reflect::set(&video, &"facingMode".into(), &"environment".into());
    let _ = Reflect::set(&video, &"width".into(), &ideal(4096));
    let _ = Reflect::set(&video, &"height".into(), &ideal(3072));
    constraints.set_video(&video);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::Unavailable)?;
    let stream: MediaStream = JsFuture::from(promise)
        .await
        .map_err(|e| {
            match Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .as_deref()
            {
                Some("NotAllowedError" | "SecurityError") => CameraError::Denied,
                _ => CameraError::Unavailable,
            }
        })?
        .unchecked_into();
    el.set_src_object(Some(&stream));
    let _ = el.play();
    Ok(stream)
}

/// Stops every track of `stream`: the camera's light goes off.
pub fn close(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
            t.stop();
        }
    }
}

/// The frame the camera shows now, as an `ImageBitmap` (taken on this
/// thread: it is a copy, not an encoding).
pub async fn frame(el: &web_sys::HtmlVideoElement) -> Option<JsValue> {
    let create: Function = Reflect::get(&window(), &"createImageBitmap".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let p: Promise = create.call1(&window(), el).ok()?.dyn_into().ok()?;
    JsFuture::from(p).await.ok()
}

/// The encoder's worker: started when the photos screen opens.
pub struct Encoder {
    worker: Worker,
}

impl Encoder {
    pub fn start() -> Option<Self> {
        Worker::new("/photo-worker.js")
            .ok()
            .map(|worker| Encoder { worker })
    }

    /// Re-encodes `source` (an `ImageBitmap` or a `Blob`) in the worker.
    pub async fn encode(&self, source: JsValue) -> Option<Encoded> {
        let message = Object::new();
        Reflect::set(&message, &"source".into(), &source).ok()?;
        Reflect::set(&message, &"longSide".into(), &LONG_SIDE.into()).ok()?;
        Reflect::set(
            &message,
            &"maxBytes".into(),
            &(MAX_PAGE_BYTES as f64).into(),
        )
        .ok()?;
        let worker = self.worker.clone();
        let answer = Promise::new(&mut |resolve, _reject| {
            let on = Closure::once_into_js(move |ev: MessageEvent| {
                let _ = resolve.call1(&JsValue::NULL, &ev.data());
            });
            worker.set_onmessage(Some(on.unchecked_ref()));
        });
        let transfer = js_sys::Array::new();
        if !source.is_instance_of::<web_sys::Blob>() {
            transfer.push(&source);
        }
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .ok()?;
        let data = JsFuture::from(answer).await.ok()?;
        self.worker.set_onmessage(None);
        let bytes = Reflect::get(&data, &"bytes".into()).ok()?;
        let buffer: JsValue = bytes.dyn_into::<js_sys::ArrayBuffer>().ok()?.into();
        let bytes = js_sys::Uint8Array::new(&buffer);
        let media_type = Reflect::get(&data, &"type".into()).ok()?.as_string()?;
        Some(Encoded {
            bytes: bytes.to_vec(),
            media_type,
        })
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// A picture's bytes as an address an `<img>` shows (an object URL; the
/// caller revokes it with [`forget_url`]).
pub fn url_of(bytes: &[u8], media_type: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

pub fn forget_url(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The screen's side of the camera: each call starts the work in the
/// background and gives what it came to to `then` (a screen starts no
/// task itself).
pub mod then {
    use super::{CameraError, Encoded, Encoder};
    use std::rc::Rc;
    use wasm_bindgen::JsValue;
    use web_sys::{HtmlVideoElement, MediaStream};

    pub fn open(
        el: HtmlVideoElement,
        then: impl FnOnce(Result<MediaStream, CameraError>) + 'static,
    ) {
        leptos::task::spawn_local(async move { then(super::open(&el).await) });
    }

    /// The frame the camera shows now, re-encoded.
    pub fn take(
        encoder: Rc<Encoder>,
        el: HtmlVideoElement,
        then: impl FnOnce(Option<Encoded>) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            let encoded = match super::frame(&el).await {
                Some(bitmap) => encoder.encode(bitmap).await,
                None => None,
            };
            then(encoded);
        });
    }

    /// A picture picked from a file, re-encoded.
    pub fn encode_file(
        encoder: Rc<Encoder>,
        file: JsValue,
        then: impl FnOnce(Option<Encoded>) + 'static,
    ) {
        leptos::task::spawn_local(async move { then(encoder.encode(file).await) });
    }
}
