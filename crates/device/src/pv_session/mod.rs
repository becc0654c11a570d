//! The PV session: what the PV screens ask of the phone, in the order of the
//! procedure. The screens draw it and hand it what a person typed; every
//! decision is here or in core:
//! - which screen the PV is at ([`Screen`]), and which figures a form asks
//!   and what it starts from ([`PvSession::form`]): empty, or that stage's
//!   own draft, never another person's figures;
//! - what a person typed, read into core's step ([`PvSession::typed_step`]),
//!   or refused with its cause ([`EntryError`]);
//! - the entrants of a comparison, named once with core's comparison of
//!   names ([`PvSession::differing`]);
//! - each change of the entry ([`Edit`]), applied to the entry as stored
//!   when its write's turn comes ([`PvStore::edit`]), so that two changes
//!   made before the first is kept never undo each other;
//! - the review (core's rules, texts too long to sign) and signing through
//!   a [`Signer`] (WebCrypto on the phone).

use pointage_core::{
    Candidate, DoubleEntry, EntryStep, Field, Members, NotAFigure, Phase, ProcesVerbal, RuleCode,
    SignedReturn, TextField, TransitionError,
};
use std::collections::{BTreeMap, BTreeSet};

mod review;

pub use review::{Detail, PvSignError, Review};

use crate::ports::{Batch, Storage, WriteError};
use crate::pv::{Correction, Draft, EntryRecord, PvLoadError, PvStore, Stage};

/// The entry of the next version, and core's double entry replayed from it.
#[derive(Clone, Debug)]
pub struct NextEntry {
    pub record: EntryRecord,
    pub de: DoubleEntry,
}

/// Which screen the PV is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    First,
    /// The first person has finished: they hand the phone over to the
    /// second, who gives their name before the blind form opens (the
    /// first entrant's name). Nothing of the first entry shows.
    Handover(String),
    /// The second, blind entry, by the person named at the hand-over; the
    /// first entrant's name.
    Second(String),
    Reconcile,
    Review,
    Signed,
}

/// Which entry form a person fills in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Turn {
    First,
    /// The second, blind entry; the first entrant's name.
    Second(String),
    /// One entrant re-types the differing fields.
    Redo(String),
}

impl Turn {
    /// The stage its draft is kept under.
    pub fn stage(&self) -> Stage {
        match self {
            Turn::First => Stage::First,
            Turn::Second(_) => Stage::Second,
            Turn::Redo(name) => Stage::redo(name),
        }
    }
}

/// What an entry form asks, and what it starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// The figures asked, in the paper's order.
    pub fields: Vec<Field>,
    /// This stage's own unfinished draft; else empty, but for a
    /// correction's names and observations (text, never figures).
    pub start: Draft,
    /// Whether the form asks the members and the observations.
    pub with_text: bool,
}

/// Why what a person typed is not an entry yet. Nothing is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryError {
    NoName,
    /// Figures to fix, in the form's order: those that are not a number,
    /// those too large for their field, and those the PV needs that were
    /// left empty.
    Figures {
        not_numbers: Vec<Field>,
        too_large: Vec<Field>,
        empty: Vec<Field>,
    },
    /// A text over the limit of a return's texts, and its size in bytes.
    TextTooLong(TextField, usize),
}

/// Why the phone cannot be handed to the person named: nothing is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondEntrantError {
    NoName,
    /// The name is the first entrant's (as core compares names): one
    /// person cannot check their own typing.
    SamePerson,
    /// The name is over the limit of a return's texts (its size in bytes).
    TooLong(usize),
}

/// Why a correction cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorrectionError {
    NoReason,
    /// The reason is over the limit of a return's texts (its size in bytes).
    TooLong(usize),
    NoFields,
}

/// One of the two entrants of a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entrant {
    pub name: String,
    /// Whether they still have to re-type the differing fields.
    pub waiting: bool,
}

/// The two entries differ: where (never the values), and who re-types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Differing {
    /// In the paper's order.
    pub fields: Vec<Field>,
    pub entrants: Vec<Entrant>,
}

/// A change of the entry, applied to it as stored when its write's turn
/// comes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// One step of the double entry, checked by core. The drafts of stages
    /// it leaves behind are dropped with it.
    Step(EntryStep),
    /// What one person has typed so far; kept only while its stage is open.
    Draft(Stage, Draft),
    /// The review's explanations, one per warning.
    Explain(BTreeMap<RuleCode, String>),
    /// A correction of the latest signed version starts.
    Correct(Correction),
    /// A correction no one has entered yet is left.
    CancelCorrection,
    /// The draft of a stage dropped, whatever it held.
    DropDraft(Stage),
}

