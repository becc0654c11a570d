//! The results of an election, computed only from accepted signed returns,
//! and never without the number of bureaux they cover (DOMAIN.md, "What went
//! wrong in 2017"). The server publishes them and anyone can recompute them
//! from the public record with this same code.
//!
//! Integer arithmetic only; percentages in basis points (1/100 of a percent).

use crate::election::{Election, Mode};
use crate::signed_return::{ReturnBody, human_code};
use crate::wire::{BureauCounts, BureauState, BureauStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many of the election's bureaux a figure covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub reporting: u32,
    pub total: u32,
}

impl Coverage {
    /// `reporting / total` in basis points, rounded to nearest (0 when there
    /// is no bureau).
    pub fn basis_points(&self) -> u32 {
        basis_points(u64::from(self.reporting), u64::from(self.total)).unwrap_or(0)
    }
}

/// One candidate's total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateTotal {
    pub id: String,
    pub panel: u32,
    pub name: String,
    pub votes: u64,
    /// Share of exprimés in basis points; `None` while there is none.
    pub percent_of_exprimes_bp: Option<u32>,
}

/// Turnout, over the reporting bureaux whose inscrits are known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Turnout {
    pub emargements: u64,
    pub inscrits: u64,
    pub basis_points: Option<u32>,
    /// The bureaux this turnout is computed over.
    pub coverage: Coverage,
}

/// The totals of one election, with what they cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Results {
    pub election_id: String,
    pub election_hash: String,
    pub mode: Mode,
    /// Bureaux whose return is counted, of all the election's bureaux. Every
    /// total below covers exactly these.
    pub coverage: Coverage,
    /// In panel order. Percentages are of exprimés, as official results are.
    pub candidates: Vec<CandidateTotal>,
    pub exprimes: u64,
    pub blancs: u64,
    pub nuls: u64,
    pub enveloppes: u64,
    pub emargements: u64,
    /// `None` when no reporting bureau has known inscrits (an open primary).
    pub turnout: Option<Turnout>,
    /// The version counted for each reporting bureau. Not sent with the
    /// totals (70,000 entries in a national election): the server lists it,
    /// a page at a time, with each bureau's state.
    #[serde(skip)]
    pub counted: BTreeMap<String, CountedReturn>,
}

/// Which return a bureau's figures come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountedReturn {
    pub version: u32,
    pub return_id: String,
}

/// A count with `sep` between groups of three digits ("70 000" with a
/// narrow no-break space, "70,000"): how the app and the verifier write
/// the figures.
pub fn group_digits(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Basis points written as a percentage: "30,93 %" with a decimal comma
/// (and a no-break space, as French writes it), else "30.93%".
pub fn percent_text(bp: u32, decimal_comma: bool) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if decimal_comma {
        format!("{whole},{frac:02}\u{a0}%")
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// `part / whole` in basis points, rounded half up; `None` when `whole` is 0.
pub fn basis_points(part: u64, whole: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let bp = (u128::from(part) * 10_000 + u128::from(whole) / 2) / u128::from(whole);
    u32::try_from(bp).ok()
}

/// Each bureau's highest version among `returns` (`(return id, body)` of
/// accepted versions, in any order), by bureau code: what the results and
/// the open data count. A return for another definition or a bureau the
/// election does not have is left out.
pub fn latest<'a>(
    election: &Election,
    returns: impl IntoIterator<Item = (&'a str, &'a ReturnBody)>,
) -> BTreeMap<&'a str, (&'a str, &'a ReturnBody)> {
    let mut latest: BTreeMap<&str, (&str, &ReturnBody)> = BTreeMap::new();
    for (id, body) in returns {
        if supersedes(
            election,
            body,
            latest.get(body.bureau.as_str()).map(|(_, b)| *b),
        ) {
            latest.insert(&body.bureau, (id, body));
        }
    }
    latest
}

/// Whether `body` is what its bureau's figures come from rather than
/// `current` (the bureau's return counted so far, if any): a return of this
/// definition, for one of its bureaux, of a higher version.
fn supersedes(election: &Election, body: &ReturnBody, current: Option<&ReturnBody>) -> bool {
    body.election_hash == election.hash()
        && election.bureau(&body.bureau).is_some()
        && current.is_none_or(|b| body.version > b.version)
}

/// Each bureau's return that counts, kept as returns come in (in any
/// order, a few at a time): what [`compute`] adds up, without holding or
/// reading again every version before. Adding returns in batches, then
/// computing over [`Counting::returns`], gives the results of [`compute`]
/// over all of them at once. The server keeps one per election so that a
/// change costs what changed, not 70,000 returns read again.
#[derive(Clone, Debug, Default)]
pub struct Counting {
    latest: BTreeMap<String, (String, ReturnBody)>,
}

