//! The outbox's state, on every screen of an enrolled phone that has signed
//! a return: waiting, sending, received (with the receipt's number and
//! time), or why the last send failed.

use crate::i18n::{I18n, use_i18n};
use crate::sync::{Failure, SyncStatus, use_sync};
use leptos::prelude::*;
use pointage_core::wire::ErrorCode;

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
                why: Failure::Api(crate::api::ApiFailure::Network),
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
                    Failure::Api(crate::api::ApiFailure::Network) => {
                        t.pv.sync_no_network.to_owned()
                    }
                    Failure::Api(crate::api::ApiFailure::Refused(code)) => {
                        (t.common.api_error)(code)
                    }
                    Failure::BadReceipt => t.pv.sync_bad_receipt.to_owned(),
                    Failure::Storage => t.pv.sync_storage.to_owned(),
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
    }
    .into_any()
}
