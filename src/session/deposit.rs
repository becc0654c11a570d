//! The deposit page's state and its intents (`pages/deposit.rs` draws
//! it). The page is written without Leptos: this module holds what it
//! shows in one [`Page`], changes it when a code is read, a return sent or
//! another tab wrote, and calls the page's `redraw` after each change.
//! What it sends and keeps is [`super::handover`]'s.

use super::handover::{
    self, Delivered, DepositError, Parked, Scan, ScanError, forget_scan, read_scans, send_scanned,
};
use crate::i18n::Lang;
use pointage_core::{Receipt, ReturnLabel};
use std::cell::{Cell, RefCell};

/// Where the return to send comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    File,
    /// Every return put back together from the parts scanned here; a
    /// version parked (refused for good) goes again only `by_hand`.
    Scanned {
        by_hand: bool,
    },
}

pub type Sent = Result<(ReturnLabel, Receipt), DepositError>;

/// Everything the page shows.
pub struct Page {
    pub lang: Lang,
    /// The language chosen could not be saved.
    pub lang_failed: bool,
    pub scans: Vec<Scan>,
    pub delivered: Vec<Delivered>,
    pub parked: Vec<Parked>,
    pub problem: Option<ScanError>,
    /// Opened from a code (`/deposer#PTG1-…`): the page draws its cards
    /// once that part is read and kept, all at once, rather than the
    /// file's form first, pushed down a moment later by the code's card
    /// under the helper's thumb.
    pub reading: bool,
    /// Sendings under way.
    pub pending: u32,
    pub last_source: Option<Source>,
    /// The last sending's outcome.
    pub sent: Option<Sent>,
    /// The file form asked for again once a return was delivered.
    pub another: bool,
    /// The return whose parts the person asked to forget, being confirmed.
    pub forgetting: Option<String>,
}

impl Page {
    /// A return was delivered and nothing read waits to go: the receipt is
    /// the page's last word.
    pub fn delivered_all(&self) -> bool {
        let sent = !self.delivered.is_empty() || matches!(self.sent, Some(Ok(_)));
        sent && self.scans.is_empty() && self.pending == 0
    }
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    static REDRAW: Cell<fn()> = const { Cell::new(|| {}) };
}

/// Reads the page's state (`None` before [`start`]).
pub fn with_page<R>(f: impl FnOnce(&Page) -> R) -> Option<R> {
    PAGE.with(|p| p.borrow().as_ref().map(f))
}

fn change<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    PAGE.with(|p| p.borrow_mut().as_mut().map(f))
}

fn redraw() {
    REDRAW.with(Cell::get)();
}

/// Opens the page's state on what this device holds, then reads the
/// address's part (`address`, after `#`), if any. `redraw` is called after
/// each change.
pub fn start(address: String, redraw_page: fn()) {
    REDRAW.with(|r| r.set(redraw_page));
    PAGE.with(|p| {
        *p.borrow_mut() = Some(Page {
            lang: crate::storage::lang().unwrap_or_default(),
            lang_failed: false,
            scans: read_scans(),
            delivered: handover::delivered(),
            parked: handover::parked(),
            problem: None,
            reading: !address.is_empty(),
            pending: 0,
            last_source: None,
            sent: None,
            another: false,
            forgetting: None,
        })
    });
    redraw();
    read_address(address);
    // Parts read, or a return delivered, in another tab.
    handover::watch_other_tabs(refresh);
}

/// Reads again what this device holds, and draws it.
fn refresh() {
    change(|p| {
        p.scans = read_scans();
        p.delivered = handover::delivered();
        p.parked = handover::parked();
    });
    redraw();
}

/// A part read from a code (the text after `#` in the page's address):
/// kept, then its return sent once whole. `forget_address` drops it from
/// the address once kept.
pub fn read_address(text: String) {
    if text.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let kept = handover::keep_part(&text).await;
        // Once it is kept (a page left now loses nothing), the address
        // drops the part: a reload does not read it again (reading it twice
        // would change nothing either).
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/deposer"));
        }
        let digest = change(|p| {
            p.reading = false;
            match kept {
                Ok(digest) => {
                    p.problem = None;
                    Some(digest)
                }
                Err(e) => {
                    p.problem = Some(e);
                    None
                }
            }
        })
        .flatten();
        refresh();
        let Some(digest) = digest else {
            return;
        };
        let this = with_page(|p| {
            p.scans
                .iter()
                .find(|x| x.parts.digest == digest)
                .map(|x| (x.parts.bytes.is_some(), x.whole.is_some()))
        })
        .flatten();
        match this {
            Some((true, true)) => send(Source::Scanned { by_hand: false }, None),
            Some((true, false)) => {
                // Parts that do not make a return are dropped, so that
                // scanning them again starts clean.
                change(|p| p.problem = Some(ScanError::Damaged));
                forget_scan(digest, refresh);
            }
            _ => {}
        }
    });
}

/// The network is back: complete returns that could not leave go.
pub fn online() {
    let ready = with_page(|p| p.pending == 0 && p.scans.iter().any(|x| x.whole.is_some()));
    if ready == Some(true) {
        send(Source::Scanned { by_hand: false }, None);
    }
}

/// Sends what `from` names (for a file, the one chosen), then says how it
/// went.
pub fn send(from: Source, file: Option<web_sys::File>) {
    let scans = change(|p| {
        p.last_source = Some(from);
        p.pending += 1;
        p.scans.clone()
    })
    .unwrap_or_default();
    redraw();
    wasm_bindgen_futures::spawn_local(async move {
        let sent = match from {
            Source::Scanned { by_hand } => send_scanned(scans, by_hand, refresh).await,
            Source::File => send_file(file).await,
        };
        change(|p| {
            p.pending -= 1;
            p.sent = Some(sent);
        });
        redraw();
    });
}

async fn send_file(file: Option<web_sys::File>) -> Sent {
    let file = file.ok_or(DepositError::NoFile)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| DepositError::NotAReturn)?;
    let text = text.as_string().ok_or(DepositError::NotAReturn)?;
    // Read here first, so a wrong file is named as such, and the person
    // sees which bureau and version they are sending.
    let ret = ReturnLabel::read(text.as_bytes()).map_err(|_| DepositError::NotAReturn)?;
    let receipt = handover::submit(&ret, text)
        .await
        .map_err(DepositError::Api)?;
    Ok((ret, receipt))
}

/// The person asks to forget what was read of one return (asked again
/// first), says yes, or changes their mind.
pub fn ask_forget(digest: String) {
    change(|p| p.forgetting = Some(digest));
    redraw();
}

pub fn forget(digest: String) {
    change(|p| p.forgetting = None);
    redraw();
    forget_scan(digest, refresh);
}

pub fn keep() {
    change(|p| p.forgetting = None);
    redraw();
}

/// The file form, asked for again once a return was delivered.
pub fn another() {
    change(|p| p.another = true);
    redraw();
}

/// Saves the language chosen, then shows it; if it cannot be saved, says so.
pub fn choose(lang: Lang) {
    let saved = crate::storage::save_lang(lang).is_ok();
    change(|p| {
        if saved {
            p.lang = lang;
        }
        p.lang_failed = !saved;
    });
    redraw();
}
