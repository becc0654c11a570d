//! The phone's camera, inside the app, reading QR codes: the rear camera
//! (`getUserMedia`) in a video, and a few frames a second read by the
//! browser's `BarcodeDetector` where it has one, otherwise by the decoder
//! worker (`pointage-scan`, started here and only here, so the app's first
//! load never fetches it). Every text read is handed to `on_text`, as
//! often as the code stays in view: the caller keeps what it needs.
//!
//! The camera is stopped, and the worker ended, when the component goes.

use crate::i18n::use_i18n;
use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::html::Video;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlCanvasElement, MediaStream, MediaStreamConstraints, MessageEvent, Worker};

/// How often a frame is read, in milliseconds.
const EVERY_MS: i32 = 250;
/// A decoder that has not answered a frame in this long (milliseconds) is
/// taken for dead and started again.
const STUCK_MS: f64 = 3000.0;
/// Frames are read at most this wide (a code filling a third of the view
/// still has over 3 pixels a module).
const MAX_WIDTH: u32 = 960;

/// Why the camera does not show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CameraError {
    /// Refused by the person, or by the browser (not a secure page).
    Denied,
    /// No camera, or it is in use.
    Unavailable,
}

/// What runs while the camera shows, dropped (and stopped) with it.
#[derive(Default)]
struct Running {
    stream: Option<MediaStream>,
    worker: Option<Worker>,
    interval: Option<i32>,
    /// The closures the browser calls; kept alive while it may.
    _tick: Option<Closure<dyn FnMut()>>,
    _reply: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl Running {
    fn stop(&mut self) {
        if let Some(id) = self.interval.take() {
            window().clear_interval_with_handle(id);
        }
        if let Some(s) = self.stream.take() {
            for t in s.get_tracks().iter() {
                if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
                    t.stop();
                }
            }
        }
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
        self._tick = None;
        self._reply = None;
    }
}

/// The browser's own QR reader, if it has one.
fn barcode_detector() -> Option<JsValue> {
    let ctor = Reflect::get(&window(), &"BarcodeDetector".into()).ok()?;
    let ctor: Function = ctor.dyn_into().ok()?;
    let opts = Object::new();
    Reflect::set(&opts, &"formats".into(), &Array::of1(&"qr_code".into())).ok()?;
    Reflect::construct(&ctor, &Array::of1(&opts)).ok()
}

fn texts_of(value: &JsValue) -> Vec<String> {
    let Ok(items) = value.clone().dyn_into::<Array>() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| {
            i.as_string().or_else(|| {
                Reflect::get(&i, &"rawValue".into())
                    .ok()
                    .and_then(|v| v.as_string())
            })
        })
        .collect()
}

#[component]
pub fn Scanner(on_text: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<Video>::new();
    let problem = RwSignal::new(None::<CameraError>);
    let running = StoredValue::new_local(Running::default());
    on_cleanup(move || running.update_value(Running::stop));

    Effect::new(move |_| {
        let Some(el) = video.get() else { return };
        leptos::task::spawn_local(async move {
            match start(&el, on_text, running).await {
                Ok(()) => {}
                Err(p) => problem.set(Some(p)),
            }
        });
    });

    view! {
        <div class="scanner">
            <video node_ref=video class="scanner-view" autoplay=true muted=true
                playsinline=true aria-label=move || i18n.tables().camera_label></video>
            {move || problem.get().map(|p| {
                let t = i18n.s();
                let said = match p {
                    CameraError::Denied => t.tables.camera_denied,
                    CameraError::Unavailable => t.tables.camera_unavailable,
                };
                view! { <p class="error" role="alert">{said}</p> }
            })}
        </div>
    }
}

