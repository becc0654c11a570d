//! A later round of the phone's election: a second round made from the
//! first carries each enrolled phone's key over (the later round's record
//! says so, naming the first), and the server tells the phone so
//! (`GET /api/v1/next-round`). The phone then counts for the later round
//! without a new code, once nothing of the earlier round waits to be sent:
//! a return, a report or a photo left behind would never go, since the
//! phone sends only for the election it counts for. What the earlier round
//! kept stays on the phone, under that round's keys.

use crate::EnrolledDevice;
use crate::photos::PhotoStore;
use crate::ports::{Storage, WriteError};
use crate::pv::PvStore;
use crate::turnout::ReportStore;
use pointage_core::wire::EnrollResponse;

/// Why a later round offered cannot be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotTaken {
    /// It is not a later round of this phone's election for its bureau
    /// and server: never shown (a server's mistake, or not one).
    NotOurs,
    /// This many documents of the round the phone counts for still wait
    /// for the server: they go first.
    Waiting(usize),
    /// The phone's storage did not keep the change.
    NotWritten(WriteError),
}

/// How many documents of the round `device` counts for wait for the
/// server: returns, turnout reports, photo documents and their pictures.
pub fn waiting(s: &impl Storage, device: &EnrolledDevice) -> usize {
    let (hash, bureau) = (&device.election.hash, &device.election.bureau.code);
    PvStore::new(hash, bureau).pending(s).len()
        + ReportStore::new(hash, bureau).still_to_send(s)
        + PhotoStore::new(hash, bureau).still_to_send(s)
}

/// Whether `offered` is a later round of `device`'s election, for its
/// bureau, from the server it enrolled with.
pub fn is_next(device: &EnrolledDevice, offered: &EnrollResponse) -> bool {
    let (now, next) = (&device.election, &offered.election);
    next.round > now.round
        && next.id != now.id
        && next.bureau.code == now.bureau.code
        && offered.server_key == device.server_key
}

/// The phone counts for `offered` from now on, with the same key: kept
/// durably before it returns.
pub async fn take(
    s: &impl Storage,
    device: &EnrolledDevice,
    offered: EnrollResponse,
) -> Result<EnrolledDevice, NotTaken> {
    if !is_next(device, &offered) {
        return Err(NotTaken::NotOurs);
    }
    match waiting(s, device) {
        0 => {}
        n => return Err(NotTaken::Waiting(n)),
    }
    let next = EnrolledDevice {
        election: offered.election,
        server_key: device.server_key.clone(),
        device_key: device.device_key.clone(),
        device_secret: None,
    };
    next.save(s).await.map_err(NotTaken::NotWritten)?;
    Ok(next)
}
