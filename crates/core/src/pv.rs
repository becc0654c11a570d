//! The procès-verbal (the bureau's return) as the two entrants type it: every
//! count is an `Option`, because a field nobody has typed yet is not zero.
//!
//! It holds no rule: `rules` judges a PV; this module only carries it.

use crate::election::Candidate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The figures and names of one bureau's procès-verbal. A field absent from
/// its JSON is "not entered".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProcesVerbal {
    /// Registered voters; `None` in an open primary with no closed list.
    pub inscrits: Option<u32>,
    /// Signatures on the émargement list (votants).
    pub emargements: Option<u32>,
    /// Envelopes (and loose ballots) found in the urn.
    pub enveloppes: Option<u32>,
    /// Blank ballots and empty envelopes.
    pub blancs: Option<u32>,
    /// Spoiled ballots.
    pub nuls: Option<u32>,
    /// Valid votes.
    pub exprimes: Option<u32>,
    /// Votes per candidate id. A candidate of the election absent from this
    /// map has not been entered yet.
    pub voix: BTreeMap<String, Option<u32>>,
    /// Money collected, in euro cents (primaries only).
    pub contributions_cents: Option<u64>,
    pub members: Members,
    /// Incidents, complaints, decisions, the explanation of any gap.
    pub observations: String,
}

/// The members of the bureau who sign the PV.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Members {
    pub president: String,
    pub secretaire: String,
    pub assesseurs: Vec<String>,
}

/// A text of a return, so that a refusal can name it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// An entrant's name.
    Entrant,
    President,
    Secretaire,
    /// One assesseur's name.
    Assesseur,
    Observations,
    /// The written explanation of a warning.
    Explanation(crate::rules::RuleCode),
    /// Why a signed version is corrected.
    CorrectionReason,
}

/// Whether a text of a return fits its limit ([`MAX_TEXT_BYTES`] of UTF-8).
pub fn text_fits(text: &str) -> bool {
    text.len() <= MAX_TEXT_BYTES
}

/// The longest text of a return, in bytes of UTF-8 (an accented letter is
/// two).
pub const MAX_TEXT_BYTES: usize = 4_000;

impl ProcesVerbal {
    /// The PV's texts over the limit, each with its length in bytes, in the
    /// order of the form.
    pub fn texts_too_long(&self) -> Vec<(TextField, usize)> {
        let m = &self.members;
        [
            (TextField::President, &m.president),
            (TextField::Secretaire, &m.secretaire),
        ]
        .into_iter()
        .chain(m.assesseurs.iter().map(|a| (TextField::Assesseur, a)))
        .chain([(TextField::Observations, &self.observations)])
        .filter(|(_, t)| !text_fits(t))
        .map(|(f, t)| (f, t.len()))
        .collect()
    }
}

/// A field of the PV that a rule can name, so that a screen can point at it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Inscrits,
    Emargements,
    Enveloppes,
    Blancs,
    Nuls,
    Exprimes,
    /// The votes of one candidate (or a count for an id that is no candidate).
    Voix(String),
    Contributions,
}

impl Field {
    /// The figures of a PV in the order of DOMAIN.md's table, candidates in
    /// panel order: the order an entry screen asks them in.
    pub fn entry_order(candidates: &[Candidate]) -> Vec<Field> {
        let mut panel: Vec<&Candidate> = candidates.iter().collect();
        crate::order::sort_by_key(&mut panel, |c| c.panel);
        let mut out = vec![
            Field::Inscrits,
            Field::Emargements,
            Field::Enveloppes,
            Field::Blancs,
            Field::Nuls,
        ];
        out.extend(panel.into_iter().map(|c| Field::Voix(c.id.clone())));
        out.extend([Field::Exprimes, Field::Contributions]);
        out
    }

    /// Reads what a person typed for this figure: empty is "not entered";
    /// a count is a whole number that fits (spaces allowed, as in "1 787");
    /// contributions are euros with up to two decimals ("152,50" or
    /// "152.50"), kept in cents. Anything else is refused, never guessed.
    pub fn parse(&self, typed: &str) -> Result<Figure, NotAFigure> {
        match self {
            Field::Contributions => {
                let text = without_spaces(typed);
                if text.is_empty() {
                    return Ok(None);
                }
                let text = text.trim_end_matches('€');
                let (euros, cents) = match text.split_once([',', '.']) {
                    None => (text, 0),
                    Some((e, c)) if c.len() == 2 => (e, whole(c)?),
                    Some((e, c)) if c.len() == 1 => (e, whole(c)? * 10),
                    Some(_) => return Err(NotAFigure::NotANumber),
                };
                whole(euros)?
                    .checked_mul(100)
                    .and_then(|e| e.checked_add(cents))
                    .map(Some)
                    .ok_or(NotAFigure::TooLarge)
            }
            _ => Ok(parse_count(typed)?.map(u64::from)),
        }
    }

