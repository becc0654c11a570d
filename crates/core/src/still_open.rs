//! "Could the bureaux not yet counted still change it?" (DOMAIN.md): from the
//! counted returns as they stand, and the inscrits of the bureaux not yet
//! counted (R), whether the order of each two neighbouring candidates, and
//! what the round decides by the definition's qualification rule (the
//! leader's absolute majority of exprimés, each candidate's place among the
//! first k; France's two rounds when it names none) are decided, still
//! open, or cannot be known yet (an outstanding bureau has no inscrits).
//! Every outstanding vote could go to anyone: nothing here is a
//! projection, only what the arithmetic allows.
//!
//! The server publishes it with the totals; the verifier recomputes it.

use crate::election::{Election, Qualification};
use crate::results::Results;
use serde::{Deserialize, Serialize};

/// The bureaux not yet counted, and their inscrits (`None`: one of them has
/// none, so what they could change cannot be bounded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outstanding {
    pub bureaux: u32,
    pub inscrits: Option<u64>,
}

/// Whether something can still change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Whatever the bureaux not yet counted hold, it stays so.
    Decided,
    /// It holds now, and the outstanding inscrits could still undo it.
    Open,
    /// An outstanding bureau has no inscrits: it cannot be known yet.
    Unknown,
}

/// Two neighbours in the order of votes: `ahead` has at least `behind`'s.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub ahead: String,
    pub behind: String,
    pub verdict: Verdict,
}

/// Where a candidate stands against a threshold: certainly reached,
/// certainly not, still open, or not known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Certainly,
    CertainlyNot,
    Open,
    Unknown,
}

/// What the bureaux not yet counted could still change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StillOpen {
    pub outstanding: Outstanding,
    /// Each two neighbours in the order of votes (ties by panel), first
    /// first.
    pub order: Vec<Order>,
    /// The rule applied: the definition's, or France's two rounds.
    pub rule: Qualification,
    /// The leading candidate (by id) and whether they have an absolute
    /// majority of exprimés; `None` before any vote, or when the rule has
    /// no majority.
    pub majority: Option<(String, Reach)>,
    /// Each candidate (by id, in the order of votes) and whether they are
    /// among the first `rule.first` (empty when that is 0).
    pub first: Vec<(String, Reach)>,
}

/// The bureaux of `election` not counted in `results`, and their inscrits.
pub fn outstanding(election: &Election, results: &Results) -> Outstanding {
    let mut bureaux = 0u32;
    let mut inscrits = Some(0u64);
    for b in election.bureaux() {
        if !results.counted.contains_key(&b.code) {
            bureaux += 1;
            inscrits = inscrits.zip(b.inscrits).map(|(s, i)| s + u64::from(i));
        }
    }
    Outstanding { bureaux, inscrits }
}

/// What the bureaux not yet counted could still change in `results`
/// (computed with their `counted` versions, as the server and the verifier
/// hold them).
pub fn still_open(election: &Election, results: &Results) -> StillOpen {
    let outstanding = outstanding(election, results);
    let r = outstanding.inscrits;
    let mut ranked: Vec<(&str, u64, u32)> = results
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c.votes, c.panel))
        .collect();
    crate::order::sort_by(&mut ranked, |a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let order = ranked
        .windows(2)
        .map(|w| Order {
            ahead: w[0].0.to_owned(),
            behind: w[1].0.to_owned(),
            verdict: match r {
                None => Verdict::Unknown,
                Some(r) if w[0].1 - w[1].1 > r => Verdict::Decided,
                Some(_) => Verdict::Open,
            },
        })
        .collect();
    let rule = election.qualification();
    let e = results.exprimes;
    let majority = ranked
        .first()
        .filter(|_| e > 0 && rule.majority)
        .map(|&(id, v, _)| {
            let reach = match r {
                None => Reach::Unknown,
                Some(r) if 2 * v > e + r => Reach::Certainly,
                Some(r) if 2 * v + r <= e => Reach::CertainlyNot,
                Some(_) => Reach::Open,
            };
            (id.to_owned(), reach)
        });
    let k = usize::from(rule.first);
    let first = ranked
        .iter()
        .filter(|_| k > 0)
        .map(|&(id, v, _)| {
            let others = ranked.iter().filter(|x| x.0 != id);
            let reach = match r {
                None => Reach::Unknown,
                Some(r) => {
                    let could_pass = others.clone().filter(|x| x.1 + r >= v).count();
                    let surely_ahead = others.filter(|x| x.1 > v + r).count();
                    if could_pass < k {
                        Reach::Certainly
                    } else if surely_ahead >= k {
                        Reach::CertainlyNot
                    } else {
                        Reach::Open
                    }
                }
            };
            (id.to_owned(), reach)
        })
        .collect();
    StillOpen {
        outstanding,
        order,
        rule,
        majority,
        first,
    }
}
