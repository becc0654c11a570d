//! The published figures against those recomputed from the record: each
//! one that differs is a problem naming the figure, or the bureau.

use crate::problem::{Figure, Problem};
use pointage_core::results::{self, Results};
use pointage_core::signed_return::human_code;
use pointage_core::turnout::CheckpointTurnout;
use pointage_core::wire::{BureauState, BureauStatus};
use std::collections::BTreeMap;

/// Each published figure that is not the recomputed one.
pub(crate) fn compare(published: &Results, recomputed: &Results) -> Vec<Problem> {
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

/// Each published turnout figure that is not the recomputed one, by
/// checkpoint (a checkpoint published that the record has not, or the
/// reverse, is named with its count of bureaux).
pub(crate) fn compare_turnout(
    published: &[CheckpointTurnout],
    recomputed: &[CheckpointTurnout],
) -> Vec<Problem> {
    let say = |x: Option<String>| x.unwrap_or_else(|| "—".into());
    let fields = |t: &CheckpointTurnout| -> [(&'static str, String); 5] {
        [
            ("signatures", t.signatures.to_string()),
            ("reporting", format!("{}/{}", t.reporting, t.bureaux)),
            ("late", t.late.to_string()),
            (
                "inscrits_reporting",
                say(t.inscrits_reporting.map(|i| i.to_string())),
            ),
            (
                "participation_bp",
                say(t.participation_bp.map(|b| b.to_string())),
            ),
        ]
    };
    let ids: std::collections::BTreeSet<&str> = published
        .iter()
        .chain(recomputed)
        .map(|t| t.checkpoint.as_str())
        .collect();
    let mut out = Vec::new();
    for id in ids {
        let p = published.iter().find(|t| t.checkpoint == id).map(fields);
        let r = recomputed.iter().find(|t| t.checkpoint == id).map(fields);
        for i in 0..5 {
            let (what, pv) = p
                .as_ref()
                .map_or(("reporting", None), |f| (f[i].0, Some(f[i].1.clone())));
            let rv = r.as_ref().map(|f| f[i].1.clone());
            let what = r.as_ref().map_or(what, |f| f[i].0);
            if pv != rv {
                out.push(Problem::Turnout {
                    checkpoint: id.to_owned(),
                    what,
                    published: say(pv),
                    recomputed: say(rv),
                });
            }
        }
    }
    out
}

/// Each bureau the server lists in another state than the record gives,
/// or not once.
pub(crate) fn compare_states(list: &[BureauStatus], recomputed: &[BureauStatus]) -> Vec<Problem> {
    let mut theirs: BTreeMap<&str, Vec<BureauState>> = BTreeMap::new();
    for b in list {
        theirs.entry(&b.code).or_default().push(b.state);
    }
    let ours: BTreeMap<&str, BureauState> = recomputed
        .iter()
        .map(|b| (b.code.as_str(), b.state))
        .collect();
    let codes: std::collections::BTreeSet<&str> =
        theirs.keys().chain(ours.keys()).copied().collect();
    codes
        .into_iter()
        .filter_map(|code| {
            let p = match theirs.get(code).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                _ => None,
            };
            let r = ours.get(code).copied();
            (p != r || theirs.get(code).is_some_and(|v| v.len() > 1)).then(|| Problem::State {
                bureau: code.to_owned(),
                published: p,
                recomputed: r,
            })
        })
        .collect()
}

/// Each bureau the server lists with another counted version than the
/// record gives.
pub(crate) fn compare_counted(list: &[BureauStatus], recomputed: &Results) -> Vec<Problem> {
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
