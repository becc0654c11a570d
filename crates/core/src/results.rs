//! The results of an election, computed only from accepted signed returns,
//! and never without the number of bureaux they cover (DOMAIN.md, "What went
//! wrong in 2017"). The server publishes them and anyone can recompute them
//! from the public record with this same code.
//!
//! Integer arithmetic only; percentages in basis points (1/100 of a percent).

use crate::ProcesVerbal;
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
        let current = latest.get(body.bureau.as_str()).map(|(_, b)| b.version);
        if supersedes(election, body, current) {
            latest.insert(&body.bureau, (id, body));
        }
    }
    latest
}

/// Whether `body` is what its bureau's figures come from rather than the
/// bureau's return counted so far (of version `current`, if any): a return
/// of this definition, for one of its bureaux, of a higher version.
fn supersedes(election: &Election, body: &ReturnBody, current: Option<u32>) -> bool {
    body.election_hash == election.hash()
        && election.bureau(&body.bureau).is_some()
        && current.is_none_or(|v| body.version > v)
}

/// Each bureau's return that counts, kept as returns come in (in any
/// order, a few at a time), with the figures added up over them: a return
/// that replaces a bureau's counted one takes its figures out and puts
/// its own in. [`Counting::results`] is then what [`compute`] gives over
/// every return added, without adding 70,000 PVs up again: the server
/// keeps one per election, so that a change costs what changed. For one
/// election.
#[derive(Clone, Debug, Default)]
pub struct Counting {
    /// By bureau code: the return that counts, and its PV (whose figures
    /// come out of the sums if a later version replaces it).
    latest: BTreeMap<String, (CountedReturn, ProcesVerbal)>,
    sums: Sums,
}

impl Counting {
    /// Takes a return into account (`id`: its return id); whether it now
    /// counts for its bureau.
    pub fn add(&mut self, election: &Election, id: String, body: ReturnBody) -> bool {
        let current = self.latest.get(&body.bureau);
        if !supersedes(election, &body, current.map(|(c, _)| c.version)) {
            return false;
        }
        if let Some((_, old)) = current {
            self.sums.take(election, old);
        }
        self.sums.put(election, &body.pv);
        let counted = CountedReturn {
            version: body.version,
            return_id: id,
        };
        self.latest.insert(body.bureau, (counted, body.pv));
        true
    }

    /// The results over the returns that count.
    pub fn results(&self, election: &Election) -> Results {
        let counted = self
            .latest
            .iter()
            .map(|(bureau, (c, _))| (bureau.clone(), c.clone()))
            .collect();
        assemble(election, &self.sums, counted)
    }
}

/// The figures added up over the returns that count: each candidate's
/// votes (in the election's order), the PV's totals, and the turnout over
/// the bureaux whose inscrits are known.
#[derive(Clone, Debug, Default)]
struct Sums {
    votes: Vec<u64>,
    exprimes: u64,
    blancs: u64,
    nuls: u64,
    enveloppes: u64,
    emargements: u64,
    turnout_emargements: u64,
    turnout_inscrits: u64,
    turnout_bureaux: u32,
}

impl Sums {
    /// Adds a PV's figures.
    fn put(&mut self, election: &Election, pv: &ProcesVerbal) {
        self.apply(election, pv, |sum, v| *sum += v);
    }

    /// Takes out the figures of a PV added before.
    fn take(&mut self, election: &Election, pv: &ProcesVerbal) {
        self.apply(election, pv, |sum, v| *sum -= v);
    }

    fn apply(&mut self, election: &Election, pv: &ProcesVerbal, op: impl Fn(&mut u64, u64)) {
        let n = |v: Option<u32>| u64::from(v.unwrap_or(0));
        let candidates = election.candidates();
        self.votes.resize(candidates.len(), 0);
        for (sum, c) in self.votes.iter_mut().zip(candidates) {
            op(sum, n(pv.voix.get(&c.id).copied().flatten()));
        }
        op(&mut self.exprimes, n(pv.exprimes));
        op(&mut self.blancs, n(pv.blancs));
        op(&mut self.nuls, n(pv.nuls));
        op(&mut self.enveloppes, n(pv.enveloppes));
        op(&mut self.emargements, n(pv.emargements));
        if let Some(ins) = pv.inscrits {
            op(&mut self.turnout_emargements, n(pv.emargements));
            op(&mut self.turnout_inscrits, u64::from(ins));
            let mut bureaux = u64::from(self.turnout_bureaux);
            op(&mut bureaux, 1);
            self.turnout_bureaux = bureaux as u32;
        }
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
    let mut sums = Sums::default();
    let mut counted = BTreeMap::new();
    for (bureau, (id, body)) in latest(election, returns) {
        sums.put(election, &body.pv);
        counted.insert(
            bureau.to_owned(),
            CountedReturn {
                version: body.version,
                return_id: id.to_owned(),
            },
        );
    }
    assemble(election, &sums, counted)
}

/// The results from the figures added up over the returns that count, and
/// the version each bureau counts.
fn assemble(election: &Election, sums: &Sums, counted: BTreeMap<String, CountedReturn>) -> Results {
    let total = election.bureaux().len() as u32;
    let exprimes = sums.exprimes;
    Results {
        election_id: election.id().to_owned(),
        election_hash: election.hash().to_owned(),
        mode: election.mode(),
        coverage: Coverage {
            reporting: counted.len() as u32,
            total,
        },
        candidates: election
            .candidates()
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let v = sums.votes.get(k).copied().unwrap_or(0);
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
        blancs: sums.blancs,
        nuls: sums.nuls,
        enveloppes: sums.enveloppes,
        emargements: sums.emargements,
        turnout: (sums.turnout_bureaux > 0).then(|| Turnout {
            emargements: sums.turnout_emargements,
            inscrits: sums.turnout_inscrits,
            basis_points: basis_points(sums.turnout_emargements, sums.turnout_inscrits),
            coverage: Coverage {
                reporting: sums.turnout_bureaux,
                total,
            },
        }),
        counted,
    }
}
