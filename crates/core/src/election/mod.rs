//! An election as the bureaux see it: its candidates and its bureaux, checked
//! once when it is built so that nothing downstream meets an election with two
//! candidates of the same id or a bureau without a code.
//!
//! It never does I/O: the server stores elections and the app caches them.
//! Its content hash (SHA-256 of its canonical encoding) names the exact
//! definition a return was made under.

use crate::canonical;
use crate::election_view::DeviceEnrollment;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use thiserror::Error;

use crate::day::check_day;
pub use crate::day::{Checkpoint, CheckpointKind, Day, MAX_CHECKPOINTS, rfc3339_ms};
pub use crate::qualification::Qualification;

/// A candidate (or list) that voix are counted for. There are no write-ins:
/// the candidates of an election are a closed list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Stable identifier, used in returns (never the display name, which may be
    /// corrected).
    pub id: String,
    /// The panel number (numéro de panneau), from 1: the order of the ballot.
    pub panel: u32,
    pub name: String,
}

/// A bureau de vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Bureau {
    /// The bureau's code, unique within its election (for example `075-012`).
    pub code: String,
    pub name: String,
    pub commune: String,
    /// Registered voters, where there is a closed list. An open primary has
    /// none: "not known" is not zero.
    pub inscrits: Option<u32>,
}

/// Whether an election counts for real. A test election's returns are never
/// added to a live one's, and the flag is part of every signed return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Live,
    Test,
}

/// One round of an election. Deserialising goes through [`Election::new`], so
/// an election read from the network or from storage is checked like any other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "ElectionInfo")]
pub struct Election {
    id: String,
    name: String,
    round: u8,
    date: String,
    mode: Mode,
    candidates: Vec<Candidate>,
    bureaux: Vec<Bureau>,
    /// The day's checkpoints; absent from a definition that has none (whose
    /// hash is then what it always was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    day: Option<Day>,
    /// What the round decides, when the definition names it; absent
    /// otherwise (and from the hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qualification: Option<Qualification>,
    /// Derived once from the fields above, which cannot change after
    /// construction: a server checking tens of thousands of returns against
    /// a national election must not re-hash or scan it for each.
    #[serde(skip)]
    hash: String,
    #[serde(skip)]
    bureau_index: HashMap<String, usize>,
}

impl TryFrom<ElectionInfo> for Election {
    type Error = ElectionError;
    fn try_from(info: ElectionInfo) -> Result<Self, Self::Error> {
        Election::new(info)
    }
}

/// Everything an election is made of, before it is checked: also its
/// shape on the wire, read before core checks it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionInfo {
    pub id: String,
    pub name: String,
    pub round: u8,
    pub date: String,
    pub mode: Mode,
    pub candidates: Vec<Candidate>,
    pub bureaux: Vec<Bureau>,
    #[serde(default)]
    pub day: Option<Day>,
    #[serde(default)]
    pub qualification: Option<Qualification>,
}

/// Identifiers (election, candidate, bureau) travel in URLs, file names and
/// signed returns: 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
pub fn is_identifier(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| s.get(r)?.parse::<u32>().ok())
    };
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
}

impl Bureau {
    /// What every bureau of a definition must be: a code that is an
    /// identifier, a name and a commune, each one line with nothing that
    /// acts on a display. The one check, for a definition and for a
    /// spreadsheet's line ([`crate::roster`]).
    pub fn check(&self) -> Result<(), ElectionError> {
        if !is_identifier(&self.code)
            || crate::names::is_blank(&self.name)
            || crate::names::is_blank(&self.commune)
        {
            return Err(ElectionError::BlankBureau(self.code.clone()));
        }
        if !clean(&self.name) || !clean(&self.commune) {
            return Err(ElectionError::ControlCharacter(format!(
                "bureau {}'s name or commune",
                self.code
            )));
        }
        Ok(())
    }
}

/// Why an election could not be built.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ElectionError {
    #[error("the election identifier {0:?} is not 1 to 64 letters, digits, '-', '_' or '.'")]
    InvalidId(String),
    #[error("the election has no name")]
    MissingName,
    #[error("the round must be 1 or more")]
    InvalidRound,
    #[error("the date {0:?} is not a day written YYYY-MM-DD")]
    InvalidDate(String),
    #[error("the election has no candidate")]
    NoCandidate,
    #[error(
        "candidate {0:?} needs an identifier of 1 to 64 letters, digits, '-', '_' or '.' and a name"
    )]
    BlankCandidate(String),
    #[error("candidate {0:?} must have a panel number above the previous candidate's")]
    PanelOrder(String),
    #[error("two candidates share the identifier {0:?}")]
    DuplicateCandidate(String),
    #[error("the election has no bureau")]
    NoBureau,
    #[error(
        "bureau {0:?} needs a code of 1 to 64 letters, digits, '-', '_' or '.', a name and a commune"
    )]
    BlankBureau(String),
    #[error("two bureaux share the code {0:?}")]
    DuplicateBureau(String),
    #[error("the election cannot be encoded")]
    NotEncodable,
    #[error("the day's time zone must be named (Europe/Paris), in at most 64 characters")]
    TimeZone,
    #[error("the day has more than 8 checkpoints")]
    TooManyCheckpoints,
    #[error("checkpoint {0:?} needs an identifier of 1 to 64 letters, digits, '-', '_' or '.'")]
    CheckpointId(String),
    #[error("two checkpoints share the identifier {0:?}")]
    DuplicateCheckpoint(String),
    #[error(
        "checkpoint {0:?}: its time is not written YYYY-MM-DDTHH:MM:SS+HH:MM on the polling day"
    )]
    CheckpointTime(String),
    #[error("checkpoint {0:?} is not due after the one before it")]
    CheckpointOrder(String),
    #[error(
        "the qualification rule decides nothing, or sends {first} of {candidates} candidates on: it needs an absolute majority, or fewer going on than there are candidates"
    )]
    Qualification { first: u8, candidates: usize },
    #[error("checkpoint {0:?}: only the first checkpoint may be the opening")]
    OpeningNotFirst(String),
    /// A name holds a character that acts on a display instead of showing
    /// (a control, or a bidirectional embedding, override or isolate).
    #[error("{0} holds a control or bidirectional character")]
    ControlCharacter(String),
}