async fn start(
    el: &web_sys::HtmlVideoElement,
    on_text: Callback<String>,
    running: StoredValue<Running, LocalStorage>,
) -> Result<(), CameraError> {
    let devices = window()
        .navigator()
        .media_devices()
        .map_err(|_| CameraError::Unavailable)?;
    let constraints = MediaStreamConstraints::new();
    let video = Object::new();
    let _ = Reflect::set(&video, &"facingMode".into(), &"environment".into());
    constraints.set_video(&video);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::Unavailable)?;
    let stream: MediaStream = JsFuture::from(promise)
        .await
        .map_err(|e| {
            let name = Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string());
            match name.as_deref() {
                Some("NotAllowedError" | "SecurityError") => CameraError::Denied,
                _ => CameraError::Unavailable,
            }
        })?
        .unchecked_into();
    el.set_src_object(Some(&stream));
    let _ = el.play();
    running.update_value(|r| r.stream = Some(stream));

    let el = el.clone();
    let tick: Closure<dyn FnMut()> = match barcode_detector() {
        Some(detector) => {
            let busy = std::rc::Rc::new(std::cell::Cell::new(false));
            Closure::new(move || {
                if busy.get() || el.ready_state() < 2 {
                    return;
                }
                let Ok(detect) = Reflect::get(&detector, &"detect".into())
                    .and_then(|f| f.dyn_into::<Function>())
                else {
                    return;
                };
                let Ok(p) = detect.call1(&detector, &el) else {
                    return;
                };
                busy.set(true);
                let busy = busy.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(found) = JsFuture::from(Promise::from(p)).await {
                        for t in texts_of(&found) {
                            on_text.run(t);
                        }
                    }
                    busy.set(false);
                });
            })
        }
        None => {
            // When the last frame was sent, while its answer is awaited.
            let sent_at = Rc::new(Cell::new(None::<f64>));
            let replied = sent_at.clone();
            let reply = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                replied.set(None);
                for t in texts_of(&ev.data()) {
                    on_text.run(t);
                }
            });
            let start_worker = {
                let on_reply: Function = reply.as_ref().unchecked_ref::<Function>().clone();
                move || {
                    let w = Worker::new("/pointage-scan_loader.js").ok()?;
                    w.set_onmessage(Some(&on_reply));
                    Some(w)
                }
            };
            let worker = start_worker().ok_or(CameraError::Unavailable)?;
            let canvas: HtmlCanvasElement = document()
                .create_element("canvas")
                .map_err(|_| CameraError::Unavailable)?
                .unchecked_into();
            running.update_value(|r| {
                r.worker = Some(worker);
                r._reply = Some(reply);
            });
            Closure::new(move || {
                // A decoder that stopped answering (a frame it could not
                // survive) is replaced, so the camera never stops reading.
                if let Some(at) = sent_at.get() {
                    if js_sys::Date::now() - at < STUCK_MS {
                        return;
                    }
                    let fresh = start_worker();
                    running.update_value(|r| {
                        if let Some(old) = r.worker.take() {
                            old.terminate();
                        }
                        r.worker = fresh;
                    });
                    sent_at.set(None);
                }
                if el.ready_state() < 2 {
                    return;
                }
                let (w, h) = (el.video_width(), el.video_height());
                if w == 0 || h == 0 {
                    return;
                }
                let scale = f64::from(MAX_WIDTH.min(w)) / f64::from(w);
                let (cw, ch) = ((f64::from(w) * scale) as u32, (f64::from(h) * scale) as u32);
                canvas.set_width(cw);
                canvas.set_height(ch);
                let Some(ctx) = canvas
                    .get_context("2d")
                    .ok()
                    .flatten()
                    .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
                else {
                    return;
                };
                if ctx
                    .draw_image_with_html_video_element_and_dw_and_dh(
                        &el,
                        0.0,
                        0.0,
                        f64::from(cw),
                        f64::from(ch),
                    )
                    .is_err()
                {
                    return;
                }
                let Ok(image) = ctx.get_image_data(0.0, 0.0, f64::from(cw), f64::from(ch)) else {
                    return;
                };
                // ImageData has the worker's `width`, `height` and `data`.
                let sent = running
                    .with_value(|r| r.worker.as_ref().map(|w| w.post_message(&image).is_ok()));
                if sent == Some(true) {
                    sent_at.set(Some(js_sys::Date::now()));
                }
            })
        }
    };
    let id = window()
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            EVERY_MS,
        )
        .map_err(|_| CameraError::Unavailable)?;
    running.update_value(|r| {
        r.interval = Some(id);
        r._tick = Some(tick);
    });
    Ok(())
}