impl Edit {
    /// The second form is left before it is finished (the person named is
    /// not the one holding the phone, or the entry was refused as the first
    /// person's): its draft is dropped, figures and name, and the hand-over
    /// asks for a name again. Nothing typed in it reaches the next person.
    pub fn leave_second() -> Edit {
        Edit::DropDraft(Stage::Second)
    }

    /// Whether this edit makes `older`, not yet kept, needless: a newer
    /// draft of the same stage, or newer explanations, hold all it held.
    /// A screen may then keep this one alone (a person typing fast writes
    /// once a frame, not once a key); no step is ever replaced.
    pub fn replaces(&self, older: &Edit) -> bool {
        match (self, older) {
            (Edit::Draft(new, _), Edit::Draft(old, _)) => new == old,
            (Edit::Explain(_), Edit::Explain(_)) => true,
            _ => false,
        }
    }
}

/// Why an edit was not kept. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    Refused(TransitionError),
    Write(WriteError),
    /// The stored entry no longer replays.
    Damaged,
}

/// The stages whose drafts a phase may still show.
fn live(phase: &Phase) -> Vec<Stage> {
    match phase {
        Phase::AwaitingFirst => vec![Stage::First],
        Phase::AwaitingSecond { .. } => vec![Stage::Second],
        Phase::Reconciling { waiting_for, .. } => {
            waiting_for.iter().map(|n| Stage::redo(n)).collect()
        }
        Phase::Agreed => Vec::new(),
    }
}

impl Edit {
    /// The entry after this edit, or why not.
    fn apply(self, mut record: EntryRecord) -> Result<NextEntry, EditError> {
        let de = DoubleEntry::replay(&record.steps).map_err(|_| EditError::Damaged)?;
        let version = record.version;
        let de = match self {
            Edit::Step(step) => {
                let next = de.step(&step).map_err(EditError::Refused)?;
                record.steps.push(step);
                let open = live(&next.phase());
                record.drafts.retain(|k, _| open.contains(k));
                if next.agreed().is_some() {
                    record.explanations.clear();
                }
                next
            }
            Edit::Draft(stage, draft) => {
                if live(&de.phase()).contains(&stage) {
                    record.drafts.insert(stage, draft);
                }
                de
            }
            Edit::Explain(map) => {
                record.explanations = map;
                de
            }
            Edit::DropDraft(stage) => {
                record.drafts.remove(&stage);
                de
            }
            Edit::Correct(correction) => {
                record = EntryRecord {
                    version,
                    correction: Some(correction),
                    ..EntryRecord::default()
                };
                DoubleEntry::new()
            }
            Edit::CancelCorrection => {
                record = EntryRecord {
                    version,
                    ..EntryRecord::default()
                };
                DoubleEntry::new()
            }
        };
        Ok(NextEntry { record, de })
    }
}

impl PvStore {
    /// Applies `edit` to the entry of `version` as this tab's storage holds
    /// it once every earlier write has finished, and keeps the result
    /// durably. Returns the entry as kept.
    pub async fn edit(
        &self,
        s: &impl Storage,
        version: u32,
        edit: Edit,
    ) -> Result<NextEntry, EditError> {
        let out = s
            .update(|s| {
                let record = self.entry_record(s, version);
                let entry = match record.ok_or(EditError::Damaged).and_then(|r| edit.apply(r)) {
                    Ok(e) => e,
                    Err(e) => return Ok((Batch::new(), Err(e))),
                };
                let text =
                    serde_json::to_string(&entry.record).map_err(|_| WriteError::Unavailable)?;
                Ok((Batch::new().put(self.entry_key().clone(), text), Ok(entry)))
            })
            .await;
        out.map_err(EditError::Write)?
    }
}

/// A bureau's PV as its screens see it: the entry in progress and the
/// signed versions. Changed only after a write succeeded
/// ([`PvSession::edited`], [`PvSession::signed`]).
#[derive(Clone, Debug)]
pub struct PvSession {
    store: PvStore,
    entry: NextEntry,
    returns: Vec<SignedReturn>,
}

impl PvSession {
    /// The stored PV of the bureau, its entry replayed through core.
    pub fn open(s: &impl Storage, election_hash: &str, bureau: &str) -> Result<Self, PvLoadError> {
        let store = PvStore::new(election_hash, bureau);
        let stored = store.load(s)?;
        let de = DoubleEntry::replay(&stored.entry.steps).map_err(|_| PvLoadError::Damaged)?;
        Ok(PvSession {
            store,
            entry: NextEntry {
                record: stored.entry,
                de,
            },
            returns: stored.returns,
        })
    }

