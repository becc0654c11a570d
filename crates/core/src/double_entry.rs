//! Blind double entry of the procès-verbal: two different people type the
//! figures independently; where they differ, the machine says only *which*
//! fields differ, both re-type just those, blind, until they agree (or one
//! discards their entry and someone else types it again).
//!
//! ```text
//! AwaitingFirst --finish_first(a)--> AwaitingSecond --finish_second(b≠a)--> Agreed
//!                                          |                   \-- differ --> Reconciling
//! Reconciling --reenter(a), reenter(b)--> Agreed | Reconciling (fewer or other fields)
//! AwaitingSecond --discard(a)--> AwaitingFirst
//! Reconciling --discard(x)--> AwaitingSecond (the other's entry is kept)
//! any --restart--> AwaitingFirst (an agreed PV that breaks a hard rule)
//! ```
//!
//! A device keeps a double entry as its [`EntryStep`]s and rebuilds it with
//! [`DoubleEntry::replay`], so a reload or a dead battery between two people's
//! turns loses nothing, and no stored state can skip a step.
//!
//! It never shows one entrant the other's values: the only views it gives are
//! the phase (no figures), the fields that differ, and a person's own entry.
//! Names and observations are text, typed once by the first entrant.

use crate::names::{is_blank, same_person};
use crate::pv::{Field, Figure, ProcesVerbal};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// One person's entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub by: String,
    pub pv: ProcesVerbal,
}

// One value per PV, never in a hot collection: the size gap does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    AwaitingFirst,
    AwaitingSecond {
        first: Entry,
    },
    Reconciling {
        first: Entry,
        second: Entry,
        differing: BTreeSet<Field>,
        /// Each entrant's PV with their re-typed fields applied, kept apart
        /// until both have re-typed.
        first_redo: Option<ProcesVerbal>,
        second_redo: Option<ProcesVerbal>,
    },
    Agreed {
        pv: ProcesVerbal,
        first_by: String,
        second_by: String,
    },
}

/// The double entry of one PV. Not deserialisable on purpose: it is rebuilt
/// by replaying its steps, so that no stored state can skip one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoubleEntry(State);

/// Where the double entry stands, without any figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    AwaitingFirst,
    AwaitingSecond {
        first_by: String,
    },
    /// Both must re-type `fields`; `waiting_for` are those who have not yet.
    Reconciling {
        fields: BTreeSet<Field>,
        waiting_for: Vec<String>,
    },
    Agreed,
}

/// Why a step of the double entry was refused. Nothing changes when it is.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("this step is not possible now")]
    WrongPhase,
    #[error("the entrant's name is empty")]
    NoName,
    #[error("the second entry must be typed by someone other than the first")]
    SamePerson,
    #[error("this person is not one of the two entrants")]
    NotAnEntrant,
    #[error("this person has already re-typed the differing fields")]
    AlreadyReentered,
    #[error("the re-typed fields are not exactly the differing ones")]
    WrongFields,
    #[error("a figure is too large for a count")]
    TooLarge,
}

/// One step of a double entry, as a device stores it (externally tagged:
/// the smallest serde code for the phone). Replaying the steps in
/// order through [`DoubleEntry::replay`] rebuilds the entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStep {
    First {
        by: String,
        pv: ProcesVerbal,
    },
    Second {
        by: String,
        pv: ProcesVerbal,
    },
    /// `by` re-typed the differing fields (pairs, since a [`Field`] is no
    /// JSON object key).
    Reenter {
        by: String,
        values: Vec<(Field, Figure)>,
    },
    Discard {
        by: String,
    },
    /// Both entries are dropped: the PV is entered again from the start.
    Restart,
}

fn differing(a: &ProcesVerbal, b: &ProcesVerbal) -> BTreeSet<Field> {
    let (fa, fb) = (a.figures(), b.figures());
    crate::order::set_of(
        fa.keys()
            .chain(fb.keys())
            .filter(|k| fa.get(*k).copied().flatten() != fb.get(*k).copied().flatten())
            .cloned(),
    )
}

fn compare(first: Entry, second: Entry) -> State {
    let fields = differing(&first.pv, &second.pv);
    if fields.is_empty() {
        State::Agreed {
            pv: first.pv,
            first_by: first.by,
            second_by: second.by,
        }
    } else {
        State::Reconciling {
            first,
            second,
            differing: fields,
            first_redo: None,
            second_redo: None,
        }
    }
}

impl Default for DoubleEntry {
    fn default() -> Self {
        Self::new()
    }
}

impl DoubleEntry {
    pub fn new() -> Self {
        Self(State::AwaitingFirst)
    }

    pub fn phase(&self) -> Phase {
        match &self.0 {
            State::AwaitingFirst => Phase::AwaitingFirst,
            State::AwaitingSecond { first } => Phase::AwaitingSecond {
                first_by: first.by.clone(),
            },
            State::Reconciling {
                first,
                second,
                differing,
                first_redo,
                second_redo,
            } => Phase::Reconciling {
                fields: differing.clone(),
                waiting_for: [(first, first_redo), (second, second_redo)]
                    .into_iter()
                    .filter(|(_, redo)| redo.is_none())
                    .map(|(e, _)| e.by.clone())
                    .collect(),
            },
            State::Agreed { .. } => Phase::Agreed,
        }
    }

    /// The entry `by` typed, and only theirs: never the other person's.
    pub fn own_entry(&self, by: &str) -> Option<&ProcesVerbal> {
        match &self.0 {
            State::AwaitingSecond { first } if same_person(&first.by, by) => Some(&first.pv),
            State::Reconciling { first, second, .. } => [first, second]
                .into_iter()
                .find(|e| same_person(&e.by, by))
                .map(|e| &e.pv),
            _ => None,
        }
    }

