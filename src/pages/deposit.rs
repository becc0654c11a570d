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
//!
//! A stranger's phone opens this page cold, often on a bad network: it is
//! written without Leptos (`crate::dom`). Its state and intents are
//! `session::deposit`'s; this draws that state again after each change.
//! The file form is built once and only shown or hidden, so that a file
//! chosen is never lost to a redraw.

use crate::api::ApiError;
use crate::dom::{El, document, el, listen, set_flag};
use crate::i18n::{Lang, LangTexts};
use crate::session::deposit::{self, Page, Source};
use crate::session::handover::{DepositError, Scan, ScanError};
use pointage_core::Carried;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The parts of the page built once.
struct Nodes {
    brand: Element,
    langs: Element,
    lang_buttons: Vec<(Lang, Element)>,
    lang_failed: Element,
    nav: Element,
    results: Element,
    title: Element,
    main: Element,
    form: Element,
    intro: Element,
    label: Element,
    submit: Element,
    another: Element,
    /// What [`draw`] drew last between the title and the form.
    drawn: Vec<Element>,
}

thread_local! {
    static NODES: RefCell<Option<Nodes>> = const { RefCell::new(None) };
}

/// Builds the page in `<body>`, then opens its state, which reads the
/// address's part.
pub fn start() {
    build();
    deposit::start(address_part(), render);
    let Some(w) = web_sys::window() else {
        return;
    };
    // A camera app may open each code in the same tab: only the address's
    // fragment changes.
    listen(&w, "hashchange", |_| deposit::read_address(address_part()));
    listen(&w, "online", |_| deposit::online());
}

/// What the page's address carries after `#` (a scanned code's part), if
/// anything.
fn address_part() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.trim_start_matches('#').to_owned()
}

/// The file chosen in the form, if any.
fn chosen_file() -> Option<web_sys::File> {
    document()
        .get_element_by_id("deposit-file")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|f| f.get(0))
}

/// Builds the parts of the page that stay: the top bar (no link into the
/// bureau app, which a helper's phone would download, only the results),
/// the title, the file form and the button that opens it again.
fn build() {
    let bar = el("header").attr("class", "topbar");
    let brand = el("span").attr("class", "brand").0;
    let langs = el("div")
        .attr("class", "lang-switch")
        .attr("role", "group")
        .0;
    let lang_buttons: Vec<(Lang, Element)> = Lang::ALL
        .into_iter()
        .map(|lang| {
            let b = el("button")
                .attr("type", "button")
                .attr("lang", lang.code())
                .text(lang.native_name())
                .0;
            listen(&b, "click", move |_| deposit::choose(lang));
            let _ = langs.append_child(&b);
            (lang, b)
        })
        .collect();
    let lang_failed = el("p").attr("class", "error").attr("role", "alert").0;
    let results = el("a").0;
    let nav = el("nav").0;
    let _ = nav.append_child(&results);
    for e in [&brand, &langs, &lang_failed, &nav] {
        let _ = bar.0.append_child(e);
    }

    let title = el("h1").attr("id", "deposit-title").0;
    let main = el("main").attr("aria-labelledby", "deposit-title").0;
    let intro = el("p").attr("class", "hint").0;
    let label = el("label").attr("for", "deposit-file").0;
    let submit = el("button")
        .attr("type", "submit")
        .attr("class", "primary")
        .0;
    let form = el("form").attr("class", "card").0;
    let input = el("input")
        .attr("id", "deposit-file")
        .attr("type", "file")
        .attr("accept", "application/json,.json")
        .0;
    for e in [&intro, &label, &input, &submit] {
        let _ = form.append_child(e);
    }
    listen(&form, "submit", |ev| {
        ev.prevent_default();
        deposit::send(Source::File, chosen_file());
    });
    let another = el("button")
        .attr("type", "button")
        .attr("class", "secondary wide")
        .0;
    listen(&another, "click", |_| deposit::another());
    let _ = main.append_child(&title);
    // The cards' buttons are drawn again at each change: one listener for
    // them all, reading what a button does from its `data-act`.
    listen(&main, "click", |ev| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-act]").ok().flatten())
        else {
            return;
        };
        let digest = button.get_attribute("data-digest").unwrap_or_default();
        match button.get_attribute("data-act").as_deref() {
            Some("send") => deposit::send(Source::Scanned { by_hand: true }, None),
            Some("forget") => deposit::ask_forget(digest),
            Some("forget-yes") => deposit::forget(digest),
            Some("forget-no") => deposit::keep(),
            _ => {}
        }
    });
    if let Some(body) = document().body() {
        let _ = body.append_child(&bar.0);
        let _ = body.append_child(&main);
    }
    NODES.with(|n| {
        *n.borrow_mut() = Some(Nodes {
            brand,
            langs,
            lang_buttons,
            lang_failed,
            nav,
            results,
            title,
            main,
            form,
            intro,
            label,
            submit,
            another,
            drawn: Vec::new(),
        })
    });
}

