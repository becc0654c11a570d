//! `pointage-verify`: checks a Pointage public record (docs/return-format.md,
//! section 7) as an outsider would, and recomputes the results.
//!
//! Every return's signature and its receipt's (the costly part, on every
//! core), the receipts' sequence with no gap, the key each return was signed
//! with against the bureau's key history, every rule and version chain, in
//! the order the server received them; then the results from the accepted
//! returns, compared figure by figure with the published ones. Every
//! discrepancy is named, by bureau where it has one.

pub mod report;

use pointage_core::results::{self, Results};
use pointage_core::signature::{Ed25519, SignatureCheck, Verdict, Verifier};
use pointage_core::signed_return::human_code;
use pointage_core::wire::BureauStatus;
use pointage_core::{Election, Receipt, SignedReturn, VerifyError};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One line of the record.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line {
    Election {
        hash: String,
        definition: serde_json::Value,
    },
    ServerKey {
        public_key: String,
    },
    DeviceKey {
        bureau: String,
        public_key: String,
        enrolled_after: u64,
        revoked_after: Option<u64>,
    },
    /// The election is closed: the record ends with receipt
    /// `last_sequence` and is final.
    Closed {
        closed_at: u64,
        last_sequence: u64,
    },
}

/// A return line. Read on its own, not through [`Line`]'s tag, so that the
/// return keeps its bytes as written.
#[derive(Deserialize)]
struct ReturnLine {
    #[serde(rename = "type")]
    kind: String,
    sequence: u64,
    /// As written: the bytes the bureau signed, when the record keeps them
    /// canonical as the server writes it.
    #[serde(rename = "return")]
    ret: Box<serde_json::value::RawValue>,
    receipt: Receipt,
}

enum Parsed {
    Return(ReturnLine),
    Other(Line),
}

fn parse(line: &str) -> Option<Parsed> {
    match serde_json::from_str::<ReturnLine>(line) {
        Ok(r) if r.kind == "return" => Some(Parsed::Return(r)),
        _ => serde_json::from_str::<Line>(line).ok().map(Parsed::Other),
    }
}

/// When a key held its bureau, in the election's receipt sequence.
#[derive(Clone, Debug)]
struct Held {
    public_key: String,
    after: u64,
    until: Option<u64>,
}

impl Held {
    fn at(&self, sequence: u64) -> bool {
        self.after < sequence && self.until.is_none_or(|b| sequence <= b)
    }
}

/// What does not hold in a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Line `line` (from 1) is not a record line; the bureau it names, if
    /// it still names one.
    Unreadable {
        line: usize,
        bureau: Option<String>,
    },
    /// The record does not start with the election and the server key.
    NoElection,
    NoServerKey,
    /// The definition does not give the hash the record names.
    ElectionHash,
    /// Receipts `from` to `to` are missing: returns were removed.
    Missing {
        from: u64,
        to: u64,
    },
    /// A return line out of the receipts' order, or given twice.
    OutOfOrder {
        sequence: u64,
    },
    /// A return received after the election was closed (its record ends
    /// with receipt `last`).
    AfterClosure {
        sequence: u64,
        last: u64,
    },
    /// The return is not what its bureau signed, or breaks the spec.
    Return {
        bureau: Option<String>,
        sequence: u64,
        error: VerifyError,
    },
    /// The receipt is not the server's for this return.
    Receipt {
        bureau: String,
        sequence: u64,
    },
    /// The key was not the bureau's when this return was received.
    KeyNotHeld {
        bureau: String,
        sequence: u64,
    },
    /// The server lists another counted version for this bureau (its
    /// version and human code, or "—" for none) than the record gives.
    Counted {
        bureau: String,
        published: String,
        recomputed: String,
    },
    /// A published figure is not the recomputed one.
    Figure {
        what: Figure,
        published: String,
        recomputed: String,
    },
}

/// A figure of the published results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Figure {
    Election,
    Coverage,
    Votes(String),
    Percent(String),
    Exprimes,
    Blancs,
    Nuls,
    Enveloppes,
    Emargements,
    Turnout,
}

