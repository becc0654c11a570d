//! The bureau's evening in order, as the home screen of an enrolled phone
//! shows it: the close of polls, the counting, the PV's first and second
//! entries, their agreement, the signature and the server's receipt, each
//! with its state, and the one step to take next.
//!
//! It is read from what the phone keeps (the tally log, the PV session and
//! its outbox), never stored: the checklist cannot disagree with the
//! screens it leads to.
//!
//! A bureau that counted its ballots on paper starts with the PV: once
//! the PV's entry has begun with no packet counted on this phone, the close
//! of polls and the counting are marked as done elsewhere, not as steps to
//! take. A count begun on the phone is never skipped: the PV is checked
//! against it (H5), so it must be finished first.

use pointage_core::{Phase, Receipt, TallyLog};

use crate::photos::PhotoStanding;
use crate::pv_session::{PvSession, Screen};

/// One step of the evening, with what the screen says of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// The émargements and the envelopes found, once declared.
    ClosePolls { declared: Option<(u32, u32)> },
    /// Packets closed and checked, and the envelopes they hold, of the
    /// envelopes found (none before the close of polls).
    Count {
        packets: u32,
        counted: u64,
        found: Option<u32>,
        /// Counted on table phones: the packets are their sheets', and the
        /// step is taken on the tables' screen.
        at_tables: bool,
    },
    /// Who typed the first entry, once finished.
    FirstEntry { by: Option<String> },
    /// Who typed the second entry, once finished.
    SecondEntry { by: Option<String> },
    /// The two entries compared: how many figures still differ.
    Agreement { differing: usize },
    /// The signed version's code, to copy onto the paper PV, once signed.
    Signature { code: Option<String> },
    /// The server's receipt of the signed version; refused when the server
    /// said no (the PV screen says why).
    Sent { received: bool, refused: bool },
    /// The photos of the paper PV (signed by its members, the code written
    /// on it): where they stand. Asked once the PV is signed; a bureau may
    /// leave it and come back to it, nothing waits for it.
    Photos(PhotoStanding),
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Done,
    /// Done on paper, not on this phone (a bureau that counted on paper).
    Elsewhere,
    /// The step to take now: the only one.
    Next,
    /// Comes after the next step.
    Later,
}

/// The screen a step is taken on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Count,
    /// The bureau's tables: their join codes and sheets.
    Tables,
    Pv,
    /// Nothing to open: the phone sends by itself once a network is there
    /// (a person may only ask it to try now).
    Outbox,
    /// The camera, for the paper PV's pages.
    Photos,
}

impl Task {
    /// Where the step is taken: a refused return's reason is on the PV's
    /// screen.
    pub fn place(&self) -> Place {
        match self {
            Task::Count {
                at_tables: true, ..
            } => Place::Tables,
            Task::ClosePolls { .. } | Task::Count { .. } => Place::Count,
            Task::Sent { refused: false, .. } => Place::Outbox,
            Task::Photos(_) => Place::Photos,
            _ => Place::Pv,
        }
    }
}

/// What the bureau's table phones handed in, once it invited any: the
/// packets and envelopes on the sheets taken, and whether the tables are
/// ready for the PV (every table's sheets in agreement, or one, no packet
/// twice, the envelopes found).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TablesCount {
    pub packets: u32,
    pub envelopes: u64,
    pub ready: bool,
}

/// The evening of one bureau on this phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evening {
    /// The version the PV steps are about: 1, or a correction's number.
    pub version: u32,
    /// In the procedure's order.
    pub steps: Vec<(Task, State)>,
}

impl Evening {
    /// The evening as kept: the bureau's tally log (`None` when the phone
    /// holds none it can read), its PV, the ids still waiting for a
    /// receipt, the receipts kept, and whether the server refused the
    /// waiting version.
    pub fn new(
        tally: Option<&TallyLog>,
        pv: &PvSession,
        pending: &[String],
        receipts: &[Receipt],
        refused: bool,
    ) -> Self {
        Self::with_tables(tally, pv, pending, receipts, refused, None)
    }

