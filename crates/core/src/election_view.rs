//! What a bureau's phone keeps of an election, and what the rules and
//! signing need of one: the whole definition lives on the server, a phone
//! holds only its bureau's part, with the whole definition's hash.
//!
//! No I/O, like the rest of core.

use crate::election::{Bureau, Candidate, Election, Mode};
use serde::{Deserialize, Serialize};

/// What the rules and signing need of an election. The server has the whole
/// definition ([`Election`]); a bureau's phone keeps only its own part
/// ([`ElectionView`]), since a national election's 70,000 bureaux would not
/// fit in a phone's storage.
pub trait ElectionRef {
    fn id(&self) -> &str;
    /// The content hash of the whole definition.
    fn hash(&self) -> &str;
    fn mode(&self) -> Mode;
    /// In ballot order.
    fn candidates(&self) -> &[Candidate];
    fn bureau(&self, code: &str) -> Option<&Bureau>;
}

impl ElectionRef for Election {
    fn id(&self) -> &str {
        Election::id(self)
    }
    fn hash(&self) -> &str {
        Election::hash(self)
    }
    fn mode(&self) -> Mode {
        Election::mode(self)
    }
    fn candidates(&self) -> &[Candidate] {
        Election::candidates(self)
    }
    fn bureau(&self, code: &str) -> Option<&Bureau> {
        Election::bureau(self, code)
    }
}

/// One bureau's part of an election, with the hash of the whole definition:
/// what the server gives a device at enrollment and the device signs with.
/// The device cannot recompute the hash (it does not hold the other
/// bureaux); the server checks it on every return, and the public record
/// lets anyone check the definition it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ElectionView {
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub round: u8,
    pub date: String,
    pub mode: Mode,
    /// The content hash of the whole definition.
    pub hash: String,
    pub candidates: Vec<Candidate>,
    /// The device's bureau.
    pub bureau: Bureau,
    /// How many bureaux the election has, to say what the totals cover.
    pub bureaux_total: u32,
    /// The polling day's checkpoints (none kept by a phone enrolled before
    /// definitions had them, or for a definition without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<crate::election::Day>,
}

impl Election {
    /// The part of the election a device enrolled for `bureau_code` keeps.
    pub fn view_for(&self, bureau_code: &str) -> Option<ElectionView> {
        Some(ElectionView {
            id: self.id().to_owned(),
            name: self.name().to_owned(),
            round: self.round(),
            date: self.date().to_owned(),
            mode: self.mode(),
            hash: self.hash().to_owned(),
            candidates: self.candidates().to_vec(),
            bureau: self.bureau(bureau_code)?.clone(),
            bureaux_total: self.bureaux().len() as u32,
            day: self.day().cloned(),
        })
    }
}

impl ElectionView {
    /// The day's checkpoints, in the order they are due.
    pub fn checkpoints(&self) -> &[crate::election::Checkpoint] {
        self.day.as_ref().map_or(&[], |d| d.checkpoints.as_slice())
    }

    /// What the bureau home page shows.
    pub fn enrollment(&self) -> DeviceEnrollment {
        DeviceEnrollment {
            election_id: self.id.clone(),
            election_name: self.name.clone(),
            round: self.round,
            bureau_code: self.bureau.code.clone(),
            bureau_name: self.bureau.name.clone(),
        }
    }
}

impl ElectionRef for ElectionView {
    fn id(&self) -> &str {
        &self.id
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn mode(&self) -> Mode {
        self.mode
    }
    fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }
    fn bureau(&self, code: &str) -> Option<&Bureau> {
        (self.bureau.code == code).then_some(&self.bureau)
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
