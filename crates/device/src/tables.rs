//! Table phones, on both sides of the room (docs/return-format.md,
//! section 12).
//!
//! On the bureau's phone, [`BureauTables`] (under [`Key::Tables`]): the
//! join codes it showed, one per table and slot, signed with the bureau
//! key; and the sheets it read back, each taken only if it carries one of
//! those join codes (so the bureau's phone knows the sheet comes from a
//! phone it invited), is signed by that phone and was made for this
//! bureau. What they add up to is core's gathering.
//!
//! On a table phone, [`TableSeat`] (under [`Key::Seat`]): the join code it
//! was bound with, and the sheet it last signed. Its count is a tally log
//! of its own ([`TableSeat::log_name`]), opened with the envelopes the
//! table was handed, each packet by the number on its band.
//!
//! Every change is one durable write, made before anything is shown as
//! kept; a refusal keeps nothing and says why.

use pointage_core::gathering::{Gathering, Slot};
use pointage_core::sheet::{
    Invitation, PacketLine, SheetError, TableSheet, check_sheets, gather_sheets,
};
use pointage_core::signature::CheckedBeforeKept;
use pointage_core::{ElectionRef, TallyLog};
use serde::{Deserialize, Serialize};

use crate::ports::Signer;
use crate::ports::{Batch, Key, Storage, WriteError};

/// What the bureau's phone keeps of its tables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BureauTables {
    /// The join codes shown, the latest for each table and slot.
    pub invitations: Vec<Invitation>,
    /// The sheets taken, at most one for each table and slot.
    pub sheets: Vec<TableSheet>,
    /// Parts of sheets opened one by one by the phone's camera app (each
    /// an address `/tables#PTS1-…`), kept until their sheet is whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
}

/// What one part opened by the camera app did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartRead {
    /// Kept: its sheet has `have` of its `of` parts.
    Waiting { have: usize, of: usize },
    /// The last one: its sheet, whole, was taken.
    Sheet(Taken),
}

/// Why a join code was not made. Nothing was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteError {
    /// Not a table of 1 to 20 (core's limit), or not this bureau.
    Refused(SheetError),
    /// The key did not sign, or its signature does not hold.
    KeyUnreadable,
    Write(WriteError),
}

/// Why a sheet read on the bureau's phone was not taken. Nothing was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetTakeError {
    /// Not a sheet, or not one this phone can check (core's reason).
    Unreadable(SheetError),
    /// Its join code is not one this phone showed (another bureau's phone,
    /// or a code made elsewhere).
    NotInvitedHere,
    /// Its join code was replaced since: this table and slot were invited
    /// again (the phone was changed).
    Superseded {
        table: u32,
        slot: Slot,
    },
    /// Its signatures, its bureau or its packets do not hold (core's
    /// reason).
    Refused(SheetError),
    /// Another phone's sheet is already taken for this table and slot.
    OtherPhone {
        table: u32,
        slot: Slot,
    },
    /// A sheet this phone already has from the same table phone, signed at
    /// the same time or later.
    Older {
        table: u32,
        slot: Slot,
    },
    Write(WriteError),
}

/// What taking a sheet did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Taken {
    /// The first sheet for its table and slot.
    New { table: u32, slot: Slot },
    /// A newer sheet from the same table phone (after a recount) replaced
    /// the one kept.
    Replaced { table: u32, slot: Slot },
    /// This very sheet was taken already: nothing changed.
    Again { table: u32, slot: Slot },
}

/// A refusal inside a read-modify-write: nothing to write.
fn refused<T>(why: SheetTakeError) -> Result<(Batch, Result<T, SheetTakeError>), WriteError> {
    Ok((Batch::new(), Err(why)))
}

fn tables_key(election_hash: &str, bureau: &str) -> Key {
    Key::Tables {
        election: election_hash.to_owned(),
        bureau: bureau.to_owned(),
    }
}

