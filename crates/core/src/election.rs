//! An election as the bureaux see it: its candidates and its bureaux, checked
//! once when it is built so that nothing downstream meets an election with two
//! candidates of the same id or a bureau without a code.
//!
//! It never does I/O: the server stores elections and the app caches them.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use thiserror::Error;

/// A candidate (or list) that voix are counted for. There are no write-ins:
/// the candidates of an election are a closed list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Stable identifier, used in returns (never the display name, which may be
    /// corrected).
    pub id: String,
    pub name: String,
}

/// A bureau de vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bureau {
    /// The bureau's code, unique within its election (for example `075-012`).
    pub code: String,
    pub name: String,
    /// Registered voters, where there is a closed list. An open primary has
    /// none: "not known" is not zero.
    pub inscrits: Option<u32>,
}

/// One round of an election. Deserialising goes through [`Election::new`], so
/// an election read from the network or from storage is checked like any other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ElectionData")]
pub struct Election {
    pub id: String,
    pub name: String,
    /// The round (tour), from 1.
    pub round: u8,
    candidates: Vec<Candidate>,
    bureaux: Vec<Bureau>,
}

/// The unchecked shape of an election on the wire.
#[derive(Deserialize)]
struct ElectionData {
    id: String,
    name: String,
    round: u8,
    candidates: Vec<Candidate>,
    bureaux: Vec<Bureau>,
}

impl TryFrom<ElectionData> for Election {
    type Error = ElectionError;
    fn try_from(d: ElectionData) -> Result<Self, Self::Error> {
        Election::new(d.id, d.name, d.round, d.candidates, d.bureaux)
    }
}

/// Why an election could not be built.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ElectionError {
    #[error("the election has no identifier")]
    MissingId,
    #[error("the election has no name")]
    MissingName,
    #[error("the round must be 1 or more")]
    InvalidRound,
    #[error("the election has no candidate")]
    NoCandidate,
    #[error("candidate {0:?} has an empty identifier or name")]
    BlankCandidate(String),
    #[error("two candidates share the identifier {0:?}")]
    DuplicateCandidate(String),
    #[error("the election has no bureau")]
    NoBureau,
    #[error("bureau {0:?} has an empty code or name")]
    BlankBureau(String),
    #[error("two bureaux share the code {0:?}")]
    DuplicateBureau(String),
}