    /// The agreed PV, once both entries are equal.
    pub fn agreed(&self) -> Option<&ProcesVerbal> {
        match &self.0 {
            State::Agreed { pv, .. } => Some(pv),
            _ => None,
        }
    }

    /// The first and second entrants, once their entries agree: they are
    /// named in the signed return.
    pub fn agreed_by(&self) -> Option<(&str, &str)> {
        match &self.0 {
            State::Agreed {
                first_by,
                second_by,
                ..
            } => Some((first_by, second_by)),
            _ => None,
        }
    }

    /// The first and second entrants whose entries are held, once both are
    /// typed (compared, or agreed). After a withdrawal, the entry kept is
    /// the first, whoever typed it first.
    pub fn entrants(&self) -> Option<(&str, &str)> {
        match &self.0 {
            State::Reconciling { first, second, .. } => Some((&first.by, &second.by)),
            State::Agreed {
                first_by,
                second_by,
                ..
            } => Some((first_by, second_by)),
            _ => None,
        }
    }

    /// Takes one stored step. Nothing changes when it is refused.
    pub fn step(self, step: &EntryStep) -> Result<Self, TransitionError> {
        match step {
            EntryStep::First { by, pv } => self.finish_first(by, pv.clone()),
            EntryStep::Second { by, pv } => self.finish_second(by, pv.clone()),
            EntryStep::Reenter { by, values } => {
                self.reenter(by, crate::order::map_of(values.iter().cloned()))
            }
            EntryStep::Discard { by } => self.discard(by),
            EntryStep::Restart => Ok(Self::new()),
        }
    }

    /// Rebuilds a double entry from its stored steps. A step that does not
    /// apply means the stored steps were altered: the index of the first
    /// such step is reported, and nothing is guessed.
    pub fn replay(steps: &[EntryStep]) -> Result<Self, (usize, TransitionError)> {
        steps
            .iter()
            .enumerate()
            .try_fold(Self::new(), |de, (i, s)| de.step(s).map_err(|e| (i, e)))
    }

    pub fn finish_first(self, by: &str, pv: ProcesVerbal) -> Result<Self, TransitionError> {
        if is_blank(by) {
            return Err(TransitionError::NoName);
        }
        match self.0 {
            State::AwaitingFirst => Ok(Self(State::AwaitingSecond {
                first: Entry {
                    by: by.trim().to_owned(),
                    pv,
                },
            })),
            _ => Err(TransitionError::WrongPhase),
        }
    }

    pub fn finish_second(self, by: &str, pv: ProcesVerbal) -> Result<Self, TransitionError> {
        if is_blank(by) {
            return Err(TransitionError::NoName);
        }
        match self.0 {
            State::AwaitingSecond { first } => {
                if same_person(&first.by, by) {
                    return Err(TransitionError::SamePerson);
                }
                let second = Entry {
                    by: by.trim().to_owned(),
                    pv,
                };
                Ok(Self(compare(first, second)))
            }
            _ => Err(TransitionError::WrongPhase),
        }
    }

    /// `by` re-types, blind, exactly the differing fields. When both have,
    /// the entries are compared again.
    pub fn reenter(
        self,
        by: &str,
        values: BTreeMap<Field, Figure>,
    ) -> Result<Self, TransitionError> {
        let State::Reconciling {
            mut first,
            mut second,
            differing,
            mut first_redo,
            mut second_redo,
        } = self.0
        else {
            return Err(TransitionError::WrongPhase);
        };
        if values.keys().ne(differing.iter()) {
            return Err(TransitionError::WrongFields);
        }
        let (entry, slot) = if same_person(&first.by, by) {
            (&first, &mut first_redo)
        } else if same_person(&second.by, by) {
            (&second, &mut second_redo)
        } else {
            return Err(TransitionError::NotAnEntrant);
        };
        if slot.is_some() {
            return Err(TransitionError::AlreadyReentered);
        }
        // Apply to a copy now, so a value that does not fit is refused at
        // once, not when the other has re-typed too.
        let mut redone = entry.pv.clone();
        for (field, v) in &values {
            redone
                .set_figure(field, *v)
                .map_err(|_| TransitionError::TooLarge)?;
        }
        *slot = Some(redone);
        match (first_redo, second_redo) {
            (Some(a), Some(b)) => {
                first.pv = a;
                second.pv = b;
                Ok(Self(compare(first, second)))
            }
            (first_redo, second_redo) => Ok(Self(State::Reconciling {
                first,
                second,
                differing,
                first_redo,
                second_redo,
            })),
        }
    }

    /// `by` withdraws their entry; the other entry (if any) is kept and waits
    /// for a new second entrant.
    pub fn discard(self, by: &str) -> Result<Self, TransitionError> {
        match self.0 {
            State::AwaitingSecond { first } if same_person(&first.by, by) => {
                Ok(Self(State::AwaitingFirst))
            }
            State::Reconciling { first, second, .. } => {
                if same_person(&first.by, by) {
                    Ok(Self(State::AwaitingSecond { first: second }))
                } else if same_person(&second.by, by) {
                    Ok(Self(State::AwaitingSecond { first }))
                } else {
                    Err(TransitionError::NotAnEntrant)
                }
            }
            State::AwaitingSecond { .. } => Err(TransitionError::NotAnEntrant),
            _ => Err(TransitionError::WrongPhase),
        }
    }
}
