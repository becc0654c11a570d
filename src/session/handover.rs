//! The hand-over on this device, for the deposit page: the QR parts read
//! here, the returns they make, and one round of device's outbox policy
//! (`handover::Round`) to send them. The page draws what this gives and
//! says what it returns; it reaches no storage itself.

use crate::api::{self, ApiError};
use crate::storage::handover as scanned;
use crate::storage::{self, idb::IdbStore};
use pointage_core::handover::{Collected, Part};
use pointage_core::{Carried, Receipt, ReturnLabel};
use pointage_device::outbox::{Answer, Doc, Round, Then};
use pointage_device::{Key, WriteError};

pub use scanned::{Delivered, Parked};

/// Why a hand-over did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepositError {
    NoFile,
    NotAReturn,
    Api(ApiError),
}

/// What went wrong with the code just scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanError {
    NotACode,
    Damaged,
    Storage,
}

/// One return read on this device, as far as it goes: its parts, and once
/// they are all there and make a signed return, its text and its label
/// (read once, not at every redraw; the server checks the rest).
#[derive(Clone)]
pub struct Scan {
    pub parts: Collected,
    pub whole: Option<(String, ReturnLabel)>,
}

/// Every return read on this device.
pub fn read_scans() -> Vec<Scan> {
    let Some(s) = storage::store() else {
        return Vec::new();
    };
    scanned::collected(&*s)
        .into_iter()
        .map(|parts| {
            let whole = match &parts.bytes {
                Some(Ok(bytes)) => ReturnLabel::read(bytes)
                    .ok()
                    .and_then(|r| Some((String::from_utf8(bytes.clone()).ok()?, r))),
                _ => None,
            };
            Scan { parts, whole }
        })
        .collect()
}

/// Sends every return put back together here in one round of the phones'
/// one outbox policy (device's `outbox::Round`, each bureau a sender), each
/// noted as delivered on its receipt; a refusal for good parks it here. What is not delivered is kept for another try, and the first
/// failure is what the page says.
pub async fn send_scanned(
    scans: Vec<Scan>,
    by_hand: bool,
    refresh: impl Fn(),
) -> Result<(ReturnLabel, Receipt), DepositError> {
    let whole: Vec<(String, String, ReturnLabel)> = scans
        .into_iter()
        .filter_map(|s| s.whole.map(|(text, ret)| (s.parts.digest, text, ret)))
        .collect();
    let ready = whole
        .iter()
        .map(|(digest, _, ret)| Doc {
            id: digest.clone(),
            // A bureau's returns are one sender; each checkpoint's reports
            // another, and its photo documents another.
            sender: match &ret.kind {
                Carried::Report(c) => format!("{}/{c}", ret.bureau),
                Carried::Photos { .. } => format!("{}/photos", ret.bureau),
                Carried::Return => ret.bureau.clone(),
            },
            version: ret.version,
        })
        .collect();
    let parked: Vec<String> = storage::store()
        .map(|s| scanned::parked(&*s))
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.digest)
        .collect();
    let mut round = Round::new(ready, &parked, by_hand);
    let mut last = None;
    let mut failure = None;
    while let Some(next) = round.next_to_send() {
        let Some((digest, text, ret)) = whole.iter().find(|(d, ..)| *d == next.id) else {
            continue;
        };
        let (digest, ret) = (digest.clone(), ret.clone());
        let answer = submit(&ret, text.clone()).await;
        let sent = match &answer {
            Ok(_) => Answer::Received,
            Err(ApiError::Network) => Answer::NoNetwork,
            Err(ApiError::Refused(code)) => Answer::Refused(*code),
        };
        if let Then::Park(code) = round.answered(&next, sent)
            && let Some(s) = storage::store()
        {
            let parking = scanned::Parked {
                digest: digest.clone(),
                code,
            };
            let _ = with_other_tabs(&s, async |s| scanned::park(s, parking.clone()).await).await;
            refresh();
        }
        let receipt = match answer {
            Ok(r) => r,
            Err(ApiError::Network) => return Err(DepositError::Api(ApiError::Network)),
            Err(refused) => {
                failure.get_or_insert(DepositError::Api(refused));
                continue;
            }
        };
        // Best effort: the server holds the return whether or not this is
        // kept (the parts would be sent again, and get the same receipt).
        if let Some(s) = storage::store() {
            let d = scanned::Delivered {
                digest,
                bureau: ret.bureau.clone(),
                version: ret.version,
                checkpoint: ret.checkpoint().map(str::to_owned),
                photos: match ret.kind {
                    Carried::Photos { pages, .. } => Some(pages),
                    _ => None,
                },
                code: ret.human_code(),
                sequence: receipt.body.sequence,
            };
            let _ = with_other_tabs(&s, async |s| scanned::deliver(s, d.clone()).await).await;
        }
        refresh();
        last = Some((ret, receipt));
    }
    match (failure, last) {
        (Some(f), _) => Err(f),
        (None, Some(done)) => Ok(done),
        (None, None) => Err(DepositError::NotAReturn),
    }
}

/// Sends a signed document read here to where its kind goes: a return, a
/// turnout report or the paper PV's photo document.
pub async fn submit(label: &ReturnLabel, text: String) -> Result<Receipt, ApiError> {
    match label.kind {
        Carried::Report(_) => api::submit_report(text).await,
        Carried::Photos { .. } => api::submit_photos(text).await,
        Carried::Return => api::submit_return(text).await,
    }
}

/// The hand-over keys, which the tabs a camera app opens all add to.
const SHARED: [Key; 3] = [Key::Handover, Key::HandoverDelivered, Key::HandoverParked];

/// Runs a hand-over write; if another tab wrote those keys meanwhile, reads
/// them again and tries once more (adding a part to what another tab added
/// is what is meant here, unlike a count).
async fn with_other_tabs(
    s: &IdbStore,
    write: impl AsyncFn(&IdbStore) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    match write(s).await {
        Err(WriteError::Changed) => {
            s.refresh(&SHARED).await?;
            write(s).await
        }
        other => other,
    }
}

/// Drops what was read of one return, and refreshes the page.
pub fn forget_scan(digest: String, refresh: impl Fn() + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(s) = storage::store() {
            let _ = with_other_tabs(&s, async |s| scanned::forget(s, &digest).await).await;
        }
        refresh();
    });
}

/// Keeps one part read from a code (the text after `#` in its address).
/// Gives the digest of the return it belongs to.
pub async fn keep_part(text: &str) -> Result<String, ScanError> {
    let part = Part::parse(text).map_err(|_| ScanError::NotACode)?;
    let s = storage::store().ok_or(ScanError::Storage)?;
    with_other_tabs(&s, async |s| scanned::add(s, text).await)
        .await
        .map_err(|_| ScanError::Storage)?;
    Ok(part.digest)
}

/// Every return delivered from this device, whichever tab sent it.
pub fn delivered() -> Vec<Delivered> {
    storage::store()
        .map(|s| scanned::delivered(&*s))
        .unwrap_or_default()
}

/// The versions the server refused for good, parked here.
pub fn parked() -> Vec<Parked> {
    storage::store()
        .map(|s| scanned::parked(&*s))
        .unwrap_or_default()
}

/// Calls `refresh` once another tab read parts or delivered a return,
/// after reading those keys again, for as long as the page lives.
pub fn watch_other_tabs(refresh: impl Fn() + Copy + 'static) {
    storage::watch_other_tabs_for_good(move |keys| {
        if keys.iter().any(|k| SHARED.contains(k)) {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(s) = storage::store() {
                    let _ = s.refresh(&SHARED).await;
                }
                refresh();
            });
        }
    });
}
