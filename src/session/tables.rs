//! Table phones, for the screens: on the bureau's phone, its join codes and
//! the sheets it took; on a table phone, its seat, its own key and its
//! count. Every write, and each key, is reached from here only.

use crate::session::WebCrypto;
use crate::storage;
use pointage_core::sheet::{Invitation, TableSheet};
use pointage_core::signature::{SignatureCheck, Verified};
use pointage_core::{Candidate, TallyLog};
use pointage_device::Signer;
use pointage_device::WriteError;
use pointage_device::count_session::CountSession;
use pointage_device::tables::{
    BureauTables, InviteError, JoinError, PartRead, SheetSignError, SheetTakeError, TableSeat,
    Taken,
};
use pointage_device::tally::LoadError;

use super::{CountOpenError, Device};

/// Where a table phone's own key is kept, beside the bureau key.
const TABLE_KEY: &str = "table";

/// What the bureau's phone keeps of its tables.
pub fn bureau_tables(device: &Device) -> BureauTables {
    match storage::store() {
        Some(s) => BureauTables::load(&*s, &device.election.hash, &device.election.bureau.code),
        None => BureauTables::default(),
    }
}

/// Makes and keeps the join code of `table` and `slot`, signed with the
/// bureau key.
pub async fn invite(
    device: &Device,
    table: u32,
    slot: pointage_core::gathering::Slot,
    replace: bool,
) -> Result<Invitation, InviteError> {
    let s = storage::store().ok_or(InviteError::Write(WriteError::Unavailable))?;
    let e = &device.election;
    let now = js_sys::Date::now() as u64;
    BureauTables::invite(
        &*s,
        e,
        &e.bureau.code,
        &device.device_key,
        (table, slot),
        (now, replace),
        &WebCrypto,
    )
    .await
}

/// Takes a sheet read off a table phone, if it holds.
pub async fn take_sheet(device: &Device, bytes: &[u8]) -> Result<Taken, SheetTakeError> {
    let s = storage::store().ok_or(SheetTakeError::Write(WriteError::Unavailable))?;
    let e = &device.election;
    BureauTables::take_sheet(
        &*s,
        e,
        &e.bureau.code,
        &device.device_key,
        bytes,
        &WebCrypto,
    )
    .await
}

/// Keeps a part of a sheet the camera app opened, and takes the sheet
/// once whole.
pub async fn take_part(device: &Device, part: &str) -> Result<PartRead, SheetTakeError> {
    let s = storage::store().ok_or(SheetTakeError::Write(WriteError::Unavailable))?;
    let e = &device.election;
    BureauTables::take_part(&*s, e, &e.bureau.code, &device.device_key, part, &WebCrypto).await
}

/// The sheets to sign the return with: the bureau's tables', when it has
/// invited any (a bureau that counted on its own phone has none).
pub fn sheets(device: &Device) -> Vec<TableSheet> {
    bureau_tables(device).sheets
}

/// The table phone's own key in WebCrypto, as a [`Signer`].
struct TableCrypto;

impl Signer for TableCrypto {
    async fn sign(&self, message: Vec<u8>) -> Option<Vec<u8>> {
        let key = storage::store()?.key_as(TABLE_KEY).await.ok().flatten()?;
        crate::crypto::sign(&key, &message).await.ok()
    }

    async fn verified(&self, checks: Vec<SignatureCheck>) -> Verified {
        crate::crypto::verified(checks).await
    }
}

/// The join code this phone is bound with, if any.
pub fn seat() -> Option<TableSeat> {
    TableSeat::load(&*storage::store()?)
}

/// Binds this phone to a join code's table and slot with a new key of its
/// own, kept where no script can read it.
pub async fn join(bytes: &[u8]) -> Result<TableSeat, JoinError> {
    let s = storage::store().ok_or(JoinError::Write(WriteError::Unavailable))?;
    // Read the code before making a key for it.
    if let Err(e) = Invitation::from_bytes(bytes) {
        return Err(JoinError::Unreadable(e));
    }
    if let Some(seat) = TableSeat::load(&*s) {
        let b = &seat.invitation.body;
        if seat.invitation.to_bytes() != bytes {
            return Err(JoinError::AlreadySeated {
                table: b.table,
                slot: b.slot,
            });
        }
        return Ok(seat);
    }
    let key = crate::crypto::generate()
        .await
        .map_err(|_| JoinError::NoKey)?;
    s.put_key_as(TABLE_KEY, &key.private)
        .await
        .map_err(JoinError::Write)?;
    TableSeat::join(&*s, bytes, &key.public_hex, &TableCrypto).await
}

/// Unbinds this phone from its table (its count stays kept).
pub async fn leave() -> Result<(), WriteError> {
    let s = storage::store().ok_or(WriteError::Unavailable)?;
    TableSeat::leave(&*s).await
}

/// The candidates a seat counts for, as the counting screen draws them.
pub fn seat_candidates(seat: &TableSeat) -> Vec<Candidate> {
    seat.invitation.body.candidates.clone()
}

/// The table's count as stored.
pub fn open_table_count<T>(seat: &TableSeat) -> Result<CountSession<T>, CountOpenError> {
    let s = storage::store().ok_or(CountOpenError::Unavailable)?;
    let b = &seat.invitation.body;
    CountSession::open(&*s, &b.election_hash, &seat.log_name(), seat.candidates())
        .map_err(|LoadError::Damaged| CountOpenError::Damaged)
}

/// Signs the sheet of the table's count as kept, with this phone's key,
/// and keeps it.
pub async fn sign_kept_sheet(
    seat: &TableSeat,
    recorder: &str,
) -> Result<TableSheet, SheetSignError> {
    let count =
        open_table_count::<()>(seat).map_err(|_| SheetSignError::Write(WriteError::Unavailable))?;
    sign_sheet(seat, count.log(), recorder).await
}

/// Signs the table's sheet with this phone's key, and keeps it.
pub async fn sign_sheet(
    seat: &TableSeat,
    log: &TallyLog,
    recorder: &str,
) -> Result<TableSheet, SheetSignError> {
    let s = storage::store().ok_or(SheetSignError::Write(WriteError::Unavailable))?;
    let now = js_sys::Date::now() as u64;
    seat.sign_sheet(&*s, log, recorder, now, &TableCrypto).await
}
