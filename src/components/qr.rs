//! A signed return shown as QR codes, for the hand-over without a network:
//! core's `handover::split` cuts the return's bytes into parts, and each part
//! becomes one code holding the address of this server's deposit page with
//! the part after `#`. Any phone's camera app then opens `/deposer`, which
//! keeps the parts and sends the return once all are read. The fragment
//! never reaches a server log.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use pointage_core::handover;
use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use std::fmt::Write;

/// Modules of white border on each side (the standard's quiet zone).
const QUIET: i32 = 4;

/// One part as a QR code: the address in byte mode, the part in the compact
/// alphanumeric mode, error correction M (raised when it fits the same
/// size). Returns the side in modules, quiet zone included, and the SVG path
/// of the dark modules, a run of them per `M…h…v1h…z`.
pub fn code(address: &str, part: &str) -> Option<(i32, String)> {
    let part_segment = if QrSegment::is_alphanumeric(part) {
        QrSegment::make_alphanumeric(part)
    } else {
        QrSegment::make_bytes(part.as_bytes())
    };
    let segments = [QrSegment::make_bytes(address.as_bytes()), part_segment];
    let qr = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::MAX,
        None,
        true,
    )
    .ok()?;
    let n = qr.size();
    let mut path = String::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && qr.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(path, "M{},{}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    Some((n + 2 * QUIET, path))
}

/// The deposit page's address on the server this app came from.
fn deposit_address() -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/deposer#")
}

/// One address as one QR code (`path` on this server), for a phone's
/// camera app to open.
#[component]
pub fn LinkCode(path: &'static str, label: &'static str) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let link = format!("{origin}{path}");
    code(&link, "").map(|(side, d)| {
        view! {
            <svg class="qr-code" viewBox=format!("0 0 {side} {side}") role="img"
                aria-label=label shape-rendering="crispEdges" data-link=link>
                <rect width=side height=side fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}

/// The codes of a join code or a table sheet (`parts`, each under this
/// server's `path`), one at a time, going on to the next by themselves
/// every 1.5 s so that a camera held on the screen reads them all.
#[component]
pub fn PartCodes(
    path: &'static str,
    parts: Vec<String>,
    title: String,
    intro: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let origin = window().location().origin().unwrap_or_default();
    let address = format!("{origin}{path}");
    let codes: Vec<(i32, String, String)> = parts
        .iter()
        .filter_map(|p| code(&address, p).map(|(side, d)| (side, d, format!("{address}{p}"))))
        .collect();
    let count = codes.len();
    let codes = StoredValue::new(codes);
    let shown = RwSignal::new(0usize);
    if count > 1 {
        let tick = move || shown.update(|k| *k = (*k + 1) % count);
        let handle = set_interval_with_handle(tick, std::time::Duration::from_millis(1500)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    let picture = move || {
        let t = i18n.tables();
        let k = shown.get();
        codes
            .with_value(|c| c.get(k).cloned())
            .map(|(side, path, link)| {
                view! {
                    <svg class="qr-code" viewBox=format!("0 0 {side} {side}") role="img"
                        aria-label=(t.code_label)(k + 1, count) shape-rendering="crispEdges"
                        data-link=link>
                        <rect width=side height=side fill="#fff"/>
                        <path d=path fill="#000"/>
                    </svg>
                }
            })
    };
    view! {
        <section class="card qr" aria-labelledby="codes-title">
            <h2 id="codes-title">{title}</h2>
            <p class="hint">{intro}</p>
            {(count > 1).then(|| view! {
                <p class="badge" aria-live="off">
                    {move || (i18n.tables().code_position)(shown.get() + 1, count)}
                </p>
            })}
            {picture}
        </section>
    }
}

/// What the codes of [`ReturnQrCodes`] carry, said in their title.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Carrying {
    #[default]
    Pv,
    Report,
    Photos,
}

/// The codes of one or more signed versions (oldest first), one code at a
/// time, with the way to the next.
#[component]
pub fn ReturnQrCodes(
    returns: Vec<(u32, Vec<u8>)>,
    /// What they carry (a PV unless said).
    #[prop(optional)]
    of: Carrying,
) -> impl IntoView {
    let i18n = use_i18n();
    let address = deposit_address();
    let several = returns.len() > 1;
    // (version, side, path) of each code, in the order to scan them.
    let codes: Vec<(u32, i32, String)> = returns
        .iter()
        .flat_map(|(version, bytes)| {
            handover::split(bytes)
                .into_iter()
                .filter_map(|p| code(&address, &p))
                .map(|(side, path)| (*version, side, path))
                .collect::<Vec<_>>()
        })
        .collect();
    let count = codes.len();
    let codes = StoredValue::new(codes);
    let shown = RwSignal::new(0usize);
    let picture = move || {
        let t = i18n.t();
        let k = shown.get();
        codes
            .with_value(|c| c.get(k).cloned())
            .map(|(version, side, path)| {
                view! {
                    {several.then(|| view! { <p class="note">{(t.pv.version)(version)}</p> })}
                    <svg class="qr-code" viewBox=format!("0 0 {side} {side}") role="img"
                        aria-label=match of {
                            Carrying::Pv => (t.pv.qr_label)(k + 1, count),
                            Carrying::Report => (t.day.qr_label)(k + 1, count),
                            Carrying::Photos => (t.photos.qr_label)(k + 1, count),
                        }
                        shape-rendering="crispEdges">
                        <rect width=side height=side fill="#fff"/>
                        <path d=path fill="#000"/>
                    </svg>
                }
            })
    };
    view! {
        <section class="card qr no-print" aria-labelledby="qr-title">
            <h2 id="qr-title">{move || match of {
                Carrying::Pv => i18n.t().pv.qr_title,
                Carrying::Report => i18n.t().day.qr_title,
                Carrying::Photos => i18n.t().photos.qr_title,
            }}</h2>
            <p class="hint">{move || match of {
                Carrying::Pv => i18n.t().pv.qr_intro,
                Carrying::Report => i18n.t().day.qr_intro,
                Carrying::Photos => i18n.t().photos.qr_intro,
            }}</p>
            <p class="badge" aria-live="polite">
                {move || (i18n.t().pv.qr_position)(shown.get() + 1, count)}
            </p>
            {picture}
            <div class="row">
                <button type="button" class="secondary" disabled=move || shown.get() == 0
                    on:click=move |_| shown.update(|k| *k = k.saturating_sub(1))>
                    {move || i18n.t().pv.qr_previous}
                </button>
                <button type="button" class="primary" disabled=move || { shown.get() + 1 >= count }
                    on:click=move |_| shown.update(|k| *k = (*k + 1).min(count.saturating_sub(1)))>
                    {move || i18n.t().pv.qr_next}
                </button>
            </div>
        </section>
    }
}