/// Draws the page as its state says.
fn render() {
    NODES.with(|n| {
        if let Some(n) = n.borrow_mut().as_mut() {
            deposit::with_page(|p| draw(p, n));
        }
    });
}

fn draw(p: &Page, n: &mut Nodes) {
    let c = p.lang.common_texts();
    let t = p.lang.public_texts();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", p.lang.code());
    }
    n.brand.set_text_content(Some(c.app_name));
    let _ = n.langs.set_attribute("aria-label", c.language);
    for (lang, b) in &n.lang_buttons {
        let _ = b.set_attribute(
            "aria-pressed",
            if *lang == p.lang { "true" } else { "false" },
        );
    }
    n.lang_failed.set_text_content(Some(c.storage_failed));
    set_flag(&n.lang_failed, "hidden", !p.lang_failed);
    let _ = n.nav.set_attribute("aria-label", c.app_name);
    let _ = n.results.set_attribute("href", c.results_href);
    n.results.set_text_content(Some(c.nav_results));
    n.title.set_text_content(Some(t.deposit_title));
    n.intro.set_text_content(Some(t.deposit_intro));
    n.label.set_text_content(Some(t.deposit_label));
    n.submit.set_text_content(Some(t.deposit_submit));
    set_flag(&n.submit, "disabled", p.pending > 0);
    n.another.set_text_content(Some(t.deposit_another));

    // Once a return is delivered and nothing read waits to go, the receipt
    // is the page's last word: the file form opens again only when asked.
    // Each is taken out of the page when not shown, and put back as it was
    // (a file chosen stays chosen); only one of them is ever there.
    let form = !p.delivered_all() || p.another;
    place(&n.main, &n.form, !p.reading && form);
    place(&n.main, &n.another, !p.reading && !form);
    for e in n.drawn.drain(..) {
        e.remove();
    }
    if !p.reading {
        let below = [&n.form, &n.another].into_iter().find(|e| e.is_connected());
        let cards = scan_problem(p)
            .into_iter()
            .chain(progress(p))
            .chain(outcome(p))
            .chain(receipts(p));
        for card in cards {
            let _ = n.main.insert_before(&card.0, below.map(|e| e.as_ref()));
            n.drawn.push(card.0);
        }
    }
}

/// Puts `e` at the end of `parent` or takes it out, as `shown` says,
/// touching it only when that changes (a focused button keeps its focus).
fn place(parent: &Element, e: &Element, shown: bool) {
    if shown && !e.is_connected() {
        let _ = parent.append_child(e);
    } else if !shown && e.is_connected() {
        e.remove();
    }
}

fn alert(text: &str) -> El {
    el("p")
        .attr("class", "problem error")
        .attr("role", "alert")
        .text(text)
}

fn success(text: &str) -> El {
    el("p")
        .attr("class", "card success")
        .attr("role", "status")
        .text(text)
}

fn scan_problem(p: &Page) -> Option<El> {
    let t = p.lang.public_texts();
    p.problem.map(|problem| {
        alert(match problem {
            ScanError::NotACode => t.deposit_not_a_code,
            ScanError::Damaged => t.deposit_damaged,
            ScanError::Storage => t.deposit_storage,
        })
    })
}

/// What this device read of one return can be removed (say, one the
/// server refuses for good), once confirmed: the signed return stays on
/// the bureau's phone.
fn forget(p: &Page, digest: &str) -> El {
    let t = p.lang.public_texts();
    if p.forgetting.as_deref() != Some(digest) {
        return el("button")
            .attr("type", "button")
            .attr("class", "secondary wide")
            .attr("data-act", "forget")
            .attr("data-digest", digest)
            .text(t.deposit_forget);
    }
    let id = format!("forget-{digest}");
    el("div")
        .attr("class", "card notice")
        .attr("role", "alertdialog")
        .attr("aria-labelledby", &id)
        .child(el("p").attr("id", &id).text(t.deposit_forget_confirm))
        .child(
            el("div")
                .attr("class", "row")
                .child(
                    el("button")
                        .attr("type", "button")
                        .attr("class", "primary")
                        .attr("data-act", "forget-yes")
                        .attr("data-digest", digest)
                        .text(t.deposit_forget_yes),
                )
                .child(
                    el("button")
                        .attr("type", "button")
                        .attr("class", "secondary")
                        .attr("data-act", "forget-no")
                        .text(p.lang.common_texts().cancel),
                ),
        )
}

