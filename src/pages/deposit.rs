//! "Déposer un PV signé": the hand-over without a network. A bureau whose
//! phone cannot reach the server downloads its signed return as a file
//! ("Télécharger le PV signé"), carries it to any device that has a network,
//! and sends it from here. The server checks it exactly as if the phone had
//! sent it (signature, enrolled key, rules, version chain), so this page
//! needs no enrollment and can change nothing a bureau signed.

use crate::api::{self, ApiFailure};
use crate::components::topbar::TopBar;
use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;
use pointage_core::{Receipt, SignedReturn};
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Failure {
    NoFile,
    NotAReturn,
    Api(ApiFailure),
}

/// The chosen file's text.
async fn chosen_file() -> Result<String, Failure> {
    let input = document()
        .get_element_by_id("deposit-file")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .ok_or(Failure::NoFile)?;
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or(Failure::NoFile)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| Failure::NotAReturn)?;
    text.as_string().ok_or(Failure::NotAReturn)
}

#[component]
pub fn DepositPage() -> impl IntoView {
    let i18n = use_i18n();
    let send = Action::new_local(move |_: &()| async move {
        let text = chosen_file().await?;
        // Read here first, so a wrong file is named as such, and the
        // person sees which bureau and version they are sending.
        let ret = SignedReturn::from_bytes(text.as_bytes()).map_err(|_| Failure::NotAReturn)?;
        let receipt = api::submit_return(text).await.map_err(Failure::Api)?;
        Ok::<(SignedReturn, Receipt), Failure>((ret, receipt))
    });
    let outcome = move || {
        let t = i18n.t();
        send.value().get().map(|r| match r {
            Ok((ret, receipt)) => {
                let b = ret.body();
                let text = (t.pv.deposit_done)(
                    &b.bureau,
                    b.version,
                    &ret.human_code(),
                    receipt.body.sequence,
                );
                view! { <p class="card success" role="status">{text}</p> }.into_any()
            }
            Err(f) => {
                let text = match f {
                    Failure::NoFile => t.pv.deposit_no_file.to_owned(),
                    Failure::NotAReturn => t.pv.deposit_not_a_return.to_owned(),
                    Failure::Api(ApiFailure::Network) => t.no_network.to_owned(),
                    Failure::Api(ApiFailure::Refused(c)) => (t.api_error)(c),
                };
                view! { <p class="problem error" role="alert">{text}</p> }.into_any()
            }
        })
    };
    view! {
        <TopBar/>
        <main aria-labelledby="deposit-title">
            <h1 id="deposit-title">{tr(|t| t.pv.deposit_title)}</h1>
            <form class="card" on:submit=move |ev| {
                ev.prevent_default();
                send.dispatch(());
            }>
                <p class="hint">{tr(|t| t.pv.deposit_intro)}</p>
                <label for="deposit-file">{tr(|t| t.pv.deposit_label)}</label>
                <input id="deposit-file" type="file" accept="application/json,.json"/>
                <button type="submit" class="primary" disabled=move || send.pending().get()>
                    {tr(|t| t.pv.deposit_submit)}
                </button>
            </form>
            {outcome}
        </main>
    }
}
