//! The tally log's events, their hashed encoding (see the log's module
//! documentation), and why an event can be refused.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A packet holds at most this many envelopes (DOMAIN.md, step 3).
pub const PACKET_SIZE: u32 = 100;

/// The longest table name, in characters.
pub const TABLE_NAME_MAX: usize = 40;

/// The longest free text (a nul's note, the explanation of a gap), in
/// characters.
pub const TEXT_MAX: usize = 1000;

/// Why a ballot is nul (DOMAIN.md, step 6). The reason goes on the PV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NulReason {
    /// Different ballots in one envelope.
    DifferentBallots,
    /// A ballot without envelope.
    NoEnvelope,
    /// Marks or words that identify the voter, or insult.
    IdentifyingMark,
    /// A name crossed out or added.
    AlteredBallot,
    /// A non-registered candidate.
    UnregisteredCandidate,
    /// Not the ballot model of the election.
    WrongModel,
    /// Any other reason, written on the PV.
    Other,
}

impl NulReason {
    pub const ALL: [NulReason; 7] = [
        NulReason::DifferentBallots,
        NulReason::NoEnvelope,
        NulReason::IdentifyingMark,
        NulReason::AlteredBallot,
        NulReason::UnregisteredCandidate,
        NulReason::WrongModel,
        NulReason::Other,
    ];

    /// Part of the hashed encoding: never renumbered.
    fn code(self) -> u8 {
        match self {
            NulReason::DifferentBallots => 0,
            NulReason::NoEnvelope => 1,
            NulReason::IdentifyingMark => 2,
            NulReason::AlteredBallot => 3,
            NulReason::UnregisteredCandidate => 4,
            NulReason::WrongModel => 5,
            NulReason::Other => 6,
        }
    }
}

/// What one ballot was read as.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Candidate(String),
    Blanc,
    /// A nul ballot, with its reason and an optional note (required for
    /// [`NulReason::Other`]), as it will be attached to the PV.
    Nul {
        reason: NulReason,
        note: String,
    },
}

