//! Sends the signed returns waiting in the outbox, with no one having to
//! think about it: at app start, on the browser's `online` event, and on a
//! short timer that honours core's backoff (with jitter) after a failure.
//! What goes when, and what an answer leads to, is device's one outbox
//! policy (`pointage_device::outbox`: oldest first, stopping at the first
//! failure, the server's versions taken back once when one is taken, a
//! refusal for good parked until someone asks, a version leaving only on
//! a receipt that verifies with the server key kept at enrollment); this
//! module is its driver: the timer, the clock, the jitter and the `fetch`.
//!
//! Once the phone holds a receipt, it also checks its bureau's part of the
//! public log (device's `witness`: its returns where their receipts say,
//! the log extending every head it held, no other phone enrolled for its
//! bureau) after each new receipt and every two minutes with a network,
//! and says what it found ([`Outbox::witness`]).
//!
//! Counting and entry never wait on it: it runs beside them, and what it
//! learns is shown by the badge ([`SyncStatus`]).

use crate::api::{self, ApiError};
use crate::storage::idb::IdbStore;
use crate::storage::pictures::IdbPictures;
use crate::storage::pv::Restored;
use crate::storage::{self, pv::PvStore};
use leptos::prelude::*;
use pointage_core::Receipt;
use pointage_core::recovery::{
    RecoverRequest, SignedRecoverRequest, check_recovered_in_log, check_recovered_with,
    recovered_in_log_signature_checks, recovered_signature_checks,
};
use pointage_core::signature::Verified;
use pointage_core::wire::PiecesHeld;
use pointage_core::wire::{EnrollResponse, ErrorCode};
use pointage_device::outbox::{Answer, Courier, Kind, Outgoing, SendError, Sending, send_due};
use pointage_device::photos::{PhotoStore, PieceCourier, Uploading};
use pointage_device::turnout::ReportStore;
use pointage_device::witness::{Verdict, WitnessStore, checks};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// How often the outbox is looked at when nothing else wakes it: the
/// backoff's own retry time is honoured by core, so this only bounds how
/// late a retry can be.
const TICK: Duration = Duration::from_secs(5);

