//! "Enrôler ce téléphone": the bureau's phone presents its single-use code
//! (typed, or from the link's `#code=`), creates its Ed25519 bureau key in
//! WebCrypto, non-extractable, and keeps what the server sends back: the
//! election, its bureau, the server's key.
//!
//! The key is made once per visit of this screen, so a retry after a lost
//! answer or a storage failure presents the same key (the server accepts the
//! same code again from the same key). Nothing is shown as enrolled before
//! the key and the enrollment are stored.

use crate::api::{self, ApiError};
use crate::components::topbar::TopBar;
use crate::i18n::{tr, use_i18n};
use crate::session;
use leptos::prelude::*;
use pointage_core::enrollment::normalize_code;
use pointage_core::wire::EnrollRequest;

/// Why enrolling did not finish, as the screen says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EnrollError {
    BadFormat,
    Api(ApiError),
    Storage,
    /// No WebCrypto Ed25519 in this browser.
    NoCrypto,
}

/// The code of the link that opened the page, if any: in its fragment
/// (`#code=`, which the browser never sends to a server), or in its query
/// (`?code=`, links printed before), taken out of the address bar and of
/// the history at once, so that no one reads it there later.
fn code_from_url() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    let param = |s: Result<String, _>| {
        s.ok()
            .and_then(|s| web_sys::UrlSearchParams::new_with_str(s.trim_start_matches('#')).ok())
            .and_then(|p| p.get("code"))
    };
    let code = param(location.hash()).or_else(|| param(location.search()));
    if code.is_some()
        && let (Ok(path), Ok(history)) = (location.pathname(), window.history())
    {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&path));
    }
    code.unwrap_or_default()
}

#[component]
pub fn EnrollPage() -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(code_from_url());
    // The key made for this visit, once made.
    let made = StoredValue::new_local(None::<std::rc::Rc<crate::crypto::DeviceKey>>);
    let already = session::enrollment();
    let (failure, set_failure) = signal(None::<EnrollError>);
    let (enrolled, set_enrolled) = signal(None::<(String, String)>);

    let submit = Action::new_local(move |_: &()| async move {
        let Some(normal) = normalize_code(&code.get_untracked()) else {
            return Err(EnrollError::BadFormat);
        };
        let key = match made.get_value() {
            Some(key) => key,
            None => {
                let key = std::rc::Rc::new(
                    crate::crypto::generate()
                        .await
                        .map_err(|_| EnrollError::NoCrypto)?,
                );
                made.set_value(Some(key.clone()));
                key
            }
        };
        let req = EnrollRequest {
            code: normal,
            device_key: key.public_hex.clone(),
        };
        let resp = api::enroll(&req).await.map_err(EnrollError::Api)?;
        let device = session::keep_enrollment(&key, resp)
            .await
            .map_err(|_| EnrollError::Storage)?;
        // Enrolled: another enrollment from this page gets a key of its own
        // (a key is one bureau's).
        made.set_value(None);
        let bureau = &device.election.bureau;
        Ok((bureau.code.clone(), bureau.name.clone()))
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(done) => {
                    set_failure.set(None);
                    set_enrolled.set(Some(done));
                }
                Err(f) => set_failure.set(Some(f)),
            }
        }
    });

    let message = move || {
        let t = i18n.t();
        failure.get().map(|f| match f {
            EnrollError::BadFormat => t.enroll_bad_format.to_owned(),
            EnrollError::Api(ApiError::Network) => t.common.no_network.to_owned(),
            EnrollError::Api(ApiError::Refused(c)) => (t.common.api_error)(c),
            EnrollError::Storage => t.enroll_storage_failed.to_owned(),
            EnrollError::NoCrypto => t.enroll_no_crypto.to_owned(),
        })
    };

    view! {
        <TopBar/>
        <main aria-labelledby="enroll-title">
            <h1 id="enroll-title">{tr(|t| t.enroll_title)}</h1>
            <Show
                when=move || enrolled.get().is_none()
                fallback=move || {
                    let (code, name) = enrolled.get().unwrap_or_default();
                    view! {
                        <section class="card success" aria-labelledby="enrolled-ok">
                            <h2 id="enrolled-ok">{tr(|t| t.enroll_done_title)}</h2>
                            <p class="bureau-code big">{code}</p>
                            <p>{name}</p>
                            <p>{tr(|t| t.enroll_done_body)}</p>
                            <a class="button next-step" href="/">{tr(|t| t.enroll_next)}</a>
                        </section>
                    }
                }
            >
                {already.clone().map(|e| {
                    let code = e.bureau_code.clone();
                    view! { <p class="card notice">{move || (i18n.t().enroll_already)(&code)}</p> }
                })}
                <p>{tr(|t| t.enroll_intro)}</p>
                <form
                    class="card"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit.dispatch(());
                    }
                >
                    <label for="enroll-code">{tr(|t| t.enroll_code_label)}</label>
                    <input
                        id="enroll-code"
                        name="code"
                        type="text"
                        inputmode="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="enroll-code-hint"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                    <p id="enroll-code-hint" class="hint">{tr(|t| t.enroll_code_hint)}</p>
                    <button type="submit" class="primary next-step" disabled=move || submit.pending().get()>
                        {move || {
                            if submit.pending().get() {
                                i18n.t().enroll_working
                            } else {
                                i18n.t().enroll_submit
                            }
                        }}
                    </button>
                    <Show when=move || failure.get().is_some()>
                        <p class="error" role="alert">{message}</p>
                    </Show>
                </form>
            </Show>
        </main>
    }
}
