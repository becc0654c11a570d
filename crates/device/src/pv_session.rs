//! The PV session: what the PV screens ask of the phone, in the order of the
//! procedure. The screens draw it and hand it what a person typed; every
//! decision is here or in core:
//! - which screen the PV is at ([`Screen`]), and which figures a form asks
//!   and what it starts from ([`PvSession::form`]): empty, or that stage's
//!   own draft, never another person's figures;
//! - what a person typed, read into core's step ([`PvSession::typed_step`]),
//!   or refused with its cause ([`EntryRefusal`]);
//! - the entrants of a comparison, named once with core's comparison of
//!   names ([`PvSession::differing`]);
//! - each change of the entry ([`Edit`]), applied to the entry as stored
//!   when its write's turn comes ([`PvStore::edit`]), so that two changes
//!   made before the first is kept never undo each other;
//! - the review (core's rules, texts too long to sign) and signing through
//!   a [`Signer`] (WebCrypto on the phone).

use pointage_core::rules::{self, Finding};
use pointage_core::signature::{SignatureCheck, Verified};
use pointage_core::{
    Candidate, DoubleEntry, ElectionView, EntryStep, Field, Members, NotAFigure, Phase,
    ProcesVerbal, ReturnDraft, RuleCode, SignError, SignedReturn, TallyLog, TallySummary,
    TextField, TransitionError, UnsignedReturn,
};
use std::collections::{BTreeMap, BTreeSet};

use crate::pv::{Correction, Draft, EntryRecord, PvLoadError, PvStore, Stage};
use crate::store::{Batch, Storage, WriteError};

/// The entry of the next version, and core's double entry replayed from it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub record: EntryRecord,
    pub de: DoubleEntry,
}

/// Which screen the PV is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    First,
    /// The second, blind entry; the first entrant's name.
    Second(String),
    Reconcile,
    Review,
    Signed,
}

/// Which entry form a person fills in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    First,
    /// The second, blind entry; the first entrant's name.
    Second(String),
    /// One entrant re-types the differing fields.
    Redo(String),
}

