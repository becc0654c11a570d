//! What a round decides, as an election's definition may name it
//! (DOMAIN.md, "Could the bureaux not yet counted still change it?"),
//! and its check on import.

use crate::election::ElectionError;
use serde::{Deserialize, Serialize};

/// What a round decides (DOMAIN.md, "Could the bureaux not yet counted
/// still change it?"): whether an absolute majority of exprimés elects at
/// this round, and how many candidates go on to the next (0: none). France's
/// two-round rule is both: a majority elects, else the first two go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    pub majority: bool,
    pub first: u8,
}

impl Qualification {
    /// The rule said when a definition names none: the two-round one.
    pub const TWO_ROUNDS: Qualification = Qualification {
        majority: true,
        first: 2,
    };

    /// Refuses a rule that decides nothing, or sends every candidate on.
    pub(crate) fn check(&self, candidates: usize) -> Result<(), ElectionError> {
        let all_go_on = usize::from(self.first) >= candidates;
        if (!self.majority && self.first == 0) || (self.first > 0 && all_go_on) {
            return Err(ElectionError::Qualification {
                first: self.first,
                candidates,
            });
        }
        Ok(())
    }
}
