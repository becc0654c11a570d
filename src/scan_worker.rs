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

#[cfg(test)]
mod tests {
    use super::read;
    use qrcodegen::{QrCode, QrCodeEcc};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// `qr` drawn black on white, `scale` pixels a module, with its quiet
    /// zone, as the RGBA frame a camera would give.
    fn frame(qr: &QrCode, scale: usize) -> (usize, Vec<u8>) {
        let side = (qr.size() as usize + 8) * scale;
        let mut rgba = vec![255u8; side * side * 4];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as i32 - 4, (y / scale) as i32 - 4);
                if qr.get_module(mx, my) {
                    let i = (y * side + x) * 4;
                    rgba[i..i + 3].copy_from_slice(&[0, 0, 0]);
                }
            }
        }
        (side, rgba)
    }

    #[test]
    fn a_sheet_part_drawn_as_a_qr_code_reads_back_and_a_blank_frame_reads_nothing() {
        let text = "http://127.0.0.1/tables#PTS1-1-2-ABCDEFGH-MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOV3HO6DZPJQWEY3EMVTGO2DJNJVWY3LON5YHC4TTORVXM53YPF5A";
        let qr = QrCode::encode_text(text, QrCodeEcc::Medium).expect("fits");
        let (side, rgba) = frame(&qr, 4);
        assert_eq!(read(side, side, &rgba), vec![text.to_owned()]);
        assert!(read(side, side, &vec![255u8; side * side * 4]).is_empty());
        assert!(read(0, 0, &[]).is_empty(), "an empty frame is no code");
    }
}
