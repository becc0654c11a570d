//! "Déposer un PV signé": the hand-over without a network. A bureau whose
//! phone cannot reach the server hands its signed return to any device that
//! has a network, in one of two ways:
//! - as QR codes: a phone's camera reads each code, which opens this page
//!   with one part in the address (`/deposer#PTG1-…`); the parts are kept on
//!   this device until all are read, then put back together by core and
//!   sent;
//! - as a file ("Télécharger le PV signé"), chosen here.
//!
//! The server checks either exactly as if the phone had sent it (signature,
//! enrolled key, rules, version chain), so this page needs no enrollment and
//! can change nothing a bureau signed.

use crate::api::ApiError;
use crate::components::confirm::Confirm;
use crate::components::topbar::PublicTopBar;
use crate::i18n::{trp, use_i18n};
use crate::session::handover::{
    self, DepositError, Scan, ScanError, forget_scan, read_scans, send_scanned,
};
use leptos::prelude::*;
use pointage_core::{Carried, Receipt, ReturnLabel};
use wasm_bindgen::JsCast;

/// Where the return to send comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    File,
    /// Every return put back together from the parts scanned here; a
    /// version parked (refused for good) goes again only `by_hand`.
    Scanned {
        by_hand: bool,
    },
}

/// The chosen file's text.
async fn chosen_file() -> Result<String, DepositError> {
    let input = document()
        .get_element_by_id("deposit-file")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .ok_or(DepositError::NoFile)?;
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or(DepositError::NoFile)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| DepositError::NotAReturn)?;
    text.as_string().ok_or(DepositError::NotAReturn)
}

/// What the page's address carries after `#` (a scanned code's part), if
/// anything.
fn address_part() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#').to_owned()
}

/// Reads the part in the page's address, if any, and keeps it. Gives the
/// digest of the return it belongs to.
async fn read_address(problem: RwSignal<Option<ScanError>>) -> Option<String> {
    let text = address_part();
    if text.is_empty() {
        return None;
    }
    let kept = handover::keep_part(&text).await;
    // Once it is kept (a page left now loses nothing), the address drops
    // the part: a reload does not read it again (reading it twice would
    // change nothing either).
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/deposer"));
    }
    match kept {
        Ok(digest) => {
            problem.set(None);
            Some(digest)
        }
        Err(p) => {
            problem.set(Some(p));
            None
        }
    }
}