    pub fn store(&self) -> &PvStore {
        &self.store
    }

    pub fn entry(&self) -> &NextEntry {
        &self.entry
    }

    /// Every signed version, oldest first.
    pub fn returns(&self) -> &[SignedReturn] {
        &self.returns
    }

    /// The version the entry will be signed as.
    pub fn version(&self) -> u32 {
        self.entry.record.version
    }

    /// The correction being entered, if one is.
    pub fn correction(&self) -> Option<&Correction> {
        self.entry.record.correction.as_ref()
    }

    /// Which screen to show: the signed version until someone starts a
    /// correction, else where the double entry stands; between the two
    /// entries, the hand-over until the second person has given their name
    /// ([`PvSession::hand_over`]). A second draft without a name, or with
    /// the first entrant's (kept by the previous version of the app), is the
    /// hand-over again, and the name given there replaces it whole.
    pub fn screen(&self) -> Screen {
        let r = &self.entry.record;
        if !self.returns.is_empty() && r.steps.is_empty() && r.correction.is_none() {
            return Screen::Signed;
        }
        // Named, and not by the first entrant: a draft kept by the previous
        // version of the app may be either.
        let named = |first: &str| {
            r.drafts.get(&Stage::Second).is_some_and(|d| {
                !pointage_core::names::is_blank(&d.name)
                    && !pointage_core::names::same_person(first, &d.name)
            })
        };
        match self.entry.de.phase() {
            Phase::AwaitingFirst => Screen::First,
            Phase::AwaitingSecond { first_by } if !named(&first_by) => Screen::Handover(first_by),
            Phase::AwaitingSecond { first_by } => Screen::Second(first_by),
            Phase::Reconciling { .. } => Screen::Reconcile,
            Phase::Agreed => Screen::Review,
        }
    }

    /// The phone handed to the person named for the second entry, checked
    /// before the blind form opens: a name, and not the first entrant's
    /// (as core compares names). The edit starts the second form, empty but
    /// for that name, which it keeps.
    pub fn hand_over(&self, name: &str) -> Result<Edit, SecondEntrantError> {
        let name = name.trim();
        if pointage_core::names::is_blank(name) {
            return Err(SecondEntrantError::NoName);
        }
        if !pointage_core::text_fits(name) {
            return Err(SecondEntrantError::TooLong(name.len()));
        }
        match self.entry.de.phase() {
            Phase::AwaitingSecond { first_by }
                if pointage_core::names::same_person(&first_by, name) =>
            {
                Err(SecondEntrantError::SamePerson)
            }
            _ => Ok(Edit::Draft(
                Stage::Second,
                Draft {
                    name: name.to_owned(),
                    ..Draft::default()
                },
            )),
        }
    }

    /// The version a correction starts from, when one is being entered.
    fn correction_base(&self) -> Option<&ProcesVerbal> {
        self.correction()?;
        self.returns.last().map(|r| &r.body().pv)
    }

    /// What the form of `turn` asks and starts from.
    pub fn form(&self, turn: &Turn, candidates: &[Candidate]) -> Form {
        let chosen: Option<BTreeSet<Field>> = match (turn, self.correction()) {
            (Turn::Redo(_), _) => match self.entry.de.phase() {
                Phase::Reconciling { fields, .. } => Some(fields),
                _ => Some(BTreeSet::new()),
            },
            (_, Some(c)) => Some(pointage_core::order::set_of(c.fields.iter().cloned())),
            (_, None) => None,
        };
        let fields = Field::entry_order(candidates)
            .into_iter()
            .filter(|f| chosen.as_ref().is_none_or(|c| c.contains(f)))
            .collect();
        let base = self.correction_base();
        let start = match self.entry.record.drafts.get(&turn.stage()) {
            Some(d) => d.clone(),
            None => Draft {
                name: match turn {
                    Turn::Redo(n) => n.clone(),
                    _ => String::new(),
                },
                members: base.map(|b| b.members.clone()).unwrap_or_default(),
                observations: base.map(|b| b.observations.clone()).unwrap_or_default(),
                ..Draft::default()
            },
        };
        Form {
            fields,
            start,
            with_text: *turn == Turn::First,
        }
    }

