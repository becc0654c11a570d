//! The tally log: one bureau's tap-count as an append-only list of events
//! (close of polls with the émargements and envelopes found, packet opened by
//! a table with its envelope count, a mark, undo of the last mark, packet
//! closed, its check by the two tally sheets, packet recounted, the open
//! packet's count corrected or the packet set aside). Each event carries the SHA-256 of the one
//! before, so the head hash commits to the whole history. Totals, packets and the open packet
//! are derived from the events, never stored beside them: the derived view is
//! rebuilt by replay and kept up to date as events are appended, so appending
//! costs the same for a log of 10 events or of 10,000.
//!
//! It never reads a clock: events carry no time of their own here; the caller
//! may record one beside the log.
//!
//! The events and their encoding are in `event.rs`, which event may come
//! next in `check.rs`; this file keeps the log and what is derived from it.
//!
//! Event encoding (hashed), all integers big-endian, a text is its UTF-8
//! length as `u32` then its bytes: `seq: u64`, then a tag byte and its
//! fields: `1` open (`envelopes: u32`, `table`: text), `2` mark candidate
//! (`id`: text), `3` mark blanc, `4` mark nul (`reason: u8`, 0–6 in the order
//! of [`NulReason::ALL`], `note`: text), `5` undo, `6` close, `7` close of
//! polls (`emargements: u32`, `enveloppes: u32`, `explanation`: text), `8`
//! recount the last packet, `9` the open packet's count corrected
//! (`envelopes: u32`, `reason`: text), `10` the open packet set aside
//! (`reason`: text), `11` the last closed packet's tally sheets agree. An
//! event's
//! hash is SHA-256(previous hash ‖ encoding); the first event's previous
//! hash is the genesis the caller passes in (it names the election and
//! bureau).

mod check;
mod event;

pub use event::{
    LoggedEvent, Mark, NulReason, PACKET_SIZE, TABLE_NAME_MAX, TEXT_MAX, TallyError, TallyEvent,
};

use crate::rules::TallySummary;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One packet: its envelope count and its marks, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// From 1.
    pub number: u32,
    /// The table that counts it.
    pub table: String,
    /// On a table phone: the bureau's number on the packet's band (the
    /// table counts some of the bureau's packets, not 1, 2, 3…).
    pub band: Option<u32>,
    pub envelopes: u32,
    /// The marks of the current count (a recount starts from none).
    pub marks: Vec<Mark>,
    pub closed: bool,
    /// How many times it was counted again.
    pub recounts: u32,
    /// Set aside: its marks do not count and its envelopes are left to
    /// count again.
    pub set_aside: bool,
    /// Closed, and its two tally sheets agreed.
    pub checked: bool,
}

impl Packet {
    /// The bureau's number for the packet: its band's on a table phone,
    /// else its place in the log.
    pub fn bureau_number(&self) -> u32 {
        self.band.unwrap_or(self.number)
    }

    /// Marks per category: candidates by id, then blancs and nuls.
    pub fn counts(&self) -> PacketCounts {
        let mut c = PacketCounts::default();
        for m in &self.marks {
            match m {
                Mark::Candidate(id) => *c.voix.entry(id.clone()).or_default() += 1,
                Mark::Blanc => c.blancs += 1,
                Mark::Nul { .. } => c.nuls += 1,
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

impl PacketCounts {
    /// The count shown for one mark's category.
    pub fn of(&self, mark: &Mark) -> u32 {
        match mark {
            Mark::Candidate(id) => self.voix.get(id).copied().unwrap_or(0),
            Mark::Blanc => self.blancs,
            Mark::Nul { .. } => self.nuls,
        }
    }
}

/// The close of polls as last declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollsClosed {
    pub emargements: u32,
    pub enveloppes: u32,
    pub explanation: String,
}

/// What a table (or the whole bureau) has counted so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountTotals {
    /// Marks per candidate id (every candidate present, from 0).
    pub voix: BTreeMap<String, u64>,
    pub blancs: u64,
    pub nuls: u64,
    /// Packets closed, and every packet opened.
    pub packets_closed: u32,
    pub packets: u32,
    /// Envelopes of the closed packets.
    pub envelopes_closed: u64,
    /// Marks in every packet, the open one included.
    pub marks: u64,
}

/// The tally log of one device, with its derived view.
#[derive(Clone, Debug)]
pub struct TallyLog {
    candidates: Vec<String>,
    genesis: [u8; 32],
    events: Vec<LoggedEvent>,
    packets: Vec<Packet>,
    polls: Option<PollsClosed>,
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
            polls: None,
        }
    }