impl Counting {
    /// Takes a return into account (`id`: its return id); whether it now
    /// counts for its bureau.
    pub fn add(&mut self, election: &Election, id: String, body: ReturnBody) -> bool {
        let counts = supersedes(
            election,
            &body,
            self.latest.get(&body.bureau).map(|(_, b)| b),
        );
        if counts {
            self.latest.insert(body.bureau.clone(), (id, body));
        }
        counts
    }

    /// Each bureau's return that counts, by bureau code: `(return id, body)`.
    pub fn returns(&self) -> impl Iterator<Item = (&str, &ReturnBody)> {
        self.latest.values().map(|(id, b)| (id.as_str(), b))
    }
}

/// Every bureau of `election` in its state, in the definition's order,
/// and how many are in each: received (its return counted in `results`),
/// enrolled (a device holds its key: `enrolled`), or neither. The server
/// publishes this list; a verifier recomputes it to compare.
pub fn bureau_states(
    election: &Election,
    results: &Results,
    enrolled: impl Fn(&str) -> bool,
) -> (Vec<BureauStatus>, BureauCounts) {
    let mut counts = BureauCounts::default();
    let bureaux = election
        .bureaux()
        .iter()
        .map(|b| {
            let counted = results.counted.get(&b.code);
            let state = match counted {
                Some(_) => BureauState::Received,
                None if enrolled(&b.code) => BureauState::Enrolled,
                None => BureauState::NotEnrolled,
            };
            *match state {
                BureauState::Received => &mut counts.received,
                BureauState::Enrolled => &mut counts.enrolled,
                BureauState::NotEnrolled => &mut counts.not_enrolled,
            } += 1;
            BureauStatus {
                code: b.code.clone(),
                name: b.name.clone(),
                commune: b.commune.clone(),
                state,
                version: counted.map(|c| c.version),
                human_code: counted.map(|c| human_code(&c.return_id)),
                photos: Vec::new(),
            }
        })
        .collect();
    (bureaux, counts)
}

/// Computes the results from accepted returns: `returns` are `(return id,
/// body)` of every accepted version, in any order; for each bureau only its
/// highest version counts, and a return for another election definition or a
/// bureau the election does not have is ignored (the server never accepts
/// one; a recomputation from a doctored record must not count it either).
pub fn compute<'a>(
    election: &Election,
    returns: impl IntoIterator<Item = (&'a str, &'a ReturnBody)>,
) -> Results {
    let latest = latest(election, returns);

    let mut votes: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut exprimes, mut blancs, mut nuls, mut enveloppes, mut emargements) = (0, 0, 0, 0, 0);
    let (mut t_em, mut t_ins, mut t_bureaux) = (0u64, 0u64, 0u32);
    let mut counted = BTreeMap::new();
    let n = |v: Option<u32>| u64::from(v.unwrap_or(0));
    for (bureau, (id, body)) in &latest {
        let pv = &body.pv;
        for c in election.candidates() {
            *votes.entry(c.id.as_str()).or_default() += n(pv.voix.get(&c.id).copied().flatten());
        }
        exprimes += n(pv.exprimes);
        blancs += n(pv.blancs);
        nuls += n(pv.nuls);
        enveloppes += n(pv.enveloppes);
        emargements += n(pv.emargements);
        if let Some(ins) = pv.inscrits {
            t_em += n(pv.emargements);
            t_ins += u64::from(ins);
            t_bureaux += 1;
        }
        counted.insert(
            (*bureau).to_owned(),
            CountedReturn {
                version: body.version,
                return_id: (*id).to_owned(),
            },
        );
    }

    let total = election.bureaux().len() as u32;
    Results {
        election_id: election.id().to_owned(),
        election_hash: election.hash().to_owned(),
        mode: election.mode(),
        coverage: Coverage {
            reporting: latest.len() as u32,
            total,
        },
        candidates: election
            .candidates()
            .iter()
            .map(|c| {
                let v = votes.get(c.id.as_str()).copied().unwrap_or(0);
                CandidateTotal {
                    id: c.id.clone(),
                    panel: c.panel,
                    name: c.name.clone(),
                    votes: v,
                    percent_of_exprimes_bp: basis_points(v, exprimes),
                }
            })
            .collect(),
        exprimes,
        blancs,
        nuls,
        enveloppes,
        emargements,
        turnout: (t_bureaux > 0).then(|| Turnout {
            emargements: t_em,
            inscrits: t_ins,
            basis_points: basis_points(t_em, t_ins),
            coverage: Coverage {
                reporting: t_bureaux,
                total,
            },
        }),
        counted,
    }
}
