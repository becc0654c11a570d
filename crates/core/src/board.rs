//! Where each bureau stands through the day and the night, from what the
//! server holds of it — its key enrolled, its turnout reports, its returns —
//! and since when; and the counts a wall screen shows. "Late" is a
//! checkpoint whose time has passed without the bureau's report (and the
//! bureau has not counted yet): never a guess from silence.
//!
//! Pure: the facts and `now` come in.

use crate::election::{Bureau, CheckpointKind, Election};
use std::borrow::Cow;
use std::collections::HashMap;

/// What the server holds of one bureau, with when (milliseconds since
/// 1970).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BureauFacts {
    pub code: String,
    /// When its current key was enrolled; `None`: no key.
    pub enrolled_at: Option<u64>,
    /// Each checkpoint it reported, with when its first version came.
    pub reports: Vec<(String, u64)>,
    /// When each version of its return came, in version order.
    pub returns: Vec<u64>,
    /// The latest return the server refused that a key of this bureau
    /// signed (the phone's, or one a reissue revoked): its error code
    /// (`wire::ErrorCode`'s name) and when.
    pub refused: Option<(String, u64)>,
}

/// How far a bureau has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    NotEnrolled,
    Enrolled,
    /// Its latest report is of this checkpoint (the opening's, or a count).
    Reported {
        checkpoint: String,
    },
    /// Its return is received (`version` 2 or more: corrected).
    Counted {
        version: u32,
    },
}

impl Stage {
    /// The stage's name in an address or a file (`reported` whatever the
    /// checkpoint, `corrected` from version 2).
    pub fn code(&self) -> &'static str {
        match self {
            Stage::NotEnrolled => "not_enrolled",
            Stage::Enrolled => "enrolled",
            Stage::Reported { .. } => "reported",
            Stage::Counted { version: 1 } => "counted",
            Stage::Counted { .. } => "corrected",
        }
    }

    /// Every stage's code, in the order a bureau goes through them.
    pub const CODES: [&'static str; 5] = [
        "not_enrolled",
        "enrolled",
        "reported",
        "counted",
        "corrected",
    ];
}

/// One bureau on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub stage: Stage,
    /// Since when it is at this stage (`None`: not enrolled).
    pub since: Option<u64>,
    /// The first checkpoint it missed: its time passed without its report,
    /// and no return yet.
    pub late: Option<String>,
    /// The error code of a return the server refused since its latest
    /// return received (or ever, if none was): someone must call.
    pub refused: Option<String>,
}

/// The name [`Standing::late`] gives a bureau late for the deadline of
/// the PVs the central team set (no checkpoint is called so).
pub const RETURNS_LATE: &str = "pv";

/// Where the bureau of `facts` stands at `now`; `returns_due`: when the
/// central team expects every PV (a deadline it set, if it did).
pub fn standing(
    election: &Election,
    facts: &BureauFacts,
    now: u64,
    returns_due: Option<u64>,
) -> Standing {
    let refused = facts
        .refused
        .as_ref()
        .filter(|(_, at)| facts.returns.last().is_none_or(|last| at >= last))
        .map(|(code, _)| code.clone());
    let checkpoints = election
        .day()
        .map(|d| d.checkpoints.as_slice())
        .unwrap_or_default();
    if let Some(&at) = facts.returns.last() {
        return Standing {
            stage: Stage::Counted {
                version: facts.returns.len() as u32,
            },
            since: Some(at),
            late: None,
            refused,
        };
    }
    // The latest checkpoint reported, in the day's order.
    let reported = checkpoints.iter().rev().find_map(|c| {
        facts
            .reports
            .iter()
            .find(|(id, _)| *id == c.id)
            .map(|(id, at)| (id.clone(), *at))
    });
    let late = checkpoints
        .iter()
        .find(|c| {
            c.due_ms().is_some_and(|due| due < now)
                && !facts.reports.iter().any(|(id, _)| *id == c.id)
        })
        .map(|c| c.id.clone())
        .or_else(|| {
            returns_due
                .filter(|due| *due < now)
                .map(|_| RETURNS_LATE.to_owned())
        });
    let (stage, since) = match (reported, facts.enrolled_at) {
        (Some((checkpoint, at)), _) => (Stage::Reported { checkpoint }, Some(at)),
        (None, Some(at)) => (Stage::Enrolled, Some(at)),
        (None, None) => (Stage::NotEnrolled, None),
    };
    Standing {
        stage,
        since,
        late,
        refused,
    }
}

