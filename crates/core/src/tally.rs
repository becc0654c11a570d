//! The tally log: one device's tap-count as an append-only list of events
//! (packet opened with its envelope count, a mark, undo of the last mark,
//! packet closed). Each event carries the SHA-256 of the one before, so the
//! head hash commits to the whole history. Totals, packets and the open packet
//! are derived from the events, never stored beside them: the derived view is
//! rebuilt by replay and kept up to date as events are appended, so appending
//! costs the same for a log of 10 events or of 10,000.
//!
//! It never reads a clock: events carry no time of their own here; the caller
//! may record one beside the log.
//!
//! Event encoding (hashed), all integers big-endian: `seq: u64`, then a tag
//! byte and its fields: `1` open (`envelopes: u32`), `2` mark candidate
//! (`id`: u32 length + UTF-8), `3` mark blanc, `4` mark nul (`reason: u8`,
//! 0–6 in the order of [`NulReason::ALL`]), `5` undo, `6` close. An event's
//! hash is SHA-256(previous hash ‖ encoding); the first event's previous
//! hash is the genesis the caller passes in (it names the election and
//! bureau).

use crate::rules::TallySummary;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use thiserror::Error;

/// A packet holds at most this many envelopes (DOMAIN.md, step 3).
pub const PACKET_SIZE: u32 = 100;

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
    Nul(NulReason),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TallyEvent {
    OpenPacket { envelopes: u32 },
    Mark(Mark),
    Undo,
    ClosePacket,
}

impl TallyEvent {
    fn encode(&self, seq: u64) -> Vec<u8> {
        let mut out = seq.to_be_bytes().to_vec();
        match self {
            TallyEvent::OpenPacket { envelopes } => {
                out.push(1);
                out.extend(envelopes.to_be_bytes());
            }
            TallyEvent::Mark(Mark::Candidate(id)) => {
                out.push(2);
                out.extend((id.len() as u32).to_be_bytes());
                out.extend(id.as_bytes());
            }
            TallyEvent::Mark(Mark::Blanc) => out.push(3),
            TallyEvent::Mark(Mark::Nul(r)) => {
                out.push(4);
                out.push(r.code());
            }
            TallyEvent::Undo => out.push(5),
            TallyEvent::ClosePacket => out.push(6),
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
    #[error("event {seq} does not follow the chain (edited, missing or reordered)")]
    BrokenChain { seq: u64 },
}

/// One packet: its envelope count and its marks, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// From 1.
    pub number: u32,
    pub envelopes: u32,
    pub marks: Vec<Mark>,
    pub closed: bool,
}

impl Packet {
    /// Marks per category: candidates by id, then blancs and nuls.
    pub fn counts(&self) -> PacketCounts {
        let mut c = PacketCounts::default();
        for m in &self.marks {
            match m {
                Mark::Candidate(id) => *c.voix.entry(id.clone()).or_default() += 1,
                Mark::Blanc => c.blancs += 1,
                Mark::Nul(_) => c.nuls += 1,
            }
        }
        c
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacketCounts {
    pub voix: BTreeMap<String, u32>,
    pub blancs: u32,
    pub nuls: u32,
}

/// The tally log of one device, with its derived view.
#[derive(Clone, Debug)]
pub struct TallyLog {
    candidates: Vec<String>,
    genesis: [u8; 32],
    events: Vec<LoggedEvent>,
    packets: Vec<Packet>,
}

impl TallyLog {
    /// An empty log for the election's candidates (ids, in ballot order).
    /// `genesis` is the hash the first event chains to.
    pub fn new(candidates: Vec<String>, genesis: [u8; 32]) -> Self {
        Self {
            candidates,
            genesis,
            events: Vec::new(),
            packets: Vec::new(),
        }
    }

    /// Rebuilds a log from stored events, checking the chain and every rule
    /// of appending as if they were typed again.
    pub fn replay(
        candidates: Vec<String>,
        genesis: [u8; 32],
        events: &[LoggedEvent],
    ) -> Result<Self, TallyError> {
        let mut log = Self::new(candidates, genesis);
        for e in events {
            if e.seq != log.events.len() as u64 || e.prev != log.head() {
                return Err(TallyError::BrokenChain { seq: e.seq });
            }
            let appended = log.append(e.event.clone())?;
            if appended.hash != e.hash {
                return Err(TallyError::BrokenChain { seq: e.seq });
            }
        }
        Ok(log)
    }

    /// The hash of the last event (the genesis when empty): it commits to the
    /// whole history.
    pub fn head(&self) -> [u8; 32] {
        self.events.last().map_or(self.genesis, |e| e.hash)
    }

    pub fn events(&self) -> &[LoggedEvent] {
        &self.events
    }

    pub fn packets(&self) -> &[Packet] {
        &self.packets
    }

    pub fn open_packet(&self) -> Option<&Packet> {
        self.packets.last().filter(|p| !p.closed)
    }

    /// Appends an event if the count allows it, and returns it as stored (to
    /// persist before showing it).
    pub fn append(&mut self, event: TallyEvent) -> Result<&LoggedEvent, TallyError> {
        self.check(&event)?;
        match &event {
            TallyEvent::OpenPacket { envelopes } => self.packets.push(Packet {
                number: self.packets.len() as u32 + 1,
                envelopes: *envelopes,
                marks: Vec::new(),
                closed: false,
            }),
            TallyEvent::Mark(m) => {
                if let Some(p) = self.packets.last_mut() {
                    p.marks.push(m.clone());
                }
            }
            TallyEvent::Undo => {
                if let Some(p) = self.packets.last_mut() {
                    p.marks.pop();
                }
            }
            TallyEvent::ClosePacket => {
                if let Some(p) = self.packets.last_mut() {
                    p.closed = true;
                }
            }
        }
        let seq = self.events.len() as u64;
        let prev = self.head();
        let mut h = Sha256::new();
        h.update(prev);
        h.update(event.encode(seq));
        let hash: [u8; 32] = h.finalize().into();
        self.events.push(LoggedEvent {
            seq,
            prev,
            event,
            hash,
        });
        Ok(&self.events[self.events.len() - 1])
    }

    fn check(&self, event: &TallyEvent) -> Result<(), TallyError> {
        let open = self.open_packet();
        match event {
            TallyEvent::OpenPacket { envelopes } => {
                if open.is_some() {
                    return Err(TallyError::PacketAlreadyOpen);
                }
                if !(1..=PACKET_SIZE).contains(envelopes) {
                    return Err(TallyError::InvalidEnvelopeCount(*envelopes));
                }
            }
            TallyEvent::Mark(m) => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                if let Mark::Candidate(id) = m
                    && !self.candidates.contains(id)
                {
                    return Err(TallyError::UnknownCandidate(id.clone()));
                }
                if p.marks.len() as u32 >= p.envelopes {
                    return Err(TallyError::PacketFull);
                }
            }
            TallyEvent::Undo => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                if p.marks.is_empty() {
                    return Err(TallyError::NothingToUndo);
                }
            }
            TallyEvent::ClosePacket => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                let marks = p.marks.len() as u32;
                if marks != p.envelopes {
                    return Err(TallyError::PacketNotBalanced {
                        marks,
                        envelopes: p.envelopes,
                    });
                }
            }
        }
        Ok(())
    }