    /// The genesis of a bureau's log: it names the election (by its content
    /// hash, lowercase hex) and the bureau, so a log cannot be replayed as
    /// another bureau's.
    pub fn genesis_for(election_hash: &str, bureau: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"pointage-tally/1\n");
        h.update(election_hash.as_bytes());
        h.update(b"\n");
        h.update(bureau.as_bytes());
        h.finalize().into()
    }

    /// The candidate ids, in ballot order.
    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }

    /// The close of polls as last declared, once declared.
    pub fn polls(&self) -> Option<&PollsClosed> {
        self.polls.as_ref()
    }

    /// Totals of every table together.
    pub fn totals(&self) -> CountTotals {
        self.totals_where(|_| true)
    }

    /// The tables, in the order they first opened a packet, with their totals.
    pub fn tables(&self) -> Vec<(String, CountTotals)> {
        let mut names: Vec<&str> = Vec::new();
        for p in &self.packets {
            if !names.contains(&p.table.as_str()) {
                names.push(&p.table);
            }
        }
        names
            .into_iter()
            .map(|n| (n.to_owned(), self.totals_where(|p| p.table == n)))
            .collect()
    }

    fn totals_where(&self, keep: impl Fn(&Packet) -> bool) -> CountTotals {
        let mut t = CountTotals::default();
        for id in &self.candidates {
            t.voix.insert(id.clone(), 0);
        }
        for p in self.packets.iter().filter(|p| !p.set_aside && keep(p)) {
            let c = p.counts();
            t.blancs += u64::from(c.blancs);
            t.nuls += u64::from(c.nuls);
            for (id, n) in c.voix {
                *t.voix.entry(id).or_default() += u64::from(n);
            }
            t.packets += 1;
            if p.closed {
                t.packets_closed += 1;
                t.envelopes_closed += u64::from(p.envelopes);
            }
            t.marks += p.marks.len() as u64;
        }
        t
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
            let appended = log.append_stored(e.event.clone())?;
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
        self.packets.last().filter(|p| !p.closed && !p.set_aside)
    }

    /// The envelopes found in the urn that no packet holds yet (set-aside
    /// packets hold none), once the polls are closed. Never below zero: a
    /// close of polls corrected downwards after packets were opened leaves
    /// none.
    pub fn envelopes_left(&self) -> Option<u32> {
        let polls = self.polls.as_ref()?;
        let held: u64 = self
            .packets
            .iter()
            .filter(|p| !p.set_aside)
            .map(|p| u64::from(p.envelopes))
            .sum();
        Some(u64::from(polls.enveloppes).saturating_sub(held) as u32)
    }

    /// The envelopes to offer for the next packet: a full packet, or the
    /// envelopes left if fewer (none before the close of polls). A packet
    /// is accepted only up to the envelopes left.
    pub fn next_packet_size(&self) -> u32 {
        self.envelopes_left().unwrap_or(0).min(PACKET_SIZE)
    }

    /// The last packet, closed and waiting for its two tally sheets to be
    /// compared: agreed ([`TallyEvent::ConfirmPacket`]) or recounted.
    pub fn awaiting_check(&self) -> Option<&Packet> {
        self.packets
            .last()
            .filter(|p| p.closed && !p.set_aside && !p.checked)
    }

    /// Whether every envelope found is in a closed, checked packet:
    /// counting is done.
    pub fn all_counted(&self) -> bool {
        self.envelopes_left() == Some(0)
            && self.open_packet().is_none()
            && self.awaiting_check().is_none()
            && self.packets.iter().any(|p| p.closed && !p.set_aside)
    }

    /// Appends an event if the count allows it, and returns it as stored (to
    /// persist before showing it).
    pub fn append(&mut self, event: TallyEvent) -> Result<&LoggedEvent, TallyError> {
        self.check(&event)?;
        Ok(self.apply(event))
    }

    /// Appends an event read back from storage, checked as an earlier
    /// version appended it: a packet opened larger than what was left, or
    /// the next packet opened with no logged check of the last (both
    /// allowed before), still loads, and can then be corrected.
    pub fn append_stored(&mut self, event: TallyEvent) -> Result<&LoggedEvent, TallyError> {
        self.check_event(&event)?;
        Ok(self.apply(event))
    }

    /// Appends an event already checked.
    fn apply(&mut self, event: TallyEvent) -> &LoggedEvent {
        match &event {
            TallyEvent::ClosePolls {
                emargements,
                enveloppes,
                explanation,
            } => {
                self.polls = Some(PollsClosed {
                    emargements: *emargements,
                    enveloppes: *enveloppes,
                    explanation: explanation.clone(),
                })
            }
            TallyEvent::OpenPacket { table, envelopes } => {
                let p = self.opened(table.clone(), None, *envelopes);
                self.packets.push(p);
            }
            TallyEvent::OpenNumberedPacket { number, envelopes } => {
                let p = self.opened(String::new(), Some(*number), *envelopes);
                self.packets.push(p);
            }
            TallyEvent::RecountNumberedPacket { number } => {
                let band = Some(*number);
                let earlier = self
                    .packets
                    .iter_mut()
                    .rev()
                    .find(|p| p.band == band && !p.set_aside);
                if let Some(p) = earlier {
                    p.set_aside = true;
                    let (envelopes, recounts) = (p.envelopes, p.recounts + 1);
                    let again = Packet {
                        recounts,
                        ..self.opened(String::new(), band, envelopes)
                    };
                    self.packets.push(again);
                }
            }
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
            TallyEvent::RecountPacket => {
                if let Some(p) = self.packets.last_mut() {
                    p.marks.clear();
                    p.closed = false;
                    p.checked = false;
                    p.recounts += 1;
                }
            }
            TallyEvent::ResizePacket { envelopes, .. } => {
                if let Some(p) = self.packets.last_mut() {
                    p.envelopes = *envelopes;
                }
            }
            TallyEvent::SetAsidePacket { .. } => {
                if let Some(p) = self.packets.last_mut() {
                    p.set_aside = true;
                }
            }
            TallyEvent::ConfirmPacket => {
                if let Some(p) = self.packets.last_mut() {
                    p.checked = true;
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
        &self.events[self.events.len() - 1]
    }

    /// The next packet of this log, opened and empty.
    fn opened(&self, table: String, band: Option<u32>, envelopes: u32) -> Packet {
        Packet {
            number: self.packets.len() as u32 + 1,
            table,
            band,
            envelopes,
            marks: Vec::new(),
            closed: false,
            recounts: 0,
            set_aside: false,
            checked: false,
        }
    }

    /// What the count found, for rule H5: totals over every packet, and the
    /// packets that do not (yet) balance.
    pub fn summary(&self) -> TallySummary {
        let mut s = TallySummary::default();
        for id in &self.candidates {
            s.voix.insert(id.clone(), 0);
        }
        for p in self.packets.iter().filter(|p| !p.set_aside) {
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
        h.update(packet.bureau_number().to_be_bytes());
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