impl BureauTables {
    /// What the phone keeps of this bureau's tables (none yet: empty; an
    /// unreadable value reads as none, and the next write replaces it).
    pub fn load(s: &impl Storage, election_hash: &str, bureau: &str) -> BureauTables {
        s.get(&tables_key(election_hash, bureau))
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// The join code for `table` and `slot`: the one already made, shown
    /// again; or, the first time or with `replace` (the phone that joined
    /// is lost or wrong), a new one made, signed with the bureau key and
    /// kept, which drops the sheet taken from the phone invited before.
    /// Showing a code again never loses a sheet.
    pub async fn invite<E: ElectionRef + ?Sized>(
        s: &impl Storage,
        election: &E,
        bureau: &str,
        device_key: &str,
        (table, slot): (u32, Slot),
        (now, replace): (u64, bool),
        signer: &impl Signer,
    ) -> Result<Invitation, InviteError> {
        if !replace
            && let Some(shown) = BureauTables::load(s, election.hash(), bureau)
                .invitations
                .into_iter()
                .find(|i| (i.body.table, i.body.slot) == (table, slot))
        {
            return Ok(shown);
        }
        let body = Invitation::prepare(election, bureau, table, slot, device_key, now)
            .map_err(InviteError::Refused)?;
        let message = Invitation::message(&body).map_err(InviteError::Refused)?;
        let signature = signer
            .sign(message)
            .await
            .ok_or(InviteError::KeyUnreadable)?;
        let unchecked = Invitation::unchecked(body.clone(), &signature);
        let check = unchecked
            .signature_check()
            .ok_or(InviteError::KeyUnreadable)?;
        let held = signer.verified(vec![check]).await;
        let invitation = Invitation::assemble(body, &signature, &held)
            .map_err(|_| InviteError::KeyUnreadable)?;
        let key = tables_key(election.hash(), bureau);
        let kept = invitation.clone();
        s.update(move |s| {
            let mut t = BureauTables::load(s, election.hash(), bureau);
            t.invitations
                .retain(|i| (i.body.table, i.body.slot) != (table, slot));
            t.invitations.push(kept);
            pointage_core::order::sort_by_key(&mut t.invitations, |i| (i.body.table, i.body.slot));
            t.sheets.retain(|x| (x.table(), x.slot()) != (table, slot));
            Ok((t.batch(key)?, ()))
        })
        .await
        .map_err(InviteError::Write)?;
        Ok(invitation)
    }

    /// Reads a sheet (the bytes its QR codes gave) and keeps it if it holds
    /// (see the module's documentation); the signatures are checked by
    /// `signer` (WebCrypto on the phone).
    pub async fn take_sheet<E: ElectionRef + ?Sized>(
        s: &impl Storage,
        election: &E,
        bureau: &str,
        device_key: &str,
        bytes: &[u8],
        signer: &impl Signer,
    ) -> Result<Taken, SheetTakeError> {
        let sheet = TableSheet::from_bytes(bytes).map_err(SheetTakeError::Unreadable)?;
        let (table, slot) = (sheet.table(), sheet.slot());
        let held = signer.verified(sheet.signature_checks()).await;
        sheet
            .verify(election, bureau, device_key, &held)
            .map_err(SheetTakeError::Refused)?;
        let key = tables_key(election.hash(), bureau);
        s.update(move |s| {
            let mut t = BureauTables::load(s, election.hash(), bureau);
            let current = t
                .invitations
                .iter()
                .find(|i| (i.body.table, i.body.slot) == (table, slot));
            match current {
                Some(i) if *i == sheet.body.invitation => {}
                Some(_) if t.showed(&sheet.body.invitation) => {
                    return refused(SheetTakeError::Superseded { table, slot });
                }
                _ => return refused(SheetTakeError::NotInvitedHere),
            }
            let taken = match t
                .sheets
                .iter()
                .position(|x| (x.table(), x.slot()) == (table, slot))
            {
                None => Taken::New { table, slot },
                Some(i) if t.sheets[i] == sheet => {
                    return Ok((Batch::new(), Ok(Taken::Again { table, slot })));
                }
                Some(i) if t.sheets[i].body.table_key != sheet.body.table_key => {
                    return refused(SheetTakeError::OtherPhone { table, slot });
                }
                Some(i) if t.sheets[i].body.signed_at >= sheet.body.signed_at => {
                    return refused(SheetTakeError::Older { table, slot });
                }
                Some(i) => {
                    t.sheets.remove(i);
                    Taken::Replaced { table, slot }
                }
            };
            t.sheets.push(sheet);
            pointage_core::order::sort_by_key(&mut t.sheets, |x| (x.table(), x.slot()));
            Ok((t.batch(key)?, Ok(taken)))
        })
        .await
        .map_err(SheetTakeError::Write)?
    }

    /// Keeps one part of a sheet the camera app opened (`part`, the text
    /// after `#`), and once the sheet is whole, takes it as
    /// [`Self::take_sheet`] does (and drops its parts, taken or refused).
    pub async fn take_part<E: ElectionRef + ?Sized>(
        s: &impl Storage,
        election: &E,
        bureau: &str,
        device_key: &str,
        part: &str,
        signer: &impl Signer,
    ) -> Result<PartRead, SheetTakeError> {
        use pointage_core::handover::{self, Carries};
        let read = handover::Part::parse_as(Carries::Sheet, part)
            .map_err(|_| SheetTakeError::Unreadable(SheetError::UnknownFormat))?;
        let key = tables_key(election.hash(), bureau);
        let part = part.trim().to_owned();
        let whole = s
            .update(move |s| {
                let mut t = BureauTables::load(s, election.hash(), bureau);
                if !t.parts.contains(&part) {
                    t.parts.push(part);
                }
                let c = handover::collect_as(Carries::Sheet, t.parts.iter().map(String::as_str))
                    .into_iter()
                    .find(|c| c.digest == read.digest);
                let Some(c) = c else {
                    return Ok((Batch::new(), None));
                };
                let out = match c.bytes {
                    None => Err(PartRead::Waiting {
                        have: usize::from(c.count) - c.missing.len(),
                        of: usize::from(c.count),
                    }),
                    Some(bytes) => {
                        // Whole (or damaged): its parts go either way.
                        t.parts.retain(|p| {
                            handover::Part::parse_as(Carries::Sheet, p)
                                .map_or(true, |x| x.digest != c.digest)
                        });
                        Ok(bytes)
                    }
                };
                Ok((t.batch(key)?, Some(out)))
            })
            .await
            .map_err(SheetTakeError::Write)?;
        match whole {
            None => Err(SheetTakeError::Unreadable(SheetError::UnknownFormat)),
            Some(Err(waiting)) => Ok(waiting),
            Some(Ok(Err(_))) => Err(SheetTakeError::Unreadable(SheetError::UnknownFormat)),
            Some(Ok(Ok(bytes))) => {
                Self::take_sheet(s, election, bureau, device_key, &bytes, signer)
                    .await
                    .map(PartRead::Sheet)
            }
        }
    }

    /// Whether this phone ever showed `invitation`: only the latest of
    /// each slot is kept, so an older one of this bureau key is
    /// recognised by its key, bureau and election.
    fn showed(&self, invitation: &Invitation) -> bool {
        self.invitations.iter().any(|i| {
            i.body.bureau_key == invitation.body.bureau_key
                && i.body.bureau == invitation.body.bureau
                && i.body.election_hash == invitation.body.election_hash
                && i.body.issued_at > invitation.body.issued_at
        })
    }

    fn batch(&self, key: Key) -> Result<Batch, WriteError> {
        let text = serde_json::to_string(self).map_err(|_| WriteError::Unavailable)?;
        Ok(Batch::new().put(key, text))
    }

    /// The tables invited, in order, each once.
    pub fn tables(&self) -> Vec<u32> {
        let mut t: Vec<u32> = self.invitations.iter().map(|i| i.body.table).collect();
        t.dedup();
        t
    }

    /// Where every table stands, what to recount, and the tables' sum.
    pub fn gathering<E: ElectionRef + ?Sized>(&self, election: &E) -> Gathering {
        gather_sheets(election, &self.tables(), &self.sheets)
    }

    /// Whether the PV can be checked against the tables, from their
    /// [`gathering`](Self::gathering) (which the screens draw too, so it is
    /// computed once): every invited table has both sheets in agreement,
    /// or one (W6, explained at signing), no packet is counted twice, and
    /// the packets hold the `found` envelopes.
    pub fn ready(&self, gathering: &Gathering, found: u32) -> bool {
        !self.sheets.is_empty() && gathering.complete(found, &self.tables())
    }

    /// The sheets as a return carries them, once they hold together as the
    /// server will check them (their signatures were checked when taken).
    pub fn for_return<E: ElectionRef + ?Sized>(
        &self,
        election: &E,
        bureau: &str,
        device_key: &str,
    ) -> Result<&[TableSheet], SheetError> {
        check_sheets(
            election,
            bureau,
            device_key,
            &self.sheets,
            &CheckedBeforeKept,
        )?;
        Ok(&self.sheets)
    }
}

/// What a table phone keeps: the join code it was bound with, its
/// recorder's name once typed, and the sheet it last signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSeat {
    pub invitation: Invitation,
    /// This phone's table key (lowercase hex).
    pub table_key: String,
    pub sheet: Option<TableSheet>,
}

