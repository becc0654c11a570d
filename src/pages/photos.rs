//! `/photos`: the paper PV photographed, once the PV is signed and its
//! code written on the paper. The pages taken (each shown back full screen
//! to check it is legible before it is kept), then signed and sent. It
//! only lays out: `camera` opens the camera and re-encodes off the page's
//! thread, `session::photos` keeps, signs and hands to the outbox.

use crate::camera::{self, CameraError, Encoded, Encoder};
use crate::components::not_enrolled::NotEnrolled;
use crate::components::qr::{Carrying, ReturnQrCodes};
use crate::components::topbar::TopBar;
use crate::i18n::{tr, use_i18n};
use crate::session::photos::Photos;
use crate::session::{self, Device};
use leptos::html;
use leptos::prelude::*;
use pointage_device::photos::{DraftPage, PhotoStanding};
use std::rc::Rc;
use wasm_bindgen::JsCast;

#[component]
pub fn PhotosPage() -> impl IntoView {
    let body = match session::device() {
        Some(device) => view! { <Pages device/> }.into_any(),
        None => view! { <NotEnrolled/> }.into_any(),
    };
    view! {
        <TopBar/>
        <main aria-labelledby="photos-title">
            <h1 id="photos-title">{tr(|t| t.photos.title)}</h1>
            {body}
        </main>
    }
}

/// What the screen shows: the pages, the camera, or a picture to check.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    Pages,
    Camera,
    /// Re-encoding: the screen waits, never frozen.
    Encoding,
    /// The picture taken, full screen, with its address to show it.
    Check(Encoded, String),
}

#[component]
fn Pages(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let photos = Photos::new(device);
    let mode = RwSignal::new(Mode::Pages);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let encoder: StoredValue<Option<Rc<Encoder>>, LocalStorage> =
        StoredValue::new_local(Encoder::start().map(Rc::new));
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let video = NodeRef::<html::Video>::new();
    let stop = move || {
        stream.update_value(|s| {
            if let Some(s) = s.take() {
                camera::close(&s);
            }
        })
    };
    on_cleanup(stop);

    let show = move |taken: Option<Encoded>| match taken
        .as_ref()
        .and_then(|e| camera::url_of(&e.bytes, &e.media_type).map(|u| (e.clone(), u)))
    {
        Some((e, url)) => mode.set(Mode::Check(e, url)),
        None => {
            error.set(Some(i18n.t().photos.encode_failed.to_owned()));
            mode.set(Mode::Pages);
        }
    };
    // The camera opens once its <video> is on the screen.
    Effect::new(move |_| {
        if mode.get() != Mode::Camera {
            return;
        }
        let Some(el) = video.get() else { return };
        // The camera and its button in view, under the top bar.
        el.scroll_into_view();
        camera::then::open(el, move |opened| match opened {
            Ok(s) => stream.set_value(Some(s)),
            Err(e) => {
                let t = i18n.t();
                error.set(Some(
                    match e {
                        CameraError::Denied => t.photos.camera_denied,
                        CameraError::Unavailable => t.photos.camera_unavailable,
                    }
                    .to_owned(),
                ));
                mode.set(Mode::Pages);
            }
        });
    });
    let take = move |_| {
        let (Some(el), Some(enc)) = (video.get_untracked(), encoder.get_value()) else {
            return;
        };
        mode.set(Mode::Encoding);
        camera::then::take(enc, el, move |taken| {
            stop();
            show(taken);
        });
    };
    let picked = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let (Some(file), Some(enc)) = (file, encoder.get_value()) else {
            return;
        };
        error.set(None);
        mode.set(Mode::Encoding);
        camera::then::encode_file(enc, file.into(), show);
    };
    let keep = move |e: Encoded, url: String| {
        camera::forget_url(&url);
        photos.keep_then(e, move |kept| {
            if let Err(e) = kept {
                error.set(Some((i18n.t().photos.page_error)(e).to_owned()));
            }
            mode.set(Mode::Pages);
        });
    };
    let sign = move |reason: Option<String>| {
        busy.set(true);
        error.set(None);
        photos.sign_then(reason, move |signed| {
            busy.set(false);
            if let Err(e) = signed {
                error.set(Some((i18n.t().photos.sign_error)(&e)));
            }
        });
    };

    view! {
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || match mode.get() {
            Mode::Camera => view! {
                <div class="camera">
                    <video node_ref=video class="camera-view" autoplay=true muted=true
                        playsinline=true aria-label=move || i18n.t().photos.camera_label></video>
                    <button type="button" class="primary" id="take-photo" on:click=take>
                        {tr(|t| t.photos.take)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| { stop(); mode.set(Mode::Pages); }>
                        {tr(|t| t.common.cancel)}
                    </button>
                </div>
            }.into_any(),
            Mode::Encoding => view! {
                <p class="note" role="status" aria-live="polite">{tr(|t| t.photos.encoding)}</p>
            }.into_any(),
            Mode::Check(e, url) => {
                let again_url = url.clone();
                view! {
                    <figure class="photo-check">
                        <img src=url.clone() alt=move || i18n.t().photos.check />
                        <figcaption>{tr(|t| t.photos.check)}</figcaption>
                    </figure>
                    <button type="button" class="primary" id="keep-photo"
                        on:click=move |_| keep(e.clone(), url.clone())>
                        {tr(|t| t.photos.keep)}
                    </button>
                    <button type="button" class="secondary"
                        on:click=move |_| { camera::forget_url(&again_url); mode.set(Mode::Camera); }>
                        {tr(|t| t.photos.again)}
                    </button>
                }.into_any()
            }
            Mode::Pages => view! { <Taken photos mode busy sign picked/> }.into_any(),
        }}
    }
}

