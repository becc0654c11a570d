//! The signed PV: its human code to copy onto the paper PV, a one-page
//! printable summary, the signed file, every version kept on the phone, and
//! the start of a correction (a new version, entered blind again).

use super::{Ctx, TextSize, label, pv_rows, pv_texts, text_too_long};
use crate::components::qr::ReturnQrCodes;
use crate::components::sync_badge::time_of;
use crate::i18n::{tr, trc, use_i18n};
use crate::session;
use crate::session::pv::PvError;
use crate::sync::use_sync;
use leptos::prelude::*;
use pointage_core::{Field, SignedReturn};
use pointage_device::pv_session::{CorrectionError, Edit};

#[component]
pub(super) fn Signed(
    ctx: Ctx,
    correcting: RwSignal<bool>,
    showing_qr: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let returns = ctx.with(|p| p.returns().to_vec());
    let Some(latest) = returns.last().cloned() else {
        return ().into_any();
    };
    let candidates = ctx.candidates();
    let body = latest.body();
    // Versions signed before this phone was the bureau's (recovered after
    // its code was reissued): said, with their figures, so that a wrong
    // one is corrected.
    let own_key = ctx.device.with_value(|d| d.device_key.clone());
    let other_key = |r: &SignedReturn| r.body().device_key != own_key;
    let latest_other = other_key(&latest);
    let code = latest.human_code();
    let replaced = body.replaces.as_ref().map(|r| {
        let code = pointage_core::signed_return::human_code(&r.id);
        (t.pv.replaces)(body.version - 1, &code, &r.reason)
    });
    let explanations = body
        .explanations
        .iter()
        .map(|(w, x)| view! { <dt>{format!("{w:?}")}</dt><dd>{x.clone()}</dd> })
        .collect_view();
    // Each version's receipt, redrawn as the outbox learns of one.
    let receipt_line = move |id: String| {
        move || {
            let t = i18n.t();
            if let Some(s) = use_sync() {
                s.status();
            }
            let receipts = ctx.with(|p| session::receipts(p.store()));
            match receipts.iter().find(|r| r.body.return_id == id) {
                Some(r) => (t.pv.receipt_line)(r.body.sequence, &time_of(i18n, r.body.received_at)),
                None => t.pv.not_yet_received.to_owned(),
            }
        }
    };
    // With several versions, each one's file too: a correction is taken
    // by the server only after the version it replaces, so a hand-over by
    // file may need both.
    let several = returns.len() > 1;
    let versions = returns
        .iter()
        .rev()
        .map(|r| {
            let v = r.body().version;
            view! {
                <li>
                    {(t.common.received_version)(v, &r.human_code())}
                    {other_key(r).then(|| view! { <span class="other-key">{t.pv.other_key_version}</span> })}
                    <span class="receipt">{receipt_line(r.id().to_owned())}</span>
                    {several.then(|| view! {
                        <a class="button secondary" href=data_url(r) download=file_name(r)>
                            {(t.pv.version_file)(v)}
                        </a>
                    })}
                </li>
            }
        })
        .collect_view();
    let latest_receipt = receipt_line(latest.id().to_owned());
    // The codes hand over every version the server has not acknowledged,
    // oldest first: a correction is accepted only after the version it
    // replaces. Once all are received, the latest alone.
    let qr_returns = move || -> Vec<(u32, Vec<u8>)> {
        let (returns, pending) = ctx.with(|p| (p.returns().to_vec(), session::pending(p.store())));
        let mut waiting: Vec<(u32, Vec<u8>)> = returns
            .iter()
            .filter(|r| pending.iter().any(|id| id == r.id()))
            .map(|r| (r.body().version, r.to_bytes()))
            .collect();
        if waiting.is_empty()
            && let Some(r) = returns.last()
        {
            waiting.push((r.body().version, r.to_bytes()));
        }
        waiting
    };
    // What the printed page must say of itself: which election, which
    // bureau, when it was signed.
    let (election, bureau) = ctx.device.with_value(|d| {
        let e = &d.election;
        (
            format!("{} · {}", e.name, (t.common.round)(e.round)),
            format!(
                "{} {} · {} ({})",
                t.bureau, e.bureau.code, e.bureau.name, e.bureau.commune
            ),
        )
    });
    let when = crate::components::sync_badge::date_time_of(i18n, body.signed_at);
    let when = format!("{} {}", t.pv.signed_at, when);
    // The screen opens on the code to copy, whatever was scrolled before
    // and however tall the bar above it is.
    Effect::new(|_| {
        if let Some(card) = document().get_element_by_id("signed-title") {
            card.scroll_into_view();
        }
    });
    view! {
        <section class="card success signed" aria-labelledby="signed-title">
            <h2 id="signed-title">{t.pv.signed_title}</h2>
            {latest_other.then(|| view! { <p class="other-key-banner" role="note">{t.pv.other_key_banner}</p> })}
            <p class="note">{t.pv.code_label}</p>
            <p class="human-code" aria-label=format!("{} {}", t.pv.code_label, code)>{code.clone()}</p>
            // Not another key's code to copy: the banner says to check it.
            {(!latest_other).then(|| view! {
                <p class="instruction">{t.pv.code_instruction}</p>
                <p class="hint code-letters">{t.pv.code_letters}</p>
            })}
            <a class="button next-step no-print" href="/">{t.pv.back_to_evening}</a>
            <p class="badge">{(t.pv.version)(body.version)}</p>
            <p class="signed-for">{election}<br/>{bureau}<br/>{when}</p>
            <p class="note receipt">{latest_receipt}</p>
            {move || use_sync().and_then(|s| s.witness()).filter(|(_, v)| !v.alerts()).map(|(at, v)| {
                let (_, said, _) = crate::components::sync_badge::witness_text(i18n, at, &v);
                view! { <p class="note witness">{said}</p> }
            })}
            {replaced.map(|r| view! { <p>{r}</p> })}
        </section>
        <div class="row stack no-print">
            <button type="button" class="secondary" on:click=move |_| {
                let _ = window().print();
            }>{tr(|t| t.pv.print)}</button>
            <a class="button secondary" href=data_url(&latest) download=file_name(&latest)>{tr(|t| t.pv.download)}</a>
            <button type="button" class="secondary" aria-expanded=move || showing_qr.get().to_string()
                on:click=move |_| showing_qr.update(|s| *s = !*s)>
                {move || if showing_qr.get() { i18n.t().pv.qr_hide } else { i18n.t().pv.qr_show }}
            </button>
        </div>
        {move || showing_qr.get().then(|| view! { <ReturnQrCodes returns=qr_returns()/> })}
        <p class="hint no-print">{tr(|t| t.pv.deposit_hint)}</p>
        <section class="card" aria-labelledby="signed-pv-title">
            <h2 id="signed-pv-title">{t.pv.whole_signed}</h2>
            <table class="results pv-table">
                <tbody>{pv_rows(t, &candidates, &body.pv, &|_| None)}</tbody>
            </table>
            {pv_texts(t, &body.pv)}
            {(!body.explanations.is_empty()).then(|| view! {
                <h3>{t.pv.explanations}</h3>
                <dl class="pv-texts">{explanations}</dl>
            })}
            <p class="note">{t.pv.entered_by}" "
                {format!("{} · {}", body.entered_by.first, body.entered_by.second)}</p>
        </section>
        <section class="card no-print" aria-labelledby="versions-title">
            <h2 id="versions-title">{t.pv.versions_title}</h2>
            <ul class="versions">{versions}</ul>
            {move || use_sync().filter(|s| s.waiting()).map(|s| view! {
                <button type="button" class="secondary wide" on:click=move |_| s.send_by_hand()>
                    {tr(|t| t.pv.send_now)}
                </button>
            })}
            <button type="button" class="secondary wide" on:click=move |_| correcting.set(true)>
                {tr(|t| t.pv.correct)}
            </button>
        </section>
    }
    .into_any()
}