    /// Reads what a person typed in the form of `turn` into core's step,
    /// or says what to fix first: the name, then the figures, then texts.
    pub fn typed_step(
        &self,
        turn: &Turn,
        typed: &Draft,
        candidates: &[Candidate],
    ) -> Result<EntryStep, EntryError> {
        let by = match turn {
            Turn::Redo(n) => n.clone(),
            // Named at the hand-over, and checked there.
            Turn::Second(_) => self.form(turn, candidates).start.name,
            Turn::First => typed.name.trim().to_owned(),
        };
        if pointage_core::names::is_blank(&by) {
            return Err(EntryError::NoName);
        }
        let form = self.form(turn, candidates);
        let text = |f: &Field| {
            typed
                .values
                .iter()
                .find(|(g, _)| g == f)
                .map_or("", |(_, v)| v.as_str())
        };
        let mut pv = self.correction_base().cloned().unwrap_or_default();
        let mut values = Vec::new();
        let (mut bad, mut big, mut empty) = (Vec::new(), Vec::new(), Vec::new());
        for f in &form.fields {
            match f.parse(text(f)) {
                Ok(None) if !f.optional() => empty.push(f.clone()),
                Ok(v) if pv.set_figure(f, v).is_ok() => values.push((f.clone(), v)),
                Err(NotAFigure::NotANumber) => bad.push(f.clone()),
                _ => big.push(f.clone()),
            }
        }
        if !bad.is_empty() || !big.is_empty() || !empty.is_empty() {
            return Err(EntryError::Figures {
                not_numbers: bad,
                too_large: big,
                empty,
            });
        }
        if form.with_text {
            pv.members = trimmed(&typed.members);
            pv.observations = typed.observations.trim().to_owned();
        }
        if !pointage_core::text_fits(&by) {
            return Err(EntryError::TextTooLong(TextField::Entrant, by.len()));
        }
        if form.with_text
            && let Some((field, bytes)) = pv.texts_too_long().into_iter().next()
        {
            return Err(EntryError::TextTooLong(field, bytes));
        }
        Ok(match turn {
            Turn::First => EntryStep::First { by, pv },
            Turn::Second(_) => EntryStep::Second { by, pv },
            Turn::Redo(_) => EntryStep::Reenter { by, values },
        })
    }

    /// The comparison: the differing fields in the paper's order, and the
    /// two entrants (each named once, as core compares names), each with
    /// whether they still have to re-type.
    pub fn differing(&self, candidates: &[Candidate]) -> Option<Differing> {
        let Phase::Reconciling {
            fields,
            waiting_for,
        } = self.entry.de.phase()
        else {
            return None;
        };
        let same = pointage_core::names::same_person;
        let mut entrants: Vec<Entrant> = Vec::new();
        for s in &self.entry.record.steps {
            if let EntryStep::First { by, .. } | EntryStep::Second { by, .. } = s
                && self.entry.de.own_entry(by).is_some()
                && !entrants.iter().any(|e| same(&e.name, by))
            {
                entrants.push(Entrant {
                    name: by.clone(),
                    waiting: waiting_for.iter().any(|w| same(w, by)),
                });
            }
        }
        let fields = Field::entry_order(candidates)
            .into_iter()
            .filter(|f| fields.contains(f))
            .collect();
        Some(Differing { fields, entrants })
    }

    /// A correction of the latest signed version, as chosen: its reason and
    /// the figures to re-type (in the paper's order, whatever order they
    /// were ticked in).
    pub fn correction_of(
        &self,
        reason: &str,
        ticked: &[Field],
        candidates: &[Candidate],
    ) -> Result<Correction, CorrectionError> {
        let reason = reason.trim();
        if pointage_core::names::is_blank(reason) {
            return Err(CorrectionError::NoReason);
        }
        if !pointage_core::text_fits(reason) {
            return Err(CorrectionError::TooLong(reason.len()));
        }
        let fields: Vec<Field> = Field::entry_order(candidates)
            .into_iter()
            .filter(|f| ticked.contains(f))
            .collect();
        if fields.is_empty() {
            return Err(CorrectionError::NoFields);
        }
        Ok(Correction {
            reason: reason.to_owned(),
            fields,
        })
    }

    /// An edit was kept: the entry as stored.
    pub fn edited(&mut self, entry: NextEntry) {
        self.entry = entry;
    }

    /// A version was signed and kept: the next version's entry starts empty.
    pub fn signed(&mut self, ret: SignedReturn) {
        self.returns.push(ret);
        self.entry = NextEntry {
            record: EntryRecord {
                version: self.returns.len() as u32 + 1,
                ..EntryRecord::default()
            },
            de: DoubleEntry::new(),
        };
    }
}

/// Members as the PV keeps them: each name trimmed, no empty assesseur.
fn trimmed(m: &Members) -> Members {
    Members {
        president: m.president.trim().to_owned(),
        secretaire: m.secretaire.trim().to_owned(),
        assesseurs: m
            .assesseurs
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}