/// Why a join code was not taken. Nothing was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinError {
    /// Not a join code (core's reason).
    Unreadable(SheetError),
    /// Its signature does not hold for the bureau key it names.
    NotSigned,
    /// This phone is already bound to a table; a new join code replaces
    /// that only once its count is handed in or abandoned
    /// ([`TableSeat::leave`]).
    AlreadySeated {
        table: u32,
        slot: Slot,
    },
    /// The phone could not make a key of its own (no WebCrypto Ed25519).
    NoKey,
    Write(WriteError),
}

/// Why a sheet could not be signed. Nothing was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetSignError {
    /// The table has not counted every envelope it was handed, each packet
    /// checked.
    NotDone,
    /// The sheet breaks a limit (core's reason: a blank name, say).
    Refused(SheetError),
    KeyUnreadable,
    Write(WriteError),
}

impl TableSeat {
    /// The join code this phone is bound with, if any.
    pub fn load(s: &impl Storage) -> Option<TableSeat> {
        serde_json::from_str(&s.get(&Key::Seat)?).ok()
    }

    /// Binds this phone to the table and slot of a join code (the bytes
    /// its QR code gave) with `table_key`, its own key.
    pub async fn join(
        s: &impl Storage,
        bytes: &[u8],
        table_key: &str,
        signer: &impl Signer,
    ) -> Result<TableSeat, JoinError> {
        let invitation = Invitation::from_bytes(bytes).map_err(JoinError::Unreadable)?;
        let check = invitation.signature_check().ok_or(JoinError::NotSigned)?;
        if !signer
            .verified(vec![check.clone()])
            .await
            .0
            .contains(&check)
        {
            return Err(JoinError::NotSigned);
        }
        let seat = TableSeat {
            invitation,
            table_key: table_key.to_owned(),
            sheet: None,
        };
        let kept = seat.clone();
        s.update(move |s| {
            if let Some(old) = TableSeat::load(s)
                && old.invitation != kept.invitation
            {
                let b = &old.invitation.body;
                return Ok((
                    Batch::new(),
                    Err(JoinError::AlreadySeated {
                        table: b.table,
                        slot: b.slot,
                    }),
                ));
            }
            let text = serde_json::to_string(&kept).map_err(|_| WriteError::Unavailable)?;
            Ok((Batch::new().put(Key::Seat, text), Ok(())))
        })
        .await
        .map_err(JoinError::Write)??;
        Ok(seat)
    }