impl Standing {
    /// How far from done, for the board's "worst first": a refused return
    /// first (the phone waits for a call), then late ones
    /// (the earliest checkpoint missed first), then by stage (no key, key
    /// only, each report in the day's order, counted), then the longest at
    /// its stage first. Compare with [`worst_first`].
    fn rank(&self, election: &Election) -> (bool, u8, usize, u8, usize, u64) {
        let checkpoints = election
            .day()
            .map(|d| d.checkpoints.as_slice())
            .unwrap_or_default();
        let index = |id: &str| {
            checkpoints
                .iter()
                .position(|c| c.id == id)
                .unwrap_or(usize::MAX)
        };
        let (late, missed) = match &self.late {
            Some(id) => (0, index(id)),
            None => (1, 0),
        };
        let (stage, reached) = match &self.stage {
            Stage::NotEnrolled => (0, 0),
            Stage::Enrolled => (1, 0),
            Stage::Reported { checkpoint } => (2, index(checkpoint)),
            Stage::Counted { .. } => (3, 0),
        };
        (
            self.refused.is_none(),
            late,
            missed,
            stage,
            reached,
            self.since.unwrap_or(0),
        )
    }
}

/// Sorts `(code, standing)` pairs worst first (see [`Standing`]'s rank),
/// ties by code.
pub fn worst_first(election: &Election, bureaux: &mut [(String, Standing)]) {
    bureaux.sort_by(|a, b| (a.1.rank(election), &a.0).cmp(&(b.1.rank(election), &b.0)));
}

/// Every bureau of `election`, in the definition's order, with its facts
/// from `facts` (empty for a bureau the server holds nothing of); facts of
/// another election's bureaux are left out.
pub fn each_bureau<'a>(
    election: &'a Election,
    facts: &'a [BureauFacts],
) -> impl Iterator<Item = (&'a Bureau, Cow<'a, BureauFacts>)> {
    let by_code: HashMap<&str, &BureauFacts> = facts.iter().map(|f| (f.code.as_str(), f)).collect();
    election.bureaux().iter().map(move |b| {
        let f = match by_code.get(b.code.as_str()) {
            Some(f) => Cow::Borrowed(*f),
            None => Cow::Owned(BureauFacts {
                code: b.code.clone(),
                ..BureauFacts::default()
            }),
        };
        (b, f)
    })
}

/// The counts a wall screen shows: no bureau named, nothing personal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wall {
    pub bureaux: u32,
    pub enrolled: u32,
    /// Per checkpoint of the day, in order: its id, whether it is the
    /// opening, and how many bureaux reported it.
    pub checkpoints: Vec<(String, bool, u32)>,
    pub counted: u32,
    /// Of the counted, how many sent a correction.
    pub corrected: u32,
    /// Bureaux that missed a checkpoint and have not counted.
    pub late: u32,
    /// Bureaux whose latest return was refused (see [`Standing`]).
    pub refused: u32,
}

/// The wall's counts of `election`'s bureaux at `now`, from `facts` (a
/// bureau without any holds nothing yet), with the PVs' deadline if set.
pub fn wall(
    election: &Election,
    facts: &[BureauFacts],
    now: u64,
    returns_due: Option<u64>,
) -> Wall {
    let checkpoints = election
        .day()
        .map(|d| d.checkpoints.as_slice())
        .unwrap_or_default();
    let mut w = Wall {
        bureaux: election.bureaux().len() as u32,
        checkpoints: checkpoints
            .iter()
            .map(|c| (c.id.clone(), c.kind == CheckpointKind::Opening, 0))
            .collect(),
        ..Wall::default()
    };
    for (_, f) in each_bureau(election, facts) {
        let f = f.as_ref();
        w.enrolled += u32::from(f.enrolled_at.is_some() || !f.returns.is_empty());
        for (id, _, n) in &mut w.checkpoints {
            *n += u32::from(f.reports.iter().any(|(r, _)| r == id));
        }
        w.counted += u32::from(!f.returns.is_empty());
        w.corrected += u32::from(f.returns.len() > 1);
        let s = standing(election, f, now, returns_due);
        w.late += u32::from(s.late.is_some());
        w.refused += u32::from(s.refused.is_some());
    }
    w
}