/// What the check found.
#[derive(Debug)]
pub struct Report {
    pub election: Option<Election>,
    /// Return lines read, and accepted.
    pub returns: usize,
    pub accepted: usize,
    pub problems: Vec<Problem>,
    /// The results recomputed from the accepted returns.
    pub results: Option<Results>,
    /// Whether published results were compared.
    pub compared: bool,
    /// When the election was closed (ms since 1970), if the record says it
    /// is final.
    pub closed_at: Option<u64>,
}

impl Report {
    /// Whether everything holds.
    pub fn holds(&self) -> bool {
        self.problems.is_empty() && self.election.is_some()
    }
}

/// What a server publishes: the totals, and the version it counts for each
/// bureau (`GET /api/v1/bureaux`), when it was fetched.
#[derive(Clone, Debug)]
pub struct Published {
    pub results: Results,
    pub bureaux: Option<Vec<BureauStatus>>,
}

/// The bureau a damaged line still names, if any.
fn bureau_named(line: &str) -> Option<String> {
    let rest = &line[line.find("\"bureau\":\"")? + 10..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Ed25519 with the server's key decompressed once: every receipt of the
/// record is signed by it. Any other key is checked as core does.
struct ServerKeyOnce {
    key: [u8; 32],
    decompressed: Option<ed25519_dalek::VerifyingKey>,
}

impl ServerKeyOnce {
    fn new(hex_key: &str) -> Self {
        let mut key = [0u8; 32];
        let parsed = (0..32).all(|i| {
            hex_key
                .get(2 * i..2 * i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .map(|b| key[i] = b)
                .is_some()
        });
        let decompressed = parsed
            .then(|| ed25519_dalek::VerifyingKey::from_bytes(&key).ok())
            .flatten()
            .filter(|k| !k.is_weak());
        ServerKeyOnce { key, decompressed }
    }
}

impl Verifier for ServerKeyOnce {
    fn verdict(&self, c: &SignatureCheck) -> Verdict {
        match &self.decompressed {
            Some(k) if c.key == self.key => {
                let sig = ed25519_dalek::Signature::from_bytes(&c.signature);
                match k.verify_strict(&c.message, &sig) {
                    Ok(()) => Verdict::Holds,
                    Err(_) => Verdict::Fails,
                }
            }
            _ => Ed25519.verdict(c),
        }
    }
}

/// A return as the record gives it: its bytes as they are when they are
/// canonical (as the server writes them), else re-encoded canonically
/// (section 7), then verified.
fn read_return(text: &str) -> Result<SignedReturn, VerifyError> {
    match SignedReturn::from_bytes(text.as_bytes()) {
        Err(VerifyError::Encoding(_)) => {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|_| {
                VerifyError::Encoding(pointage_core::canonical::CanonicalError::NotCanonical)
            })?;
            SignedReturn::from_bytes(&pointage_core::canonical::encode(&value)?)
        }
        other => other,
    }
}

/// A return line, read and checked on its own (in parallel with the others).
struct Read {
    sequence: u64,
    receipt: Receipt,
    ret: Result<SignedReturn, (Option<String>, VerifyError)>,
    receipt_holds: bool,
}

/// Checks the record `text` (JSON lines) and recomputes its results; when
/// `published` is given, compares them figure by figure.
pub fn verify(text: &str, published: Option<&Published>) -> Report {
    let mut problems = Vec::new();
    let raw_lines: Vec<&str> = text.lines().collect();
    let lines: Vec<(usize, &str, Option<Parsed>)> = raw_lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n + 1, *l, parse(l)))
        .collect();
    let mut election = None;
    let mut server_key = None;
    let mut keys: BTreeMap<String, Vec<Held>> = BTreeMap::new();
    let mut raw = Vec::new();
    let mut closed = None;
    for (n, text, line) in lines {
        let unreadable = || Problem::Unreadable {
            line: n,
            bureau: bureau_named(text),
        };
        match line {
            None => problems.push(unreadable()),
            Some(Parsed::Other(Line::Election { hash, definition })) => {
                match serde_json::from_value::<Election>(definition) {
                    Ok(e) if e.hash() == hash => election = Some(e),
                    Ok(_) => problems.push(Problem::ElectionHash),
                    Err(_) => problems.push(unreadable()),
                }
            }
            Some(Parsed::Other(Line::ServerKey { public_key })) => server_key = Some(public_key),
            Some(Parsed::Other(Line::DeviceKey {
                bureau,
                public_key,
                enrolled_after,
                revoked_after,
            })) => keys.entry(bureau).or_default().push(Held {
                public_key,
                after: enrolled_after,
                until: revoked_after,
            }),
            Some(Parsed::Other(Line::Closed {
                closed_at,
                last_sequence,
            })) => closed = Some((closed_at, last_sequence)),
            Some(Parsed::Return(r)) => raw.push((r.sequence, r.ret, r.receipt)),
        }
    }
    let returns = raw.len();
    let (Some(election), Some(server_key)) = (election, server_key) else {
        if !problems.contains(&Problem::ElectionHash) {
            problems.push(Problem::NoElection);
        }
        return Report {
            election: None,
            returns,
            accepted: 0,
            problems,
            results: None,
            compared: false,
            closed_at: closed.map(|(at, _)| at),
        };
    };

    // The signatures, on every core.
    let server = ServerKeyOnce::new(&server_key);
    let read: Vec<Read> = raw
        .into_par_iter()
        .map(|(sequence, raw, receipt)| {
            // Everything but the chain, which needs the versions before.
            let ret = read_return(raw.get())
                .and_then(|r| r.check_content(&election, &r.body().device_key).map(|()| r))
                .map_err(|e| (bureau_named(raw.get()), e));
            let receipt_holds = match &ret {
                Ok(r) => receipt.verify_with(&server_key, r.id(), &server).is_ok(),
                Err(_) => true,
            };
            Read {
                sequence,
                receipt,
                ret,
                receipt_holds,
            }
        })
        .collect();

    // In the order the server received them: the sequence, the key, the
    // rules and the chain.
    let mut accepted: Vec<SignedReturn> = Vec::new();
    let mut latest: BTreeMap<String, usize> = BTreeMap::new();
    let mut expected = 1u64;
    for r in read {
        if r.sequence > expected {
            problems.push(Problem::Missing {
                from: expected,
                to: r.sequence - 1,
            });
        } else if r.sequence < expected {
            problems.push(Problem::OutOfOrder {
                sequence: r.sequence,
            });
            continue;
        }
        expected = r.sequence + 1;
        if let Some((_, last)) = closed
            && r.sequence > last
        {
            problems.push(Problem::AfterClosure {
                sequence: r.sequence,
                last,
            });
            continue;
        }
        let ret = match r.ret {
            Ok(ret) => ret,
            Err((bureau, error)) => {
                problems.push(Problem::Return {
                    bureau,
                    sequence: r.sequence,
                    error,
                });
                continue;
            }
        };
        let b = ret.body();
        let rc = &r.receipt.body;
        let receipt_names_it = rc.sequence == r.sequence
            && rc.bureau == b.bureau
            && rc.version == b.version
            && rc.election_hash == b.election_hash;
        if !r.receipt_holds || !receipt_names_it {
            problems.push(Problem::Receipt {
                bureau: b.bureau.clone(),
                sequence: r.sequence,
            });
            continue;
        }
        let held = keys.get(&b.bureau).is_some_and(|ks| {
            ks.iter()
                .any(|k| k.public_key == b.device_key && k.at(r.sequence))
        });
        if !held {
            problems.push(Problem::KeyNotHeld {
                bureau: b.bureau.clone(),
                sequence: r.sequence,
            });
            continue;
        }
        let previous = latest.get(&b.bureau).map(|&i| &accepted[i]);
        if let Err(e) = ret.check_chain(previous) {
            problems.push(Problem::Return {
                bureau: Some(b.bureau.clone()),
                sequence: r.sequence,
                error: VerifyError::Chain(e),
            });
            continue;
        }
        latest.insert(b.bureau.clone(), accepted.len());
        accepted.push(ret);
    }

    // A final record holds every receipt up to its last: none cut off.
    if let Some((_, last)) = closed
        && expected <= last
    {
        problems.push(Problem::Missing {
            from: expected,
            to: last,
        });
    }
    let results = results::compute(&election, accepted.iter().map(|r| (r.id(), r.body())));
    if let Some(p) = published {
        problems.extend(compare(&p.results, &results));
        if let Some(list) = &p.bureaux {
            problems.extend(compare_counted(list, &results));
        }
    }
    Report {
        election: Some(election),
        returns,
        accepted: accepted.len(),
        problems,
        results: Some(results),
        compared: published.is_some(),
        closed_at: closed.map(|(at, _)| at),
    }
}