    /// Unbinds this phone (its count stays under its log's name).
    pub async fn leave(s: &impl Storage) -> Result<(), WriteError> {
        s.write(Batch::new().delete(Key::Seat)).await
    }

    /// The name this seat's tally log is kept under, in place of a bureau
    /// code: one log per bureau, table, slot and join code.
    pub fn log_name(&self) -> String {
        let b = &self.invitation.body;
        let slot = b.slot.letter();
        format!("{}.table{}{}.{}", b.bureau, b.table, slot, b.issued_at)
    }

    /// The candidates this table counts for, by id, in ballot order.
    pub fn candidates(&self) -> Vec<String> {
        self.invitation
            .body
            .candidates
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// Signs this table's sheet with the table key (`signer`) once every
    /// envelope handed to the table is counted, and keeps it.
    pub async fn sign_sheet(
        &self,
        s: &impl Storage,
        log: &TallyLog,
        recorder: &str,
        now: u64,
        signer: &impl Signer,
    ) -> Result<TableSheet, SheetSignError> {
        if !log.all_counted() {
            return Err(SheetSignError::NotDone);
        }
        let candidates = self.candidates();
        let packets: Vec<PacketLine> = log
            .packets()
            .iter()
            .filter(|p| p.closed && !p.set_aside)
            .map(|p| PacketLine::of(p, &candidates))
            .collect();
        let body = TableSheet::prepare(
            self.invitation.clone(),
            &self.table_key,
            recorder,
            log.head(),
            packets,
            now,
        )
        .map_err(SheetSignError::Refused)?;
        let message = TableSheet::message(&body).map_err(SheetSignError::Refused)?;
        let signature = signer
            .sign(message)
            .await
            .ok_or(SheetSignError::KeyUnreadable)?;
        let unchecked = TableSheet::unchecked(body.clone(), &signature);
        let held = signer.verified(unchecked.signature_checks()).await;
        let sheet = TableSheet::assemble(body, &signature, &held)
            .map_err(|_| SheetSignError::KeyUnreadable)?;
        let mut seat = self.clone();
        seat.sheet = Some(sheet.clone());
        let text = serde_json::to_string(&seat)
            .map_err(|_| SheetSignError::Write(WriteError::Unavailable))?;
        s.write(Batch::new().put(Key::Seat, text))
            .await
            .map_err(SheetSignError::Write)?;
        Ok(sheet)
    }
}