/// What the badge says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// Nothing signed on this phone yet.
    Nothing,
    /// Versions waiting, none being sent now.
    Pending(usize),
    Sending,
    /// Every version acknowledged; the latest receipt's sequence and time.
    Sent {
        sequence: u64,
        received_at: u64,
    },
    /// The last send failed; versions still waiting.
    Failed {
        pending: usize,
        why: DeliveryError,
    },
    /// The server refused the waiting version for good (`code`): it is not
    /// sent again until someone asks ("Envoyer maintenant").
    Parked {
        pending: usize,
        code: ErrorCode,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryError {
    Api(ApiError),
    /// The answer was not a receipt signed by the server for this return.
    BadReceipt,
    /// The receipt came but the phone could not keep it; sent again later.
    Storage,
}

thread_local! {
    static SENDING: Cell<bool> = const { Cell::new(false) };
    static UPLOADING: Cell<bool> = const { Cell::new(false) };
    /// Whether the public log was checked since the app started: it is
    /// checked at each start, then when due.
    static WITNESSED: Cell<bool> = const { Cell::new(false) };
    /// When the server was last asked for a later round (the phone's
    /// clock): at each start, then every [`NEXT_ROUND_EVERY`].
    static NEXT_ASKED: Cell<Option<u64>> = const { Cell::new(None) };
}

/// How often an enrolled phone asks whether its key was carried over to
/// a later round.
const NEXT_ROUND_EVERY: u64 = 10 * 60 * 1000;

/// The outbox as every screen sees it (through the context): its state,
/// a send asked by hand, and the last check of the public log.
#[derive(Clone, Copy)]
pub struct Outbox {
    status: RwSignal<SyncStatus>,
    /// Bumped each time versions recovered from the server changed what
    /// the phone holds.
    restored: RwSignal<u64>,
    /// A send asked by hand met no network.
    by_hand_offline: RwSignal<bool>,
    /// The last check of the public log: when, and what it found.
    witness: RwSignal<Option<(u64, Verdict)>>,
    /// A later round this phone's key was carried over to, as the server
    /// gave it (checked to be this bureau's next round).
    next_round: RwSignal<Option<EnrollResponse>>,
}

impl Outbox {
    pub fn status(self) -> SyncStatus {
        self.status.get()
    }

    /// Bumped each time versions recovered from the server changed what
    /// the phone holds: the PV screen reads its store again.
    pub fn restored(self) -> u64 {
        self.restored.get()
    }

    /// The last check of the bureau's part of the public log, if any: when
    /// (the phone's clock) and what it found.
    pub fn witness(self) -> Option<(u64, Verdict)> {
        self.witness.get()
    }

    /// A later round of this bureau's election that this phone may count
    /// for without a new code, once the server said so.
    pub fn next_round(self) -> Option<EnrollResponse> {
        self.next_round.get()
    }

    /// Looks at the outbox now (after signing, say) instead of at the next
    /// tick.
    pub fn poke(self) {
        leptos::task::spawn_local(tick(self));
    }

    /// The person asks for a send now: the backoff is lifted (as when the
    /// network comes back), a version refused for good is tried again, and
    /// the outbox looked at at once.
    pub fn send_now(self) {
        leptos::task::spawn_local(self.send_now_then());
    }

    async fn send_now_then(self) {
        if let Some((s, store, device)) = store() {
            let _ = store.unpark(&*s).await;
            store.network_back(&*s).await;
            let reports = ReportStore::new(&device.election.hash, &device.election.bureau.code);
            let _ = reports.unpark(&*s).await;
            reports.network_back(&*s).await;
            let photos = PhotoStore::new(&device.election.hash, &device.election.bureau.code);
            let _ = photos.unpark(&*s).await;
            photos.network_back(&*s).await;
        }
        tick(self).await;
    }

    /// The person tapped "Envoyer maintenant": as [`Outbox::send_now`], and
    /// the badge then says what came of it, even when it is only that there
    /// is no network.
    pub fn send_by_hand(self) {
        self.by_hand_offline.set(true);
        leptos::task::spawn_local(async move {
            self.send_now_then().await;
            let no_network = matches!(
                self.status.get_untracked(),
                SyncStatus::Failed {
                    why: DeliveryError::Api(crate::api::ApiError::Network),
                    ..
                }
            );
            self.by_hand_offline.set(no_network);
        });
    }

    /// Whether the person's own "send now" just met no network.
    pub fn tried_without_network(self) -> bool {
        self.by_hand_offline.get()
    }

    /// Whether versions wait for the server, sent or not right now.
    pub fn waiting(self) -> bool {
        matches!(
            self.status(),
            SyncStatus::Pending(_) | SyncStatus::Failed { .. } | SyncStatus::Parked { .. }
        )
    }
}

pub fn use_sync() -> Option<Outbox> {
    use_context::<Outbox>()
}

/// Starts sending for the enrolled bureau, if any: at once, on `online`, and
/// every [`TICK`].
pub fn start() {
    let sync = Outbox {
        status: RwSignal::new(SyncStatus::Nothing),
        restored: RwSignal::new(0),
        by_hand_offline: RwSignal::new(false),
        witness: RwSignal::new(None),
        next_round: RwSignal::new(None),
    };
    provide_context(sync);
    if storage::device().is_none() {
        return;
    }
    sync.status.set(resting(None));
    if let Some((s, _, device)) = store() {
        let record = witness_store(&device).record(&*s);
        sync.witness.set(record.checked_at.zip(record.verdict));
    }
    // A phone that holds no signed version asks the server whether it has
    // any of its bureau's (its storage may have lost them); then sends.
    let holds_none = store().is_some_and(|(s, store, _)| {
        store.receipts(&*s).is_empty() && store.pending(&*s).is_empty()
    });
    if holds_none {
        leptos::task::spawn_local(async move {
            let _ = recover(sync).await;
            tick(sync).await;
        });
    } else {
        sync.poke();
    }
    let _ = window_event_listener(leptos::ev::online, move |_| sync.send_now());
    let _ = set_interval_with_handle(move || sync.poke(), TICK);
}

fn store() -> Option<(Rc<IdbStore>, PvStore, storage::Device)> {
    let s = storage::store()?;
    let d = storage::device()?;
    let store = PvStore::new(&d.election.hash, &d.election.bureau.code);
    Some((s, store, d))
}

/// The status when no send is under way, after `failure` if the last one
/// failed.
fn resting(failure: Option<DeliveryError>) -> SyncStatus {
    let Some((s, store, _)) = store() else {
        return SyncStatus::Nothing;
    };
    let pending = store.pending(&*s).len();
    if let Some(code) = store.parked(&*s).filter(|_| pending > 0) {
        return SyncStatus::Parked { pending, code };
    }
    match (pending, failure, store.receipts(&*s).last()) {
        (0, _, None) => SyncStatus::Nothing,
        (0, _, Some(r)) => SyncStatus::Sent {
            sequence: r.body.sequence,
            received_at: r.body.received_at,
        },
        (n, Some(why), _) => SyncStatus::Failed { pending: n, why },
        (n, None, _) => SyncStatus::Pending(n),
    }
}

/// The network as device's outbox sends through it: `fetch`, WebCrypto
/// for the receipt's signature, and the recovery below.
struct Web {
    sync: Outbox,
    server_key: String,
}

impl Courier for Web {
    async fn send(&self, kind: Kind, text: String) -> Result<(Receipt, Verified), SendError> {
        self.sync.status.set(SyncStatus::Sending);
        let answer = match kind {
            Kind::Return => api::submit_return(text).await,
            Kind::Report => api::submit_report(text).await,
            Kind::Photos => api::submit_photos(text).await,
        };
        match answer {
            Ok(receipt) => {
                // WebCrypto checks the server's signature; core then takes
                // the receipt only if that check held.
                let held =
                    crate::crypto::verified(receipt.signature_check(&self.server_key).ok()).await;
                Ok((receipt, held))
            }
            Err(ApiError::Network) => Err(SendError::NoNetwork),
            Err(ApiError::Refused(code)) => Err(SendError::Refused(code)),
        }
    }

    async fn recover(&self) -> bool {
        recover(self.sync).await.is_ok_and(|r| r.changed())
    }
}

/// Sends what is due in device's outbox policy (`outbox::send_due`), with
/// the clock and a random jitter read here.
async fn tick(sync: Outbox) {
    if SENDING.with(|s| s.replace(true)) {
        return;
    }
    let mut failure = match sync.status.get_untracked() {
        SyncStatus::Failed { why, .. } => Some(why),
        _ => None,
    };
    if let Some((s, store, device)) = store() {
        let courier = Web {
            sync,
            server_key: device.server_key.clone(),
        };
        let jitter = (js_sys::Math::random() * 1000.0) as u16;
        let now = js_sys::Date::now() as u64;
        // The returns first: a turnout report never delays a figure.
        match send_due(
            &*s,
            Outgoing::Returns(&store),
            &courier,
            &device.server_key,
            now,
            jitter,
        )
        .await
        {
            Sending::NothingDue => {}
            Sending::Done => failure = None,
            Sending::Failed(why) => failure = Some(why.into()),
        }
        let reports = ReportStore::new(&device.election.hash, &device.election.bureau.code);
        match send_due(
            &*s,
            Outgoing::Reports(&reports),
            &courier,
            &device.server_key,
            now,
            jitter,
        )
        .await
        {
            Sending::NothingDue | Sending::Done => {}
            Sending::Failed(why) => failure = failure.or(Some(why.into())),
        }
        // The paper PV's photos last: their document, then their pictures
        // on a task of their own, so that a return signed meanwhile never
        // waits for a picture.
        let photos = PhotoStore::new(&device.election.hash, &device.election.bureau.code);
        let _ = send_due(
            &*s,
            Outgoing::Photos(&photos, &store),
            &courier,
            &device.server_key,
            now,
            jitter,
        )
        .await;
        leptos::task::spawn_local(upload(sync, photos, now, jitter));
    }
    // A send asked by hand that met no network is said until one goes.
    let offline = matches!(failure, Some(DeliveryError::Api(ApiError::Network)));
    if !offline {
        sync.by_hand_offline.set(false);
    }
    sync.status.set(resting(failure));
    if !offline {
        witness(sync).await;
        ask_next_round(sync).await;
    }
    SENDING.with(|s| s.set(false));
}

/// Sends the pictures of the photos the server has received, a piece at
/// a time (device's `PhotoStore::upload_due`), one upload at a time.
async fn upload(sync: Outbox, photos: PhotoStore, now: u64, jitter: u16) {
    if UPLOADING.with(|u| u.replace(true)) {
        return;
    }
    if let Some(s) = storage::store() {
        let done = photos
            .upload_due(&*s, &IdbPictures, &WebPieces, now, jitter)
            .await;
        if done != Uploading::NothingDue {
            // The screens that show the photos read them again.
            sync.status.update(|_| {});
        }
    }
    UPLOADING.with(|u| u.set(false));
}

/// The pictures' part of the network: `fetch`.
struct WebPieces;

fn send_error(e: ApiError) -> SendError {
    match e {
        ApiError::Network => SendError::NoNetwork,
        ApiError::Refused(code) => SendError::Refused(code),
    }
}

impl PieceCourier for WebPieces {
    async fn held(&self, sha256: &str) -> Result<PiecesHeld, SendError> {
        api::photo_pieces(sha256).await.map_err(send_error)
    }

    async fn put_piece(
        &self,
        sha256: &str,
        n: u32,
        bytes: Vec<u8>,
    ) -> Result<PiecesHeld, SendError> {
        api::put_photo_piece(sha256, n, &bytes)
            .await
            .map_err(send_error)
    }
}

impl From<Answer> for DeliveryError {
    fn from(a: Answer) -> Self {
        match a {
            Answer::NoNetwork => DeliveryError::Api(ApiError::Network),
            Answer::Refused(code) => DeliveryError::Api(ApiError::Refused(code)),
            Answer::BadReceipt => DeliveryError::BadReceipt,
            // A receipt is no failure: never given as one.
            Answer::NotKept | Answer::Received => DeliveryError::Storage,
        }
    }
}

/// Asks the server whether this phone's key was carried over to a later
/// round (at the start, then every [`NEXT_ROUND_EVERY`]); an answer that
/// is not this bureau's next round is not kept.
async fn ask_next_round(sync: Outbox) {
    let Some(device) = storage::device() else {
        return;
    };
    let now = js_sys::Date::now() as u64;
    if NEXT_ASKED.with(|a| a.get().is_some_and(|at| now < at + NEXT_ROUND_EVERY)) {
        return;
    }
    NEXT_ASKED.with(|a| a.set(Some(now)));
    if let Ok(offered) = api::next_round(&device.election.id, &device.device_key).await
        && pointage_device::next_round::is_next(&device, &offered)
    {
        sync.next_round.set(Some(offered));
    }
}

fn witness_store(device: &storage::Device) -> WitnessStore {
    WitnessStore::new(&device.election.hash, &device.election.bureau.code)
}

/// Checks the bureau's part of the public log when it is due (at the app's
/// start, or two minutes after the last check, once the phone holds a
/// receipt): the server's answer,
/// its signatures checked by WebCrypto, judged and kept by device's
/// witness. Without a network, nothing: it is tried at the next tick.
async fn witness(sync: Outbox) {
    let Some((s, _, device)) = store() else {
        return;
    };
    let w = witness_store(&device);
    let now = js_sys::Date::now() as u64;
    let first = !WITNESSED.with(Cell::get) && w.holds_receipts(&*s);
    if !first && !w.due(&*s, now) {
        return;
    }
    let view = &device.election;
    let Ok(log) = api::bureau_log(&view.id, &view.bureau.code, &w.from_sizes(&*s)).await else {
        return;
    };
    // Timed for `cargo xtask bench` (e2e/bench/witness.bench.ts), as the
    // browser's own measure: the signatures, the proofs, the head kept.
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        let _ = p.mark("pointage-witness-start");
    }
    let held = crate::crypto::verified(checks(&log, &device.server_key)).await;
    let checked = w
        .check(
            &*s,
            &log,
            &view.hash,
            &view.bureau.code,
            &device.device_key,
            &device.server_key,
            &held,
            now,
        )
        .await;
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark("pointage-witness-check", "pointage-witness-start");
    }
    if let Ok(verdict) = checked {
        WITNESSED.with(|w| w.set(true));
        sync.witness.set(Some((now, verdict)));
    }
}