/// Whether `c` acts on a terminal or a page instead of showing: a C0
/// control but the line feed, DEL, a C1 control, or a bidirectional mark,
/// embedding, override or isolate (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069). No name of a definition holds one, and the verifier
/// writes any it prints as `\u{…}`.
pub fn acts_on_display(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether a name of the definition is one line holding nothing that acts
/// on a display.
pub(crate) fn clean(text: &str) -> bool {
    !text.chars().any(|c| acts_on_display(c) || c == '\n')
}

impl Election {
    /// Builds an election, refusing one that a bureau could not count for.
    pub fn new(info: ElectionInfo) -> Result<Self, ElectionError> {
        let ElectionInfo {
            id,
            name,
            round,
            date,
            mode,
            candidates,
            bureaux,
            day,
            qualification,
        } = info;
        if !is_identifier(&id) {
            return Err(ElectionError::InvalidId(id));
        }
        if crate::names::is_blank(&name) {
            return Err(ElectionError::MissingName);
        }
        if !clean(&name) {
            return Err(ElectionError::ControlCharacter(
                "the election's name".into(),
            ));
        }
        if round == 0 {
            return Err(ElectionError::InvalidRound);
        }
        if !is_date(&date) {
            return Err(ElectionError::InvalidDate(date));
        }
        if candidates.is_empty() {
            return Err(ElectionError::NoCandidate);
        }
        let mut seen = HashSet::new();
        let mut last_panel = 0;
        for c in &candidates {
            if !is_identifier(&c.id) || crate::names::is_blank(&c.name) {
                return Err(ElectionError::BlankCandidate(c.id.clone()));
            }
            if !clean(&c.name) {
                return Err(ElectionError::ControlCharacter(format!(
                    "candidate {}'s name",
                    c.id
                )));
            }
            if !seen.insert(c.id.as_str()) {
                return Err(ElectionError::DuplicateCandidate(c.id.clone()));
            }
            if c.panel <= last_panel {
                return Err(ElectionError::PanelOrder(c.id.clone()));
            }
            last_panel = c.panel;
        }
        if bureaux.is_empty() {
            return Err(ElectionError::NoBureau);
        }
        // The index by code is built in the same pass that finds duplicates.
        let mut bureau_index = HashMap::with_capacity(bureaux.len());
        for (i, b) in bureaux.iter().enumerate() {
            b.check()?;
            if bureau_index.insert(b.code.clone(), i).is_some() {
                return Err(ElectionError::DuplicateBureau(b.code.clone()));
            }
        }
        if let Some(d) = &day {
            check_day(d, &date)?;
        }
        if let Some(q) = qualification {
            q.check(candidates.len())?;
        }
        let mut election = Self {
            id,
            name,
            round,
            date,
            mode,
            candidates,
            bureaux,
            day,
            qualification,
            hash: String::new(),
            bureau_index,
        };
        let bytes = canonical::encode(&election).map_err(|_| ElectionError::NotEncodable)?;
        election.hash = hex::encode(Sha256::digest(&bytes));
        Ok(election)
    }

    /// The content hash of this definition: lowercase hex SHA-256 of its
    /// canonical encoding. Every return names the hash it was made under.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The election's title.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The round (tour), from 1.
    pub fn round(&self) -> u8 {
        self.round
    }

    /// The polling day, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.date
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Everything the election is made of, to build a changed one (which is a
    /// new definition, with a new hash).
    pub fn info(&self) -> ElectionInfo {
        ElectionInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            round: self.round,
            date: self.date.clone(),
            mode: self.mode,
            candidates: self.candidates.clone(),
            bureaux: self.bureaux.clone(),
            day: self.day.clone(),
            qualification: self.qualification,
        }
    }

    /// What the round decides, as the definition names it
    /// ([`Qualification::TWO_ROUNDS`] when it names none).
    pub fn qualification(&self) -> Qualification {
        self.qualification.unwrap_or(Qualification::TWO_ROUNDS)
    }

    /// The day's checkpoints, in the order they are due (none when the
    /// definition names none).
    pub fn checkpoints(&self) -> &[Checkpoint] {
        self.day.as_ref().map_or(&[], |d| d.checkpoints.as_slice())
    }

    pub fn day(&self) -> Option<&Day> {
        self.day.as_ref()
    }

    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    pub fn bureaux(&self) -> &[Bureau] {
        &self.bureaux
    }

    pub fn bureau(&self, code: &str) -> Option<&Bureau> {
        self.bureaux.get(*self.bureau_index.get(code)?)
    }

    /// What a device enrolled for one of this election's bureaux keeps about
    /// it, or `None` when the election has no such bureau.
    pub fn enrollment_for(&self, bureau_code: &str) -> Option<DeviceEnrollment> {
        let bureau = self.bureau(bureau_code)?;
        Some(DeviceEnrollment {
            election_id: self.id.clone(),
            election_name: self.name.clone(),
            round: self.round,
            bureau_code: bureau.code.clone(),
            bureau_name: bureau.name.clone(),
        })
    }
}

#[cfg(test)]
mod tests;