    /// What the count found, for rule H5: totals over every packet, and the
    /// packets that do not (yet) balance.
    pub fn summary(&self) -> TallySummary {
        let mut s = TallySummary::default();
        for id in &self.candidates {
            s.voix.insert(id.clone(), 0);
        }
        for p in &self.packets {
            let c = p.counts();
            s.blancs += u64::from(c.blancs);
            s.nuls += u64::from(c.nuls);
            for (id, n) in c.voix {
                *s.voix.entry(id).or_default() += u64::from(n);
            }
            if !p.closed {
                s.unbalanced_packets.push(p.number);
            }
        }
        s
    }

    /// The fingerprint of a packet: five characters that the two recorders
    /// of a table read aloud to each other. Equal counts give equal
    /// fingerprints; a difference of any count changes it with odds of about
    /// 1 in 33 million of a collision.
    pub fn fingerprint(&self, packet: &Packet) -> String {
        let c = packet.counts();
        let mut h = Sha256::new();
        h.update(packet.number.to_be_bytes());
        h.update(packet.envelopes.to_be_bytes());
        for id in &self.candidates {
            h.update(c.voix.get(id).copied().unwrap_or(0).to_be_bytes());
        }
        h.update(c.blancs.to_be_bytes());
        h.update(c.nuls.to_be_bytes());
        let d: [u8; 32] = h.finalize().into();
        let bits = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) >> 7; // 25 bits
        (0..5)
            .map(|i| char::from(FINGERPRINT_ALPHABET[((bits >> (20 - 5 * i)) & 31) as usize]))
            .collect()
    }
}

/// Crockford's base 32: no I, L, O or U, so nothing read aloud is ambiguous.
pub(crate) const FINGERPRINT_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