#[component]
pub fn DepositPage() -> impl IntoView {
    let i18n = use_i18n();
    let scans = RwSignal::new(read_scans());
    let delivered = RwSignal::new(handover::delivered());
    let parked = RwSignal::new(handover::parked());
    let refresh = move || {
        scans.set(read_scans());
        delivered.set(handover::delivered());
        parked.set(handover::parked());
    };
    let problem = RwSignal::new(None::<ScanError>);
    // Opened from a code (`/deposer#PTG1-…`): the page draws its cards
    // once that part is read and kept, all at once, rather than the file's
    // form first, pushed down a moment later by the code's card under the
    // helper's thumb.
    let reading = RwSignal::new(!address_part().is_empty());
    let send = Action::new_local(move |from: &Source| {
        let from = *from;
        async move {
            if let Source::Scanned { by_hand } = from {
                return send_scanned(scans.get_untracked(), by_hand, refresh).await;
            }
            let text = chosen_file().await?;
            // Read here first, so a wrong file is named as such, and the
            // person sees which bureau and version they are sending.
            let ret = ReturnLabel::read(text.as_bytes()).map_err(|_| DepositError::NotAReturn)?;
            let receipt = handover::submit(&ret, text)
                .await
                .map_err(DepositError::Api)?;
            Ok::<(ReturnLabel, Receipt), DepositError>((ret, receipt))
        }
    });
    let last_source = RwSignal::new(None::<Source>);
    let dispatch = move |from: Source| {
        last_source.set(Some(from));
        send.dispatch(from);
    };
    // A part in the address: kept, then its return sent once whole.
    let from_address = Action::new_local(move |(): &()| async move {
        let read = read_address(problem).await;
        refresh();
        reading.set(false);
        let Some(digest) = read else {
            return;
        };
        let this = scans.with_untracked(|s| {
            s.iter()
                .find(|x| x.parts.digest == digest)
                .map(|x| (x.parts.bytes.is_some(), x.whole.is_some()))
        });
        match this {
            Some((true, true)) => dispatch(Source::Scanned { by_hand: false }),
            Some((true, false)) => {
                // Parts that do not make a return are dropped, so that
                // scanning them again starts clean.
                problem.set(Some(ScanError::Damaged));
                forget_scan(digest, refresh);
            }
            _ => {}
        }
    });
    let on_address = move || {
        from_address.dispatch(());
    };
    on_address();
    // A camera app may open each code in the same tab: only the address's
    // fragment changes.
    let _ = window_event_listener_untyped("hashchange", move |_| on_address());
    // Parts read, or a return delivered, in another tab.
    handover::watch_other_tabs(refresh);
    // Complete returns that could not leave for want of a network go as soon
    // as it is back.
    let _ = window_event_listener(leptos::ev::online, move |_| {
        let ready = scans.with_untracked(|s| s.iter().any(|x| x.whole.is_some()));
        if ready && !send.pending().get_untracked() {
            dispatch(Source::Scanned { by_hand: false });
        }
    });

    // What this device read of one return can be removed (say, one the
    // server refuses for good): the signed return stays on the bureau's
    // phone.
    let forget = move |digest: String| {
        let id = format!("forget-{digest}");
        let on_yes = Callback::new(move |()| forget_scan(digest.clone(), refresh));
        view! {
            <Confirm id ask_class="secondary wide"
                ask=Signal::derive(move || trp(|t| t.deposit_forget)().to_owned())
                question=trp(|t| t.deposit_forget_confirm) yes=trp(|t| t.deposit_forget_yes) on_yes/>
        }
    };
    let progress = move || {
        let p = i18n.p();
        scans
            .get()
            .into_iter()
            .map(|Scan { parts: c, whole }| match (&c.bytes, whole) {
                (None, _) => {
                    let missing: Vec<String> = c.missing.iter().map(u16::to_string).collect();
                    let read = usize::from(c.count) - c.missing.len();
                    let text = (p.deposit_scanned)(read, c.count.into(), &missing.join(", "));
                    view! {
                        <div class="card" role="status">
                            <p>{text}</p>
                            {forget(c.digest.clone())}
                        </div>
                    }
                    .into_any()
                }
                (_, Some((_, ret))) => {
                    let text = match &ret.kind {
                        Carried::Report(c) => (p.deposit_read_report)(&ret.bureau, c, ret.version),
                        Carried::Photos { pages, .. } => {
                            (p.deposit_read_photos)(&ret.bureau, ret.version, *pages)
                        }
                        Carried::Return => {
                            (p.deposit_read_whole)(&ret.bureau, ret.version, &ret.human_code())
                        }
                    };
                    // Refused for good: said, with what to do; it goes again
                    // only when the person asks.
                    let parking = parked.get().into_iter().find(|x| x.digest == c.digest).map(
                        |x| view! { <p class="problem error">{(p.deposit_parked)(x.code)}</p> },
                    );
                    let again = parking.is_some();
                    view! {
                        <div class="card" role="status">
                            <p>{text}</p>
                            {parking}
                            <button type="button"
                                class=if again { "secondary wide" } else { "primary wide" }
                                disabled=move || send.pending().get()
                                on:click=move |_| dispatch(Source::Scanned { by_hand: true })>
                                {if again { p.deposit_retry } else { p.deposit_submit }}
                            </button>
                            {forget(c.digest.clone())}
                        </div>
                    }
                    .into_any()
                }
                (Some(_), None) => view! {
                    <p class="problem error" role="alert">{p.deposit_damaged}</p>
                }
                .into_any(),
            })
            .collect_view()
    };
    // Every return delivered from this device, whichever tab sent it.
    let receipts = move || {
        let p = i18n.p();
        delivered
            .get()
            .into_iter()
            .rev()
            .map(|d| {
                let text = match (&d.checkpoint, d.photos) {
                    (Some(c), _) => (p.deposit_done_report)(&d.bureau, c, d.version, d.sequence),
                    (None, Some(pages)) => {
                        (p.deposit_done_photos)(&d.bureau, d.version, pages, d.sequence)
                    }
                    (None, None) => (p.deposit_done)(&d.bureau, d.version, &d.code, d.sequence),
                };
                view! { <p class="card success" role="status">{text}</p> }
            })
            .collect_view()
    };
    let scan_problem = move || {
        let p = i18n.p();
        problem.get().map(|problem| {
            let text = match problem {
                ScanError::NotACode => p.deposit_not_a_code,
                ScanError::Damaged => p.deposit_damaged,
                ScanError::Storage => p.deposit_storage,
            };
            view! { <p class="problem error" role="alert">{text}</p> }
        })
    };
    let outcome = move || {
        let t = i18n.c();
        let p = i18n.p();
        let scanned = matches!(last_source.get(), Some(Source::Scanned { .. }));
        // Scanned returns' outcome: their receipts are in `receipts`; a
        // failure counts only while one is still here to send (another tab
        // may have sent it since).
        if scanned {
            let waiting = scans.with(|s| s.iter().any(|x| x.whole.is_some()));
            if !waiting || matches!(send.value().get(), Some(Ok(_))) {
                return None;
            }
        }
        send.value().get().map(|r| match r {
            Ok((ret, receipt)) => {
                let n = receipt.body.sequence;
                let text = match &ret.kind {
                    Carried::Report(c) => (p.deposit_done_report)(&ret.bureau, c, ret.version, n),
                    Carried::Photos { pages, .. } => {
                        (p.deposit_done_photos)(&ret.bureau, ret.version, *pages, n)
                    }
                    Carried::Return => (p.deposit_done)(
                        &ret.bureau,
                        ret.version,
                        &ret.human_code(),
                        receipt.body.sequence,
                    ),
                };
                view! { <p class="card success" role="status">{text}</p> }.into_any()
            }
            Err(f) => {
                let text = match f {
                    DepositError::NoFile => p.deposit_no_file.to_owned(),
                    DepositError::NotAReturn => p.deposit_not_a_return.to_owned(),
                    DepositError::Api(ApiError::Network) if scanned => p.deposit_kept.to_owned(),
                    DepositError::Api(ApiError::Network) => t.no_network.to_owned(),
                    DepositError::Api(ApiError::Refused(c)) => (t.api_error)(c),
                };
                view! { <p class="problem error" role="alert">{text}</p> }.into_any()
            }
        })
    };
    let another = RwSignal::new(false);
    let delivered_all = move || {
        let sent = !delivered.with(Vec::is_empty) || matches!(send.value().get(), Some(Ok(_)));
        sent && scans.with(Vec::is_empty) && !send.pending().get()
    };
    view! {
        <PublicTopBar/>
        <main aria-labelledby="deposit-title">
            <h1 id="deposit-title">{trp(|t| t.deposit_title)}</h1>
            <Show when=move || !reading.get()>
                {scan_problem}
                {progress}
                {outcome}
                {receipts}
                // Once a return is delivered and nothing read waits to go,
                // the receipt is the page's last word: the file form opens
                // again only when asked.
                <Show when=move || !delivered_all() || another.get() fallback=move || view! {
                    <button type="button" class="secondary wide" on:click=move |_| another.set(true)>
                        {trp(|t| t.deposit_another)}
                    </button>
                }>
                    <form class="card" on:submit=move |ev| {
                        ev.prevent_default();
                        dispatch(Source::File);
                    }>
                        <p class="hint">{trp(|t| t.deposit_intro)}</p>
                        <label for="deposit-file">{trp(|t| t.deposit_label)}</label>
                        <input id="deposit-file" type="file" accept="application/json,.json"/>
                        <button type="submit" class="primary" disabled=move || send.pending().get()>
                            {trp(|t| t.deposit_submit)}
                        </button>
                    </form>
                </Show>
            </Show>
        </main>
    }
}