/// The pages taken, what the signed ones came to, and what to do next.
#[component]
fn Taken(
    photos: Photos,
    mode: RwSignal<Mode>,
    busy: RwSignal<bool>,
    sign: impl Fn(Option<String>) + Copy + Send + Sync + 'static,
    picked: impl Fn(leptos::ev::Event) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let retaking = RwSignal::new(false);
    // The signed photos shown as QR codes, while the server has not
    // received them (no network here: a helper's phone carries them).
    let qr = RwSignal::new(false);
    let unsent = Memo::new(move |_| photos.unsent());
    let by_qr = move || {
        let t = i18n.t();
        match (unsent.get(), qr.get()) {
            (None, _) => None,
            (Some((version, bytes)), true) => Some(
                view! {
                    <ReturnQrCodes returns=vec![(version, bytes)] of=Carrying::Photos/>
                    <button type="button" class="secondary wide" on:click=move |_| qr.set(false)>
                        {t.pv.qr_hide}
                    </button>
                }
                .into_any(),
            ),
            (Some(_), false) => Some(
                view! {
                    <button type="button" class="secondary show-qr" on:click=move |_| qr.set(true)>
                        {t.pv.qr_show}
                    </button>
                }
                .into_any(),
            ),
        }
    };
    // The outbox tells its news every few seconds: only the status line
    // follows it, and the pages (their pictures read from storage) are
    // drawn again only when whether they are signed changes.
    let signed = Memo::new(move |_| matches!(photos.standing(), PhotoStanding::Signed { .. }));
    move || {
        let t = i18n.t();
        if !photos.pv_signed() {
            return view! {
                <p class="note">{t.photos.not_signed_yet}</p>
                <a class="button secondary" href="/">{t.photos.later}</a>
            }
            .into_any();
        }
        let draft = photos.draft();
        let signed = signed.get();
        let n = draft.len();
        let list = draft
            .into_iter()
            .enumerate()
            .map(|(i, page)| view! { <PageItem photos index=i page/> })
            .collect_view();
        let status = signed.then(|| {
            view! {
                <p class="status photos-status" role="status">
                    {move || (i18n.t().photos.status)(&photos.standing())}
                </p>
            }
        });
        let can_take = n < pointage_core::photo::MAX_PAGES && (!signed || retaking.get());
        let taking = can_take.then(|| {
            view! {
                <button type="button" class=if n == 0 { "primary" } else { "secondary" } id="open-camera"
                    on:click=move |_| mode.set(Mode::Camera)>
                    {t.photos.open_camera}
                </button>
                <label class="button secondary file-pick">
                    {t.photos.pick_file}
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                        on:change=picked />
                </label>
            }
        });
        // Any version after the first replaces one: its reason is asked.
        let needs_reason = photos.signed_before();
        let signing = (n > 0).then(|| {
            view! {
                {needs_reason.then(|| view! {
                    <label for="photos-reason">{t.photos.reason_label}</label>
                    <p class="hint">{t.photos.reason_hint}</p>
                    <input id="photos-reason" type="text" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev)) />
                })}
                <button type="button" class="primary" id="sign-photos" disabled=move || busy.get()
                    on:click=move |_| sign(needs_reason.then(|| reason.get_untracked()))>
                    {move || if busy.get() { i18n.t().photos.signing.to_owned() } else { (i18n.t().photos.sign)(n) }}
                </button>
            }
        });
        let retake = (signed && !retaking.get() && n == 0).then(|| {
            view! {
                <button type="button" class="secondary" on:click=move |_| retaking.set(true)>
                    {t.photos.retake}
                </button>
            }
        });
        view! {
            {(!signed).then(|| view! { <p class="intro">{t.photos.intro}</p> })}
            {status}
            {signed.then_some(by_qr)}
            <ol class="photo-pages">{list}</ol>
            {(n > 0).then(|| view! { <p class="hint">{t.photos.max_pages}</p> })}
            {taking}
            {signing}
            {retake}
            <p><a href="/">{if signed { t.photos.back } else { t.photos.later }}</a></p>
        }
        .into_any()
    }
}

/// A page taken: its picture, small, and a way to take it off.
#[component]
fn PageItem(photos: Photos, index: usize, page: DraftPage) -> impl IntoView {
    let i18n = use_i18n();
    let url = RwSignal::new(None::<String>);
    Photos::url_then(page.sha256, page.media_type, move |u| url.set(u));
    on_cleanup(move || {
        if let Some(u) = url.get_untracked() {
            camera::forget_url(&u);
        }
    });
    let label = move || (i18n.t().photos.page)(index + 1);
    view! {
        <li class="photo-page">
            {move || url.get().map(|u| view! { <img src=u alt=label /> })}
            <span>{label}</span>
            <button type="button" class="secondary" on:click=move |_| photos.remove_then(index)>
                {tr(|t| t.photos.remove)}
            </button>
        </li>
    }
}