impl Election {
    /// Builds an election, refusing one that a bureau could not count for.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        round: u8,
        candidates: Vec<Candidate>,
        bureaux: Vec<Bureau>,
    ) -> Result<Self, ElectionError> {
        let (id, name) = (id.into(), name.into());
        if id.trim().is_empty() {
            return Err(ElectionError::MissingId);
        }
        if name.trim().is_empty() {
            return Err(ElectionError::MissingName);
        }
        if round == 0 {
            return Err(ElectionError::InvalidRound);
        }
        if candidates.is_empty() {
            return Err(ElectionError::NoCandidate);
        }
        let mut seen = HashSet::new();
        for c in &candidates {
            if c.id.trim().is_empty() || c.name.trim().is_empty() {
                return Err(ElectionError::BlankCandidate(c.id.clone()));
            }
            if !seen.insert(c.id.as_str()) {
                return Err(ElectionError::DuplicateCandidate(c.id.clone()));
            }
        }
        if bureaux.is_empty() {
            return Err(ElectionError::NoBureau);
        }
        let mut seen = HashSet::new();
        for b in &bureaux {
            if b.code.trim().is_empty() || b.name.trim().is_empty() {
                return Err(ElectionError::BlankBureau(b.code.clone()));
            }
            if !seen.insert(b.code.as_str()) {
                return Err(ElectionError::DuplicateBureau(b.code.clone()));
            }
        }
        Ok(Self {
            id,
            name,
            round,
            candidates,
            bureaux,
        })
    }

    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    pub fn bureaux(&self) -> &[Bureau] {
        &self.bureaux
    }

    pub fn bureau(&self, code: &str) -> Option<&Bureau> {
        self.bureaux.iter().find(|b| b.code == code)
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

/// The election and bureau a device counts for: what the bureau home page
/// shows the volunteer so that nobody counts on the wrong phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceEnrollment {
    pub election_id: String,
    pub election_name: String,
    pub round: u8,
    pub bureau_code: String,
    pub bureau_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str) -> Candidate {
        Candidate {
            id: id.into(),
            name: format!("Candidate {id}"),
        }
    }

    fn bureau(code: &str) -> Bureau {
        Bureau {
            code: code.into(),
            name: format!("Bureau {code}"),
            inscrits: None,
        }
    }

    fn build(candidates: &[&str], bureaux: &[&str]) -> Result<Election, ElectionError> {
        Election::new(
            "e1",
            "Primaire",
            1,
            candidates.iter().map(|c| candidate(c)).collect(),
            bureaux.iter().map(|b| bureau(b)).collect(),
        )
    }

    #[test]
    fn a_well_formed_election_is_built() {
        let e = build(&["a", "b"], &["001", "002"]).expect("valid election");
        assert_eq!(e.candidates().len(), 2);
        assert_eq!(e.bureau("002").map(|b| b.name.as_str()), Some("Bureau 002"));
        assert_eq!(e.bureau("003"), None);
    }

    #[test]
    fn duplicate_candidates_and_bureaux_are_refused() {
        assert_eq!(
            build(&["a", "a"], &["001"]),
            Err(ElectionError::DuplicateCandidate("a".into()))
        );
        assert_eq!(
            build(&["a"], &["001", "001"]),
            Err(ElectionError::DuplicateBureau("001".into()))
        );
    }

    #[test]
    fn empty_or_blank_parts_are_refused() {
        assert_eq!(build(&[], &["001"]), Err(ElectionError::NoCandidate));
        assert_eq!(build(&["a"], &[]), Err(ElectionError::NoBureau));
        assert_eq!(
            build(&[" "], &["001"]),
            Err(ElectionError::BlankCandidate(" ".into()))
        );
        assert_eq!(
            build(&["a"], &[""]),
            Err(ElectionError::BlankBureau(String::new()))
        );
        let no_name = Election::new("e", " ", 1, vec![candidate("a")], vec![bureau("1")]);
        assert_eq!(no_name, Err(ElectionError::MissingName));
        let round0 = Election::new("e", "n", 0, vec![candidate("a")], vec![bureau("1")]);
        assert_eq!(round0, Err(ElectionError::InvalidRound));
    }

    #[test]
    fn enrollment_names_the_election_and_the_bureau() {
        let e = build(&["a"], &["001", "002"]).expect("valid election");
        let d = e.enrollment_for("002").expect("bureau exists");
        assert_eq!(d.election_name, "Primaire");
        assert_eq!(d.bureau_code, "002");
        assert_eq!(d.bureau_name, "Bureau 002");
        assert_eq!(e.enrollment_for("999"), None);
    }

    #[test]
    fn an_invalid_election_cannot_be_deserialised() {
        let ok = build(&["a", "b"], &["001"]).expect("valid election");
        let json = serde_json::to_string(&ok).expect("serialises");
        let back: Election = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, ok);
        let dup = json.replace("\"id\":\"b\"", "\"id\":\"a\"");
        let err = serde_json::from_str::<Election>(&dup).expect_err("duplicate refused");
        assert!(err.to_string().contains("two candidates share"), "{err}");
    }

    #[test]
    fn enrollment_survives_a_json_round_trip() {
        let e = build(&["a"], &["001"]).expect("valid election");
        let d = e.enrollment_for("001").expect("bureau exists");
        let json = serde_json::to_string(&d).expect("serialises");
        let back: DeviceEnrollment = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, d);
    }
}