    /// Whether the PV may leave this figure empty: inscrits (an open primary
    /// has no list) and contributions (primaries only). Every other figure
    /// must be typed; empty is never taken for zero.
    pub fn optional(&self) -> bool {
        matches!(self, Field::Inscrits | Field::Contributions)
    }
}

/// What a person typed, without its spaces (`char::is_whitespace` covers the
/// no-break spaces of "1 787" as French writes it).
fn without_spaces(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Digits only, as a whole number.
fn whole(s: &str) -> Result<u64, NotAFigure> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NotAFigure::NotANumber);
    }
    // Digits only: it can only fail by being too large.
    s.parse().map_err(|_| NotAFigure::TooLarge)
}

/// Reads a count as a person typed it: empty is "not entered"; otherwise a
/// whole number that fits a count, spaces allowed. The PV's figures and the
/// counting screen's fields read counts with this one function.
pub fn parse_count(typed: &str) -> Result<Option<u32>, NotAFigure> {
    let text = without_spaces(typed);
    if text.is_empty() {
        return Ok(None);
    }
    u32::try_from(whole(&text)?)
        .map(Some)
        .map_err(|_| NotAFigure::TooLarge)
}

/// A figure of the PV as typed (`None`: not entered), whatever its field.
pub type Figure = Option<u64>;

impl ProcesVerbal {
    /// Every figure of the PV, keyed by field: what double entry compares.
    /// Names and observations are text, entered once, not compared.
    pub fn figures(&self) -> BTreeMap<Field, Figure> {
        let counts = [
            (Field::Inscrits, self.inscrits),
            (Field::Emargements, self.emargements),
            (Field::Enveloppes, self.enveloppes),
            (Field::Blancs, self.blancs),
            (Field::Nuls, self.nuls),
            (Field::Exprimes, self.exprimes),
        ];
        let mut out = crate::order::map_of(counts.map(|(f, v)| (f, v.map(u64::from))));
        for (id, v) in &self.voix {
            out.insert(Field::Voix(id.clone()), v.map(u64::from));
        }
        out.insert(Field::Contributions, self.contributions_cents);
        out
    }

    /// The figures that must be typed and are not: the PV's own counts, then
    /// the candidates' votes in the order given. Rule H3 reports them; an
    /// entry screen flags them before the entry is finished.
    pub fn empty_required(&self, candidates: &[Candidate]) -> Vec<Field> {
        let figures = self.figures();
        let own = [
            Field::Emargements,
            Field::Enveloppes,
            Field::Blancs,
            Field::Nuls,
            Field::Exprimes,
        ];
        own.into_iter()
            .chain(candidates.iter().map(|c| Field::Voix(c.id.clone())))
            .filter(|f| figures.get(f).copied().flatten().is_none())
            .collect()
    }

    /// Sets one figure. A value too large for a count is refused and nothing
    /// changes.
    pub fn set_figure(&mut self, field: &Field, value: Figure) -> Result<(), FigureTooLarge> {
        let count = |v: Figure| v.map(u32::try_from).transpose().map_err(|_| FigureTooLarge);
        match field {
            Field::Inscrits => self.inscrits = count(value)?,
            Field::Emargements => self.emargements = count(value)?,
            Field::Enveloppes => self.enveloppes = count(value)?,
            Field::Blancs => self.blancs = count(value)?,
            Field::Nuls => self.nuls = count(value)?,
            Field::Exprimes => self.exprimes = count(value)?,
            Field::Voix(id) => {
                let v = count(value)?;
                self.voix.insert(id.clone(), v);
            }
            Field::Contributions => self.contributions_cents = value,
        }
        Ok(())
    }
}

impl ProcesVerbal {
    /// The PV a person means when correcting a signed one: `self` with the
    /// figures they re-typed for the fields being corrected, and nothing else
    /// changed. Each entrant of a correction's double entry types only those
    /// fields, blind; the comparison can then only find differences there.
    pub fn corrected(&self, typed: &BTreeMap<Field, Figure>) -> Result<Self, FigureTooLarge> {
        let mut pv = self.clone();
        for (field, value) in typed {
            pv.set_figure(field, *value)?;
        }
        Ok(pv)
    }
}

/// What a person typed is not a figure of that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAFigure {
    /// Not a whole number (or euros with up to two decimals).
    #[error("this is not a number")]
    NotANumber,
    /// A number too large for the field (a count holds 4,294,967,295).
    #[error("this number is too large")]
    TooLarge,
}

/// A figure above what a count can hold (4,294,967,295).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this figure is too large for a count")]
pub struct FigureTooLarge;