impl Mode {
    /// The stage its draft is kept under.
    pub fn stage(&self) -> Stage {
        match self {
            Mode::First => Stage::First,
            Mode::Second(_) => Stage::Second,
            Mode::Redo(name) => Stage::redo(name),
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
pub enum EntryRefusal {
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

/// Why a correction cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorrectionRefusal {
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

/// The agreed PV, read over before signing.
#[derive(Clone, Debug)]
pub struct Review {
    pub pv: ProcesVerbal,
    pub by: (String, String),
    /// Core's rules, with the tally as a third source when there is one.
    pub findings: Vec<Finding>,
    pub tally: Option<TallySummary>,
    /// Texts too long for a return (entered by an older version that did
    /// not refuse them): only starting again can shorten them.
    pub too_long: Vec<(TextField, usize)>,
    /// Each warning's explanation to start from: as typed before; for a
    /// correction, as the replaced version gave it; for W1, the gap's
    /// explanation written at the close of polls.
    pub explanations: Vec<(RuleCode, String)>,
    /// The bureau's inscrits in the election's definition, if it has them.
    pub inscrits_defined: Option<u32>,
}

/// What a broken rule is about, for the person to read under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// H4 because the PV's inscrits are not the definition's: these are.
    InscritsDefined(u32),
    /// H5: a figure of the PV against the tally's count of it.
    TallyGap {
        field: Field,
        counted: u64,
        typed: u64,
    },
    /// H5: a packet whose marks do not add up (still open, or short).
    PacketOpen(u32),
}

impl Review {
    /// What the person reads under `finding`: for H4 the definition's
    /// inscrits, for H5 each field's tally against the PV and the packets
    /// not closed; nothing for the other rules (their sentence says it).
    pub fn details(&self, finding: &Finding) -> Vec<Detail> {
        match finding.code {
            RuleCode::H4 => match self.inscrits_defined {
                Some(n) if self.pv.inscrits != Some(n) => vec![Detail::InscritsDefined(n)],
                _ => Vec::new(),
            },
            RuleCode::H5 => {
                let Some(s) = &self.tally else {
                    return Vec::new();
                };
                let figures = self.pv.figures();
                let gaps = finding.fields.iter().filter_map(|field| {
                    let counted = match field {
                        Field::Blancs => s.blancs,
                        Field::Nuls => s.nuls,
                        Field::Voix(id) => s.voix.get(id).copied().unwrap_or(0),
                        _ => return None,
                    };
                    let typed = figures.get(field).copied().flatten()?;
                    Some(Detail::TallyGap {
                        field: field.clone(),
                        counted,
                        typed,
                    })
                });
                gaps.chain(s.unbalanced_packets.iter().map(|n| Detail::PacketOpen(*n)))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether something must change before the PV can be signed.
    pub fn blocked(&self) -> bool {
        !self.too_long.is_empty()
            || self
                .findings
                .iter()
                .any(|f| f.code.severity() == rules::Severity::Error)
    }
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
}

/// Why an edit was not kept. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    Refused(TransitionError),
    Write(WriteError),
    /// The stored entry no longer replays.
    Damaged,
}

/// Signs on the phone's behalf (WebCrypto, with a key that never leaves
/// it) and checks signatures core lists.
pub trait Signer {
    /// The signature of `message` with the bureau key, or `None` when the
    /// key cannot be read or used.
    fn sign(&self, message: Vec<u8>) -> impl Future<Output = Option<Vec<u8>>>;
    /// The checks whose signature holds.
    fn verified(&self, checks: Vec<SignatureCheck>) -> impl Future<Output = Verified>;
}

/// Why a signed version was not kept. Nothing was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignFailure {
    /// The key did not sign, or its signature does not hold for the key the
    /// return names.
    KeyUnreadable,
    Write(WriteError),
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
    fn apply(self, mut record: EntryRecord) -> Result<Entry, EditError> {
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
        Ok(Entry { record, de })
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
    ) -> Result<Entry, EditError> {
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

    /// Signs `unsigned` through `signer`, checks the signature, and keeps
    /// the signed version after `previous` with its place in the outbox,
    /// dropping the finished entry, in one write.
    pub async fn sign(
        &self,
        s: &impl Storage,
        previous: &[SignedReturn],
        unsigned: UnsignedReturn,
        signer: &impl Signer,
    ) -> Result<SignedReturn, SignFailure> {
        let sig = signer
            .sign(unsigned.message())
            .await
            .ok_or(SignFailure::KeyUnreadable)?;
        let check = unsigned
            .signature_check(&sig)
            .map_err(|_| SignFailure::KeyUnreadable)?;
        let held = signer.verified(vec![check]).await;
        let signed = unsigned
            .assemble_with(&sig, &held)
            .map_err(|_| SignFailure::KeyUnreadable)?;
        self.store_signed(s, previous, &signed)
            .await
            .map_err(SignFailure::Write)?;
        Ok(signed)
    }
}

/// A bureau's PV as its screens see it: the entry in progress and the
/// signed versions. Changed only after a write succeeded
/// ([`PvSession::edited`], [`PvSession::signed`]).
#[derive(Clone, Debug)]
pub struct PvSession {
    store: PvStore,
    entry: Entry,
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
            entry: Entry {
                record: stored.entry,
                de,
            },
            returns: stored.returns,
        })
    }

    pub fn store(&self) -> &PvStore {
        &self.store
    }

    pub fn entry(&self) -> &Entry {
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
    /// correction, else where the double entry stands.
    pub fn screen(&self) -> Screen {
        let r = &self.entry.record;
        if !self.returns.is_empty() && r.steps.is_empty() && r.correction.is_none() {
            return Screen::Signed;
        }
        match self.entry.de.phase() {
            Phase::AwaitingFirst => Screen::First,
            Phase::AwaitingSecond { first_by } => Screen::Second(first_by),
            Phase::Reconciling { .. } => Screen::Reconcile,
            Phase::Agreed => Screen::Review,
        }
    }

    /// The version a correction starts from, when one is being entered.
    fn correction_base(&self) -> Option<&ProcesVerbal> {
        self.correction()?;
        self.returns.last().map(|r| &r.body().pv)
    }

    /// What the form of `mode` asks and starts from.
    pub fn form(&self, mode: &Mode, candidates: &[Candidate]) -> Form {
        let chosen: Option<BTreeSet<Field>> = match (mode, self.correction()) {
            (Mode::Redo(_), _) => match self.entry.de.phase() {
                Phase::Reconciling { fields, .. } => Some(fields),
                _ => Some(BTreeSet::new()),
            },
            (_, Some(c)) => Some(c.fields.iter().cloned().collect()),
            (_, None) => None,
        };
        let fields = Field::entry_order(candidates)
            .into_iter()
            .filter(|f| chosen.as_ref().is_none_or(|c| c.contains(f)))
            .collect();
        let base = self.correction_base();
        let start = match self.entry.record.drafts.get(&mode.stage()) {
            Some(d) => d.clone(),
            None => Draft {
                name: match mode {
                    Mode::Redo(n) => n.clone(),
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
            with_text: *mode == Mode::First,
        }
    }

    /// Reads what a person typed in the form of `mode` into core's step,
    /// or says what to fix first: the name, then the figures, then texts.
    pub fn typed_step(
        &self,
        mode: &Mode,
        typed: &Draft,
        candidates: &[Candidate],
    ) -> Result<EntryStep, EntryRefusal> {
        let by = match mode {
            Mode::Redo(n) => n.clone(),
            _ => typed.name.trim().to_owned(),
        };
        if pointage_core::names::is_blank(&by) {
            return Err(EntryRefusal::NoName);
        }
        let form = self.form(mode, candidates);
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
            return Err(EntryRefusal::Figures {
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
            return Err(EntryRefusal::TextTooLong(TextField::Entrant, by.len()));
        }
        if form.with_text
            && let Some((field, bytes)) = pv.texts_too_long().into_iter().next()
        {
            return Err(EntryRefusal::TextTooLong(field, bytes));
        }
        Ok(match mode {
            Mode::First => EntryStep::First { by, pv },
            Mode::Second(_) => EntryStep::Second { by, pv },
            Mode::Redo(_) => EntryStep::Reenter { by, values },
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
    ) -> Result<Correction, CorrectionRefusal> {
        let reason = reason.trim();
        if pointage_core::names::is_blank(reason) {
            return Err(CorrectionRefusal::NoReason);
        }
        if !pointage_core::text_fits(reason) {
            return Err(CorrectionRefusal::TooLong(reason.len()));
        }
        let fields: Vec<Field> = Field::entry_order(candidates)
            .into_iter()
            .filter(|f| ticked.contains(f))
            .collect();
        if fields.is_empty() {
            return Err(CorrectionRefusal::NoFields);
        }
        Ok(Correction {
            reason: reason.to_owned(),
            fields,
        })
    }

    /// The agreed PV with what core's rules find in it, once both entries
    /// agree.
    pub fn review(&self, election: &ElectionView, tally: Option<&TallyLog>) -> Option<Review> {
        let pv = self.entry.de.agreed()?.clone();
        let (a, b) = self.entry.de.agreed_by()?;
        let summary = tally.map(TallyLog::summary);
        let findings = rules::check(election, &election.bureau.code, &pv, summary.as_ref());
        let too_long = [a, b]
            .into_iter()
            .filter(|n| !pointage_core::text_fits(n))
            .map(|n| (TextField::Entrant, n.len()))
            .chain(pv.texts_too_long())
            .collect();
        let polls_note = tally.and_then(|l| l.polls().map(|p| p.explanation.clone()));
        let kept = &self.entry.record.explanations;
        // A correction starts from the explanations of the version it
        // replaces, each warning that still stands keeping its words.
        let replaced = self
            .correction()
            .and_then(|_| self.returns.last())
            .map(|r| &r.body().explanations);
        let explanations = findings
            .iter()
            .filter(|f| f.code.severity() == rules::Severity::Warning)
            .map(|f| {
                let start = kept
                    .get(&f.code)
                    .or_else(|| replaced.and_then(|e| e.get(&f.code)))
                    .cloned()
                    .or_else(|| {
                        (f.code == RuleCode::W1)
                            .then(|| polls_note.clone())
                            .flatten()
                    })
                    .unwrap_or_default();
                (f.code, start)
            })
            .collect();
        Some(Review {
            pv,
            by: (a.to_owned(), b.to_owned()),
            findings,
            tally: summary,
            too_long,
            explanations,
            inscrits_defined: election.bureau.inscrits,
        })
    }

    /// The agreed PV as a return to sign: core's checks, before the key is
    /// asked. `explanations` as the review holds them.
    pub fn unsigned(
        &self,
        election: &ElectionView,
        device_key: &str,
        tally: Option<&TallyLog>,
        explanations: BTreeMap<RuleCode, String>,
        now: u64,
    ) -> Result<UnsignedReturn, SignError> {
        let correction = self
            .correction()
            .and_then(|c| Some((self.returns.last()?, c.reason.clone())));
        let draft = ReturnDraft {
            bureau: &election.bureau.code,
            entry: &self.entry.de,
            explanations,
            tally,
            correction,
        };
        SignedReturn::prepare(election, draft, device_key, now)
    }

    /// An edit was kept: the entry as stored.
    pub fn edited(&mut self, entry: Entry) {
        self.entry = entry;
    }

    /// A version was signed and kept: the next version's entry starts empty.
    pub fn signed(&mut self, ret: SignedReturn) {
        self.returns.push(ret);
        self.entry = Entry {
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