/// The signed return as a file the browser can save or share: its canonical
/// bytes, exactly what the server's ingest takes.
fn data_url(r: &SignedReturn) -> String {
    let text = String::from_utf8(r.to_bytes()).unwrap_or_default();
    format!(
        "data:application/json;charset=utf-8,{}",
        js_sys::encode_uri_component(&text)
    )
}

fn file_name(r: &SignedReturn) -> String {
    let b = r.body();
    format!("pv-{}-v{}-{}.json", b.bureau, b.version, r.human_code())
}

/// What the correction form holds before its entry starts: kept by the
/// page, so that redrawing the form (in another language) loses nothing.
#[derive(Clone, Copy)]
pub(super) struct CorrectionDraft {
    pub reason: RwSignal<String>,
    pub fields: RwSignal<Vec<Field>>,
}

impl CorrectionDraft {
    pub fn new() -> Self {
        Self {
            reason: RwSignal::new(String::new()),
            fields: RwSignal::new(Vec::new()),
        }
    }
}

/// Why a correction, and which figures: then its blind double entry starts.
#[component]
pub(super) fn CorrectionForm(
    ctx: Ctx,
    correcting: RwSignal<bool>,
    draft: CorrectionDraft,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let candidates = ctx.candidates();
    let reason = draft.reason;
    let boxes = Field::entry_order(&candidates)
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let id = format!("fix-{i}");
            let text = label(t, &candidates, &f);
            let checked = f.clone();
            view! {
                <label class="choice" for=id.clone()>
                    <input type="checkbox" id=id.clone()
                        prop:checked=move || draft.fields.with(|v| v.contains(&checked))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.fields.update(|v| {
                                v.retain(|x| *x != f);
                                if on {
                                    v.push(f.clone());
                                }
                            });
                        }/>
                    {text}
                </label>
            }
        })
        .collect_view();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let candidates = ctx.candidates();
        let ticked = draft.fields.get_untracked();
        let chosen = ctx.with(|p| p.correction_of(&reason.get_untracked(), &ticked, &candidates));
        let correction = match chosen {
            Ok(c) => c,
            Err(e) => {
                ctx.report(PvError::Said(match e {
                    CorrectionError::NoReason => t.pv.no_reason.to_owned(),
                    CorrectionError::TooLong(bytes) => {
                        text_too_long(t, &pointage_core::TextField::CorrectionReason, bytes)
                    }
                    CorrectionError::NoFields => t.pv.no_fields.to_owned(),
                }));
                return;
            }
        };
        ctx.edit(Edit::Correct(correction), move || {
            // The next correction starts from a blank form.
            draft.reason.set(String::new());
            draft.fields.set(Vec::new());
            correcting.set(false);
        });
    };
    view! {
        <form class="card" on:submit=start aria-labelledby="correct-title">
            <h2 id="correct-title">{t.pv.correct_title}</h2>
            <p class="hint">{t.pv.correct_intro}</p>
            <label for="correct-reason">{t.pv.reason_label}</label>
            <textarea id="correct-reason" rows="3" prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <TextSize value=reason/>
            <fieldset class="fields">
                <legend>{t.pv.correct_fields}</legend>
                {boxes}
            </fieldset>
            <super::entry::Problem ctx/>
            <button type="submit" class="primary">{tr(|t| t.pv.correct_start)}</button>
        </form>
        <button type="button" class="secondary wide" on:click=move |_| correcting.set(false)>
            {trc(|c| c.cancel)}
        </button>
    }
}
