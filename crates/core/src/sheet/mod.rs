//! Table phones (docs/return-format.md, section 12): the join code the
//! bureau's phone shows for one table and slot (an [`Invitation`], signed
//! with the bureau key), and the tally sheet a recorder's phone hands in
//! (a [`TableSheet`], signed with that phone's own key and carrying its
//! invitation). A return made from tables carries every sheet, so that the
//! server and any verifier check what the bureau's phone checked when it
//! gathered them: each sheet signed by a phone the bureau invited, for this
//! bureau, the two sheets of a table agreeing packet by packet, no packet
//! counted twice, and the sheets adding up to the return's tally.
//!
//! Like the return, everything here is canonical JSON signed over a context
//! of its own, so that no signature over one kind of document passes for
//! another. Keys and time are passed in.

mod invitation;

pub use invitation::{Invitation, InvitationBody};

use crate::canonical::{self, CanonicalError};
use crate::election_view::ElectionRef;
use crate::gathering::{self, Gathering, Slot, TableState};
use crate::names::{is_blank, same_person};
use crate::pv::text_fits;
use crate::signature::{SignatureCheck, Verdict, Verifier, parse_key, parse_signature, sign_bytes};
use crate::tally::{PACKET_SIZE, Packet, PacketCounts};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The value of every invitation's `format`.
pub const INVITATION_FORMAT: &str = "pointage-invitation/1";
/// The value of every table sheet's `format`.
pub const SHEET_FORMAT: &str = "pointage-sheet/1";
const INVITATION_CONTEXT: &[u8] = b"pointage-invitation/1\n";
const SHEET_CONTEXT: &[u8] = b"pointage-sheet/1\n";

/// Tables are numbered from 1 to this.
pub const MAX_TABLES: u32 = 20;
/// The most packets one sheet holds (5,000 envelopes at one table).
pub const MAX_SHEET_PACKETS: usize = 50;
/// The most sheets one return carries: two for each of [`MAX_TABLES`].
pub const MAX_SHEETS: usize = MAX_TABLES as usize * 2;

/// One packet as a sheet gives it: closed, its marks adding up to its
/// envelopes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PacketLine {
    /// The bureau's number for the packet (written on its band), from 1.
    pub number: u32,
    /// From 1 to 100.
    pub envelopes: u32,
    /// Every candidate of the election, once.
    pub voix: BTreeMap<String, u32>,
    pub blancs: u32,
    pub nuls: u32,
}

/// What a recorder's phone signs when its table is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SheetBody {
    /// Always [`SHEET_FORMAT`].
    pub format: String,
    /// The join code the phone was bound with.
    pub invitation: Invitation,
    /// The table phone's own key (lowercase hex), which signs the sheet.
    pub table_key: String,
    /// The recorder's name.
    pub recorder: String,
    /// Lowercase hex SHA-256 head of the table phone's tally log.
    pub head: String,
    /// The packets counted, by number, each once.
    pub packets: Vec<PacketLine>,
    /// When the table phone signed, by its clock (information only).
    pub signed_at: u64,
}

/// A signed table sheet: `{"body":…,"signature":…}`, the signature by
/// `body.table_key` over `pointage-sheet/1\n` + canonical(body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TableSheet {
    pub body: SheetBody,
    pub signature: String,
}

/// Why an invitation, a sheet, or a return's sheets were refused. Each
/// maps to its own [`crate::wire::ErrorCode`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SheetError {
    #[error("not in its canonical encoding, or over a limit: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("the format is not {INVITATION_FORMAT} or {SHEET_FORMAT}")]
    UnknownFormat,
    #[error("table {table}, slot {slot:?}: the sheet's signature does not verify with its key")]
    BadSignature { table: u32, slot: Slot },
    #[error("table {table}, slot {slot:?}: the invitation is not signed by the bureau's key")]
    NotInvited { table: u32, slot: Slot },
    #[error("table {table}, slot {slot:?}: the invitation is for another election or bureau")]
    OtherBureau { table: u32, slot: Slot },
    #[error("table {table}, slot {slot:?}: a second sheet for the same table and slot")]
    SlotTwice { table: u32, slot: Slot },
    #[error("table {table}: both sheets come from one phone or one person")]
    SameRecorder { table: u32 },
    #[error("table {table}: the two sheets differ on packets {packets:?}")]
    Disagree { table: u32, packets: Vec<u32> },
    #[error("packets {0:?} are counted twice")]
    CountedTwice(Vec<u32>),
    #[error("the sheets do not add up to the return's tally")]
    NotTheTally,
}