/// Asks the server for the bureau's versions this phone does not hold, with
/// a request signed by the bureau key; keeps them once core has checked
/// them (this phone's own key's, in order, with the server's receipts).
async fn recover(sync: Outbox) -> Result<Restored, ApiError> {
    let refused = ApiError::Refused(ErrorCode::Unknown);
    let (s, store, device) = store().ok_or(refused)?;
    let view = &device.election;
    let request = RecoverRequest::new(
        &view.id,
        &view.bureau.code,
        &device.device_key,
        js_sys::Date::now() as u64,
    );
    let key = storage::device_key().await.ok_or(refused)?;
    let message = request.message().map_err(|_| refused)?;
    let signature = crate::crypto::sign(&key, &message)
        .await
        .map_err(|_| refused)?;
    let answer = api::recover(&SignedRecoverRequest {
        request,
        signature: hex::encode(signature),
    })
    .await?;
    // The bureau's part of the public log: with it, versions signed by the
    // bureau's earlier keys (a phone enrolled after a reissue) are taken
    // too, each where the log proves its key held the bureau.
    let log = api::bureau_log(&view.id, &view.bureau.code, &[]).await.ok();
    // WebCrypto checks every signature core lists; core takes the versions
    // only if all of theirs held.
    let versions = match &log {
        Some(log) => {
            let held = crate::crypto::verified(recovered_in_log_signature_checks(
                &answer,
                log,
                &device.server_key,
            ))
            .await;
            check_recovered_in_log(
                &answer,
                log,
                &view.hash,
                &view.id,
                &view.bureau.code,
                &device.device_key,
                &device.server_key,
                &held,
            )
        }
        None => {
            let held =
                crate::crypto::verified(recovered_signature_checks(&answer, &device.server_key))
                    .await;
            check_recovered_with(
                &answer,
                &view.id,
                &view.bureau.code,
                &device.device_key,
                &device.server_key,
                &held,
            )
        }
    }
    .map_err(|_| {
        // What the server sent is not taken: said where a helper with the
        // phone's developer tools can see it.
        warn(
            "Pointage: the versions recovered from the server do not check out; nothing was taken.",
        );
        refused
    })?;
    let restored = store.restore(&*s, &versions).await.map_err(|_| {
        warn("Pointage: the versions recovered from the server could not be kept.");
        refused
    })?;
    if restored.changed() {
        sync.restored.update(|n| *n += 1);
        sync.status.set(resting(None));
    }
    Ok(restored)
}

fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