/// Each published figure that is not the recomputed one.
fn compare(published: &Results, recomputed: &Results) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut differ = |what: Figure, p: String, r: String| {
        if p != r {
            out.push(Problem::Figure {
                what,
                published: p,
                recomputed: r,
            });
        }
    };
    let (p, r) = (published, recomputed);
    differ(
        Figure::Election,
        p.election_hash.clone(),
        r.election_hash.clone(),
    );
    let cov = |c: &results::Coverage| format!("{}/{}", c.reporting, c.total);
    differ(Figure::Coverage, cov(&p.coverage), cov(&r.coverage));
    for c in &r.candidates {
        let theirs = p.candidates.iter().find(|x| x.id == c.id);
        differ(
            Figure::Votes(c.name.clone()),
            theirs.map_or("—".into(), |x| x.votes.to_string()),
            c.votes.to_string(),
        );
        let pct = |bp: Option<u32>| bp.map_or("—".into(), |b| format!("{b}"));
        differ(
            Figure::Percent(c.name.clone()),
            theirs.map_or("—".into(), |x| pct(x.percent_of_exprimes_bp)),
            pct(c.percent_of_exprimes_bp),
        );
    }
    if p.candidates.len() != r.candidates.len() {
        differ(
            Figure::Votes("…".into()),
            p.candidates.len().to_string(),
            r.candidates.len().to_string(),
        );
    }
    differ(
        Figure::Exprimes,
        p.exprimes.to_string(),
        r.exprimes.to_string(),
    );
    differ(Figure::Blancs, p.blancs.to_string(), r.blancs.to_string());
    differ(Figure::Nuls, p.nuls.to_string(), r.nuls.to_string());
    differ(
        Figure::Enveloppes,
        p.enveloppes.to_string(),
        r.enveloppes.to_string(),
    );
    differ(
        Figure::Emargements,
        p.emargements.to_string(),
        r.emargements.to_string(),
    );
    let turnout = |t: &Option<results::Turnout>| {
        t.as_ref().map_or("—".into(), |t| {
            format!(
                "{}/{} {:?} {}",
                t.emargements,
                t.inscrits,
                t.basis_points,
                cov(&t.coverage)
            )
        })
    };
    differ(Figure::Turnout, turnout(&p.turnout), turnout(&r.turnout));
    out
}

/// Each bureau the server lists with another counted version than the
/// record gives.
fn compare_counted(list: &[BureauStatus], recomputed: &Results) -> Vec<Problem> {
    let mut out = Vec::new();
    let theirs: BTreeMap<&str, String> = list
        .iter()
        .filter_map(|b| {
            let v = b.version?;
            Some((
                b.code.as_str(),
                format!("v{v} {}", b.human_code.clone().unwrap_or_default()),
            ))
        })
        .collect();
    let ours: BTreeMap<&str, String> = recomputed
        .counted
        .iter()
        .map(|(b, c)| {
            (
                b.as_str(),
                format!("v{} {}", c.version, human_code(&c.return_id)),
            )
        })
        .collect();
    let bureaux: std::collections::BTreeSet<&str> =
        theirs.keys().chain(ours.keys()).copied().collect();
    for b in bureaux {
        let (p, r) = (theirs.get(b), ours.get(b));
        if p != r {
            let say = |x: Option<&String>| x.cloned().unwrap_or_else(|| "—".into());
            out.push(Problem::Counted {
                bureau: b.to_owned(),
                published: say(p),
                recomputed: say(r),
            });
        }
    }
    out
}