fn over(why: String) -> SheetError {
    SheetError::Encoding(CanonicalError::Invalid(why))
}

fn hex_sha256(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl PacketLine {
    /// A closed packet of a tally log as a sheet line, over the election's
    /// candidates (each present, from 0).
    pub fn of(packet: &Packet, candidates: &[String]) -> Self {
        let c = packet.counts();
        PacketLine {
            number: packet.bureau_number(),
            envelopes: packet.envelopes,
            voix: crate::order::map_of(
                candidates
                    .iter()
                    .map(|id| (id.clone(), c.voix.get(id).copied().unwrap_or(0))),
            ),
            blancs: c.blancs,
            nuls: c.nuls,
        }
    }

    /// Whether its marks add up to its envelopes (in `u64`: no overflow).
    fn balances(&self) -> bool {
        let marks = self.voix.values().map(|&n| u64::from(n)).sum::<u64>()
            + u64::from(self.blancs)
            + u64::from(self.nuls);
        marks == u64::from(self.envelopes)
    }
}

impl SheetBody {
    /// The limits of the spec's step 1 that the types alone do not keep.
    pub(crate) fn within_limits(&self) -> Result<(), SheetError> {
        self.invitation.body.within_limits()?;
        if !text_fits(&self.recorder) || is_blank(&self.recorder) {
            return Err(over(
                "the recorder's name is blank or over 4,000 bytes".into(),
            ));
        }
        if !hex_sha256(&self.head) {
            return Err(over("a sheet's head is not a hex SHA-256".into()));
        }
        if self.packets.is_empty() || self.packets.len() > MAX_SHEET_PACKETS {
            return Err(over(format!(
                "a sheet holds 1 to {MAX_SHEET_PACKETS} packets"
            )));
        }
        if self
            .packets
            .iter()
            .any(|p| p.number == 0 || !(1..=PACKET_SIZE).contains(&p.envelopes))
        {
            return Err(over(format!(
                "a packet is numbered from 1 and holds 1 to {PACKET_SIZE} envelopes"
            )));
        }
        Ok(())
    }

    /// Whether both formats are the ones this code knows.
    pub(crate) fn known_formats(&self) -> bool {
        self.format == SHEET_FORMAT && self.invitation.body.format == INVITATION_FORMAT
    }
}

impl TableSheet {
    /// A sheet's body, checked against its limits, for the table phone's
    /// key to sign (with [`Self::message`]). `head` is the table log's
    /// head; `packets` its closed packets.
    pub fn prepare(
        invitation: Invitation,
        table_key: &str,
        recorder: &str,
        head: [u8; 32],
        packets: Vec<PacketLine>,
        now: u64,
    ) -> Result<SheetBody, SheetError> {
        let body = SheetBody {
            format: SHEET_FORMAT.to_owned(),
            invitation,
            table_key: table_key.to_owned(),
            recorder: recorder.to_owned(),
            head: hex::encode(head),
            packets,
            signed_at: now,
        };
        body.within_limits()?;
        Ok(body)
    }

    /// The exact bytes the table key signs for `body`.
    pub fn message(body: &SheetBody) -> Result<Vec<u8>, SheetError> {
        Ok(crate::signature::signing_message(
            SHEET_CONTEXT,
            &canonical::encode(body)?,
        ))
    }

    /// The sheet, once `signature` is the table key's over
    /// [`Self::message`], as `verifier` finds.
    pub fn assemble(
        body: SheetBody,
        signature: &[u8],
        verifier: &impl Verifier,
    ) -> Result<Self, SheetError> {
        let sheet = Self::unchecked(body, signature);
        match sheet.sheet_check().map(|c| verifier.verdict(&c)) {
            Some(Verdict::Holds) => Ok(sheet),
            _ => Err(sheet.bad_signature()),
        }
    }

    /// The sheet with this signature, not checked: to ask for its
    /// [`Self::signature_checks`], then [`Self::assemble`] it.
    pub fn unchecked(body: SheetBody, signature: &[u8]) -> Self {
        TableSheet {
            body,
            signature: hex::encode(signature),
        }
    }

    /// Makes and signs a sheet with a secret key: for tests and vectors.
    pub fn sign(
        invitation: Invitation,
        recorder: &str,
        head: [u8; 32],
        packets: Vec<PacketLine>,
        secret: &[u8; 32],
        now: u64,
    ) -> Result<Self, SheetError> {
        let key = crate::signature::public_key_hex(secret);
        let body = Self::prepare(invitation, &key, recorder, head, packets, now)?;
        Self::seal_unchecked(body, secret)
    }

    /// Signs exactly this body, checking nothing: for vectors of sheets
    /// that break a rule.
    pub fn seal_unchecked(body: SheetBody, secret: &[u8; 32]) -> Result<Self, SheetError> {
        let signature = sign_bytes(SHEET_CONTEXT, &canonical::encode(&body)?, secret);
        Ok(TableSheet {
            body,
            signature: hex::encode(signature),
        })
    }

    /// The sheet's bytes (what its QR codes carry).
    pub fn to_bytes(&self) -> Vec<u8> {
        canonical::encode(self).unwrap_or_default()
    }

    /// Reads a sheet: canonical, of known formats, within its limits.
    /// Its signatures are [`Self::signature_checks`]'.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SheetError> {
        let sheet: TableSheet = canonical::decode(bytes)?;
        sheet.body.within_limits()?;
        if !sheet.body.known_formats() {
            return Err(SheetError::UnknownFormat);
        }
        Ok(sheet)
    }

    /// The sheet's id: SHA-256 of its body's canonical bytes.
    pub fn id(&self) -> String {
        hex::encode(Sha256::digest(
            canonical::encode(&self.body).unwrap_or_default(),
        ))
    }

    /// The code a recorder writes on the paper sheet and finds again in the
    /// public record, spelled like a return's human code.
    pub fn human_code(&self) -> String {
        crate::signed_return::human_code(&self.id())
    }

    pub fn table(&self) -> u32 {
        self.body.invitation.body.table
    }

    pub fn slot(&self) -> Slot {
        self.body.invitation.body.slot
    }

    fn bad_signature(&self) -> SheetError {
        SheetError::BadSignature {
            table: self.table(),
            slot: self.slot(),
        }
    }

    fn sheet_check(&self) -> Option<SignatureCheck> {
        let key = parse_key(&self.body.table_key)?;
        let signature = parse_signature(&self.signature)?;
        let body = canonical::encode(&self.body).ok()?;
        Some(SignatureCheck::new(SHEET_CONTEXT, &body, key, signature))
    }

    /// The two signatures a sheet rests on: the table key's over the sheet
    /// and the bureau key's over its invitation (for a caller that checks
    /// them itself, the phone with WebCrypto, then gives them to
    /// [`Self::verify`] as [`crate::signature::Verified`]).
    pub fn signature_checks(&self) -> Vec<SignatureCheck> {
        self.sheet_check()
            .into_iter()
            .chain(self.body.invitation.signature_check())
            .collect()
    }

    /// Whether this sheet was signed by a phone that `bureau_key` invited
    /// to this election's `bureau`: the invitation names them and is signed
    /// by that key, and the sheet is signed by its table key. Also that
    /// every packet names each candidate once and balances.
    pub fn verify<E: ElectionRef + ?Sized>(
        &self,
        election: &E,
        bureau: &str,
        bureau_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SheetError> {
        let (table, slot) = (self.table(), self.slot());
        let inv = &self.body.invitation;
        if inv.body.election_id != election.id()
            || inv.body.election_hash != election.hash()
            || inv.body.bureau != bureau
            || inv.body.candidates != election.candidates()
        {
            return Err(SheetError::OtherBureau { table, slot });
        }
        let invited = inv.body.bureau_key == bureau_key
            && inv.signature_check().map(|c| verifier.verdict(&c)) == Some(Verdict::Holds);
        if !invited {
            return Err(SheetError::NotInvited { table, slot });
        }
        if self.sheet_check().map(|c| verifier.verdict(&c)) != Some(Verdict::Holds) {
            return Err(self.bad_signature());
        }
        let candidates: BTreeSet<&str> =
            crate::order::set_of(election.candidates().iter().map(|c| c.id.as_str()));
        let fits = |p: &PacketLine| {
            p.balances() && crate::order::set_of(p.voix.keys().map(String::as_str)) == candidates
        };
        if !self.body.packets.iter().all(fits) {
            return Err(SheetError::NotTheTally);
        }
        Ok(())
    }

    /// The sheet as the gathering rules see it.
    pub fn gathered(&self) -> gathering::Sheet {
        gathering::Sheet {
            table: self.table(),
            slot: self.slot(),
            packets: self
                .body
                .packets
                .iter()
                .map(|p| gathering::SheetPacket {
                    number: p.number,
                    envelopes: p.envelopes,
                    counts: PacketCounts {
                        voix: p.voix.clone(),
                        blancs: p.blancs,
                        nuls: p.nuls,
                    },
                })
                .collect(),
        }
    }
}

/// Core's gathering of `sheets` over these `tables` (each once, in order)
/// and the election's candidates: what the bureau's phone shows, what its
/// review checks the PV against, and what [`check_sheets`] holds.
pub fn gather_sheets<E: ElectionRef + ?Sized>(
    election: &E,
    tables: &[u32],
    sheets: &[TableSheet],
) -> Gathering {
    let candidates: Vec<String> = election.candidates().iter().map(|c| c.id.clone()).collect();
    let gathered: Vec<gathering::Sheet> = sheets.iter().map(TableSheet::gathered).collect();
    gathering::gather(tables, &candidates, &gathered)
}

/// The tables `sheets` are for, each once, in order.
pub fn tables_of(sheets: &[TableSheet]) -> Vec<u32> {
    crate::order::set_of(sheets.iter().map(TableSheet::table))
        .into_iter()
        .collect()
}

/// Checks a return's sheets as the server and a verifier do (section 5,
/// step 9): each sheet verified ([`TableSheet::verify`]) for the bureau
/// and its key; no table and slot twice; the two sheets of a table from
/// two phones and two people, agreeing on every packet; no packet at two
/// tables. What they add up to is the caller's to compare with the
/// return's tally ([`Gathering::is_tally`]).
pub fn check_sheets<E: ElectionRef + ?Sized>(
    election: &E,
    bureau: &str,
    bureau_key: &str,
    sheets: &[TableSheet],
    verifier: &impl Verifier,
) -> Result<Gathering, SheetError> {
    // The cheap check first: a slot taken twice is refused before any
    // signature is checked, so padding a return with copies costs the
    // sender, not the server.
    let mut slots: BTreeMap<u32, BTreeMap<Slot, &TableSheet>> = BTreeMap::new();
    for s in sheets {
        let (table, slot) = (s.table(), s.slot());
        if slots.entry(table).or_default().insert(slot, s).is_some() {
            return Err(SheetError::SlotTwice { table, slot });
        }
    }
    for s in sheets {
        s.verify(election, bureau, bureau_key, verifier)?;
    }
    for (table, pair) in &slots {
        if let (Some(a), Some(b)) = (pair.get(&Slot::A), pair.get(&Slot::B))
            && (a.body.table_key == b.body.table_key
                || same_person(&a.body.recorder, &b.body.recorder))
        {
            return Err(SheetError::SameRecorder { table: *table });
        }
    }
    let tables: Vec<u32> = slots.keys().copied().collect();
    let g = gather_sheets(election, &tables, sheets);
    for (table, state) in &g.tables {
        if let TableState::Disagree(packets) = state {
            return Err(SheetError::Disagree {
                table: *table,
                packets: packets.clone(),
            });
        }
    }
    if !g.counted_twice.is_empty() {
        return Err(SheetError::CountedTwice(
            g.counted_twice.iter().map(|(n, _)| *n).collect(),
        ));
    }
    Ok(g)
}