impl Mark {
    /// A nul with its reason and no note.
    pub fn nul(reason: NulReason) -> Self {
        Mark::Nul {
            reason,
            note: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TallyEvent {
    /// The close of polls (DOMAIN.md, steps 1–2): the signatures on the
    /// émargement list and the envelopes found in the urn. A gap between the
    /// two needs an explanation (W1). Declared again (a typing error), the
    /// latest declaration holds; the earlier one stays in the log.
    ClosePolls {
        emargements: u32,
        enveloppes: u32,
        explanation: String,
    },
    /// A table opens a packet of `envelopes` (1–100).
    OpenPacket {
        table: String,
        envelopes: u32,
    },
    /// A table phone opens the packet whose band bears the bureau's number
    /// `number` (from 1), of `envelopes` (1–100): the bureau numbers its
    /// packets once, and each table counts some of them.
    OpenNumberedPacket {
        number: u32,
        envelopes: u32,
    },
    /// A table phone counts again a packet it closed earlier (the bureau's
    /// gathering found the table's two sheets differ on it): that count is
    /// set aside, kept in the log, and the packet is opened again, with
    /// its envelopes, as the open packet.
    RecountNumberedPacket {
        number: u32,
    },
    Mark(Mark),
    Undo,
    ClosePacket,
    /// The two tally sheets of the last closed packet disagree: it is
    /// counted again from zero. Its earlier marks stay in the log.
    RecountPacket,
    /// The open packet's envelope count was wrong (a packet of 99 declared
    /// as 100, or 100 opened when 30 were left): it holds `envelopes`, with
    /// why. Its marks stay.
    ResizePacket {
        envelopes: u32,
        reason: String,
    },
    /// The open packet is set aside, with why: its marks no longer count,
    /// and its envelopes go back to those left to count.
    SetAsidePacket {
        reason: String,
    },
    /// The two tally sheets of the last closed packet agree (DOMAIN.md,
    /// step 5): the next packet may be opened.
    ConfirmPacket,
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend((text.len() as u32).to_be_bytes());
    out.extend(text.as_bytes());
}

impl TallyEvent {
    pub(super) fn encode(&self, seq: u64) -> Vec<u8> {
        let mut out = seq.to_be_bytes().to_vec();
        match self {
            TallyEvent::OpenPacket { table, envelopes } => {
                out.push(1);
                out.extend(envelopes.to_be_bytes());
                put_text(&mut out, table);
            }
            TallyEvent::OpenNumberedPacket { number, envelopes } => {
                out.push(12);
                out.extend(number.to_be_bytes());
                out.extend(envelopes.to_be_bytes());
            }
            TallyEvent::RecountNumberedPacket { number } => {
                out.push(13);
                out.extend(number.to_be_bytes());
            }
            TallyEvent::Mark(Mark::Candidate(id)) => {
                out.push(2);
                put_text(&mut out, id);
            }
            TallyEvent::Mark(Mark::Blanc) => out.push(3),
            TallyEvent::Mark(Mark::Nul { reason, note }) => {
                out.push(4);
                out.push(reason.code());
                put_text(&mut out, note);
            }
            TallyEvent::Undo => out.push(5),
            TallyEvent::ClosePacket => out.push(6),
            TallyEvent::ClosePolls {
                emargements,
                enveloppes,
                explanation,
            } => {
                out.push(7);
                out.extend(emargements.to_be_bytes());
                out.extend(enveloppes.to_be_bytes());
                put_text(&mut out, explanation);
            }
            TallyEvent::RecountPacket => out.push(8),
            TallyEvent::ResizePacket { envelopes, reason } => {
                out.push(9);
                out.extend(envelopes.to_be_bytes());
                put_text(&mut out, reason);
            }
            TallyEvent::SetAsidePacket { reason } => {
                out.push(10);
                put_text(&mut out, reason);
            }
            TallyEvent::ConfirmPacket => out.push(11),
        }
        out
    }
}

/// An event as stored: its place, the hash of the one before and its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub seq: u64,
    pub prev: [u8; 32],
    pub event: TallyEvent,
    pub hash: [u8; 32],
}

/// Why an event cannot be appended. Nothing changes when it is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TallyError {
    #[error("the close of polls (émargements, envelopes found) comes first")]
    PollsNotClosed,
    #[error("{emargements} émargements for {enveloppes} envelopes: the gap needs an explanation")]
    GapNotExplained { emargements: u32, enveloppes: u32 },
    #[error("a table needs a name of 1 to 40 characters")]
    InvalidTableName,
    #[error("a text is limited to 1,000 characters")]
    TextTooLong,
    #[error("a nul for another reason needs a note saying which")]
    NulNeedsNote,
    #[error("there is no closed packet to recount")]
    NothingToRecount,
    #[error("a packet is already open")]
    PacketAlreadyOpen,
    #[error("a packet holds 1 to 100 envelopes, not {0}")]
    InvalidEnvelopeCount(u32),
    #[error("no packet is open")]
    NoOpenPacket,
    #[error("the packet already has a mark for each of its envelopes")]
    PacketFull,
    #[error("{0:?} is not a candidate of this election")]
    UnknownCandidate(String),
    #[error("there is no mark to undo in the open packet")]
    NothingToUndo,
    #[error("the packet has {marks} marks for {envelopes} envelopes")]
    PacketNotBalanced { marks: u32, envelopes: u32 },
    #[error("{envelopes} envelopes, but only {left} are left to count")]
    MoreThanLeft { envelopes: u32, left: u32 },
    #[error("the packet already has {marks} marks: it cannot hold {envelopes} envelopes")]
    FewerThanMarks { envelopes: u32, marks: u32 },
    #[error("packet {number} is closed but not checked: do the two tally sheets agree?")]
    PacketNotChecked { number: u32 },
    #[error("there is no closed packet waiting for its check")]
    NothingToConfirm,
    #[error("a packet's number is 1 or more")]
    InvalidPacketNumber,
    #[error("packet {0} is counted on this phone already")]
    PacketNumberUsed(u32),
    #[error("packet {0} is not a closed packet of this phone")]
    NoSuchPacket(u32),
    #[error("say why (a text of 1 to 1,000 characters)")]
    ReasonNeeded,
    #[error("event {seq} does not follow the chain (edited, missing or reordered)")]
    BrokenChain { seq: u64 },
}