    /// [`Self::new`] for a bureau that counts on table phones: its count is
    /// theirs (`tables`), its log holds the close of polls.
    pub fn with_tables(
        tally: Option<&TallyLog>,
        pv: &PvSession,
        pending: &[String],
        receipts: &[Receipt],
        refused: bool,
        tables: Option<TablesCount>,
    ) -> Self {
        let screen = pv.screen();
        let signed = screen == Screen::Signed;
        let record = &pv.entry().record;
        let pv_begun = signed
            || !record.steps.is_empty()
            || !record.drafts.is_empty()
            || record.correction.is_some();
        let polls = tally.and_then(|t| t.polls());
        let on_paper = pv_begun && tables.is_none() && tally.is_none_or(|t| t.packets().is_empty());
        let count_done = match tables {
            Some(t) => t.ready,
            None => tally.is_some_and(TallyLog::all_counted),
        };
        let totals = tally.map(TallyLog::totals);
        let (packets, counted) = match tables {
            Some(t) => (t.packets, t.envelopes),
            None => totals
                .as_ref()
                .map_or((0, 0), |t| (t.packets_closed, t.envelopes_closed)),
        };

        let de = &pv.entry().de;
        let phase = de.phase();
        let (first, second) = match (&phase, de.entrants()) {
            _ if signed => pv.returns().last().map_or((None, None), |r| {
                let by = &r.body().entered_by;
                (Some(by.first.clone()), Some(by.second.clone()))
            }),
            (Phase::AwaitingSecond { first_by }, _) => (Some(first_by.clone()), None),
            (_, Some((a, b))) => (Some(a.to_owned()), Some(b.to_owned())),
            _ => (None, None),
        };
        let differing = match &phase {
            Phase::Reconciling { fields, .. } if !signed => fields.len(),
            _ => 0,
        };
        let last = pv.returns().last().filter(|_| signed);
        let received = last.is_some_and(|r| {
            receipts.iter().any(|c| c.body.return_id == r.id())
                && !pending.iter().any(|p| p == r.id())
        });

        let done = [
            polls.is_some(),
            count_done,
            first.is_some(),
            second.is_some(),
            signed || screen == Screen::Review,
            signed,
            received,
        ];
        let elsewhere = [
            on_paper && polls.is_none(),
            on_paper,
            false,
            false,
            false,
            false,
            false,
        ];
        let tasks = [
            Task::ClosePolls {
                declared: polls.map(|p| (p.emargements, p.enveloppes)),
            },
            Task::Count {
                packets,
                counted,
                found: polls.map(|p| p.enveloppes),
                at_tables: tables.is_some(),
            },
            Task::FirstEntry { by: first },
            Task::SecondEntry { by: second },
            Task::Agreement { differing },
            Task::Signature {
                code: last.map(|r| r.human_code()),
            },
            Task::Sent {
                received,
                refused: refused && signed && !received,
            },
        ];
        let mut next_given = false;
        let steps = tasks
            .into_iter()
            .zip(done.iter().zip(elsewhere))
            .map(|(task, (&done, elsewhere))| {
                let state = if done {
                    State::Done
                } else if elsewhere {
                    State::Elsewhere
                } else if next_given {
                    State::Later
                } else {
                    next_given = true;
                    State::Next
                };
                (task, state)
            })
            .collect();
        Evening {
            version: last.map_or(pv.version(), |r| r.body().version),
            steps,
        }
    }

    /// The evening with the paper PV's photos as a step, between the
    /// signature and the server's receipt: done once the pages are signed
    /// (their pictures then go by themselves) and none of their pictures
    /// is lost before the server holds it; once the PV is signed, a
    /// step to take now, beside the receipt the phone waits for by itself
    /// (both are [`State::Next`]; [`Evening::next`] names the photos);
    /// before the signature, later.
    pub fn with_photos(mut self, standing: PhotoStanding) -> Self {
        let signed = self
            .steps
            .iter()
            .any(|(t, s)| matches!(t, Task::Signature { .. }) && *s == State::Done);
        let state = match standing {
            PhotoStanding::Signed { lost: 0, .. } => State::Done,
            _ if signed => State::Next,
            _ => State::Later,
        };
        let at = self
            .steps
            .iter()
            .position(|(t, _)| matches!(t, Task::Sent { .. }))
            .unwrap_or(self.steps.len());
        self.steps.insert(at, (Task::Photos(standing), state));
        self
    }

    /// Nothing of the evening is done yet on this phone, nor on paper, and
    /// no correction under way: the moment to check the bureau's code with
    /// the président.
    pub fn untouched(&self) -> bool {
        self.version == 1
            && self
                .steps
                .iter()
                .all(|(_, s)| matches!(s, State::Next | State::Later))
    }

    /// The step to take now, or `None` once the server has the PV.
    pub fn next(&self) -> Option<&Task> {
        self.steps
            .iter()
            .find(|(_, s)| *s == State::Next)
            .map(|(t, _)| t)
    }
}
