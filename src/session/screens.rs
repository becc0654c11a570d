//! What the Leptos screens (the bureau app, a table phone's) ask of
//! device's sessions: opening a count or a PV, the evening, the outbox's
//! state, signing with WebCrypto, and [`Intent`]. The deposit page, built
//! without Leptos, needs none of it.

use super::{photos, tables};
use crate::storage;
use pointage_core::signature::{SignatureCheck, Verified};
use pointage_core::{SignedReturn, TallyLog, UnsignedReturn};
use pointage_device::count_session::CountSession;
use pointage_device::evening::{Evening, TablesCount};
use pointage_device::pv::{PvLoadError, PvStore};
use pointage_device::pv_session::{Edit, EditError, NextEntry, PvSession, PvSignError};
use pointage_device::tally::{LoadError, TallyStore};
use pointage_device::{Batch, Signer, Storage, WriteError};

pub use storage::{
    Device, Startup, ask_persistent, device, enrollment, startup_problem, watch_other_tabs,
};

/// Why the counting screen cannot open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountOpenError {
    Damaged,
    Unavailable,
}

pub(crate) fn candidates(device: &Device) -> Vec<String> {
    device
        .election
        .candidates
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

/// The bureau's count as stored.
pub fn open_count<T>(device: &Device) -> Result<CountSession<T>, CountOpenError> {
    let s = storage::store().ok_or(CountOpenError::Unavailable)?;
    let e = &device.election;
    CountSession::open(&*s, &e.hash, &e.bureau.code, candidates(device))
        .map_err(|LoadError::Damaged| CountOpenError::Damaged)
}

/// Writes a batch a session asked for, durably.
pub async fn write(batch: Batch) -> Result<(), WriteError> {
    let s = storage::store().ok_or(WriteError::Unavailable)?;
    s.write(batch).await
}

/// Why the PV screens cannot open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvOpenError {
    /// The tap-count is damaged: the PV has no third source to trust.
    Tally,
    Unavailable,
    Damaged,
}

/// The bureau's PV as stored, and its tap-count when the ballots were
/// counted in the app (a bureau that counted on paper has no packet: there
/// is no third source).
pub fn open_pv(device: &Device) -> Result<(PvSession, Option<TallyLog>), PvOpenError> {
    let s = storage::store().ok_or(PvOpenError::Unavailable)?;
    let e = &device.election;
    let (_, log) = TallyStore::open(&*s, &e.hash, &e.bureau.code, candidates(device))
        .map_err(|_| PvOpenError::Tally)?;
    // Counted at table phones: the bureau's log holds the close of polls,
    // and the sheets the packets.
    let tables = !tables::bureau_tables(device).sheets.is_empty();
    let tally = (!log.packets().is_empty() || tables).then_some(log);
    let pv = PvSession::open(&*s, &e.hash, &e.bureau.code).map_err(|e| match e {
        PvLoadError::Damaged => PvOpenError::Damaged,
    })?;
    Ok((pv, tally))
}

/// The envelopes found in the urn, as the bureau's close of polls gives
/// them (none before it).
pub fn polls_found(device: &Device) -> Option<u32> {
    let s = storage::store()?;
    let e = &device.election;
    let (_, log) = TallyStore::open(&*s, &e.hash, &e.bureau.code, candidates(device)).ok()?;
    log.polls().map(|p| p.enveloppes)
}

/// The bureau's evening as kept, for the home screen: `None` when the
/// phone's storage or its PV cannot be read (the PV screen says why). A
/// count that cannot be read is taken as none: the counting screen says
/// why when the evening leads there.
pub fn evening(device: &Device) -> Option<Evening> {
    let s = storage::store()?;
    let e = &device.election;
    let log = TallyStore::open(&*s, &e.hash, &e.bureau.code, candidates(device))
        .ok()
        .map(|(_, log)| log);
    let pv = PvSession::open(&*s, &e.hash, &e.bureau.code).ok()?;
    let store = pv.store();
    // A bureau that invited tables counts on them: its count is theirs.
    let t = tables::bureau_tables(device);
    let tables = (!t.invitations.is_empty()).then(|| {
        let g = t.gathering(&device.election);
        let found = log.as_ref().and_then(|l| l.polls()).map(|p| p.enveloppes);
        TablesCount {
            packets: g.packets,
            envelopes: g.envelopes,
            ready: found.is_some_and(|f| t.ready(&g, f)),
        }
    });
    Some(
        Evening::with_tables(
            log.as_ref(),
            &pv,
            &store.pending(&*s),
            &store.receipts(&*s),
            store.parked(&*s).is_some(),
            tables,
        )
        .with_photos(photos::standing(device)),
    )
}

