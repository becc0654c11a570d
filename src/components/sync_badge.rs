//! The outbox's state, on every screen of an enrolled phone that has signed
//! a return: waiting, sending, received (with the receipt's number and
//! time), or why the last send failed; and, on every screen, an alert when
//! the phone's check of the public log found something wrong.

use crate::i18n::{I18n, use_i18n};
use crate::sync::{DeliveryError, SyncStatus, use_sync};
use leptos::prelude::*;
use pointage_core::wire::ErrorCode;
use pointage_device::witness::{Broken, Verdict};

/// What the bar says of a version the server refused for good: why, and
/// how to send it again once that is dealt with, unless nothing can be
/// (the election is closed).
pub fn parked(t: &crate::i18n::Texts, pending: usize, code: ErrorCode) -> String {
    let why = (t.pv.sync_failed)(pending, &(t.common.api_error)(code));
    if code.is_final() {
        why
    } else {
        format!("{why} {}", t.pv.sync_parked)
    }
}

/// A time of day in the person's language.
pub fn time_of(i18n: I18n, ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_time_string(i18n.lang().date_locale()).into()
}

/// A date and time in the person's language (the printed PV's "signed
/// at").
pub fn date_time_of(i18n: I18n, ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_string(i18n.lang().date_locale(), &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// A time of day to the minute, as the language writes it: "21 h 42",
/// "21:42".
pub fn minute_of(i18n: I18n, ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let (h, m) = (date.get_hours(), date.get_minutes());
    match i18n.lang() {
        crate::i18n::Lang::Fr => format!("{h}\u{a0}h\u{a0}{m:02}"),
        crate::i18n::Lang::En => format!("{h}:{m:02}"),
    }
}

/// What the phone says of its last check of the public log: whether it is
/// an alert, what it found, and what to do.
pub fn witness_text(
    i18n: I18n,
    checked_at: u64,
    verdict: &Verdict,
) -> (bool, String, Option<&'static str>) {
    let t = i18n.t();
    let at = |ms| minute_of(i18n, ms);
    match verdict {
        Verdict::Holds { .. } => (false, (t.pv.witness_holds)(&at(checked_at)), None),
        Verdict::OtherPhone {
            at: when,
            reissued: None,
        } => (
            true,
            (t.pv.witness_other_phone)(&at(*when)),
            Some(t.pv.witness_if_not_you),
        ),
        Verdict::OtherPhone {
            at: when,
            reissued: Some(r),
        } => (
            true,
            (t.pv.witness_replaced)(&at(*r), &at(*when)),
            Some(t.pv.witness_if_not_you),
        ),
        Verdict::Reissued { at: when } => (
            true,
            (t.pv.witness_reissued)(&at(*when)),
            Some(t.pv.witness_if_not_you),
        ),
        Verdict::Broken { why } => (
            true,
            match why {
                Broken::ReturnMissing | Broken::Rewritten => t.pv.witness_return_missing,
                Broken::NotSigned => t.pv.witness_not_signed,
                Broken::EnrollmentMissing => t.pv.witness_enrollment_missing,
                Broken::Unproven => t.pv.witness_unproven,
            }
            .to_owned(),
            Some(t.pv.witness_what_to_do),
        ),
    }
}

/// The check of the public log, as a line (all holds) or an alert.
#[component]
pub fn WitnessNote(
    /// Whether only an alert shows (the bar on every screen), or the line
    /// that all holds too (the signed PV's page).
    #[prop(optional)]
    alerts_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = use_sync() else {
        return ().into_any();
    };
    (move || {
        let (at, verdict) = sync.witness()?;
        let (alert, said, todo) = witness_text(i18n, at, &verdict);
        Some(if alert {
            view! {
                <div class="witness-alert" role="alert">
                    <p><strong>{said}</strong></p>
                    {todo.map(|d| view! { <p>{d}</p> })}
                </div>
            }
            .into_any()
        } else if alerts_only {
            ().into_any()
        } else {
            view! { <p class="note witness">{said}</p> }.into_any()
        })
    })
    .into_any()
}

#[component]
pub fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = use_sync() else {
        return ().into_any();
    };
    let text = move || {
        let t = i18n.t();
        match sync.status() {
            SyncStatus::Nothing => None,
            SyncStatus::Pending(n) => Some(("pending", (t.pv.sync_pending)(n))),
            SyncStatus::Sending => Some(("pending", t.pv.sync_sending.to_owned())),
            SyncStatus::Sent {
                sequence,
                received_at,
            } => Some((
                "sent",
                (t.pv.sync_sent)(sequence, &time_of(i18n, received_at)),
            )),
            // No network is the normal state of a bureau: it waits, calmly;
            // but a send asked by hand is answered.
            SyncStatus::Failed {
                pending,
                why: DeliveryError::Api(crate::api::ApiError::Network),
            } => Some((
                "pending",
                if sync.tried_without_network() {
                    (t.pv.sync_tried_no_network)(pending)
                } else {
                    (t.pv.sync_pending)(pending)
                },
            )),
            SyncStatus::Parked { pending, code } => Some(("failed", parked(t, pending, code))),
            SyncStatus::Failed { pending, why } => {
                let why = match why {
                    DeliveryError::Api(crate::api::ApiError::Network) => {
                        t.pv.sync_no_network.to_owned()
                    }
                    DeliveryError::Api(crate::api::ApiError::Refused(code)) => {
                        (t.common.api_error)(code)
                    }
                    DeliveryError::BadReceipt => t.pv.sync_bad_receipt.to_owned(),
                    DeliveryError::Storage => t.pv.sync_storage.to_owned(),
                };
                Some((
                    "failed",
                    format!("{} {}", (t.pv.sync_failed)(pending, &why), t.pv.sync_retry),
                ))
            }
        }
    };
    view! {
        <p class="sync-badge" role="status">
            {move || text().map(|(class, s)| view! { <a class=class href="/pv">{s}</a> })}
        </p>
        <WitnessNote alerts_only=true/>
    }
    .into_any()
}
