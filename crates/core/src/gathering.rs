//! Gathering the tables' tally sheets (DOMAIN.md, steps 5, 7 and 8): at
//! each table two recorders keep a sheet each; the bureau takes both
//! sheets of every table, checks that they agree packet by packet, that no
//! packet was counted at two tables (or twice at one), and that the
//! packets' envelopes add up to the envelopes found in the urn, names each
//! packet to recount and where, and adds the tables up for rule H5.
//!
//! Packets are numbered for the whole bureau (as the tally log numbers
//! them), each counted at one table. This module holds only the rules;
//! how a sheet travels from a table's phone to the bureau's, and who
//! signed it, is the sheet's carrier's business.

use crate::rules::TallySummary;
use crate::tally::PacketCounts;
use std::collections::{BTreeMap, BTreeSet};

/// Which of a table's two recorders kept a sheet: `"A"` or `"B"`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Slot {
    A,
    B,
}

impl Slot {
    /// The letter a sheet, a screen and a log name show for it.
    pub fn letter(self) -> &'static str {
        match self {
            Slot::A => "A",
            Slot::B => "B",
        }
    }
}

/// One packet as a sheet gives it: closed, its marks adding up to its
/// envelopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetPacket {
    /// The bureau's number for the packet, from 1.
    pub number: u32,
    pub envelopes: u32,
    pub counts: PacketCounts,
}

/// One recorder's tally sheet of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The table's number, from 1.
    pub table: u32,
    pub slot: Slot,
    pub packets: Vec<SheetPacket>,
}

/// Where a table stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableState {
    /// No sheet yet.
    Waiting,
    /// One sheet (the other recorder's not in yet, or kept on paper).
    OneSheet(Slot),
    /// Both sheets, the same packets with the same counts.
    Agree,
    /// Both sheets, and these packets differ (counts, envelopes, or on one
    /// sheet only): the table recounts them.
    Disagree(Vec<u32>),
}

/// What the bureau's phone shows once it has the sheets it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gathering {
    /// Every table, in the order given, with its state.
    pub tables: Vec<(u32, TableState)>,
    /// Packets to recount, and at which table: those its two sheets
    /// disagree on.
    pub recount: Vec<(u32, u32)>,
    /// Packets found at more than one table, or twice on one sheet: each
    /// with the tables that have it.
    pub counted_twice: Vec<(u32, Vec<u32>)>,
    /// Sheets for a table the bureau did not set up, or a second sheet for
    /// a slot already in: not taken.
    pub not_taken: Vec<(u32, Slot)>,
    /// Envelopes of every packet taken (each once).
    pub envelopes: u64,
    /// Packets taken (each number once).
    pub packets: u32,
    /// The tables added up (each packet once, from the first sheet of its
    /// table), for rule H5.
    pub summary: TallySummary,
}

impl Gathering {
    /// Every table has its two sheets in agreement (or one, where
    /// `one_sheet_allowed`), no packet is counted twice, and the packets'
    /// envelopes are the envelopes found: the PV can be checked against
    /// [`Gathering::summary`].
    pub fn complete(&self, found: u32, one_sheet_allowed: &[u32]) -> bool {
        let tables_ready = self.tables.iter().all(|(table, state)| match state {
            TableState::Agree => true,
            TableState::OneSheet(_) => one_sheet_allowed.contains(table),
            TableState::Waiting | TableState::Disagree(_) => false,
        });
        tables_ready && self.counted_twice.is_empty() && self.envelopes == u64::from(found)
    }

    /// The tables with one sheet only (rule W6, explained at signing).
    pub fn one_sheet(&self) -> Vec<u32> {
        self.tables
            .iter()
            .filter(|(_, state)| matches!(state, TableState::OneSheet(_)))
            .map(|(t, _)| *t)
            .collect()
    }

    /// Whether a return's tally is what the tables add up to: the same
    /// summary and the same number of packets.
    pub fn is_tally(&self, summary: &TallySummary, packets: u32) -> bool {
        &self.summary == summary && self.packets == packets
    }
}

/// Gathers the sheets of the bureau's `tables` (each sheet taken once per
/// table and slot: a later one for the same slot is not taken) over the
/// election's `candidates`.
pub fn gather(tables: &[u32], candidates: &[String], sheets: &[Sheet]) -> Gathering {
    let mut by_table: BTreeMap<u32, BTreeMap<Slot, &Sheet>> = BTreeMap::new();
    let mut not_taken = Vec::new();
    for s in sheets {
        let known = tables.contains(&s.table);
        let slots = by_table.entry(s.table).or_default();
        if !known || slots.contains_key(&s.slot) {
            not_taken.push((s.table, s.slot));
        } else {
            slots.insert(s.slot, s);
        }
    }

    let mut states = Vec::with_capacity(tables.len());
    let mut recount = Vec::new();
    // Each packet taken once, from its table's first sheet.
    let mut taken: BTreeMap<u32, Vec<(u32, &SheetPacket)>> = BTreeMap::new();
    for table in tables {
        let slots = by_table.get(table);
        let a = slots.and_then(|s| s.get(&Slot::A)).copied();
        let b = slots.and_then(|s| s.get(&Slot::B)).copied();
        let state = match (a, b) {
            (None, None) => TableState::Waiting,
            (Some(_), None) => TableState::OneSheet(Slot::A),
            (None, Some(_)) => TableState::OneSheet(Slot::B),
            (Some(a), Some(b)) => match differing(a, b) {
                d if d.is_empty() => TableState::Agree,
                d => {
                    recount.extend(d.iter().map(|n| (*table, *n)));
                    TableState::Disagree(d)
                }
            },
        };
        if let Some(first) = a.or(b) {
            for p in &first.packets {
                taken.entry(p.number).or_default().push((*table, p));
            }
        }
        states.push((*table, state));
    }

    let mut summary = TallySummary::default();
    for c in candidates {
        summary.voix.insert(c.clone(), 0);
    }
    let mut envelopes = 0u64;
    let mut counted_twice = Vec::new();
    for (number, at) in &taken {
        if at.len() > 1 {
            counted_twice.push((*number, at.iter().map(|(t, _)| *t).collect()));
        }
        let (_, p) = &at[0];
        envelopes += u64::from(p.envelopes);
        summary.blancs += u64::from(p.counts.blancs);
        summary.nuls += u64::from(p.counts.nuls);
        for (id, n) in &p.counts.voix {
            *summary.voix.entry(id.clone()).or_default() += u64::from(*n);
        }
        let marks = p.counts.voix.values().sum::<u32>() + p.counts.blancs + p.counts.nuls;
        if marks != p.envelopes {
            summary.unbalanced_packets.push(*number);
        }
    }
    Gathering {
        tables: states,
        recount,
        counted_twice,
        not_taken,
        envelopes,
        packets: taken.len() as u32,
        summary,
    }
}

/// The packets two sheets of one table do not agree on, in order.
fn differing(a: &Sheet, b: &Sheet) -> Vec<u32> {
    let (ia, ib) = (by_number(a), by_number(b));
    let numbers: BTreeSet<u32> = crate::order::set_of(ia.keys().chain(ib.keys()).copied());
    numbers
        .into_iter()
        .filter(|n| ia.get(n) != ib.get(n))
        .collect()
}

/// A sheet's packets by number (a number twice on a sheet: both, in order).
fn by_number(s: &Sheet) -> BTreeMap<u32, Vec<&SheetPacket>> {
    s.packets.iter().fold(BTreeMap::new(), |mut m, p| {
        m.entry(p.number).or_default().push(p);
        m
    })
}