/// Each return being read here: how far, or whole and ready to go.
fn progress(p: &Page) -> Vec<El> {
    let t = p.lang.public_texts();
    p.scans
        .iter()
        .map(|Scan { parts: c, whole }| match (&c.bytes, whole) {
            (None, _) => {
                let missing: Vec<String> = c.missing.iter().map(u16::to_string).collect();
                let read = usize::from(c.count) - c.missing.len();
                let text = (t.deposit_scanned)(read, c.count.into(), &missing.join(", "));
                el("div")
                    .attr("class", "card")
                    .attr("role", "status")
                    .child(el("p").text(&text))
                    .child(forget(p, &c.digest))
            }
            (_, Some((_, ret))) => {
                let text = match &ret.kind {
                    Carried::Report(cp) => (t.deposit_read_report)(&ret.bureau, cp, ret.version),
                    Carried::Photos { pages, .. } => {
                        (t.deposit_read_photos)(&ret.bureau, ret.version, *pages)
                    }
                    Carried::Return => {
                        (t.deposit_read_whole)(&ret.bureau, ret.version, &ret.human_code())
                    }
                };
                // Refused for good: said, with what to do; it goes again
                // only when the person asks.
                let parking = p.parked.iter().find(|x| x.digest == c.digest);
                let again = parking.is_some();
                let mut card = el("div")
                    .attr("class", "card")
                    .attr("role", "status")
                    .child(el("p").text(&text));
                if let Some(x) = parking {
                    card = card.child(
                        el("p")
                            .attr("class", "problem error")
                            .text(&(t.deposit_parked)(x.code)),
                    );
                }
                card.child(
                    el("button")
                        .attr("type", "button")
                        .attr(
                            "class",
                            if again {
                                "secondary wide"
                            } else {
                                "primary wide"
                            },
                        )
                        .attr("data-act", "send")
                        .flag("disabled", p.pending > 0)
                        .text(if again {
                            t.deposit_retry
                        } else {
                            t.deposit_submit
                        }),
                )
                .child(forget(p, &c.digest))
            }
            (Some(_), None) => alert(t.deposit_damaged),
        })
        .collect()
}

/// How the last sending went. Scanned returns' receipts are in
/// [`receipts`]; their failure counts only while one is still here to
/// send (another tab may have sent it since).
fn outcome(p: &Page) -> Option<El> {
    let t = p.lang.public_texts();
    let c = p.lang.common_texts();
    let scanned = matches!(p.last_source, Some(Source::Scanned { .. }));
    if scanned {
        let waiting = p.scans.iter().any(|x| x.whole.is_some());
        if !waiting || matches!(p.sent, Some(Ok(_))) {
            return None;
        }
    }
    p.sent.as_ref().map(|r| match r {
        Ok((ret, receipt)) => {
            let n = receipt.body.sequence;
            success(&match &ret.kind {
                Carried::Report(cp) => (t.deposit_done_report)(&ret.bureau, cp, ret.version, n),
                Carried::Photos { pages, .. } => {
                    (t.deposit_done_photos)(&ret.bureau, ret.version, *pages, n)
                }
                Carried::Return => (t.deposit_done)(&ret.bureau, ret.version, &ret.human_code(), n),
            })
        }
        Err(f) => alert(&match f {
            DepositError::NoFile => t.deposit_no_file.to_owned(),
            DepositError::NotAReturn => t.deposit_not_a_return.to_owned(),
            DepositError::Api(ApiError::Network) if scanned => t.deposit_kept.to_owned(),
            DepositError::Api(ApiError::Network) => c.no_network.to_owned(),
            DepositError::Api(ApiError::Refused(code)) => (c.api_error)(*code),
        }),
    })
}

/// Every return delivered from this device, whichever tab sent it, the
/// latest first.
fn receipts(p: &Page) -> Vec<El> {
    let t = p.lang.public_texts();
    p.delivered
        .iter()
        .rev()
        .map(|d| {
            success(&match (&d.checkpoint, d.photos) {
                (Some(cp), _) => (t.deposit_done_report)(&d.bureau, cp, d.version, d.sequence),
                (None, Some(pages)) => {
                    (t.deposit_done_photos)(&d.bureau, d.version, pages, d.sequence)
                }
                (None, None) => (t.deposit_done)(&d.bureau, d.version, &d.code, d.sequence),
            })
        })
        .collect()
}