/// Applies an edit to the PV's entry as stored, durably.
pub async fn edit(store: PvStore, version: u32, edit: Edit) -> Result<NextEntry, EditError> {
    let s = storage::store().ok_or(EditError::Write(WriteError::Unavailable))?;
    store.edit(&*s, version, edit).await
}

/// The bureau key in WebCrypto, as the device's [`Signer`].
pub(crate) struct WebCrypto;

impl Signer for WebCrypto {
    async fn sign(&self, message: Vec<u8>) -> Option<Vec<u8>> {
        let key = storage::device_key().await?;
        crate::crypto::sign(&key, &message).await.ok()
    }

    async fn verified(&self, checks: Vec<SignatureCheck>) -> Verified {
        crate::crypto::verified(checks).await
    }
}

/// Signs with the bureau key and keeps the signed version, queued to be
/// sent, after `previous`.
pub async fn sign(
    store: PvStore,
    previous: Vec<SignedReturn>,
    unsigned: UnsignedReturn,
) -> Result<SignedReturn, PvSignError> {
    let s = storage::store().ok_or(PvSignError::Write(WriteError::Unavailable))?;
    store.sign(&*s, &previous, unsigned, &WebCrypto).await
}

/// The server's receipts of the PV's versions, as kept.
pub fn receipts(store: &PvStore) -> Vec<pointage_core::Receipt> {
    storage::store()
        .map(|s| store.receipts(&*s))
        .unwrap_or_default()
}

/// The ids of the PV's versions still waiting for a receipt.
pub fn pending(store: &PvStore) -> Vec<String> {
    storage::store()
        .map(|s| store.pending(&*s))
        .unwrap_or_default()
}

/// Keeps a new enrollment: the private key first (an enrollment without it
/// could never sign), then the enrolled device, each durably.
pub async fn keep_enrollment(
    key: &crate::crypto::DeviceKey,
    resp: pointage_core::wire::EnrollResponse,
) -> Result<Device, WriteError> {
    let s = storage::store().ok_or(WriteError::Unavailable)?;
    s.put_key(&key.private)
        .await
        .map_err(|_| WriteError::Unavailable)?;
    let device = Device {
        election: resp.election,
        server_key: resp.server_key,
        device_key: key.public_hex.clone(),
        device_secret: None,
    };
    storage::save_device(&device).await?;
    // A bureau's phone now: it reads table sheets, offline too.
    crate::worker::keep_scanner();
    Ok(device)
}

/// How many documents of the round this phone counts for still wait for
/// the server (a later round is taken only once none does).
pub fn still_to_send(device: &Device) -> usize {
    storage::store().map_or(0, |s| pointage_device::next_round::waiting(&*s, device))
}

/// The phone counts for `offered`, a later round its key was carried over
/// to, from now on: kept durably before it returns.
pub async fn take_next_round(
    offered: pointage_core::wire::EnrollResponse,
) -> Result<Device, pointage_device::next_round::NotTaken> {
    use pointage_device::next_round::{NotTaken, take};
    let s = storage::store().ok_or(NotTaken::NotWritten(WriteError::Unavailable))?;
    let device = storage::device().ok_or(NotTaken::NotOurs)?;
    take(&*s, &device, offered).await
}

/// What a screen asks for that takes time (a session call, then what it
/// came to shown): each call runs on its own, on this tab. Like Leptos'
/// `Action`, without the value and version it keeps (the screens set
/// their own signals), and with the work boxed, so that each intent adds
/// its closure to the app, not another copy of the machinery.
pub struct Intent<I: 'static>(
    leptos::prelude::StoredValue<IntentFn<I>, leptos::prelude::LocalStorage>,
);

type IntentFn<I> = Box<dyn Fn(&I) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>;

impl<I: 'static> Clone for Intent<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Intent<I> {}

impl<I: 'static> Intent<I> {
    pub fn new<F, Fut>(work: F) -> Self
    where
        F: Fn(&I) -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let boxed: IntentFn<I> = Box::new(move |i| Box::pin(work(i)));
        Intent(leptos::prelude::StoredValue::new_local(boxed))
    }

    /// Starts the work for `input`.
    pub fn dispatch(self, input: I) {
        use leptos::prelude::WithValue;
        if let Some(work) = self.0.try_with_value(|w| w(&input)) {
            leptos::task::spawn_local(work);
        }
    }
}
