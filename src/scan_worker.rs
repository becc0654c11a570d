//! The QR decoder, as a web worker of its own (`pointage-scan`): the
//! scanning screen starts it, and only on a browser without
//! `BarcodeDetector`; the first load of the app never fetches it. It reads
//! QR codes in the camera frames it is sent, off the page's thread, with
//! `rqrr` (a Rust port of quirc).
//!
//! Message in: `{width, height, data}` (an RGBA frame, `data` a
//! `Uint8ClampedArray`). Message out: an array of the texts read in it
//! (empty when none).

use js_sys::{Array, Reflect, Uint8ClampedArray};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn number(v: &JsValue, name: &str) -> usize {
    Reflect::get(v, &name.into())
        .ok()
        .and_then(|n| n.as_f64())
        .map_or(0, |n| n as usize)
}

/// The texts of the QR codes in an RGBA frame.
fn read(width: usize, height: usize, rgba: &[u8]) -> Vec<String> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return Vec::new();
    }
    let grey = |x: usize, y: usize| {
        let i = (y * width + x) * 4;
        // ITU-R BT.601 luma, in integers.
        let (r, g, b) = (
            u32::from(rgba[i]),
            u32::from(rgba[i + 1]),
            u32::from(rgba[i + 2]),
        );
        ((299 * r + 587 * g + 114 * b) / 1000) as u8
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, grey);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let frame = ev.data();
        let data: Uint8ClampedArray = Reflect::get(&frame, &"data".into())
            .map(JsCast::unchecked_into)
            .unwrap_or_else(|_| Uint8ClampedArray::new_with_length(0));
        let texts = read(
            number(&frame, "width"),
            number(&frame, "height"),
            &data.to_vec(),
        );
        let out: Array = texts.into_iter().map(JsValue::from).collect();
        let _ = reply.post_message(&out);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}
